"""Stage 5: Document → bytes in an output format. Formats are registered in FORMATS by
file suffix; the Word renderer is imported only when asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from pipeline.errors import InputError
from pipeline.io import write_atomic
from pipeline.model.document import Document
from pipeline.model.run import Run
from pipeline.text.chars import one_line


# Where a Markdown line came from: ("opening", paragraph index), (section key, paragraph
# index), ("heading", section key), ("title", 0), ("signature", i), or None for a blank.
Origin = tuple[str, object] | None


def markdown_lines(doc: Document) -> list[tuple[str, Origin]]:
    # One entry is one line, so a report's line number finds its part by position: the
    # document's texts are one line each (model.document), and `one_line` holds that for
    # a document edited past its validators (model_copy) too.
    t = one_line
    out: list[tuple[str, Origin]] = [(f"# {t(doc.title)}", ("title", 0)), ("", None)]
    for i, para in enumerate(doc.opening):
        out += [(t(para.text), ("opening", i)), ("", None)]
    for section in doc.sections:
        out += [(f"## {t(section.heading_line)}", ("heading", section.key)), ("", None)]
        for i, para in enumerate(section.paragraphs):
            out += [(t(para.text), (section.key, i)), ("", None)]
    out += [(t(line), ("signature", i)) for i, line in enumerate(doc.signature)]
    return out


def to_markdown(doc: Document) -> str:
    return "\n".join(text for text, _ in markdown_lines(doc)) + "\n"


def to_json(doc: Document) -> str:
    data = doc.model_dump(mode="json", exclude_none=True)
    for section in data["sections"]:
        section["heading_line"] = next(s.heading_line for s in doc.sections if s.key == section["key"])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _docx(doc: Document) -> bytes:
    from pipeline.render.docx import to_docx  # python-docx costs start-up time; load on demand

    return to_docx(doc)


FORMATS: dict[str, Callable[[Document], str | bytes]] = {
    ".md": to_markdown,
    ".json": to_json,
    ".docx": _docx,
}


def render(doc: Document, suffix: str) -> str | bytes:
    return FORMATS[suffix](doc)


def output_suffix(out: str | None, fmt: str | None) -> str:
    """The format: --format, else the suffix of -o, else Markdown; refused when --format and
    the suffix of -o name two different formats."""
    if fmt:
        suffix = "." + fmt.lower().lstrip(".").replace("markdown", "md")
    elif out:
        suffix = Path(out).suffix.lower() or ".md"
    else:
        suffix = ".md"
    if suffix not in FORMATS:
        raise InputError(f"不支持的输出格式“{suffix}”，可选：{'、'.join(FORMATS)}")
    if suffix == ".docx" and not out:
        raise InputError("Word 格式需要用 -o 指定输出文件，例如 -o 总结.docx")
    written = Path(out).suffix.lower() if out else ""
    if fmt and written in FORMATS and written != suffix:
        # Refused, not followed: both were asked for, and a Word file named a.md (or Markdown
        # named a.docx) opens as garbage in whatever the suffix picks.
        fixed = Path(out).with_suffix(suffix).name
        raise InputError(f"--format {suffix[1:]} 与 -o {Path(out).name} 的后缀“{written}”不符："
                         f"请改为 -o {fixed}，或去掉 --format（按后缀输出）")
    return suffix


def write_outputs(run: Run, out: str | Path, suffix: str) -> Path:
    """The draft, then its report beside it as OUT.check.json; each write atomic."""
    out = Path(out)
    write_atomic(out, render(run.document, suffix))
    report_path = out.with_name(out.name + ".check.json")
    write_atomic(report_path, run.report_json())
    return report_path
