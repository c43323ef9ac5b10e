"""Stage: batch. Every place of a folder of records files or of a ledger workbook, one
result each, resumable (runner.py has the resume rules, places.py the inputs,
workers.py the worker processes of the LLM backend)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pipeline.batch.lock import OutdirLock, sweep_dead_temp_files
from pipeline.batch.places import PlaceResult, collect_inputs
from pipeline.batch.runner import Batch
from pipeline.batch.workers import job_count, run_in_workers
from pipeline.errors import InputError


def exit_code(results: list[PlaceResult]) -> int:
    codes = [r.exit_code for r in results] or [0]
    for code in (3, 2, 1):
        if code in codes:
            return code
    return 0


def run_batch(input_path: str | Path, outdir: str | Path, formats: list[str], backend: str = "template",
              endpoint=None, force: bool = False, use_cache: bool = True, cache_path=None,
              progress=lambda result: None, via: str = "direct",
              poll_seconds: float = 30.0, jobs: int | None = None) -> list[PlaceResult]:
    """Draft every place of INPUT into OUTDIR; returns one result per place, in input order.

    `progress(result)` is called as each place ends (and `progress.start(total)`, if it
    has one, once the run is under way). `jobs`: worker processes for the LLM backend (None:
    as many as cores, at most 4; see workers.py)."""
    places = collect_inputs(input_path)
    outdir = Path(outdir)
    if via == "openai-batch" and endpoint is None:
        raise InputError("--via openai-batch 需要模型接口（llm 后端）；请先配置 OPENAI_API_KEY 等")
    with OutdirLock(outdir):
        sweep_dead_temp_files(outdir)  # a killed run's: never a result
        return _run_locked(places, outdir, formats, backend, endpoint, force, use_cache, cache_path,
                           progress, via, poll_seconds, jobs)


def _run_locked(places, outdir, formats, backend, endpoint, force, use_cache, cache_path, progress,
                via, poll_seconds, jobs) -> list[PlaceResult]:
    batch = Batch(outdir, formats, backend, endpoint, force, use_cache, cache_path, via, poll_seconds)
    # A terminal progress bar refreshes from a thread: start it after any fork.
    start = getattr(progress, "start", None)

    def started() -> None:
        if start is not None:
            start(len(places))
    # Worker processes split the endpoint's limits among them; without an endpoint there is
    # nothing to split and nothing to wait for. The Batch API path stays in one process: all
    # places go into the same batches.
    if endpoint is not None and via == "direct":
        jobs = job_count(jobs, len(places), endpoint.concurrency, endpoint.requests_per_minute,
                         endpoint.tokens_per_minute)
    else:
        jobs = 1
    if jobs > 1:
        results = run_in_workers(batch, places, progress, jobs, started)
    else:
        started()
        results = asyncio.run(batch.run(places, progress))
    batch.write_summary(results)
    return results
