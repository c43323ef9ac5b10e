"""The drafted document: the typed object between drafting and rendering.

Every sentence carries the record ids it rests on (activity ids, or `basis[0]`,
`totals[1]`, `problems[0]`, `plans[2]`, `period`, `author`, `date`), so a reader of the
JSON output, the checker and the repair loop can trace any fact back to its record.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from pipeline.text.chars import drop_controls, one_line
from pipeline.text.numerals import cn_numeral
from pipeline.text.shape import fold_lookalikes

# Every text of a document is one line, whoever wrote it (the template, a model, a
# record's value): one paragraph is one line of Markdown, so a line of the check report
# always names the part it came from, and no text can open a heading of its own.
OneLine = Annotated[str, AfterValidator(one_line)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Sentence(_Model):
    # A model's reply may carry ESC or NUL: never into the draft, the terminal or Word; and
    # ⼆是 (a Kangxi radical) is read as the 二是 a reader sees, so the check numbers it.
    text: Annotated[str, AfterValidator(drop_controls), AfterValidator(one_line), AfterValidator(fold_lookalikes)]
    sources: list[str] = []
    # An item's run-in lead, “一是及时安排部署。”: working language that names the item;
    # "effect": working language on how an item turned out (a part keeps at most one);
    # None for every other sentence.
    role: Literal["item_lead", "effect"] | None = None


SUBHEADING_MARKS = {2: "（{}）", 3: "{}.", 4: "（{}）"}  # GB/T 9704 §7.3.3, below “一、”


class SubHeading(_Model):
    """A numbered heading inside a section: level 2 （一）, level 3 1., level 4 （1）."""

    level: Literal[2, 3, 4]
    number: int = Field(ge=1)
    text: OneLine  # without the mark and without closing punctuation

    @property
    def mark(self) -> str:
        figure = cn_numeral(self.number) if self.level == 2 else str(self.number)
        return SUBHEADING_MARKS[self.level].format(figure)


class Paragraph(_Model):
    # A paragraph with a heading and no sentences is a heading line of its own; with
    # sentences, the heading runs in: “（一）加强组织领导。县委……”.
    heading: SubHeading | None = None
    sentences: list[Sentence] = []

    @property
    def heading_text(self) -> str:
        if self.heading is None:
            return ""
        head = self.heading.mark + self.heading.text
        return head + "。" if self.sentences else head

    @property
    def text(self) -> str:
        return self.heading_text + "".join(s.text for s in self.sentences)


class Section(_Model):
    key: str
    number: int  # 1 → “一、”
    heading: OneLine
    paragraphs: list[Paragraph]

    @property
    def heading_line(self) -> str:
        return f"{cn_numeral(self.number)}、{self.heading}"


class Document(_Model):
    county: str
    year: int
    title: OneLine
    opening: list[Paragraph]
    sections: list[Section]
    signature: list[OneLine]  # the 落款 lines: issuing unit, then date
    backend: str = "template"

    def sources(self) -> set[str]:
        out: set[str] = set()
        for para in self.opening + [p for s in self.sections for p in s.paragraphs]:
            for sent in para.sentences:
                out.update(sent.sources)
        return out
