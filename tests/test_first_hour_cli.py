"""Issue 16, a clerk's first hour at the command line: help in Chinese throughout, and no
silent surprises. Every test runs the installed `zongjie` console script."""

from __future__ import annotations

import csv
import json
import re

import pytest

from conftest import FIXTURES
from test_first_hour_ledgers import filled_ledger, zongjie

COMMANDS = ("draft", "check", "validate", "batch", "eval", "schema")
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments",
                    "show this help message and exit", "RECORDS", "OUTPUT")
MODEL_OPTIONS = ("--backend", "--model", "--profile", "--config", "--no-cache", "--cache")


@pytest.mark.slow
def test_every_help_is_chinese_and_shows_only_what_applies(tmp_path):
    helps = {}
    for args in [("--help",), *((c, "--help") for c in COMMANDS)]:
        result = zongjie(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        for english in ARGPARSE_ENGLISH:
            assert english not in out, (args, english)
        assert out.startswith("用法：") and "显示本帮助并退出" in out
        helps[args[0]] = out
    for command in ("draft", "validate"):
        assert ".xlsx" in helps[command] and ".yaml" in helps[command] and ".json" in helps[command]
    for command in ("validate", "schema", "check"):
        assert not [o for o in MODEL_OPTIONS if o in helps[command]], command
    for command in ("draft", "batch"):
        assert all(o in helps[command] for o in MODEL_OPTIONS)
    for command in ("validate", "schema"):  # a description between the usage and the arguments
        body = helps[command].split("\n\n")[1]
        assert re.search(r"[\u4e00-\u9fff]{8}", body) and "位置参数" not in body


@pytest.mark.slow
def test_format_and_output_suffix_that_disagree_are_refused(tmp_path):
    records = str(FIXTURES / "yunling_county.yaml")
    result = zongjie("draft", records, "-o", "a.md", "--format", "docx", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--format docx 与 -o a.md 的后缀“.md”不符" in result.stderr and "-o a.docx" in result.stderr
    assert not list(tmp_path.glob("a.*"))  # nothing written
    result = zongjie("draft", records, "-o", "a.docx", "--format", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"


@pytest.mark.slow
def test_a_configured_key_switching_to_the_model_is_said(tmp_path, srv):
    env = {"OPENAI_API_KEY": "sk-first-hour-secret", "OPENAI_BASE_URL": srv.base_url, "ZONGJIE_MODEL": "m"}
    result = zongjie("draft", str(FIXTURES / "yunling_county.yaml"), "-o", "a.md", cwd=tmp_path, env=env)
    notice = [line for line in result.stderr.splitlines() if line.startswith("提示：")]
    assert notice and "OPENAI_API_KEY" in notice[0] and "llm 后端" in notice[0]
    assert "--backend template" in notice[0]
    assert "sk-first-hour-secret" not in result.stderr + result.stdout
    result = zongjie("draft", str(FIXTURES / "yunling_county.yaml"), "-o", "b.md", "--backend", "template",
                     cwd=tmp_path, env=env)
    assert result.returncode == 0 and "提示：" not in result.stderr  # chosen, so nothing to say


@pytest.mark.slow
def test_batch_of_a_folder_of_ledgers_with_chinese_statuses_and_no_fake_tokens(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    filled_ledger(folder / "桂溪县.xlsx", "发放宣传品500袋")
    filled_ledger(folder / "石湾区.xlsx", "发放宣传品500沓", 县名="石湾区")
    (folder / "~$桂溪县.xlsx").write_bytes(b"lock")  # Excel's lock file beside an open workbook
    result = zongjie("batch", str(folder), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr  # one place has a bad cell
    assert "没有记录文件" not in result.stderr
    assert result.stderr.count("500沓") == 1  # the table points below, the message says it once
    with open(tmp_path / "out" / "汇总.csv", encoding="utf-8-sig") as f:
        rows = {r["地区"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"桂溪县", "石湾区"}
    assert rows["桂溪县"]["状态"] in ("通过", "有错误") and rows["石湾区"]["状态"] == "失败"
    assert all(r["tokens"] == "" and r["费用"] == "" for r in rows.values())
    assert (tmp_path / "out" / "桂溪县.md").read_text(encoding="utf-8").startswith("# ")


def test_a_gate_met_does_not_hide_cases_that_failed():
    from pipeline.evals.report import console_summary

    agg = {"cases": 5, "passed": 0, "errored": 0, "assertion_rate": 0.8}
    meta = {"suite": {"description": "套件", "path": "s.yaml"}, "run_id": "r", "seconds": 1.0,
            "variants": [], "aggregates": {"variants": {"精简提示词": agg}},
            "gate": [{"variant": "精简提示词", "metric": "fact_precision", "minimum": 1.0, "value": 1.0,
                      "pass": True, "source": "套件", "reason": "事实准确率 100.0%"}]}
    line = console_summary(meta).splitlines()[-1]
    assert line.startswith("门槛：全部达到（事实准确率 ≥ 1）") and "精简提示词 通过 0/5" in line
    agg["passed"] = 5
    assert console_summary(meta).splitlines()[-1] == "门槛：全部达到（事实准确率 ≥ 1）"


@pytest.mark.slow
def test_schema_command_gives_either_schema(tmp_path):
    records = json.loads(zongjie("schema", cwd=tmp_path).stdout)
    suite = json.loads(zongjie("schema", "eval-suite", cwd=tmp_path).stdout)
    assert "activities" in records["properties"] and "variants" in suite["properties"]


@pytest.mark.slow
def test_eval_names_cases_that_failed_under_a_gate_met(tmp_path):
    suite = tmp_path / "套件.yaml"
    suite.write_text(f"""description: 门槛达到而用例未通过
defaults:
  thresholds: {{fact_precision: 1.0}}
fixtures: ["{FIXTURES / 'yunling_county.yaml'}"]
variants:
  - name: 模板
    backend: template
    assertions:
      - not_contains: 云岭县
""", encoding="utf-8")
    result = zongjie("eval", str(suite), "--out", str(tmp_path / "run"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # the gate is met
    gate = [line for line in result.stdout.splitlines() if line.startswith("门槛")]
    assert gate == ["门槛：全部达到（事实准确率 ≥ 1）；门槛之外，用例未全部通过：模板 通过 0/1"]
