"""The Document model carries its structure: sub-headings and item leads are types, so
renderers read them instead of re-reading text."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from pipeline.drafting import draft_document
from pipeline.inputs import load_records
from pipeline.model.document import Document, Paragraph, Section, Sentence, SubHeading
from pipeline.render import to_json, to_markdown


@pytest.mark.parametrize("level, number, mark", [
    (2, 1, "（一）"), (2, 11, "（十一）"), (3, 2, "2."), (4, 3, "（3）"),
])
def test_sub_heading_marks(level, number, mark):
    assert SubHeading(level=level, number=number, text="健全工作机制").mark == mark


def test_standalone_and_run_in_sub_headings_in_markdown():
    alone = Paragraph(heading=SubHeading(level=2, number=1, text="健全工作机制"))
    run_in = Paragraph(heading=SubHeading(level=3, number=2, text="细化任务分工"),
                       sentences=[Sentence(text="建立工作台账。", sources=["a1"])])
    doc = Document(county="云岭县", year=2024, title="云岭县2024年工作总结", opening=[],
                   sections=[Section(key="s", number=1, heading="主要做法", paragraphs=[alone, run_in])],
                   signature=[])
    lines = to_markdown(doc).split("\n")
    assert "（一）健全工作机制" in lines  # a line of its own, no closing punctuation
    assert "2.细化任务分工。建立工作台账。" in lines


def test_sub_heading_levels_are_bounded():
    with pytest.raises(ValueError):
        SubHeading(level=1, number=1, text="x")
    with pytest.raises(ValueError):
        SubHeading(level=2, number=0, text="x")


def test_template_item_leads_are_typed_and_survive_json():
    records = load_records(FIXTURES / "yunling_county.yaml")[0]
    doc = draft_document(records)
    leads = [s for sec in doc.sections for p in sec.paragraphs for s in p.sentences if s.role == "item_lead"]
    assert leads and all(s.text[1] == "是" for s in leads)
    # in the practice sections every sentence that opens with 一是/二是 is a lead; the
    # problems and plans enumerate their items in sentences of the same shape that are not
    practice = [sec for sec in doc.sections if sec.key not in ("problems", "plans")]
    starts = [s for sec in practice for p in sec.paragraphs for s in p.sentences
              if s.text[1] == "是" and s.text[0] in "一二三四五六七八九"]
    assert starts == leads
    data = json.loads(to_json(doc))
    for section in data["sections"]:
        del section["heading_line"]  # a convenience of the JSON output, not a field
    assert Document.model_validate(data) == doc
