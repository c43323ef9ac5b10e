"""Word files built to hurt the reader: a million tiny paragraphs under the size limit,
nesting past libxml2's depth, an entity bomb in a DTD, an external entity naming a local
file. Each ends at once with exit 2 (or, for the external entity, unread)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from conftest import run_cli
from pipeline.errors import InputError
from pipeline.inputs import read_draft

HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _docx(tmp_path, name, change) -> str:
    d = docx.Document()
    d.add_paragraph("澜水县民族团结进步宣传月活动总结")
    d.add_paragraph("今年9月，我县开展宣传月活动。")
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / name
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info)
            out.writestr(info, change(data) if info.filename == "word/document.xml" else data)
    return path


def _with_dtd(data: bytes, dtd: bytes, entity: bytes) -> bytes:
    body = data.split(b"?>", 1)[1].lstrip()
    return HEAD + b"<!DOCTYPE w:document [" + dtd + b"]>\n" + body.replace(
        "<w:t>今年".encode(), b"<w:t>" + entity + "今年".encode(), 1)


def _many(data: bytes) -> bytes:
    return data.replace(b"<w:sectPr", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 200_000 + b"<w:sectPr", 1)


def test_a_million_tiny_elements_are_counted_before_python_docx_builds_them(tmp_path):
    with pytest.raises(InputError) as err:
        read_draft(_docx(tmp_path, "碎段.docx", _many))
    assert "碎段.docx" in str(err.value) and "ZONGJIE_MAX_DOCX_ELEMENTS" in str(err.value)


def test_the_element_count_is_exact(tmp_path, monkeypatch):
    path = _docx(tmp_path, "总结.docx", lambda d: d)
    with zipfile.ZipFile(path) as z:
        tags = len(re.findall(rb"<[A-Za-z]", z.read("word/document.xml")))
    monkeypatch.setenv("ZONGJIE_MAX_DOCX_ELEMENTS", str(tags))
    assert read_draft(path).splitlines()[0] == "澜水县民族团结进步宣传月活动总结"
    monkeypatch.setenv("ZONGJIE_MAX_DOCX_ELEMENTS", str(tags - 1))
    with pytest.raises(InputError, match="XML 元素"):
        read_draft(path)


@pytest.mark.parametrize("case", ["deep", "entity_bomb"])
def test_deep_nesting_and_an_entity_bomb_are_refused(tmp_path, case):
    if case == "deep":
        change = lambda d: d.replace(  # noqa: E731
            b"<w:sectPr", b"<w:p><w:r>" + b"<w:smartTag>" * 5000 + b"</w:smartTag>" * 5000 + b"</w:r></w:p><w:sectPr", 1)
    else:
        levels = b'<!ENTITY e0 "' + b"A" * 64 + b'">' + b"".join(
            b'<!ENTITY e%d "' % i + (b"&e%d;" % (i - 1)) * 10 + b'">' for i in range(1, 9))
        change = lambda d: _with_dtd(d, levels, b"&e8;")  # noqa: E731
    path = _docx(tmp_path, f"{case}.docx", change)
    with pytest.raises(InputError, match="无法读取 Word 文件"):
        read_draft(path)


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-LINE-9f3", encoding="utf-8")
    path = _docx(tmp_path, "外部实体.docx", lambda d: _with_dtd(
        d, b'<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">', b"&x;"))
    try:
        text = read_draft(path)
    except InputError:
        return  # refused is as good as unread
    assert "SECRET-LINE" not in text


@pytest.mark.slow
def test_the_cli_check_of_tiny_paragraphs_ends_at_once(tmp_path):
    proc = run_cli("check", str(_docx(tmp_path, "碎段.docx", _many)), cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "XML 元素" in proc.stderr and "Traceback" not in proc.stderr
