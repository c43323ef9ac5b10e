"""A scripted OpenAI-compatible model server on 127.0.0.1 for tests and evals (stdlib only).

    from pipeline.testing.scripted_server import Reply, ScriptedServer

    with ScriptedServer() as srv:
        srv.enqueue(Reply(json={"paragraphs": ["..."]}))
        llm = ChatOpenAI(base_url=srv.base_url, api_key="sk-test", model="m", timeout=5)

Chat requests consume the FIFO queue of `Reply`s, then fall back to `srv.responder(body)`;
with neither, the server answers 400 "no scripted reply" (never retried by clients).
Files and batches (`/v1/files`, `/v1/batches`) live in scripted_batches.py and answer each
batch line through the same queue/responder. The Authorization header is never stored.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable

from pipeline.testing.replies import (
    Reply,
    RequestRecord,
    error_payload,
    reply_text,
    strict_schema_problems,
    tool_name,
    usage_for,
)
from pipeline.testing.scripted_http import Handler, HTTPServer

__all__ = ["Reply", "RequestRecord", "ScriptedServer", "usage_for"]


class ScriptedServer:
    """A scripted OpenAI-compatible server; see the module docstring."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.RLock()  # scripted_batches holds it while answering lines
        self._closing = threading.Event()
        self._ids = itertools.count(1)
        self._httpd = HTTPServer((host, port), Handler)
        self._httpd.owner = self
        self._httpd.conn_counter = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._init_state()

    def _init_state(self) -> None:
        with self._lock:
            self.queue: list[Reply] = []
            self.requests: list[RequestRecord] = []
            self.responder: Callable[[dict], Reply | None] | None = None
            self.responder_errors: list[Exception] = []
            self.default_latency = 0.0
            self.models = ["scripted-model"]
            self.expected_api_key: str | None = None  # compared, never stored in the log
            self.require_json_word = True  # OpenAI/DeepSeek: json_object needs "json" in the messages
            self.check_strict_schemas = True  # 400 on json_schema/tools strict=true schemas OpenAI rejects
            self.files: dict[str, dict] = {}
            self.batches: dict[str, dict] = {}
            self.batch_polls_to_complete = 2
            self.expire_custom_ids: set[str] = set()
            self.batch_seed = 0

    # lifecycle -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ScriptedServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name="scripted-openai", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping in latency/hang
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reset(self) -> None:
        """Back to the freshly started state (queue, log, responder, settings, files, batches)."""
        self._init_state()

    @staticmethod
    def pytest_fixture(scope: str = "function", name: str = "scripted_server"):
        """`srv = ScriptedServer.pytest_fixture(name="srv")` in a test module or conftest."""
        import pytest

        def _fixture():
            with ScriptedServer() as srv:
                yield srv
        return pytest.fixture(scope=scope, name=name)(_fixture)

    # scripting ---------------------------------------------------------------------------
    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def take_reply(self, body: dict) -> Reply:
        with self._lock:
            if self.queue:
                return self.queue.pop(0)
            responder = self.responder
        try:
            reply = responder(body) if responder is not None else None
        except Exception as e:  # noqa: BLE001 - a broken responder is a test bug: answer 400 (never retried), keep it
            self.responder_errors.append(e)
            return Reply(status=400, error_body=error_payload(400, f"ScriptedServer responder raised {e!r}"))
        return reply if reply is not None else Reply(status=400, error_body=error_payload(
            400, "ScriptedServer: no scripted reply (queue empty and no responder)"))

    def _log(self, rec: RequestRecord) -> None:
        with self._lock:
            self.requests.append(rec)

    def log_batch_line(self, path: str, body: dict, custom_id: str) -> None:
        self._log(RequestRecord(path, "BATCH", body, {}, time.monotonic(), 0, custom_id))

    def chat_requests(self, include_batch: bool = False) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")
                    and (r.method == "POST" or (include_batch and r.method == "BATCH"))]

    def validate(self, body: dict) -> str | None:
        """What a real OpenAI-compatible server answers 400 to (before any model runs)."""
        if not body.get("model") or not isinstance(body.get("messages"), list) or not body["messages"]:
            return "'model' and a non-empty 'messages' are required."
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_object" and self.require_json_word and "json" not in json.dumps(
                [m.get("content") for m in body["messages"]], ensure_ascii=False).lower():
            return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."
        if not self.check_strict_schemas:
            return None
        schemas = [fmt.get("json_schema") or {}] if fmt.get("type") == "json_schema" else []
        schemas += [{**t["function"], "schema": t["function"].get("parameters")} for t in body.get("tools") or []
                    if isinstance(t.get("function"), dict)]
        for s in schemas:
            if s.get("strict") and (problems := strict_schema_problems(s.get("schema"))):
                return f"Invalid schema for '{s.get('name')}': " + "; ".join(problems[:3])
        return None

    def answer(self, body: dict, reply: Reply) -> tuple[int, dict]:
        """The (status, JSON payload) a chat request gets for `reply` (also used per batch line)."""
        if reply.status != 200:
            return reply.status, error_payload(reply.status, f"Scripted error {reply.status}", reply)
        text, name = reply_text(reply), tool_name(body)
        message: dict = {"role": "assistant", "content": text, "refusal": None}
        finish = "stop"
        if name and reply.json is not None and not reply.empty:
            n = next(self._ids)
            message.update(content=None, tool_calls=[
                {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": text}}])
            finish = "tool_calls"
        return 200, {
            "id": f"chatcmpl-{next(self._ids)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model"), "system_fingerprint": "fp_scripted",
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": reply.finish_reason or finish}],
            "usage": usage_for(body, text, reply.usage)}
