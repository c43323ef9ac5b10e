"""Where the checker read each fact of a draft: its line, columns and the records it was
matched to. The review page (pipeline.web) marks these spans for a reader; the report
itself does not need them."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.facts import analyse
from pipeline.checks.model import Context


@dataclass(frozen=True)
class FactMark:
    family: str  # facts.number | facts.date | facts.entity | facts.document
    line: int  # 1-based, as in the report
    start: int  # 0-based offsets within the line as written
    end: int
    ok: bool
    records: tuple[str, ...]  # the records behind it (or, when it fails, the ones it contradicts)


@dataclass(frozen=True)
class Marks:
    facts: list[FactMark]
    covered: frozenset[str]  # the activities the draft writes about


def fact_marks(ctx: Context) -> Marks:
    """The facts of an analysed (or not yet analysed) context, in reading order."""
    if ctx.records is None:
        return Marks([], frozenset())
    out = []
    for c in analyse(ctx).claims:
        rids = tuple(dict.fromkeys([*c.records, *sorted(c.rids)]))
        out.append(FactMark(c.family, c.line, c.start, c.end, c.ok, rids))
    out.sort(key=lambda m: (m.line, m.start))
    return Marks(out, frozenset(analyse(ctx).covered))
