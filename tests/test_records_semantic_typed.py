"""Duplicate ids and unusable sections read from validated Records (no model_dump copy)
must say exactly what the raw-data check said of the same records dumped to JSON."""

from __future__ import annotations

import pytest

from pipeline.inputs.records import _semantic_problems, _semantic_problems_raw
from pipeline.model.records import Records


def _acts(rows):
    return [{"id": aid, "title": title, "units": ["青溪县民宗局"], "date": "2024-09-10",
             **({"section": section} if section is not None else {})} for aid, title, section in rows]


DEFAULT = {"county": "青溪县", "year": 2024, "campaign": "民族团结进步宣传月", "activities": _acts([
    ("a01", "县委召开宣传月动员部署会", "leadership"),
    (7, "城关镇举办民族政策宣讲进社区", "publicity"),
    ("a01", "县民宗局印发宣传月实施方案", "problems"),
    ("7", "青溪中学开展民族团结主题班会", "publicty"),
    ("a01", "河口乡组织石榴籽文艺汇演", "宣传教育"),
    ("b02", "白沙村开展民族团结家庭评选", None),
    ("b02", "县融媒体中心推出专题报道", "plans"),
])}
OUTLINE = {**DEFAULT, "outline": [
    {"key": "lead", "heading": "高位推动，压实责任"},
    {"key": "talk"},
    {"key": "lead", "heading": "再次写出的栏目"},
    {"key": "problems"},
], "activities": _acts([
    ("c1", "县委召开宣传月动员部署会", "lead"),
    ("c2", "城关镇举办民族政策宣讲进社区", "tlak"),
    ("c1", "县民宗局印发宣传月实施方案", "problems"),
    ("c3", "青溪中学开展民族团结主题班会", "plans"),
    ("c2", "河口乡组织石榴籽文艺汇演", "再次写出的栏目"),
])}


def _line_of(path):  # a distinct, repeatable line for each field path
    return sum(ord(c) for c in repr(tuple(path))) % 997


def _id_section(problems):
    return [p for p in problems if p.path.endswith((".id", ".section")) and p.path.startswith("activities[")]


@pytest.mark.parametrize("data", [DEFAULT, OUTLINE], ids=["default", "outline"])
@pytest.mark.parametrize("chinese", [False, True])
def test_typed_records_agree_with_the_dumped_copy(data, chinese):
    records = Records.model_validate(data)
    typed = _id_section(_semantic_problems(records, "青溪县.yaml", _line_of, chinese))
    old = _semantic_problems_raw(records.model_dump(mode="json"), "青溪县.yaml", _line_of, chinese)
    assert typed == old and len(typed) >= 5


def test_duplicates_and_sections_are_named_in_order():
    records = Records.model_validate(OUTLINE)
    got = [(p.path, p.severity, p.message)
           for p in _id_section(_semantic_problems(records, "r.yaml", _line_of))]
    listed = "lead（再次写出的栏目）、talk"
    assert got == [
        ("activities[1].section", "error", f"栏目“tlak”不在提纲中，活动可填的栏目：{listed}，是否应为“talk”？"),
        ("activities[2].id", "error", "编号“c1”重复，已用于 activities[0]"),
        ("activities[2].section", "warning",
         f"栏目“存在的问题”部分由记录中的 problems 列表写成，活动不能归入；这项活动将按关键词归入：{listed}"),
        ("activities[3].section", "error", f"栏目“plans”不在提纲中，活动可填的栏目：{listed}"),
        ("activities[4].id", "error", "编号“c2”重复，已用于 activities[1]"),
        ("activities[4].section", "error", f"栏目“再次写出的栏目”不在提纲中，活动可填的栏目：{listed}"),
    ]


def test_number_and_text_ids_are_the_same_id():
    records = Records.model_validate(DEFAULT)
    dup = [p.message for p in _semantic_problems(records, "r.yaml", _line_of) if p.path == "activities[3].id"]
    assert dup == ["编号“7”重复，已用于 activities[1]"]
