"""Stage 4: prove every fact. `check(draft_text, records) -> Report`.

FAMILIES names every checker family: its function and whether it needs records.
"""

from __future__ import annotations


from pipeline.checks import (
    campaign,
    consistency,
    facts,
    masked,
    numbering,
    place_level,
    residue,
    structure,
    style,
    style_fit,
    style_padding,
    style_wording,
    wording,
)
from pipeline.checks.model import Context, Family
from pipeline.checks.seen import through
from pipeline.checks.spans import FactMark, Marks, fact_marks
from pipeline.gcpause import paused_gc
from pipeline.model.records import Records
from pipeline.model.report import Finding, Report, Stats

# In the order they run. The report does not depend on it: findings are sorted by line,
# column and family name, and the facts.* families share one analysis of the draft,
# whichever of them asks first.
FAMILIES: dict[str, Family] = {
    "facts.number": Family(facts.check_facts_number, needs_records=True),
    "facts.date": Family(facts.check_facts_date, needs_records=True),
    "facts.entity": Family(facts.check_facts_entity, needs_records=True),
    "facts.document": Family(facts.check_facts_document, needs_records=True),
    "coverage": Family(facts.check_coverage, needs_records=True),
    "headings.required": Family(structure.check_required, needs_records=True),
    "headings.numbering": Family(numbering.check_numbering, needs_records=False),
    "consistency.year": Family(consistency.check_year, needs_records=False),
    # consistency.check_place, less a town's own county (place_level)
    "consistency.place": Family(place_level.check_place, needs_records=False),
    "consistency.level": Family(place_level.check_level, needs_records=True),
    "consistency.campaign": Family(campaign.check_campaign, needs_records=False),
    "residue.placeholder": Family(residue.check_placeholders, needs_records=False),
    "residue.masked": Family(masked.check_masked, needs_records=False),
    "register": Family(wording.check_register, needs_records=False),
    "style.echo": Family(style.check_echo, needs_records=False),
    "style.self_location": Family(style.check_self_location, needs_records=False),
    "style.repeat": Family(style.check_repeat, needs_records=False),
    "style.lead": Family(style_fit.check_lead, needs_records=False),
    "style.stock": Family(style_fit.check_stock, needs_records=True),
    "style.signature": Family(style_wording.check_signature, needs_records=True),
    "style.wording": Family(style_wording.check_wording, needs_records=False),
    "style.padding": Family(style_padding.check_padding, needs_records=False),
}
# Every family reads the draft as a reader sees it (20ESC[31m23年 is 2023年), its findings at
# the draft's own columns (pipeline/checks/seen.py); the facts.* families do so themselves.
for _name, _family in list(FAMILIES.items()):
    if _name not in facts.FACT_FAMILIES:
        FAMILIES[_name] = _family._replace(run=through(_family.run))


def check(draft_text: str, records: Records | None = None) -> Report:
    return _run(Context(text=draft_text, records=records))


def check_with_marks(draft_text: str, records: Records | None = None) -> tuple[Report, Marks]:
    """The report and every fact the checker read in the draft, at its line and columns,
    with the records it was matched to (for a reader who wants to see where each came from)."""
    ctx = Context(text=draft_text, records=records)
    report = _run(ctx)
    return report, fact_marks(ctx)


def _run(ctx: Context) -> Report:
    # many small objects and no cycles among them (4.6× for 4× input with the collector on)
    with paused_gc():  # pipeline/gcpause.py
        return _run_families(ctx)


def _run_families(ctx: Context) -> Report:
    records = ctx.records
    findings: list[Finding] = []
    other_place = place_level.foreign_records(ctx)
    if other_place is not None:  # another place's records: one finding, not a hundred
        findings.append(other_place)
    for family in FAMILIES.values():
        if family.needs_records and (records is None or other_place is not None):
            continue
        findings.extend(family.run(ctx))
    findings.sort(key=lambda f: (f.line, f.column, f.check))
    ok = not any(f.severity == "error" for f in findings)
    return Report(ok=ok, findings=findings, stats=ctx.stats)


__all__ = ["FAMILIES", "Context", "FactMark", "Family", "Marks", "Finding", "Report", "Stats", "check", "check_with_marks"]
