"""What a checker family is (Family: its function and whether it needs records) and the
context every family reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.model.records import Records
from pipeline.model.report import Finding, Stats


@dataclass
class Context:
    """What a checker family sees: the draft's lines and, when given, its records."""

    text: str
    records: Records | None
    lines: list[str] = field(init=False)
    stats: Stats = field(default_factory=Stats)
    # What one family works out for others that read the draft the same way: the five
    # facts.* families share one analysis of it (pipeline.checks.facts).
    shared: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")


# A checker family: reads the context, returns findings, may add to ctx.stats.
Checker = Callable[[Context], list[Finding]]


class Family(NamedTuple):
    run: Checker
    needs_records: bool  # without records check() leaves the family out
