"""Stage 1b: an Excel ledger (台账) → Records, one per place.

Two layouts (schema/台账模板.xlsx, sheet 说明, explains them to the people who fill them in):

1. One place: sheet 概况 (项目/内容 rows: 县名, 年度, 活动名称, 期间 …) and sheet 活动
   (column names in row 1: 编号, 日期, 单位, 活动 …, one activity per row).
2. Many places: the 活动 sheet has a 县/区 column; 概况 then has one row per place
   (columns 县名, 年度 …), or is absent: the year comes from the dates and the campaign
   from `default_campaign`.

Every cell is parsed by ledger_cells.py; a bad cell is a Problem located as
`活动!H17（数据）`. Each place's data then goes through records_from_data, so the model's
own checks apply, and their field paths are mapped back to cells. One place failing
never stops the others; only a workbook that cannot be read at all (no activities sheet,
a required column missing) raises InputError.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, Problem
from pipeline.inputs import ledger_cells as cells
from pipeline.inputs import ledger_sheets as layout
from pipeline.inputs.ledger_cells import DEFAULT_CAMPAIGN
from pipeline.inputs.ledger_sheets import COLUMN_NAMES, COLUMNS, FACTS, Table, norm, read_table
from pipeline.inputs.records import records_from_data
from pipeline.inputs.workbook import open_workbook
from pipeline.model.records import SECTION_NAMES, Records

ACTIVITY_SHEETS = ("活动", "活动记录", "活动台账", "台账")
FACTS_SHEET_NAMES = ("概况", "基本情况", "基本信息")
EXAMPLE_MARK = "示例"  # rows whose 编号 starts with it are the template's examples
NO_PLACE = "（未填写县/区）"
Rows = list[tuple[int, list]]  # (sheet row, its cell values)
SECTIONS = {**{name: key for key, name in SECTION_NAMES.items()}, "宣传": "publicity",
            "实效": "results", "成效": "results", "存在问题": "problems"}

@dataclass
class LedgerPlace:
    """One place of a workbook: its records when they are usable, and every problem."""

    name: str
    records: Records | None
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)  # activity id → 活动!第N行, for a reader

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class _Place:
    """The records data of one place being assembled, with where each field came from."""

    def __init__(self, file: str, name: str, fallback: str):
        self.file, self.name, self.fallback = file, name, fallback
        self.data: dict[str, Any] = {}
        self.where: dict[tuple, tuple[str, str]] = {}  # data path → (cell ref, header)
        self.bad: set[tuple] = set()  # data paths whose cell is already reported
        self.rows: dict[int, int] = {}  # activity index → sheet row
        self.fragments: dict[tuple, str] = {}  # figure path → the text it came from
        self.problems: list[Problem] = []
        self.empty_message = "没有活动记录：请在“活动”表中每行填写一项活动（至少一项）"

    def warn(self, ref: str, message: str) -> None:
        self.problems.append(Problem(self.file, None, ref, message, "warning"))

    def cell(self, path: tuple, at: tuple[str, str], parse, value: Any, *args) -> Any:
        """Parse one cell for `path`; a CellError becomes one problem per message there."""
        self.where[path] = at
        if cells.text(value) is None:
            return None
        try:
            return parse(value, *args)
        except cells.CellError as exc:
            self.bad.add(path)
            self.problems += [Problem(self.file, None, at[0], m) for m in exc.messages]
            return None

    def put(self, target: dict, key: str, value: Any) -> None:
        if value not in (None, [], {}):
            target[key] = value

    def figures(self, base: tuple, at: tuple[str, str], value: Any) -> list[dict] | None:
        pairs = self.cell(base, at, cells.parse_figures, value) or []
        for j, (frag, _) in enumerate(pairs):
            self.where[base + (j,)] = at
            self.fragments[base + (j,)] = frag
        return [f for _, f in pairs] or None


def _dates(value: Any, year: int | None) -> tuple[dt.date, dt.date | None]:
    span = cells.parse_range(value, year)
    return span if span else (cells.parse_date(value, year), None)


def _activity(p: _Place, t: Table, row: int, values: list, year: int | None) -> None:
    i = len(p.data["activities"])
    p.rows[i] = row
    p.where[("activities", i)] = (f"{t.sheet}!第{row}行", "")
    a: dict[str, Any] = {"id": cells.text(t.get(values, "id")) or f"r{row}"}
    p.where[("activities", i, "id")] = t.ref(row, "id")

    def cell(name, parse, *args):
        return p.cell(("activities", i, name), t.ref(row, name), parse, t.get(values, name), *args)

    span = cell("date", _dates, year)
    end = cell("end_date", cells.parse_date, year)
    if span:
        a["date"] = span[0]
        if span[1] and end and end != span[1]:
            p.bad.add(("activities", i, "end_date"))
            p.problems.append(Problem(p.file, None, t.ref(row, "end_date")[0],
                                      "日期列已写起止日期，与结束日期不一致：请只保留一处"))
        end = end or span[1]
    p.put(a, "end_date", end)
    p.put(a, "units", cell("units", cells.parse_list))
    for name in ("title", "place", "note"):
        p.put(a, name, cell(name, lambda v: cells.text(v)))
    section = cell("section", lambda v: cells.text(v))
    p.put(a, "section", SECTIONS.get(section, section.lower() if section and section.isascii() else section))
    figures = p.figures(("activities", i, "figures"), t.ref(row, "figures"), t.get(values, "figures"))
    p.put(a, "figures", figures)
    p.put(a, "documents", cell("documents", cells.parse_documents))
    p.put(a, "media", cell("media", cells.parse_list))
    if cell("highlight", cells.parse_flag):
        a["highlight"] = True
    p.data["activities"].append(a)


def _year_hint(t: Table, rows: Rows) -> int | None:
    years: Counter = Counter()
    for _, values in rows:
        try:
            years[_dates(t.get(values, "date"), None)[0].year] += 1
        except (cells.CellError, TypeError):
            pass
    return years.most_common(1)[0][0] if years else None


def _facts(p: _Place, facts: dict, hint: int | None, default_campaign: str | None) -> int | None:
    """The place's own facts (概况) into p.data; returns the year used to read dates."""
    def at(name):
        return facts.get(name, (None, p.fallback, FACTS[name][0]))[1:]

    def cell(name, parse, *args, path=None):
        return p.cell(path or (name,), at(name), parse, facts.get(name, (None,))[0], *args)

    p.put(p.data, "county", cell("county", lambda v: cells.text(v)))
    year = cell("year", cells.parse_year)
    span = cell("period", cells.parse_range, year or hint, path=("period",))
    if cells.text(facts.get("period", (None,))[0]) and span is None and ("period",) not in p.bad:
        p.bad.add(("period",))
        p.problems.append(Problem(p.file, None, at("period")[0], "期间应写起止日期，如“2024-09-01至2024-09-30”"))
    if not span and ("period",) not in p.bad:
        start = cell("start", cells.parse_date, year or hint, path=("period", "start"))
        end = cell("end", cells.parse_date, year or hint, path=("period", "end"))
        if start and end:
            span = (start, end)
        elif start or end:
            missing = "end" if start else "start"
            p.bad.add(("period",))
            p.problems.append(Problem(p.file, None, at(missing)[0], f"未填写{FACTS[missing][0]}，期间须有起止两个日期"))
    if span:
        p.data["period"] = {"start": span[0], "end": span[1]}
    p.where.setdefault(("period",), at("period"))
    if year is None and ("year",) not in p.bad:
        year = span[0].year if span else hint
    p.put(p.data, "year", year if ("year",) not in p.bad else None)
    year = year or hint
    campaign = cell("campaign", lambda v: cells.text(v))
    if not campaign and default_campaign:
        campaign = default_campaign
        p.warn(at("campaign")[0], f"未填写活动名称，按“{default_campaign}”起草" if p.fallback
               else f"没有“概况”表：活动名称按“{default_campaign}”，年度取自活动日期")
    p.put(p.data, "campaign", campaign)
    p.put(p.data, "doc_type", cell("doc_type", lambda v: cells.text(v)))
    p.put(p.data, "author", cell("author", lambda v: cells.text(v)))
    p.put(p.data, "date", cell("date", cells.parse_date, year))
    p.put(p.data, "basis", cell("basis", cells.parse_basis))
    p.put(p.data, "problems", cell("problems", cells.parse_lines))
    p.put(p.data, "plans", cell("plans", cells.parse_lines))
    p.put(p.data, "aliases", cell("aliases", cells.parse_aliases))
    p.put(p.data, "totals", p.figures(("totals",), at("totals"), facts.get("totals", (None,))[0]))
    return year


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _relocate(p: _Place, problem: Problem) -> Problem | None:
    """A problem of records_from_data, moved from its field path to the cell; None when
    the cell behind it is already reported."""
    path = tuple(int(i) if i else k for i, k in _PART.findall(problem.path))
    if any(path[:n] in p.bad for n in range(1, len(path) + 1)):
        return None
    probe = path
    while probe and probe not in p.where:
        probe = probe[:-1]
    ref, label = p.where.get(probe, (p.fallback, ""))
    msg = problem.message
    if msg == "缺少必填项":
        name = path[-1] if path else ""
        if not label:
            label = COLUMNS[name][0] if len(path) > 2 and name in COLUMNS else FACTS.get(name, (name,))[0]
        msg = f"未填写{label}"
    if path == ("activities",) and msg == "不能为空":
        msg = p.empty_message
    if path[:4] in p.fragments or path[:2] in p.fragments:
        msg += f"（“{p.fragments.get(path[:4]) or p.fragments[path[:2]]}”）"
    msg = re.sub(r"\s*activities\[(\d+)\]", lambda m: f"第{p.rows.get(int(m[1]), '?')}行", msg)
    return Problem(p.file, None, ref, msg, problem.severity)


def _finish(p: _Place, common: list[Problem], order: dict[str, int]) -> LedgerPlace:
    records = None
    try:
        records, model = records_from_data(p.data, p.file, ledger=True)
    except InputError as exc:
        model = exc.problems
    problems = common + p.problems + [r for r in (_relocate(p, q) for q in model) if r]

    def key(q: Problem):
        sheet, _, cell = q.path.partition("!")
        m = re.match(r"([A-Z]*)(\d+)|第(\d+)行", cell)
        col = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(m[1]))) if m and m[1] else 0
        return order.get(sheet.split("（")[0], -1), int(m[2] or m[3]) if m else 0, col

    problems.sort(key=key)
    if any(q.severity == "error" for q in problems):
        records = None
    rows = {str(a.get("id")): p.where[("activities", i)][0]
            for i, a in enumerate(p.data.get("activities", [])) if ("activities", i) in p.where}
    return LedgerPlace(p.name, records, problems, rows)


def _activity_sheet(file: str, sheets: dict[str, list[list]]) -> Table:
    named = [s for s in sheets if norm(s) in ACTIVITY_SHEETS]
    others = [s for s in sheets if norm(s) not in FACTS_SHEET_NAMES + ("说明",)]
    for title in named or others:
        t = read_table(title, sheets[title], COLUMN_NAMES)
        missing = [spec[0] for f, spec in COLUMNS.items() if spec[2] and f not in t.cols]
        if named or not missing:
            if missing:
                wanted = "、".join(spec[0] for spec in COLUMNS.values())
                raise InputError([Problem(file, None, f"{title}!第{t.header_row}行",
                                          f"缺少“{m}”列（第{t.header_row}行应为列名：{wanted}）") for m in missing])
            return t
    raise InputError([Problem(file, None, "", "找不到活动表：请把活动记录放在名为“活动”的工作表中，第1行为列名"
                              f"（编号、日期、单位、活动……）；现有工作表：{'、'.join(sheets) or '无'}")])


def load_workbook_records(path: str | Path,
                          default_campaign: str | None = DEFAULT_CAMPAIGN) -> list[LedgerPlace]:
    """Every place of a ledger workbook, in the order the 活动 sheet first names them.
    Raises InputError only when the workbook as a whole cannot be read."""
    path = Path(path)
    file = path.name
    book = open_workbook(path)
    sheets = {ws.title.strip(): layout.sheet_grid(ws) for ws in book.worksheets}
    order = {title: k for k, title in enumerate(sheets)}
    t = _activity_sheet(file, sheets)
    common = [Problem(file, None, ref, msg, "warning") for ref, msg in t.notes]
    rows = []
    for row, values in t.rows:
        if (cells.text(t.get(values, "id")) or "").startswith(EXAMPLE_MARK):
            common.append(Problem(file, None, t.ref(row, "id")[0], "示例行，已跳过（填写活动时请改写编号）", "warning"))
        else:
            rows.append((row, values))
    facts_title = next((s for s in sheets if norm(s) in FACTS_SHEET_NAMES), None)
    fact_rows, notes = layout.fact_rows(facts_title, sheets[facts_title]) if facts_title else ([], [])
    common += [Problem(file, None, ref, msg, "warning") for ref, msg in notes]
    fallback = facts_title or ""
    multi = "county" in t.cols
    if multi:
        groups, facts_of = _many_places(file, t, rows, fact_rows, fallback, common)
    else:
        groups, facts_of = _one_place(file, path.stem, rows, facts_title, fact_rows)
    places = []
    for name, place_rows in groups.items():
        p = _Place(file, name, fallback)
        if name == NO_PLACE:
            for row, _ in place_rows:
                p.problems.append(Problem(file, None, t.ref(row, "county")[0], "未填写县/区，此行无法归入任何地区"))
            places.append(LedgerPlace(name, None, common + p.problems))
            continue
        facts = facts_of.get(name)
        if facts is None:
            facts = {}
            if fact_rows:
                p.warn(fallback, f"概况表中没有“{name}”的行：年度取自活动日期")
        if multi:
            facts = {**facts, "county": (name, *facts.get("county", (None, fallback, "县名"))[1:])}
            others = [g for g in groups if groups[g] and g != name]
            close = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
            p.empty_message = f"“{t.sheet}”表中没有“{name}”的行" + (f"（是否应为“{close[0]}”？）" if close else "")
        year = _facts(p, facts, _year_hint(t, place_rows), default_campaign)
        p.data["activities"] = []
        for row, values in place_rows:
            _activity(p, t, row, values, year)
        p.where[("activities",)] = (t.sheet, "")
        places.append(_finish(p, common, order))
    return places


def _one_place(file: str, stem: str, rows: Rows, facts_title: str | None,
               fact_rows: list[dict]) -> tuple[dict[str, Rows], dict[str, dict]]:
    """The one place of a workbook without a 县/区 column: its rows and its 概况 facts."""
    if not facts_title:
        raise InputError([Problem(file, None, "", "缺少“概况”工作表（县名、年度、活动名称等）；"
                                  "多个地区的台账请在活动表加一列“县/区”")])
    if len(fact_rows) > 1:
        raise InputError([Problem(file, None, facts_title, "概况表有多行：一个地区的台账只填一行；"
                                  "多个地区请在活动表加一列“县/区”")])
    facts = fact_rows[0] if fact_rows else {}
    name = cells.text(facts.get("county", (None,))[0]) or stem
    return {name: rows}, {name: facts}


def _many_places(file: str, t: Table, rows: Rows, fact_rows: list[dict], fallback: str,
                 common: list[Problem]) -> tuple[dict[str, Rows], dict[str, dict]]:
    """The places named in the 县/区 column (and in 概况), each with its rows and facts:
    one 概况 row without 县名 is shared by all. Rows of 概况 that cannot be used are warned
    about in `common`."""
    groups: dict[str, Rows] = {}
    for row, values in rows:
        groups.setdefault(cells.text(t.get(values, "county")) or NO_PLACE, []).append((row, values))
    if len(fact_rows) == 1 and "county" not in fact_rows[0]:
        return groups, dict.fromkeys(groups, fact_rows[0])
    by_place: dict[str, dict] = {}
    for facts in fact_rows:
        value, ref, _ = facts.get("county", (None, fallback, ""))
        if not cells.text(value):
            common.append(Problem(file, None, ref, "未填写县名，此行已忽略", "warning"))
        elif cells.text(value) in by_place:
            common.append(Problem(file, None, ref, f"“{cells.text(value)}”已在前面出现，此行已忽略", "warning"))
        else:
            by_place[cells.text(value)] = facts
            groups.setdefault(cells.text(value), [])
    return groups, by_place


def load_one_place(path: str | Path) -> tuple[Records, list[Problem]]:
    """The records of a workbook of one place, as load_records gives them for a YAML file;
    InputError when the workbook has several places or the place's data is not usable."""
    path = Path(path)
    places = load_workbook_records(path)
    if len(places) != 1:
        names = "、".join(p.name for p in places)
        raise InputError([Problem(path.name, None, "", f"台账中有 {len(places)} 个地区（{names}），"
                                  "请用 zongjie batch 批量起草")])
    place = places[0]
    if place.records is None:
        raise InputError(place.errors)
    return place.records, place.warnings
