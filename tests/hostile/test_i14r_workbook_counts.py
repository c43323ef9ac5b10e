"""Workbooks that are small on disk and huge in openpyxl: a row run past Excel's last
column (cells written without references), more cells or shared strings than any ledger
holds. Counted in the XML, streamed, before openpyxl builds an object per cell."""

from __future__ import annotations

import zipfile

import pytest

from conftest import FIXTURES
from pipeline.errors import InputError
from pipeline.inputs import load_records

LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"
SHEET = "xl/worksheets/sheet2.xml"  # 活动


def _repacked(dst, change=None, extra=None):
    with zipfile.ZipFile(LEDGER) as zin:
        items = [(i, zin.read(i)) for i in zin.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if change and info.filename == SHEET else data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return dst


def _refusal(path) -> str:
    with pytest.raises(InputError) as err:
        load_records(path)
    return str(err.value)


def test_a_row_past_xfd_is_refused_as_no_excel_file(tmp_path):
    row = b'<row r="40">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * 16_400 + b"</row>"
    path = _repacked(tmp_path / "过宽.xlsx", lambda d: d.replace(b"</sheetData>", row + b"</sheetData>"))
    message = _refusal(path)
    assert "过宽.xlsx" in message and "XFD" in message and "16400" in message and "活动" in message
    assert "ValueError" not in message


def _strings(n: int) -> bytes:
    return (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + b"".join(b"<si><t>s%06d</t></si>" % i for i in range(n)) + b"</sst>")


@pytest.mark.parametrize("limit,refused", [(99_999, True), (100_000, False)])
def test_shared_strings_are_counted_exactly_across_read_chunks(tmp_path, monkeypatch, limit, refused):
    # 100,000 entries of 22 bytes: the 1 MB read chunks cut tags, and none is counted twice
    monkeypatch.setenv("ZONGJIE_MAX_SHARED_STRINGS", str(limit))
    path = _repacked(tmp_path / "字符串.xlsx", extra={"xl/sharedStrings.xml": _strings(100_000)})
    if refused:
        assert "共享字符串" in _refusal(path) and "ZONGJIE_MAX_SHARED_STRINGS" in _refusal(path)
    else:
        assert load_records(path)[0].county == "柏溪县"


def test_cells_beyond_the_limit_are_refused_before_they_are_built(tmp_path, monkeypatch):
    rows = b"".join(b'<row r="%d">' % r + b'<c t="n"><v>1</v></c>' * 10 + b"</row>" for r in range(100, 30_100))
    path = _repacked(tmp_path / "大表.xlsx", lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"))
    message = _refusal(path)
    assert "大表.xlsx" in message and "单元格" in message and "ZONGJIE_MAX_WORKBOOK_CELLS" in message


def test_the_cell_count_is_the_cells_written(monkeypatch):
    with zipfile.ZipFile(LEDGER) as z:
        written = sum(z.read(n).count(b"<c ") + z.read(n).count(b"<c>") for n in z.namelist()
                      if n.startswith("xl/worksheets/"))
    monkeypatch.setenv("ZONGJIE_MAX_WORKBOOK_CELLS", str(written))
    assert load_records(LEDGER)[0].county == "柏溪县"
    monkeypatch.setenv("ZONGJIE_MAX_WORKBOOK_CELLS", str(written - 1))
    assert "单元格" in _refusal(LEDGER)
