"""Stage 5: Document → bytes in an output format. Formats are registered in FORMATS by
file suffix; the Word renderer is imported only when asked for."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from pathlib import Path
from typing import Callable

from .document import Document


# Where a Markdown line came from: ("opening", paragraph index), (section key, paragraph
# index), ("heading", section key), ("title", 0), ("signature", i), or None for a blank.
Origin = tuple[str, object] | None


def markdown_lines(doc: Document) -> list[tuple[str, Origin]]:
    out: list[tuple[str, Origin]] = [(f"# {doc.title}", ("title", 0)), ("", None)]
    for i, para in enumerate(doc.opening):
        out += [(para.text, ("opening", i)), ("", None)]
    for section in doc.sections:
        out += [(f"## {section.heading_line}", ("heading", section.key)), ("", None)]
        for i, para in enumerate(section.paragraphs):
            out += [(para.text, (section.key, i)), ("", None)]
    out += [(line, ("signature", i)) for i, line in enumerate(doc.signature)]
    return out


def to_markdown(doc: Document) -> str:
    return "\n".join(text for text, _ in markdown_lines(doc)) + "\n"


def to_json(doc: Document) -> str:
    data = doc.model_dump(mode="json")
    for section in data["sections"]:
        section["heading_line"] = next(s.heading_line for s in doc.sections if s.key == section["key"])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _docx(doc: Document) -> bytes:
    from .render_docx import to_docx  # python-docx costs start-up time; load on demand

    return to_docx(doc)


FORMATS: dict[str, Callable[[Document], str | bytes]] = {
    ".md": to_markdown,
    ".json": to_json,
    ".docx": _docx,
}


def render(doc: Document, suffix: str) -> str | bytes:
    return FORMATS[suffix](doc)


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
