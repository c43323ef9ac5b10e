"""Read a draft to check: `.md`, `.txt` or `.docx` → text whose line numbers are the ones
the report cites (for `.docx`, one line per paragraph: line N is paragraph N).
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from pipeline import limits
from pipeline.errors import InputError, Problem
from pipeline.text.files import count_tags, read_text_file, require_file, require_zip_within

SUFFIXES = (".md", ".markdown", ".txt", ".docx")


def read_draft(path: str | Path) -> str:
    path = Path(path)
    require_file(path, "草稿文件（.md、.txt 或 .docx）")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".md", ".markdown", ".txt"):
        return read_text_file(path)
    if suffix == ".doc":
        raise InputError([Problem(path.name, None, "", "不支持旧版 Word 格式（.doc），请在 Word 中另存为 .docx 后重试")])
    shown = suffix or "（无后缀）"
    raise InputError([Problem(path.name, None, "", f"不支持的文件类型“{shown}”，请提供 .md、.txt 或 .docx 文件")])


def _read_docx(path: Path) -> str:
    import zipfile

    import docx  # python-docx costs start-up time: load on demand
    from docx.opc.exceptions import PackageNotFoundError

    require_zip_within(path, "Word 文件", {"word/document.xml": limits.DOCX_XML_BYTES})
    _require_elements(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError, RecursionError):
        raise InputError([Problem(path.name, None, "", "无法读取 Word 文件：文件已损坏或不是 .docx 格式")]) from None
    # A soft line break inside a paragraph (Shift+Enter) must not shift the numbering:
    # paragraph N stays line N.
    lines = [p.text.replace("\r", " ").replace("\n", " ").replace("\v", " ") for p in document.paragraphs]
    return "\n".join(lines)


_START_TAG = re.compile(rb"<[A-Za-z]")


def _require_elements(path: Path) -> None:
    """word/document.xml's start tags counted, streamed, before python-docx builds a tree."""
    import zipfile

    limit = limits.DOCX_ELEMENTS
    try:
        with zipfile.ZipFile(path) as package:
            found = count_tags(package, package.getinfo("word/document.xml"), _START_TAG)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error):
        return  # no zip or no document part: python-docx says so below
    if found > limit.value:
        raise InputError([Problem(path.name, None, "", (
            f"Word 文件的正文中有 {found} 个 XML 元素，超过上限 {limit.value}（几页的总结通常只有数百到数千个），"
            f"疑似损坏或异常文件；{limit.hint()}"))])
