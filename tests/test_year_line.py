"""consistency.year asks each line once (pipeline/checks/year_line.py): the bisection lookup
of the title a year stands in answers as the scan over every title did."""

import re

import pytest

from pipeline.checks.year_line import Line

LINES = [
    "按照《关于开展2023年民族团结进步宣传月活动的通知》和《2024年工作要点》要求，2024年全县开展活动。",
    "转发《〈2022年实施方案〉的补充通知》，2021年以来，《2023年计划》《2024年安排》相继印发。",
    "2024年，本县印发《2024年民族团结进步创建工作方案》",
    "没有书名号的一行：2023年、2022年、2021年开展宣传活动，",
    "《未闭合的2023年书名" + "2024年、" * 50,
]


@pytest.mark.parametrize("line", LINES)
def test_the_title_a_year_stands_in_is_the_one_the_scan_finds(line):
    view = Line(line)
    for m in re.finditer(r"\d{4}", line):
        s = m.start()
        scan = next(((bs, be, t) for bs, be, t in view.books if bs < s < be), None)
        assert view.book(s) == scan


def test_a_line_is_asked_about_its_future_words_and_its_lead_once():
    view = Line("  一、2025年将继续开展活动")
    assert view.future() and view.lead == 4
    assert not Line("2024年开展活动").future()


@pytest.mark.parametrize("spans", [[], [(0, 5)], [(3, 9), (0, 4), (20, 22)], [(0, 30), (2, 3), (5, 7)],
                                   [(4, 4), (1, 2), (1, 8)]])
def test_covered_answers_as_inside_does(spans):
    from pipeline.checks.structure import Covered, inside

    covered = Covered(spans)
    for start in range(0, 32):
        for end in range(start, start + 4):
            assert covered(start, end) == inside(spans, start, end), (start, end)
