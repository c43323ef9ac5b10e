"""The run's HTTP client under the openai client: a real deadline, a reply-size cap and a
secret scrub, applied to every request before openai, LangChain, the cache or the trail
see a byte of the reply.

- Deadline: httpx/aiohttp time out per socket read, so a server sending one byte every
  2 s never times out. Here the whole exchange (connect, first byte, last byte) runs
  under one asyncio deadline: the endpoint's `timeout`, or less when the run's retry
  budget ends sooner (`attempt_deadline`).
- Cap: the body is read in chunks and refused beyond `max_reply_bytes` (a 20 MB reply
  otherwise grows to GBs of memory, draft, trail and cache).
- Scrub (scrub.py): the configured key, whole, in fragments, split or encoded, and any
  Authorization/api-key/Bearer value is replaced in the body, so an echoing server
  cannot put the key into any output.
"""

from __future__ import annotations

import asyncio
import contextvars

from pipeline.drafting.llm.scrub import scrub, scrub_text

# The loop time by which the current attempt must be done (set per attempt by the client).
attempt_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "zongjie_attempt_deadline", default=None)

__all__ = ["ReplyTooLarge", "attempt_deadline", "bounded_client", "scrub", "scrub_text"]


class ReplyTooLarge(Exception):
    """The reply grew past the endpoint's cap: refused, never retried."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"模型回复超过 {limit} 字节的上限，已拒收")


def bounded_client(*, timeout: float, connect_timeout: float, max_reply_bytes: int,
                   key: str | None, in_flight: asyncio.Semaphore | None = None):
    """An openai-compatible async HTTP client with the deadline, cap and scrub above.

    aiohttp is used when installed, as openai's README advises for concurrency (at 32
    requests in flight the default httpx2 pool spent about 1 ms of CPU per request
    checking its idle connections). The limit of requests in flight is taken around each
    request and its reply only: the client's work before and after holds no slot, and a
    cached answer never takes one."""
    import httpx2
    import openai

    try:
        import aiohttp  # noqa: F401  the `aiohttp` extra of openai
        base = openai.DefaultAioHttpClient
    except ImportError:
        base = openai.DefaultAsyncHttpxClient

    class BoundedClient(base):
        async def send(self, request, **kwargs):
            kwargs["stream"] = True
            loop = asyncio.get_running_loop()
            end = loop.time() + timeout
            budget_end = attempt_deadline.get()
            if budget_end is not None:
                end = min(end, budget_end)
            if in_flight is None:
                return await self._bounded(request, kwargs, end, loop)
            async with in_flight:
                return await self._bounded(request, kwargs, end, loop)

        async def _bounded(self, request, kwargs, end, loop):
            got_headers = False
            try:
                async with asyncio.timeout_at(end):
                    response = await super().send(request, **kwargs)
                    got_headers = True
                    try:
                        body = await _read_capped(response, max_reply_bytes)
                    finally:
                        await response.aclose()
            except TimeoutError:
                what = "整个回复" if got_headers else "回复的首个字节"
                raise httpx2.ReadTimeout(f"{what}未在期限内收到（期限 {timeout:g} 秒）",
                                         request=request) from None
            # an echoing server may put the key into a header as well as the body
            headers = [(k, scrub_text(v, key)) for k, v in response.headers.multi_items()
                       if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
            return httpx2.Response(response.status_code, headers=headers, content=scrub(body, key),
                                   request=request, extensions={"http_version": b"HTTP/1.1"})

    return BoundedClient(timeout=httpx2.Timeout(timeout, connect=connect_timeout))


async def _read_capped(response, limit: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
