"""The command line through its real entry point, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import DATA, ROOT, bad_files, fixture_files, run_cli


@pytest.mark.slow
@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_every_fixture_drafts_cleanly(path, tmp_path):
    out = tmp_path / "总结.md"
    result = run_cli("draft", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ") and "Traceback" not in result.stderr
    report = json.loads((tmp_path / "总结.md.check.json").read_text(encoding="utf-8"))
    assert report["ok"] is True and report["findings"] == []


@pytest.mark.slow
@pytest.mark.parametrize("path", bad_files(), ids=lambda p: p.name)
def test_bad_input_exits_2_and_writes_nothing(path, tmp_path):
    out = tmp_path / "out" / "总结.md"
    result = run_cli("draft", str(path), "-o", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith(f"{path.name}:"), first  # file:line, then the field path
    assert not (tmp_path / "out").exists()
    assert run_cli("validate", str(path)).returncode == 2


@pytest.mark.slow
def test_missing_file_exits_2(tmp_path):
    result = run_cli("draft", str(tmp_path / "无.yaml"))
    assert result.returncode == 2 and "文件不存在" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_draft_to_stdout_and_json_format(tmp_path):
    result = run_cli("draft", str(DATA / "spec_example.yaml"))
    assert result.returncode == 0
    assert result.stdout.startswith("# 云岭县2024年民族团结进步宣传月工作总结")
    result = run_cli("draft", str(DATA / "spec_example.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    assert data["title"] == "云岭县2024年民族团结进步宣传月工作总结"
    assert any("a02" in s["sources"] for sec in data["sections"] for p in sec["paragraphs"]
               for s in p["sentences"])
    out = tmp_path / "d.json"
    assert run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["county"] == "云岭县"


@pytest.mark.slow
def test_unknown_output_format_is_usage_error(tmp_path):
    result = run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and ".pdf" in result.stderr and not list(tmp_path.iterdir())


@pytest.mark.slow
def test_validate_reports_warnings_but_passes(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8").replace(
        "date: 2024-09-24", "date: 2024-10-24")
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert "警告" in result.stderr and "activities[3].date" in result.stderr


@pytest.mark.slow
def test_check_finds_a_planted_error(tmp_path):
    md = run_cli("draft", str(DATA / "spec_example.yaml")).stdout
    bad = tmp_path / "草稿.md"
    bad.write_text(md.replace("1500份", "1600份"), encoding="utf-8")
    result = run_cli("check", str(bad), "--records", str(DATA / "spec_example.yaml"))
    assert result.returncode == 1
    line = md.split("\n").index(next(l for l in md.split("\n") if "1500份" in l)) + 1
    assert f"草稿.md:{line}:" in result.stdout
    report = json.loads(run_cli("check", str(bad), "--records", str(DATA / "spec_example.yaml"),
                                "--json").stdout)
    assert report["ok"] is False
    assert any(f["line"] == line and f["check"] == "facts.number" for f in report["findings"])


# Unmarked, unlike the runs above: these return before anything heavy is imported
# (~0.05 s each), and they are the fast loop's only tests of pipeline/cli.py.
def test_help_imports_nothing_heavy():
    code = ("import sys, pipeline.cli as c; c.build_parser().format_help(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('langchain_openai','langchain_core','openai','pydantic','docx','yaml')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_console_script_help():
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0 and "draft" in result.stdout and "退出码" in result.stdout


def test_usage_errors_are_chinese_and_exit_2(tmp_path):
    result = run_cli("draft", cwd=tmp_path)
    assert result.returncode == 2 and "用法错误：缺少参数：记录" in result.stderr
    result = run_cli("draft", "x.yaml", "--backend", "foo", cwd=tmp_path)
    assert result.returncode == 2 and "参数 --backend 的值“foo”无效" in result.stderr
    assert "Traceback" not in result.stderr
