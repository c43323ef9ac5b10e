"""The check report (docs/cli.md): findings, each at a line and column, and the tally."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: str  # a family name: facts.number, facts.date, …, register
    severity: Severity
    line: int  # 1-based line of the draft as read (.docx: paragraph number)
    column: int = 1  # 1-based column of the offending span within the line
    excerpt: str  # the offending span, or the shortest text around it that shows it
    message: str  # Simplified Chinese, naming the record and what it says
    records: list[str] = []


class Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claims: int = 0
    supported: int = 0
    records_covered: int = 0
    records_total: int = 0


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ok: bool
    findings: list[Finding]
    stats: Stats
