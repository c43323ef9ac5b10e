"""The drafted document: the typed object between drafting and rendering.

Every sentence carries the record ids it rests on (activity ids, or `basis[0]`,
`totals[1]`, `problems[0]`, `plans[2]`, `period`, `author`, `date`), so a reader of the
JSON output, the checker and the repair loop can trace any fact back to its record.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

CN_ORDINALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings and 一是/二是 items)."""
    if n <= 10:
        return CN_ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_ORDINALS[tens - 1]
    return head + "十" + (CN_ORDINALS[ones - 1] if ones else "")


def cn_date(d: dt.date, with_year: bool = False) -> str:
    """2024-09-03 → 9月3日 (Arabic numerals without leading zeros, GB/T 15835)."""
    text = f"{d.month}月{d.day}日"
    return f"{d.year}年{text}" if with_year else text


def cn_date_range(start: dt.date, end: dt.date | None, with_year: bool = False) -> str:
    """9月15日至16日, 9月28日至10月3日; a single day when end is absent or equal."""
    if end is None or end == start:
        return cn_date(start, with_year)
    head = cn_date(start, with_year)
    if end.year != start.year:
        return f"{head}至{cn_date(end, True)}"
    if end.month != start.month:
        return f"{head}至{cn_date(end)}"
    return f"{head}至{end.day}日"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Sentence(_Model):
    text: str
    sources: list[str] = []


class Paragraph(_Model):
    sentences: list[Sentence]
    # A run-in lead such as “一是及时安排部署。” is the first sentence; kind tells renderers
    # whether the paragraph is body text or the signature block.
    kind: str = "body"  # "body" | "signature"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


class Section(_Model):
    key: str
    number: int  # 1 → “一、”
    heading: str
    paragraphs: list[Paragraph]

    @property
    def heading_line(self) -> str:
        return f"{cn_ordinal(self.number)}、{self.heading}"


class Document(_Model):
    county: str
    year: int
    title: str
    opening: list[Paragraph]
    sections: list[Section]
    signature: list[str]  # the 落款 lines: issuing unit, then date
    backend: str = "template"

    def sources(self) -> set[str]:
        out: set[str] = set()
        for para in self.opening + [p for s in self.sections for p in s.paragraphs]:
            for sent in para.sentences:
                out.update(sent.sources)
        return out
