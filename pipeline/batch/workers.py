"""Batch runs with the LLM backend across worker processes.

One event loop spends about 7–8 ms of CPU per model call (the openai client and LangChain
about 5 ms, the rest checks, fallback drafts and writes): near 135 calls a second, below
the 160 that 32 requests in flight at 200 ms deliver (evals/bench/batch_speed.py). Worker processes each take every Nth place and
a share of the endpoint's limits (requests in flight, per minute, tokens per minute) so
that together they never exceed the config. Each place is still one place in one process:
its resume marker, outputs and trail are written by the worker that drafted it.

Workers are forked, so they start in milliseconds with everything already imported; fork
exists on Linux only here, elsewhere the batch runs in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gc
import multiprocessing
import os
import sys
from multiprocessing.connection import wait

from pipeline.batch.places import PlaceInput, PlaceResult
from pipeline.batch.runner import Batch

MAX_AUTO_JOBS = 4


def job_count(requested: int | None, places: int, *limits: int | None) -> int:
    """Worker processes for a batch: as asked (auto: the cores, at most MAX_AUTO_JOBS), never
    more than the places or than any limit that is split among them (requests in flight, per
    minute, tokens per minute: each worker needs a share of at least one), and 1 where
    fork is missing."""
    if not sys.platform.startswith("linux"):
        return 1
    jobs = requested if requested else min(os.cpu_count() or 1, MAX_AUTO_JOBS)
    return max(1, min(jobs, places, *(n for n in limits if n)))


def shares(total: int | None, n: int) -> list[int | None]:
    """`total` split into n parts that differ by at most one (None: no limit for anyone)."""
    if not total:
        return [total] * n
    base, extra = divmod(total, n)
    return [max(1, base + (i < extra)) for i in range(n)]


def run_in_workers(batch: Batch, places: list[PlaceInput], progress, jobs: int,
                   started=lambda: None) -> list[PlaceResult]:
    _preload(batch, places)
    # What the parent loaded is there to stay: frozen, the workers' collector never walks it
    # again (a full collection walked every LangChain and openai object each time).
    gc.freeze()
    try:
        return _fork_and_collect(batch, places, progress, jobs, started)
    finally:
        gc.unfreeze()  # the parent lives on (a test run, a caller's process): collect as usual


def _fork_and_collect(batch: Batch, places: list[PlaceInput], progress, jobs: int,
                      started) -> list[PlaceResult]:
    ep = batch.endpoint
    limits = list(zip(shares(ep.concurrency, jobs), shares(ep.requests_per_minute, jobs),
                      shares(ep.tokens_per_minute, jobs)))
    ctx = multiprocessing.get_context("fork")
    readers = {}
    for k in range(jobs):
        indexes = list(range(k, len(places), jobs))
        shard = copy.copy(batch)
        shard.endpoint = ep.model_copy(update=dict(zip(
            ("concurrency", "requests_per_minute", "tokens_per_minute"), limits[k])))
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_work, args=(shard, [places[i] for i in indexes], indexes, writer,
                                               os.getpid()),
                           name=f"zongjie-batch-{k + 1}")
        proc.start()
        writer.close()  # the worker holds the only write end: its exit reads as EOF here
        readers[reader] = proc
    started()
    results: list[PlaceResult | None] = [None] * len(places)
    crashed: dict[str, str] = {}
    while readers:
        for reader in wait(list(readers)):
            try:
                index, result = reader.recv()
            except EOFError:
                proc = readers.pop(reader)
                proc.join()
                crashed.setdefault(proc.name, f"退出码 {proc.exitcode}")
                continue
            if index < 0:  # the worker's own fault, after which it stops
                crashed[readers[reader].name] = result
                continue
            results[index] = result
            progress(result)
    for i, result in enumerate(results):
        if result is None:
            owner = f"zongjie-batch-{i % jobs + 1}"
            results[i] = Batch.failed(places[i], [
                f"工作进程 {owner} 意外结束（{crashed.get(owner, '原因不明')}），此地区未完成；"
                "再次运行同一命令即可续跑"], 3)
            progress(results[i])
    return results


def _preload(batch: Batch, places: list[PlaceInput]) -> None:
    """Load in the parent what every worker needs (modules, prompts, lexicons, compiled
    patterns): forks share it instead of each loading it again at the same moment."""
    from pipeline.drafting.llm import preload
    from pipeline.drafting.llm.client import ModelClient
    from pipeline.orchestrator import draft

    preload()
    ModelClient(batch.endpoint).chat_model()  # the client's own lazy imports; connects nothing

    first = next((p.records for p in places if p.records is not None), None)
    if first is not None:
        try:
            draft(first)  # the template backend: outline, phrases, and every checker's lexicon
        except Exception:  # noqa: BLE001 - only a warm-up: the place's own run reports it
            pass


def _work(batch: Batch, places: list[PlaceInput], indexes: list[int], conn, parent: int) -> None:
    _die_with_parent(parent)
    index_of = {p.file: i for p, i in zip(places, indexes)}
    try:
        asyncio.run(batch.run(places, lambda r: conn.send((index_of[r.file], r))))
    except KeyboardInterrupt:  # the parent reports the interruption; no traceback per worker
        pass
    except Exception as exc:  # noqa: BLE001 - a bug: its places are reported, not lost
        with contextlib.suppress(OSError):  # unless the parent is gone too
            conn.send((-1, f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive its batch: killed with the parent (kill -9 included), it
    would go on writing into OUTDIR while the next run resumes there (Linux prctl)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
