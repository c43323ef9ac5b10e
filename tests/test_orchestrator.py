"""The one pipeline, whatever the backend: draft → check → revise rounds → template fallback.

A scripted backend (no model) drives the orchestrator through each path, so what is
tested is the orchestration itself; test_llm.py drives the same code with the real LLM
backend over HTTP.
"""

from __future__ import annotations

import asyncio
import json
from typing import ClassVar

import pytest

from pipeline.drafting import Accounting, draft_document
from pipeline.model.document import Document
from pipeline.model.run import Repair, Usage
from pipeline.orchestrator import adraft, build_chain, draft
from pipeline.render import to_markdown

WRONG, RIGHT = "参会单位39个", "参会单位32个"


class Scripted:
    """Drafts the template's text with one wrong figure; each revise may fix it."""

    name: ClassVar[str] = "llm"
    revises: ClassVar[bool] = True

    def __init__(self, rounds: int, fixes_on: int | None) -> None:
        self.revise_rounds = rounds
        self.fixes_on = fixes_on
        self.repairs: list[Repair] = []
        self.revised: list[tuple[int, dict]] = []
        self.closed = False
        self.right: Document | None = None

    async def draft(self, records, outline) -> Document:
        from pipeline.drafting import template

        self.right = template.draft(records, outline)
        return _with(self.right, RIGHT, WRONG)

    async def revise(self, document, findings, round_) -> Document:
        self.revised.append((round_, {k: [f.excerpt for f in v] for k, v in findings.items()}))
        if round_ == self.fixes_on:
            self.repairs.append(Repair(part="leadership", action="rewritten", round=round_, reason="x"))
            return self.right
        return document

    def accounting(self) -> Accounting:
        return Accounting(usage=Usage(prompt_tokens=10, completion_tokens=2, calls=1), model="m",
                          endpoint="e", currency="CNY", tokens_exact=False, prompt_versions={"p": "1"})

    async def aclose(self) -> None:
        self.closed = True


def _with(doc: Document, old: str, new: str) -> Document:
    data = json.loads(doc.model_dump_json().replace(old, new))
    return Document.model_validate(data)


def test_findings_go_back_to_the_part_they_hit_and_a_fix_ends_the_rounds(spec_records):
    backend = Scripted(rounds=3, fixes_on=2)
    run = asyncio.run(adraft(spec_records, backend))
    assert run.report.ok and RIGHT in run.markdown
    # round 1 did not fix it, round 2 did, so round 3 never happens
    assert [r for r, _ in backend.revised] == [1, 2]
    found = backend.revised[0][1]
    assert list(found) == ["leadership"] and len(found["leadership"]) == 1
    assert "39个" in found["leadership"][0]
    assert run.errors_before_repair == 1 and [r.action for r in run.repairs] == ["rewritten"]
    assert backend.closed


def test_an_error_left_after_the_rounds_gets_the_template_sentence(spec_records):
    backend = Scripted(rounds=1, fixes_on=None)
    run = asyncio.run(adraft(spec_records, backend))
    assert run.report.ok and WRONG not in run.markdown and RIGHT in run.markdown
    replaced = [r for r in run.repairs if r.action == "replaced_with_template"]
    assert len(replaced) == 1 and WRONG in replaced[0].before and RIGHT in replaced[0].after


def test_no_rounds_still_falls_back_and_records_the_first_check(spec_records):
    backend = Scripted(rounds=0, fixes_on=None)
    run = asyncio.run(adraft(spec_records, backend))
    assert backend.revised == [] and run.report.ok
    assert run.first_report is not None and not run.first_report.ok


def test_the_report_json_says_what_the_backend_reported(spec_records, tmp_path):
    run = asyncio.run(adraft(spec_records, Scripted(rounds=1, fixes_on=1), trail_dir=tmp_path))
    data = json.loads(run.report_json())
    assert data["backend"] == "llm" and data["model"] == "m" and data["endpoint"] == "e"
    assert data["usage"]["total_tokens"] == 12 and data["usage"]["currency"] == "CNY"
    assert data["repairs"] == [{"part": "leadership", "action": "rewritten", "round": 1, "reason": "x"}]
    assert data["errors_before_repair"] == 1
    trail = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert trail["markdown"] == run.markdown and trail["check_before_repair"]["ok"] is False


def test_template_backend_goes_through_the_same_steps(spec_records):
    run = draft(spec_records)
    assert run.backend == "template" and run.report.ok
    assert run.markdown == to_markdown(draft_document(spec_records))
    assert run.usage is None and run.repairs == [] and run.first_report is None
    assert set(json.loads(run.report_json())) == {"ok", "findings", "stats", "backend"}


def test_build_chain_is_a_runnable_of_the_same_pipeline(spec_records):
    chain = build_chain()  # no endpoint: the template backend
    run = asyncio.run(chain.ainvoke(spec_records))
    assert run.markdown == draft(spec_records).markdown


def test_an_unknown_backend_is_an_input_error(spec_records):
    from pipeline.errors import InputError

    with pytest.raises(InputError, match="未知的起草后端"):
        draft(spec_records, backend="gpt")  # type: ignore[arg-type]
