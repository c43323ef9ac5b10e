"""One structured model call: ask, parse, validate, re-ask with the reason (bounded).

The reply is parsed here rather than by LangChain's structured-output parsers, because
Chinese model servers often wrap JSON in ```json fences or return it as plain content
even when asked for json_schema; parsing the raw message works for every method and
keeps the raw text for the run trail.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel, ValidationError

from pipeline.errors import EndpointError
from pipeline.drafting.llm.cache import CACHED_FLAG
from pipeline.drafting.llm.config import Endpoint
from pipeline.drafting.llm.http import bounded_client
from pipeline.drafting.llm.prompts import load_prompt
from pipeline.drafting.llm.retry import RetryBudget
from pipeline.drafting.llm.tokens import count_tokens
from pipeline.drafting.llm.trail import Trail
from pipeline.model.run import Usage

MAX_REASKS = 2
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)\s*```", re.S)


@dataclass
class CallResult:
    data: BaseModel | None  # None when every attempt failed validation
    usage: Usage
    problems: list[str] = field(default_factory=list)  # the last attempt's, when data is None


@functools.cache
def strict_schema(model: type[BaseModel]) -> dict:
    """The model's JSON Schema in the form OpenAI's strict json_schema mode accepts."""
    schema = model.model_json_schema()

    def walk(node: dict) -> None:
        if node.get("type") == "object":
            node["additionalProperties"] = False
            node["required"] = list(node.get("properties", {}))
        for value in list(node.get("properties", {}).values()) + list(node.get("$defs", {}).values()):
            walk(value)
        if isinstance(node.get("items"), dict):
            walk(node["items"])
        node.pop("title", None)
    walk(schema)
    return schema


def request_params(schema: type[BaseModel], method: str) -> dict:
    """The request fields that ask for structured output, per the endpoint's method."""
    if method == "function_calling":
        tool = {"type": "function", "function": {"name": schema.__name__, "description": "输出结果",
                                                 "parameters": strict_schema(schema)}}
        return {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": schema.__name__}}}
    if method == "json_mode":
        return {"response_format": {"type": "json_object"}}
    return {"response_format": {"type": "json_schema", "json_schema": {
        "name": schema.__name__, "schema": strict_schema(schema), "strict": True}}}


def parse_reply(message, schema: type[BaseModel]) -> BaseModel:
    """A model reply → the schema object. Raises ValueError with a reason to send back."""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return schema.model_validate(calls[0]["args"])
    invalid = getattr(message, "invalid_tool_calls", None) or []
    if invalid:  # arguments LangChain could not read, e.g. fenced: parse them like content
        text = invalid[0].get("args") or ""
    else:
        text = message.content if isinstance(message.content, str) else "".join(
            part.get("text", "") for part in message.content if isinstance(part, dict))
    text = text.strip()
    if not text:
        raise ValueError("回复为空")
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    elif not text.startswith("{") and "{" in text:
        text = text[text.index("{"): text.rindex("}") + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是有效的 JSON（{exc.msg}，第 {exc.pos} 个字符）") from None
    return schema.model_validate(data)


class ModelClient:
    """The chat model of one run, shared by every call of that run (one event loop)."""

    def __init__(self, endpoint: Endpoint, cache=None, limiter: asyncio.Semaphore | None = None,
                 rate: "RateLimit | None" = None, transport=None) -> None:
        self.endpoint = endpoint
        # Another way to deliver requests (the Batch API); None: LangChain's ChatOpenAI.
        self.transport = transport
        self.cache = cache
        self.limiter = limiter or asyncio.Semaphore(endpoint.concurrency)
        self.rate = rate or RateLimit(endpoint.requests_per_minute, endpoint.tokens_per_minute)
        self._model = None
        self._http = None
        self._bound_cache: dict = {}
        self.retries = RetryBudget(endpoint)

    def chat_model(self):
        if self._model is None:
            from langchain_openai import ChatOpenAI

            ep = self.endpoint
            # Our own async HTTP client per run: langchain-openai otherwise shares one per
            # process, which breaks on a second event loop.
            self._http = bounded_client(
                timeout=ep.timeout, connect_timeout=ep.connect_timeout,
                max_reply_bytes=ep.max_reply_bytes, key=_key(ep), in_flight=self.limiter)
            # Retries are ours (retry.py): within the run's budget, not (1 + n) × timeout.
            self._model = ChatOpenAI(
                model=ep.model, base_url=ep.base_url, api_key=ep.api_key, timeout=ep.timeout,
                max_retries=0, temperature=ep.temperature, cache=self.cache,
                http_async_client=self._http)
        return self._model

    async def aclose(self) -> None:
        """Close the run's connections (before its event loop ends)."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None
            self._model = None
            self._bound_cache.clear()

    def _bound(self, schema: type[BaseModel]):
        # The structured-output fields travel in extra_body: LangChain then sends a plain
        # chat completion instead of routing through openai's `parse()`, whose parsing we
        # do not use and whose request transform costs milliseconds per call.
        if schema not in self._bound_cache:
            self._bound_cache[schema] = self.chat_model().bind(
                extra_body=request_params(schema, self.endpoint.method))
        return self._bound_cache[schema]

    def _usage(self, message, sent: list) -> Usage:
        if message.response_metadata.get(CACHED_FLAG):
            return Usage(calls=1, cached_calls=1)
        meta = getattr(message, "usage_metadata", None)
        if meta and meta.get("input_tokens") is not None:
            usage = Usage(prompt_tokens=meta["input_tokens"], completion_tokens=meta["output_tokens"],
                          calls=1, estimated=False)
        else:
            text = "".join(str(m.content) for m in sent)
            usage = Usage(prompt_tokens=count_tokens(text),
                          completion_tokens=count_tokens(str(message.content)), calls=1, estimated=True)
        usage.cost = self.endpoint.cost(usage.prompt_tokens, usage.completion_tokens)
        return usage

    async def ask(self, label: str, messages: list, schema: type[BaseModel],
                  validate: Callable[[BaseModel], list[str]] | None = None,
                  trail: Trail | None = None) -> CallResult:
        """Ask, then re-ask with the reason while the reply does not parse or validate."""
        from langchain_core.messages import AIMessage, HumanMessage

        bound = None if self.transport else self._bound(schema)
        params = request_params(schema, self.endpoint.method)
        usage = Usage()
        history = list(messages)
        problems: list[str] = []
        for attempt in range(1, MAX_REASKS + 2):
            reply = None
            await self.rate.acquire(sum(len(str(m.content)) for m in history) // 2)
            # The limit of requests in flight applies inside the HTTP client (_http_client);
            # Batch API requests wait for a batch, not for an HTTP slot.
            try:
                reply = await self.retries.run(
                    lambda: self.transport.send(label, history, params) if self.transport
                    else bound.ainvoke(history), _bad_reply)
            except EndpointError:
                raise
            except Exception as exc:  # noqa: BLE001 - the reply's own fault: re-asked
                problems = [_short(exc)]
            if reply is not None:
                usage.add(self._usage(reply, history))
                try:
                    data = parse_reply(reply, schema)
                    problems = validate(data) if validate else []
                except (ValueError, ValidationError) as exc:
                    data, problems = None, [_short(exc)]
            else:  # the client refused the reply itself: count what was sent, as an estimate
                usage.add(Usage(prompt_tokens=count_tokens("".join(str(m.content) for m in history)),
                                calls=1, estimated=True))
            if trail:
                trail.call(label, attempt, history, reply, problems)
            if not problems:
                return CallResult(data=data, usage=usage)
            reask = HumanMessage(content=load_prompt("reask").render(error="；".join(problems)))
            if reply is None:
                history = history + [reask]
                continue
            raw = reply.content if reply.content else json.dumps(
                [c["args"] for c in reply.tool_calls], ensure_ascii=False)
            history = history + [AIMessage(content=raw), reask]
        return CallResult(data=None, usage=usage, problems=problems)


class RateLimit:
    """Requests- and tokens-per-minute limits from the endpoint's config, shared by every
    call of a run (a batch included). A sliding window over the last 60 seconds."""

    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._sent: list[tuple[float, int]] = []
        self._lock = asyncio.Lock()

    async def acquire(self, tokens: int) -> None:
        if not self.rpm and not self.tpm:
            return
        loop = asyncio.get_running_loop()
        async with self._lock:
            while True:
                now = loop.time()
                self._sent = [(t, n) for t, n in self._sent if now - t < 60]
                over_r = self.rpm and len(self._sent) >= self.rpm
                over_t = self.tpm and self._sent and sum(n for _, n in self._sent) + tokens > self.tpm
                if not (over_r or over_t):
                    self._sent.append((now, tokens))
                    return
                await asyncio.sleep(max(0.01, 60 - (now - self._sent[0][0])))


def _key(endpoint: Endpoint) -> str | None:
    return endpoint.api_key.get_secret_value() if endpoint.api_key else None


def _bad_reply(exc: Exception) -> bool:
    """A fault of the reply's content (the client's own parsing of json_schema replies, a
    reply cut off at the length limit), to be re-asked; anything else is the endpoint's."""
    if isinstance(exc, (ValidationError, ValueError)):
        return True
    return type(exc).__name__ in ("LengthFinishReasonError", "ContentFilterFinishReasonError")


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(f"{'.'.join(map(str, e['loc']))}：{e['msg']}" for e in exc.errors()[:5])
    return str(exc)
