"""A server that echoes the Authorization header back: the key must reach none of the
draft, the trail, the SQLite cache, stdout or stderr (the real CLI against the scripted
server on 127.0.0.1)."""

from __future__ import annotations

import pytest

from hostile.key_outputs import draft_llm, outputs
from pipeline.drafting.llm.http import scrub
from pipeline.evals.scripted_model import Writer
from pipeline.testing.replies import ECHO_AUTH
from pipeline.testing.scripted_server import Reply, ScriptedServer

KEY = "sk-live-ECHOED-3b9f2d7a41"
srv = ScriptedServer.pytest_fixture(name="srv")


def echoing(body: dict) -> Reply:
    reply = Writer("faithful")(body)
    if reply.json and reply.json.get("paragraphs"):
        first = reply.json["paragraphs"][0]["sentences"][0]
        first["text"] += f"（请求头 Authorization: {ECHO_AUTH}；密钥 {KEY}）"
    return Reply(json=reply.json, echo_auth=True)


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["echo", "error"])
def test_an_echoed_key_reaches_no_output(srv, tmp_path, fault):
    srv.responder = echoing if fault == "echo" else (lambda body: Reply(
        status=400, error_body={"error": {"message": f"bad request, got Authorization: {ECHO_AUTH}",
                                          "type": "invalid_request_error"}}, echo_auth=True))
    proc, cache = draft_llm(srv, tmp_path, KEY)
    out = tmp_path / "out" / "总结.md"
    if fault == "echo":
        assert proc.returncode in (0, 1), proc.stderr
        assert out.exists() and (tmp_path / "out" / "总结.md.trail").is_dir()
        assert cache.exists()
    else:
        assert proc.returncode == 3, proc.stderr
    for where, data in outputs(proc, tmp_path, cache):
        assert KEY.encode() not in data, where
        assert b"Bearer sk-" not in data, where


def test_scrub_masks_the_key_and_any_credential_value():
    body = (b'{"content": "Authorization: Bearer sk-abc123XYZ and api-key=qwerty987 '
            b'and \\"x-api-key\\": \\"zzz-999-yyy\\" and the key ' + KEY.encode() + b'"}')
    clean = scrub(body, KEY)
    for secret in (b"sk-abc123XYZ", b"qwerty987", b"zzz-999-yyy", KEY.encode()):
        assert secret not in clean
    assert clean.startswith(b'{"content": "Authorization: ***') and clean.endswith(b'the key ***"}')
    assert scrub(b'{"text": "Authorization is granted"}', KEY) == b'{"text": "Authorization is granted"}'
