"""What a mutation self-test found: typed, so the eval suite reads fields rather than a
printout, and `--json` writes the same structure."""

from __future__ import annotations

from pydantic import BaseModel, computed_field

# Computed fields (rate, total) are written out; extra fields are ignored on reading, so a
# written result validates back into the same model.


class Counts(BaseModel):
    mutants: int = 0
    detected: int = 0  # an error at the mutated line, from any check
    right_family: int = 0  # ... from the check the class expects

    @computed_field
    @property
    def rate(self) -> float | None:
        return self.detected / self.mutants if self.mutants else None


class ClassRow(Counts):
    cls: str
    family: str  # the check expected to catch this class


class FalseAlarm(BaseModel):
    """An error the checker reports on a clean draft."""
    draft: str
    line: int
    check: str
    message: str


class Outcome(BaseModel):
    """One mutant and what the checker made of it."""
    cls: str
    source: str  # the clean draft: "template:<place>" or "handwritten:<name>"
    line: int | None  # the mutated line; None for a deleted section (an error anywhere counts)
    family: str
    note: str  # what was changed, e.g. "36→38"
    detected: bool
    right_family: bool
    errors_elsewhere: list[tuple[int, str]] = []  # (line, check) of a missed mutant's other errors


class MutationResult(BaseModel):
    seed: int
    drafts: int  # clean drafts mutated
    classes: list[ClassRow]  # every class, in generator order
    false_alarms: list[FalseAlarm]
    outcomes: list[Outcome]

    @computed_field
    @property
    def total(self) -> Counts:
        return Counts(mutants=sum(c.mutants for c in self.classes),
                      detected=sum(c.detected for c in self.classes),
                      right_family=sum(c.right_family for c in self.classes))

    @property
    def missed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.detected]

    @property
    def headline(self) -> str:
        return f"干净草稿 {self.drafts} 篇，变异 {self.total.mutants} 个（seed={self.seed}）"
