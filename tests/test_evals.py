"""`zongjie eval`: suites, metrics, typed assertions, failures as rows, reports, comparison
and the CI gate. Everything runs offline: the LLM variants talk to the scripted server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from pipeline.errors import InputError

HANDWRITTEN = ROOT / "evals" / "handwritten"
CONCISE = (ROOT / "evals" / "suites" / "prompts-concise" / "section.txt").read_text(encoding="utf-8")


def suite_text(extra_variant: str = "", prompts: str = "") -> str:
    return f"""
description: 测试套件
defaults:
  assertions:
    - fact_precision >= 1.0
    - coverage >= 0.9
    - no_errors
    - max_numbering_errors: 0
  concurrency: 2
fixtures:
  - {FIXTURES / "lanshui_county.yaml"}
  - {FIXTURES / "xiantan_town.yaml"}
  - records: {HANDWRITTEN / "liuxi_county_2024.yaml"}
    draft: {HANDWRITTEN / "liuxi_county_2024.md"}
variants:
  - name: 模板
    backend: template
  - name: 手写稿
    backend: handwritten
  - name: 忠实模型
    backend: llm
    provider: scripted:faithful
    places: [lanshui_county, xiantan_town]
{prompts}
  - name: 编造模型
    backend: llm
    provider: scripted:invent
    places: [lanshui_county]
{extra_variant}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "results.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("evals")
    suite = write(tmp / "suite.yaml", suite_text())
    out = tmp / "run-a"
    return out, run_cli("eval", str(suite), "--out", str(out))


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
    assert template["sections"] and all(s["target"] == 120 + 160 * s["activities"] for s in template["sections"])
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


def test_the_default_suite_runs_offline(tmp_path):
    out = tmp_path / "default"
    proc = run_cli("eval", "--out", str(out))
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


# ---------------------------------------------------------------- suite validation

def test_suite_validation_errors_are_clear(tmp_path):
    bad = write(tmp_path / "坏套件.yaml", f"""
defaults:
  assertions:
    - fact_precison >= 1.0
    - {{max_numbering_errors: -1}}
  concurency: 3
fixtures:
  - {FIXTURES}/nothing-*.yaml
  - {{records: {FIXTURES / "lanshui_county.yaml"}, drafts: x.md}}
variants:
  - name: a
    backend: tempalte
  - name: b
    backend: llm
    provider: scripted:wrong
    prompts: {{sectoin: x}}
""")
    proc = run_cli("eval", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    expect = [("坏套件.yaml:4 defaults.assertions[0]", "未知的指标或断言“fact_precison”（是否为 fact_precision？）"),
              ("坏套件.yaml:5 defaults.assertions[1]", "应为不小于 0 的数值"),
              ("坏套件.yaml:6 defaults.concurency", "未知字段“concurency”（是否为 concurrency？）"),
              ("坏套件.yaml:9 fixtures[1].drafts", "未知字段“drafts”"),
              ("坏套件.yaml:12 variants[0].backend", "取值“tempalte”无效，应为 template、llm、handwritten 之一"),
              ("坏套件.yaml:15 variants[1].provider", "scripted:<模式>"),
              ("坏套件.yaml:16 variants[1].prompts.sectoin", "取值“sectoin”无效")]
    for where, what in expect:
        assert any(where in ln and what in ln for ln in lines), (where, what, lines)


def test_suite_problems_found_after_parsing(tmp_path):
    from pipeline.evals.suite import load_suite

    lanshui = FIXTURES / "lanshui_county.yaml"
    dup = write(tmp_path / "dup.yaml", f"""
fixtures: ["{lanshui}"]
variants:
  - {{name: a, backend: template}}
  - {{name: a, backend: llm}}
""")
    with pytest.raises(InputError) as exc:
        load_suite(dup)
    assert "变体名称“a”重复" in str(exc.value) and "llm 后端需要 provider" in str(exc.value)
    files = write(tmp_path / "files.yaml", f"""
fixtures: ["{FIXTURES}/nothing-*.yaml", "{lanshui}"]
variants:
  - name: a
    backend: llm
    provider: scripted:faithful
    prompts: {{section: "只有{{county}}"}}
  - {{name: h, backend: handwritten}}
""")
    with pytest.raises(InputError) as exc:
        load_suite(files)
    text = str(exc.value)
    assert f"“{FIXTURES}/nothing-*.yaml”没有匹配到任何记录文件" in text
    assert "variants[0].prompts.section：提示词 section 的覆盖缺少变量" in text and "{records_json}" in text
    assert "变体“h”没有可评测的带手写草稿的记录" in text


def test_schema_file_is_generated_from_the_suite_model():
    from pipeline.evals.suite import json_schema

    committed = json.loads((ROOT / "schema" / "eval-suite.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()
    assert committed["additionalProperties"] is False


def test_committed_suites_are_valid():
    from pipeline.evals.suite import load_suite

    default = load_suite(ROOT / "evals" / "default.yaml")
    assert {p.backend for p in default.plans} == {"template", "handwritten", "llm"}
    assert any(p.prompts for p in default.plans)  # a prompt variant
    assert len([f for f in default.fixtures if f.draft]) >= 6
    assert load_suite(ROOT / "evals" / "mutation.yaml").suite.mutation


def test_no_default_suite_gives_a_clear_message(tmp_path, monkeypatch):
    import pipeline.evals.cli as cli

    monkeypatch.setattr(cli, "ROOT", tmp_path / "installed")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="找不到默认评测套件 evals/default.yaml"):
        cli.default_suite()
    write(tmp_path / "evals" / "default.yaml", "mutation: true\n")
    assert cli.default_suite() == tmp_path / "evals" / "default.yaml"


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


# ---------------------------------------------------------------- units

def test_metrics_of_one_draft(spec_records):
    from pipeline.checks import Report, Stats
    from pipeline.evals.metrics import LengthTarget, draft_metrics, required_headings
    from pipeline.orchestrator import draft

    d = draft(spec_records)
    stats = Stats(claims=10, supported=9, records_covered=3, records_total=4)
    report = Report(ok=True, findings=[], stats=stats)
    m, sections = draft_metrics(report, spec_records, d.document, {}, 0.5, LengthTarget())
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


# ---------------------------------------------------------------- the page in a browser

def _chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit RGB/RGBA, non-interlaced): width, height, rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, colour = body[8], body[9]
            assert depth == 8 and colour in (2, 6) and body[12] == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def test_the_html_report_renders_in_headless_chromium(tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("没有安装 chromium（Debian：apt-get install chromium），跳过浏览器测试")
    # a hand-written draft with a planted error, so the drill-down has a marked span
    records = shutil.copy(HANDWRITTEN / "liuxi_county_2024.yaml", tmp_path / "liuxi.yaml")
    text = (HANDWRITTEN / "liuxi_county_2024.md").read_text(encoding="utf-8")
    planted = re.sub(r"(\d+)人", lambda m: f"{int(m.group(1)) + 7}人", text, count=1)
    assert planted != text
    write(tmp_path / "liuxi.md", planted)
    suite = write(tmp_path / "s.yaml", f"""
description: 浏览器测试
fixtures: [{records}, {FIXTURES / "lanshui_county.yaml"}]
defaults: {{assertions: [no_errors, fact_precision >= 1.0]}}
variants:
  - {{name: 模板, backend: template}}
  - {{name: 手写稿, backend: handwritten}}
""")
    out = tmp_path / "run"
    assert run_cli("eval", str(suite), "--out", str(out)).returncode == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<mark class="error"' in html
    page = (out / "report.html").as_uri()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1280,2000", page],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 20_000
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    colours = {row[x:x + 3] for row in rows[::40] for x in range(0, len(row), 3 * 37)}
    assert len(colours) > 20  # not a blank page
    dom = subprocess.run([browser, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120).stdout
    assert "<table" in dom and "变体对比" in dom and "<svg" in dom
    assert '<details class="place"' in dom and '<mark class="error"' in dom
    assert "与记录不符" in dom or "记录" in dom


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
