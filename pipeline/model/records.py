"""The records of one place and campaign: the typed input every stage reads
(docs: the records format in README). Loading them from files is `pipeline.inputs`."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from pipeline import limits
from pipeline.text.chars import drop_format_chars, hidden_char, one_clause, one_line
from pipeline.text.shape import drop_item_start, fold_lookalikes, html_tag, item_number, lead_mark, sentence_end

DEFAULT_SECTION_KEYS = ("leadership", "publicity", "results")
CLOSING_SECTION_KEYS = ("problems", "plans")
# what a clerk calls each default section (the ledger's 栏目 column, messages)
SECTION_NAMES = {"leadership": "组织领导", "publicity": "宣传教育", "results": "活动实效",
                 "problems": "存在的问题", "plans": "下一步打算"}


def _text(v: str) -> str:
    """Free text (titles, notes, media, problems): not blank, no control character but a
    line break or tab; invisible format characters dropped."""
    if not v.strip():
        raise ValueError("不能为空白")
    bad = hidden_char(v, allow="\n\t")
    if bad:
        raise ValueError(f"含有控制字符（{bad}），请删除后重试")
    return fold_lookalikes(drop_format_chars(v))


def _no_markup(v: str) -> str:
    """Text a draft shows: no HTML tag, which a Markdown viewer would render as a heading,
    a table or a script."""
    tag = html_tag(v)
    if tag:
        raise ValueError(f"含有网页标记“{tag}”，记录中只写文字，请删除后重试")
    return v


def _clause(v: str) -> str:
    """A slot of one sentence: no item number of its own (一是/二是 open a list item)."""
    item = item_number(v)
    if item:
        raise ValueError(f"含有条目序号“{item}”：每条只写一件事，请去掉序号，或拆成两条")
    return _no_markup(v)


def _heading(v: str) -> str:
    """An outline heading, used word for word: folded like a slot (one line, no sentence
    end inside), and no number of its own (the draft numbers its parts)."""
    v = one_clause(_text(v))
    mark = lead_mark(v)
    if mark:
        raise ValueError(f"小标题不必带序号“{mark}”，草稿自动编号，请删去")
    return _no_markup(v)


def _name(v: str) -> str:
    """A name (place, unit, campaign): one line, nothing invisible."""
    if not v.strip():
        raise ValueError("不能为空白")
    bad = None if v.isprintable() else (  # U+2028/9 are not printable either
        hidden_char(v) or next((f"U+{ord(c):04X}" for c in v if c in "\u2028\u2029"), None))
    if bad:
        what = "换行" if bad in ("U+000A", "U+000D", "U+2028", "U+2029") else f"控制字符或不可见字符（{bad}）"
        raise ValueError(f"名称中含有{what}，请删除后重试")
    return _name_shape(fold_lookalikes(v))


def _name_shape(v: str) -> str:
    """A name fills one slot: it ends no sentence and starts no heading (a signature, a
    title, an opening start with a name)."""
    end = sentence_end(v)
    if end:
        raise ValueError(f"名称中含有句末标点“{end}”，名称不能自成一句，请删除后重试")
    mark = lead_mark(v)
    if mark:
        raise ValueError(f"名称以序号或标题符号“{mark}”开头，会在草稿中另起一个标题，请删去")
    return _no_markup(v)


def _issuer(v: str) -> str:
    """Issuers of a basis document: empty (none given) or names on one line."""
    return v if v == "" else _name(one_line(v))


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
    if v > limits.FIGURE_MAX:
        raise ValueError("数值过大（上限为 10 的 18 次方），请检查是否多输了数字")
    return v


Text = Annotated[str, AfterValidator(_text)]
# A text that fills one slot of a sentence (a title, a document, a problem): folded onto
# one line with no sentence end inside, so it can add neither a line nor a sentence.
Clause = Annotated[str, AfterValidator(_text), AfterValidator(one_clause), AfterValidator(_clause)]
# Free text that stays on one line: the brief of an outline section (the model reads it).
Line = Annotated[str, AfterValidator(_text), AfterValidator(one_line)]
# A problem or plan: a clause whose own list number (一是, 2.) is dropped, since the draft
# numbers the items itself; a second number inside is still two items in one.
Item = Annotated[str, BeforeValidator(lambda v: drop_item_start(v) if isinstance(v, str) else v),
                 AfterValidator(_text), AfterValidator(one_clause), AfterValidator(_clause)]
Heading = Annotated[str, AfterValidator(_heading)]
Issuer = Annotated[str, AfterValidator(_issuer)]
Name = Annotated[str, AfterValidator(_name)]


def _unit(v: str) -> str:
    """A measure word is a few characters (人, 场次, 万人次): a long one is some other text
    in the wrong field, and would be printed whole in every message about it."""
    if len(v) > UNIT_MAX:
        raise ValueError(f"量词过长（{len(v)} 字，开头为“{v[:8]}…”）：应为人、户、场次这样的量词")
    return v


UNIT_MAX = 8
Unit = Annotated[str, AfterValidator(_name), AfterValidator(_unit)]
Number = Annotated[int | float, BeforeValidator(_number),
                   WithJsonSchema({"type": "number", "minimum": 0, "maximum": limits.FIGURE_MAX})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


def _about(title: str, description: str, **kw: Any) -> Any:
    """A field with the Chinese title and description an editor shows on hover (JSON Schema)."""
    return Field(title=title, description=description, **kw)


class Figure(_Model):
    model_config = ConfigDict(title="统计项", json_schema_extra={"description": "一个数字：统计什么、多少、什么单位"})

    what: Clause = _about("事项", "统计的是什么，如 参与群众、发放宣传册、摸底少数民族群众", min_length=1)
    value: Number = _about("数值", "数字，不能为负；约数另填 approx: true", default=...)
    unit: Unit = _about("单位", "计量单位：人、人次、户、份、场、场次、次、个、件、条、袋、册、万元等，"
                        "须在量词表 prompts/lexicon/measure_words.yaml 中", min_length=1)
    approx: bool = _about("约数", "true 表示约数，草稿可写作“800余人”；缺省为 false", default=False)


class Period(_Model):
    model_config = ConfigDict(title="活动期间", json_schema_extra={"description": "活动的起止日期"})

    start: dt.date = _about("开始日期", "活动期间的第一天，写作 2024-09-01")
    end: dt.date = _about("结束日期", "活动期间的最后一天，写作 2024-09-30，不早于开始日期")


class Basis(_Model):
    model_config = ConfigDict(title="依据文件", json_schema_extra={"description": "导语引用的上级文件"})

    issuer: Issuer = _about("发文单位", "上级文件的发文单位，如 市委宣传部、市民委；可不填", default="")
    title: Clause = _about("文件名", "文件标题，一字不差，不加书名号《》", min_length=1)


class Section(_Model):
    model_config = ConfigDict(title="提纲栏目", json_schema_extra={"description": "总结的一个部分"})

    key: str = _about("栏目代号", "简短代号：leadership（组织领导）、publicity（宣传教育）、results（活动实效）、"
                      "problems（存在的问题）、plans（下一步打算），或自定的代号；活动的 section 填它", min_length=1)
    heading: Heading | None = _about("标题", "给出时草稿必须一字不差使用这个小标题；不填由程序拟定", default=None)
    brief: Line | None = _about("内容提要", "这一部分写什么，供起草参考，如 组织领导、方案部署", default=None)


class Activity(_Model):
    model_config = ConfigDict(title="活动", json_schema_extra={"description": "一条活动记录：谁、哪天、做了什么、有哪些数字"})

    id: Name = _about("编号", "活动编号，同一文件内不重复，如 a01；核对报告用它指明依据", min_length=1)
    date: dt.date = _about("日期", "活动日期（多日活动为开始日期），写作 2024-09-02")
    end_date: dt.date | None = _about("结束日期", "持续多日的活动填写，写作 2024-09-05，不早于日期", default=None)
    units: list[Name] = _about("单位", "组织单位，牵头单位在前，如 [县委统战部, 县委宣传部]", min_length=1)
    title: Clause = _about("活动", "做了什么，几个字说清；活动名称可加引号“”", min_length=1)
    place: Name | None = _about("地点", "活动地点，如 城关镇文化广场", default=None)
    section: str | None = _about("栏目", "归入提纲的哪一部分，填栏目代号（如 publicity）；不填由程序按关键词归类",
                                 default=None)
    figures: list[Figure] = _about("数据", "这次活动的统计数字，每项 {what, value, unit}", default=[])
    documents: list[Clause] = _about("文件", "这次活动印发的文件名，不加书名号《》", default=[])
    media: list[Name] = _about("媒体", "报道这次活动的媒体，如 县融媒体中心", default=[])
    note: Text | None = _about("备注", "补充说明，供起草和核对参考；备注不会写成草稿里的句子，只出现在备注里的数字不能作为草稿数字的依据", default=None)
    highlight: bool = _about("重点", "true 表示总结必须写到这次活动；缺省为 false", default=False)


class Records(_Model):
    model_config = ConfigDict(title="zongjie 活动记录（records）",
                              json_schema_extra={"description": "一个地区一次活动的全部记录：草稿中的每个事实都须出自这里"})

    county: Name = _about("地区", "总结所属地区的全称，带县、区、旗、自治县、镇、街道等，如 云岭县", min_length=2)
    year: int = _about("年度", "活动年度，如 2024；草稿标题和正文的年份须与它一致", ge=1949, le=2100)
    campaign: Name = _about("活动名称", "如 民族团结进步宣传月", min_length=1)
    doc_type: Name = _about("文种", "起草的文种，缺省为“工作总结”", default="工作总结")
    period: Period | None = _about("活动期间", "活动的起止日期，{start: 2024-09-01, end: 2024-09-30}", default=None)
    author: Name | None = _about("落款单位", "发文单位全称，用于落款，如 中共云岭县委统战部；不填时落款只写地名",
                                 default=None)
    date: dt.date | None = _about("成文日期", "总结的成文日期，写作 2024-10-15；不填时落款没有日期", default=None)
    basis: list[Basis] = _about("依据文件", "导语引用的上级文件，每项 {issuer, title}", default=[])
    outline: list[Section] | None = _about("提纲", "总结必须有的部分及顺序；不填时用默认提纲（组织领导、宣传教育、"
                                          "活动实效，有问题、打算时加上这两部分）", default=None)
    activities: list[Activity] = _about("活动", "活动记录，至少一项", min_length=1)
    totals: list[Figure] = _about("合计", "本地区自己统计的合计数，如 共开展活动56场次，每项 {what, value, unit}",
                                  default=[])
    problems: list[Item] = _about("存在的问题", "每条一句；填写后默认提纲加上“存在的问题”部分", default=[])
    plans: list[Item] = _about("下一步打算", "每条一句；填写后默认提纲加上“下一步工作打算”部分", default=[])
    aliases: dict[Name, list[Name]] = _about("别名", "同一单位的其他叫法，全称: [简称]，如 县委统一战线工作部: [县委统战部]",
                                             default={})

    def activity(self, aid: str) -> Activity:
        return next(a for a in self.activities if a.id == aid)


def json_schema() -> dict:
    """The JSON Schema of a records file, for editors that validate as people type."""
    schema = Records.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
