"""The edited text back into a Document, so the downloads (.docx per GB/T 9704, .md) are
rendered by the same renderers as `zongjie draft`."""

from __future__ import annotations

import re

from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.model.records import Records
from pipeline.text.numerals import cn_numeral

_SECTION = re.compile(r"([一二三四五六七八九十]+)、(.+)")


def _number(cn: str) -> int:
    return next((n for n in range(1, 100) if cn_numeral(n) == cn), 1)


def document_of(text: str, records: Records | None, county: str = "", year: int = 0) -> Document:
    """Title `# …`, sections `## 一、…`, paragraphs, and the closing lines as the signature."""
    lines = [raw.strip() for raw in text.split("\n")]
    title, opening, sections = "", [], []
    for line in lines:
        if not line:
            continue
        if line.startswith("#") and not title and not line.startswith("##"):
            title = line.lstrip("#").strip()
            continue
        if line.startswith("##"):
            head = line.lstrip("#").strip()
            m = _SECTION.fullmatch(head)
            number, heading = (_number(m[1]), m[2]) if m else (len(sections) + 1, head)
            sections.append(Section(key=f"s{len(sections) + 1}", number=number, heading=heading, paragraphs=[]))
            continue
        para = Paragraph(sentences=[Sentence(text=line)])
        (sections[-1].paragraphs if sections else opening).append(para)
    signature = []
    body = sections[-1].paragraphs if sections else opening
    # The 落款: up to two short closing lines that are not sentences (unit, date).
    while body and len(signature) < 2 and len(body[-1].text) <= 30 and not body[-1].text.endswith("。"):
        signature.insert(0, body.pop().text)
    return Document(county=records.county if records else county, year=records.year if records else year or 2000,
                    title=title, opening=opening, sections=sections, signature=signature, backend="edited")
