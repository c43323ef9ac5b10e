"""style.lead, style.stock, style.signature, style.wording."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.checks import check
from pipeline.model.records import Records


def _records(county="云岭县", campaign="民族团结进步宣传月", **kw) -> Records:
    data = {"county": county, "year": 2024, "campaign": campaign,
            "activities": [{"id": "a1", "date": "2024-09-03", "units": ["县委统战部"], "title": "召开部署会"}]}
    data.update(kw)
    return Records.model_validate(data)


def _style(text, records=None, family=None):
    return [f for f in check(text, records).findings
            if f.check.startswith("style") and (family is None or f.check == family)]


# ---------------------------------------------------------------- lead

@pytest.mark.parametrize("text, lead", [
    ("二、主要做法\n\n一是营造浓厚舆论氛围。9月20日，县林业局开展森林防火检查，检查乡镇14个。", "营造浓厚舆论氛围"),
    ("一是深入基层开展宣传。3月9日，县财政局下达少数民族发展专项资金，扶持资金1280万元。", "深入基层开展宣传"),
    ("（二）用好媒体平台\n7月18日，县文旅局举办第十二届彝族火把节，实现旅游综合收入8600万元。", "用好媒体平台"),
    ("一是开展走访慰问。5月12日，区教育局举办中小学书法比赛，参赛作品300件。", "开展走访慰问"),
])
def test_a_lead_that_does_not_fit_its_activities_is_a_warning_at_the_lead(text, lead):
    found = _style(text, family="style.lead")
    assert [(f.excerpt, f.severity) for f in found] == [(lead, "warning")]
    line = text.split("\n")[found[0].line - 1]
    assert line[found[0].column - 1:].startswith(lead)


@pytest.mark.parametrize("text", [
    "一是营造浓厚舆论氛围。9月3日，旗融媒体中心推出蒙汉双语系列报道，播发稿件38篇。",
    "二是宣传教育进校园。9月10日，县第一中学开展主题班会，参与师生1350人。",
    "（一）深入基层开展宣传\n9月6日，桂园社区举办邻里节，辖区居民400余人参加。",
    "三是开展走访慰问。9月20日，街道工委走访慰问少数民族困难家庭60户。",
    # a lead of its own words, not a topic the classifier knows
    "（一）高位推动，早作安排。9月1日，区委统战部召开专题会议研究部署宣传月工作。",
    # problems and plans: no activities under them
    "一是互嵌式社区配套服务设施有待完善。部分小区公共服务设施不足，各族居民交往交流的空间有限。",
    # a long lead: a sentence, not a topic
    "（二）把学习成果转化为安全管理成效。6月20日，县民宗局组织全县宗教活动场所开展消防安全检查，检查场所28处。",
])
def test_leads_that_fit_or_cannot_be_judged_are_clean(text):
    assert _style(text, family="style.lead") == []


# ---------------------------------------------------------------- stock

def test_a_stock_phrase_of_another_campaign_is_a_warning():
    records = _records(county="松河县", campaign="宗教政策法规学习宣传月")
    text = "松河县高度重视民族团结进步宣传教育工作，将宣传月纳入年度重点工作。"
    found = _style(text, records, "style.stock")
    assert [(f.excerpt, f.column) for f in found] == [("民族团结进步宣传教育", text.index("民族团结") + 1)]
    assert "宗教政策法规学习宣传月" in found[0].message


def test_another_campaign_named_in_the_text_is_a_warning_but_not_in_a_title_or_quote():
    records = _records(county="苍岩苗族自治县", campaign="民族团结进步创建活动")
    text = ("苍岩苗族自治县扎实开展民族团结进步宣传月，全县共开展活动13项。\n"
            "县民宗局印发《关于开展民族团结进步宣传月活动的通知》，举办“民族团结进步宣传月”启动仪式。")
    found = _style(text, records, "style.stock")
    assert [(f.line, f.excerpt) for f in found] == [(1, "民族团结进步宣传月")]


def test_the_records_own_campaign_and_theme_are_clean():
    records = _records(county="雁山县", campaign="宗教政策法规学习宣传月")
    text = "雁山县扎实开展宗教政策法规学习宣传月活动，持续提升宗教工作法治化水平。"
    assert _style(text, records, "style.stock") == []


@pytest.mark.parametrize("county, text, word", [
    ("东湖街道", "推动民族团结进步宣传教育进机关、进社区、进乡村。", "进乡村"),
    ("云岭县", "9月12日，县民宗局在巴彦花嘎查开展政策宣讲。", "嘎查"),
    ("河西镇", "镇司法所深入各苏木开展普法宣传。", "苏木"),
])
def test_a_place_word_that_does_not_fit_the_place_is_a_warning(county, text, word):
    found = _style(text, _records(county=county), "style.stock")
    assert [f.excerpt for f in found] == [word]
    assert text[found[0].column - 1:].startswith(word)


@pytest.mark.parametrize("county, text", [
    ("乌兰达茂旗", "9月12日，白音希勒苏木在巴彦花嘎查组织牧民群众学习民族政策法规。"),
    ("石门区", "推动民族团结进步宣传教育进机关、进社区、进乡村。"),
    ("先滩镇", "推动宣传教育进村入户、进乡村。"),
    # a school has no place level: nothing is judged
    ("县第一中学", "组织师生进乡村开展社会实践。"),
])
def test_place_words_that_fit_are_clean(county, text):
    assert _style(text, _records(county=county), "style.stock") == []


def test_a_place_word_the_records_themselves_give_is_clean():
    records = _records(county="云岭县", activities=[{"id": "a1", "date": "2024-09-03", "units": ["县委统战部"],
                                                   "title": "召开部署会", "place": "巴彦花嘎查"}])
    assert _style("9月3日，县委统战部在巴彦花嘎查召开部署会。", records, "style.stock") == []


# ---------------------------------------------------------------- signature

_BODY = "一、主要做法\n\n9月3日，县委统战部召开部署会。\n\n"


def test_a_signature_without_the_recorded_date_and_unit_is_reported():
    records = _records(author="中共云岭县委统战部", date=dt.date(2024, 10, 12))
    found = _style(_BODY + "云岭县\n", records, "style.signature")
    assert len(found) == 2 and {f.severity for f in found} == {"warning"}
    assert all(f.line == 5 for f in found)
    assert any("2024年10月12日" in f.message for f in found)
    assert any("中共云岭县委统战部" in f.message for f in found)


def test_a_full_signature_is_clean_and_records_without_one_ask_for_nothing():
    records = _records(author="中共云岭县委统战部", date=dt.date(2024, 10, 12))
    assert _style(_BODY + "中共云岭县委统战部\n2024年10月12日\n", records, "style.signature") == []
    assert _style(_BODY + "中共云岭县委统战部\n二〇二四年十月十二日\n", records, "style.signature") == []
    assert _style(_BODY + "云岭县\n", _records(), "style.signature") == []


def test_an_alias_signs_for_the_author():
    records = _records(author="云岭县民族宗教事务局", date=dt.date(2024, 10, 12),
                       aliases={"云岭县民族宗教事务局": ["县民宗局"]})
    assert _style(_BODY + "县民宗局\n2024年10月12日", records, "style.signature") == []


# ---------------------------------------------------------------- wording

def test_odd_words_are_warnings_with_the_fix():
    found = _style("9月5日，镇文化站放映民族团结主题电影，受众群众540人次。", family="style.wording")
    assert [f.excerpt for f in found] == ["受众群众"]
    assert "宜写作" in found[0].message


def test_an_outlet_reporting_its_own_piece_is_a_warning():
    text = ("9月3日至28日，旗融媒体中心推出系列报道，播发双语稿件38篇，"
            "乌兰达茂旗融媒体中心、乌兰达茂发布等媒体进行了报道。")
    found = _style(text, family="style.wording")
    assert [f.excerpt for f in found] == ["乌兰达茂旗融媒体中心"]
    assert text[found[0].column - 1:].startswith("乌兰达茂旗融媒体中心")


@pytest.mark.parametrize("text", [
    "9月7日，柳溪镇在滨河广场举办文艺汇演，吸引1200余人现场观看，柳溪县融媒体中心进行了报道。",
    "区融媒体中心开设专栏，刊发稿件88条，“锦川发布”等平台进行了转载。",
    "影片放映受众广泛，群众反响热烈。",
])
def test_ordinary_reporting_and_words_are_clean(text):
    assert _style(text, family="style.wording") == []
