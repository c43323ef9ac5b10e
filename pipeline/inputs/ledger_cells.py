"""The ledger (台账) format: its columns and 概况 items, reading a sheet's header row, and
one cell → plain records data. Used by ledger.py.

Each cell parser takes what openpyxl gives for a cell (str, int, float, bool, datetime or
None) and returns plain data for the records model, or raises CellError whose messages
say what was found and how to write it (`无法识别“参与群众很多”，应写作“参与群众300人”`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipeline.text.measure import common_units, unit_words

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
_ENUM = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.．、]|[一二三四五六七八九十]+[是、.．]|[•·\-])\s*")

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
    return [s for s in (_ENUM.sub("", x).rstrip("。；; ") for x in _split(value, _LINE_SEPS)) if s]


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


# ---------------------------------------------------------------- sheets

# field: (header, other accepted headers, required, 说明, 示例). Drives reading, the
# template and its 说明 sheet.
COLUMNS: dict[str, tuple[str, tuple[str, ...], bool, str, Any]] = {
    "id": ("编号", ("序号",), False, "同一台账内不重复；留空时按行号编为 r行号；以“示例”开头的行不读入", "示例1"),
    "date": ("日期", ("开始日期", "活动日期", "时间"), True,
             "Excel 日期，或 2024-09-02、2024/9/2、2024年9月2日、9月2日（年份取自年度）；"
             "也可写起止“9月2日至5日”", dt.datetime(2024, 9, 2)),
    "end_date": ("结束日期", (), False, "持续多日的活动填写，格式同日期", None),
    "units": ("单位", ("组织单位", "牵头单位", "责任单位", "主办单位"), True,
              "组织单位，牵头单位在前，多个用、或，分隔", "县委统战部、县委宣传部"),
    "title": ("活动", ("活动内容", "活动名称", "标题"), True, "做了什么，几个字说清；活动名可加引号“”",
              "召开宣传月任务部署会"),
    "place": ("地点", ("活动地点",), False, "活动地点", "县行政中心三楼会议室"),
    "section": ("栏目", (), False, "归入总结的哪一部分：组织领导（leadership）、宣传教育（publicity）、"
                "活动实效（results）；留空由程序归类", "组织领导"),
    "figures": ("数据", ("活动数据", "数量"), False,
                "事项+数字+单位，多项用；或，分隔：参与群众300人；发放宣传册1.2万份；约数写“800余人”。"
                f"单位：{'、'.join(UNITS)}", "参会单位32个；参会人员68人"),
    "documents": ("文件", ("印发文件",), False, "印发的文件名，《》可有可无，多个用、或；分隔",
                  "《关于开展2024年全县民族团结进步宣传月活动的通知》"),
    "media": ("媒体", ("报道媒体", "宣传报道"), False, "报道的媒体，多个用、分隔", "县融媒体中心"),
    "note": ("备注", (), False, "补充说明；其中的数字和名称也算记录的事实", "各乡镇明确联络员1名"),
    "highlight": ("重点", (), False, "总结必须写到的活动填“是”，否则留空", "是"),
}
PLACE_COLUMN = ("县/区", ("县区", "地区", "单位名称", "县名", "县(区)"))
# field: (项目, other accepted names, 说明, 示例)
FACTS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "county": ("县名", ("县/区", "县区", "地区", "单位名称"), "全称，如云岭县、石门区、东湖街道", "云岭县"),
    "year": ("年度", ("年份",), "如 2024；留空时取自期间或活动日期", "2024"),
    "campaign": ("活动名称", ("活动",), f"留空时按“{DEFAULT_CAMPAIGN}”", DEFAULT_CAMPAIGN),
    "period": ("期间", ("活动期间",), "如 2024-09-01至2024-09-30、2024年9月1日至30日；也可分填开始、结束",
               "2024-09-01至2024-09-30"),
    "start": ("开始", ("开始日期",), "期间的开始日期（不填期间时）", ""),
    "end": ("结束", ("结束日期",), "期间的结束日期（不填期间时）", ""),
    "author": ("落款", ("落款单位",), "发文单位", "中共云岭县委统战部"),
    "date": ("成文日期", (), "格式同日期", "2024-10-15"),
    "basis": ("依据文件", ("依据",), "每行一个，或用；分隔，写作 发文单位《文件名》",
              "市委宣传部、市民委《关于印发2024年全市民族团结进步宣传教育工作实施方案的通知》"),
    "problems": ("存在问题", ("存在的问题", "问题"), "每行一条，或用；分隔", "部分乡镇宣传形式较为单一"),
    "plans": ("下一步打算", ("下一步工作打算", "打算"), "每行一条，或用；分隔", "推动宣传教育常态化"),
    "aliases": ("别名", ("简称",), "每行一个：全称=简称1、简称2", "县委统一战线工作部=县委统战部"),
    "totals": ("合计", ("总数",), "全县合计数，写法同数据列", "共开展活动56场次"),
    "doc_type": ("文种", (), "留空为“工作总结”", "工作总结"),
}


def norm(value: Any) -> str:
    t = re.sub(r"[\s*＊]", "", text(value) or "")
    return t.replace("／", "/").replace("（", "(").replace("）", ")")


def _lookup(table: dict) -> dict[str, str]:
    return {norm(n): f for f, spec in table.items() for n in (spec[0], *spec[1])}


COLUMN_NAMES = {**_lookup(COLUMNS), **{norm(n): "county" for n in (PLACE_COLUMN[0], *PLACE_COLUMN[1])}}
FACT_NAMES = _lookup(FACTS)


def letter(col: int) -> str:  # 0-based → A, B, … AA
    out = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class Table:
    sheet: str
    header_row: int
    cols: dict[str, int]  # field → 0-based column
    labels: dict[str, str]  # field → header as written
    rows: list[tuple[int, list]]  # (row number, values), blank rows left out
    notes: list[tuple[str, str]]  # (ref, warning) about the header row

    def get(self, values: list, name: str) -> Any:
        col = self.cols.get(name)
        return values[col] if col is not None and col < len(values) else None

    def ref(self, row: int, name: str) -> tuple[str, str]:
        if name not in self.cols:
            return f"{self.sheet}!第{row}行", ""
        return f"{self.sheet}!{letter(self.cols[name])}{row}（{self.labels[name]}）", self.labels[name]


def sheet_grid(ws) -> list[list]:
    """Cell values by row, a merged range's value filled into each of its cells."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        value = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                rows[r][c] = value
    return rows


def read_table(title: str, grid: list[list], names: dict[str, str]) -> Table:
    """The header row (the first of the first five rows naming most known columns) and
    the rows under it."""
    head = max(range(min(5, len(grid)) or 1), key=lambda r: (
        sum(norm(v) in names for v in grid[r]) if r < len(grid) else 0, -r))
    cols: dict[str, int] = {}
    labels: dict[str, str] = {}
    notes = []
    for c, v in enumerate(grid[head] if grid else []):
        f, label = names.get(norm(v)), text(v)
        ref = f"{title}!{letter(c)}{head + 1}"
        if f in cols:
            notes.append((ref, f"列“{label}”重复，只读取 {letter(cols[f])} 列"))
        elif f:
            cols[f], labels[f] = c, label
        elif label:
            close = difflib.get_close_matches(norm(v), list(names), n=1, cutoff=0.5)
            canonical = {field: n for n, field in reversed(list(names.items()))}
            hint = f"，是否应为“{canonical[names[close[0]]]}”？" if close else ""
            notes.append((ref, f"未识别的列“{label}”，已忽略{hint}"))
    rows = [(r + 1, row) for r, row in enumerate(grid) if r > head and any(text(v) for v in row)]
    return Table(title, head + 1, cols, labels, rows, notes)


def fact_rows(title: str, grid: list[list]) -> tuple[list[dict], list[tuple[str, str]]]:
    """概况 → one {field: (value, ref, label)} per place, and (ref, warning) notes: a
    项目/内容 sheet gives one, a sheet with a header row (县名, 年度 …) one per row."""
    keyed = [r for r, row in enumerate(grid) if row and norm(row[0]) in FACT_NAMES]
    if len(keyed) < 2 and not (grid and grid[0] and norm(grid[0][0]) == "项目"):
        t = read_table(title, grid, FACT_NAMES)
        return [{f: (t.get(values, f), *t.ref(row, f)) for f in t.cols} for row, values in t.rows], t.notes
    facts: dict = {}
    notes = []
    for r, row in enumerate(grid):
        key, value = text(row[0]) if row else None, row[1] if len(row) > 1 else None
        name = FACT_NAMES.get(norm(key))
        if name and name not in facts:
            facts[name] = (value, f"{title}!B{r + 1}（{key}）", key)
        elif key and norm(key) != "项目" and text(value):
            close = difflib.get_close_matches(norm(key), list(FACT_NAMES), n=1, cutoff=0.5)
            hint = f"（是否应为“{FACTS[FACT_NAMES[close[0]]][0]}”？）" if close else ""
            why = "重复，只读取第一行" if name else f"未识别，已忽略{hint}"
            notes.append((f"{title}!A{r + 1}（项目）", f"项目“{key}”{why}"))
    return [facts], notes
