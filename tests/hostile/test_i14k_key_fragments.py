"""A server that echoes the key in pieces or in disguise: split by spaces or line breaks,
escaped in JSON once or twice, URL- or HTML-encoded, in base64 (alone, as "Bearer KEY", as
"user:KEY"), in hex, or only its last 10 characters. The rule: no 8 characters of the key
in a row reach the draft, the trail, the cache, stdout/stderr or a workbench page, in any
of these forms (a stretch shorter than 8 is no key). Checked by decoding each output
independently of the scrub, against the scripted server on 127.0.0.1."""

from __future__ import annotations

import base64
import html
import json
import re
import time
import urllib.parse

import pytest

from conftest import DATA, FIXTURES, run_cli
from pipeline.drafting.llm.http import scrub
from pipeline.evals.scripted_model import Writer
from pipeline.testing.replies import ECHO_AUTH
from pipeline.testing.scripted_server import Reply, ScriptedServer

KEY = "sk-live-FRAGMENT-9c4e1b7d20aQ"
srv = ScriptedServer.pytest_fixture(name="srv")


def disguises(key: str) -> dict[str, str]:
    return {
        "whole": key,
        "spaced": " ".join(key[i:i + 3] for i in range(0, len(key), 3)),
        "line_breaks": key[:9] + "\n" + key[9:17] + "\r\n" + key[17:],
        "zero_width": "\u200b".join(key),
        "json_once": json.dumps({"k": key[:11] + "\n" + key[11:]}),
        "json_twice": json.dumps(json.dumps({"api": key})),
        "unicode_escapes": "".join(f"\\u{ord(c):04x}" for c in key),
        "url": urllib.parse.quote(key, safe=""),
        "url_every_byte": "".join(f"%{b:02X}" for b in key.encode()),
        "html_entities": "".join(f"&#{ord(c)};" for c in key),
        "base64": base64.b64encode(key.encode()).decode(),
        "base64_bearer": base64.b64encode(f"Bearer {key}".encode()).decode(),
        "base64_basic": base64.b64encode(f"user:{key}".encode()).decode(),
        "base64_urlsafe": base64.urlsafe_b64encode(f"xy{key}".encode()).decode(),
        "hex": key.encode().hex(),
        "last_10": key[-10:],
        "first_half": key[:len(key) // 2],
    }


def _decoded_views(text: str) -> list[str]:
    """What a reader could recover from `text`: escapes undone (several rounds), white
    space and invisible characters dropped, and every base64 or hex run decoded."""
    views = []
    t = text
    for _ in range(3):
        t = re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t)
        t = html.unescape(urllib.parse.unquote(t))
        t = re.sub(r"\\+[nrt]", "", t)
    flat = re.sub(r"[\s\\\u200b-\u200f\ufeff]", "", t)
    views.append(flat)
    for run in re.findall(r"[A-Za-z0-9+/_=-]{12,}", flat):
        for cut in range(4):
            body = run[cut:].replace("-", "+").replace("_", "/").rstrip("=")
            body = body[:len(body) // 4 * 4]
            try:
                views.append(base64.b64decode(body).decode("latin-1"))
            except ValueError:
                pass
    for run in re.findall(r"(?:[0-9a-fA-F]{2}){8,}", flat):
        for cut in (0, 1):
            views.append(bytes.fromhex(run[cut:len(run) - (len(run) - cut) % 2]).decode("latin-1"))
    return views


def leaks(data: bytes | str) -> list[str]:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    windows = {KEY[i:i + 8] for i in range(len(KEY) - 7)}
    return sorted({w for view in _decoded_views(text) for w in windows if w in view})


@pytest.mark.parametrize("form", sorted(disguises(KEY)))
def test_scrub_leaves_no_eight_characters_of_the_key(form):
    value = disguises(KEY)[form]
    body = json.dumps({"choices": [{"message": {"content": f"县委统战部召开会议（{value}），参会单位32个。"}}]},
                      ensure_ascii=form != "zero_width").encode()
    assert leaks(body), "the check itself must see the key before the scrub"
    clean = scrub(body, KEY)
    assert not leaks(clean), clean
    content = json.loads(clean)["choices"][0]["message"]["content"]  # still JSON, the rest kept
    assert content.startswith("县委统战部召开会议（") and content.endswith("），参会单位32个。")


def test_scrub_keeps_what_is_no_key():
    text = ("9月2日，县委统战部召开任务部署会，参会单位32个。密钥以 sk- 开头；"
            "a basic plan; the key ends in 7d20aQ; Authorization is granted").encode()
    assert scrub(text, KEY) == text
    assert scrub(b"xx sk-live-F yy", KEY) == b"xx *** yy"  # 9 characters of it in a row: the key
    assert scrub(b"xx sk-live yy 20aQ", KEY) == b"xx sk-live yy 20aQ"  # 7 and 4: no key


def test_a_short_key_is_masked_only_whole():
    assert scrub(b"local key abcd1 and abcd12", "abcd12") == b"local key abcd1 and ***"


def test_credentials_of_any_key_are_masked_in_any_header_form():
    body = (b'{"echo": "Authorization: Bearer sk-other-123456 | Proxy-Authorization: Basic dXNlcjpwYXNzd29yZDEy'
            b' | apikey=zz9-yy8-xx7 | \\"x-api-key\\": \\"qq-1234-ww\\" | access_token=tok_abcdef'
            b' | ?api-key%3Durl9enc8 | Authorization%3A%20Bearer%20url7bearer6"}')
    clean = scrub(body, KEY)
    for secret in (b"sk-other-123456", b"dXNlcjpwYXNzd29yZDEy", b"zz9-yy8-xx7", b"qq-1234-ww", b"tok_abcdef",
                   b"url9enc8", b"url7bearer6"):
        assert secret not in clean, secret
    json.loads(clean)


def echoing(body: dict) -> Reply:
    reply = Writer("faithful")(body)
    if reply.json and reply.json.get("paragraphs"):
        sentences = reply.json["paragraphs"][0]["sentences"]
        for i, value in enumerate(disguises(KEY).values()):
            sentences[i % len(sentences)]["text"] += f"（{value}）"
        sentences[0]["text"] += f"（请求头 Authorization: {ECHO_AUTH}）"
    return Reply(json=reply.json, echo_auth=True)


def failing(body: dict) -> Reply:
    told = "；".join(disguises(KEY).values())
    return Reply(status=400, error_body={"error": {"message": f"bad key {ECHO_AUTH} {told}",
                                                   "type": "invalid_request_error"}}, echo_auth=True)


def _files_under(path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["echo", "error"])
def test_no_fragment_reaches_draft_trail_cache_or_terminal(srv, tmp_path, fault):
    srv.responder = echoing if fault == "echo" else failing
    out = tmp_path / "out" / "总结.md"
    cache = tmp_path / "cache.sqlite3"
    env = {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": KEY, "ZONGJIE_MODEL": "scripted-model"}
    proc = run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(out), "--backend", "llm",
                   "--cache", str(cache), env=env)
    assert srv.chat_requests()
    if fault == "echo":
        assert proc.returncode in (0, 1), proc.stderr
        assert (tmp_path / "out" / "总结.md.trail" / "run.json").is_file() and cache.is_file()
    else:
        assert proc.returncode == 3, proc.stderr
    for where, data in [("stdout", proc.stdout), ("stderr", proc.stderr),
                        ("draft, trail and report", _files_under(tmp_path / "out")),
                        ("cache", cache.read_bytes() if cache.exists() else b"")]:
        assert not leaks(data), where


@pytest.mark.slow
def test_no_fragment_reaches_a_workbench_page(srv, tmp_path, monkeypatch):
    pytest.importorskip("fastapi", reason="未安装 fastapi，跳过审阅台测试")
    from fastapi.testclient import TestClient

    from pipeline.drafting.llm.config import Endpoint
    from pipeline.web import create_app

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    srv.responder = echoing
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key=KEY, timeout=5, max_retries=0)
    data = tmp_path / "data"
    client = TestClient(create_app(data, endpoint=ep))
    ledger = FIXTURES / "ledger" / "柏溪县台账.xlsx"
    r = client.post("/draft", files={"file": (ledger.name, ledger.read_bytes())}, data={"backend": "llm"},
                    follow_redirects=False)
    jid = r.headers["location"].rsplit("/", 1)[1]
    seen, deadline = [], time.monotonic() + 60
    while not (seen and seen[-1]["done"]) and time.monotonic() < deadline:
        seen.append(client.get(f"/api/draft/{jid}").json())
        time.sleep(0.05)
    final = seen[-1]
    assert final["done"] and final["review"], final
    page = client.get(final["review"]).text
    assert "（" in page and not leaks(page)
    assert not leaks(json.dumps(seen, ensure_ascii=False))
    assert not leaks(_files_under(data))
