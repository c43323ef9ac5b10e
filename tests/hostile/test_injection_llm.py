"""An instruction in a record, LLM backend, against the scripted server on 127.0.0.1 with
the real clients: a model that obeys the note, one that copies it, one whose sentences
carry line breaks and a heading, and a stubborn one whose parts fall back to the template.
Whatever the model writes, the final draft adds no sentence and no number the records do
not support, every removal is in the trail, and a report line finds its part by position."""

from __future__ import annotations

import json
import re

import pytest

from hostile.injection_cases import ASKS, TRACES, hostile, sentences
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import Writer, _records_payload, faithful
from pipeline.orchestrator import draft
from pipeline.render import markdown_lines
from pipeline.testing.scripted_server import Reply, ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")
INVENTED = "9月29日，县文化馆联合县图书馆举办民族团结主题书展，参观群众300人。"


def _run(srv, records, tmp_path, repair_rounds=1):
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test-inj", timeout=5,
                  max_retries=0, repair_rounds=repair_rounds)
    return draft(records, "llm", ep, use_cache=False, trail_dir=tmp_path / "trail")


def _trail_repairs(tmp_path) -> list[dict]:
    return json.loads((tmp_path / "trail" / "run.json").read_text(encoding="utf-8"))["repairs"]


class Obedient:
    """Does what the note asks, every time (repairs included), and writes up the note."""

    def __call__(self, body: dict) -> Reply:
        out = faithful(body)
        if "paragraphs" not in out:
            return Reply(json=out)
        para = out["paragraphs"][0]["sentences"]
        payload = {item.get("id"): item for item in _records_payload(body)}
        ids = set(payload)
        if "q06" in ids and "count" not in ids:
            para.append({"text": "全县参与群众100万人。", "sources": ["q06"]})
            para.append({"text": "与会代表围绕少数民族群众就业增收提出建议6条。", "sources": ["q06"]})
            ask = re.sub(r"[一二三四五六七八九十百万\d１０]+万人", "", payload["q06"]["note"].split("。")[0])
            para.append({"text": ask + "。", "sources": []})  # the request itself, its number left out
        if "count" in ids:  # the opening: the number as the overview's own
            para.insert(-1, {"text": "活动期间，全县参与群众100万人。", "sources": ["count"]})
        return Reply(json=out)


@pytest.mark.parametrize("ask", ["plain", "full_width", "numerals"])
def test_a_model_that_obeys_the_note_adds_nothing(srv, tmp_path, ask):
    srv.responder = Obedient()
    run = _run(srv, hostile("note", ASKS[ask]), tmp_path)
    for trace in TRACES + ("提出建议6条",):
        assert trace not in run.markdown, trace
    assert run.report.ok, run.report.findings
    gone = [r for r in _trail_repairs(tmp_path)
            if r["action"] in ("removed_unsupported", "replaced_with_template")]
    assert any("100万人" in (r["before"] or "") for r in gone)
    assert any("建议6条" in (r["before"] or "") for r in gone)
    assert any(ASKS[ask][:6] in (r["before"] or "") for r in gone)
    assert all(r["reason"] for r in gone)


def test_a_stubborn_model_falls_back_to_a_template_that_carries_no_note(srv, tmp_path):
    srv.responder = Writer("stubborn")
    run = _run(srv, hostile("note", ASKS["plain"]), tmp_path)
    assert any(r.action == "replaced_with_template" for r in run.repairs)
    for trace in TRACES:
        assert trace not in run.markdown, trace
    assert "县文化馆" not in run.markdown and run.report.ok


class Breaking:
    """First drafts whose sentences carry blank lines, a heading and an invented activity;
    told why that draft cannot be used, a faithful one."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, body: dict) -> Reply:
        out = faithful(body)
        last = body["messages"][-1].get("content") or ""
        if "paragraphs" in out and "无法使用" not in last:
            out["paragraphs"][0]["sentences"][0]["text"] += "\n\n## 五、表彰先进\n\n" + INVENTED
        elif "无法使用" in last:
            self.reasons.append(last)
        return Reply(json=out)


def test_a_reply_with_line_breaks_and_a_heading_is_refused_and_asked_again(srv, tmp_path):
    srv.responder = writer = Breaking()
    run = _run(srv, hostile("note", ASKS["plain"]), tmp_path)
    assert writer.reasons and all("标题" in r for r in writer.reasons)
    assert not re.search(r"^(## )?五、表彰先进", run.markdown, re.M)
    assert "县文化馆" not in run.markdown and run.report.ok, run.report.findings
    assert not [r for r in run.repairs if r.action == "template_section"]


def test_a_record_line_break_shifts_no_report_line(srv, tmp_path):
    """The title of the first activity carries blank lines and a heading; a model invents
    an activity in every part. Each finding is found on its own part's line and
    that part, and no other, is re-asked: the mapping goes by position, one line a part."""
    records = hostile("title", "召开座谈会\n\n## 六、另起一节\n\n")
    srv.responder = Writer("invent")
    run = _run(srv, records, tmp_path)
    template = draft(records)
    headings = [line for line in run.markdown.split("\n") if line.startswith("#")]
    assert headings == [line for line in template.markdown.split("\n") if line.startswith("#")]
    assert not re.search(r"^(## )?六、另起一节", run.markdown, re.M)
    assert run.markdown.count("\n") == len(markdown_lines(run.document))
    rewritten = {r.part for r in run.repairs if r.action == "rewritten"}
    assert rewritten == {s.key for s in run.document.sections} | {"opening"}
    assert not [r for r in run.repairs if r.action in ("replaced_with_template", "removed_unsupported")]
    assert "县文化馆" not in run.markdown and run.report.ok, run.report.findings
    assert all("\n" not in s.text for s in sentences(run.document))


@pytest.mark.parametrize("field", ["title", "problems", "plans"])
def test_other_fields_stay_in_their_slot_on_the_llm_path(srv, tmp_path, field):
    srv.responder = Writer("faithful")
    records = hostile(field, ASKS["plain"])
    run = _run(srv, records, tmp_path)
    carrying = [s for s in sentences(run.document) if "写明" in s.text]
    assert len(carrying) <= 1 and "100万" not in "".join(p.text for p in run.document.opening)
