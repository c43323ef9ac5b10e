"""Batch runs: one result per place, resumable after a kill at any moment, safe names."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, run_cli
from pipeline.batch.runner import STATE
from pipeline.batch import exit_code, run_batch
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import Writer
from pipeline.io import safe_name, safe_names
from pipeline.testing.scripted_server import Reply, ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")


def make_places(folder: Path, names: list[str]) -> Path:
    base = yaml.safe_load((DATA / "spec_example.yaml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        data = dict(base, county=name, author=None)
        data = {k: v for k, v in data.items() if v is not None}
        (folder / f"p{i:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_folder_batch_and_resume(tmp_path):
    src = make_places(tmp_path / "in", ["云岭县", "石门区", "白河县"])
    out = tmp_path / "out"
    first = run_batch(src, out, [".md"])
    assert [r.status for r in first] == ["ok", "ok", "ok"] and exit_code(first) == 0
    assert (out / "云岭县.md").read_text(encoding="utf-8").startswith("# 云岭县2024年")
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert [row["place"] for row in summary] == ["云岭县", "石门区", "白河县"]
    assert (out / "汇总.csv").read_text(encoding="utf-8-sig").startswith("地区,文件,状态")
    before = tree(out)
    again = run_batch(src, out, [".md"])
    assert [r.skipped for r in again] == [True] * 3 and [r.status for r in again] == ["ok"] * 3
    assert tree(out) == before  # a resumed run writes what the first one wrote
    text = (src / "p001.yaml").read_text(encoding="utf-8").replace("value: 1500", "value: 1600")
    (src / "p001.yaml").write_text(text, encoding="utf-8")
    changed = run_batch(src, out, [".md"])
    assert [r.skipped for r in changed] == [True, False, True]
    assert "1600份" in (out / "石门区.md").read_text(encoding="utf-8")
    forced = run_batch(src, out, [".md"], force=True)
    assert [r.status for r in forced] == ["ok", "ok", "ok"]


def test_bad_place_does_not_stop_the_others(tmp_path):
    src = make_places(tmp_path / "in", ["云岭县", "石门区"])
    (src / "zz_bad.yaml").write_text("county: 坏县\nyear: 2024\ncampaign: 宣传月\nactivities: []\n",
                                     encoding="utf-8")
    results = run_batch(src, tmp_path / "out", [".md"])
    assert [r.status for r in results] == ["ok", "ok", "failed"]
    assert "activities" in results[2].message and exit_code(results) == 2
    assert not (tmp_path / "out" / "zz_bad.md").exists()


def test_names_are_safe_and_distinct(tmp_path):
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_names(["云岭县", "云岭县", "云岭县"]) == ["云岭县", "云岭县-2", "云岭县-3"]
    assert safe_name("CON") == "_CON" and safe_name("  ") == "未命名"
    src = make_places(tmp_path / "in", ["../../逃逸县", "云岭县", "云岭县", "a/b区"])
    out = tmp_path / "out"
    run_batch(src, out, [".md"])
    written = sorted(p.name for p in out.glob("*.md"))
    assert written == sorted(["逃逸县.md", "云岭县.md", "云岭县-2.md", "a_b区.md"])
    assert not list(tmp_path.glob("*.md")) and not (tmp_path / "逃逸县.md").exists()


@pytest.mark.slow
def test_killed_batch_resumes_to_the_same_bytes(tmp_path):
    names = [f"{a}{b}县" for a in "青白石云金" for b in "山河岭溪川坪塘湾"]  # 40 places
    src = make_places(tmp_path / "in", names)
    reference = tmp_path / "reference"
    assert run_cli("batch", str(src), "-o", str(reference), "--quiet").returncode == 0
    out = tmp_path / "out"
    rng = random.Random(7)
    cmd = [sys.executable, "-m", "pipeline.cli", "batch", str(src), "-o", str(out), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    for _ in range(5):
        # Kill on progress, not on a wall-clock guess: a fast machine finishes 40 places in
        # under a second, a loaded one takes several.
        done = len(list(out.glob("*.md"))) if out.exists() else 0
        target = done + rng.randint(1, 5)
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and len(list(out.glob("*.md"))) >= target:
                break
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 3  # the batch really was cut short
    assert run_cli("batch", str(src), "-o", str(out), "--quiet", cwd=tmp_path).returncode == 0
    assert tree(out) == tree(reference)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_llm_batch_endpoint_failure_is_per_place(srv, tmp_path):
    src = make_places(tmp_path / "in", ["云岭县", "石门区", "白河县"])
    writer = Writer("faithful")

    def responder(body):
        text = json.dumps(body["messages"], ensure_ascii=False)
        return Reply(status=500) if "石门区" in text else writer(body)
    srv.responder = responder
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-x", timeout=5,
                  max_retries=1, concurrency=4)
    results = run_batch(src, tmp_path / "out", [".md"], backend="llm", endpoint=ep, use_cache=False)
    assert [r.status for r in results] == ["ok", "failed", "ok"]
    assert exit_code(results) == 3 and "重试后仍失败" in results[1].message
    assert results[0].tokens > 0
    trail = tmp_path / "out" / "云岭县.trail"
    run_json = json.loads((trail / "run.json").read_text(encoding="utf-8"))
    calls = (trail / "calls.jsonl").read_text(encoding="utf-8").splitlines()
    assert run_json["usage"]["total"]["calls"] == len(calls) > 0 and run_json["check"]["ok"]
    srv.responder = writer  # the endpoint recovers: only the failed place is redone
    n = len(srv.chat_requests())
    again = run_batch(src, tmp_path / "out", [".md"], backend="llm", endpoint=ep, use_cache=False)
    assert [r.skipped for r in again] == [True, False, True] and [r.status for r in again] == ["ok"] * 3
    assert all("石门区" in json.dumps(r.body, ensure_ascii=False) for r in srv.chat_requests()[n:])


@pytest.mark.slow
def test_batch_cli_reports_and_exit_codes(tmp_path):
    src = make_places(tmp_path / "in", ["云岭县"])
    result = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "--format", "md,docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "云岭县.docx").exists() and "云岭县" in result.stderr
    assert run_cli("batch", str(tmp_path / "nothing"), "-o", str(tmp_path / "o2")).returncode == 2


class ExpireFirstBatch(set):
    """Ids that expire in the first batch they are in only. The scripted server asks about
    each line twice when it finishes a batch (the line, then the batch's status)."""

    def __init__(self, ids):
        super().__init__(ids)
        self.asked: dict[str, int] = {}

    def __contains__(self, cid):
        self.asked[cid] = self.asked.get(cid, 0) + 1
        return set.__contains__(self, cid) and self.asked[cid] <= 2


def test_via_openai_batch(srv, tmp_path):  # fast loop: the only test of batch_api.py
    src = make_places(tmp_path / "in", ["云岭县", "石门区", "白河县"])
    writer = Writer("invent")  # first drafts wrong: the repair round is a further batch
    srv.responder = writer
    srv.batch_polls_to_complete = 2
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-x", timeout=5, max_retries=0)
    # the first submission of one line expires: only that line is resubmitted
    srv.expire_custom_ids = ExpireFirstBatch({"石门区/leadership/0"})
    results = run_batch(src, tmp_path / "out", [".md"], backend="llm", endpoint=ep,
                        via="openai-batch", poll_seconds=0.01)
    assert [r.status for r in results] == ["ok", "ok", "ok"], [r.message for r in results]
    assert not srv.chat_requests()  # nothing went to the synchronous endpoint
    state = tmp_path / "out" / STATE
    batches = sorted(state.glob("requests-*.jsonl"))
    assert len(batches) >= 3  # first drafts, the resubmitted line, repairs
    first = [json.loads(line) for line in batches[0].read_text(encoding="utf-8").splitlines()]
    assert {line["custom_id"].split("/")[0] for line in first} == {"云岭县", "石门区", "白河县"}
    second = [json.loads(line)["custom_id"] for line in batches[1].read_text(encoding="utf-8").splitlines()]
    assert second == ["石门区/leadership/0"]
    assert all(line["url"] == "/v1/chat/completions" and line["body"]["model"] == "scripted-model"
               for line in first)
    assert "县文化馆" not in (tmp_path / "out" / "云岭县.md").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "out" / "云岭县.check.json").read_text(encoding="utf-8"))
    assert report["ok"] and any(r["action"] == "rewritten" for r in report["repairs"])


def test_atomic_writes_honour_the_umask_and_leave_nothing_when_they_fail(tmp_path):
    from pipeline.io import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new" / "云岭县.md", "正文\n")
        write_atomic(tmp_path / "new" / "云岭县.md", "第二版\n", durable=False)
    finally:
        os.umask(old)
    target = tmp_path / "new" / "云岭县.md"
    # Readable by the office's other accounts as any file they save (mkstemp made 0600).
    assert target.stat().st_mode & 0o777 == 0o644
    assert target.read_text(encoding="utf-8") == "第二版\n"

    # The rename fails (a folder stands where the file goes): the temporary file goes too.
    (tmp_path / "new" / "占位").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new" / "占位", "正文\n")
    assert sorted(p.name for p in target.parent.iterdir()) == ["云岭县.md", "占位"]
