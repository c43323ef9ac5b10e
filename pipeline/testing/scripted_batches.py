"""Files and Batch API for ScriptedServer (stdlib only; routed to by scripted_http.py).

Mimics OpenAI: a batch is `validating` when created, `in_progress` on later polls, and finishes
on poll number `srv.batch_polls_to_complete`. Each input line is answered in input order by the
server's queue/responder (logged as a RequestRecord with method "BATCH"); output and error
files are written in a seeded SHUFFLED order (never the input order when there are 2+ lines).
A non-200 scripted reply goes to the error file with its status and error body; custom_ids in
`srv.expire_custom_ids` go to the error file with code "batch_expired", count as failed, and
make the batch's final status "expired".
"""
from __future__ import annotations

import json
import random
import time
from typing import Any

EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."
_PURPOSES = {"batch", "fine-tune", "assistants", "vision", "user_data", "evals"}
_TERMINAL = {"completed", "failed", "expired", "cancelled"}


def _err(status: int, message: str, code: str | None = None) -> tuple[int, dict, dict]:
    return status, {"error": {"message": message, "type": "invalid_request_error", "param": None,
                              "code": code}}, {}


def parse_multipart(raw: bytes, ctype: str) -> dict[str, tuple[str | None, bytes]]:
    """name -> (filename, bytes) for a multipart/form-data body."""
    boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"').encode()
    fields = {}
    for part in raw.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        disp = next((h for h in head.decode("utf-8", "replace").split("\r\n")
                     if h.lower().startswith("content-disposition")), "")
        params = {k.strip().lower(): v.strip().strip('"') for k, _, v in
                  (p.partition("=") for p in disp.split(";")[1:])}
        fields[params.get("name", "")] = (params.get("filename"), data[:-2] if data.endswith(b"\r\n") else data)
    return fields


def add_file(srv: Any, data: bytes, filename: str, purpose: str) -> dict:
    fid = f"file-scripted{next(srv._ids)}"
    meta = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
            "filename": filename, "purpose": purpose, "status": "processed",
            "expires_at": None, "status_details": None}
    srv.files[fid] = {"meta": meta, "data": data}
    return meta


def _validate_lines(data: bytes, endpoint: str) -> tuple[list[dict], list[dict]]:
    lines, errors, seen, models = [], [], set(), set()
    for no, text in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError:
            errors.append({"code": "invalid_json_line", "line": no, "message": "This line is not parseable as valid JSON."})
            continue
        problem = None
        if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
            problem = ("missing_required_parameter", "Missing required parameter: 'custom_id'.")
        elif line["custom_id"] in seen:
            problem = ("duplicate_custom_id", f"The custom_id '{line['custom_id']}' is not unique in the batch.")
        elif line.get("method") != "POST" or line.get("url") != endpoint:
            problem = ("invalid_url", f"The URL provided for this request does not match the batch endpoint {endpoint}.")
        elif not isinstance(line.get("body"), dict):
            problem = ("missing_required_parameter", "Missing required parameter: 'body'.")
        if problem:
            errors.append({"code": problem[0], "line": no, "message": problem[1], "param": None})
            continue
        seen.add(line["custom_id"])
        models.add(line["body"].get("model"))
        lines.append(line)
    if len(models) > 1:
        errors.append({"code": "model_mismatch", "line": None, "param": None,
                       "message": "Requests in a batch must all use the same model."})
    if not lines and not errors:
        errors.append({"code": "empty_file", "line": None, "param": None, "message": "The input file is empty."})
    return lines, errors


def _shuffled(items: list, rng: random.Random) -> list:
    out = items[:]
    rng.shuffle(out)
    if len(out) > 1 and out == items:  # guarantee a non-input order so order assumptions fail
        out = out[1:] + out[:1]
    return out


def _finish(srv: Any, b: dict) -> None:
    now, state = int(time.time()), b["_state"]
    out, errs, completed, failed = [], [], 0, 0
    for line in state["lines"]:
        cid, body = line["custom_id"], line["body"]
        rid = f"batch_req_{next(srv._ids)}"
        if cid in srv.expire_custom_ids:
            errs.append({"id": rid, "custom_id": cid, "response": None,
                         "error": {"code": "batch_expired", "message": EXPIRED_MESSAGE}})
            failed += 1
            continue
        srv.log_batch_line(line["url"], body, cid)
        status, payload = srv.answer(body, srv.take_reply(body))
        row = {"id": rid, "custom_id": cid, "error": None,
               "response": {"status_code": status, "request_id": f"req_{next(srv._ids)}", "body": payload}}
        (out if status == 200 else errs).append(row)
        completed, failed = completed + (status == 200), failed + (status != 200)
    rng = random.Random(srv.batch_seed)
    for key, rows, kind in (("output_file_id", out, "output"), ("error_file_id", errs, "error")):
        if rows:
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _shuffled(rows, rng)).encode()
            b[key] = add_file(srv, data, f"{b['id']}_{kind}.jsonl", f"batch_{kind}")["id"]
    expired = any(line["custom_id"] in srv.expire_custom_ids for line in state["lines"])
    b.update(status="expired" if expired else "completed", finalizing_at=now,
             request_counts={"total": len(state["lines"]), "completed": completed, "failed": failed})
    b["expired_at" if expired else "completed_at"] = now


def _poll(srv: Any, b: dict) -> None:
    state, now = b["_state"], int(time.time())
    if b["status"] in _TERMINAL:
        return
    state["polls"] += 1
    if b["status"] == "cancelling":
        b.update(status="cancelled", cancelled_at=now)
    elif state["errors"]:
        b.update(status="failed", failed_at=now, errors={"object": "list", "data": state["errors"]})
    elif state["polls"] >= srv.batch_polls_to_complete:
        b.setdefault("in_progress_at", now)
        _finish(srv, b)
    elif b["status"] == "validating":
        b.update(status="in_progress", in_progress_at=now)


def _public(b: dict) -> dict:
    return {k: v for k, v in b.items() if not k.startswith("_")}


def route(srv: Any, method: str, path: str, raw: bytes, ctype: str, body: dict) -> tuple[int, Any, dict]:
    """(status, JSON dict or raw bytes, extra headers) for /v1/files… and /v1/batches…"""
    parts = path.split("/v1/", 1)[-1].split("/")  # e.g. ["files"], ["batches", id, "cancel"]
    with srv._lock:
        if parts == ["files"] and method == "POST":
            if "multipart/form-data" not in ctype or "boundary=" not in ctype:
                return _err(400, "Expected multipart/form-data with 'file' and 'purpose'.")
            fields = parse_multipart(raw, ctype)
            purpose = fields.get("purpose", (None, b""))[1].decode()
            if "file" not in fields or purpose not in _PURPOSES:
                return _err(400, f"Missing 'file' or invalid 'purpose' {purpose!r}.")
            name, data = fields["file"]
            return 200, add_file(srv, data, name or "upload.jsonl", purpose), {}
        if parts[0] == "files" and len(parts) >= 2:
            f = srv.files.get(parts[1])
            if f is None:
                return _err(404, f"No such File object: {parts[1]}", "not_found")
            if len(parts) == 3 and parts[2] == "content" and method == "GET":
                return 200, f["data"], {}
            if method == "DELETE":
                del srv.files[parts[1]]
                return 200, {"id": parts[1], "object": "file", "deleted": True}, {}
            return 200, f["meta"], {}
        if parts == ["batches"] and method == "POST":
            fid, endpoint = body.get("input_file_id"), body.get("endpoint")
            if fid not in srv.files:
                return _err(400, f"Invalid 'input_file_id': '{fid}'.", "invalid_file_id")
            if endpoint != "/v1/chat/completions":
                return _err(400, f"Unsupported endpoint {endpoint!r} (scripted: /v1/chat/completions only).")
            if body.get("completion_window") != "24h":
                return _err(400, "Invalid 'completion_window': only '24h' is supported.")
            lines, errors = _validate_lines(srv.files[fid]["data"], endpoint)
            now, bid = int(time.time()), f"batch_scripted{next(srv._ids)}"
            srv.batches[bid] = {
                "id": bid, "object": "batch", "endpoint": endpoint, "errors": None, "input_file_id": fid,
                "completion_window": "24h", "status": "validating", "output_file_id": None,
                "error_file_id": None, "created_at": now, "in_progress_at": None, "expires_at": now + 86400,
                "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None,
                "cancelling_at": None, "cancelled_at": None, "metadata": body.get("metadata"),
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
                "_state": {"lines": lines, "errors": errors, "polls": 0}}
            return 200, _public(srv.batches[bid]), {}
        if parts[0] == "batches" and len(parts) >= 2:
            b = srv.batches.get(parts[1])
            if b is None:
                return _err(404, f"No batch found with id '{parts[1]}'.", "not_found")
            if len(parts) == 3 and parts[2] == "cancel" and method == "POST":
                if b["status"] in _TERMINAL:
                    return _err(400, f"Cannot cancel a batch with status '{b['status']}'.")
                b.update(status="cancelling", cancelling_at=int(time.time()))
                return 200, _public(b), {}
            if method == "GET" and len(parts) == 2:
                _poll(srv, b)
                return 200, _public(b), {}
    return _err(404, f"Invalid URL ({method} {path})", "unknown_url")
