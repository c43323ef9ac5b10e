"""The orchestrator's progress callback: each part the LLM backend finishes (drafted, then
re-asked in a revise round), each check, the end; the LLM backend over real HTTP."""

from __future__ import annotations

import asyncio

from conftest import DATA
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import Writer
from pipeline.inputs import load_records
from pipeline.orchestrator import build_chain


def _run(records, endpoint=None, **kw):
    events = []
    run = asyncio.run(build_chain(endpoint, runnable=False, use_cache=False, progress=events.append,
                                  **kw)(records))
    return run, events


def test_each_part_drafted_and_each_part_revised_is_told_in_order(srv):
    records = load_records(DATA / "spec_example.yaml")[0]
    srv.responder = Writer("invent")  # wrong first, right when asked to repair: one round
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test", timeout=5, concurrency=1)
    run, events = _run(records, ep)
    assert run.report.ok
    drafted = [e for e in events if e.stage == "draft"]
    assert [(e.done, e.total) for e in drafted] == [(i, 6) for i in range(7)]
    headings = {e.heading for e in drafted if e.key not in ("", "opening")}
    assert headings == {s.heading for s in run.document.sections}
    revised = [e for e in events if e.stage == "revise" and e.key]
    assert revised and {e.round for e in revised} == {1}
    assert [e.done for e in revised] == list(range(1, len(revised) + 1))
    assert all(e.total == len(revised) for e in revised)
    stages = [e.stage for e in events]
    assert stages.index("check") > stages.index("draft") and stages[-1] == "done"
    assert stages.count("check") == 2  # after the draft, after round 1


def test_the_template_backend_tells_its_check_and_its_end():
    records = load_records(DATA / "spec_example.yaml")[0]
    run, events = _run(records)
    assert run.report.ok
    assert [e.stage for e in events] == ["check", "done"]
