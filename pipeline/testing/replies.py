"""What the scripted server answers: a `Reply` (content, JSON, or a fault such as a status,
latency, hang or broken JSON) and the OpenAI-shaped payloads built from it (stdlib only)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MALFORMED = '{"paragraphs": ['
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
    trickle: float | None = None  # headers at once, then one body byte every `trickle` seconds
    huge: int | None = None  # a completion whose content is this many bytes, sent chunked
    echo_auth: bool = False  # ECHO_AUTH in the content becomes the request's Authorization header
    headers: dict | None = None  # extra response headers (ECHO_AUTH in a value too, with echo_auth)


ECHO_AUTH = "<<AUTHORIZATION>>"


@dataclass
class RequestRecord:
    path: str
    method: str  # "POST", "GET", ... or "BATCH" for a line answered inside a batch
    body: dict
    headers: dict
    time: float  # time.monotonic() when the request arrived
    conn: int = 0  # server-side connection number: equal numbers = one kept-alive connection
    custom_id: str | None = None


def reply_text(reply: Reply) -> str:
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


def tool_name(body: dict) -> str | None:
    tools = body.get("tools") or []
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name")
    if tools and choice != "none":
        return (tools[0].get("function") or {}).get("name")
    return None


def strict_schema_problems(schema: Any, where: str = "schema") -> list[str]:
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
                out += strict_schema_problems(v, f"{where}.{k}")
    elif isinstance(schema, list):
        for i, v in enumerate(schema):
            out += strict_schema_problems(v, f"{where}[{i}]")
    return out
