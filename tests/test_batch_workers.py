"""LLM batches across forked worker processes (pipeline/batch_workers.py): the same output
as one process, the endpoint's limits shared rather than multiplied, a dead worker's places
reported as failed and redone by the next run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from test_batch import make_places, tree

import pipeline.batch
from pipeline.batch import exit_code, run_batch
from pipeline.batch.workers import MAX_AUTO_JOBS, job_count, shares
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import Writer
from pipeline.testing.scripted_server import ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="工作进程只在 Linux 上以 fork 启动")

NAMES = [f"{a}{b}县" for a in "青白" for b in "山河岭溪"]  # 8 places


def endpoint(srv, concurrency: int = 4) -> Endpoint:
    return Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-x", timeout=10,
                    max_retries=1, concurrency=concurrency)


def llm_batch(src: Path, out: Path, ep: Endpoint, jobs: int):
    # no cache: every run must reach the server (or skip by its resume markers alone)
    return run_batch(src, out, [".md"], backend="llm", endpoint=ep, use_cache=False, jobs=jobs)


@pytest.fixture
def writer_pids(monkeypatch, tmp_path):
    """The processes that wrote places: forked workers inherit this patch and log their pid."""
    log, real_write = tmp_path / "pids.txt", pipeline.batch.Batch._write

    def logged(self, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real_write(self, *args, **kwargs)
    monkeypatch.setattr(pipeline.batch.Batch, "_write", logged)
    return lambda: set(log.read_text(encoding="utf-8").split()) if log.exists() else set()


def outputs(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(out).items() if ".trail" not in k}


def summary_rows(out: Path) -> list[dict]:
    return json.loads((out / "汇总.json").read_text(encoding="utf-8"))


# -- unit ---------------------------------------------------------------------------------

def test_shares_split_evenly_and_keep_the_total():
    assert shares(32, 2) == [16, 16]
    assert shares(5, 2) == [3, 2]
    assert shares(None, 3) == [None] * 3
    for total in (2, 3, 7, 8, 31, 100, 60000, 1_000_003):
        for n in (1, 2, 3, 4):
            if total < n:
                continue
            parts = shares(total, n)
            assert len(parts) == n and sum(parts) == total, (total, n, parts)
            assert max(parts) - min(parts) <= 1 and min(parts) >= 1


@linux_only
def test_job_count_caps_at_places_and_concurrency():
    assert job_count(None, 100, 100) == min(os.cpu_count() or 1, MAX_AUTO_JOBS)
    assert job_count(3, 100, 100) == 3  # an explicit request is honoured, even above the auto cap
    assert job_count(MAX_AUTO_JOBS + 2, 100, 100) == MAX_AUTO_JOBS + 2
    assert job_count(8, 3, 100) == 3  # never more workers than places
    assert job_count(8, 100, 2) == 2  # ... nor than requests allowed in flight
    assert job_count(8, 1, 8) == 1 and job_count(1, 100, 100) == 1
    # A per-minute limit is split too, and every worker needs a share of at least one:
    # three requests a minute cannot go to four workers without exceeding the config.
    assert job_count(4, 100, 32, 3, None) == 3
    assert job_count(4, 100, 32, None, 2) == 2
    assert job_count(4, 100, 32, None, None) == 4


def test_job_count_is_one_without_fork(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert job_count(4, 100, 100) == 1


# -- against the scripted server ----------------------------------------------------------

@pytest.mark.slow
@linux_only
def test_two_workers_write_what_one_process_writes(srv, tmp_path, writer_pids):
    src = make_places(tmp_path / "in", NAMES)
    fast, slow = Writer("faithful", latency=0.01), Writer("faithful", latency=0.1)
    # the first place is the slowest: it ends last, so input order is not completion order
    srv.responder = lambda body: (slow if NAMES[0] in json.dumps(body, ensure_ascii=False) else fast)(body)
    ep = endpoint(srv)
    one = llm_batch(src, tmp_path / "one", ep, jobs=1)
    assert writer_pids() == {str(os.getpid())}
    two = llm_batch(src, tmp_path / "two", ep, jobs=2)
    assert len(writer_pids() - {str(os.getpid())}) == 2  # two workers, neither of them us
    assert [r.place for r in two] == NAMES  # input order, whichever worker finished first
    assert [r.status for r in two] == ["ok"] * len(NAMES) and exit_code(two) == 0
    assert not any(r.skipped for r in two) and all(r.tokens > 0 for r in two)
    # Outputs, reports, summaries and resume markers byte for byte (the trails hold
    # call order and timing, which differ between runs of any kind).
    one_files, two_files = (outputs(tmp_path / d) for d in ("one", "two"))
    assert sum(k.endswith(".md") for k in one_files) == len(NAMES)
    assert two_files.keys() == one_files.keys()
    assert [k for k in one_files if two_files[k] != one_files[k]] == []
    # persisted rows hold no timing: tokens, cost, status, counts all equal
    assert summary_rows(tmp_path / "two") == summary_rows(tmp_path / "one")
    assert [r.persisted() for r in two] == [r.persisted() for r in one]


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_requests_in_flight_stay_within_the_endpoint_limit(srv, tmp_path, writer_pids, jobs):
    # The limit is taken inside the HTTP client (pipeline/llm/client.py): one process or
    # several, what reaches the server is what counts.
    latency = 0.15
    src = make_places(tmp_path / "in", NAMES)
    srv.responder = Writer("faithful", latency=latency)
    results = llm_batch(src, tmp_path / "out", endpoint(srv, concurrency=4), jobs=jobs)
    assert [r.status for r in results] == ["ok"] * len(NAMES) and len(writer_pids()) == jobs
    # The server logs arrival times only. It answers no sooner than `latency` after a
    # request arrives, so requests that arrived within `latency` of each other were all
    # in flight at the client together: the largest such group is a lower bound on the
    # requests in flight at once, across both workers.
    window = latency * 0.98  # margin for timer granularity, keeps the bound sound
    arrivals = sorted(r.time for r in srv.chat_requests())
    peak = max(sum(t - window < u <= t for u in arrivals) for t in arrivals)
    assert peak <= 4, f"{peak} requests in flight; the endpoint allows 4"
    assert peak >= 3, f"peak {peak}: the limit was not used (with two workers: both shares)"


@pytest.mark.slow
@linux_only
def test_a_dead_worker_fails_its_unfinished_places_and_the_rerun_completes_them(srv, tmp_path, monkeypatch):
    src = make_places(tmp_path / "in", NAMES)
    srv.responder = Writer("faithful", latency=0.02)
    ep = endpoint(srv)
    out = tmp_path / "out"
    victim = NAMES[2]  # index 2: worker 1 of 2 owns places 0, 2, 4, 6
    real_write, me = pipeline.batch.Batch._write, os.getpid()

    def dying_write(self, place, *args, **kwargs):
        if place.name == victim:  # the forked worker inherits this patch and dies here
            assert os.getpid() != me, "drafted in the test process, not in a worker"
            os._exit(9)
        return real_write(self, place, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(pipeline.batch.Batch, "_write", dying_write)
        first = llm_batch(src, out, ep, jobs=2)
    assert [r.place for r in first] == NAMES  # one result per place, none lost
    failed = [i for i, r in enumerate(first) if r.status == "failed"]
    assert 2 in failed and set(failed) <= {0, 2, 4, 6}  # only the dead worker's places
    assert all(first[i].status == "ok" for i in (1, 3, 5, 7))  # the other worker finished
    for i in failed:
        r = first[i]
        assert r.exit_code == 3 and "工作进程 zongjie-batch-1" in r.message, r.message
        assert "退出码 9" in r.message and "再次运行" in r.message
        assert not (out / f"{r.file}.md").exists()
    assert exit_code(first) == 3
    assert [row["status"] for row in summary_rows(out)] == [r.status for r in first]

    again = llm_batch(src, out, ep, jobs=2)  # the patch is gone: the rerun finishes the rest
    assert [r.status for r in again] == ["ok"] * len(NAMES) and exit_code(again) == 0
    assert [r.skipped for r in again] == [r.status == "ok" for r in first]
    assert (out / f"{victim}.md").read_text(encoding="utf-8").startswith(f"# {victim}2024年")


@pytest.mark.slow
@linux_only
def test_resumed_run_with_workers_skips_everything(srv, tmp_path):
    src = make_places(tmp_path / "in", NAMES[:4])
    srv.responder = Writer("faithful", latency=0.02)
    ep = endpoint(srv)
    out = tmp_path / "out"
    first = llm_batch(src, out, ep, jobs=2)
    assert [r.status for r in first] == ["ok"] * 4
    before, sent = tree(out), len(srv.chat_requests())
    again = llm_batch(src, out, ep, jobs=2)
    assert [r.skipped for r in again] == [True] * 4 and [r.status for r in again] == ["ok"] * 4
    assert len(srv.chat_requests()) == sent  # no worker asked the model anything
    assert tree(out) == before  # and none rewrote a file


class Recorder:
    """A progress object as the CLI's: started once with the total, then one call per place.
    When start() comes, no worker may still be unforked: it records the live workers."""

    def __init__(self):
        self.starts, self.results = [], []

    def start(self, total):
        import multiprocessing

        self.starts.append((total, len(self.results), len(multiprocessing.active_children())))

    def __call__(self, result):
        self.results.append(result.place)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_starts_once_with_the_total_after_the_workers_exist(srv, tmp_path, jobs):
    src = make_places(tmp_path / "in", NAMES[:5])
    srv.responder = Writer("faithful", latency=0.01)
    progress = Recorder()
    run_batch(src, tmp_path / "out", [".md"], backend="llm", endpoint=endpoint(srv),
              use_cache=False, jobs=jobs, progress=progress)
    live_workers = 0 if jobs == 1 or not sys.platform.startswith("linux") else jobs
    assert progress.starts == [(5, 0, live_workers)]
    assert sorted(progress.results) == sorted(NAMES[:5])


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@linux_only
def test_workers_die_with_a_killed_batch_and_the_rerun_completes(srv, tmp_path):
    import signal
    import subprocess
    import time

    from conftest import ROOT, run_cli

    src = make_places(tmp_path / "in", NAMES)
    # Replies slower than the grace below: a worker outliving its parent would still be
    # waiting on one (and would then write its place), so only prctl's kill passes.
    srv.responder = Writer("faithful", latency=2.0)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))}
    env |= {"PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
            "OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": srv.base_url, "ZONGJIE_MODEL": "scripted-model"}
    args = ["batch", str(src), "-o", str(tmp_path / "out"), "--quiet", "--no-cache", "--jobs", "2"]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(srv.chat_requests()) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert len(workers) == 2 and proc.poll() is None  # killed mid-run, workers at work
    written = sorted((tmp_path / "out").glob("*.md"))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 1.0
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(map(_alive, workers))  # no orphan goes on writing into OUTDIR
    sent = len(srv.chat_requests())
    time.sleep(2.5)  # longer than a reply takes
    assert len(srv.chat_requests()) == sent
    assert sorted((tmp_path / "out").glob("*.md")) == written
    # The same command again finishes the batch.
    srv.responder = Writer("faithful", latency=0.01)
    rerun = run_cli(*args, cwd=tmp_path, env={k: env[k] for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL",
                                                                  "ZONGJIE_MODEL")})
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.md")) == sorted(NAMES)
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".tmp")]
