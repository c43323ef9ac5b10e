"""Inputs over pipeline.limits end as InputError, before the memory or time is spent."""

from __future__ import annotations

import zipfile

import pytest

from pipeline.errors import InputError
from pipeline.inputs import load_records, read_draft


def _error(fn, path) -> str:
    with pytest.raises(InputError) as exc:
        fn(path)
    return str(exc.value)


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "别名" in _error(load_records, path)


def test_many_aliases_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONGJIE_MAX_YAML_ALIASES", "3")
    path = tmp_path / "r.yaml"
    path.write_text("a: &a 1\nb: [*a, *a, *a, *a]\n", encoding="utf-8")
    msg = _error(load_records, path)
    assert "r.yaml:2" in msg and "ZONGJIE_MAX_YAML_ALIASES" in msg


@pytest.mark.parametrize("name,text", [
    ("deep.yaml", "a: " + "[" * 200 + "]" * 200 + "\n"),
    ("deep.json", '{"a": ' + "[" * 100000 + "]" * 100000 + "}"),
])
def test_deep_nesting_is_refused(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert "嵌套" in _error(load_records, path)


@pytest.mark.parametrize("name,text", [
    ("big.yaml", "county: 1" + "0" * 5000 + "\n"),
    ("big.json", '{"county": 1' + "0" * 5000 + "}"),
])
def test_huge_integers_are_refused(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert "位数过多" in _error(load_records, path)


@pytest.mark.parametrize("text", ["county: !foo x\n", "county: !!python/name:os.system x\n"])
def test_yaml_tags_are_refused(tmp_path, text):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert "r.yaml:1" in _error(load_records, path)


def test_tagged_value_that_does_not_convert(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("year: 2024\ncounty: !!int 云岭县\n", encoding="utf-8")
    assert "r.yaml:2" in _error(load_records, path)


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONGJIE_MAX_FILE_MB", "0.001")
    path = tmp_path / "r.yaml"
    path.write_text("county: 云岭县\n" * 200, encoding="utf-8")
    assert "ZONGJIE_MAX_FILE_MB" in _error(load_records, path)


def test_truncated_utf16(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(b"\xff\xfec\x00o\x00u")
    assert "UTF-16" in _error(load_records, path)


def test_xls_is_told_to_save_as_xlsx(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert "另存为 .xlsx" in _error(load_records, path)


def test_docx_zip_bomb_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONGJIE_MAX_DOCX_XML_MB", "1")
    path = tmp_path / "d.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (3 * 2**20))
    assert "document.xml 过大" in _error(read_draft, path)


def test_empty_document_xml(tmp_path):
    path = tmp_path / "d.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", b"")
    assert "Word" in _error(read_draft, path)


def test_far_cell_does_not_build_the_rectangle(tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="未安装 openpyxl，跳过台账测试")
    book = openpyxl.Workbook()
    book.active.title = "活动"
    book.active["A1"] = "编号"
    book.active["XFD1048576"] = "x"
    path = tmp_path / "台账.xlsx"
    book.save(path)
    assert "XFD1048576" in _error(load_records, path)
