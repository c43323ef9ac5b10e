"""Run the mutation self-test: the clean drafts, one planted error per mutant, and whether
`pipeline.checks.check` reports an error at the mutated line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.errors import InputError
from pipeline.evals.mutation.generators import (
    CLASSES,
    GENERATORS,
    PER_CLASS,
    Mutant,
    mutants,
)
from pipeline.evals.mutation.result import ClassRow, FalseAlarm, MutationResult, Outcome
from pipeline.inputs import load_records
from pipeline.model.records import Records
from pipeline.render import to_markdown

SEED = 20240901
RECORD_SUFFIXES = (".yaml", ".yml", ".json")
DRAFT_SUFFIXES = (".md", ".txt")


class CleanDraft(NamedTuple):
    name: str  # "template:<records file stem>" or "handwritten:<stem>"
    text: str
    records: Records


def clean_drafts(records_dir: Path, handwritten_dir: Path) -> list[CleanDraft]:
    """The template draft of every records file in records_dir, and every hand-written
    summary in handwritten_dir (NAME.yaml + NAME.md|txt)."""
    out: list[CleanDraft] = []
    for path in sorted(Path(records_dir).iterdir()):
        if path.suffix not in RECORD_SUFFIXES or path.name.endswith(".schema.json"):
            continue
        records = load_records(path)[0]
        out.append(CleanDraft(f"template:{path.stem}", to_markdown(draft_document(records)), records))
    for path in sorted(Path(handwritten_dir).glob("*.yaml")):
        for suffix in DRAFT_SUFFIXES:
            draft = path.with_suffix(suffix)
            if draft.exists():
                out.append(CleanDraft(f"handwritten:{path.stem}", draft.read_text(encoding="utf-8"),
                                      load_records(path)[0]))
    return out


def foreign_units(records_dir: Path, handwritten_dir: Path) -> tuple[str, ...]:
    """Every organising unit of the YAML records in both folders: the pool another place's
    unit is drawn from. YAML only, as it always was: a larger pool changes the seeded
    choices and so every org_swap mutant."""
    files = sorted(Path(records_dir).glob("*.yaml")) + sorted(Path(handwritten_dir).glob("*.yaml"))
    return tuple(sorted({u for path in files for a in load_records(path)[0].activities for u in a.units}))


def _per_class(per_class: int | dict[str, int] | None) -> dict[str, int]:
    if per_class is None:
        return PER_CLASS
    return {k: per_class for k in PER_CLASS} if isinstance(per_class, int) else per_class


def _outcome(m: Mutant, records: Records, clean: set[tuple[str, str]]) -> Outcome:
    findings = check(m.text, records).findings
    errors = [f for f in findings if f.severity == "error"]
    # Most style defects are warnings: a style class is caught by its own family's finding,
    # one the clean draft did not have (`clean`: its (check, excerpt) pairs).
    style = [f for f in findings if m.family.startswith("style.") and f.check == m.family
             and f.severity == "warning" and (f.check, f.excerpt) not in clean]
    pool = errors + style
    at = pool if m.line is None else [f for f in pool if f.line == m.line]
    hit = bool(at)
    return Outcome(cls=m.cls, source=m.source, line=m.line, family=m.family, note=m.note, detected=hit,
                   right_family=any(f.check == m.family for f in at),
                   errors_elsewhere=[] if hit else [(f.line, f.check) for f in errors])


def false_alarms(drafts: Iterable[CleanDraft]) -> list[FalseAlarm]:
    return [FalseAlarm(draft=d.name, line=f.line, check=f.check, message=f.message)
            for d in drafts for f in check(d.text, d.records).findings if f.severity == "error"]


def run_mutation(drafts: Sequence[CleanDraft], seed: int = SEED, per_class: int | dict[str, int] | None = None,
                 foreign: Iterable[str] | None = None) -> MutationResult:
    """Plant one error per mutant in the clean drafts and check each mutant.

    per_class: mutants per class and draft: an int for every class, or {class: count} (the
    classes not named get none); default PER_CLASS.
    foreign: other places' organising units for org_swap (default: those of the drafts).
    """
    drafts = [CleanDraft(*d) for d in drafts]
    pool = tuple(sorted(set(foreign))) if foreign is not None else tuple(sorted(
        {u for d in drafts for a in d.records.activities for u in a.units}))
    by_name = {d.name: d.records for d in drafts}
    clean = {d.name: {(f.check, f.excerpt) for f in check(d.text, d.records).findings} for d in drafts}
    outcomes = [_outcome(m, by_name[m.source], clean[m.source])
                for m in mutants(drafts, seed, _per_class(per_class), pool)]
    classes = []
    for cls in GENERATORS:
        mine = [o for o in outcomes if o.cls == cls]
        classes.append(ClassRow(cls=cls, family=CLASSES[cls], mutants=len(mine),
                                detected=sum(o.detected for o in mine),
                                right_family=sum(o.right_family for o in mine)))
    return MutationResult(seed=seed, drafts=len(drafts), classes=classes, false_alarms=false_alarms(drafts),
                          outcomes=outcomes)


def run_folders(records_dir: Path, handwritten_dir: Path, seed: int = SEED,
                per_class: int | dict[str, int] | None = None) -> MutationResult:
    """run_mutation on the clean drafts of two folders (the suite's ../fixtures and
    handwritten/ by default)."""
    missing = [str(p) for p in (records_dir, handwritten_dir) if not Path(p).is_dir()]
    if missing:
        raise InputError(f"变异自测的文件夹不存在：{'、'.join(missing)}")
    drafts = clean_drafts(records_dir, handwritten_dir)
    if not drafts:
        raise InputError(f"变异自测没有找到干净草稿：{records_dir} 中没有记录文件，{handwritten_dir} 中没有手写总结")
    return run_mutation(drafts, seed, per_class, foreign_units(records_dir, handwritten_dir))
