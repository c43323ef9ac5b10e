"""Place kind and campaign kind (prompts/lexicon/kinds.yaml, pipeline/text/kinds.py): the
template drafter says 全校/学校/师生 in a school, speaks as the bureau in a county bureau's
own summary, calls a 创建 创建工作; style.stock flags the words of the wrong kind."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting.selfname import self_word
from pipeline.model.records import Records
from pipeline.render import to_markdown
from pipeline.text import kinds

ACTS = [
    {"id": "a1", "date": "2025-05-06", "units": ["{own}"], "title": "召开工作部署会",
     "figures": [{"what": "参会人员", "value": 60, "unit": "人"}]},
    {"id": "a2", "date": "2025-05-09", "units": ["{own}"], "title": "开展民族政策宣讲",
     "figures": [{"what": "听众", "value": 300, "unit": "人次"}]},
    {"id": "a3", "date": "2025-05-12", "units": ["{own}"], "title": "举办民族团结主题文艺演出",
     "figures": [{"what": "观看群众", "value": 500, "unit": "人", "approx": True}]},
    {"id": "a4", "date": "2025-05-15", "units": ["{own}", "{other}"], "title": "走访慰问少数民族困难家庭",
     "figures": [{"what": "走访慰问", "value": 20, "unit": "户"}]},
    {"id": "a5", "date": "2025-05-20", "units": ["{own}"], "title": "开展民族团结知识竞赛",
     "figures": [{"what": "参赛人员", "value": 120, "unit": "名"}]},
]


def _records(county, campaign, author=None, own="县委统战部", other="县民族宗教事务局") -> Records:
    acts = [{**a, "units": [u.format(own=own, other=other) for u in a["units"]]} for a in ACTS]
    data = {"county": county, "year": 2025, "campaign": campaign, "activities": acts,
            "period": {"start": "2025-05-01", "end": "2025-05-31"},
            "plans": ["推动宣传教育常态化", "建立长效机制"]}
    if author:
        data["author"] = author
        data["date"] = "2025-06-05"
    return Records.model_validate(data)


@pytest.mark.parametrize("county, author, units, kind, subject", [
    ("云岭县", None, ["县委统战部"], "县", "云岭县"),
    ("峨溪彝族自治县", None, ["县委统战部"], "自治县", "峨溪彝族自治县"),
    ("石门区", "中共石门区委统战部", ["区委统战部"], "区", "石门区"),
    ("乌兰达茂旗", None, ["旗委统战部"], "旗", "乌兰达茂旗"),
    ("马鞍镇", "中共马鞍镇委员会", ["镇党委"], "镇", "马鞍镇"),
    ("杏花乡", None, ["乡党委"], "乡", "杏花乡"),
    ("白音希勒苏木", None, ["苏木党委"], "苏木", "白音希勒苏木"),
    ("东湖街道", "中共东湖街道工作委员会", ["街道党工委"], "街道", "东湖街道"),
    ("青禾县民族中学", "青禾县民族中学", ["校党支部"], "学校", "青禾县民族中学"),
    ("平川县", "平川县红旗中学", ["平川县红旗中学"], "学校", "平川县红旗中学"),
    # a bureau that led most of the work writes its own summary ...
    ("柏溪县", "柏溪县民族宗教事务局", ["县民族宗教事务局"] * 4 + ["县委党校"], "部门", "县民族宗教事务局"),
    # ... but one that reports the whole county's month writes for the county
    ("松河县", "松河县民族宗教事务局", ["县民族宗教事务局", "县佛教协会", "县融媒体中心", "县委统战部"], "县", "松河县"),
    ("云岭县", "中共云岭县委统战部", ["中共云岭县委统战部"], "县", "云岭县"),
])
def test_the_place_kind_is_read_from_the_names(county, author, units, kind, subject):
    assert kinds.place_kind(county, author, units) == (kind, subject)


@pytest.mark.parametrize("campaign, kind", [
    ("宗教政策法规学习宣传月", "宗教政策法规学习宣传月"),
    ("民族团结进步示范创建", "创建"),
    ("民族团结进步创建活动", "创建"),
    ("民族团结教育月", "教育月"),
    ("民族团结进步周", "周"),
    ("民族团结进步宣传月", "宣传月"),
    ("铸牢中华民族共同体意识主题活动", "neutral"),
])
def test_the_campaign_kind_is_read_from_the_name(campaign, kind):
    assert kinds.campaign_kind(campaign) == kind


PLACES = [  # (county, author, own unit, whole, leaders or subject said)
    ("云岭县", "中共云岭县委统战部", "县委统战部", "全县", "县委、县政府"),
    ("峨溪彝族自治县", None, "县委统战部", "全县", "县委、县政府"),
    ("石门区", None, "区委统战部", "全区", "区委、区政府"),
    ("乌兰达茂旗", None, "旗委统战部", "全旗", "旗委、旗政府"),
    ("马鞍镇", "中共马鞍镇委员会", "镇党委", "全镇", "镇党委、镇政府"),
    ("杏花乡", None, "乡党委", "全乡", "乡党委、乡政府"),
    ("白音希勒苏木", None, "苏木党委", "全苏木", "苏木党委、政府"),
    ("东湖街道", None, "街道党工委", "全街道", "街道党工委、办事处"),
    ("青禾县民族中学", "青禾县民族中学", "校党支部", "全校", "学校"),
    ("柏溪县", "柏溪县民族宗教事务局", "县民族宗教事务局", "全县", "县民族宗教事务局"),
]
CAMPAIGNS = ["民族团结进步宣传月", "民族团结进步示范创建", "民族团结进步周", "民族团结教育月",
             "宗教政策法规学习宣传月", "铸牢中华民族共同体意识主题活动"]


def _draft(records: Records) -> str:
    return to_markdown(draft_document(records))


@pytest.mark.parametrize("campaign", CAMPAIGNS)
@pytest.mark.parametrize("county, author, own, whole, leaders", PLACES, ids=[p[0] for p in PLACES])
def test_template_drafts_speak_as_their_place_and_campaign(county, author, own, whole, leaders, campaign):
    records = _records(county, campaign, author, own=own)
    text = _draft(records)
    k = kinds.kinds_of(county, campaign, author, [a.units[0] for a in records.activities])
    for word, _ in kinds.avoided(k, drafting=True):
        assert word not in text, word
    report = check(text, records)
    assert not [f for f in report.findings if f.check.startswith("style")], \
        [(f.check, f.excerpt, f.message) for f in report.findings if f.check.startswith("style")]
    assert report.ok
    opening = text.split("\n\n")[1]
    if "创建" in campaign:
        assert f"{campaign}工作" in opening and f"{campaign}活动" not in text
    else:
        assert f"{campaign}活动" in opening or campaign.endswith("活动")
    if k.place == "学校":
        assert "各族群众" not in text and "全县" not in text and "县委、县政府" not in text
    if k.place == "部门":  # named once, then the bureau's own 我局 (pipeline/drafting/selfname.py)
        assert f"下一步，{self_word(own)}将" in text and own in opening
    if "期间" in text.split("\n\n")[1]:
        assert kinds.during(k, 2025) in text


def test_the_school_fixture_says_school_words():
    from pipeline.inputs import load_records
    records = load_records("fixtures/qinghe_school_education_month.yaml")[0]
    text = _draft(records)
    assert "全校" in text and "学校高度重视" in text
    for word in ("全县", "县委、县政府", "各族群众", "活动期间"):
        assert word not in text, word


def test_the_bureau_fixture_calls_its_creation_work():
    from pipeline.inputs import load_records
    records = load_records("fixtures/baixi_county_bureau_creation.yaml")[0]
    text = _draft(records)
    assert "民族团结进步示范创建工作" in text
    assert "民族团结进步示范创建活动" not in text and "活动期间" not in text
    assert "县民族宗教事务局以铸牢中华民族共同体意识为主线" in text


@pytest.mark.parametrize("text, word", [
    ("县委、县政府高度重视民族团结教育工作。", "县委、县政府"),
    ("教育月期间，全县开展主题班会36场。", "全县"),
    ("各级各部门把教育月活动作为一项重要任务来抓。", "各级各部门"),
])
def test_a_school_text_with_county_words_is_warned(text, word):
    records = _records("青禾县民族中学", "民族团结教育月", "青禾县民族中学", own="校党支部")
    found = [f for f in check(text, records).findings if f.check == "style.stock"]
    assert [(f.excerpt, f.severity) for f in found] == [(word, "warning")]


def test_a_school_text_may_send_pupils_to_villages_and_cite_county_words_from_records():
    records = _records("青禾县民族中学", "民族团结教育月", "青禾县民族中学", own="校党支部")
    text = "学校组织师生进乡村开展社会实践，邀请县司法局民警进校园开展法治讲座。"
    assert [f for f in check(text, records).findings if f.check == "style.stock"] == []


@pytest.mark.parametrize("text, word", [
    ("县民族宗教事务局扎实开展民族团结进步示范创建活动。", "民族团结进步示范创建活动"),
    ("活动期间，县民族宗教事务局命名示范单位18个。", "活动期间"),
])
def test_a_creation_text_calling_itself_an_activity_is_warned(text, word):
    records = _records("柏溪县", "民族团结进步示范创建", "柏溪县民族宗教事务局", own="县民族宗教事务局")
    found = [f for f in check(text, records).findings if f.check == "style.stock"]
    assert [(f.excerpt, f.severity) for f in found] == [(word, "warning")]


def test_a_campaign_named_an_activity_by_its_records_is_not_warned():
    records = _records("苍岩苗族自治县", "民族团结进步创建活动", "苍岩苗族自治县民族宗教事务局")
    text = "苍岩苗族自治县深入开展民族团结进步创建活动。活动期间，全县命名示范单位12个。"
    assert [f for f in check(text, records).findings if f.check == "style.stock"] == []


def test_the_rewrite_leaves_facts_alone():
    """Only sentences citing no record are rewritten: a school's record that says 群众 keeps it."""
    records = _records("青禾县民族中学", "民族团结教育月", "青禾县民族中学", own="校党支部")
    assert records.activities[2].figures[0].what == "观看群众"
    text = _draft(records)
    assert "观看群众500余人" in text


def test_a_religion_summary_plans_along_its_own_line():
    k = kinds.kinds_of("松河县", "宗教政策法规学习宣传月", None, ["县民族宗教事务局"])
    said = kinds.rewrite("下一步，松河县将坚持以铸牢中华民族共同体意识为主线，重点做好以下工作：", k)
    assert said == "下一步，松河县将坚持我国宗教中国化方向，重点做好以下工作："
    unity = kinds.kinds_of("云岭县", "民族团结进步宣传月", None, ["县委统战部"])
    assert "铸牢中华民族共同体意识" in kinds.rewrite("下一步，云岭县将坚持以铸牢中华民族共同体意识为主线", unity)
