"""zongjie (总结): draft Chinese work summaries from activity records, then prove every fact.

The public surface is listed in __all__; attributes load on first use so that
`zongjie --help` imports nothing heavy.
"""

from __future__ import annotations

import importlib

_API = {
    "load_records": "pipeline.records",
    "Records": "pipeline.records",
    "load_workbook_records": "pipeline.ledger",
    "run_batch": "pipeline.batch",
    "build_chain": "pipeline.llm",
    "build_outline": "pipeline.outline",
    "draft_document": "pipeline.drafting",
    "Document": "pipeline.document",
    "render": "pipeline.render",
    "check": "pipeline.checks",
    "Report": "pipeline.checks",
    "draft": "pipeline.run",
    "Drafted": "pipeline.run",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
