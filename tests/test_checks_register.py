"""residue.placeholder and register (语体), and the word lists behind them."""

from __future__ import annotations

import re

import pytest

from pipeline.checks import FAMILIES
from pipeline.checks.model import Context
from pipeline.checks.structure import alternation, first_chars
from pipeline.resources import load_yaml

TITLE = "# 云岭县2024年民族团结进步宣传月工作总结\n\n"


def run(family: str, text: str, records=None):
    return FAMILIES[family].run(Context(text=text, records=records))


def residue(body: str):
    return run("residue.placeholder", TITLE + body + "\n")


def reg(body: str, title: str = TITLE):
    return run("register", title + body + "\n")


# ---------------------------------------------------------------- the word lists

@pytest.mark.parametrize("name", ["stale", "colloquial", "placeholders", "slogans", "levels", "register"])
def test_lexicon_files_load(name):
    data = load_yaml(f"lexicon/{name}.yaml")
    assert data


def test_lexicon_entries_are_well_formed():
    for e in load_yaml("lexicon/stale.yaml"):
        assert {"name", "pattern", "valid_until", "replaced_by", "reason"} <= set(e), e
        assert e["valid_until"] is None or isinstance(e["valid_until"], int)
        assert e.get("severity", "error") in ("error", "warning")
        re.compile(e["pattern"])
    for e in load_yaml("lexicon/colloquial.yaml"):
        assert ("text" in e) != ("pattern" in e) and e["reason"], e
    for e in load_yaml("lexicon/placeholders.yaml"):
        # residue.py finds the entry by the name of its group: no capturing groups inside
        assert re.compile(e["pattern"]).groups == 0, e["name"]
        assert e["reason"]
    for e in load_yaml("lexicon/slogans.yaml"):
        assert e["text"] and e["reason"]


def test_alternation_gate_keeps_every_hit():
    patterns = [e["pattern"] for e in load_yaml("lexicon/placeholders.yaml")]
    assert first_chars("|".join(patterns))  # the gate applies
    assert first_chars(r"\s+x") is None and first_chars(r"a?") is None
    gated, plain = alternation(patterns), re.compile("|".join(f"(?:{p})" for p in patterns))
    text = "XX县于20XX年X月X日（ ）某某、××、___、○○、□□、{county}、待补充、供您参考，分享时间：。"
    assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]


# ---------------------------------------------------------------- residue.placeholder

@pytest.mark.parametrize("body,hit", [
    ("XX县开展活动", "XX"), ("由xx街道组织", "xx"), ("XXX社区", "XXX"), ("于20XX年举办", "20XX"),
    ("20xx年", "20xx"), ("X月X日召开", "X"), ("××同志", "××"), ("共***人", "***"),
    ("第__个民族团结进步宣传月", "__"), ("第＿＿届", "＿＿"), ("某某单位", "某某"),
    ("【 】乡镇", "【 】"), ("[ ]村", "[ ]"), ("○○村", "○○"), ("{county}扎实开展", "{county}"),
    ("参与群众（  ）人", "（  ）"), ("数据待补充", "待补充"), ("以下是网友为您整理的范文", "网友为您整理"),
])
def test_placeholders_are_errors(body, hit):
    found = residue(body)
    assert found and found[0].severity == "error" and found[0].excerpt == hit
    assert found[0].line == 3 and found[0].column == body.index(hit) + 1


@pytest.mark.parametrize("body", [
    "XXL号文化衫", "详见 http://xx.gov.cn/a.html", "邮箱 xxhash@example.com", "二〇〇八年",
    "2008年", "X光检查", "__init__", "***", "第三届民族团结进步联谊会", "“三个离不开”“五个认同”",
])
def test_not_placeholders(body):
    assert residue(body) == []


# ---------------------------------------------------------------- register: stale formulations

@pytest.mark.parametrize("body,year,hit", [
    ("结合“七五”普法活动", 2022, "“七五”普法"),
    ('结合"七五"普法活动', 2021, '"七五"普法'),
    ("结合七五普法活动", 2024, "七五普法"),
    ("落实“十三五”规划", 2021, "“十三五”"),
    ("学习贯彻党的十九大精神", 2023, "党的十九大精神"),
    ("学习十九届六中全会精神", 2024, "十九届六中全会精神"),
    ("筑牢中华民族共同体意识", 2024, "筑牢中华民族共同体意识"),
    ("筑牢中华民族共同体意识", 2015, "筑牢中华民族共同体意识"),
    ("深入开展“两学一做”", 2022, "“两学一做”"),
    ("决胜全面建成小康社会", 2022, "决胜全面建成小康社会"),
])
def test_stale_formulations_are_errors(body, year, hit):
    found = [f for f in reg(body, f"# 云岭县{year}年民族团结进步宣传月工作总结\n\n")
             if f.severity == "error"]
    assert [f.excerpt for f in found] == [hit]
    assert "应为" in found[0].message


@pytest.mark.parametrize("body,year", [
    ("结合“七五”普法活动", 2019), ("落实“十三五”规划", 2020), ("学习贯彻党的十九大精神", 2021),
    ("“十三五”时期取得显著成效", 2022), ("“十三五”期间", 2023), ("落实“十四五”规划", 2025),
    ("铸牢中华民族共同体意识", 2024), ("党的十八大以来", 2024), ("“八五”普法", 2024),
])
def test_formulations_in_their_time_are_fine(body, year):
    assert reg(body, f"# 云岭县{year}年民族团结进步宣传月工作总结\n\n") == []


def test_stale_judged_by_records_year(spec_records):
    text = TITLE.replace("2024", "2019") + "结合“七五”普法活动\n"
    # the title says 2019, the records 2024: the records decide
    assert run("register", text) == []
    [f] = run("register", text, spec_records)
    assert f.excerpt == "“七五”普法" and "2024年" in f.message


def test_stale_year_from_issue_date_without_title():
    text = "民族团结进步宣传月工作总结\n\n结合“七五”普法活动。\n\n中共云岭县委统战部\n2023年10月12日\n"
    [f] = run("register", text)
    assert f.excerpt == "“七五”普法"


# ---------------------------------------------------------------- register: warnings

def warnings(body):
    found = reg(body)
    assert all(f.severity == "warning" for f in found)
    return found


def test_half_width_punctuation_one_finding_per_line():
    [f] = warnings("加强领导,落实要求;做到:早谋划!")
    assert f.column == 5 and "“,”" in f.message and "“;”" in f.message and "“:”" in f.message
    [f] = warnings('开展"民族团结"活动(共3场)')
    assert f.excerpt == '"' and "“(”" in f.message
    assert warnings("上午9:30，发放LED屏1,200块，TEL: 123") == []


def test_unpaired_quotes_and_brackets():
    [f] = warnings("开展“民族团结一家亲活动。")
    assert f.excerpt == "“" and "”" in f.message
    [f] = warnings("发放宣传册（共1500份。")
    assert f.excerpt == "（"
    [f] = warnings("印发关于开展活动的通知》。")
    assert f.excerpt == "》"
    assert warnings("开展“‘民族团结’一家亲”活动（含《读本》）。") == []


def test_dun_hao_between_quoted_items():
    found = warnings("开展“石榴籽”、“一家亲”活动，印发《方案》、《通知》。")
    assert [(f.excerpt, f.column) for f in found] == [("、", 8), ("、", 23)]
    assert warnings("开展“石榴籽”“一家亲”活动，印发《方案》《通知》。") == []


@pytest.mark.parametrize("body,hit", [
    ("**重点**工作", "**"), ("见[链接](http://a.cn)", "[链接](http://a.cn)"), ("#话题#活动", "#"),
    ("TODO 补充数据", "TODO"), ("Note：待核", "Note"), ("活动 summary 如下", "summary"),
    ("换行<br>标记", "<br>"), ("`代码`", "`"),
])
def test_markdown_and_english_leftovers(body, hit):
    found = warnings(body)
    assert hit in [f.excerpt for f in found]


def test_allowed_markdown_and_english():
    assert warnings("在LED电子屏、学习强国App、H5页面和微信公众号播放。") == []
    assert run("register", "# 标题\n\n## 一、加强领导\n\n**二、丰富载体**\n") == []


def test_lines_without_chinese():
    text = TITLE + "正文。\n\n35 3719963\n\");\n\n- 3 -\n\n---\n"
    found = run("register", text)
    assert [(f.line, f.excerpt) for f in found] == [(5, "35 3719963"), (6, '");')]


def test_first_person_singular():
    [f] = warnings("我认为活动效果很好。")
    assert f.excerpt == "我"
    ok = ("我县、我市、我区、我局、我部、我们、我国、我镇、我旗、我乡、我州、自我革命、我委、"
          "从我做起、“我为群众办实事”“我们都是一家人”“我和我的祖国”，舍小我为大我")
    assert warnings(ok) == []


@pytest.mark.parametrize("body,hit", [
    ("大家搞了个活动", "搞了"), ("效果挺好", "挺好"), ("咱们县", "咱们"), ("这是啥", "啥"),
    ("活动特别棒", "特别棒"), ("超级热闹", "超级"), ("好多群众参加", "好多"), ("开始吧。", "吧"),
])
def test_colloquial_words(body, hit):
    found = warnings(body)
    assert [f.excerpt for f in found] == [hit]


def test_official_words_are_not_colloquial():
    assert warnings("搞好民族团结，防止搞形式、走过场，坚决不搞一刀切。红军挺进，挺起脊梁，野蛮生长。"
                    "到网吧、书吧开展检查。活动名称为“咱们村的好日子”。") == []


def test_false_alarm_traps_across_register():
    body = ("引导各族群众牢固树立“三个离不开”思想，不断增强“五个认同”，举办第三届民族团结进步运动会，"
            "我县各族群众积极参与。")
    assert reg(body) == [] and residue(body) == []
