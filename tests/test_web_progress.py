"""An LLM draft on the review page runs in the background and tells each part as it is
finished, then each revise round; the model is the scripted server on 127.0.0.1 (real HTTP)."""

from __future__ import annotations

import time

import pytest
from conftest import FIXTURES

pytest.importorskip("fastapi", reason="未安装 fastapi（pip install -e '.[test]' 会装上），跳过审阅台测试")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.drafting.llm.config import Endpoint  # noqa: E402
from pipeline.evals.scripted_model import Writer  # noqa: E402
from pipeline.testing.scripted_server import Reply  # noqa: E402
from pipeline.web import create_app  # noqa: E402

LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"
KEY = "sk-test-NEVER-SHOWN-71c2"


def _endpoint(srv) -> Endpoint:
    # one request at a time, so the parts finish one after another
    return Endpoint(base_url=srv.base_url, model="scripted-model", api_key=KEY, timeout=5, max_retries=0,
                    concurrency=1)


def _start(client, path=LEDGER):
    return client.post("/draft", files={"file": (path.name, path.read_bytes())}, data={"backend": "llm"},
                       follow_redirects=False)


def _follow(client, jid) -> list[dict]:
    seen, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        r = client.get(f"/api/draft/{jid}")
        assert r.status_code == 200
        seen.append(r.json())
        if seen[-1]["done"]:
            return seen
        time.sleep(0.02)
    raise AssertionError("the draft did not finish")


@pytest.mark.slow  # LangChain's first import and a dozen scripted replies (~4 s)
def test_an_llm_draft_tells_each_part_then_each_revise_round_then_opens(srv, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    srv.responder = Writer("invent", latency=0.05)  # wrong at first, right when asked to repair
    data = tmp_path / "data"
    client = TestClient(create_app(data, endpoint=_endpoint(srv)))
    r = _start(client)
    assert r.status_code == 303 and r.headers["location"].startswith("/draft/")
    jid = r.headers["location"].rsplit("/", 1)[1]
    assert "大模型起草" in client.get(f"/draft/{jid}").text
    seen = _follow(client, jid)

    drafting = [s for s in seen if s["stage"] == "draft" and s["parts"]]
    assert any(0 < s["parts_done"] < s["parts"] for s in drafting)  # seen part-way through
    assert any("正在起草：已完成" in s["message"] for s in drafting)
    assert any(s["stage"] == "revise" and s["round"] == 1 for s in seen)
    final = seen[-1]
    assert final["error"] == "" and final["review"].startswith("/review/")
    assert final["steps"][0].startswith("起草：") and any(t.startswith("第 1 轮修改：") for t in final["steps"])
    page = client.get(final["review"])
    assert page.status_code == 200 and 'class="fact' in page.text
    assert client.get(f"/draft/{jid}", follow_redirects=False).headers["location"] == final["review"]
    assert KEY not in str(seen) and KEY not in page.text
    assert (data / "llm-cache.sqlite3").is_file()  # the model cache is in the data folder
    assert not (tmp_path / "home").exists()


def test_a_bad_ledger_is_refused_at_once_and_nothing_is_asked(srv, tmp_path):
    srv.responder = Writer("faithful")
    client = TestClient(create_app(tmp_path / "data", endpoint=_endpoint(srv)))
    r = _start(client, FIXTURES / "ledger" / "有错的台账.xlsx")
    assert r.status_code == 422 and "<table" in r.text
    assert srv.chat_requests() == []


def test_an_endpoint_that_refuses_is_said_on_the_progress_page_without_the_key(srv, tmp_path):
    srv.responder = lambda body: Reply(status=401)
    client = TestClient(create_app(tmp_path / "data", endpoint=_endpoint(srv)))
    jid = _start(client).headers["location"].rsplit("/", 1)[1]
    final = _follow(client, jid)[-1]
    assert final["done"] and final["review"] is None
    assert final["error"] and final["message"].startswith("起草失败：") and KEY not in final["message"]
    assert "401" in final["message"] or "认证" in final["message"] or "密钥" in final["message"], final["message"]
