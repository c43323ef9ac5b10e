"""Stage 4: prove every fact. `check(draft_text, records) -> Report`.

Checker families are registered in FAMILIES (name → function, whether it needs records).
"""

from __future__ import annotations

from pipeline.checks.model import Checker, Context
from pipeline.model.report import Finding, Report, Stats
from pipeline.model.records import Records

# name → (checker, needs_records). Filled in by the family modules below.
FAMILIES: dict[str, tuple[Checker, bool]] = {}


def register(name: str, needs_records: bool):
    def wrap(fn: Checker) -> Checker:
        FAMILIES[name] = (fn, needs_records)
        return fn
    return wrap


from pipeline.checks import facts  # noqa: E402,F401  registers the facts.* and coverage families
from pipeline.checks import structure, numbering, consistency, residue, wording  # noqa: E402,F401  headings.*, consistency.*, residue.placeholder, register


def check(draft_text: str, records: Records | None = None) -> Report:
    ctx = Context(text=draft_text, records=records)
    findings: list[Finding] = []
    for fn, needs_records in FAMILIES.values():
        if needs_records and records is None:
            continue
        findings.extend(fn(ctx))
    findings.sort(key=lambda f: (f.line, f.column, f.check))
    ok = not any(f.severity == "error" for f in findings)
    return Report(ok=ok, findings=findings, stats=ctx.stats)


__all__ = ["FAMILIES", "Context", "Finding", "Report", "Stats", "check", "register"]
