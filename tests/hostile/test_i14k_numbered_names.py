"""Outlet and unit names with a digit in them (新闻1+1, 第1频道, FM101.7, a 12345 hotline)
are names, not figures: the final support filter keeps the sentence that names them, on
the template and the LLM path, and a wrong figure in that same sentence is still caught."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import FIXTURES
from pipeline.checks import check
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import faithful
from pipeline.model.records import Records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import Reply, ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")

OUTLETS = {"a03": ["新闻1+1", "FM101.7云岭交通广播"], "a04": ["第1频道", "云岭12345政务热线"]}
UNIT = ("a05", "县第2中学")  # a unit whose name holds a numeral


def _records() -> Records:
    data = yaml.safe_load((FIXTURES / "yunling_county.yaml").read_text(encoding="utf-8"))
    for act in data["activities"]:
        if act["id"] in OUTLETS:
            act["media"] = OUTLETS[act["id"]]
        if act["id"] == UNIT[0]:
            act["units"] = [*act["units"], UNIT[1]]
    return Records.model_validate(data)


def _names() -> list[str]:
    return [n for names in OUTLETS.values() for n in names]


def _removed(run) -> list:
    return [r for r in run.repairs if r.action in ("removed_unsupported", "replaced_with_template")]


def test_template_keeps_the_sentences_that_name_the_outlets():
    run = draft(_records())
    assert not _removed(run), [(r.before, r.reason) for r in _removed(run)]
    for name in _names():
        assert name in run.markdown, name
    assert run.report.ok, run.report.findings


def test_the_checker_reads_no_figure_in_a_recorded_name():
    records = _records()
    text = draft(records).markdown
    report = check(text, records)
    assert not [f for f in report.findings if f.check.startswith("facts.")], report.findings


def test_a_wrong_figure_beside_a_numbered_outlet_is_still_an_error():
    records = _records()
    text = draft(records).markdown
    line = next(s for s in text.split("\n") if "新闻1+1" in s)
    assert "46条" in line  # a03 records 刊发稿件46条
    wrong = text.replace(line, line.replace("46条", "64条"))
    found = [f for f in check(wrong, records).findings if f.check == "facts.number"]
    assert any("64条" in f.message for f in found)


def _run(srv, records, tmp_path):
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test-names", timeout=5,
                  max_retries=0, repair_rounds=1)
    return draft(records, "llm", ep, use_cache=False, trail_dir=tmp_path / "trail")


class Roundup:
    """A faithful model that also writes a roundup of the outlets, citing nothing."""

    def __call__(self, body: dict) -> Reply:
        out = faithful(body)
        if "paragraphs" in out and any(s["sources"] == ["count"] for s in out["paragraphs"][0]["sentences"]):
            out["paragraphs"][0]["sentences"].insert(
                -1, {"text": "新闻1+1、第1频道、FM101.7云岭交通广播等媒体持续跟进报道。", "sources": []})
        return Reply(json=out)


def test_llm_keeps_the_sentences_that_name_the_outlets(srv, tmp_path):
    srv.responder = Roundup()
    run = _run(srv, _records(), tmp_path)
    trail = json.loads((tmp_path / "trail" / "run.json").read_text(encoding="utf-8"))
    gone = [r for r in trail["repairs"] if r["action"] in ("removed_unsupported", "replaced_with_template")]
    assert not gone, gone
    for name in _names():
        assert name in run.markdown, name
    assert "持续跟进报道" in run.markdown
    assert run.report.ok, run.report.findings


class Inflating:
    """Faithful, but a03's 稿件 figure inflated in the sentence that names 新闻1+1."""

    def __call__(self, body: dict) -> Reply:
        out = faithful(body)
        for para in out.get("paragraphs", []):
            for s in para["sentences"]:
                if "新闻1+1" in s["text"]:
                    s["text"] = s["text"].replace("46条", "64条")
        return Reply(json=out)


@pytest.mark.parametrize("rounds", [0, 1])
def test_llm_still_removes_a_wrong_figure_beside_a_numbered_outlet(srv, tmp_path, rounds):
    srv.responder = Inflating()
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test-names", timeout=5,
                  max_retries=0, repair_rounds=rounds)
    run = draft(_records(), "llm", ep, use_cache=False, trail_dir=tmp_path / "trail")
    assert "64条" not in run.markdown
    assert any("64条" in (r.before or "") for r in _removed(run))


def test_a_name_that_is_only_a_count_hides_no_count():
    data = yaml.safe_load((FIXTURES / "yunling_county.yaml").read_text(encoding="utf-8"))
    data["activities"][0]["media"] = ["新闻1+1"]
    data["activities"][1]["place"] = "3组"  # written as a count: reading it as a name would hide 3组
    data["activities"][2]["units"] = [*data["activities"][2]["units"], "12345"]
    from pipeline.checks.named import name_spans

    records = Records.model_validate(data)
    text = "新闻1+1进行了报道，组建宣讲队3组，受理12345件。"
    assert name_spans(records, text) == [(0, 5)]
