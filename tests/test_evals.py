"""`zongjie eval` end to end: running suites offline (the LLM variants talk to the scripted
server), failures as rows, reports, comparison and the CI gate. Suite validation is in
test_evals_suite.py, metrics and assertions in test_evals_units.py, the page in a browser
in test_evals_browser.py, the mutation self-test in test_mutation.py."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from eval_suites import CONCISE, rows_of, suite_text, write


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("evals")
    suite = write(tmp / "suite.yaml", suite_text())
    out = tmp / "run-a"
    return out, run_cli("eval", str(suite), "--out", str(out))


def _targets(place: str) -> dict[str, int]:
    """Each practice section's length target, from the records themselves."""
    from pipeline.inputs import load_records
    from pipeline.model.length import LengthTarget
    from pipeline.outline import build_outline

    records = load_records(FIXTURES / f"{place}.yaml")[0]
    by_id = {a.id: a for a in records.activities}
    return {s.key: LengthTarget().target(by_id[i] for i in s.activity_ids)
            for s in build_outline(records).sections if s.kind == "practice" and s.activity_ids}


# ---------------------------------------------------------------- running a suite

def test_small_suite_runs_offline_and_writes_both_reports(small_run):
    out, proc = small_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("results.jsonl", "report.md", "report.html", "meta.json"):
        assert (out / name).is_file(), name
    rows = rows_of(out)
    assert {(r["variant"], r["place"]) for r in rows} == {
        ("模板", "lanshui_county"), ("模板", "xiantan_town"), ("模板", "liuxi_county_2024"),
        ("手写稿", "liuxi_county_2024"), ("忠实模型", "lanshui_county"), ("忠实模型", "xiantan_town"),
        ("编造模型", "lanshui_county")}
    for r in rows:
        assert r["status"] == "pass", r
        for a in r["assertions"]:  # every assertion has promptfoo's shape
            assert set(a) == {"assertion", "pass", "score", "reason"} and 0 <= a["score"] <= 1
        assert r["metrics"]["fact_precision"] == 1.0 and r["metrics"]["coverage"] == 1.0
    llm = [r for r in rows if r["backend"] == "llm"]
    assert all(r["metrics"]["tokens"] > 0 and r["prompt_versions"]["section"] for r in llm)
    invent = next(r for r in rows if r["variant"] == "编造模型")
    assert invent["metrics"]["errors_before_repair"] > 0 and invent["metrics"]["repairs"] > 0
    template = next(r for r in rows if r["variant"] == "模板" and r["place"] == "lanshui_county")
    assert template["sections"] and {s["key"]: s["target"] for s in template["sections"]} == _targets("lanshui_county")
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert [v["name"] for v in meta["variants"]] == ["模板", "手写稿", "忠实模型", "编造模型"]
    assert meta["variants"][2]["prompt_versions"]["section"]
    assert meta["machine"]["python"] and "aggregates" in meta
    # the comparison table on stdout, where the reports went on stderr
    assert "事实准确率" in proc.stdout and "编造模型" in proc.stdout
    assert "report.html" in proc.stderr and "report.md" in proc.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## 变体对比" in md and "| 忠实模型 |" in md


def test_html_report_is_self_contained(small_run):
    out, _ = small_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<html") == 1 and "<svg" in html and "<details" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}


@pytest.mark.slow  # the whole default suite with its ~1,900 mutants: a minute on a quiet machine
def test_the_default_suite_runs_offline(tmp_path):
    out = tmp_path / "default"
    proc = run_cli("eval", "--out", str(out), timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert "模板" in proc.stdout and "忠实模型·精简提示词" in proc.stdout and "检查器变异自测" in proc.stdout
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## 检查器变异自测" in md and "| number | facts.number |" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="mutation"' in html
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    versions = {v["name"]: (v.get("prompt_versions") or {}).get("section") for v in meta["variants"]}
    assert versions["忠实模型"] != versions["忠实模型·精简提示词"]
    lengths = meta["aggregates"]["variants"]
    assert (lengths["忠实模型·精简提示词"]["metrics"]["length_ratio"]["mean"]
            < lengths["忠实模型"]["metrics"]["length_ratio"]["mean"])


# ---------------------------------------------------------------- failures are rows

def test_a_provider_error_becomes_a_row(tmp_path):
    extra = """
  - name: 拒绝的接口
    backend: llm
    provider: scripted:error
  - name: 没有密钥
    backend: llm
    provider: profile:openai
  - name: 关闭的端口
    backend: llm
    endpoint: {base_url: "http://127.0.0.1:9/v1", model: m, max_retries: 0, timeout: 2}
    places: [lanshui_county]
"""
    suite = write(tmp_path / "suite.yaml", suite_text(extra))
    out = tmp_path / "run"
    proc = run_cli("eval", str(suite), "--out", str(out), "--variant", "模板", "--variant", "拒绝的接口",
                   "--variant", "没有密钥", "--variant", "关闭的端口")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = rows_of(out)
    by = {}
    for r in rows:
        by.setdefault(r["variant"], []).append(r)
    assert all(r["status"] == "pass" for r in by["模板"])
    refused = by["拒绝的接口"]
    assert len(refused) == 3 and all(r["status"] == "error" for r in refused)
    assert all("模型接口失败" in r["error"] for r in refused if r["place"] != "liuxi_county_2024")
    assert all("OPENAI_API_KEY" in r["error"] for r in by["没有密钥"])
    assert by["关闭的端口"][0]["status"] == "error" and "模型接口失败" in by["关闭的端口"][0]["error"]
    for r in refused:
        assert r["assertions"] == [{"assertion": "起草成功", "pass": False, "score": 0.0, "reason": r["error"]}]
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["aggregates"]["variants"]["拒绝的接口"]["errored"] == 3
    assert "出错" in (out / "report.md").read_text(encoding="utf-8")
    # as a gate, errors fail it
    gated = run_cli("eval", str(suite), "--out", str(tmp_path / "gated"), "--variant", "拒绝的接口",
                    "--fail-under", "pass_rate=1")
    assert gated.returncode == 1 and "未达到门槛" in gated.stderr


# ---------------------------------------------------------------- compare and the gate

def test_compare_two_runs_that_differ_in_one_prompt(small_run, tmp_path):
    run_a, _ = small_run
    indented = "\n".join("        " + line for line in CONCISE.splitlines())
    prompts = f"    prompts:\n      section: |\n{indented}\n"
    suite_b = write(tmp_path / "suite-b.yaml", suite_text(prompts=prompts))
    run_b = tmp_path / "run-b"
    proc = run_cli("eval", str(suite_b), "--out", str(run_b))
    assert proc.returncode == 0, proc.stderr
    cmp = run_cli("eval", "--compare", str(run_a), str(run_b))
    assert cmp.returncode == 0, cmp.stderr
    out = cmp.stdout
    assert "提示词版本不同：忠实模型 的 section" in out
    delta_lines = [ln for ln in out.splitlines() if ln.startswith("忠实模型")]
    assert any("篇幅比" in ln and "−" in ln for ln in delta_lines), out
    assert any("token" in ln and "−" in ln for ln in delta_lines), out
    assert not any(ln.startswith(("模板", "手写稿")) for ln in out.splitlines())  # unchanged
    assert "有变化的草稿：2 份" in out  # the faithful model's two places; nothing else changed
    assert re.search(r"忠实模型\s+澜水县\s+\+\d+\s+−\d+", out)
    md = (run_b / "compare.md").read_text(encoding="utf-8")
    assert "## 提示词版本" in md and "## 有变化的草稿（2 份）" in md and "```diff" in md
    same = run_cli("eval", "--compare", str(run_a), str(run_a), "--out", str(tmp_path / "same"))
    assert "各变体的指标均无变化" in same.stdout and "有变化的草稿：0 份" in same.stdout
    # the gate in compare mode applies to run B
    gate = run_cli("eval", "--compare", str(run_a), str(run_b), "--fail-under", "assertion_rate=1.0")
    assert gate.returncode == 0, gate.stderr


def test_fail_under_exit_codes(tmp_path, small_run):
    suite = write(tmp_path / "t.yaml", f"""
fixtures: [{FIXTURES / "lanshui_county.yaml"}]
variants: [{{name: 模板, backend: template}}]
""")
    ok = run_cli("eval", str(suite), "--out", str(tmp_path / "a"), "--fail-under", "fact_precision=1.0",
                 "--fail-under", "coverage=0.8")
    assert ok.returncode == 0, ok.stderr
    low = run_cli("eval", str(suite), "--out", str(tmp_path / "b"), "--fail-under", "coverage=1.01")
    assert low.returncode == 1 and "未达到门槛：模板 记录覆盖率 100.0%，低于 1.01" in low.stderr
    for bad in ("latency=1", "coverage", "coverage=high"):
        proc = run_cli("eval", str(suite), "--fail-under", bad)
        assert proc.returncode == 2 and "--fail-under" in proc.stderr and "Traceback" not in proc.stderr
    run_a, _ = small_run
    proc = run_cli("eval", "--compare", str(run_a), str(run_a), "--out", str(tmp_path / "c"),
                   "--fail-under", "coverage=1.5")
    assert proc.returncode == 1 and "未达到门槛（B）" in proc.stderr
    thresholds = write(tmp_path / "th.yaml", suite.read_text(encoding="utf-8") + "defaults: {thresholds: {coverage: 1.2}}\n")
    assert run_cli("eval", str(thresholds), "--out", str(tmp_path / "d")).returncode == 1
    missing = run_cli("eval", "--compare", str(tmp_path / "nope"), str(run_a))
    assert missing.returncode == 2 and "找不到评测结果" in missing.stderr
