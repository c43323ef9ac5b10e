"""A list of dates in one month names the month once (9月4日、19日): the drafter writes it so,
and every fact check reads each listed day as a date of that month, not as a figure."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline import draft_document
from pipeline.checks import check
from pipeline.checks.numbers import dates
from pipeline.inputs import load_records
from pipeline.model.records import Records
from pipeline.render import to_markdown
from pipeline.text.dates import cn_date_list
from conftest import fixture_files


@pytest.mark.parametrize("text, want", [
    ("9月4日、19日，", [(9, 4, None), (9, 19, None)]),
    ("9月4日、19日和25日", [(9, 4, None), (9, 19, None), (9, 25, None)]),
    ("9月28日至10月3日、5日", [(9, 28, 3), (10, 5, None)]),
    ("9月4日、12日至13日", [(9, 4, None), (9, 12, 13)]),
    ("9月4日、5个社区", [(9, 4, None)]),  # a count after the date is not a day
    ("9月4日、10月5日", [(9, 4, None), (10, 5, None)]),
])
def test_listed_days_take_the_month_before_them(text, want):
    assert [(d.m1, d.d1, d.d2) for d in dates(text)] == want


def test_a_listed_day_points_at_itself():
    text = "9月4日、19日，社区开展宣讲"
    spans = dates(text)
    assert text[spans[1].start:spans[1].end] == "19日"


def test_the_list_writes_a_month_once():
    days = [dt.date(2025, 9, 4), dt.date(2025, 9, 19), dt.date(2025, 10, 8), dt.date(2025, 10, 9)]
    assert cn_date_list(days) == "9月4日、19日、10月8日、9日"


def _records() -> Records:
    return Records.model_validate({
        "county": "梨花街道", "year": 2025, "campaign": "民族团结进步宣传月",
        "activities": [
            {"id": "a", "date": "2025-09-04", "units": ["梨花社区"], "title": "开展民族政策宣讲进楼栋",
             "figures": [{"what": "参加居民", "value": 40, "unit": "人"}]},
            {"id": "b", "date": "2025-09-19", "units": ["杏林社区"], "title": "开展民族政策宣讲进楼栋",
             "figures": [{"what": "参加居民", "value": 35, "unit": "人"}]},
        ]})


def test_a_hand_written_date_list_is_proven_and_a_wrong_day_is_a_wrong_date():
    records = _records()
    head = "# 梨花街道2025年民族团结进步宣传月工作总结\n\n## 一、开展宣讲\n\n"
    good = head + "9月4日、19日，梨花社区、杏林社区先后开展民族政策宣讲进楼栋，共参加居民75人。\n"
    report = check(good, records)
    assert not [f for f in report.findings if f.check.startswith("facts.")], report.findings
    assert report.stats.records_covered == 2
    bad = good.replace("19日，", "18日，")
    wrong = [f for f in check(bad, records).findings if f.check.startswith("facts.")]
    assert [f.check for f in wrong] == ["facts.date"]
    assert bad.splitlines()[wrong[0].line - 1][wrong[0].column - 1:].startswith("18日")


def test_template_drafts_name_a_month_once_in_a_date_list():
    repeated = re.compile(r"(\d{1,2})月\d{1,2}日、\1月\d{1,2}日")
    for path in fixture_files():
        md = to_markdown(draft_document(load_records(path)[0]))
        assert not repeated.search(md), (path.name, repeated.search(md).group())
