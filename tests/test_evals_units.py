"""Units of the eval harness: metrics of one draft, typed assertions, prompt overrides
local to their context, and grading the mutation self-test's result."""

from __future__ import annotations

import threading

import pytest
from eval_suites import CONCISE


def test_metrics_of_one_draft(spec_records):
    from pipeline.checks import Report, Stats
    from pipeline.evals.metrics import LengthTarget, draft_metrics, required_headings
    from pipeline.orchestrator import draft

    d = draft(spec_records)
    stats = Stats(claims=10, supported=9, records_covered=3, records_total=4)
    report = Report(ok=True, findings=[], stats=stats)
    m, sections = draft_metrics(report, spec_records, d.document, None, 0.5, LengthTarget())
    assert m["fact_precision"] == 0.9 and m["coverage"] == 0.75 and m["latency"] == 0.5
    assert m["heading_compliance"] == 1.0 and m["tokens"] == 0
    assert required_headings(spec_records) >= 1
    assert sections and all(s["ratio"] == round(s["chars"] / s["target"], 4) for s in sections)


def test_assertions_parse_and_grade():
    from pipeline.evals import assertions as A

    row = {"metrics": {"fact_precision": 0.5, "numbering_errors": 2, "length_ratio": 1.0},
           "findings": [{"check": "facts.number", "severity": "error", "line": 3, "message": "不符"}],
           "sections": [{"heading": "甲", "chars": 100, "target": 400, "ratio": 0.25}],
           "markdown": "县文化馆"}
    results = {a: A.parse(a).evaluate(row) for a in ["fact_precision >= 1.0", "no_errors"]}
    assert results["fact_precision >= 1.0"] == {"assertion": "fact_precision >= 1.0", "pass": False,
                                                "score": 0.5, "reason": "事实准确率 50.0%，要求 >= 1"}
    assert not results["no_errors"]["pass"] and "第3行[facts.number]" in results["no_errors"]["reason"]
    assert not A.parse({"max_numbering_errors": 1}).evaluate(row)["pass"]
    within = A.parse({"length_within": 0.5}).evaluate(row)
    assert not within["pass"] and "“甲”100字，目标400字" in within["reason"]
    assert not A.parse({"not_contains": "县文化馆"}).evaluate(row)["pass"]
    with pytest.raises(ValueError, match="是否为 coverage"):
        A.parse("coverag >= 1")


def test_prompt_overrides_are_local_to_their_context():
    from pipeline.drafting.llm.prompts import load_prompt, prompt_overrides, versions

    packaged = load_prompt("section").text
    seen = {}

    def other_thread():
        seen["other"] = load_prompt("section").text

    with prompt_overrides({"section": CONCISE}):
        assert load_prompt("section").text == CONCISE
        assert versions()["section"] != load_prompt("system").version
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert seen["other"] == packaged and load_prompt("section").text == packaged


def test_mutation_summary_grades_the_suite_thresholds(tmp_path):
    from pipeline.evals.mutation import ClassRow, FalseAlarm, MutationResult
    from pipeline.evals.selftest import run_selftest, summarize
    from pipeline.evals.suite import MutationSpec

    result = MutationResult(seed=1, drafts=2, outcomes=[], classes=[
        ClassRow(cls="number", family="facts.number", mutants=3, detected=3, right_family=3),
        ClassRow(cls="year", family="consistency.year", mutants=2, detected=1, right_family=1)],
        false_alarms=[FalseAlarm(draft="template:x", line=7, check="consistency.place", message="出现其他地方的名称")])
    out = summarize(result, 1.0, MutationSpec(min_detection=0.9, max_false_alarms=0))
    assert [c["cls"] for c in out["classes"]] == ["number", "year"]
    assert out["total"] == {"mutants": 5, "detected": 4, "right_family": 4, "rate": 0.8}
    assert out["false_alarms"] == 1 and out["false_alarm_list"][0]["line"] == 7
    assert [a["pass"] for a in out["assertions"]] == [False, False]
    assert out["summary"] == "干净草稿 2 篇，变异 5 个（seed=1）"
    missing = run_selftest(MutationSpec(records_dir="nope"), tmp_path)
    assert set(missing) == {"error"} and str(tmp_path / "nope") in missing["error"]
