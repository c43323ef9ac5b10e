"""The input limits a user raises through the environment: a positive number works (in MB
for sizes); inf, 1e400, a negative number, zero or a word is a usage error for every
command (exit 2, the variable named, no traceback), never a silent default or a crash."""

from __future__ import annotations

import pytest

from conftest import DATA, run_cli
from pipeline import limits
from pipeline.cli import main

BAD = ("inf", "1e400", "-5", "0", "abc", "nan", "20MB")


@pytest.mark.parametrize("raw", BAD)
def test_a_value_that_is_no_limit_is_named(monkeypatch, raw):
    monkeypatch.setenv("ZONGJIE_MAX_FILE_MB", raw)
    assert limits.FILE_BYTES.value == limits.FILE_BYTES.default  # never a crash where it is read
    [problem] = limits.problems()
    assert "ZONGJIE_MAX_FILE_MB" in problem and "正数（单位 MB）" in problem and "默认值 20" in problem


def test_a_positive_value_is_the_limit(monkeypatch):
    monkeypatch.setenv("ZONGJIE_MAX_FILE_MB", "0.5")
    monkeypatch.setenv("ZONGJIE_MAX_YAML_ALIASES", "300")
    assert limits.FILE_BYTES.value == 512 * 1024 and limits.YAML_ALIASES.value == 300
    assert limits.problems() == []


def test_every_command_refuses_a_bad_limit_before_reading_input(monkeypatch, capsys):
    monkeypatch.setenv("ZONGJIE_MAX_SHEET_ROWS", "inf")
    monkeypatch.setenv("ZONGJIE_MAX_NESTING", "很多")
    for argv in (["validate", str(DATA / "spec_example.yaml")], ["check", str(DATA / "不存在.md")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "ZONGJIE_MAX_SHEET_ROWS" in err and "ZONGJIE_MAX_NESTING" in err and "默认值 100000" in err


def test_a_lowered_limit_is_obeyed(monkeypatch, capsys):
    monkeypatch.setenv("ZONGJIE_MAX_FILE_MB", "0.0001")  # 104 bytes: the example is larger
    assert main(["validate", str(DATA / "spec_example.yaml")]) == 2
    assert "文件过大" in capsys.readouterr().err


@pytest.mark.slow
def test_through_the_real_entry_point(tmp_path):
    done = run_cli("validate", str(DATA / "spec_example.yaml"), env={"ZONGJIE_MAX_FILE_MB": "1e400"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "ZONGJIE_MAX_FILE_MB" in done.stderr


def test_model_limits_in_the_config_file_are_refused_in_chinese(tmp_path):
    from pipeline.drafting.llm.config import resolve_endpoint
    from pipeline.errors import InputError

    cfg = tmp_path / "zongjie.toml"
    cfg.write_text('[profiles.x]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\napi_key_env = "X_KEY"\n'
                   'timeout = inf\nretry_budget = nan\ntimeuot = 5\nmax_retries = "三"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        resolve_endpoint("x", config_file=cfg, env={"X_KEY": "sk-x-12345678"})
    said = {p.path: p.message for p in exc.value.problems}
    assert "超出允许范围（应 ≤ 3600" in said["profiles.x.timeout"] and "inf" in said["profiles.x.timeout"]
    assert "nan" in said["profiles.x.retry_budget"]
    assert "应为整数" in said["profiles.x.max_retries"]
    assert "“timeout”" in said["profiles.x.timeuot"]  # a misspelt key is told its right spelling
    assert not any("Input should" in m for m in said.values())
