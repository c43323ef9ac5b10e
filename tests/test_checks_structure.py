"""headings.required, headings.numbering, consistency.year and consistency.place."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from pipeline.checks import FAMILIES, check
from pipeline.checks.model import Context
from pipeline.inputs import load_records
from pipeline.orchestrator import draft

from conftest import DATA, FIXTURES, ROOT, fixture_files

MINE = ("headings.required", "headings.numbering", "consistency.year", "consistency.place",
        "residue.placeholder", "register")


def run(family: str, text: str, records=None):
    fn, _ = FAMILIES[family]
    return fn(Context(text=text, records=records))


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def mine(report):
    return [f for f in report.findings if f.check in MINE]


def records_with(base, **changes):
    return base.model_copy(update=changes)


# ---------------------------------------------------------------- no false alarms

def test_spec_example_draft_has_no_findings(spec_records):
    text = (DATA / "spec_example_draft.md").read_text(encoding="utf-8")
    assert mine(check(text, spec_records)) == []
    assert mine(check(text)) == []


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_template_drafts_have_no_findings(path):
    records = load_records(path)[0]
    text = draft(records).markdown
    assert mine(check(text, records)) == []
    assert mine(check(text)) == []


def _handwritten():
    folder = ROOT / "evals" / "handwritten"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt")
                  and p.with_suffix(".yaml").exists())


@pytest.mark.parametrize("path", _handwritten(), ids=lambda p: p.name)
def test_handwritten_summaries_have_no_errors(path: Path):
    records = load_records(path.with_suffix(".yaml"))[0]
    text = path.read_text(encoding="utf-8")
    assert errors(mine(check(text, records))) == []
    assert errors(mine(check(text))) == []


def test_families_are_registered_with_their_needs():
    assert FAMILIES["headings.required"][1] is True
    for name in MINE[1:]:
        assert FAMILIES[name][1] is False


# ---------------------------------------------------------------- headings.required

DRAFT = """# 云岭县2024年民族团结进步宣传月工作总结

根据要求，云岭县扎实开展民族团结进步宣传月活动。

## 一、强化组织领导，压实工作责任

一是部署。二是落实。

## 二、丰富宣传载体，营造浓厚氛围

一是宣传。

## 三、突出重点群体，深化宣传教育

一是进校园。

## 四、注重服务实效，促进交往交流交融

一是义诊。

## 五、存在的问题

一是形式单一。

## 六、下一步工作打算

一是常态化。

中共云岭县委统战部
2024年10月12日
"""


@pytest.fixture
def yunling():
    return load_records(FIXTURES / "yunling_county.yaml")[0]


def test_required_headings_present(yunling):
    assert run("headings.required", DRAFT, yunling) == []


def test_missing_fixed_heading_is_an_error_where_it_belonged(yunling):
    text = DRAFT.replace("## 三、突出重点群体，深化宣传教育\n\n一是进校园。\n\n", "")
    found = run("headings.required", text, yunling)
    assert len(found) == 1 and found[0].severity == "error"
    assert "突出重点群体，深化宣传教育" in found[0].message
    # where it should have been: the next fixed heading
    assert text.split("\n")[found[0].line - 1].startswith("## 四、注重服务实效")


def test_reworded_heading_names_what_it_should_be(yunling):
    text = DRAFT.replace("丰富宣传载体，营造浓厚氛围", "丰富宣传载体，营造良好氛围")
    [f] = run("headings.required", text, yunling)
    assert f.line == 9 and "应为“丰富宣传载体，营造浓厚氛围”" in f.message
    assert (f.column, f.excerpt) == (6, "丰富宣传载体，营造良好氛围")


def test_headings_out_of_order(yunling):
    a = "## 一、强化组织领导，压实工作责任\n\n一是部署。二是落实。\n\n"
    b = "## 二、丰富宣传载体，营造浓厚氛围\n\n一是宣传。\n\n"
    text = DRAFT.replace(a + b, b.replace("二、", "一、") + a.replace("一、", "二、"))
    found = run("headings.required", text, yunling)
    assert [f.severity for f in found] == ["error"] and "顺序" in found[0].message


def test_run_in_heading_counts():
    records = load_records(DATA / "spec_example.yaml")[0]
    outline = [s.model_copy(update={"heading": "加强领导，压实责任"}) if s.key == "leadership" else s
               for s in records.outline]
    records = records_with(records, outline=outline)
    text = (DATA / "spec_example_draft.md").read_text(encoding="utf-8")
    run_in = text.replace("## 一、加强领导，压实责任\n\n", "（一）加强领导，压实责任。")
    assert run("headings.required", run_in, records) == []


def test_problems_and_plans_sections_required(spec_records):
    text = (DATA / "spec_example_draft.md").read_text(encoding="utf-8")
    no_problems = text.replace("## 四、存在的问题\n\n在肯定成绩的同时，工作中还存在一些不足：一是部分乡镇宣传形式较为单一，"
                               "群众参与面有待扩大。\n\n", "")
    [f] = run("headings.required", no_problems, spec_records)
    assert "存在的问题" in f.message and f.records == ["problems[0]"]
    assert no_problems.split("\n")[f.line - 1].startswith("## 五、下一步工作打算")
    no_plans = text.replace("## 五、下一步工作打算", "## 五、其他")
    [f] = run("headings.required", no_plans, spec_records)
    assert "下一步工作打算" in f.message and f.line == len(no_plans.rstrip("\n").split("\n"))
    # other wordings of the same section are fine
    for heading in ("五、2025年工作计划", "五、今后工作思路", "五、下一步工作思路"):
        assert run("headings.required", text.replace("五、下一步工作打算", heading), spec_records) == []
    # and without problems in the records nothing is required
    assert run("headings.required", no_problems, records_with(spec_records, problems=[])) == []


# ---------------------------------------------------------------- headings.numbering

def numbering(text):
    return run("headings.numbering", text)


def test_numbering_good_four_levels():
    text = "标题\n一、甲\n（一）乙\n1.丙\n（1）丁\n（2）戊\n2.己\n（二）庚\n二、辛\n（一）壬。正文。\n"
    assert numbering(text) == []


def test_numbering_without_a_title():
    assert numbering("一、甲\n（一）乙\n二、丙\n") == []


def test_numbering_gap_repeat_and_order():
    found = numbering("标题\n一、甲\n三、乙\n三、丙\n一、丁\n")
    assert [(f.line, f.severity) for f in found] == [(3, "error"), (4, "error"), (5, "error")]
    assert "缺少“二、”" in found[0].message
    assert "重复" in found[1].message and "第3行" in found[1].message
    assert "应为“四、”" in found[2].message


def test_numbering_restarts_under_a_new_parent():
    assert numbering("标题\n一、甲\n（一）a\n（二）b\n二、乙\n（一）c\n（二）d\n") == []
    [f] = numbering("标题\n一、甲\n（一）a\n（二）b\n二、乙\n（二）c\n")
    assert f.line == 6 and "缺少“（一）”" in f.message


@pytest.mark.parametrize("mark,fix", [("1、", "1."), ("（一）、", "（一）"), ("一.", "一、"),
                                      ("(一)", "（一）"), ("(1)", "（1）"), ("1）", "（1）")])
def test_wrong_marks_are_errors(mark, fix):
    text = {"1、": "标题\n一、甲\n（一）乙\n1、丙\n", "（一）、": "标题\n一、甲\n（一）、乙\n",
            "一.": "标题\n一.甲\n", "(一)": "标题\n一、甲\n(一)乙\n",
            "(1)": "标题\n一、甲\n（一）乙\n1.丙\n(1)丁\n", "1）": "标题\n一、甲\n（一）乙\n1.丙\n1）丁\n"}[mark]
    found = numbering(text)
    assert [f.severity for f in found] == ["error"]  # GB/T 9704 7.3.3: the marks are fixed
    assert f"“{mark}”应写作“{fix}”" in found[0].message


def test_skipped_level():
    [f] = numbering("标题\n一、甲\n1.乙\n2.丙\n二、丁\n1.戊\n")
    assert f.severity == "error" and f.line == 3 and "缺少“（一）”" in f.message
    # （一） as the top level of the whole document is fine
    assert numbering("标题\n（一）甲。正文。\n（二）乙\n1.丙\n（三）丁\n") == []
    # but not before the first 一、
    [f] = numbering("标题\n（一）甲\n一、乙\n")
    assert f.line == 2 and "缺少“一、”" in f.message


def test_markdown_bold_and_run_in_headings():
    text = "# 标题\n\n## 一、甲\n\n**二、乙**\n\n（一）丙。正文一是……二是……。\n\n（三）丁。正文。\n"
    [f] = numbering(text)
    assert f.line == 9 and "缺少“（二）”" in f.message


def test_items_within_a_paragraph():
    [f] = numbering("标题\n一、甲\n工作中：一是部署；三是落实。\n")
    assert f.severity == "error" and f.excerpt == "三是" and "缺少“二是”" in f.message
    [f] = numbering("标题\n一、甲\n一是部署；二是落实；二是督查。\n")
    assert "重复" in f.message
    assert numbering("标题\n一是部署；二是落实；三是督查；四是总结；五是宣传；六是考核；七是评比；八是表彰；"
                     "九是整改；十是提升；十一是巩固。\n") == []


def test_items_continue_across_paragraphs_until_a_heading():
    assert numbering("标题\n一、甲\n一是部署。\n\n二是落实。\n\n三是督查。\n二、乙\n一是宣传。\n") == []
    [f] = numbering("标题\n一、甲\n一是部署。\n\n三是督查。\n")
    assert f.line == 5 and "缺少“二是”" in f.message
    [f] = numbering("标题\n一、甲\n二是落实。\n")
    assert "之前没有“一是”" in f.message


def test_words_containing_numerals_are_not_items():
    text = "标题\n坚持统一是前提，唯一是标准，第三是届次，星期五是开放日，再三是强调，“三是”不算。\n"
    assert numbering(text) == []


# ---------------------------------------------------------------- consistency.year

def year(text, records=None):
    return run("consistency.year", text, records)


def test_title_year_against_records(yunling):
    text = DRAFT.replace("# 云岭县2024年", "# 云岭县2023年")
    [f] = year(text, yunling)
    assert f.severity == "error" and f.line == 1 and f.excerpt == "2023" and "记录年份（2024年）" in f.message


def test_year_inside_a_recorded_title_is_fine():
    records = load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0]
    doc = records.activities[0].model_copy(update={"documents": ["2024年全州民族工作要点"]})
    records = records_with(records, activities=[doc, *records.activities[1:]])
    text = "# 峨溪彝族自治县2025年民族团结进步创建活动工作总结\n\n依据《2024年全州民族工作要点》开展工作。\n"
    assert year(text, records) == []
    # unrecorded, the same citation is last year's plan
    [f] = year(text, load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0])
    assert f.severity == "error" and f.excerpt == "《2024年全州民族工作要点》"


def test_other_years_in_the_body():
    head = "# 云岭县2024年民族团结进步宣传月工作总结\n\n"
    # comparisons, ranges, history and next year's plans are fine
    ok = ("2023年以来，与2023年相比，自2021年起，2021—2025年规划，截至2023年底。"
          "下一步，2025年将继续开展宣传月活动。")
    assert year(head + ok + "\n") == []
    # another year's campaign is an error, a bare other year a warning
    [f] = year(head + "扎实开展2023年民族团结进步宣传月活动。\n")
    assert f.severity == "error" and f.excerpt == "2023年民族团结进步宣传月"
    [f] = year(head + "扎实开展2023年全县民族团结进步宣传月活动。\n")
    assert f.severity == "error" and f.excerpt == "2023年全县民族团结进步宣传月"
    [f] = year(head + "2022年9月3日召开会议。\n")
    assert f.severity == "warning"
    # a higher-level document of the year before is usual; older ones are questioned
    assert year(head + "按照《2023年全州民族工作意见》。\n") == []
    [f] = year(head + "按照《2019年全州民族工作意见》。\n")
    assert f.severity == "warning"


def test_issue_date_year():
    text = "# 云岭县2024年民族团结进步宣传月工作总结\n\n正文。\n\n中共云岭县委统战部\n2026年10月12日\n"
    [f] = year(text)
    assert f.line == 6 and f.severity == "error"
    assert year(text.replace("2026年10月12日", "2025年1月8日")) == []
    assert year(text.replace("2026年10月12日", "二〇二四年十月十二日")) == []


def test_year_inferred_without_records():
    # the title says 2024, the body only 2022: the title is the odd one out
    text = ("县2024年民族团结进步宣传月工作总结\n\n根据《2022年全县工作方案》，2022年9月开展活动。\n"
            "印发《关于开展2022年全县活动的通知》。\n")
    [f] = year(text)
    assert f.line == 1 and f.severity == "error" and "2022年" in f.message
    # one stray mention does not outvote the title
    assert errors(year("县2024年工作总结\n\n2022年9月开展活动。\n")) == []


# ---------------------------------------------------------------- consistency.place

def place(text, records=None):
    return run("consistency.place", text, records)


def test_another_level_unit(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "县委统战部联合区教体局、区妇联和全区各单位，在区委领导下开展活动。")
    found = place(text, yunling)
    assert [f.excerpt for f in found] == ["区教体局", "区妇联", "全区", "区委"]
    assert all(f.severity == "error" and f.line == 7 for f in found)
    assert [f.excerpt for f in place(text)] == ["区教体局", "区妇联", "全区", "区委"]  # title gives 县


def test_words_with_the_other_level_character_are_fine(yunling):
    text = DRAFT.replace("一是部署。二是落实。",
                         "在社区党委、城区、民族地区、经开区管委会、示范区和景区，讲解民族区域自治制度，"
                         "各县区、县级以上，升国旗，五星红旗。")
    assert place(text, yunling) == []


def test_another_place_name(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "石门区委统战部联合石门区实验小学开展活动，云岭县融媒体中心报道。")
    found = place(text, yunling)
    assert [f.excerpt for f in found] == ["石门区", "石门区"]
    assert all(f.severity == "error" for f in found) and "云岭县" in found[0].message


def test_recorded_names_are_fine(yunling):
    a = yunling.activities[0].model_copy(update={"units": ["县委统战部", "石门区民族宗教事务局"]})
    records = records_with(yunling, activities=[a, *yunling.activities[1:]])
    text = DRAFT.replace("一是部署。二是落实。", "县委统战部联合石门区民族宗教事务局开展活动。")
    assert place(text, records) == []


def test_title_place(yunling):
    [f] = place(DRAFT.replace("# 云岭县2024年", "# 石门区2024年"), yunling)
    assert f.line == 1 and f.severity == "error" and "与记录（云岭县）不符" in f.message
    [f] = place(DRAFT.replace("# 云岭县2024年", "# 县2024年"), yunling)
    assert f.severity == "warning" and "应为“云岭县”" in f.message
    assert place(DRAFT.replace("# 云岭县2024年", "# 2024年"), yunling) == []


def test_autonomous_county_and_district():
    exi = load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0]
    text = ("# 峨溪彝族自治县2025年民族团结进步创建活动工作总结\n\n全县各族群众、县委、县政府和峨溪县委统战部、"
            "峨溪彝族自治县融媒体中心、州委、州民宗委。我县成绩显著。\n")
    assert place(text, exi) == []
    assert place(text) == []
    shimen = load_records(FIXTURES / "shimen_district.yaml")[0]
    text = "# 石门区2023年民族团结进步宣传月工作总结\n\n全区、区委、区直部门、县城。全县各单位。\n"
    [f] = place(text, shimen)
    assert f.excerpt == "全县"


def test_banner():
    records = load_records(DATA / "spec_example.yaml")[0]
    records = records_with(records, county="达尔罕茂明安联合旗")
    text = ("# 达尔罕茂明安联合旗2024年民族团结进步宣传月工作总结\n\n旗委统战部联合旗民委、巴彦花镇联合旗融媒体中心，"
            "全旗各苏木镇。按照自治区党委部署，全区统一开展。\n")
    assert place(text, records) == []
    [f] = place(text + "县政协参加。\n", records)
    assert f.excerpt == "县政协"


def test_town_and_subdistrict():
    text = "# 先滩镇2024年民族团结进步宣传月工作总结\n\n在县委、县政府领导下，镇党委、全镇各村、各乡镇。乡党委部署。\n"
    [f] = place(text)
    assert f.excerpt == "乡党委"
    text = "# 东湖街道2024年民族团结进步宣传月工作总结\n\n在区委领导下，街道党工委、全街道各社区，镇党委。\n"
    [f] = place(text)
    assert f.excerpt == "镇党委"


def test_autonomous_region_makes_qu_a_warning(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "按照自治区部署，全区统一开展。")
    [f] = place(text, yunling)
    assert f.severity == "warning" and "自治区" in f.message


def test_slogans(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "为建设引领时尚的国际化首善之区作出贡献。")
    [f] = place(text, yunling)
    assert f.excerpt == "引领时尚的国际化首善之区" and f.severity == "error"
    beijing = records_with(yunling, county="北京市西城区")
    assert place(text.replace("云岭县", "北京市西城区"), beijing) == []


# ---------------------------------------------------------------- speed

def test_my_families_are_fast():
    """≤ 20 ms for a 3,000-character draft across every family (ours take a fraction)."""
    records = load_records(FIXTURES / "yunling_county.yaml")[0]
    text = draft(records).markdown
    text = text + text[text.index("## 二"):][: max(0, 3000 - len(text))]
    assert len(text) >= 3000
    fns = [FAMILIES[name][0] for name in MINE]
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for fn in fns:
            fn(Context(text=text, records=records))
        times.append(time.perf_counter() - t)
    assert statistics.median(times) < 0.010
