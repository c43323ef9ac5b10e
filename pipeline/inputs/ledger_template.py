"""The blank ledger offered to offices (schema/台账模板.xlsx), written from the same
column and 概况 tables the loader reads, so the two cannot drift apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.inputs import ledger_sheets as layout
from pipeline.inputs.ledger_cells import DEFAULT_CAMPAIGN
from pipeline.inputs.ledger_sheets import COLUMNS, FACTS

_TEMPLATE_FACTS = tuple(FACTS)  # every 项目 the 说明 sheet documents has its row
_GUIDE = (
    "一个地区一本台账：“概况”表填写本地区的基本情况（“内容”列），“活动”表每行一项活动。",
    ("多个地区合用一本台账：在“活动”表加一列“县/区”写明每行所属地区；“概况”表改为每个地区一行，"
     "第1行为列名（县名、年度、活动名称、期间、落款、成文日期、依据文件、存在问题、下一步打算等“概况”项目），"
     f"也可不要“概况”表（年度取自活动日期，活动名称按“{DEFAULT_CAMPAIGN}”）。"),
    "“活动”表第1行是列名，不要改动；编号以“示例”开头的行不会读入，可删除。",
    "每一个数字、日期、单位名称和文件名都会写进总结并逐项核对，请照实填写。",
)


def write_template(path: str | Path) -> None:
    """The blank ledger offered to offices (schema/台账模板.xlsx): 概况, 活动 with one
    example row that the loader skips, and 说明 explaining every column in Chinese."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, grey = Font(bold=True), Font(italic=True, color="808080")
    fill = PatternFill("solid", fgColor="DDEBF7")
    book = openpyxl.Workbook()

    def sheet(ws, header: list[str], rows: list[list], widths: list[int]) -> None:
        ws.append(header)
        for row in rows:
            ws.append(row)
        for c, width in enumerate(widths):
            ws.column_dimensions[layout.letter(c)].width = width
            ws.cell(1, c + 1).font, ws.cell(1, c + 1).fill = bold, fill
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"

    facts = book.active
    facts.title = "概况"
    sheet(facts, ["项目", "内容", "填写示例"], [[FACTS[f][0], None, FACTS[f][3]] for f in _TEMPLATE_FACTS],
          [14, 50, 60])
    for (c,) in facts.iter_rows(min_row=2, min_col=3, max_col=3):
        c.font = grey
    acts = book.create_sheet("活动")
    sheet(acts, [spec[0] for spec in COLUMNS.values()], [[spec[4] for spec in COLUMNS.values()]],
          [8, 12, 12, 24, 30, 18, 10, 30, 30, 16, 24, 6])
    for c in acts[2]:
        c.font = grey
        if isinstance(c.value, dt.datetime):
            c.number_format = "yyyy-mm-dd"
    flags = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    acts.add_data_validation(flags)
    column = layout.letter(list(COLUMNS).index("highlight"))
    flags.add(f"{column}2:{column}1000")
    guide = book.create_sheet("说明")
    rows = [["填写须知", None, None, line, None] for line in _GUIDE]
    rows += [["概况", spec[0], "必填" if f == "county" else "", spec[2], spec[3]] for f, spec in FACTS.items()]
    rows += [["活动", spec[0], "必填" if spec[2] else "", spec[3],
              spec[4].strftime("%Y-%m-%d") if isinstance(spec[4], dt.datetime) else spec[4]]
             for spec in COLUMNS.values()]
    rows.append(["活动", layout.PLACE_COLUMN[0], "多地区必填", "多个地区合用一本台账时，每行所属的县（区）全称", "云岭县"])
    sheet(guide, ["工作表", "列/项目", "必填", "填写说明", "示例"], rows, [10, 12, 10, 70, 40])
    book.save(path)
