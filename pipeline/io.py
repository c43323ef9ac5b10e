"""Files the project writes: atomic writes (a reader or a killed batch never sees half a
file), and output file names made from place names (readable Chinese kept, nothing that
can leave the output folder, no collisions)."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_CHARS = 60  # well inside 255 bytes for CJK in UTF-8


def safe_name(name: str) -> str:
    """云岭县 → 云岭县; ../../etc/passwd → etc_passwd; '' → 未命名."""
    text = unicodedata.normalize("NFC", name).strip()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width, bidi
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"_*\.\.+_*", "_", text)  # no '..' anywhere: it could climb out
    text = text.strip(" ._")
    text = re.sub(r"_+", "_", text)
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return text[:MAX_CHARS] or "未命名"


def safe_names(names: list[str]) -> list[str]:
    """Safe names for a list of places, in order; repeats get -2, -3 … (case-insensitively,
    for file systems that fold case)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = safe_name(name)
        candidate, n = base, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out


_tmp_serial = itertools.count()


def write_atomic(path: str | Path, content: str | bytes, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, then rename: a reader (or a killed
    batch) never sees a half-written file. `durable` also survives a power cut (fsync);
    the run trail, a log, skips that cost.

    Plain os calls rather than tempfile.mkstemp: a batch writes several files per place and
    mkstemp's random names cost six times as much CPU; mkstemp would also leave the
    outputs readable by their owner only (0600)."""
    path = os.fspath(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder, name = os.path.split(path)
    # The pid and a counter make the name unique; the batch sweeps `.*.tmp` of killed runs.
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_tmp_serial)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        fd = os.open(tmp, flags, 0o666)
    except FileNotFoundError:  # a new folder: made only when needed, saving a stat per write
        os.makedirs(folder or ".", exist_ok=True)
        fd = os.open(tmp, flags, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
