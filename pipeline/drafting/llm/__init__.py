"""The LLM backend: any OpenAI-compatible endpoint, through LangChain (backend.py).

Importing this package is cheap; LangChain and the openai client load when a backend is
opened, so `zongjie --help` and the template backend stay fast.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.drafting.llm.config import Endpoint, resolve_endpoint


def preload() -> None:
    """Load LangChain, the openai client and the backend now (about a second and a half)
    rather than inside the first model call: an evaluation's first latency, a batch's workers."""
    import langchain_openai  # noqa: F401

    from pipeline.drafting.llm import backend  # noqa: F401


def open_cache(path: str | Path | None):
    """The run's model-call cache, or None (with a warning) when it cannot be opened."""
    from pipeline.drafting.llm.cache import default_cache_path, open_cache as open_sqlite

    return open_sqlite(path or default_cache_path())


__all__ = ["Endpoint", "open_cache", "preload", "resolve_endpoint"]
