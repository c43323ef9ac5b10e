"""The ledger's cells one at a time, pipeline/inputs/ledger_cells.py: figures, dates, periods
and the 重点 flag, with a message naming what is wrong and how to write it."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.inputs.ledger_cells import (
    CellError,
    parse_date,
    parse_figures,
    parse_flag,
    parse_range,
)

D = dt.datetime


@pytest.mark.parametrize("cell, expected", [
    ("参与群众300人；发放宣传册2000份",
     [("参与群众", 300, "人", False), ("发放宣传册", 2000, "份", False)]),
    ("观看群众800余人，发放宣传资料1.2万份",
     [("观看群众", 800, "人", True), ("发放宣传资料", 12000, "份", False)]),
    ("发放慰问金5万元、慰问物资价值1.2万元", [("发放慰问金", 5, "万元", False), ("慰问物资价值", 1.2, "万元", False)]),
    ("服务群众约300人\n提供岗位近600个；开展活动56场次",
     [("服务群众", 300, "人", True), ("提供岗位", 600, "个", False), ("开展活动", 56, "场次", False)]),  # 近: below, never 余
    ("参与师生3万人次; 覆盖学生2,600多人", [("参与师生", 30000, "人次", False), ("覆盖学生", 2600, "人", True)]),
    ("走访户数15户；设立服务点3处。", [("走访户数", 15, "户", False), ("设立服务点", 3, "处", False)]),
    ("受益群众1.5万余人", [("受益群众", 15000, "人", True)]),
    ("发放奖金3000元", [("发放奖金", 3000, "元", False)]),
    ("参与群众３００人", [("参与群众", 300, "人", False)]),
])
def test_figures(cell, expected):
    got = [(f["what"], f["value"], f["unit"], f["approx"]) for _, f in parse_figures(cell)]
    assert got == expected
    assert all(type(v) is type(e[1]) for (_, v, _, _), e in zip(got, expected))  # 12000, not 12000.0


@pytest.mark.parametrize("cell, wanted", [
    ("参与群众很多", ["无法识别“参与群众很多”：缺少数字，应写作“事项+数字+单位”，如“参与群众300人”"]),
    ("参与群众300", ["无法识别“参与群众300”：数字后缺少单位，应写作如“参与群众300个”；常用单位：人、"]),
    ("300人", ["无法识别“300人”：缺少所计的事项"]),
    ("参与群众300人；发放若干；观看100沓", ["无法识别“发放若干”", "无法识别“观看100沓”：单位“沓”不在量词表中"]),
])
def test_bad_figures_name_every_fragment(cell, wanted):
    with pytest.raises(CellError) as info:
        parse_figures(cell)
    assert len(info.value.messages) == len(wanted)
    for message, start in zip(info.value.messages, wanted):
        assert message.startswith(start)


@pytest.mark.parametrize("cell", [D(2024, 9, 2), dt.date(2024, 9, 2), "2024-09-02", "2024/9/2", "2024.9.2",
                                  "2024年9月2日", "9月2日", "9月2号", " 2024-9-2 ", 20240902, 45537])
def test_date_formats(cell):
    assert parse_date(cell, 2024) == dt.date(2024, 9, 2)


@pytest.mark.parametrize("cell, year, message", [
    ("2024-09-31", 2024, "日期“2024-09-31”不存在：9月没有31日"),
    ("2023-02-29", 2024, "日期“2023-02-29”不存在：2月没有29日"),
    ("2024年13月1日", 2024, "日期“2024年13月1日”不存在：月份应为1至12"),
    ("9月2日", None, "“9月2日”缺少年份"),
    ("下旬", 2024, "无法识别日期“下旬”"),
])
def test_bad_dates(cell, year, message):
    with pytest.raises(CellError) as info:
        parse_date(cell, year)
    assert info.value.messages[0].startswith(message)


@pytest.mark.parametrize("cell, start, end", [
    ("2024-09-01至2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024-09-01—2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024-09-01-2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月1日至30日", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月25日至10月8日", (2024, 9, 25), (2024, 10, 8)),
    ("9月1日～9月30日", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月", (2024, 9, 1), (2024, 9, 30)),
])
def test_periods(cell, start, end):
    assert parse_range(cell, 2024) == (dt.date(*start), dt.date(*end))


def test_a_single_date_is_not_a_range():
    assert parse_range("2024-09-02", 2024) is None and parse_range(D(2024, 9, 2), 2024) is None


@pytest.mark.parametrize("cell, flag", [("是", True), ("✓", True), ("√", True), (1, True), (True, True), ("Y", True),
                                        ("否", False), (None, False), ("", False), (0, False), ("×", False)])
def test_highlight_values(cell, flag):
    assert parse_flag(cell) is flag


def test_highlight_rejects_anything_else():
    with pytest.raises(CellError, match="应填“是”或留空"):
        parse_flag("可能")
