"""The scripted OpenAI-compatible server, exercised through the REAL client stack.

openai 3.x (httpx2) and langchain-openai talk HTTP to ScriptedServer on 127.0.0.1; nothing is
patched. This file: the plain protocol, streaming, retries and timeouts, concurrency.
Structured output is in test_scripted_structured.py, files and batches in
test_scripted_batches.py.
"""
from __future__ import annotations

import asyncio
import threading
import time

import httpx2
import openai
import pytest
from langchain_core.exceptions import ModelTimeoutError
from scripted_clients import GOOD, KEY, MSGS, Draft, lc, oa, timing

from pipeline.testing.scripted_server import Reply, ScriptedServer, usage_for


fresh_server = ScriptedServer.pytest_fixture(name="fresh_server")  # the helper other modules can use


# --- plain protocol ------------------------------------------------------------------------------
def test_chat_completion_has_openai_shape_and_deterministic_usage(srv):
    srv.enqueue(Reply(content="总结正文"))
    messages = [{"role": "system", "content": "abcd"}, {"role": "user", "content": "一二三四五六"}]
    r = oa(srv).chat.completions.create(model="deepseek-chat", messages=messages, n=3)
    assert (r.object, r.model, r.choices[0].message.role) == ("chat.completion", "deepseek-chat", "assistant")
    assert r.id.startswith("chatcmpl-") and r.created > 0 and len(r.choices) == 1  # n ignored
    assert r.choices[0].message.content == "总结正文" and r.choices[0].finish_reason == "stop"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (10 // 2 + 10, 4 // 2 + 1, 18)
    srv.enqueue(Reply(content="x", usage={"prompt_tokens": 1000, "completion_tokens": 7}))
    r = oa(srv).chat.completions.create(model="m", messages=messages)
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (1000, 7, 1007)


def test_models_endpoint_and_unknown_urls(srv):
    client = oa(srv)
    assert [m.id for m in client.models.list()] == ["scripted-model"]
    with pytest.raises(openai.NotFoundError) as e:
        client.embeddings.create(model="m", input="x")
    assert e.value.body["code"] == "not_found"


def test_request_log_redacts_the_api_key_and_keeps_connections_alive(srv):
    client = oa(srv)
    for i in range(5):
        srv.enqueue(Reply(content=str(i)))
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"q{i}"}])
    recs = srv.chat_requests()
    assert [r.body["messages"][0]["content"] for r in recs] == [f"q{i}" for i in range(5)]
    assert {r.headers["authorization"] for r in recs} == {"Bearer ***"}
    assert KEY not in repr(srv.requests) and "SECRET" not in repr(srv.requests)
    assert len({r.conn for r in recs}) == 1, "keep-alive: five calls on one connection"
    # a wrong key is rejected like OpenAI does, and still never logged
    srv.expected_api_key = "sk-right"
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert "SECRET" not in repr(srv.requests)


def test_pytest_fixture_helper_gives_a_private_server(fresh_server, srv):
    assert fresh_server.base_url != srv.base_url
    fresh_server.enqueue(Reply(content="私有"))
    assert oa(fresh_server).models.retrieve("scripted-model").id == "scripted-model"
    r = oa(fresh_server).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert r.choices[0].message.content == "私有" and srv.requests == []


def test_broken_responder_is_reported_not_retried(srv):
    srv.responder = lambda body: 1 / 0
    with pytest.raises(openai.BadRequestError, match="ZeroDivisionError"):
        oa(srv, max_retries=2).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert len(srv.chat_requests()) == 1 and isinstance(srv.responder_errors[0], ZeroDivisionError)


def test_unscripted_request_is_a_clear_400_that_is_not_retried(srv):
    with pytest.raises(openai.BadRequestError, match="no scripted reply"):
        oa(srv, max_retries=2).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert len(srv.chat_requests()) == 1


def test_responder_answers_when_the_queue_is_empty(srv):
    srv.enqueue(Reply(content="from queue"))
    srv.responder = lambda body: Reply(content="echo:" + body["messages"][-1]["content"])
    client = oa(srv)
    got = [client.chat.completions.create(model="m", messages=[{"role": "user", "content": q}])
           .choices[0].message.content for q in ("a", "b")]
    assert got == ["from queue", "echo:b"]


# --- streaming -----------------------------------------------------------------------------------------
def test_streaming_with_usage_through_langchain(srv):
    text = "一、基本情况。二、主要做法。三、存在问题。四、下一步打算。"
    srv.enqueue(Reply(content=text))
    chunks = list(lc(srv, stream_usage=True).stream(MSGS))
    pieces = [c.content for c in chunks if c.content]
    assert len(pieces) >= 3 and "".join(pieces) == text
    total = chunks[0]
    for c in chunks[1:]:
        total = total + c
    body = srv.chat_requests()[-1].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    expected = usage_for(body, text)
    assert total.usage_metadata["input_tokens"] == expected["prompt_tokens"]
    assert total.usage_metadata["output_tokens"] == expected["completion_tokens"]
    assert total.response_metadata["finish_reason"] == "stop"
    # without stream_usage=True a custom base_url gets no usage at all
    srv.enqueue(Reply(content=text))
    chunks = list(lc(srv).stream(MSGS))
    assert all(c.usage_metadata is None for c in chunks)
    assert "stream_options" not in srv.chat_requests()[-1].body


def test_streaming_tool_call_and_raw_sse(srv):
    srv.enqueue(Reply(json=GOOD))
    chunks = list(lc(srv).bind_tools([Draft], tool_choice="Draft").stream(MSGS))
    total = chunks[0]
    for c in chunks[1:]:
        total = total + c
    assert total.tool_calls[0]["name"] == "Draft" and total.tool_calls[0]["args"] == GOOD
    srv.enqueue(Reply(status=503))
    with pytest.raises(openai.InternalServerError):  # errors before the stream: JSON, not SSE
        list(oa(srv).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}], stream=True))


# --- retries and timeouts ----------------------------------------------------------------------------------
def test_429_retry_after_is_honoured(srv):
    srv.enqueue(Reply(status=429, retry_after=0.6), Reply(content="ok"))
    t0 = time.monotonic()
    assert lc(srv, max_retries=2).invoke(MSGS).content == "ok"
    first, second = srv.chat_requests()
    gap = second.time - first.time
    timing("429 Retry-After 0.6 -> retry gap", gap)
    timing("429 then success, total", time.monotonic() - t0)
    assert 0.6 <= gap < 0.85
    assert (first.headers["x-stainless-retry-count"], second.headers["x-stainless-retry-count"]) == ("0", "1")


def test_retry_after_above_two_minutes_is_not_retried(srv):
    srv.enqueue(Reply(status=429, retry_after=121), Reply(content="never"))
    t0 = time.monotonic()
    with pytest.raises(openai.RateLimitError) as e:
        lc(srv, max_retries=2).invoke(MSGS)
    assert time.monotonic() - t0 < 1 and len(srv.chat_requests()) == 1
    assert e.value.status_code == 429


def test_500_then_success_backs_off(srv):
    srv.enqueue(Reply(status=500), Reply(json=GOOD))
    out = lc(srv, max_retries=2).with_structured_output(Draft, method="json_schema").invoke(MSGS)
    assert out == Draft(**GOOD)
    first, second = srv.chat_requests()
    gap = second.time - first.time
    timing("500 -> retry gap (0.5 s backoff minus up to 25% jitter)", gap)
    assert 0.37 <= gap < 0.75


def test_error_classes_wrap_both_sdk_and_langchain(srv):
    from langchain_core.exceptions import ModelAPIError, ModelRateLimitError

    srv.enqueue(Reply(status=429), Reply(status=500))
    with pytest.raises(openai.RateLimitError) as e:
        lc(srv).invoke(MSGS)
    assert isinstance(e.value, ModelRateLimitError) and type(e.value).__name__ == "OpenAIRateLimitError"
    assert e.value.body == {"message": "Scripted error 429", "type": "requests", "param": None,
                            "code": "rate_limit_exceeded"}
    with pytest.raises(openai.InternalServerError) as e:
        lc(srv).invoke(MSGS)
    assert isinstance(e.value, ModelAPIError) and type(e.value).__name__ == "OpenAIAPIError"


def test_hang_longer_than_timeout_raises_timeout(srv):
    srv.enqueue(Reply(content="late", hang=1.5))
    t0 = time.monotonic()
    with pytest.raises(openai.APITimeoutError) as e:
        oa(srv, timeout=0.3).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    timing("openai timeout=0.3 against hang=1.5", time.monotonic() - t0)
    assert type(e.value) is openai.APITimeoutError and time.monotonic() - t0 < 1.0
    srv.enqueue(Reply(content="late", hang=1.5))
    t0 = time.monotonic()
    with pytest.raises(openai.APITimeoutError) as e:
        lc(srv, timeout=0.3).invoke(MSGS)
    timing("ChatOpenAI timeout=0.3 against hang=1.5", time.monotonic() - t0)
    assert type(e.value).__name__ == "OpenAITimeoutError" and isinstance(e.value, ModelTimeoutError)
    # timeouts are retried: the second attempt gets the next scripted reply
    srv.enqueue(Reply(content="late", hang=1.5), Reply(content="on time"))
    assert lc(srv, timeout=0.3, max_retries=1).invoke(MSGS).content == "on time"


def test_close_interrupts_a_hanging_request():
    server = ScriptedServer().start()
    server.enqueue(Reply(content="never", hang=30))
    errors: list[BaseException] = []

    def call():
        try:
            oa(server, timeout=60).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
    worker = threading.Thread(target=call)
    worker.start()
    while not server.chat_requests():
        time.sleep(0.01)
    t0 = time.monotonic()
    server.close()
    worker.join(10)
    timing("close() with a request hanging 30 s", time.monotonic() - t0)
    assert not worker.is_alive() and isinstance(errors[0], openai.APIConnectionError)


# --- concurrency ------------------------------------------------------------------------------------------------
@pytest.mark.asyncio(loop_scope="session")
async def test_32_concurrent_async_requests_overlap(srv):
    srv.default_latency = 0.2
    srv.responder = lambda body: Reply(content="回复:" + body["messages"][-1]["content"])
    async with httpx2.AsyncClient(timeout=10) as http:  # our own client: no cross-loop caching
        llm = lc(srv, timeout=10, http_async_client=http)
        t0 = time.monotonic()
        outs = await asyncio.gather(*(llm.ainvoke(f"第{i}节") for i in range(32)))
        elapsed = time.monotonic() - t0
    timing("32 concurrent ainvoke at 0.2 s latency (serial would be 6.4 s)", elapsed)
    assert [o.content for o in outs] == [f"回复:第{i}节" for i in range(32)]
    recs = srv.chat_requests()
    assert len(recs) == 32 and len({r.conn for r in recs}) >= 16
    assert elapsed < 1.6
    srv.reset()
    srv.default_latency = 0.2
    srv.responder = lambda body: Reply(content="ok")
    async with openai.AsyncOpenAI(base_url=srv.base_url, api_key=KEY, timeout=10, max_retries=0) as client:
        t0 = time.monotonic()
        await asyncio.gather(*(client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": str(i)}]) for i in range(32)))
        timing("32 concurrent AsyncOpenAI calls at 0.2 s latency", time.monotonic() - t0)
        assert time.monotonic() - t0 < 1.6
