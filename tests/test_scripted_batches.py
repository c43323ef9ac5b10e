"""The scripted server's Files and Batch API through the real openai client: shuffled
output, failed and expired lines, validation failures and cancelling."""
from __future__ import annotations

import json

import openai
import pytest
from scripted_clients import MODEL, oa

from pipeline.testing.scripted_server import Reply


# --- files and batches ------------------------------------------------------------------------------------------
def _batch_file(n: int, model: str = MODEL, dup: bool = False) -> bytes:
    lines = [{"custom_id": f"sec-{i}" if not (dup and i == n - 1) else "sec-0", "method": "POST",
              "url": "/v1/chat/completions",
              "body": {"model": model, "messages": [{"role": "user", "content": f"第{i}节：起草"}]}}
             for i in range(n)]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()


def test_files_and_batches_round_trip_with_shuffled_output_a_failure_and_an_expiry(srv):
    client = oa(srv)
    data = _batch_file(6)
    f = client.files.create(file=("zongjie.jsonl", data), purpose="batch")
    assert (f.object, f.purpose, f.bytes, f.filename) == ("file", "batch", len(data), "zongjie.jsonl")
    assert client.files.retrieve(f.id).id == f.id and client.files.content(f.id).content == data
    # lines are answered in input order: sec-0..sec-5 minus the expired sec-4
    srv.enqueue(*(Reply(content=f"第{i}节正文") for i in range(3)), Reply(status=500), Reply(content="第5节正文"))
    srv.expire_custom_ids = {"sec-4"}
    b = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    statuses = [b.status] + [client.batches.retrieve(b.id).status for _ in range(3)]
    assert statuses == ["validating", "in_progress", "expired", "expired"]
    b = client.batches.retrieve(b.id)
    assert b.request_counts.model_dump() == {"total": 6, "completed": 4, "failed": 2}
    assert b.expired_at and b.output_file_id and b.error_file_id
    out = [json.loads(x) for x in client.files.content(b.output_file_id).text.splitlines()]
    ids = [x["custom_id"] for x in out]
    assert sorted(ids) == ["sec-0", "sec-1", "sec-2", "sec-5"] and ids != sorted(ids), "shuffled"
    by_id = {x["custom_id"]: x["response"] for x in out}
    assert by_id["sec-5"]["status_code"] == 200
    body = by_id["sec-5"]["body"]
    assert body["object"] == "chat.completion" and body["model"] == MODEL
    assert body["choices"][0]["message"]["content"] == "第5节正文"
    errs = {x["custom_id"]: x for x in map(json.loads, client.files.content(b.error_file_id).text.splitlines())}
    assert errs["sec-3"]["response"]["status_code"] == 500
    assert errs["sec-3"]["response"]["body"]["error"]["type"] == "server_error"
    assert errs["sec-4"]["response"] is None and errs["sec-4"]["error"]["code"] == "batch_expired"
    lines = [r for r in srv.chat_requests(include_batch=True) if r.method == "BATCH"]
    assert [r.custom_id for r in lines] == ["sec-0", "sec-1", "sec-2", "sec-3", "sec-5"]
    assert srv.chat_requests() == []  # no HTTP chat calls were made


def test_batch_all_good_completes_without_error_file(srv):
    client = oa(srv)
    srv.batch_polls_to_complete = 1
    srv.responder = lambda body: Reply(json={"ok": body["messages"][0]["content"]})
    f = client.files.create(file=("b.jsonl", _batch_file(3)), purpose="batch")
    b = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    b = client.batches.retrieve(b.id)
    assert b.status == "completed" and b.error_file_id is None and b.request_counts.completed == 3
    contents = [json.loads(json.loads(x)["response"]["body"]["choices"][0]["message"]["content"])["ok"]
                for x in client.files.content(b.output_file_id).text.splitlines()]
    assert sorted(contents) == [f"第{i}节：起草" for i in range(3)]


def test_batch_validation_failure_and_cancel(srv):
    client = oa(srv)
    f = client.files.create(file=("dup.jsonl", _batch_file(3, dup=True)), purpose="batch")
    b = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    b = client.batches.retrieve(b.id)
    assert b.status == "failed" and b.errors.data[0].code == "duplicate_custom_id"
    f = client.files.create(file=("ok.jsonl", _batch_file(2)), purpose="batch")
    b = client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert client.batches.cancel(b.id).status == "cancelling"
    assert client.batches.retrieve(b.id).status == "cancelled"
    with pytest.raises(openai.BadRequestError, match="Cannot cancel"):
        client.batches.cancel(b.id)
    with pytest.raises(openai.BadRequestError):
        client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="1h")
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch_nope")
    assert srv.chat_requests(include_batch=True) == []
