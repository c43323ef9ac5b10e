"""The ledger (台账) format, one cell → plain records data. Used by ledger.py; the layout
(columns, 概况 items, header rows) is in ledger_sheets.py.

Each cell parser takes what openpyxl gives for a cell (str, int, float, bool, datetime or
None) and returns plain data for the records model, or raises CellError whose messages
say what was found and how to write it (`无法识别“参与群众很多”，应写作“参与群众300人”`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from pipeline.text.measure import common_units, unit_words
from pipeline.text.shape import drop_item_start

DEFAULT_CAMPAIGN = "民族团结进步宣传月"
UNITS = unit_words()  # prompts/lexicon/measure_words.yaml, the table the checker reads
UNITS_TABLE = "prompts/lexicon/measure_words.yaml"
FIGURE_EXAMPLE = "参与群众300人"
DATE_EXAMPLE = "“2024-09-02”或“2024年9月2日”"

_WIDE = str.maketrans("０１２３４５６７８９．−", "0123456789.-")
_UNIT_RE = "|".join(map(re.escape, UNITS))
_NUMBER_THEN = re.compile(r"(?P<what>.*?)\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>万|千|亿)?\s*(?P<rest>.*)")
_FIGURE = re.compile(
    rf"(?P<what>.*?)\s*(?P<pre>大约|约|将近|(?<![附最就])近|逾|超过)?\s*(?P<num>-?\d+(?:\.\d+)?)\s*"
    rf"(?P<mult>万|千|亿)?\s*(?P<post>余|多)?\s*(?P<unit>{_UNIT_RE})\s*(?P<tail>余|左右|以上)?")
_MULT = {"万": 10000, "千": 1000, "亿": 100000000}
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_ITEM_SEPS = "、，,；;\n"
_LINE_SEPS = "；;\n"

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MD = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_D = re.compile(r"(\d{1,2})\s*[日号]")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月份?")
_RANGE_SEP = re.compile(r"\s*(?:至|到|——|—|–|~|～|－)\s*")
_RANGE_HYPHEN = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}|.+?[日号])\s*-\s*(.+)")

_TRUE = {"是", "√", "✓", "✔", "☑", "1", "y", "yes", "true", "重点", "★"}
_FALSE = {"否", "×", "✗", "0", "n", "no", "false", "不是", "无"}


class CellError(ValueError):
    """A cell that cannot be read; one message per bad part of it."""

    def __init__(self, *messages: str):
        super().__init__("；".join(messages))
        self.messages = list(messages)


def text(value: Any) -> str | None:
    """A cell as text: None when blank; 3 and 3.0 read "3"; a date reads YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    out = str(value).strip()
    return out or None


def _split(value: Any, seps: str) -> list[str]:
    """Split on separators outside 《…》, dropping blanks."""
    items, depth, cur = [], 0, ""
    for ch in text(value) or "":
        depth += (ch == "《") - (ch == "》")
        if ch in seps and depth <= 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    return [s.strip() for s in items + [cur] if s.strip()]


def parse_list(value: Any) -> list[str]:
    """单位 and 媒体: separated by 、，；, or one per line."""
    return _split(value, _ITEM_SEPS)


def parse_lines(value: Any) -> list[str]:
    """存在问题 and 下一步打算: separated by ；or one per line; numbering is dropped."""
    return [s for s in (drop_item_start(x).rstrip("。；; ") for x in _split(value, _LINE_SEPS)) if s]


def parse_documents(value: Any) -> list[str]:
    """文件: titles with or without 《》, separated by 、 or ；."""
    out = []
    for item in _split(value, "、；;\n"):
        titles = re.findall(r"《([^《》]+)》", item)
        out += [t.strip() for t in titles] if titles else [item.strip("《》 ")]
    return [t for t in out if t]


def parse_basis(value: Any) -> list[dict]:
    """依据文件: one per line or ；-separated, each 发文单位《文件名》."""
    out = []
    for item in _split(value, _LINE_SEPS):
        pairs = re.findall(r"([^《》]*?)《([^《》]+)》", item)
        if not pairs:
            out.append({"issuer": "", "title": item.strip()})
        for issuer, title in pairs:
            issuer = re.sub(r"(印发的|下发的|的)$", "", issuer.strip(" 、，,；;"))
            out.append({"issuer": issuer.strip(), "title": title.strip()})
    return out


def parse_aliases(value: Any) -> dict[str, list[str]]:
    """别名: one per line, 全称=简称1、简称2."""
    out: dict[str, list[str]] = {}
    bad = []
    for line in _split(value, _LINE_SEPS):
        full, eq, short = line.replace("＝", "=").partition("=")
        names = parse_list(short)
        if not eq or not full.strip() or not names:
            bad.append(f"无法识别“{line}”，应写作“县委统一战线工作部=县委统战部”（简称之间用、分隔）")
        else:
            out.setdefault(full.strip(), []).extend(names)
    if bad:
        raise CellError(*bad)
    return out


def parse_flag(value: Any) -> bool:
    """重点: 是/否/✓/1/空."""
    if value is None or isinstance(value, bool):
        return bool(value)
    t = (text(value) or "").lower()
    if not t or t in _FALSE:
        return False
    if t in _TRUE:
        return True
    raise CellError(f"无法识别“{t}”，应填“是”或留空")


def parse_year(value: Any) -> int:
    t = (text(value) or "").translate(_WIDE)
    m = re.fullmatch(r"(\d{4})\s*(?:年度?)?", t)
    if not m:
        raise CellError(f"无法识别年度“{t}”，应写作“2024”")
    return int(m.group(1))


def _number(num: str, mult: str | None) -> int | float:
    v = Decimal(num) * _MULT.get(mult or "", 1)
    return int(v) if v == v.to_integral_value() else float(v)


def parse_figure(fragment: str) -> dict:
    frag = _THOUSANDS.sub("", fragment.translate(_WIDE)).strip()
    m = _FIGURE.fullmatch(frag)
    if not m:
        raise CellError(_figure_refusal(fragment, frag))
    what = m["what"].strip(" ：:")
    if not what or not re.search(r"[^\d\s.]", what):
        raise CellError(f"无法识别“{fragment}”：缺少所计的事项，应在数字前写明计的是什么，"
                        f"如“{_thing(m['unit'])}{m['num']}{m['mult'] or ''}{m['unit']}”")
    unit, mult = m["unit"], m["mult"]
    if mult == "万" and unit == "元":  # 5万元 stays 5 万元, as offices report money
        unit, mult = "万元", None
    return {"what": what, "value": _number(m["num"], mult), "unit": unit,
            # 近600 is below 600: approx would let the draft say 600余, the opposite.
            "approx": bool(m["post"] or m["tail"] or (m["pre"] and "近" not in m["pre"]))}


def _thing(unit: str) -> str:
    """A 事项 that fits the unit, for an example."""
    if unit.endswith("元"):
        return "投入经费"
    return "参与群众" if unit in ("人", "人次", "名", "位") else "发放宣传品"


def _figure_refusal(fragment: str, frag: str) -> str:
    """Why a 数据 fragment is not 事项+数字+单位, with an example made of the clerk's own words."""
    m = _NUMBER_THEN.fullmatch(frag)
    if not m:
        return f"无法识别“{fragment}”：缺少数字，应写作“事项+数字+单位”，如“{FIGURE_EXAMPLE}”"
    what, num = m["what"].strip(" ：:") or "参与群众", m["num"] + (m["mult"] or "")
    rest = m["rest"].strip()
    allowed = f"常用单位：{'、'.join(common_units())}（全部 {len(UNITS)} 个见 {UNITS_TABLE}）"
    if not rest:
        return f"无法识别“{fragment}”：数字后缺少单位，应写作如“{what}{num}个”；{allowed}"
    return (f"无法识别“{fragment}”：单位“{rest}”不在量词表中，应写作如“{what}{num}个”；{allowed}")


def parse_figures(value: Any) -> list[tuple[str, dict]]:
    """数据: “参与群众300人；发放宣传册2000份” → [(fragment, figure), …]. Every bad
    fragment is reported, not only the first."""
    t = _THOUSANDS.sub("", (text(value) or "").translate(_WIDE))
    out, bad = [], []
    for frag in _split(t, "；;，,、。\n"):
        try:
            out.append((frag, parse_figure(frag)))
        except CellError as exc:
            bad += exc.messages
    if bad:
        raise CellError(*bad)
    return out


def _make_date(y: int, m: int, d: int, shown: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        why = "月份应为1至12" if not 1 <= m <= 12 else f"{m}月没有{d}日"
        raise CellError(f"日期“{shown}”不存在：{why}") from None


def parse_date(value: Any, year: int | None, month: int | None = None) -> dt.date:
    """An Excel date cell, or text 2024-09-02, 2024/9/2, 2024年9月2日, 9月2日 (year from
    `year`), 2日 (year and month given)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        v = int(value)
        if m := _COMPACT.fullmatch(str(v)):
            return _make_date(int(m[1]), int(m[2]), int(m[3]), str(v))
        if 60 < v < 80000:  # an Excel serial day shown as a number
            return dt.date(1899, 12, 30) + dt.timedelta(days=v)
    t = (text(value) or "").translate(_WIDE)
    if m := _YMD.fullmatch(t) or _COMPACT.fullmatch(t):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), t)
    if (m := _MD.fullmatch(t)) or (month and (m := _D.fullmatch(t))):
        if year is None:
            raise CellError(f"“{t}”缺少年份：请写明年份（如“2024年{t}”），或在概况表填写年度")
        parts = (int(m[1]), int(m[2])) if m.re is _MD else (month, int(m[1]))
        return _make_date(year, parts[0], parts[1], t)
    raise CellError(f"无法识别日期“{t}”，应写作{DATE_EXAMPLE}")


def parse_range(value: Any, year: int | None) -> tuple[dt.date, dt.date] | None:
    """“2024-09-01至2024-09-30”, “2024-09-01—2024-09-30”, “2024年9月1日至30日”,
    “2024年9月” (the whole month) → (start, end); None when the cell is not a range."""
    t = (text(value) or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if isinstance(value, dt.date) or not t:
        return None
    if m := _MONTH.fullmatch(t):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    parts = _RANGE_SEP.split(t)
    if len(parts) != 2:
        m = _RANGE_HYPHEN.fullmatch(t)
        if not m or _YMD.fullmatch(t):
            return None
        parts = [m[1], m[2]]
    start = parse_date(parts[0], year)
    try:
        end = parse_date(parts[1], start.year, start.month)
    except CellError:
        raise CellError(f"无法识别“{t}”的结束日期，应写作“2024-09-01至2024-09-30”") from None
    return start, end
