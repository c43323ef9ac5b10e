"""style.echo of a verb and object said again before the number, in part or after 共
(走访慰问辖区少数民族困难家庭，共走访少数民族困难家庭22户), and the drafter writing neither."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.drafting.planner import merged_sentences
from pipeline.model.records import Records
from pipeline.text.echo import pieces_said


def _echoes(text: str) -> list[str]:
    return [f.excerpt for f in check(text).findings if f.check == "style.echo"]


@pytest.mark.parametrize("text, excerpt", [
    # the verb and the object, with a word of the first clause left out
    ("10月8日，芦溪镇党委走访慰问辖区少数民族困难群众，慰问困难群众26户。", "慰问困难群众26户"),
    ("6月2日，石岭社区为少数民族流动人口推介就业岗位，推介岗位40个。", "推介岗位40个"),
    ("9月14日，县融媒体中心制作播出民族政策系列短视频，播出短视频6期。", "播出短视频6期"),
    ("5月20日，团结村在文化广场设置铸牢中华民族共同体意识宣传展板，设置展板16块。", "设置展板16块"),
    # after 共 / 累计: the object said again with its verb
    ("9月5日至20日，东岸社区、西岸社区先后走访慰问辖区少数民族困难家庭4次，共走访少数民族困难家庭31户。",
     "走访少数民族困难家庭31户"),
    ("4月至6月，各乡镇先后更新村级民族团结宣传栏，累计更新宣传栏57块。", "更新宣传栏57块"),
    ("全县组织开展少数民族企业和个体工商户走访，共计走访企业和个体工商户36家。", None),  # 走访 said last: no
])
def test_an_object_said_again_before_the_number_is_an_echo(text, excerpt):
    found = _echoes(text)
    assert found == ([excerpt] if excerpt else []), found


@pytest.mark.parametrize("text", [
    # the same words in another order name who or what was counted: published texts say so
    "5月15日至17日，县民宗局会同县委党校举办宗教教职人员政策法规培训班，培训宗教教职人员64名。",
    "9月10日，乡卫生院在上湾村开展各族群众健康义诊，义诊群众210人。",
    "县民族宗教事务局对申报县级示范单位开展实地评估，评估申报单位27个。",
    # after 共 the verb alone counts up what was done
    "9月2日至10日，永兴镇、青龙镇先后走访慰问少数民族困难群众4次，共走访慰问53户。",
    "各社区先后开展民族团结主题班会，共开展班会86个。",
    # another object after the verb
    "9月3日，县委统战部走访慰问少数民族困难家庭，发放慰问金2万元。",
])
def test_words_of_the_first_clause_in_another_order_or_the_verb_after_gong_are_no_echo(text):
    assert _echoes(text) == []


def test_pieces_are_found_in_order_and_long_phrases_are_not_searched():
    assert pieces_said("走访少数民族困难家庭", "走访慰问辖区少数民族困难家庭") == ["走访", "少数民族困难家庭"]
    assert pieces_said("评估申报单位", "对申报县级示范单位开展实地评估") is None  # 评估 comes last there
    assert pieces_said("走访家属", "走访慰问困难群众") is None  # 家属 was not said
    assert pieces_said("甲" * 30, "甲" * 40) is None


def test_the_drafter_says_a_sum_of_the_titles_own_words_as_its_number():
    acts = [{"id": f"v{i}", "date": f"2024-09-{5 + i:02d}", "units": [f"{name}社区"],
             "title": "走访慰问辖区少数民族困难家庭",
             "figures": [{"what": "走访少数民族困难家庭", "value": 10 + i, "unit": "户"},
                         {"what": "发放慰问金", "value": 1, "unit": "万元"}]}
            for i, name in enumerate(["东岸", "西岸"])]
    records = Records.model_validate({"county": "临江街道", "year": 2024, "campaign": "民族团结进步宣传月",
                                      "activities": acts})
    sentence = merged_sentences(records.activities, records, "次")[0].text
    assert "共21户、发放慰问金2万元" in sentence, sentence
    text = "一、为民服务\n\n" + sentence
    report = check(text, records)
    assert [f.check for f in report.findings if f.check == "style.echo" or f.severity == "error"] == [], \
        [(f.check, f.message) for f in report.findings]
