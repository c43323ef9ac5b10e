"""The records of one place and campaign: the typed input every stage reads
(docs: the records format in README). Loading them from files is `pipeline.inputs`."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_SECTION_KEYS = ("leadership", "publicity", "results")
CLOSING_SECTION_KEYS = ("problems", "plans")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Figure(_Model):
    what: str = Field(min_length=1)
    value: float = Field(ge=0)
    unit: str = Field(min_length=1)
    approx: bool = False

    @field_validator("value")
    @classmethod
    def _integral_when_possible(cls, v: float) -> float:
        return int(v) if float(v).is_integer() else v


class Period(_Model):
    start: dt.date
    end: dt.date


class Basis(_Model):
    issuer: str = ""
    title: str = Field(min_length=1)


class Section(_Model):
    key: str = Field(min_length=1)
    heading: str | None = None
    brief: str | None = None


class Activity(_Model):
    id: str = Field(min_length=1)
    date: dt.date
    end_date: dt.date | None = None
    units: list[str] = Field(min_length=1)
    title: str = Field(min_length=1)
    place: str | None = None
    section: str | None = None
    figures: list[Figure] = []
    documents: list[str] = []
    media: list[str] = []
    note: str | None = None
    highlight: bool = False


class Records(_Model):
    county: str = Field(min_length=2)
    year: int = Field(ge=1949, le=2100)
    campaign: str = Field(min_length=1)
    doc_type: str = "工作总结"
    period: Period | None = None
    author: str | None = None
    date: dt.date | None = None
    basis: list[Basis] = []
    outline: list[Section] | None = None
    activities: list[Activity] = Field(min_length=1)
    totals: list[Figure] = []
    problems: list[str] = []
    plans: list[str] = []
    aliases: dict[str, list[str]] = {}

    def activity(self, aid: str) -> Activity:
        return next(a for a in self.activities if a.id == aid)


def json_schema() -> dict:
    """The JSON Schema of a records file, for editors that validate as people type."""
    schema = Records.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "zongjie 活动记录（records）"
    return schema
