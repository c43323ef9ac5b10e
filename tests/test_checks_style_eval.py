"""The style metric of the eval harness: style.* findings per 1,000 characters, errors and
warnings apart, and a ceiling gate on it."""

from __future__ import annotations

from pipeline.checks import check
from pipeline.evals.metrics import CEILINGS, METRICS, style_per_k
from pipeline.evals.runner import evaluate_gate


def test_style_findings_are_counted_per_thousand_characters():
    text = ("9月2日，区委统战部召开动员部署会，印发活动方案，印发活动方案。"
            "9月25日，县民宗局走访慰问少数民族困难群众，走访慰问15户。") * 5
    report = check(text)
    errors = sum(f.check.startswith("style.") and f.severity == "error" for f in report.findings)
    warnings = sum(f.check.startswith("style.") and f.severity == "warning" for f in report.findings)
    assert errors >= 5 and warnings >= 5
    e, w = style_per_k(report.findings, len(text))
    assert e == round(errors * 1000 / len(text), 4) and w == round(warnings * 1000 / len(text), 4)
    assert style_per_k(report.findings, 0) == (0.0, 0.0)
    assert METRICS["style_errors_per_k"][1] == "low" and "style_errors_per_k" in CEILINGS


class _Plan:
    def __init__(self, name, thresholds):
        self.variant = type("V", (), {"name": name})()
        self.thresholds = thresholds


def _agg(value):
    return {"variants": {"模板": {"metrics": {"style_errors_per_k": {"mean": value}}}}}


def test_a_ceiling_gate_fails_above_its_limit_and_passes_at_it():
    plans = [_Plan("模板", {"style_errors_per_k": 0})]
    ok = evaluate_gate(plans, _agg(0.0), {}, None)
    bad = evaluate_gate(plans, _agg(0.42), {}, None)
    assert ok[0]["pass"] and ok[0]["maximum"] == 0 and ok[0]["minimum"] is None
    assert not bad[0]["pass"] and "高于 0" in bad[0]["reason"]
