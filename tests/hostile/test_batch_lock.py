"""Two batches on one OUTDIR, temporary files of live and dead runs, a locked or broken
model-call cache."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
import yaml

from conftest import DATA, run_cli
from pipeline.batch import exit_code, run_batch
from pipeline.batch.lock import OutdirLock
from pipeline.drafting.llm.config import Endpoint
from pipeline.errors import InputError
from pipeline.evals.scripted_model import Writer
from pipeline.testing.scripted_server import ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")


def places(folder, names=("云岭县", "石门区")):
    base = yaml.safe_load((DATA / "spec_example.yaml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        data = {k: v for k, v in dict(base, county=name).items() if v is not None}
        (folder / f"p{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_second_batch_on_the_same_outdir_is_refused(tmp_path):
    out = tmp_path / "out"
    with OutdirLock(out):
        with pytest.raises(InputError, match="另一个批量运行（进程 \\d+）正在使用输出文件夹"):
            run_batch(places(tmp_path / "in"), out, [".md"])
        assert not list(out.glob("*.md"))  # nothing written by the refused run
    results = run_batch(tmp_path / "in", out, [".md"])  # the lock went with its holder
    assert exit_code(results) in (0, 1) and len(list(out.glob("*.md"))) == 2


@pytest.mark.slow
def test_the_cli_says_another_run_is_going_and_exits_2(tmp_path):
    out = tmp_path / "out"
    with OutdirLock(out):
        proc = run_cli("batch", str(places(tmp_path / "in")), "-o", str(out))
    assert proc.returncode == 2
    assert "另一个批量运行" in proc.stderr and "Traceback" not in proc.stderr


def test_only_dead_runs_temporary_files_are_swept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = out / f".云岭县.md.{os.getpid()}-7.tmp"  # a live writer's: being written now
    dead = out / f".石门区.md.{dead_pid()}-0.tmp"
    unnamed = out / ".leftover.tmp"  # no pid: nobody can be writing it
    for f in (live, dead, unnamed):
        f.write_text("half", encoding="utf-8")
    run_batch(places(tmp_path / "in"), out, [".md"])
    assert live.read_text(encoding="utf-8") == "half"
    assert not dead.exists() and not unnamed.exists()


def llm_endpoint(srv) -> Endpoint:
    return Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-cache-test-0001",
                    timeout=10, max_retries=0)


@pytest.mark.slow
def test_a_write_locked_cache_warns_and_the_batch_runs_without_it(srv, tmp_path, capfd):
    srv.responder = Writer("faithful")
    cache = tmp_path / "cache.sqlite3"
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # another program writing: nobody else may read or write
    try:
        results = run_batch(places(tmp_path / "in", ["云岭县"]), tmp_path / "out", [".md"], backend="llm",
                            endpoint=llm_endpoint(srv), cache_path=cache, jobs=1)
    finally:
        holder.close()
    assert exit_code(results) in (0, 1), [r.message for r in results]
    err = capfd.readouterr().err
    assert "警告：模型调用缓存" in err and "不使用缓存" in err
    assert "模型接口" not in err


@pytest.mark.slow
def test_a_broken_cache_file_warns_and_the_draft_goes_on(srv, tmp_path):
    srv.responder = Writer("faithful")
    cache = tmp_path / "cache.sqlite3"
    cache.write_bytes(b"this is not a database, just text\n" * 200)
    env = {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": "sk-cache-test-0001",
           "ZONGJIE_MODEL": "scripted-model"}
    proc = run_cli("batch", str(places(tmp_path / "in", ["云岭县"])), "-o", str(tmp_path / "out"),
                   "--backend", "llm", "--cache", str(cache), "--jobs", "1", env=env)
    assert proc.returncode in (0, 1), proc.stderr
    assert "警告：模型调用缓存" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "p0.md").exists() or list((tmp_path / "out").glob("*.md"))
