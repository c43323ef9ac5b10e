"""A scripted OpenAI-compatible model server on 127.0.0.1 for tests and evals (stdlib only).

    with ScriptedServer() as srv:
        srv.enqueue(Reply(json={"paragraphs": ["..."]}))
        llm = ChatOpenAI(base_url=srv.base_url, api_key="sk-test", model="m", timeout=5)

Chat requests consume the FIFO queue of `Reply`s, then fall back to `srv.responder(body)`;
with neither, the server answers 400 "no scripted reply" (never retried by clients).
Files and batches (`/v1/files`, `/v1/batches`) live in scripted_batches.py and answer each
batch line through the same queue/responder. The Authorization header is never stored.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

__all__ = ["Reply", "RequestRecord", "ScriptedServer", "usage_for"]

MALFORMED = '{"paragraphs": ['
_REDACT = {"authorization": "Bearer ***", "api-key": "***", "x-api-key": "***"}
_ERROR_KINDS = {400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
                403: ("invalid_request_error", "unsupported_country_region_territory"),
                404: ("invalid_request_error", "not_found"), 429: ("requests", "rate_limit_exceeded")}


@dataclass
class Reply:
    """One scripted answer. `json` becomes the content, or tool-call arguments when tools were sent."""
    content: str | None = None
    json: dict | None = None
    status: int = 200
    retry_after: float | None = None
    latency: float | None = None
    hang: float | None = None
    malformed: bool = False
    fenced: bool = False
    empty: bool = False
    usage: dict | None = None
    error_body: dict | None = None
    finish_reason: str | None = None  # e.g. "length"; default "stop" / "tool_calls"


@dataclass
class RequestRecord:
    path: str
    method: str  # "POST", "GET", ... or "BATCH" for a line answered inside a batch
    body: dict
    headers: dict
    time: float  # time.monotonic() when the request arrived
    conn: int = 0  # server-side connection number: equal numbers = one kept-alive connection
    custom_id: str | None = None


def _text(reply: Reply) -> str:
    """The assistant text (content or tool arguments) a Reply stands for."""
    if reply.empty:
        return ""
    text = json.dumps(reply.json, ensure_ascii=False) if reply.json is not None else (reply.content or "")
    if reply.malformed:  # a strict prefix of a JSON object is never valid JSON
        text = text[: max(1, len(text) // 2)] if reply.json is not None else MALFORMED
    return f"```json\n{text}\n```" if reply.fenced else text


def usage_for(body: dict, completion_text: str, override: dict | None = None) -> dict:
    """Deterministic usage: prompt = chars of message contents // 2 + 10, completion = len // 2 + 1."""
    chars = 0
    for m in body.get("messages") or []:
        c = m.get("content")
        if isinstance(c, str):
            chars += len(c)
        elif isinstance(c, list):
            chars += sum(len(p.get("text") or "") for p in c if isinstance(p, dict))
    u = {"prompt_tokens": chars // 2 + 10, "completion_tokens": len(completion_text) // 2 + 1}
    u.update(override or {})
    u["total_tokens"] = (override or {}).get("total_tokens", u["prompt_tokens"] + u["completion_tokens"])
    return u


def error_payload(status: int, message: str, reply: Reply | None = None) -> dict:
    if reply is not None and reply.error_body is not None:
        return reply.error_body
    etype, code = _ERROR_KINDS.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    return {"error": {"message": message, "type": etype, "param": None, "code": code}}


def _tool_name(body: dict) -> str | None:
    tools = body.get("tools") or []
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name")
    if tools and choice != "none":
        return (tools[0].get("function") or {}).get("name")
    return None


def _strict_schema_problems(schema: Any, where: str = "schema") -> list[str]:
    """OpenAI's strict-mode rules that bite in practice (it answers 400 when they are broken)."""
    out: list[str] = []
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            props = schema.get("properties") or {}
            if schema.get("additionalProperties", True) is not False:
                out.append(f"{where}: 'additionalProperties' is required to be supplied and to be false")
            missing = sorted(set(props) - set(schema.get("required") or []))
            if missing:
                out.append(f"{where}: 'required' must include every key in properties; missing {missing}")
        for k, v in schema.items():
            if k not in ("required", "enum", "const", "default"):
                out += _strict_schema_problems(v, f"{where}.{k}")
    elif isinstance(schema, list):
        for i, v in enumerate(schema):
            out += _strict_schema_problems(v, f"{where}[{i}]")
    return out


def _body_of(h: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in (h.headers.get("Transfer-Encoding") or "").lower():
        data = b""
        while (size := int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
            data += h.rfile.read(size)
            h.rfile.readline()
        while h.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        return data
    return h.rfile.read(int(h.headers.get("Content-Length") or 0))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits for
    # the client's delayed ACK, adding about 40 ms to every reply (measured: 245 ms replies
    # at a scripted latency of 200 ms). Real endpoints do not do that.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def setup(self) -> None:
        super().setup()
        self.conn_no = next(self.server.conn_counter)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def _route(self, method: str) -> None:
        srv = self.server.owner
        raw = _body_of(self)
        path = self.path.split("?")[0].rstrip("/")
        ctype = self.headers.get("Content-Type") or ""
        body: dict = {}
        if raw and "json" in ctype:
            try:
                body = json.loads(raw)
            except ValueError:
                return self.send_json(400, error_payload(400, "We could not parse the JSON body of your request."))
        headers = {k: _REDACT.get(k.lower(), v) for k, v in self.headers.items()}
        rec = RequestRecord(path, method, body, headers, time.monotonic(), self.conn_no)
        srv._log(rec)
        if srv.expected_api_key is not None and \
                self.headers.get("Authorization") != f"Bearer {srv.expected_api_key}":
            return self.send_json(401, error_payload(401, "Incorrect API key provided: sk-***."))
        if method == "POST" and path.endswith("/chat/completions"):
            return self._chat(srv, body)
        if method == "GET" and "/models" in path:
            models = [{"id": m, "object": "model", "created": 1700000000, "owned_by": "scripted"} for m in srv.models]
            if path.endswith("/models"):
                return self.send_json(200, {"object": "list", "data": models})
            found = [m for m in models if path.endswith("/models/" + m["id"])]
            return self.send_json(*((200, found[0]) if found else (404, error_payload(404, "The model does not exist."))))
        if "/files" in path or "/batches" in path:
            rec.body = body or {"bytes": len(raw)}
            status, payload, extra = srv._batches().route(srv, method, path, raw, ctype, body)
            if isinstance(payload, bytes):
                return self.send(status, payload, "application/octet-stream", extra)
            return self.send_json(status, payload, extra)
        self.send_json(404, error_payload(404, f"Invalid URL ({method} {path})"))

    def _chat(self, srv: ScriptedServer, body: dict) -> None:
        problem = srv.validate(body)
        if problem:
            return self.send_json(400, error_payload(400, problem))
        reply = srv.take_reply(body)
        wait = reply.hang if reply.hang is not None else (
            reply.latency if reply.latency is not None else srv.default_latency)
        if wait and srv._closing.wait(wait):
            self.close_connection = True  # server shutting down: drop the request
            return
        headers = {"Retry-After": f"{reply.retry_after:g}"} if reply.retry_after is not None else {}
        status, payload = srv.answer(body, reply)
        if status == 200 and body.get("stream"):
            return self.send(200, _sse(body, payload), "text/event-stream; charset=utf-8", headers)
        self.send_json(status, payload, headers)

    def send_json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        self.send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def send(self, status: int, data: bytes, ctype: str, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", f"req_{next(self.server.owner._ids)}")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout): fine
            self.close_connection = True


def _sse(body: dict, completion: dict) -> bytes:
    """chat.completion.chunk events for a finished completion, content split into pieces."""
    msg, choice = completion["choices"][0]["message"], completion["choices"][0]
    base = {k: completion[k] for k in ("id", "created", "model", "system_fingerprint")}
    usage_on = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta: dict, finish: str | None = None, choices: bool = True, **extra: Any) -> bytes:
        c = {**base, "object": "chat.completion.chunk",
             "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else []}
        if usage_on:
            c["usage"] = None
        c.update(extra)
        return b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n"

    out = [chunk({"role": "assistant", "content": "" if msg.get("content") is not None else None})]
    if msg.get("tool_calls"):
        call = msg["tool_calls"][0]
        args = call["function"]["arguments"]
        out.append(chunk({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                          "function": {"name": call["function"]["name"], "arguments": ""}}]}))
        pieces, key = args, "tool"
    else:
        pieces, key = msg.get("content") or "", "content"
    step = max(1, -(-len(pieces) // 4))
    for i in range(0, len(pieces), step):
        part = pieces[i:i + step]
        out.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]} if key == "tool"
                         else {"content": part}))
    out.append(chunk({}, choice["finish_reason"]))
    if usage_on:
        out.append(chunk({}, choices=False, usage=completion["usage"]))
    return b"".join(out) + b"data: [DONE]\n\n"


class _HTTPServer(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class ScriptedServer:
    """A scripted OpenAI-compatible server; see the module docstring."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.RLock()  # scripted_batches holds it while answering lines
        self._closing = threading.Event()
        self._ids = itertools.count(1)
        self._httpd = _HTTPServer((host, port), _Handler)
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

    def __exit__(self, *exc: Any) -> None:
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
        except Exception as e:  # a broken responder is a test bug: answer 400 (never retried), keep it
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
            if s.get("strict") and (problems := _strict_schema_problems(s.get("schema"))):
                return f"Invalid schema for '{s.get('name')}': " + "; ".join(problems[:3])
        return None

    def answer(self, body: dict, reply: Reply) -> tuple[int, dict]:
        """The (status, JSON payload) a chat request gets for `reply` (also used per batch line)."""
        if reply.status != 200:
            return reply.status, error_payload(reply.status, f"Scripted error {reply.status}", reply)
        text, name = _text(reply), _tool_name(body)
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

    def _batches(self):
        mod = sys.modules.get("scripted_batches")
        if mod is None:
            spec = importlib.util.spec_from_file_location(
                "scripted_batches", Path(__file__).with_name("scripted_batches.py"))
            mod = importlib.util.module_from_spec(spec)
            sys.modules["scripted_batches"] = mod
            spec.loader.exec_module(mod)
        return mod
