"""Reading a text file someone saved on an office PC: UTF-8 with or without a BOM, UTF-16
with a BOM (Notepad's “Unicode”), and a located Chinese message for anything else."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError, Problem

_RESAVE = "，请另存为 UTF-8 后重试（记事本：“另存为”→ 编码选 UTF-8）"


def require_file(path: Path, expected: str) -> None:
    """InputError unless `path` is a file; `expected` names what it should be
    (“记录文件（.yaml/.yml/.json）”) for the message about a folder."""
    if not path.exists():
        raise InputError([Problem(str(path), None, "", "文件不存在")])
    if path.is_dir():
        raise InputError([Problem(str(path), None, "", f"这是一个文件夹，应为{expected}")])


def read_text_file(path: Path) -> str:
    """The text of a file, one line per \\n whatever the platform wrote; InputError naming
    the file and the first line that is not UTF-8 (saying so when it is GBK)."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError([Problem(path.name, None, "", f"文件不是有效的 UTF-16 编码{_RESAVE}")]) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError([Problem(path.name, line, "", f"{_encoding(raw)}{_RESAVE}")]) from None
    # line numbers in messages and reports count \n only
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encoding(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码"
    return "文件是 GBK（GB2312/GB18030）编码"
