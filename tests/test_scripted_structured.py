"""Structured output through LangChain against the scripted server: the request each
method sends, and what each method actually does with broken model output, so the
drafting code can rely on it (and notice when an upgrade changes it)."""
from __future__ import annotations

import openai
import pydantic
import pytest
from langchain_core.exceptions import OutputParserException
from scripted_clients import GOOD, MSGS, Draft, OnlyParagraphs, lc, oa

from pipeline.testing.scripted_server import Reply


# --- structured output through LangChain -------------------------------------------------------------
@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
def test_structured_output_round_trip_and_request_shape(srv, method):
    srv.enqueue(Reply(json=GOOD))
    out = lc(srv).with_structured_output(Draft, method=method).invoke(MSGS)
    assert out == Draft(**GOOD)
    body = srv.chat_requests()[-1].body
    if method == "json_schema":
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Draft"
        assert fmt["json_schema"]["strict"] is True
        assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    elif method == "json_mode":
        assert body["response_format"] == {"type": "json_object"} and "tools" not in body
    else:
        assert "response_format" not in body and body["tools"][0]["function"]["name"] == "Draft"
        assert body["tool_choice"] == {"type": "function", "function": {"name": "Draft"}}
        assert body["parallel_tool_calls"] is False


def test_bare_openai_parse_with_pydantic_model(srv):
    srv.enqueue(Reply(json=GOOD))
    r = oa(srv).chat.completions.parse(model="m", messages=[{"role": "user", "content": "x"}], response_format=Draft)
    assert r.choices[0].message.parsed == Draft(**GOOD)


def test_server_rejects_what_openai_rejects(srv):
    # json_object without the word "json" in the messages: OpenAI and DeepSeek answer 400
    srv.enqueue(Reply(json=GOOD))
    with pytest.raises(openai.BadRequestError, match="must contain the word 'json'"):
        lc(srv).with_structured_output(Draft, method="json_mode").invoke("起草总结")
    # a strict json_schema whose objects do not list every property as required
    loose = {"name": "Loose", "strict": True, "schema": {
        "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "required": ["a"], "additionalProperties": False}}
    with pytest.raises(openai.BadRequestError, match=r"missing \['b'\]"):
        lc(srv).with_structured_output(loose, method="json_schema").invoke("x")
    assert len(srv.queue) == 1, "a rejected request consumes no scripted reply"


def _outcome(srv, method: str, reply: Reply, include_raw: bool = False, schema=Draft):
    srv.enqueue(reply)
    try:
        return "ok", lc(srv).with_structured_output(schema, method=method, include_raw=include_raw).invoke(MSGS)
    except Exception as e:  # noqa: BLE001 - the class is what we record
        return "raise", e


FAILURES = [  # (method, reply, exact exception class or None when it returns, what it returns)
    ("json_schema", Reply(json=GOOD, malformed=True), pydantic.ValidationError, None),
    ("json_schema", Reply(json=GOOD, fenced=True), pydantic.ValidationError, None),
    ("json_schema", Reply(empty=True), ValueError, None),
    ("json_schema", Reply(json=GOOD, finish_reason="length"), openai.LengthFinishReasonError, None),
    ("json_mode", Reply(json=GOOD, malformed=True), OutputParserException, None),
    ("json_mode", Reply(json=GOOD, fenced=True), None, Draft(**GOOD)),
    ("json_mode", Reply(empty=True), OutputParserException, None),
    ("json_mode", Reply(json=GOOD, finish_reason="length"), openai.LengthFinishReasonError, None),
    ("function_calling", Reply(json=GOOD, malformed=True), None, None),
    ("function_calling", Reply(json=GOOD, fenced=True), None, None),
    ("function_calling", Reply(empty=True), None, None),
    ("function_calling", Reply(json=GOOD, finish_reason="length"), None, Draft(**GOOD)),
]


@pytest.mark.parametrize("method,reply,exc,value", FAILURES,
                         ids=[f"{m}-{'malformed' if r.malformed else 'fenced' if r.fenced else 'empty' if r.empty else 'length'}"
                              for m, r, _, _ in FAILURES])
def test_structured_output_failure_modes(srv, method, reply, exc, value):
    kind, got = _outcome(srv, method, reply)
    if exc is None:
        assert kind == "ok" and got == value
    else:
        assert kind == "raise" and type(got) is exc, f"{type(got).__module__}.{type(got).__qualname__}: {got}"


def test_include_raw_catches_parser_errors_but_not_sdk_parse_errors(srv):
    # json_schema: openai's .parse() validates inside the model call: include_raw does not help
    kind, got = _outcome(srv, "json_schema", Reply(json=GOOD, fenced=True), include_raw=True)
    assert kind == "raise" and isinstance(got, pydantic.ValidationError)
    assert got.errors()[0]["type"] == "json_invalid"
    # json_schema, empty content: the LangChain-side ValueError IS captured
    kind, got = _outcome(srv, "json_schema", Reply(empty=True), include_raw=True)
    assert kind == "ok" and got["parsed"] is None and isinstance(got["parsing_error"], ValueError)
    # function_calling: broken arguments are an invalid_tool_call, and parsing_error stays None
    kind, got = _outcome(srv, "function_calling", Reply(json=GOOD, malformed=True), include_raw=True)
    assert kind == "ok" and got["parsed"] is None and got["parsing_error"] is None
    assert got["raw"].tool_calls == [] and got["raw"].invalid_tool_calls[0]["name"] == "Draft"


def test_json_mode_silently_completes_truncated_json(srv):
    # LangChain's JsonOutputParser repairs partial JSON: '{"paragraphs": [' becomes {"paragraphs": []}
    kind, got = _outcome(srv, "json_mode", Reply(content='{"paragraphs": ['), schema=OnlyParagraphs)
    assert kind == "ok" and got == OnlyParagraphs(paragraphs=[])
    kind, got = _outcome(srv, "json_schema", Reply(content='{"paragraphs": ['), schema=OnlyParagraphs)
    assert kind == "raise" and isinstance(got, pydantic.ValidationError)
