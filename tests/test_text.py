"""pipeline.text: the Chinese-text helpers every stage shares (numerals, dates, place
names, 《》 titles). Drafting writes with them and the checks read with them, so a
mistake here shows up as a draft the checker rejects or a wrong fact let through."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from pipeline.text.dates import cn_date, cn_date_range
from pipeline.text.numerals import CN_NUMERAL, cn_numeral, cn_to_int
from pipeline.text.places import (
    AUTONOMOUS,
    LEVEL_WORDS,
    LEVELS,
    level_of,
    split_level,
    stem_of,
)
from pipeline.text.titles import TITLE, titles

# ---------------------------------------------------------------- numerals: int → text


@pytest.mark.parametrize("n, text", [
    (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"),
    (21, "二十一"), (99, "九十九"), (0, "零"), (100, "一百"), (105, "一百零五"), (110, "一百一十"),
    (860, "八百六十"), (1001, "一千零一"), (2300, "二千三百"), (10_500, "一万零五百"),
    (100_000, "十万"), (123_456, "十二万三千四百五十六"),
])
def test_numeral_of_an_int(n, text):
    assert cn_numeral(n) == text


@pytest.mark.parametrize("n", [-1, 100_000_000])
def test_no_numeral_outside_the_range(n):
    with pytest.raises(ValueError):
        cn_numeral(n)


def test_heading_ordinals_run_without_a_leading_one():
    # 一、…十、十一、: headings and 一是/二是 items never write 一十
    assert [cn_numeral(n) for n in range(8, 14)] == ["八", "九", "十", "十一", "十二", "十三"]


# ---------------------------------------------------------------- numerals: text → int


@pytest.mark.parametrize("text, value", [
    ("三十六", 36), ("十", 10), ("十二", 12), ("两", 2), ("二十", 20), ("二十一", 21), ("一百零五", 105),
    ("两千三百", 2300), ("八百六十", 860), ("一万二千", 12000), ("十万", 100_000),
    ("三千二百万", 32_000_000), ("一亿二千万", 120_000_000), ("一亿零五百万", 105_000_000),
    ("十二万三千四百五十六", 123_456), ("三万亿", 3 * 10**12), ("二〇二四", 2024), ("一千零一", 1001),
    ("零", 0),
])
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["二三十", "十七八", "三五", "百十", "万万", "万", "两〇二四", "", "十个"])
def test_ranges_and_malformed_numerals_are_no_numbers(text):
    # 二三十人, 十七八个: approximations, not values a record could hold
    assert cn_to_int(text) is None


def test_parsing_undoes_formatting():
    for n in itertools.chain(range(2000), range(2000, 10**8, 7919)):
        assert cn_to_int(cn_numeral(n)) == n, n


def test_numbering_marks_are_exactly_the_numerals_one_to_ninety_nine():
    # The heading and item regexes admit 一 … 九十九 and nothing else, so reading a mark
    # with cn_to_int gives the number cn_numeral would write for it.
    alphabet = "一二三四五六七八九十"
    admitted = {"".join(p) for k in (1, 2, 3) for p in itertools.product(alphabet, repeat=k)
                if re.fullmatch(CN_NUMERAL, "".join(p))}
    assert admitted == {cn_numeral(n) for n in range(1, 100)}
    assert all(cn_to_int(cn_numeral(n)) == n for n in range(1, 100))


# ---------------------------------------------------------------- dates

d = dt.date


def test_a_day_without_leading_zeros():
    # GB/T 15835: Arabic numerals, no 09月03日
    assert cn_date(d(2024, 9, 3)) == "9月3日"
    assert cn_date(d(2024, 9, 3), with_year=True) == "2024年9月3日"


@pytest.mark.parametrize("start, end, with_year, text", [
    (d(2024, 9, 15), d(2024, 9, 16), False, "9月15日至16日"),
    (d(2024, 9, 1), d(2024, 9, 30), True, "2024年9月1日至30日"),
    (d(2024, 9, 28), d(2024, 10, 3), False, "9月28日至10月3日"),
    (d(2024, 9, 28), d(2024, 10, 3), True, "2024年9月28日至10月3日"),
    (d(2024, 12, 30), d(2025, 1, 2), False, "12月30日至2025年1月2日"),
    (d(2024, 12, 30), d(2025, 1, 2), True, "2024年12月30日至2025年1月2日"),
    (d(2024, 9, 3), None, False, "9月3日"),
    (d(2024, 9, 3), d(2024, 9, 3), True, "2024年9月3日"),
])
def test_date_ranges(start, end, with_year, text):
    assert cn_date_range(start, end, with_year) == text


# ---------------------------------------------------------------- place names


@pytest.mark.parametrize("name, level, stem", [
    ("云岭县", "县", "云岭"), ("石门区", "区", "石门"), ("乌兰达茂旗", "旗", "乌兰达茂"),
    ("峨溪彝族自治县", "县", "峨溪彝族"), ("鄂伦春自治旗", "旗", "鄂伦春"),
    ("达尔罕茂明安联合旗", "旗", "达尔罕茂明安"), ("东湖街道", "街道", "东湖"), ("先滩镇", "镇", "先滩"),
    ("金河乡", "乡", "金河"), ("滨江市", "市", "滨江"), ("县", "县", ""),
])
def test_level_and_stem_of_a_place(name, level, stem):
    assert level_of(name) == level
    assert stem_of(name) == stem


def test_a_name_without_a_level_suffix():
    assert level_of("东湖") is None and stem_of("东湖") == "东湖"
    assert split_level("东湖") is None


def test_the_longest_suffix_wins():
    # 自治县 ends in 县 and 联合旗 in 旗: the table must try the longer one first
    assert split_level("峨溪彝族自治县") == ("峨溪彝族", "自治县")
    assert split_level("达尔罕茂明安联合旗") == ("达尔罕茂明安", "联合旗")
    suffixes = list(LEVELS)
    for i, long in enumerate(suffixes):
        assert not any(long.endswith(short) and long != short for short in suffixes[:i]), long


def test_a_subset_of_suffixes_and_a_stem_required():
    # the fact index leaves 联合旗 to 旗 and never takes a whole name for a suffix
    assert split_level("达尔罕茂明安联合旗", AUTONOMOUS + LEVEL_WORDS) == ("达尔罕茂明安联合", "旗")
    assert split_level("自治县") == ("", "自治县")
    assert split_level("自治县", need_stem=True) == ("自治", "县")


def test_level_words():
    assert set(LEVEL_WORDS) == set(LEVELS.values()) == {"街道", "县", "区", "旗", "市", "镇", "乡"}
    assert "自治县" not in LEVEL_WORDS and "自治旗" not in LEVEL_WORDS
    assert {LEVELS[s] for s in AUTONOMOUS} == {"县", "旗"}


# ---------------------------------------------------------------- 《》 titles


def test_titles_with_their_spans():
    line = "根据《关于开展2024年民族团结进步宣传月活动的通知》和《实施方案》要求"
    found = titles(line)
    assert [t for _, _, t in found] == ["关于开展2024年民族团结进步宣传月活动的通知", "实施方案"]
    s, e, _ = found[1]
    assert line[s:e] == "《实施方案》"


@pytest.mark.parametrize("text, expected", [
    ("学习《中华人民共和国民族区域自治法》", ["中华人民共和国民族区域自治法"]),
    ("《未闭合的标题", []),
    ("《》", []),  # empty marks: nothing cited
    ("《外《内》》", ["内"]),
    ("《" + "长" * 121 + "》", []),
    ("《" + "长" * 120 + "》", ["长" * 120]),
])
def test_title_pattern(text, expected):
    assert [m.group(1) for m in TITLE.finditer(text)] == expected
