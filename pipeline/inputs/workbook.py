"""Opening a ledger workbook within the limits (pipeline.limits): an old .xls or a zip
bomb is refused before openpyxl reads it, a used range larger than a ledger needs before
any sheet is walked, and a formula whose result was never saved is named at its cell
(openpyxl reads no formula result that Excel did not store)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline import limits
from pipeline.errors import InputError, Problem
from pipeline.text.files import count_tags, is_ole, require_file, require_zip_within

_EXCEL_COLUMNS = 16384  # XFD
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def open_workbook(path: Path):
    require_file(path, "Excel 台账（.xlsx）")
    import openpyxl  # lazily: start-up time matters for every other command

    if path.suffix.lower() == ".xls" or is_ole(path):
        raise InputError([Problem(path.name, None, "", "这是旧版 Excel 格式（.xls）的文件，"
                                  "请在 Excel 或 WPS 中另存为 .xlsx 后重试")])
    require_zip_within(path, "Excel 文件")
    try:
        _require_counts(path)
        book = openpyxl.load_workbook(path, data_only=True)
        for ws in book.worksheets:
            _require_extent(path.name, ws)
        if _has_formulas(path):
            _require_cached_results(path, book, openpyxl.load_workbook(path, data_only=False))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 — zip, XML and format errors alike
        message = f"无法读取 Excel 文件（{type(exc).__name__}）：文件已损坏或不是 .xlsx 格式"
        raise InputError([Problem(path.name, None, "", message)]) from None
    return book


def _require_extent(file: str, ws) -> None:
    rows, cols = ws.max_row, ws.max_column
    if cols > _EXCEL_COLUMNS:  # cells written without references run past XFD: no Excel file
        raise InputError([Problem(file, None, ws.title, (
            f"工作表“{ws.title}”有一行写到第 {cols} 列，超出 Excel 的最大列 XFD（{_EXCEL_COLUMNS} 列）："
            "文件不是 Excel/WPS 保存的或已损坏，请在 Excel 或 WPS 中打开后另存为 .xlsx"))])
    if rows > limits.SHEET_ROWS.value or cols > limits.SHEET_COLUMNS.value:
        from openpyxl.utils import get_column_letter

        limit = limits.SHEET_ROWS if rows > limits.SHEET_ROWS.value else limits.SHEET_COLUMNS
        far = f"{get_column_letter(cols)}{rows}"
        raise InputError([Problem(file, None, f"{ws.title}!{far}", (
            f"工作表“{ws.title}”的使用范围到 {far}（{rows} 行 × {cols} 列），超过上限 "
            f"{limits.SHEET_ROWS.value} 行 × {limits.SHEET_COLUMNS.value} 列：请删除远处多余的单元格内容或格式；"
            f"{limit.hint()}"))])


_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _require_counts(path: Path) -> None:
    """Cells and shared strings counted in the XML, streamed a megabyte at a time, before
    openpyxl holds an object for each: a small file of a million strings or cells
    otherwise takes seconds and hundreds of MB per hundred thousand."""
    cells = strings = 0
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            if not info.filename.lower().endswith(".xml"):
                continue
            sheet = info.filename.startswith("xl/worksheets/")
            found = count_tags(package, info, _CELL if sheet else _STRING)
            cells, strings = (cells + found, strings) if sheet else (cells, strings + found)
            for count, limit, what in ((cells, limits.WORKBOOK_CELLS, "个单元格"),
                                       (strings, limits.SHARED_STRINGS, "条共享字符串")):
                if count > limit.value:
                    raise InputError([Problem(path.name, None, "", (
                        f"工作簿中写有超过 {limit.value} {what}，远超台账所需，疑似损坏或异常文件；"
                        f"请删除多余内容后另存为 .xlsx；{limit.hint()}"))])


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as package:
        return any(_FORMULA.search(package.read(name)) for name in package.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _require_cached_results(path: Path, values, formulas) -> None:
    missing = []
    for ws_v, ws_f in zip(values.worksheets, formulas.worksheets, strict=True):
        for row in ws_f.iter_rows():
            for cell in row:
                if cell.data_type == "f" and ws_v[cell.coordinate].value is None:
                    missing.append(Problem(path.name, None, f"{ws_f.title}!{cell.coordinate}",
                                           f"公式 {str(cell.value)[:40]} 没有保存计算结果：请在 Excel 或 WPS 中"
                                           "打开该文件、保存后重试"))
    if missing:
        raise InputError(missing)
