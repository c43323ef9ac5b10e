"""A control character or a terminal escape sequence right before (or inside) a number
hides nothing from the checker: it reads the draft as a reader sees it (ESC[31m35个 is
35个, not 31 and m35), while the report keeps the draft's own columns and shows the
escape as its code (\\u001b)."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.checks.output import format_findings
from pipeline.text.chars import see_through

HEAD = "# 云岭县民族团结进步宣传月工作总结\n\n"
LINE = "9月2日，县委统战部召开任务部署会，参会单位{}个。\n"  # a01 records 参会单位 32个
BEFORE = ("\x1b[31m", "\x1b[0m", "\x1b[1;31m", "\x1b[38;5;196m", "\x9b31m", "\x1b]0;窗口\x07",
          "\x1b]2;t\x1b\\", "\x1b(B", "\x1bM", "\x1b", "\x07", "\x00", "\x7f", "\x85", "\u200b", "\u202e",
          "\u2066", "\ufeff", "\u00ad")


def _numbers(report) -> list:
    return [f for f in report.findings if f.check == "facts.number"]


@pytest.mark.parametrize("esc", BEFORE)
def test_a_wrong_number_after_an_escape_is_found(spec_records, esc):
    draft = HEAD + LINE.format(esc + "35")
    found = _numbers(check(draft, spec_records))
    assert len(found) == 1 and "“35个”" in found[0].message and "32个" in found[0].message
    # the column is the draft's as written: it points at the 3 of 35 behind the escape
    line = draft.split("\n")[found[0].line - 1]
    assert line[found[0].column - 1:].startswith("35个")


@pytest.mark.parametrize("esc", BEFORE)
def test_the_right_number_after_an_escape_stays_supported(spec_records, esc):
    assert not _numbers(check(HEAD + LINE.format(esc + "32"), spec_records))


@pytest.mark.parametrize("split", ["3\x1b[0m5", "3\u200b5", "3\x005"])
def test_an_escape_inside_a_number_does_not_cut_it(spec_records, split):
    found = _numbers(check(HEAD + LINE.format(split), spec_records))
    assert len(found) == 1 and "32个" in found[0].message


def test_a_number_in_a_window_title_sequence_is_still_checked(spec_records):
    # Word shows an OSC's payload as text: its figures are the draft's figures
    draft = HEAD + "9月2日，县委统战部召开任务部署会。\x1b]0;参会单位35个\x07\n"
    assert any("35个" in f.message for f in _numbers(check(draft, spec_records)))


def test_the_report_shows_the_escape_as_its_code_and_marks_the_number(spec_records):
    draft = HEAD + LINE.format("\x1b[31m35")
    out = format_findings(check(draft, spec_records), "草稿.md", draft)
    assert "\x1b" not in out and "\\u001b[31m35个" in out
    lines = out.split("\n")
    i = next(k for k, line in enumerate(lines) if "facts.number" in line)
    shown, marker = lines[i + 1], lines[i + 2]
    # the marker starts under the 3 of 35 (display columns: CJK two, \u001b six, ASCII one)
    from pipeline.checks.output import display_width

    assert display_width(marker[:marker.index("^")]) == display_width(shown[:shown.index("35个")])


def test_see_through_keeps_a_digit_a_sequence_may_not_own():
    # ESC 3 is no sequence a reader would miss a digit to: the 3 stays
    assert see_through("\x1b35个")[0] == "35个"
    text, cols = see_through("a\x1b[31m35")
    assert text == "a35" and [cols[i] for i in range(3)] == [0, 6, 7] and cols[-1] == 8
    assert see_through("plain 35个\t") == ("plain 35个\t", [])
