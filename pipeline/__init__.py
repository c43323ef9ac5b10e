"""zongjie (总结): draft Chinese work summaries from activity records, then prove every fact.

The public surface is listed in __all__; attributes load on first use so that
`zongjie --help` imports nothing heavy.
"""

from __future__ import annotations

import importlib

_API = {
    "load_records": "pipeline.inputs",
    "Records": "pipeline.model.records",
    "load_workbook_records": "pipeline.inputs",
    "run_batch": "pipeline.batch",
    "build_chain": "pipeline.orchestrator",
    "build_outline": "pipeline.outline",
    "draft_document": "pipeline.drafting",
    "Document": "pipeline.model.document",
    "check": "pipeline.checks",
    "Report": "pipeline.checks",
    "draft": "pipeline.orchestrator",
    "Run": "pipeline.model.run",
}

# Written out, not derived from _API: tests/test_packaging.py checks that the two agree.
__all__ = [
    "Document",
    "Records",
    "Report",
    "Run",
    "build_chain",
    "build_outline",
    "check",
    "draft",
    "draft_document",
    "load_records",
    "load_workbook_records",
    "run_batch",
]


def lazy_exports(package: str, table: dict[str, str]):
    """A module __getattr__ that imports each public name's module on first use."""
    def __getattr__(name: str):
        if name in table:
            return getattr(importlib.import_module(table[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return __getattr__


__getattr__ = lazy_exports("pipeline", _API)


def __dir__():  # the lazy names are not in globals() until first use
    return sorted({*globals(), *__all__})
