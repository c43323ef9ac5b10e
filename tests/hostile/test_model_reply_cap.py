"""A reply far larger than any section: refused while it streams in, in bounded memory,
and nothing of it reaches the draft, the trail or the cache."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from conftest import DATA
from pipeline.drafting.llm.config import Endpoint
from pipeline.errors import EndpointError
from pipeline.evals.scripted_model import Writer
from pipeline.inputs import load_records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import Reply, ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records():
    import langchain_openai  # noqa: F401  first import is slow: keep it out of the timing

    return load_records(DATA / "spec_example.yaml")[0]


def endpoint(srv, **kw) -> Endpoint:
    return Endpoint(**{"base_url": srv.base_url, "model": "scripted-model", "api_key": "sk-cap-1234",
                       "timeout": 20, "max_retries": 3, "retry_budget": 30, **kw})


def test_a_20_mb_reply_is_refused_early_in_bounded_memory(srv, records, tmp_path):
    srv.responder = lambda body: Reply(huge=20_000_000)  # streamed by the server, 64 KB at a time
    trail, cache = tmp_path / "trail", tmp_path / "cache.sqlite3"
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(EndpointError) as err:
            draft(records, "llm", endpoint(srv), cache_path=cache, trail_dir=trail)
        took = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(err.value)
    assert "1000000 字节的上限" in message and "max_reply_bytes" in message
    assert err.value.exit_code == 3
    assert took < 10, took
    assert peak < 60_000_000, peak  # was 5.8 GB of RSS before the cap
    assert len(srv.chat_requests()) <= 6  # refused, never retried
    assert not (trail / "calls.jsonl").exists() or (trail / "calls.jsonl").stat().st_size < 200_000
    assert not cache.exists() or cache.stat().st_size < 200_000


def test_the_cap_is_configurable_and_a_normal_reply_passes_under_it(srv, records, tmp_path):
    srv.responder = Writer("faithful")
    out = draft(records, "llm", endpoint(srv, max_reply_bytes=50_000), use_cache=False)
    assert out.document.backend == "llm" and out.report.ok
    srv.responder = lambda body: Reply(content="汇报" * 20_000)  # 120 KB, under the default cap
    with pytest.raises(EndpointError, match="50000 字节的上限"):
        draft(records, "llm", endpoint(srv, max_reply_bytes=50_000), use_cache=False)
