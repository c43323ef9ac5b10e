"""The drafted document: the typed object between drafting and rendering.

Every sentence carries the record ids it rests on (activity ids, or `basis[0]`,
`totals[1]`, `problems[0]`, `plans[2]`, `period`, `author`, `date`), so a reader of the
JSON output, the checker and the repair loop can trace any fact back to its record.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pipeline.text.numerals import cn_numeral

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
        return f"{cn_numeral(self.number)}、{self.heading}"


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
