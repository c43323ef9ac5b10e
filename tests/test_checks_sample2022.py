"""The flawed 范文 copied from last year (tests/data/sample-summary-2022.txt, a copy of
../shared/reference/sample-summary-2022.txt), checked WITHOUT records: every copy error
the README promises to catch is reported at its line."""

from __future__ import annotations

import re

import pytest

from pipeline.checks import check
from pipeline.checks.output import format_findings

from conftest import DATA

SAMPLE = DATA / "sample-summary-2022.txt"


@pytest.fixture(scope="module")
def text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(text):
    return check(text)


def hits(report, check_name, severity="error"):
    return [f for f in report.findings if f.check == check_name and f.severity == severity]


def test_not_ok(report):
    assert report.ok is False


def test_2024_title_over_2022_content(report, text):
    [f] = [f for f in hits(report, "consistency.year") if f.line == 1]
    assert text.split("\n")[0].startswith("县2024年")
    assert f.excerpt == "2024" and "2022年" in f.message


def test_the_2021_notice(report):
    [f] = [f for f in hits(report, "consistency.year") if "2021" in f.excerpt]
    assert f.line == 10
    assert f.excerpt == "《关于开展2021年全市民族团结进步宣传月活动的通知》"
    assert "2022年" in f.message


def test_no_other_year_errors(report):
    # 2022 is the year the content is about: its notices and plans are not flagged
    assert sorted(f.line for f in hits(report, "consistency.year")) == [1, 10]


def test_other_level_units_in_a_county_text(report):
    found = [f for f in hits(report, "consistency.place") if f.line == 14]
    assert [f.excerpt for f in found[:2]] == ["区教体局", "区妇联"]


def test_another_citys_slogan(report):
    [f] = [f for f in hits(report, "consistency.place") if "首善之区" in f.excerpt]
    assert f.line == 14 and f.excerpt == "引领时尚的国际化首善之区"


def test_stale_qiwu_pufa(report):
    [f] = [f for f in hits(report, "register")]
    assert f.line == 26 and "七五" in f.excerpt and "八五" in f.message


def test_xx_placeholders(report, text):
    lines = text.split("\n")
    xx = [f for f in hits(report, "residue.placeholder") if set(f.excerpt) <= {"X"}]
    expected = sorted({i + 1 for i, line in enumerate(lines) if "XX" in line})
    assert sorted({f.line for f in xx}) == expected == [10, 14, 18, 22, 24, 26, 28]
    for f in xx:  # each finding points at its XX
        assert lines[f.line - 1][f.column - 1:].startswith(f.excerpt)
    assert len(xx) == sum(len(re.findall("X{2,}", line)) for line in lines)


def test_web_page_leftovers(report):
    lines = {f.line for f in hits(report, "residue.placeholder") if "XX" not in f.excerpt}
    assert {3, 5} <= lines
    assert {30, 31} <= {f.line for f in hits(report, "register", "warning") if "没有中文" in f.message}


def test_half_width_punctuation_warned_once_per_line(report):
    half = [f for f in hits(report, "register", "warning") if "半角标点" in f.message]
    assert len(half) == len({f.line for f in half}) and {12, 14, 26} <= {f.line for f in half}


def test_compiler_style_output(report, text):
    out = format_findings(report, "sample-summary-2022.txt", text)
    assert "sample-summary-2022.txt:26:" in out and "错误[register]" in out
    assert out.rstrip().split("\n")[-1].startswith("共 ")
