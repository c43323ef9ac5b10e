"""A hostile or broken model server, through the real openai + LangChain stack against
the scripted server on 127.0.0.1 (nothing in the client is patched): every call ends by
its deadline, retries stay within the run's budget, and each failure says what it was."""

from __future__ import annotations

import socket
import time

import pytest

from conftest import DATA
from pipeline.drafting.llm.config import Endpoint
from pipeline.errors import EndpointError
from pipeline.evals.scripted_model import Writer
from pipeline.inputs import load_records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import Reply, ScriptedServer

KEY = "sk-hostile-DEADLINE-7c1e"
srv = ScriptedServer.pytest_fixture(name="srv")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records():
    # The client stack's first import takes seconds on a loaded machine: not the deadline's.
    import langchain_openai  # noqa: F401

    return load_records(DATA / "spec_example.yaml")[0]


def endpoint(base_url: str, **kw) -> Endpoint:
    return Endpoint(**{"base_url": base_url, "model": "scripted-model", "api_key": KEY, "timeout": 1.0,
                       "max_retries": 0, "retry_budget": 0, **kw})


def failing(records, ep, tmp_path) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(EndpointError) as err:
        draft(records, "llm", ep, use_cache=False, cache_path=tmp_path / "c.sqlite3")
    assert err.value.exit_code == 3
    return str(err.value), time.monotonic() - start


def test_trickling_reply_is_cut_at_the_deadline(srv, records, tmp_path):
    # Headers at once, then a byte every 0.3 s: every socket read succeeds, the call never ends
    # without a deadline for the whole reply.
    srv.responder = lambda body: Reply(json={"paragraphs": []}, trickle=0.3)
    message, took = failing(records, endpoint(srv.base_url, timeout=1.0), tmp_path)
    assert took < 4, took
    assert "期限" in message and "1 秒" in message
    assert "整个回复" in message  # the first byte came: it is the whole reply that was late


def test_hang_before_the_first_byte_is_named(srv, records, tmp_path):
    srv.responder = lambda body: Reply(json={"paragraphs": []}, hang=30)
    message, took = failing(records, endpoint(srv.base_url, timeout=0.5), tmp_path)
    assert took < 3, took
    assert "首个字节" in message


def test_a_hang_retries_within_the_budget_not_n_times_the_timeout(srv, records, tmp_path):
    srv.responder = lambda body: Reply(json={"paragraphs": []}, hang=30)
    ep = endpoint(srv.base_url, timeout=0.6, max_retries=8, retry_budget=1.0)
    message, took = failing(records, ep, tmp_path)
    # (1 + 8) × 0.6 = 5.4 s without a budget; with it: the first attempt plus the budget.
    assert took < 0.6 + 1.0 + 1.2, took
    assert "重试预算为 1 秒" in message and "retry_budget" in message


def test_retries_stop_when_the_budget_is_spent_even_with_retries_left(srv, records, tmp_path):
    srv.responder = lambda body: Reply(status=503)
    ep = endpoint(srv.base_url, max_retries=10, retry_budget=2.0)
    message, took = failing(records, ep, tmp_path)
    assert took < 4, took
    calls = len(srv.chat_requests())
    assert 6 < calls < 6 * 11  # retried, but not all ten times for every part
    assert "503" in message and "重试预算为 2 秒" in message


def test_a_transient_failure_is_retried_and_the_draft_completes(srv, records, tmp_path):
    writer = Writer("faithful")
    failures = iter(range(2))
    srv.responder = lambda body: Reply(status=500) if next(failures, None) is not None else writer(body)
    out = draft(records, "llm", endpoint(srv.base_url, timeout=5, max_retries=2, retry_budget=30),
                use_cache=False, cache_path=tmp_path / "c.sqlite3")
    assert out.document.backend == "llm" and out.repairs == []


def test_a_refused_connection_is_reported_as_refused(records, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    message, took = failing(records, endpoint(f"http://127.0.0.1:{port}/v1", max_retries=2,
                                              retry_budget=1.0), tmp_path)
    assert "连接被拒绝" in message
    assert "秒的期限内" not in message
    assert took < 3, took
