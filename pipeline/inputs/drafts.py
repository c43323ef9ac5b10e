"""Read a draft to check: `.md`, `.txt` or `.docx` → text whose line numbers are the ones
the report cites (for `.docx`, one line per paragraph: line N is paragraph N).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError, Problem

SUFFIXES = (".md", ".markdown", ".txt", ".docx")


def read_draft(path: str | Path) -> str:
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), None, "", "文件不存在")])
    if path.is_dir():
        raise InputError([Problem(str(path), None, "", "这是一个文件夹，应为草稿文件（.md、.txt 或 .docx）")])
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".md", ".markdown", ".txt"):
        return _read_text(path)
    if suffix == ".doc":
        raise InputError([Problem(path.name, None, "", "不支持旧版 Word 格式（.doc），请在 Word 中另存为 .docx 后重试")])
    shown = suffix or "（无后缀）"
    raise InputError([Problem(path.name, None, "", f"不支持的文件类型“{shown}”，请提供 .md、.txt 或 .docx 文件")])


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's “Unicode”: UTF-16 with a BOM
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            try:
                raw.decode("gb18030")
                what = "文件是 GBK（GB2312/GB18030）编码"
            except UnicodeDecodeError:
                what = "文件不是 UTF-8 编码"
            raise InputError([Problem(path.name, line, "",
                                      f"{what}，请另存为 UTF-8 后重试（记事本：“另存为”→ 编码选 UTF-8）")]) from None
    # one line per \n, whatever the platform wrote
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_docx(path: Path) -> str:
    import zipfile

    import docx  # python-docx costs start-up time: load on demand
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError([Problem(path.name, None, "", "无法读取 Word 文件：文件已损坏或不是 .docx 格式")]) from None
    # A soft line break inside a paragraph (Shift+Enter) must not shift the numbering:
    # paragraph N stays line N.
    lines = [p.text.replace("\r", " ").replace("\n", " ").replace("\v", " ") for p in document.paragraphs]
    return "\n".join(lines)
