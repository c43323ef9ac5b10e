"""Issue 12, wording a careful clerk would sign (template drafter): a unit's own summary
speaks as 我局 after naming itself once; a plural subject only over several units; a part
opening that counts or names kinds as a clerk does; a lead that fits all its items; a unit
that directs a collective (校德育处组织各班…)."""

from __future__ import annotations

import re

import pytest

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting.selfname import self_word
from pipeline.model.records import Records
from pipeline.render import to_markdown


def _records(county: str, author: str | None, acts: list[dict], campaign: str = "民族团结进步示范创建",
             **extra) -> Records:
    data = {"county": county, "year": 2024, "campaign": campaign,
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
            "activities": [{"id": f"a{i}", **a} for i, a in enumerate(acts, start=1)],
            "plans": ["修订测评办法", "推动示范乡通过验收"], **extra}
    if author:
        data["author"], data["date"] = author, "2024-12-20"
    return Records.model_validate(data)


def _clean(records: Records) -> str:
    """The template draft, which must pass every check with no style finding."""
    text = to_markdown(draft_document(records))
    report = check(text, records)
    style = [(f.check, f.excerpt, f.message) for f in report.findings if f.check.startswith("style")]
    assert report.ok and not style, (style, [f.message for f in report.findings if f.severity == "error"])
    return text


def _body(text: str) -> list[str]:
    """The draft's sentences, title, headings and signature left out."""
    paragraphs = [p for p in text.split("\n\n") if p and not p.startswith("#")][:-1]
    return [s for p in paragraphs for s in re.findall(r"[^。：；]+[。：；]", p)]


BUREAU = "县民族宗教事务局"
BUREAU_ACTS = [
    {"date": "2024-03-01", "units": [BUREAU], "title": "召开全县创建工作推进会",
     "figures": [{"what": "参会人员", "value": 80, "unit": "人"}]},
    {"date": "2024-04-10", "units": [BUREAU], "title": "对申报县级示范单位开展实地评估",
     "figures": [{"what": "评估申报单位", "value": 27, "unit": "个"}]},
    {"date": "2024-05-20", "units": [BUREAU], "title": "命名第三批县级民族团结进步示范单位",
     "figures": [{"what": "命名示范单位", "value": 18, "unit": "个"}]},
    {"date": "2024-06-12", "units": [BUREAU, "县委党校"], "title": "举办全县民族工作干部培训班",
     "figures": [{"what": "培训干部", "value": 85, "unit": "名"}]},
    {"date": "2024-08-22", "units": [BUREAU, "县财政局"], "title": "争取少数民族发展资金支持民族村寨建设",
     "figures": [{"what": "实施项目", "value": 12, "unit": "个"}]},
    {"date": "2024-10-15", "units": [BUREAU], "title": "走访慰问少数民族困难家庭",
     "figures": [{"what": "走访慰问", "value": 30, "unit": "户"}]},
]


@pytest.mark.parametrize("unit, word", [
    ("县民族宗教事务局", "我局"), ("县民族宗教事务委员会", "我委"), ("县委统战部", "我部"),
    ("县委办公室", "我办"), ("县融媒体中心", "我中心"), ("县民宗委", "我委"), ("县委党校", "我校"),
    ("县民族团结进步创建工作领导小组", None),
])
def test_a_unit_calls_itself_by_its_own_kind_of_body(unit, word):
    assert self_word(unit) == word


def test_a_bureau_names_itself_once_then_writes_we():
    text = _clean(_records("柏溪县", "柏溪县民族宗教事务局", BUREAU_ACTS))
    sentences = _body(text)
    named = [s for s in sentences if BUREAU in s]
    # named in full where first said, then only beside another unit of the same list
    assert named[0] == next(s for s in sentences if BUREAU in s or "我局" in s)
    for s in named[1:]:
        assert re.search(rf"{BUREAU}[、和]|[、和]{BUREAU}", s), s
    subject = re.compile(rf"(?:^|，){BUREAU}(?![、和])")
    assert not [s for s in sentences[1:] if subject.search(s) and s != named[0]]
    assert "我局" in text and "下一步，我局将" in text
    assert "我局联合县财政局" in text  # another unit in the sentence: still clear who did what


def test_a_committee_writes_wo_wei():
    acts = [{**a, "units": ["县民族宗教事务委员会", *a["units"][1:]]} for a in BUREAU_ACTS]
    text = _clean(_records("柏溪县", "柏溪县民族宗教事务委员会", acts))
    assert "我委" in text and "我局" not in text


def test_a_county_summary_does_not_speak_as_one_bureau():
    """The bureau's work in the county's own summary (author: the county) is named, never 我局."""
    acts = [*BUREAU_ACTS, {"date": "2024-09-01", "units": ["县委统战部"], "title": "召开民族团结进步创建工作座谈会"},
            {"date": "2024-09-08", "units": ["县教育局"], "title": "开展民族团结进校园活动"},
            {"date": "2024-09-09", "units": ["县文化馆"], "title": "举办民族团结主题文艺演出"}]
    text = _clean(_records("柏溪县", "柏溪县人民政府", acts))
    assert "我局" not in text and "我部" not in text
    assert f"，{BUREAU}" in text


PLURAL = re.compile(r"(?:^|，)(?:各单位|各学校|学校各部门|各相关单位|各级各部门)")
ONE_UNIT_ACTS = [
    {"date": "2024-09-02", "title": "举办民族团结知识竞赛", "figures": [{"what": "参赛人员", "value": 120, "unit": "名"}]},
    {"date": "2024-09-05", "title": "开展民族团结进校园活动", "figures": [{"what": "参与学生", "value": 600, "unit": "人次"}]},
    {"date": "2024-09-09", "title": "走访慰问少数民族困难家庭", "figures": [{"what": "走访慰问", "value": 20, "unit": "户"}]},
    {"date": "2024-09-12", "title": "举办民族团结主题文艺演出", "figures": [{"what": "演出节目", "value": 12, "unit": "个"}]},
    {"date": "2024-09-15", "title": "开设民族团结宣传专栏", "figures": [{"what": "刊发稿件", "value": 20, "unit": "篇"}]},
    {"date": "2024-09-20", "title": "开展民族政策宣讲", "figures": [{"what": "听众", "value": 300, "unit": "人次"}]},
]


@pytest.mark.parametrize("county, author, unit", [
    ("澜水县", "澜水县人民政府", "县文化馆"),
    ("青禾县民族中学", "青禾县民族中学", "校团委"),
    ("枫林街道", "枫林街道办事处", "枫林小学"),
])
def test_work_of_one_unit_has_no_plural_subject(county, author, unit):
    acts = [{**a, "units": [unit]} for a in ONE_UNIT_ACTS]
    text = _clean(_records(county, author, acts, campaign="民族团结进步宣传月"))
    assert not [s for s in _body(text) if PLURAL.search(s)], [s for s in _body(text) if PLURAL.search(s)]
    assert text.count(unit) > len(acts)  # the unit is the subject of its own work's leads too


def test_work_of_several_units_keeps_the_plural():
    units = ["县文化馆", "县教育局", "县民族宗教事务局", "县融媒体中心", "县委宣传部", "县司法局"]
    acts = [{**a, "units": [u]} for a, u in zip(ONE_UNIT_ACTS, units)]
    acts += [{**a, "date": a["date"][:-1] + "8", "units": [u]} for a, u in zip(ONE_UNIT_ACTS, reversed(units))]
    text = _clean(_records("澜水县", "澜水县人民政府", acts, campaign="民族团结进步宣传月"))
    assert [s for s in _body(text) if PLURAL.search(s)]
