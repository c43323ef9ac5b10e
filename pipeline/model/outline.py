"""The outline: which sections a summary has, in which order, with which fixed headings,
and which activities each section reports. Built by pipeline/outline.py from the records."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class OutlineSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    kind: Literal["practice", "problems", "plans"]
    heading: str | None = None  # fixed by the records: used verbatim
    brief: str | None = None
    activity_ids: list[str] = []


class Outline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    sections: list[OutlineSection]
