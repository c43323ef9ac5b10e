"""Escape sequences in a draft, a record or a file name never reach the terminal: check
reports and messages show control characters as codes (\\u001b), and the marker under a
finding still stands under its span."""

from __future__ import annotations

import pytest
from conftest import DATA, run_cli

from pipeline.checks import check
from pipeline.checks.output import display_width, format_findings
from pipeline.inputs import load_records

ESCAPES = ("\x1b[2J", "\x1b]0;窗口标题\x07", "\x9b31m", "\x1b[31m")
DRAFT = ("# 云岭县\x1b[31m民族团结进步宣传月工作总结\n\n"
         "9月2日，县委统战部召开\x1b]0;窗口标题\x07任务部署会，参会\x1b[2J单位35个。\x9b31m\n")


def _no_escape(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


def test_check_report_shows_codes_not_escapes():
    records, _ = load_records(DATA / "spec_example.yaml")
    report = check(DRAFT, records)
    out = format_findings(report, "草稿.md", DRAFT)
    _no_escape(out)
    assert "\\u001b[2J" in out and "\\u009b31m" in out
    assert any(f.check == "facts.number" and "35" in f.message for f in report.findings)


def test_marker_stays_under_its_span_after_the_codes():
    records, _ = load_records(DATA / "spec_example.yaml")
    report = check(DRAFT, records)
    lines = format_findings(report, "草稿.md", DRAFT).split("\n")
    i = next(k for k, line in enumerate(lines) if "facts.number" in line and "35" in line)
    shown, marker = lines[i + 1], lines[i + 2]
    col = marker.index("^")
    # the marker's display column is where “35个” begins in the shown line
    prefix = shown[: shown.index("35个")]
    assert display_width(marker[:col]) == display_width(prefix)


@pytest.mark.slow
def test_check_through_the_cli(tmp_path):
    path = tmp_path / "草稿.md"
    path.write_text(DRAFT, encoding="utf-8")
    done = run_cli("check", str(path), "--records", str(DATA / "spec_example.yaml"))
    assert done.returncode == 1
    _no_escape(done.stdout + done.stderr)
    assert "\\u001b" in done.stdout


@pytest.mark.slow
def test_bad_record_value_and_file_name_in_messages(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "云岭县.yaml").write_text(text.replace("county: 云岭县", 'county: "云岭\\e[31m县"'), encoding="utf-8")
    (bad / "澜水\x1b[5m县.yaml").write_text("county: [\n", encoding="utf-8")
    done = run_cli("validate", str(bad / "云岭县.yaml"))
    assert done.returncode == 2 and "U+001B" in done.stderr
    _no_escape(done.stdout + done.stderr)
    done = run_cli("batch", str(bad), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    _no_escape(done.stdout + done.stderr)
    assert "澜水\\u001b[5m县.yaml" in done.stderr


def test_draft_sentences_from_a_model_carry_no_escapes():
    from pipeline.model.document import Sentence

    for esc in ESCAPES:
        _no_escape(Sentence(text=f"全县开展活动{esc}3场。").text)
