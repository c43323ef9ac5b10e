"""headings.required (the outline's fixed headings, in order) and headings.numbering
(GB/T 9704 marks 一、（一）1.（1）and 一是……二是…… items)."""

from __future__ import annotations

import pytest
from test_checks_structure import DRAFT, records_with, run

from conftest import DATA
from pipeline.inputs import load_records


# ---------------------------------------------------------------- headings.required

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
