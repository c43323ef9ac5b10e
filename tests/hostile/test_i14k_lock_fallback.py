"""The OUTDIR lock where fcntl does not exist (Windows): a pid file made with O_EXCL.
A second run is refused with the holder's pid; a lock left by a killed run is stale and
taken over; of several runs breaking one stale lock at once, one wins. The fallback is
forced here by hiding fcntl, or by naming the mechanism."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from hostile.test_batch_lock import dead_pid, places
from pipeline.batch import exit_code, run_batch
from pipeline.batch.lock import OutdirLock
from pipeline.errors import InputError

STATE = ".zongjie-batch"


def test_without_fcntl_the_pid_file_is_used_and_a_second_batch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl now fails, as on Windows
    out = tmp_path / "out"
    with OutdirLock(out) as lock:
        assert lock.mechanism == "pidfile"
        assert (out / STATE / "lock.pid").read_text(encoding="ascii") == str(os.getpid())
        with pytest.raises(InputError, match=f"另一个批量运行（进程 {os.getpid()}）正在使用输出文件夹") as exc:
            run_batch(places(tmp_path / "in"), out, [".md"])
        assert "lock.pid" in str(exc.value)  # where to look if the holder is gone
        assert not list(out.glob("*.md"))
    assert not (out / STATE / "lock.pid").exists()  # released with its holder
    results = run_batch(tmp_path / "in", out, [".md"])
    assert exit_code(results) in (0, 1) and len(list(out.glob("*.md"))) == 2
    assert not (out / STATE / "lock.pid").exists()


def test_a_lock_of_a_dead_run_is_taken_over(tmp_path):
    state = tmp_path / "out" / STATE
    state.mkdir(parents=True)
    (state / "lock.pid").write_text(str(dead_pid()), encoding="ascii")
    with OutdirLock(tmp_path / "out", "pidfile"):
        assert (state / "lock.pid").read_text(encoding="ascii") == str(os.getpid())
    assert not list(state.iterdir())  # nothing left aside


def test_an_empty_lock_file_is_busy_while_fresh_and_stale_when_old(tmp_path):
    state = tmp_path / "out" / STATE
    state.mkdir(parents=True)
    pid_file = state / "lock.pid"
    pid_file.write_bytes(b"")  # a run between creating the file and writing its pid
    with pytest.raises(InputError, match="另一个批量运行"):
        with OutdirLock(tmp_path / "out", "pidfile"):
            pass
    old = time.time() - 60
    os.utime(pid_file, (old, old))  # that run died before it wrote
    with OutdirLock(tmp_path / "out", "pidfile"):
        assert pid_file.read_text(encoding="ascii") == str(os.getpid())


def test_a_live_holder_of_another_process_is_respected(tmp_path):
    state = tmp_path / "out" / STATE
    state.mkdir(parents=True)
    (state / "lock.pid").write_text(str(os.getppid()), encoding="ascii")  # alive: our parent
    with pytest.raises(InputError, match=f"进程 {os.getppid()}"):
        with OutdirLock(tmp_path / "out", "pidfile"):
            pass
    assert (state / "lock.pid").read_text(encoding="ascii") == str(os.getppid())  # untouched


HOLD = """
import sys, time
from pathlib import Path
from pipeline.batch.lock import OutdirLock
from pipeline.errors import InputError
try:
    with OutdirLock(Path(sys.argv[1]), "pidfile"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
except InputError:
    print("refused", flush=True)
"""


def _holder(out, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", HOLD, str(out), str(seconds)], stdout=subprocess.PIPE,
                            text=True, env=env)


@pytest.mark.slow
def test_a_killed_holder_leaves_a_lock_the_next_run_takes(tmp_path):
    out = tmp_path / "out"
    child = _holder(out, 60)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(InputError, match=f"进程 {child.pid}"):
            with OutdirLock(out, "pidfile"):
                pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert (out / STATE / "lock.pid").exists()  # a killed run cannot clean up
    with OutdirLock(out, "pidfile"):
        assert (out / STATE / "lock.pid").read_text(encoding="ascii") == str(os.getpid())


@pytest.mark.slow
def test_of_runs_breaking_one_stale_lock_at_once_one_wins(tmp_path):
    out = tmp_path / "out"
    (out / STATE).mkdir(parents=True)
    (out / STATE / "lock.pid").write_text(str(dead_pid()), encoding="ascii")
    children = [_holder(out, 10) for _ in range(4)]  # held past the others' start
    said = [c.communicate(timeout=60)[0].strip() for c in children]
    assert sorted(said) == ["held", "refused", "refused", "refused"], said
