"""Word output of hostile text: control characters (from a model's reply or an edited draft)
and names longer than the 255 characters a .docx core property holds. Each file is opened
again with python-docx, as a user's Word would open it."""

from __future__ import annotations

import io
import re

import docx
import pytest

from pipeline.inputs import load_records
from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.orchestrator import draft
from pipeline.render.docx import to_docx
from conftest import DATA

# NUL, ESC with a colour sequence, vertical tab, BEL, DEL, C1 CSI, a lone surrogate, U+FFFF
HOSTILE = "县\x00里\x1b[31m开展\x0b活动\x07\x7f\x9b2J共\ud8003\uffff场。"
CLEAN = "县里[31m开展活动2J共3场。"
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _document(title: str, sentence: str, signature: list[str]) -> Document:
    return Document(county="云岭县", year=2024, title=title,
                    opening=[Paragraph(sentences=[Sentence(text=sentence, sources=["a01"])])],
                    sections=[Section(key="leadership", number=1, heading="强化组织\x1b领导",
                                      paragraphs=[Paragraph(sentences=[Sentence(text=sentence)])])],
                    signature=signature)


def _opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def test_sentences_lose_control_characters_before_any_output():
    # The typed document already holds clean text: Markdown, the terminal and Word alike.
    assert Sentence(text=HOSTILE).text == "县里[31m开展活动2J共\ud8003\uffff场。"


def test_control_characters_everywhere_render_and_reopen():
    doc = _document("云岭县\x01宣传月\x1b工作总结", HOSTILE, ["云岭县\x00司法局", "2024年12月1日"])
    word = _opened(to_docx(doc))
    texts = [p.text for p in word.paragraphs]
    assert not any(_BAD.search(t) for t in texts)
    body = "\n".join(texts)
    assert CLEAN in body and "强化组织领导" in body and "云岭县司法局" in body
    assert word.core_properties.title == "云岭县宣传月工作总结"
    assert word.core_properties.author == "云岭县司法局"


def test_a_line_break_inside_a_sentence_stays_in_its_paragraph():
    word = _opened(to_docx(_document("云岭县工作总结", "第一句。\n## 五、注入的标题", ["云岭县司法局"])))
    assert not any(p.text.startswith("## 五") for p in word.paragraphs)


@pytest.mark.parametrize("length", [256, 300, 1000])
def test_names_over_255_characters(length):
    unit = "中共云岭县委" + "民族团结进步宣传教育工作领导小组" * (length // 16) + "办公室"
    title = "云岭县" + "民族团结进步宣传月活动" * (length // 11) + "工作总结"
    word = _opened(to_docx(_document(title, "全县开展活动3场。", [unit, "2024年10月15日"])))
    props = word.core_properties
    assert len(props.title) == 255 and title.startswith(props.title)
    assert len(props.author) == 255 and unit.startswith(props.author)
    body = "".join(p.text for p in word.paragraphs)
    assert unit in body  # the document itself keeps the whole name
    assert title in body.replace("\n", "")


def test_long_names_from_records_draft_to_word(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8")
    author = "中共云岭县委统战部" + "暨民族团结进步创建工作领导小组办公室" * 16
    campaign = "民族团结进步宣传月" + "暨铸牢中华民族共同体意识主题教育" * 17
    text = text.replace("author: 中共云岭县委统战部", f"author: {author}")
    text = text.replace("campaign: 民族团结进步宣传月", f"campaign: {campaign}")
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    records, _ = load_records(path)
    assert len(records.author) > 255 and len(records.campaign) > 255
    word = _opened(to_docx(draft(records).document))
    assert len(word.core_properties.author) <= 255
    assert author in "".join(p.text for p in word.paragraphs)
