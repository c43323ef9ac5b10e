"""Hostile requests to the review workbench and odd option values, found on main after
issue 14's fixes (reproductions in notes/i14z.md): a recheck body that is not the JSON
object the page sends, and a download of an unknown kind, ended in a 500 and a traceback
in the server's log; `{"text": null}` was checked as the draft “None”. `serve --port -1`
and `--port 99999` ended in an OverflowError traceback, a port in use or an address not of
this machine in uvicorn's English error and exit 3 (the code of a failed model call);
`eval --concurrency -3` in a ValueError traceback, and `--poll-seconds nan` was taken."""

from __future__ import annotations

import socket

import pytest

from conftest import FIXTURES, run_cli

pytest.importorskip("fastapi", reason="未安装 fastapi（pip install -e '.[test]' 会装上），跳过审阅台测试")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.web import create_app  # noqa: E402

BODIES = {
    "not_json": b"not json",
    "list": b"[1, 2]",
    "string": b'"the text"',
    "not_utf8": b"\xff\xfe\x00",
    "text_object": b'{"text": {"a": 1}}',
    "text_null": b'{"text": null}',
    "text_number": b'{"text": 3}',
    "deep": b"[" * 100_000,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    client = TestClient(create_app(tmp_path_factory.mktemp("data")), raise_server_exceptions=True)
    r = client.post("/draft", files={"file": ("r.yaml", (FIXTURES / "injection.yaml").read_bytes())},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client, r.headers["location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("body", BODIES)
def test_a_recheck_body_of_another_shape_is_a_400_that_says_what_to_send(served, body):
    client, rid = served
    r = client.post(f"/api/review/{rid}/check", content=BODIES[body])
    assert r.status_code == 400 and "JSON 对象" in r.json()["error"]
    # the saved draft is untouched: the page still shows the drafted text
    assert "None" not in client.get(f"/review/{rid}/download/md").text


def test_a_good_recheck_still_works(served):
    client, rid = served
    text = client.get(f"/review/{rid}/download/md").text
    r = client.post(f"/api/review/{rid}/check", json={"text": text + "\n补充一句，参会群众9999人。"})
    assert r.status_code == 200 and r.json()["ok"] is False


@pytest.mark.parametrize("kind", ["pdf", "DOCX", "report.json", "md%00"])
def test_an_unknown_download_kind_is_a_404_naming_the_kinds(served, kind):
    client, rid = served
    r = client.get(f"/review/{rid}/download/{kind}")
    assert r.status_code == 404 and "docx、md、report" in r.text


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("serve", "--port", "-1"), ("serve", "--port", "99999"), ("serve", "--port", "八七六五"),
    ("eval", "--concurrency", "-3"), ("eval", "--concurrency", "0"),
    ("batch", "x", "-o", "y", "--poll-seconds", "nan"), ("batch", "x", "-o", "y", "--poll-seconds", "-5"),
    ("batch", "x", "-o", "y", "--poll-seconds", "inf"),
])
def test_odd_option_values_are_usage_errors(tmp_path, args):
    out = run_cli(*args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert f"参数 {args[-2]} 的值“{args[-1]}”无效" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
@pytest.mark.parametrize("host", ["127.0.0.1", "192.0.2.1", "nonexistent.invalid"])
def test_serve_on_an_address_it_cannot_listen_on_exits_2_in_chinese(tmp_path, host):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = run_cli("serve", "--host", host, "--port", str(port), "--token", "t0ken", "--data",
                      str(tmp_path / "data"), cwd=tmp_path, timeout=30)
    assert out.returncode == 2, out.stderr
    assert "审阅台已启动" not in out.stderr and "Traceback" not in out.stderr and "ERROR" not in out.stderr
    assert ("无法解析" if host.endswith(".invalid") else f"无法在 {host}:{port} 上启动审阅台") in out.stderr
