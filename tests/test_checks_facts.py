"""The fact-checking families (facts.number, facts.date, facts.entity, facts.document,
coverage): supported facts pass, planted errors are caught at the right line with a
message naming the record, and the false-alarm traps stay quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, fixture_files
from pipeline.checks import FAMILIES, check
from pipeline.drafting import draft_document
from pipeline.inputs import load_records
from pipeline.inputs.records import records_from_data
from pipeline.render import to_markdown

FACT_FAMILIES = ("facts.number", "facts.date", "facts.entity", "facts.document", "coverage")

RECORDS = {
    "county": "云岭县", "year": 2024, "campaign": "民族团结进步宣传月",
    "period": {"start": "2024-09-01", "end": "2024-09-30"},
    "author": "中共云岭县委统战部", "date": "2024-10-15",
    "basis": [{"issuer": "市委宣传部、市委统战部", "title": "关于印发2024年全市民族团结进步宣传教育工作实施方案的通知"}],
    "aliases": {"县委统一战线工作部": ["县委统战部"]},
    "activities": [
        {"id": "a01", "date": "2024-09-02", "units": ["县委统战部", "县委宣传部"], "title": "召开宣传月任务部署会",
         "documents": ["关于开展2024年全县民族团结进步宣传月活动的通知"],
         "figures": [{"what": "参会单位", "value": 32, "unit": "个"}]},
        {"id": "a02", "date": "2024-09-10", "units": ["城关镇"],
         "title": "举办“中华民族一家亲 同心共筑中国梦”文艺汇演", "place": "城关镇文化广场",
         "figures": [{"what": "观看群众", "value": 800, "unit": "人", "approx": True},
                     {"what": "发放民族团结宣传册", "value": 1500, "unit": "份"}],
         "media": ["云岭县融媒体中心"], "highlight": True},
        {"id": "a03", "date": "2024-09-18", "units": ["县民族宗教事务局", "县人民医院"],
         "title": "走进少数民族聚居村开展义诊和健康咨询", "place": "石坪村",
         "figures": [{"what": "服务少数民族群众", "value": 52, "unit": "人"}]},
        {"id": "a04", "date": "2024-09-24", "units": ["县教育体育局"], "title": "开展“石榴籽”主题班会和民族知识竞赛",
         "note": "全县23所中小学参与，知晓率达95%",
         "figures": [{"what": "参与师生", "value": 12000, "unit": "人次"}, {"what": "竞赛", "value": 2, "unit": "场"}]},
        {"id": "a05", "date": "2024-09-15", "end_date": "2024-09-16", "units": ["县体育局"],
         "title": "举办第三届民族传统体育运动会",
         "figures": [{"what": "参赛运动员", "value": 36, "unit": "人"}, {"what": "观看群众", "value": 1200, "unit": "人"}]},
    ],
    "totals": [{"what": "开展各类宣传活动", "value": 56, "unit": "场次"}],
    "problems": ["部分乡镇宣传形式较为单一"],
    "plans": ["推动民族团结进步宣传教育常态化"],
}

CLEAN = """# 云岭县2024年民族团结进步宣传月工作总结

根据市委宣传部、市委统战部《关于印发2024年全市民族团结进步宣传教育工作实施方案的通知》要求，云岭县紧扣铸牢中华民族共同体意识主线，围绕“三个离不开”“五个认同”“四个与共”，于2024年9月1日至30日开展宣传月活动，全县共开展各类宣传活动56场次，组织开展活动5项。

## 一、加强领导，压实责任

9月2日，中共云岭县委统战部、县委宣传部召开宣传月任务部署会，印发《关于开展2024年全县民族团结进步宣传月活动的通知》，三十二个单位参会。

## 二、丰富载体，广泛宣传

9月10日，城关镇在文化广场举办“中华民族一家亲 同心共筑中国梦”文艺汇演，观看群众800余人，发放民族团结宣传册1500份，云岭县融媒体中心进行了报道。9月24日，县教体局开展“石榴籽”主题班会和民族知识竞赛，举办竞赛两场，参与师生1.2万人次，全县23所中小学参与，知晓率达95%。

## 三、注重实效，惠及群众

一是走访服务暖民心。9月18日，县民宗局、县人民医院走进少数民族聚居村开展义诊和健康咨询，服务少数民族群众50余人。二是体育活动促交融。9月15日至16日，县体育局举办第三届民族传统体育运动会，参赛运动员三十六人。文艺汇演和运动会的观看群众共计2000人。

## 四、存在的问题

一是部分乡镇宣传形式较为单一。

## 五、下一步工作打算

一是推动民族团结进步宣传教育常态化。

中共云岭县委统战部
2024年10月15日
"""


@pytest.fixture(scope="module")
def records():
    return records_from_data(RECORDS, "test")[0]


def errors(text, records, families=FACT_FAMILIES):
    return [f for f in check(text, records).findings if f.severity == "error" and f.check in families]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def test_the_families_are_registered():
    for name in FACT_FAMILIES:
        assert FAMILIES[name].needs_records is True  # they need records


def test_clean_draft_passes_with_every_trap(records):
    # 三十六人 = 36人, 两场 = 2场, 1.2万人次 = 12000人次, 800余人 for approx 800, 50余人 for 52,
    # 第三届 from a title, 95% from a note, a sum (800 + 1200), the count of activities,
    # formulations in quotes, years inside recorded titles, 文化广场 within 城关镇文化广场,
    # 中共云岭县委统战部 = 县委统战部, 县民宗局 / 县教体局 as standard abbreviations.
    assert errors(CLEAN, records) == []
    report = check(CLEAN, records)
    assert report.stats.records_total == 5 and report.stats.records_covered == 5
    assert report.stats.claims >= 30 and report.stats.supported == report.stats.claims


def _mutate(old: str, new: str) -> str:
    assert old in CLEAN
    return CLEAN.replace(old, new, 1)


@pytest.mark.parametrize("old, new, family, words", [
    # a changed number names the figure it should be
    ("观看群众800余人", "观看群众900余人", "facts.number", ["a02", "800"]),
    # a changed measure word
    ("参赛运动员三十六人", "参赛运动员三十六户", "facts.number", ["a05", "36人"]),
    # 余 on an exact figure
    ("发放民族团结宣传册1500份", "发放民族团结宣传册1500余份", "facts.number", ["a02", "确数"]),
    # 余 above the record: 60余人 for 52
    ("服务少数民族群众50余人", "服务少数民族群众60余人", "facts.number", ["a03", "52"]),
    # an invented total
    ("全县共开展各类宣传活动56场次", "全县共开展各类宣传活动99场次", "facts.number", ["totals[0]", "56"]),
    # an unknown measure word
    ("三十二个单位参会", "32桌单位参会", "facts.number", ["a01", "32个"]),
    # a wrong day, in a sentence about a01
    ("9月2日，中共", "9月3日，中共", "facts.date", ["a01", "9月2日"]),
    # a wrong range end
    ("9月15日至16日", "9月15日至17日", "facts.date", ["a05"]),
    # a changed word in a document title
    ("《关于开展2024年全县民族团结进步宣传月活动的通知》", "《关于推进2024年全县民族团结进步宣传月活动的通知》",
     "facts.document", ["a01", "《关于开展2024年全县民族团结进步宣传月活动的通知》"]),
    # the year inside a title
    ("《关于开展2024年全县", "《关于开展2023年全县", "facts.document", ["a01", "年份"]),
    # an ordinal that is not recorded
    ("举办第三届民族传统体育运动会", "举办第四届民族传统体育运动会", "facts.number", ["a05", "第三届"]),
    # a percentage that is not recorded
    ("知晓率达95%", "知晓率达98%", "facts.number", ["a04", "95%"]),
    # 一 counts where a figure's `what` precedes it
    ("举办竞赛两场", "举办竞赛一场", "facts.number", ["a04", "2场"]),
    # a unit that is not recorded
    ("县教体局开展", "县公安局开展", "facts.entity", ["县公安局"]),
    # a quoted event name that is not recorded
    ("开展“石榴籽”主题班会", "开展“石榴花”主题班会", "facts.entity", ["石榴花", "a04"]),
    # a place that is not recorded
    ("城关镇在文化广场举办", "城关镇在人民广场举办", "facts.entity", ["人民广场"]),
])
def test_planted_errors_are_caught_at_their_line(records, old, new, family, words):
    text = _mutate(old, new)
    found = errors(text, records)
    at = [f for f in found if f.line == line_of(text, new)]
    assert at, found
    assert any(f.check == family for f in at), at
    f = next(f for f in at if f.check == family)
    for word in words:
        assert word in f.message + " ".join(f.records), f.message
    assert f.column >= 1 and f.excerpt and new[:2] in text.split("\n")[f.line - 1]


def test_a_changed_measure_word_names_the_record(records):
    text = _mutate("参赛运动员三十六人", "参赛运动员三十六户")
    (f,) = errors(text, records)
    assert f.message.startswith("“三十六户”与记录不符：a05 记录为36人")
    assert f.records == ["a05"]
    assert f.column == text.split("\n")[f.line - 1].index("三十六户") + 1


def test_a_number_of_another_activity_is_an_error_in_this_sentence(records):
    # 32 is a01's 参会单位 figure; said of a03 it is wrong
    text = _mutate("服务少数民族群众50余人", "服务少数民族群众32个")
    assert [f.check for f in errors(text, records)] == ["facts.number"]


def test_a_highlight_activity_left_out_is_a_coverage_error(records):
    start = CLEAN.index("9月10日，城关镇")
    end = CLEAN.index("9月24日")
    text = CLEAN[:start] + CLEAN[end:]
    found = errors(text, records)
    assert [f.check for f in found] == ["coverage"]
    assert found[0].records == ["a02"] and "a02" in found[0].message
    assert check(text, records).stats.records_covered == 4


@pytest.mark.parametrize("sentence", [
    "各民族要像石榴籽一样紧紧抱在一起，牢固树立“两个共同”理念，深入学习党的二十届三中全会精神。",
    "我们坚持“一盘棋”思想，统一部署，形成一些好的做法，第一书记带头走访千家万户，十分重视。",
    "各乡镇、相关单位和县委、县政府各级各部门认真落实“十四五”规划要求。",
    "下一步将从三个方面加强工作，推动“进机关、进企业、进社区、进学校”活动常态化。",
])
def test_no_false_alarms_on_formulations_and_generic_phrases(records, sentence):
    text = CLEAN.replace("一是推动民族团结进步宣传教育常态化。", sentence + "一是推动民族团结进步宣传教育常态化。")
    assert errors(text, records) == []


def test_without_records_the_facts_families_do_not_run():
    report = check(CLEAN, None)
    assert not [f for f in report.findings if f.check in FACT_FAMILIES]


# ---------------------------------------------------------------- real drafts

def handwritten() -> list[tuple[Path, Path]]:
    out = []
    for path in sorted((ROOT / "evals" / "handwritten").glob("*.yaml")):
        draft = next((p for p in (path.with_suffix(".md"), path.with_suffix(".txt")) if p.exists()), None)
        if draft:
            out.append((path, draft))
    return out


@pytest.mark.parametrize("pair", handwritten(), ids=lambda p: p[1].name)
def test_handwritten_summaries_have_no_fact_errors(pair):
    records = load_records(pair[0])[0]
    report = check(pair[1].read_text(encoding="utf-8"), records)
    assert [f for f in report.findings if f.check in FACT_FAMILIES and f.severity == "error"] == []
    # A one-activity 信息 holds a dozen facts, a summary dozens: each must be read and proved.
    assert report.stats.claims >= 10 and report.stats.supported == report.stats.claims
    assert report.stats.records_covered == report.stats.records_total


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_template_drafts_have_no_fact_errors(path):
    records = load_records(path)[0]
    report = check(to_markdown(draft_document(records)), records)
    assert [f for f in report.findings if f.check in FACT_FAMILIES and f.severity == "error"] == []
    assert report.stats.records_covered == report.stats.records_total


# ---------------------------------------------------------------- the fact index

def test_fact_index_holds_every_kind_of_fact(records):
    from pipeline.checks.index import index_for

    idx = index_for(records)
    assert index_for(records) is idx  # built once per records object
    kinds = {(f.kind, f.value, f.unit) for f in idx.facts}
    assert ("figure", 12000, "人次") in kinds and ("total", 56, "场次") in kinds
    assert ("sum", 2000, "人") in kinds  # 观看群众 800 + 1200
    assert ("count", 5, "项") in kinds
    assert ("text", 23, "所") in kinds and ("text", 95, "%") in kinds
    assert [(f.value, f.unit, f.rid) for f in idx.ordinals] == [(3, "届", "a05")]
    assert idx.known_name("县民宗局") == {"a03"} and idx.known_name("县委统一战线工作部")
    assert "关于开展2024年全县民族团结进步宣传月活动的通知" in idx.titles


@pytest.mark.parametrize("a, b", [
    ("中共云岭县委统一战线工作部", "县委统战部"), ("云岭县融媒体中心", "县融媒体中心"),
    ("共青团云岭县委员会", "团县委"), ("县民族宗教事务局", "县民宗局"), ("县教育体育局", "县教体局"),
    ("县人力资源和社会保障局", "县人社局"), ("县委办公室", "县委办"), ("县人民政府", "县政府"),
])
def test_unit_names_compare_after_abbreviation_and_prefix(a, b):
    from pipeline.checks.canon import canonical, county_forms

    forms, level = county_forms("云岭县")
    assert canonical(a, forms, level) == canonical(b, forms, level)


def test_county_forms():
    from pipeline.checks.canon import county_forms

    assert county_forms("峨溪彝族自治县") == (("峨溪彝族自治县", "峨溪县", "峨溪"), "县")
    assert county_forms("石门区") == (("石门区", "石门"), "区")


@pytest.mark.parametrize("old, new", [
    # 自…起: the first day of an activity, not any day inside the period
    ("9月24日，县教体局开展", "自9月24日起，县教体局开展"),
    # times of day, inline numbering, a hotline number
    ("9月2日，中共", "9月2日上午9时30分，中共"),
    ("一是推动民族团结进步宣传教育常态化。", "主要打算：1.推动民族团结进步宣传教育常态化；2.开通12345热线。"),
    # generic mentions of units of many places
    ("一是部分乡镇宣传形式较为单一。", "一是各县区民宗局和部分乡镇宣传形式较为单一。"),
    # an approximate figure said as 约/近
    ("观看群众800余人", "观看群众约800人"),
    ("参赛运动员三十六人", "参赛运动员近四十人"),
])
def test_more_sentences_that_are_no_errors(records, old, new):
    assert errors(_mutate(old, new), records) == []


@pytest.mark.parametrize("old, new, family", [
    ("9月24日，县教体局开展", "自9月25日起，县教体局开展", "facts.date"),  # outside a04's day
    ("全县23所中小学参与", "全县23个中小学参与", "facts.number"),  # a note's number, measure word changed
    ("全县23所中小学参与", "全县32所中小学参与", "facts.number"),  # a note's number changed
    ("于2024年9月1日至30日开展宣传月活动", "于2024年9月1日至29日开展宣传月活动", "facts.date"),  # the period
    ("2024年10月15日", "2024年10月16日", "facts.date"),  # the issue date
    ("参赛运动员三十六人", "参赛运动员近三十人", "facts.number"),  # 近 below the record
])
def test_more_planted_errors(records, old, new, family):
    text = _mutate(old, new)
    found = errors(text, records)
    assert [f.check for f in found] == [family], found
    assert found[0].line == line_of(text, new)
