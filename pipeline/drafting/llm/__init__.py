"""The LLM backend: any OpenAI-compatible endpoint, through LangChain runnables.

Importing this package is cheap; LangChain and the openai client load when a chain is
built, so `zongjie --help` and the template backend stay fast.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pipeline.drafting.llm.config import Endpoint, resolve_endpoint


def build_chain(endpoint: Endpoint, cache=None, trail_dir: str | Path | None = None,
                client=None):
    """The whole backend as one LangChain runnable: Records → LLMResult.

    Compose it in your own LangChain or LangGraph app: `await chain.ainvoke(records)`.
    Pass one `client` (pipeline.drafting.llm.client.ModelClient) to several chains to share its
    connection pool and its limit of requests in flight."""
    from pipeline.drafting.llm.chain import Drafter
    from pipeline.drafting.llm.trail import Trail

    trail = Trail(trail_dir) if trail_dir else None
    return Drafter(endpoint, cache=cache, trail=trail, client=client).chain()


def preload() -> None:
    """Load LangChain, the openai client and the chain now (about a second and a half) rather
    than inside the first model call: an evaluation's first latency, a batch's workers."""
    import langchain_openai  # noqa: F401

    from pipeline.drafting.llm import chain  # noqa: F401


def open_cache(path: str | Path | None):
    from pipeline.drafting.llm.cache import SQLiteCache, default_cache_path

    return SQLiteCache(path or default_cache_path())


def run(records, endpoint: Endpoint, *, cache_path: str | Path | None = None, use_cache: bool = True,
        trail_dir: str | Path | None = None):
    """One document, one event loop (langchain-openai's clients are bound to their loop)."""
    from pipeline.drafting.llm.client import ModelClient

    cache = open_cache(cache_path) if use_cache else None

    async def once():
        client = ModelClient(endpoint, cache=cache)
        try:
            return await build_chain(endpoint, trail_dir=trail_dir, client=client).ainvoke(records)
        finally:
            await client.aclose()
    try:
        return asyncio.run(once())
    finally:
        if cache is not None:
            cache.close()


__all__ = ["Endpoint", "build_chain", "open_cache", "preload", "resolve_endpoint", "run"]
