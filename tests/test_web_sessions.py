"""The review workbench across restarts and over time: reviews and their edits saved in the
data folder open again in a new server; the retention rules remove old reviews, left-over
uploads and old batches; nothing is written outside the data folder."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import FIXTURES

pytest.importorskip("fastapi", reason="未安装 fastapi（pip install -e '.[test]' 会装上），跳过审阅台测试")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.web import create_app  # noqa: E402

LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"


def _draft(client, path=LEDGER):
    r = client.post("/draft", files={"file": (path.name, path.read_bytes())}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def _edit(client, rid, old, new):
    text = client.get(f"/review/{rid}/download/md").text
    assert old in text
    return client.post(f"/api/review/{rid}/check", json={"text": text.replace(old, new, 1)}).json()


def test_an_edited_review_opens_as_it_was_left_after_a_restart(tmp_path):
    data = tmp_path / "data"
    first = TestClient(create_app(data))
    rid = _draft(first)
    assert _edit(first, rid, "28个", "29个")["ok"] is False
    handwritten = first.post("/check", files={"draft": ("手写稿.md", "# 标题\n\n共开展活动3项。\n".encode())},
                             follow_redirects=False).headers["location"].rsplit("/", 1)[1]

    again = TestClient(create_app(data))  # a new server on the same data folder
    page = again.get(f"/review/{rid}")
    assert page.status_code == 200
    assert ">29个<" in page.text and "有错误" in page.text
    assert "活动!第2行" in page.text  # the ledger rows came back with the records
    text = again.get(f"/review/{rid}/download/md").text
    assert "29个" in text and "28个" not in text.split("29个")[0][-40:]
    # the records came back too: fixing the number makes the review pass again
    assert _edit(again, rid, "29个", "28个")["ok"] is True
    assert "标题" in again.get(f"/review/{handwritten}").text


def test_a_damaged_saved_review_is_not_found_and_the_others_open(tmp_path):
    data = tmp_path / "data"
    client = TestClient(create_app(data))
    bad, good = _draft(client), _draft(client)
    (data / "sessions" / bad / "review.json").write_text("{half", encoding="utf-8")
    again = TestClient(create_app(data))
    assert again.get(f"/review/{bad}").status_code == 404
    assert again.get(f"/review/{good}").status_code == 200
    assert again.get("/review/..%2F..%2Fetc").status_code == 404


def test_beyond_the_count_limit_the_least_recently_used_review_goes(tmp_path):
    data = tmp_path / "data"
    client = TestClient(create_app(data, keep_sessions=2))
    a, b = _draft(client), _draft(client)
    past = time.time() - 60
    for rid, when in ((a, past), (b, past - 60)):  # b used longest ago
        os.utime(data / "sessions" / rid / "review.json", (when, when))
    c = _draft(client)
    assert sorted(p.name for p in (data / "sessions").iterdir()) == sorted([a, c])
    assert client.get(f"/review/{b}").status_code == 404  # gone from memory too
    assert client.get(f"/review/{a}").status_code == 200


def test_old_reviews_left_over_uploads_and_old_batches_go_at_start(tmp_path):
    data = tmp_path / "data"
    client = TestClient(create_app(data, keep_days=7))
    old, fresh = _draft(client), _draft(client)
    stale_upload = data / "uploads" / "0123456789abcdef"
    stale_upload.mkdir(parents=True)
    (stale_upload / "台账.xlsx").write_bytes(b"x")
    new_upload = data / "uploads" / "fedcba9876543210"
    new_upload.mkdir()
    (new_upload / "台账.xlsx").write_bytes(b"x")
    old_batch = data / "batch" / "去年的批次"
    (old_batch / "out").mkdir(parents=True)
    eight_days = time.time() - 8 * 86400
    for path in [data / "sessions" / old, data / "sessions" / old / "review.json",
                 data / "sessions" / old / "records.json", stale_upload, stale_upload / "台账.xlsx",
                 old_batch, old_batch / "out"]:
        os.utime(path, (eight_days, eight_days))
    outside = tmp_path / "not-ours"
    outside.mkdir()
    os.utime(outside, (eight_days, eight_days))

    again = TestClient(create_app(data, keep_days=7))
    assert again.get(f"/review/{old}").status_code == 404
    assert again.get(f"/review/{fresh}").status_code == 200
    assert not stale_upload.exists() and new_upload.exists()  # an hour's grace for a request under way
    assert not old_batch.exists()
    assert outside.exists()


def test_nothing_is_written_outside_the_data_folder(tmp_path, monkeypatch):
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.chdir(cwd)
    data = tmp_path / "data"
    client = TestClient(create_app(data))
    rid = _draft(client)
    _edit(client, rid, "28个", "29个")
    for kind in ("docx", "md", "report"):
        assert client.get(f"/review/{rid}/download/{kind}").status_code == 200
    client.post("/check", files={"draft": ("稿.txt", "共开展活动3项。".encode()),
                                 "records": (LEDGER.name, LEDGER.read_bytes())})
    TestClient(create_app(data)).get(f"/review/{rid}")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and data not in p.parents]
    assert written == []
    saved = json.loads((data / "sessions" / rid / "review.json").read_text(encoding="utf-8"))
    assert "29个" in saved["text"]
