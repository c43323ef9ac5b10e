"""Stage 5: Document → bytes in an output format. Formats are registered in FORMATS by
file suffix; the Word renderer is imported only when asked for."""

from __future__ import annotations

import json
from typing import Callable

from pipeline.model.document import Document


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
    from pipeline.render.docx import to_docx  # python-docx costs start-up time; load on demand

    return to_docx(doc)


FORMATS: dict[str, Callable[[Document], str | bytes]] = {
    ".md": to_markdown,
    ".json": to_json,
    ".docx": _docx,
}


def render(doc: Document, suffix: str) -> str | bytes:
    return FORMATS[suffix](doc)
