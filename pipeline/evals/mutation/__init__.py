"""Mutation self-test of the checkers: plant ONE error in a clean draft, see whether
`pipeline.checks.check` reports an error at the mutated line.

    from pipeline.evals.mutation import clean_drafts, run_mutation
    result = run_mutation(clean_drafts(Path("fixtures"), Path("evals/handwritten")))
    result.total.rate, result.classes, result.false_alarms, result.missed

Clean drafts: the template draft of every records file in one folder and every
hand-written summary (NAME.yaml + NAME.md|txt) in another; in an eval suite, the suite
file's ../fixtures and handwritten/ (MutationSpec). Every choice is seeded: the same
drafts and seed give the same mutants.

    python -m pipeline.evals.mutation [--seed N] [--per-class K] [--show-missed] [--json OUT]

Modules: sites (where a mutation may go), generators (one per error class), run, result.
"""

from __future__ import annotations

from pipeline.evals.mutation.generators import CLASSES, PER_CLASS
from pipeline.evals.mutation.result import (
    ClassRow,
    Counts,
    FalseAlarm,
    MutationResult,
    Outcome,
)
from pipeline.evals.mutation.run import (
    SEED,
    CleanDraft,
    clean_drafts,
    foreign_units,
    run_folders,
    run_mutation,
)

__all__ = ["CLASSES", "PER_CLASS", "SEED", "ClassRow", "CleanDraft", "Counts", "FalseAlarm", "MutationResult",
           "Outcome", "clean_drafts", "foreign_units", "run_folders", "run_mutation"]
