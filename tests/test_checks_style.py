"""style.echo, style.self_location, style.repeat: the rules that read the draft alone."""

from __future__ import annotations

import pytest

from pipeline.checks import check


def _style(text: str, family: str | None = None):
    found = [f for f in check(text).findings if f.check.startswith("style")]
    return [f for f in found if family is None or f.check == family]


# ---------------------------------------------------------------- echo

@pytest.mark.parametrize("text, excerpt", [
    ("9月25日，县民族宗教事务局走访慰问辖区少数民族困难群众，走访慰问15户。", "走访慰问15户"),
    ("9月12日，东城区司法局在广场发放宣传资料，宣传资料1000份。", "宣传资料1000份"),
    ("6月8日，旗民委开展宗教政策法规“进寺庙”宣讲，宣讲6场。", "宣讲6场"),
    ("9月3日，枫林街道协调解决少数民族居民子女入学问题，协调解决入学9人。", "协调解决入学9人"),
    ("5月10日，县实验学校开展民族团结主题班会，主题班会42场，参与学生1800人。", "主题班会42场"),
])
def test_a_noun_echoed_before_a_number_is_reported_at_the_number(text, excerpt):
    found = _style(text, "style.echo")
    assert [(f.excerpt, f.severity) for f in found] == [(excerpt, "warning")]
    assert text[found[0].column - 1:].startswith(excerpt)
    assert "前一分句" in found[0].message


@pytest.mark.parametrize("text", [
    # what a clerk writes: the number straight after the object
    "9月25日，县民族宗教事务局走访慰问辖区少数民族困难群众15户，发放慰问金3万元。",
    "发放宣传资料1000余份，接受群众咨询230人次。",
    # another noun before the number: not an echo
    "9月16日，镇卫生院在青山村开展义诊，服务群众115人。",
    "4月18日，区人社局举办少数民族群众就业技能培训班，培训学员120人。",
    # the number counts what follows it
    "9月27日，区委统战部印发《关于命名2023年度北岭区民族团结进步示范单位的决定》，命名六个区级民族团结进步示范单位。",
    # the echoed words stand only in a document title
    "3月5日，县民宗局印发《关于命名第三批县级民族团结进步示范单位的决定》，命名第三批县级民族团结进步示范单位12个。",
    # the subject of the first clause before a number of something else
    "9月28日，翠湖社区举办各族居民联欢会，各族居民自编自演节目12个，150人参与。",
    # 共/累计 count up what was said
    "全旗开展宣讲活动，共宣讲86场。",
])
def test_clean_figures_are_not_echoes(text):
    assert _style(text, "style.echo") == []


# ---------------------------------------------------------------- self-location

@pytest.mark.parametrize("text, name", [
    ("9月12日，白音希勒苏木在白音希勒苏木巴彦花嘎查组织牧民群众学习民族政策法规。", "白音希勒苏木"),
    ("9月3日，县民族宗教事务局在县民族宗教事务局会议室召开少数民族代表座谈会。", "县民族宗教事务局"),
    ("9月9日，青龙镇在青龙镇青龙村卫生室组织卫生院开展义诊。", "青龙镇"),
    ("5月20日，市第二中学在市第二中学报告厅举办民族团结主题讲座。", "市第二中学"),
    ("6月2日，南湖街道在南湖街道翠屏社区开展宣传。", "南湖街道"),
])
def test_a_subject_located_in_itself_is_reported_at_the_repeat(text, name):
    found = _style(text, "style.self_location")
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].excerpt == name
    assert text.index(name + "在" + name) + len(name) + 2 == found[0].column


@pytest.mark.parametrize("text", [
    "9月12日，白音希勒苏木在巴彦花嘎查组织牧民群众学习民族政策法规。",
    "9月3日，县民族宗教事务局在局机关会议室召开少数民族代表座谈会。",
    # a place at its own square or hall: as many published texts put it
    "9月6日，桂园社区在桂园社区广场举办“石榴籽·一家亲”邻里节。",
    "9月7日，县文化和旅游局、柳溪镇在柳溪镇滨河广场举办文艺汇演。",
    # 在 as part of a word
    "存在的问题主要是宣传形式单一，宣传内容存在同质化现象。",
])
def test_clean_locations_are_not_reported(text):
    assert _style(text, "style.self_location") == []


# ---------------------------------------------------------------- repeats

def test_a_clause_twice_in_a_row_is_an_error_at_the_second():
    text = "9月2日，区委统战部召开动员部署会，印发活动方案，印发活动方案，参会单位58个。"
    found = _style(text, "style.repeat")
    assert [(f.severity, f.excerpt) for f in found] == [("error", "印发活动方案")]
    assert found[0].column == text.rindex("印发活动方案") + 1
    assert not check(text).ok


def test_a_clause_pasted_back_to_back_without_punctuation_is_an_error():
    text = "9月5日，望月街道更新社区民族团结宣传栏更新社区民族团结宣传栏，营造浓厚氛围。"
    found = _style(text, "style.repeat")
    assert [f.severity for f in found] == ["error"]
    assert found[0].excerpt == "更新社区民族团结宣传栏"
    assert found[0].column == text.rindex("更新社区民族团结宣传栏") + 1


def test_an_item_twice_in_one_list_is_an_error_at_the_second():
    text = "此外，各社区还先后更新社区民族团结宣传栏、举办文艺演出、更新社区民族团结宣传栏等活动。"
    found = _style(text, "style.repeat")
    assert [(f.severity, f.excerpt) for f in found] == [("error", "更新社区民族团结宣传栏")]
    assert found[0].column == text.rindex("更新社区民族团结宣传栏") + 1


@pytest.mark.parametrize("text", [
    "推动民族团结进步宣传教育进机关、进学校、进社区、进乡村、进寺庙。",
    "促进各族群众相互了解、相互尊重、相互包容、相互欣赏、相互学习、相互帮助。",
    "参与学生、教师、家长共1200人次。",
    # the same word in a quote is not a list item
    "开展“进社区、进社区”主题宣讲。",
    # 文化站 inside 乡镇综合文化站 is another item
    "依托乡镇综合文化站、村文化站开展宣传。",
])
def test_lists_without_a_repeated_item_are_clean(text):
    assert _style(text, "style.repeat") == []


def test_the_same_sentence_twice_in_a_draft_is_a_warning_at_the_second():
    s = "各单位把民族团结进步宣传教育融入日常工作，形成了齐抓共管的工作格局。"
    text = f"一、主要做法\n\n{s}9月1日，县委召开部署会。\n\n二、取得成效\n\n9月9日，县一中举办讲座。{s}"
    found = _style(text, "style.repeat")
    assert [(f.severity, f.line) for f in found] == [("warning", 7)]
    assert "第3行" in found[0].message


def test_the_same_sentence_twice_in_a_row_is_an_error():
    s = "9月2日，新城街道在文化站广场举办民族团结主题文艺演出，观看群众600余人。"
    found = _style(s + s, "style.repeat")
    assert [f.severity for f in found] == ["error"]
    assert found[0].column == len(s) + 1


def test_short_set_phrases_may_recur():
    text = "一是加强组织领导。9月1日，旗委召开会议。\n二是加强组织领导。9月2日，旗民委召开会议。\n现将有关情况总结如下。"
    assert _style(text, "style.repeat") == []
