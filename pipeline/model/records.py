"""The records of one place and campaign: the typed input every stage reads
(docs: the records format in README). Loading them from files is `pipeline.inputs`."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from pipeline.text.chars import drop_format_chars, hidden_char, one_clause, one_line

DEFAULT_SECTION_KEYS = ("leadership", "publicity", "results")
CLOSING_SECTION_KEYS = ("problems", "plans")


def _text(v: str) -> str:
    """Free text (titles, notes, media, problems): not blank, no control character but a
    line break or tab; invisible format characters dropped."""
    if not v.strip():
        raise ValueError("不能为空白")
    bad = hidden_char(v, allow="\n\t")
    if bad:
        raise ValueError(f"含有控制字符（{bad}），请删除后重试")
    return drop_format_chars(v)


def _name(v: str) -> str:
    """A name (place, unit, campaign): one line, nothing invisible."""
    if not v.strip():
        raise ValueError("不能为空白")
    bad = hidden_char(v) or next((f"U+{ord(c):04X}" for c in v if c in "\u2028\u2029"), None)
    if bad:
        what = "换行" if bad in ("U+000A", "U+000D", "U+2028", "U+2029") else f"控制字符或不可见字符（{bad}）"
        raise ValueError(f"名称中含有{what}，请删除后重试")
    return v


def _number(v: Any) -> Any:
    """A figure's value: a finite, non-negative number; an int whenever it is integral, so
    that no value is rounded through a float on its way to the draft and the check."""
    if isinstance(v, bool):
        raise ValueError("应为数字，不能是 true/false")
    if isinstance(v, str):
        s = v.strip().replace(",", "")
        try:
            v = int(s)
        except ValueError:
            try:
                v = float(s)
            except ValueError:
                raise ValueError(f"应为数字，实际为“{v}”") from None
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("应为有限的数字（不能是无穷大或 NaN）")
        if v.is_integer():
            v = int(v)
    if not isinstance(v, int | float):
        raise ValueError(f"应为数字，实际为“{v}”")
    if v < 0:
        raise ValueError("不能为负数")
    return v


Text = Annotated[str, AfterValidator(_text)]
# A text that fills one slot of a sentence (a title, a document, a problem): folded onto
# one line with no sentence end inside, so it can add neither a line nor a sentence.
Clause = Annotated[str, AfterValidator(_text), AfterValidator(one_clause)]
# Free text that stays on one line: a heading or brief of the records' outline.
Line = Annotated[str, AfterValidator(one_line)]
Name = Annotated[str, AfterValidator(_name)]
Number = Annotated[int | float, BeforeValidator(_number), WithJsonSchema({"type": "number", "minimum": 0})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Figure(_Model):
    what: Clause = Field(min_length=1)
    value: Number
    unit: Name = Field(min_length=1)
    approx: bool = False


class Period(_Model):
    start: dt.date
    end: dt.date


class Basis(_Model):
    issuer: Line = ""
    title: Clause = Field(min_length=1)


class Section(_Model):
    key: str = Field(min_length=1)
    heading: Line | None = None
    brief: Line | None = None


class Activity(_Model):
    id: Name = Field(min_length=1)
    date: dt.date
    end_date: dt.date | None = None
    units: list[Name] = Field(min_length=1)
    title: Clause = Field(min_length=1)
    place: Name | None = None
    section: str | None = None
    figures: list[Figure] = []
    documents: list[Clause] = []
    media: list[Name] = []
    note: Text | None = None
    highlight: bool = False


class Records(_Model):
    county: Name = Field(min_length=2)
    year: int = Field(ge=1949, le=2100)
    campaign: Name = Field(min_length=1)
    doc_type: Name = "工作总结"
    period: Period | None = None
    author: Name | None = None
    date: dt.date | None = None
    basis: list[Basis] = []
    outline: list[Section] | None = None
    activities: list[Activity] = Field(min_length=1)
    totals: list[Figure] = []
    problems: list[Clause] = []
    plans: list[Clause] = []
    aliases: dict[Name, list[Name]] = {}

    def activity(self, aid: str) -> Activity:
        return next(a for a in self.activities if a.id == aid)


def json_schema() -> dict:
    """The JSON Schema of a records file, for editors that validate as people type."""
    schema = Records.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "zongjie 活动记录（records）"
    return schema
