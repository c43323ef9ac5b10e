"""Style errors go into the LLM repair loop like fact errors; the section rules state them."""

from __future__ import annotations

from conftest import DATA
from pipeline.evals.scripted_model import Writer, faithful, is_repair
from pipeline.inputs import load_records
from pipeline.orchestrator import draft
from pipeline.resources import read_text
from pipeline.drafting.llm.config import Endpoint
from pipeline.testing.replies import Reply
from pipeline.testing.scripted_server import ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")


def _pasted_twice(body: dict) -> Reply:
    """A model that pastes its first activity sentence twice in a row, until asked to repair."""
    reply = faithful(body)
    if "paragraphs" in reply and not is_repair(body):
        sentences = reply["paragraphs"][0]["sentences"]
        with_facts = next((s for s in sentences if s["sources"]), None)
        if with_facts:
            sentences.insert(sentences.index(with_facts) + 1, dict(with_facts))
    return Reply(json=reply)


def test_a_clause_pasted_twice_is_sent_back_and_repaired(srv, tmp_path):
    records = load_records(DATA / "spec_example.yaml")[0]
    srv.responder = _pasted_twice
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-x", timeout=5, max_retries=0)
    out = draft(records, "llm", ep, cache_path=tmp_path / "c.sqlite3", use_cache=False)
    assert out.errors_before_repair > 0
    assert out.report.ok, out.report.findings
    repairs = [c.body["messages"][-1]["content"] for c in srv.chat_requests() if is_repair(c.body)]
    assert repairs and any("style.repeat" in r or "两遍" in r or "重复" in r for r in repairs)
    assert not [f for f in out.report.findings if f.check.startswith("style.") and f.severity == "error"]


def test_the_system_prompt_states_the_style_rules():
    text = read_text("llm/system.txt")
    for rule in ("走访慰问少数民族困难群众15户", "不重复自己的名称", "不写两遍", "先后", "进乡村"):
        assert rule in text


def test_a_faithful_writer_needs_no_style_repair(srv, tmp_path):
    records = load_records(DATA / "spec_example.yaml")[0]
    srv.responder = Writer("faithful")
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-x", timeout=5, max_retries=0)
    out = draft(records, "llm", ep, cache_path=tmp_path / "c.sqlite3", use_cache=False)
    assert out.errors_before_repair == 0 and out.repairs == []
