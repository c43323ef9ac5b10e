"""The result of one drafting run, as the CLI, batch, evals and the report JSON read it.

The orchestrator builds it from what the backend drafted and what the checker found; the
report JSON written beside a draft (`OUT.check.json`) is `Run.report_json()`.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.model.document import Document
from pipeline.model.report import Report

BackendName = Literal["template", "llm"]
RepairAction = Literal[
    "template_section",  # a part the model never answered usably: the template's paragraphs
    "rewritten",  # a part re-asked with the checker's findings
    "replaced_with_template",  # a sentence still wrong after the rounds: the template's instead
    "added_from_template",  # a key activity still missing: the template's sentences added
    "removed_unsupported",  # a sentence no record supports (pipeline/support.py): removed
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Usage(_Model):
    """Tokens, calls and cost of model calls; added up per part and per run."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached_calls: int = 0
    estimated: bool = False  # some counts came from tiktoken, not from the API
    cost: float = 0.0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.calls += other.calls
        self.cached_calls += other.cached_calls
        self.estimated = self.estimated or other.estimated
        self.cost += other.cost

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.total_tokens, "calls": self.calls,
                "cached_calls": self.cached_calls, "estimated": self.estimated,
                "cost": round(self.cost, 6)}


class Repair(_Model):
    """One change made after the first draft: what, where, and the findings behind it."""

    part: str  # a section key, or "opening"
    action: RepairAction
    round: int | None = None
    before: str | None = None
    after: str | None = None
    reason: str


class Run(_Model):
    backend: BackendName
    document: Document
    markdown: str  # what the checker read; line numbers in the report refer to it
    report: Report
    model: str | None = None  # the LLM backend's model and endpoint profile
    endpoint: str | None = None
    currency: str | None = None
    tokens_exact: bool | None = None
    usage: Usage | None = None
    usage_by_part: dict[str, Usage] = {}
    repairs: list[Repair] = []
    prompt_versions: dict[str, str] | None = None
    first_report: Report | None = None  # before any revision (backends that revise)

    @property
    def errors_before_repair(self) -> int | None:
        if self.first_report is None:
            return None
        return sum(f.severity == "error" for f in self.first_report.findings)

    def usage_json(self) -> dict | None:
        if self.usage is None:
            return None
        return {**self.usage.as_dict(), "currency": self.currency, "tokens_exact": self.tokens_exact}

    def report_data(self) -> dict:
        """The check report plus what produced it (docs/cli.md: ok, findings, stats, backend…)."""
        data = {**self.report.model_dump(mode="json"), "backend": self.backend}
        if self.usage is None:  # no model was called: nothing more to account for
            return data
        data.update({"model": self.model, "endpoint": self.endpoint, "usage": self.usage_json(),
                     "usage_by_part": {k: u.as_dict() for k, u in self.usage_by_part.items()},
                     "repairs": self.repairs_json(), "prompt_versions": self.prompt_versions})
        if self.first_report is not None:
            data["errors_before_repair"] = self.errors_before_repair
        return data

    def repairs_json(self) -> list[dict]:
        return [r.model_dump(exclude_none=True) for r in self.repairs]

    def report_json(self) -> str:
        return json.dumps(self.report_data(), ensure_ascii=False, indent=2) + "\n"


ProgressStage = Literal["draft", "check", "revise", "fallback", "done"]


class Progress(_Model):
    """Where one document's drafting is, told while it runs (a page polls it, a terminal
    prints it): parts drafted of all, the checks, each revise round's parts."""

    stage: ProgressStage
    done: int = 0  # parts finished in this stage (draft, revise)
    total: int = 0
    round: int = 0  # the revise round (revise, and the check after it)
    key: str = ""  # the part just finished: "opening" or its section's key
    heading: str = ""  # that section's heading ("" for the opening)
