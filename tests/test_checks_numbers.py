"""Number and date spans (pipeline.checks.numbers): the measure word that follows a
number, approximation marks, and the words that only look like numbers (统一, 一些,
第一书记, 一带一路, 千家万户, 十分). The numeral parser itself: test_text.py."""

from __future__ import annotations

import pytest

from pipeline.checks.numbers import (
    base_unit,
    dates,
    parse_number,
    quantities,
    same_unit,
    units,
)


@pytest.mark.parametrize("text, value", [("1.2万", 12000), ("3千", 3000), ("36", 36), ("8.6万", 86000),
                                         ("1.5亿", 150_000_000), ("12,000", 12000)])
def test_arabic_and_mixed_numbers(text, value):
    assert parse_number(text) == value


def spans(text):
    return [(text[q.start:q.end], q.value, q.unit, q.mark, q.ordinal) for q in quantities(text)
            if not q.weak]


@pytest.mark.parametrize("text, expected", [
    ("参与群众800余人", [("800余人", 800, "人", "more", False)]),
    ("三十六人", [("三十六人", 36, "人", None, False)]),
    ("举办两场", [("两场", 2, "场", None, False)]),
    ("累计1.2万人次", [("1.2万人次", 12000, "人次", None, False)]),
    ("接待游客8.6万余人次", [("8.6万余人次", 86000, "人次", "more", False)]),
    ("收入3200余万元", [("3200余万元", 32_000_000, "元", "more", False)]),
    ("劳务收入1.5亿余元", [("1.5亿余元", 150_000_000, "元", "more", False)]),
    ("知晓率达95%", [("95%", 95, "%", None, False)]),
    ("达到百分之八十五", [("百分之八十五", 85, "%", None, False)]),
    ("举办第三届民族运动会", [("第三届", 3, "届", None, True)]),
    ("第十个", [("第十个", 10, "个", None, True)]),
    ("近1000人参加", [("近1000人", 1000, "人", "near", False)]),
    ("约300人左右", [("约300人左右", 300, "人", "about", False)]),
    ("超过200人", [("超过200人", 200, "人", "more", False)]),
    ("十余万人", [("十余万人", 100_000, "人", "more", False)]),
    ("共登记十八户四十七人", [("十八户", 18, "户", None, False), ("四十七人", 47, "人", None, False)]),
    ("全县23所中小学", [("23所", 23, "所", None, False)]),
    ("持续三个月", [("三个月", 3, "个月", None, False)]),
    ("修订村规民约6个", [("6个", 6, "个", None, False)]),
    ("在附近3个村", [("3个", 3, "个", None, False)]),
    ("提高5个百分点", [("5个百分点", 5, "个百分点", None, False)]),
])
def test_quantity_spans(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "统一部署", "一些群众", "第一书记", "一带一路", "千家万户", "十分重视", "一次", "开展一批活动",
    "唯一", "第二中学", "5G网络", "百姓", "万众一心", "二三十人", "十七八个",
])
def test_words_that_only_look_like_numbers(text):
    assert spans(text) == []


def test_a_bare_one_is_a_weak_count():
    # 一次, 一批 are articles; the checker counts 一场 only where a figure's `what` precedes it
    (q,) = quantities("宣讲一场")
    assert q.weak and q.value == 1 and q.unit == "场"
    assert not quantities("两场")[0].weak


def test_measure_words_come_from_the_data_file_longest_first():
    u = units()
    assert "人次" in u.words and "场次" in u.words and "万元" in u.words
    assert u.words.index("人次") < u.words.index("人")
    assert base_unit(8.6, "万人次") == (86000, "人次")
    assert base_unit(46, "万元") == (460000, "元")
    assert same_unit("人", "名") and same_unit("场", "场次")
    assert not same_unit("人", "户") and not same_unit("人", "人次")


def test_unknown_measure_word_is_kept():
    (q,) = quantities("参会单位32沓")
    assert q.unknown_unit and q.written_unit == "沓" and q.value == 32


@pytest.mark.parametrize("text, expected", [
    ("9月1日", (None, 9, 1, None, None, None)),
    ("9月15日至16日", (None, 9, 15, None, None, 16)),
    ("9月15日—18日", (None, 9, 15, None, None, 18)),
    ("9月28日至10月3日", (None, 9, 28, None, 10, 3)),
    ("2024年9月", (2024, 9, None, None, None, None)),
    ("2024年9月1日至30日", (2024, 9, 1, None, None, 30)),
    ("九月一日", (None, 9, 1, None, None, None)),
    ("9月中旬", (None, 9, None, None, None, None)),
])
def test_dates(text, expected):
    (d,) = dates(text)
    assert (d.y1, d.m1, d.d1, d.y2, d.m2, d.d2) == expected
    assert text.startswith(text[d.start:d.end]) and d.start == 0


@pytest.mark.parametrize("text", ["宣传月", "一个月", "三月三", "正月"])
def test_month_words_are_no_dates(text):
    assert dates(text) == []
