"""Checker recall on what 范文 copies contain (issue 13): masked and unfilled text
(residue.masked) and campaign ordinals (consistency.campaign)."""

from pathlib import Path

import pytest

from pipeline.checks import check
from pipeline.checks.campaign import campaigns, check_campaign, load_campaigns
from pipeline.checks.model import Context
from pipeline.inputs import load_records

DATA = Path(__file__).parent / "data"


def _masked(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.excerpt) for f in check(text).findings if f.check == "residue.masked"]


@pytest.mark.parametrize("line", [
    "2024年*月**日，镇党委召开专题会议。",
    "全镇建成民族团结进步示范点*个，覆盖各村。",
    "镇综治办选派x名干部驻村开展宣传。",
    "县民宗局召开推进会x次，研究部署重点任务。",
    "x县各乡镇同步开展主题宣传活动。",
    "活动在欢快的乐曲声中启动活动在欢快的乐曲声中拉开序幕。",
    "各村发放宣传资料共计三千余份。各村发放宣传资料共计三千余份。",
])
def test_masked_text_is_an_error_on_its_line(line):
    text = f"石泉镇民族团结进步宣传月工作总结\n\n今年以来，石泉镇扎实开展各项工作。\n{line}\n"
    errors = [f.line for f in check(text).findings if f.severity == "error"]
    assert errors and set(errors) == {4}  # x名, x次: residue.placeholder; the rest residue.masked


def test_empty_numbered_items():
    text = "一、主要做法\n1.开展宣传\n2、\n3、开展了\n4.召开座谈会\n"
    assert [n for n, _ in _masked(text)] == [3, 4]
    assert _masked("2、3、开展了座谈\n") and not _masked("1、2、3月份开展集中宣传\n")


@pytest.mark.parametrize("text", [
    "**一、主要做法**\n镇综合文化站举办**民族团结**主题展览，展出图片120幅。\n",
    "县民族宗教事务局在县民族宗教事务局会议室召开座谈会。\n",
    "石桥镇、滨江街道还先后召开工作会、召开安排会、召开工作会、召开安排会、召开安排会。\n",
    "引进X光机2台，参与者需携带XXL号服装。\n",
    "中华民族一家亲，同心共筑中国梦。\n",
])
def test_clean_text_is_not_masked(text):
    assert _masked(text) == []


def test_campaign_mix_in_title():
    text = "云岭县2024年民族团结进步宣传月暨民族团结教育月活动总结\n\n正文。\n"
    assert [n for n, _ in _masked(text)] == [1]


def _campaign(text: str, table=None):
    return [(f.line, f.message) for f in check_campaign(Context(text=text, records=None), table)]


def test_campaign_ordinal_must_fit_the_year():
    table = load_campaigns(DATA / "campaigns_test.yaml")
    good = "青川县2024年工作总结\n2024年9月是全省第35个民族团结进步宣传月。\n"
    bad = "青川县2024年工作总结\n2024年9月是全省第33个民族团结进步宣传月。\n"
    assert _campaign(good, table) == []
    (line, message), = _campaign(bad, table)
    assert line == 2 and "2024年是第35个" in message and "青川省" in message
    # The ordinal fixes the year: the year in the sentence, not the title's, is judged.
    assert _campaign("青川县2024年工作总结\n2019年9月是全省第30个民族团结进步宣传月。\n", table) == []
    # Another month: another province's campaign of the same name; the rule is silent.
    assert _campaign("青川县2024年工作总结\n2024年5月是全省第33个民族团结进步宣传月。\n", table) == []
    # Named region, Chinese numeral, no month needed.
    assert _campaign("总结\n2024年，青川第三十三个民族团结进步宣传月圆满结束。\n", table)


def test_campaign_rule_is_silent_without_entries():
    assert _campaign("2024年9月是全省第33个民族团结进步宣传月。\n", ()) == []


def test_shipped_campaigns_are_verified_and_used():
    table = campaigns()
    assert table and all(c.source.startswith("http") for c in table)
    gansu = next(c for c in table if c.region == "甘肃省")
    assert gansu.ordinal(2024) == 21
    found = check("2024年民族团结进步宣传月工作总结\n2024年5月是全省第20个民族团结进步宣传月。\n").findings
    assert [(f.line, f.check) for f in found if f.severity == "error"] == [(2, "consistency.campaign")]


def test_campaign_ordinal_is_no_record_fact():
    records = load_records(Path("fixtures/yunling_county.yaml"))[0]
    text = "云岭县2024年工作总结\n2024年9月是全省第10个民族团结进步宣传月，县民族宗教事务局开展活动。\n"
    assert not [f for f in check(text, records).findings if f.check == "facts.number"]
