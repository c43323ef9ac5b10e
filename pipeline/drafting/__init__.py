"""Stage 3: outline + records → Document. Backends are registered in BACKENDS; the
template backend is embedded and deterministic, the default when no model is configured."""

from __future__ import annotations

from typing import Callable

from pipeline.model.document import Document
from pipeline.outline import Outline, build_outline
from pipeline.model.records import Records
from pipeline.drafting import template

Backend = Callable[[Records, Outline], Document]

BACKENDS: dict[str, Backend] = {"template": template.draft}


def draft_document(records: Records, backend: str = "template") -> Document:
    return BACKENDS[backend](records, build_outline(records))


__all__ = ["BACKENDS", "draft_document"]
