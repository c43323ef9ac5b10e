"""The ledger's layout: its columns and 概况 items (which drive reading, the template and
its 说明 sheet), and reading a sheet's header row and the rows under it. The cells of those
rows are parsed by ledger_cells.py."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from pipeline.inputs.ledger_cells import DEFAULT_CAMPAIGN, UNITS, text

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
