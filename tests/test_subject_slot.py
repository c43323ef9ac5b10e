"""facts.entity reads a sentence's own subject (县融媒体中心注重发挥…): a part's purpose
sentence names the unit whose items follow, and another place's unit pasted there is caught;
a subject that is no unit's name (交往交流的平台不断拓展) is no claim."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.model.records import Records

_RECORDS = Records.model_validate({
    "county": "石泉县", "year": 2025, "campaign": "民族团结进步宣传月",
    "activities": [{"id": "m1", "date": "2025-09-05", "units": ["县融媒体中心"],
                    "title": "开设“石泉同心”专栏",
                    "figures": [{"what": "刊发稿件", "value": 40, "unit": "篇"}]}]})
_TEXT = ("# 石泉县2025年民族团结进步宣传月工作总结\n\n## 一、宣传报道\n\n"
         "一是用好宣传阵地。{subject}注重发挥媒体和宣传阵地的作用。9月5日，县融媒体中心开设“石泉同心”专栏，"
         "刊发稿件40篇。{closing}\n")


def _entity(subject: str, closing: str = "") -> list:
    text = _TEXT.format(subject=subject, closing=closing)
    return [f for f in check(text, _RECORDS).findings if f.check == "facts.entity"]


@pytest.mark.parametrize("subject", ["县第一中学", "县实验小学", "县民政局"])
def test_another_unit_as_the_subject_is_caught_at_its_place(subject):
    found = _entity(subject)
    assert len(found) == 1 and found[0].line == 5 and subject in found[0].message
    assert found[0].column == len("一是用好宣传阵地。") + 1


def test_the_recorded_unit_as_the_subject_is_proven():
    assert _entity("县融媒体中心") == []


@pytest.mark.parametrize("closing", ["交往交流的平台不断拓展，各族群众相处更加融洽。",
                                     "校园文化建设不断加强。", "县域内各族群众交往更加密切。"])
def test_a_subject_that_is_no_unit_is_no_claim(closing):
    assert _entity("县融媒体中心", closing) == []
