"""Hostile files through the real `zongjie` entry point, as a user meets them: exit code
2, a Chinese message naming the file, no traceback, and nothing written (not even half a
file or a temporary one). The inputs are made here from committed small files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, run_cli

pytestmark = pytest.mark.slow

LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"
ACTIVITIES_SHEET = "xl/worksheets/sheet2.xml"  # 柏溪县台账.xlsx: sheet1 is 基本信息, sheet2 活动


def _repacked(src: Path, dst: Path, member: str, change) -> Path:
    """`src` with one member's bytes passed through `change`, every other member as it was."""
    with zipfile.ZipFile(src) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            zout.writestr(info, change(data) if info.filename == member else data)
    return dst


def _word_file(tmp_path: Path, name: str, document_xml: bytes) -> Path:
    import docx

    base = tmp_path / "base.docx"
    word = docx.Document()
    word.add_paragraph("全县开展宣讲活动12场。")
    word.save(base)
    return _repacked(base, tmp_path / name, "word/document.xml", lambda _: document_xml)


def _refused(done, name: str) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert name in done.stderr
    assert re.search(r"[\u4e00-\u9fff]{4}", done.stderr)  # said in Chinese
    return done.stderr


def _nothing_written(folder: Path, before: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == before  # no output, no .tmp, no report


# ------------------------------------------------------------------ Word drafts given to check


@pytest.mark.parametrize("name,xml", [
    ("空白.docx", b""),
    ("截断.docx", b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'),
    ("不是XML.docx", b"\x00\x01\x02 not xml at all"),
])
def test_check_of_a_docx_with_a_bad_document_xml(tmp_path, name, xml):
    path = _word_file(tmp_path, name, xml)
    before = {p.name for p in tmp_path.iterdir()}
    for args in (["check", str(path)], ["check", str(path), "--records", str(DATA / "spec_example.yaml")]):
        msg = _refused(run_cli(*args), name)
        assert "Word" in msg
    _nothing_written(tmp_path, before)


# ------------------------------------------------------------------ workbooks


def _row_beyond_the_sheet(data: bytes) -> bytes:
    far = b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>a99</t></is></c></row>'
    return data.replace(b"</sheetData>", far + b"</sheetData>")


@pytest.mark.parametrize("name,change,expect", [
    ("行数越界.xlsx", _row_beyond_the_sheet, "1048577"),
    ("范围越界.xlsx", lambda d: d.replace(b"</sheetData>", b'<row r="200001"><c r="L200001" t="inlineStr">'
                                       b'<is><t>x</t></is></c></row></sheetData>'), "L200001"),
    ("损坏.xlsx", lambda d: d[: len(d) // 2], "损坏"),
])
def test_workbooks_beyond_the_limits(tmp_path, name, change, expect):
    path = _repacked(LEDGER, tmp_path / name, ACTIVITIES_SHEET, change)
    before = {p.name for p in tmp_path.iterdir()}
    assert expect in _refused(run_cli("validate", str(path)), name)
    out = tmp_path / "总结.md"
    assert expect in _refused(run_cli("draft", str(path), "-o", str(out)), name)
    assert expect in _refused(run_cli("draft", str(path), "-o", str(tmp_path / "总结.docx")), name)
    _nothing_written(tmp_path, before)


@pytest.mark.parametrize("ref", [b"A1:XFD1048576", b"!!broken", b""])
def test_a_wrong_dimension_tag_is_not_believed(tmp_path, ref):
    """Excel's <dimension> is a hint some writers get wrong: the ledger is read by its cells."""
    path = _repacked(LEDGER, tmp_path / "柏溪县台账.xlsx", ACTIVITIES_SHEET,
                     lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + ref + b'"/>', d))
    done = run_cli("draft", str(path), "-o", str(tmp_path / "总结.md"))
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr
    assert (tmp_path / "总结.md").read_text(encoding="utf-8").startswith("# 柏溪县")


def test_far_cell_with_a_lying_dimension(tmp_path):
    def change(data: bytes) -> bytes:
        data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:L9"/>', data)
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                              b'<is><t>x</t></is></c></row></sheetData>')
    path = _repacked(LEDGER, tmp_path / "远处单元格.xlsx", ACTIVITIES_SHEET, change)
    assert "XFD1048576" in _refused(run_cli("validate", str(path)), "远处单元格.xlsx")


# ------------------------------------------------------------------ text files


@pytest.mark.parametrize("raw", [
    b"\xff\xfe" + "county: 云岭县\n".encode("utf-16-le")[:-1],   # odd byte count: cut in a character
    b"\xfe\xff" + "county: 云岭县\n".encode("utf-16-be") + b"\xd8\x00",   # a lone high surrogate
    b"\xff\xfe" + b"\x00\xd8c\x00",
])
def test_truncated_utf16(tmp_path, raw):
    records = tmp_path / "记录.yaml"
    records.write_bytes(raw)
    draft_file = tmp_path / "草稿.md"
    draft_file.write_bytes(raw)
    before = {p.name for p in tmp_path.iterdir()}
    assert "UTF-16" in _refused(run_cli("validate", str(records)), "记录.yaml")
    _refused(run_cli("draft", str(records), "-o", str(tmp_path / "总结.docx")), "记录.yaml")
    assert "UTF-16" in _refused(run_cli("check", str(draft_file)), "草稿.md")
    _nothing_written(tmp_path, before)


@pytest.mark.parametrize("name,text", [
    ("标签.yaml", "county: !!python/name:os.system x\n"),
    ("嵌套.yaml", "county: " + "[" * 800 + "]" * 800 + "\n"),
    ("嵌套.json", '{"county": ' + "[" * 50000 + "]" * 50000 + "}"),
    ("长整数.json", '{"county": 1' + "0" * 4400 + "}"),
    ("别名炸弹.yaml", "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))),
])
def test_records_that_used_to_give_a_traceback(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = {p.name for p in tmp_path.iterdir()}
    _refused(run_cli("validate", str(path)), name)
    _refused(run_cli("draft", str(path), "-o", str(tmp_path / "总结.md")), name)
    _nothing_written(tmp_path, before)
