"""The check report (../shared/spec/cli.md) and the context every checker family reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel, ConfigDict

from ..records import Records

SEVERITIES = ("error", "warning")


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: str  # a family name: facts.number, facts.date, …, register
    severity: str  # "error" | "warning"
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


@dataclass
class Context:
    """What a checker family sees: the draft's lines and, when given, its records."""

    text: str
    records: Records | None
    lines: list[str] = field(init=False)
    stats: Stats = field(default_factory=Stats)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")


# A checker family: reads the context, returns findings, may add to ctx.stats.
Checker = Callable[[Context], list[Finding]]
