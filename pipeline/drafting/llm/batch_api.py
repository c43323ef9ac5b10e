"""`zongjie batch --via openai-batch`: the same chains, delivered through the Batch API.

Each place's chain runs unchanged; its model calls land here instead of on the HTTP
client. When every running chain is waiting for a reply, the waiting requests go out as
one JSONL batch (custom_id = place/part/round), which is uploaded, submitted, polled and
collected by custom_id (the output's order is not guaranteed). Failed or expired lines
are resubmitted alone; a chain's re-asks and repair rounds simply become the next batch.
The JSONL files stay in OUTDIR/.zongjie-batch/ and also run on vLLM (`vllm run-batch`).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from pathlib import Path

from pipeline.errors import EndpointError
from pipeline.io import write_atomic
from pipeline.drafting.llm.config import Endpoint

current_place: contextvars.ContextVar[str] = contextvars.ContextVar("current_place", default="place")

SETTLE_SECONDS = 0.05
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


BATCH_REPLIES_CAP = 1000  # replies a batch output file may hold at the per-reply cap


def _message_dict(message) -> dict:
    return {"role": _ROLES[message.type], "content": message.content}


def _ai_message(body: dict):
    from langchain_core.messages import AIMessage

    choice = body["choices"][0]["message"]
    calls, invalid = [], []
    for call in choice.get("tool_calls") or []:
        raw = call["function"]["arguments"]
        try:
            calls.append({"name": call["function"]["name"], "args": json.loads(raw), "id": call.get("id")})
        except json.JSONDecodeError:
            invalid.append({"name": call["function"]["name"], "args": raw, "id": call.get("id"),
                            "error": "invalid JSON"})
    usage = body.get("usage") or {}
    meta = None
    if "prompt_tokens" in usage:
        meta = {"input_tokens": usage["prompt_tokens"], "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0)}
    return AIMessage(content=choice.get("content") or "", tool_calls=calls, invalid_tool_calls=invalid,
                     usage_metadata=meta)


class BatchTransport:
    """Collects requests from the chains and delivers them as Batch API jobs."""

    def __init__(self, endpoint: Endpoint, state_dir: Path, poll_seconds: float = 30.0,
                 max_submissions: int = 3) -> None:
        self.endpoint = endpoint
        self.state_dir = state_dir
        self.poll_seconds = poll_seconds
        self.max_submissions = max_submissions
        self.active = 0  # chains running
        self.pending: dict[str, tuple[dict, asyncio.Future]] = {}
        self.rounds: dict[tuple[str, str], int] = {}
        self.batches = 0
        self._flushing: asyncio.Task | None = None
        import openai

        from pipeline.drafting.llm.http import bounded_client

        key = endpoint.api_key.get_secret_value()
        # A batch's output file holds every reply of the batch: the cap scales with it.
        http = bounded_client(timeout=endpoint.timeout, connect_timeout=endpoint.connect_timeout,
                              max_reply_bytes=endpoint.max_reply_bytes * BATCH_REPLIES_CAP, key=key)
        self.client = openai.AsyncOpenAI(api_key=key, base_url=endpoint.base_url, timeout=endpoint.timeout,
                                         max_retries=endpoint.max_retries, http_client=http)

    # -- the chains' side -----------------------------------------------------------

    async def send(self, label: str, messages: list, params: dict):
        place = current_place.get()
        part = label.split("-repair")[0]
        n = self.rounds.get((place, part), 0)
        self.rounds[(place, part)] = n + 1
        custom_id = f"{place}/{part}/{n}"
        body = {"model": self.endpoint.model, "messages": [_message_dict(m) for m in messages],
                "temperature": self.endpoint.temperature, **params}
        future = asyncio.get_running_loop().create_future()
        self.pending[custom_id] = (body, future)
        self._maybe_flush()
        return await future

    def started(self) -> None:
        self.active += 1

    def finished(self) -> None:
        self.active -= 1
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        """Submit once every running chain waits on a reply (nothing more will join), after
        a short settling delay so that a chain's sibling parts join the same batch."""
        if self._ready():
            asyncio.get_running_loop().call_later(SETTLE_SECONDS, self._flush_if_ready)

    def _ready(self) -> bool:
        waiting = {cid.split("/")[0] for cid in self.pending}
        return bool(self.pending) and self._flushing is None and len(waiting) >= self.active

    def _flush_if_ready(self) -> None:
        if self._ready():
            requests, self.pending = self.pending, {}
            self._flushing = asyncio.get_running_loop().create_task(self._deliver(requests))

    # -- the Batch API side ---------------------------------------------------------

    async def _deliver(self, requests: dict[str, tuple[dict, asyncio.Future]]) -> None:
        try:
            todo = dict(requests)
            for _attempt in range(self.max_submissions):
                if not todo:
                    break
                results, failures = await self._run_batch({cid: body for cid, (body, _) in todo.items()})
                for cid, body in results.items():
                    todo.pop(cid)[1].set_result(_ai_message(body))
                if failures and _attempt + 1 == self.max_submissions:
                    for cid, reason in failures.items():
                        if cid in todo:
                            todo.pop(cid)[1].set_exception(EndpointError(
                                f"Batch API 请求 {cid} 提交 {self.max_submissions} 次仍失败：{reason}"))
            for cid, (_, future) in todo.items():  # lines that came back in no file at all
                if not future.done():
                    future.set_exception(EndpointError(f"Batch API 未返回请求 {cid} 的结果"))
        except Exception as exc:  # noqa: BLE001 - every waiting chain must learn of it
            error = exc if isinstance(exc, EndpointError) else EndpointError(
                f"Batch API 调用失败：{type(exc).__name__}: {str(exc)[:300]}")
            for _, future in requests.values():
                if not future.done():
                    future.set_exception(error)
        finally:
            self._flushing = None
            self._maybe_flush()

    async def _run_batch(self, bodies: dict[str, dict]) -> tuple[dict[str, dict], dict[str, str]]:
        self.batches += 1
        lines = [json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                             "body": body}, ensure_ascii=False) for cid, body in bodies.items()]
        path = self.state_dir / f"requests-{self.batches:03d}.jsonl"
        write_atomic(path, "\n".join(lines) + "\n")
        uploaded = await self.client.files.create(file=(path.name, path.read_bytes()), purpose="batch")
        batch = await self.client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                                                 completion_window="24h",
                                                 metadata={"tool": "zongjie"})
        while batch.status not in ("completed", "failed", "expired", "cancelled"):
            await asyncio.sleep(self.poll_seconds)
            batch = await self.client.batches.retrieve(batch.id)
        if batch.status == "failed" and not batch.output_file_id:
            errors = getattr(batch.errors, "data", None) or []
            raise EndpointError(f"Batch API 批次 {batch.id} 失败：{'; '.join(e.message for e in errors)[:300]}")
        results: dict[str, dict] = {}
        failures: dict[str, str] = {}
        for file_id, into_results in ((batch.output_file_id, True), (batch.error_file_id, False)):
            if not file_id:
                continue
            content = await self.client.files.content(file_id)
            for line in content.text.splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                response = item.get("response") or {}
                if into_results and response.get("status_code") == 200:
                    results[item["custom_id"]] = response["body"]
                else:
                    error = item.get("error") or (response.get("body") or {}).get("error") or {}
                    failures[item["custom_id"]] = error.get("code") or error.get("message") or "失败"
        write_atomic(self.state_dir / f"results-{self.batches:03d}.json",
                     json.dumps({"batch": batch.id, "status": batch.status, "ok": sorted(results),
                                 "failed": failures}, ensure_ascii=False, indent=2) + "\n")
        for cid in bodies:
            if cid not in results and cid not in failures:
                failures[cid] = "no result"
        return results, failures

    async def close(self) -> None:
        await self.client.close()
