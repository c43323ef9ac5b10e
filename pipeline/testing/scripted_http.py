"""The HTTP side of ScriptedServer (stdlib only): reading requests, routing them to the
owner's scripting, writing JSON or SSE replies. `server.owner` is the ScriptedServer."""
from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pipeline.testing import scripted_batches
from pipeline.testing.replies import ECHO_AUTH, RequestRecord, error_payload

_REDACT = {"authorization": "Bearer ***", "api-key": "***", "x-api-key": "***"}


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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits for
    # the client's delayed ACK, adding about 40 ms to every reply (measured: 245 ms replies
    # at a scripted latency of 200 ms). Real endpoints do not do that.
    disable_nagle_algorithm = True
    server: HTTPServer

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
            return self._models(srv, path)
        if "/files" in path or "/batches" in path:
            rec.body = body or {"bytes": len(raw)}
            status, payload, extra = scripted_batches.route(srv, method, path, raw, ctype, body)
            if isinstance(payload, bytes):
                return self.send(status, payload, "application/octet-stream", extra)
            return self.send_json(status, payload, extra)
        self.send_json(404, error_payload(404, f"Invalid URL ({method} {path})"))

    def _models(self, srv: Any, path: str) -> None:
        models = [{"id": m, "object": "model", "created": 1700000000, "owned_by": "scripted"} for m in srv.models]
        if path.endswith("/models"):
            return self.send_json(200, {"object": "list", "data": models})
        found = [m for m in models if path.endswith("/models/" + m["id"])]
        self.send_json(*((200, found[0]) if found else (404, error_payload(404, "The model does not exist."))))

    def _chat(self, srv: Any, body: dict) -> None:
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
        headers.update(reply.headers or {})
        if reply.echo_auth:  # a hostile server: the header goes back, never into the log
            raw = self.headers.get("Authorization") or ""
            auth = json.dumps(raw)[1:-1]
            payload = json.loads(json.dumps(payload, ensure_ascii=False).replace(ECHO_AUTH, auth))
            headers = {k: v.replace(ECHO_AUTH, raw) for k, v in headers.items()}
        if status == 200 and body.get("stream"):
            return self.send(200, _sse(body, payload), "text/event-stream; charset=utf-8", headers)
        if reply.huge is not None:
            return self._huge(reply.huge)
        if reply.trickle is not None:
            return self._trickle(srv, json.dumps(payload, ensure_ascii=False).encode(), reply.trickle)
        self.send_json(status, payload, headers)

    def _huge(self, size: int) -> None:
        """A valid completion of `size` content bytes, chunked (no length told in advance),
        written 64 KB at a time so the server itself never holds it."""
        head = (b'{"id":"chatcmpl-huge","object":"chat.completion","created":0,"model":"m",'
                b'"choices":[{"index":0,"message":{"role":"assistant","content":"')
        tail = b'"},"finish_reason":"stop"}]}'
        block = "总结".encode() * 10923
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in [head] + [block] * (size // len(block)) + [tail]:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _trickle(self, srv: Any, data: bytes, every: float) -> None:
        """Headers at once, then the body a byte at a time (every socket read succeeds)."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.flush()
            for i in range(len(data)):
                if srv._closing.wait(every):
                    break
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

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


class HTTPServer(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)
