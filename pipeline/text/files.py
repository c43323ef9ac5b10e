"""Reading a text file someone saved on an office PC: UTF-8 with or without a BOM, UTF-16
with a BOM (Notepad's “Unicode”), and a located Chinese message for anything else."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from pipeline import limits
from pipeline.errors import InputError, Problem

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files (.xls, .doc)
_RESAVE = "，请另存为 UTF-8 后重试（记事本：“另存为”→ 编码选 UTF-8）"


def require_file(path: Path, expected: str) -> None:
    """InputError unless `path` is a regular file; `expected` names what it should be
    (“记录文件（.yaml/.yml/.json）”). A pipe, a device or a socket is refused before it is
    opened: reading a FIFO waits for a writer forever, /dev/zero never ends."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        broken = path.is_symlink()
        raise InputError([Problem(str(path), None, "", "符号链接指向的文件不存在" if broken
                                  else "文件不存在")]) from None
    except OSError as exc:
        why = {errno.ELOOP: "符号链接循环（链接最终指回自身），无法打开",
               errno.EACCES: "没有读取权限", errno.ENAMETOOLONG: "路径过长"}.get(
                   exc.errno, f"无法访问（{exc.strerror or type(exc).__name__}）")
        raise InputError([Problem(str(path), None, "", why)]) from None
    if stat.S_ISDIR(mode):
        raise InputError([Problem(str(path), None, "", f"这是一个文件夹，应为{expected}")])
    if not stat.S_ISREG(mode):
        raise InputError([Problem(str(path), None, "", f"这不是普通文件（而是管道、设备或套接字），应为{expected}")])


def require_size(path: Path, limit: limits.Limit) -> None:
    """InputError when the file is larger than `limit` (bytes)."""
    size = path.stat().st_size
    if size > limit.value:
        raise InputError([Problem(path.name, None, "", f"文件过大（{size / 2**20:.1f} MB，上限 "
                                  f"{limit.value / 2**20:.0f} MB）；{limit.hint()}")])


def is_ole(path: Path) -> bool:
    """Whether the file is an old Office compound file (.xls, .doc), whatever its suffix."""
    with path.open("rb") as f:
        return f.read(8) == _OLE


def read_text_file(path: Path) -> str:
    """The text of a file, one line per \\n whatever the platform wrote; InputError naming
    the file and the first line that is not UTF-8 (saying so when it is GBK)."""
    require_file(path, "文本文件")
    require_size(path, limits.FILE_BYTES)
    try:
        raw = path.read_bytes()
    except OSError as exc:  # unreadable for this user, or a disk error
        raise InputError([Problem(path.name, None, "", f"无法读取文件（{exc.strerror or type(exc).__name__}）")]) from None
    if raw.startswith(_OLE):
        raise InputError([Problem(path.name, None, "", "这是旧版 Office 文件（.xls/.doc），不是文本："
                                  "请在 Excel/WPS 中另存为 .xlsx，或在 Word 中另存为 .docx 后重试")])
    if raw.startswith(b"PK\x03\x04"):
        raise InputError([Problem(path.name, None, "", "这是 .xlsx/.docx 等压缩包格式的文件，不是文本："
                                  "请确认文件后缀是否正确")])
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


def require_zip_within(path: Path, what: str, member_limits: dict[str, limits.Limit] | None = None) -> None:
    """InputError when the zip package (.xlsx, .docx) would unfold to more than
    limits.UNZIPPED_BYTES, or one named member over its own limit: read from the zip's
    directory before anything is decompressed. A file that is no zip is left to the
    reader, which says so in its own words."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(i.file_size for i in infos)
    if total > limits.UNZIPPED_BYTES.value:
        raise InputError([Problem(path.name, None, "", f"{what}解压后过大（{total / 2**20:.0f} MB，上限 "
                                  f"{limits.UNZIPPED_BYTES.value / 2**20:.0f} MB），疑似损坏或“压缩炸弹”；"
                                  f"{limits.UNZIPPED_BYTES.hint()}")])
    for info in infos:
        limit = (member_limits or {}).get(info.filename)
        if limit and info.file_size > limit.value:
            raise InputError([Problem(path.name, None, "", f"{what}的 {info.filename} 过大（{info.file_size / 2**20:.0f} MB，"
                                      f"上限 {limit.value / 2**20:.0f} MB）；{limit.hint()}")])


def count_tags(package, info, tag: re.Pattern) -> int:
    """How often `tag` occurs in one zip member, streamed a megabyte at a time (the
    member is never held whole): elements counted before a parser builds them."""
    found, tail = 0, b""
    with package.open(info) as member:
        while chunk := member.read(1 << 20):
            window = tail + chunk
            # a tag cut at the chunk edge is counted in the window that completes it
            found += sum(1 for m in tag.finditer(window) if m.end() > len(tail))
            tail = window[-16:]
    return found


_OS_REASONS = {errno.EACCES: "没有读写权限", errno.EPERM: "没有读写权限", errno.EROFS: "所在位置只读",
               errno.ENOSPC: "磁盘空间不足", errno.ENOENT: "路径不存在或无法在此创建", errno.EISDIR: "这是一个文件夹",
               errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENAMETOOLONG: "文件名过长"}


def os_problem(exc: OSError) -> Problem:
    """A file the system would not read or write (read-only folder, full disk …), in Chinese."""
    where = exc.filename if isinstance(exc.filename, str) else ""
    if where:  # a write goes through a hidden temporary file beside the real one: name the real one
        folder, name = os.path.split(where)
        real = re.fullmatch(r"\.(.+)\.\d+-\d+\.tmp", name)
        where = os.path.join(folder, real.group(1)) if real else where
    reason = _OS_REASONS.get(exc.errno or 0, f"系统错误（errno {exc.errno}）")
    return Problem(where, None, "", f"无法读写该文件：{reason}；请换一个位置或检查权限后重试")
