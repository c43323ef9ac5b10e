"""The one pipeline: records → outline → backend draft → render → check → revise → fallback.

The same steps run for every backend; what differs is in the backend (drafting/): the
template backend drafts once and does not revise, the LLM backend re-asks the parts the
checker found wrong. The CLI, batch and evals all come through `adraft` (or `draft`, its
synchronous form) and read the typed `Run` it returns.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from pipeline.checks import check
from pipeline.drafting import Backend, SessionOptions, open_session
from pipeline.gcpause import paused_gc
from pipeline.io import write_atomic
from pipeline.model.document import Document
from pipeline.model.records import Records
from pipeline.model.report import Report
from pipeline.model.run import BackendName, Progress, Run
from pipeline.model.outline import Outline
from pipeline.outline import build_outline
from pipeline.render import to_markdown
from pipeline.revision import fall_back, findings_by_part
from pipeline.support import keep_supported

RUN_TRAIL = "run.json"  # beside the LLM backend's calls.jsonl in a run's trail folder
ProgressHook = Callable[[Progress], None]


async def adraft(records: Records, backend: Backend, trail_dir: str | Path | None = None,
                 progress: ProgressHook | None = None) -> Run:
    """One document through every stage; the backend is closed when it is done.
    `progress` is told each stage, and by the backend each part it finishes."""
    say = progress or _quiet
    if progress is not None:
        backend.on_part = progress
    try:
        with paused_gc():  # CPU stages over thousands of live objects: pipeline/gcpause.py
            outline = build_outline(records)
        document = await backend.draft(records, outline)
        say(Progress(stage="check"))
        report = _check(document, records)
        first = report
        for round_ in range(1, backend.revise_rounds + 1):
            by_part = findings_by_part(document, report)
            if not by_part:
                break
            say(Progress(stage="revise", round=round_))
            document = await backend.revise(document, by_part, round_)
            say(Progress(stage="check", round=round_))
            report = _check(document, records)
    finally:
        await backend.aclose()
    repairs = list(backend.repairs)
    if backend.revises and not report.ok:
        say(Progress(stage="fallback"))
        document, fixed = fall_back(records, outline, document, report)
        repairs += fixed
        report = _check(document, records)
    # Every backend, the template's fallback included: a sentence no record supports goes.
    with paused_gc():
        document, removed = keep_supported(records, document, report)
    if removed:
        repairs += removed
        report = _check(document, records)
    acc = backend.accounting()
    run = Run(backend=backend.name, document=document, markdown=to_markdown(document), report=report,
              model=acc.model, endpoint=acc.endpoint, currency=acc.currency,
              tokens_exact=acc.tokens_exact, usage=acc.usage, usage_by_part=acc.usage_by_part or {},
              repairs=repairs, prompt_versions=acc.prompt_versions,
              first_report=first if backend.revises else None)
    if trail_dir is not None:
        write_atomic(Path(trail_dir) / RUN_TRAIL, run_trail(run, outline), durable=False)
    say(Progress(stage="done"))
    return run


def _check(document: Document, records: Records) -> Report:
    with paused_gc():
        return check(to_markdown(document), records)


def _quiet(_: Progress) -> None:
    pass


def run_trail(run: Run, outline: Outline) -> str:
    """run.json of a trail: how the draft came about, for a person reading it afterwards."""
    data = {
        "outline": outline.model_dump(mode="json"),
        "prompt_versions": run.prompt_versions,
        "usage": {"total": run.usage.as_dict() if run.usage else None,
                  "parts": {k: u.as_dict() for k, u in run.usage_by_part.items()},
                  "tokens_exact": run.tokens_exact},
        "repairs": run.repairs_json(),
        "check_before_repair": None if run.first_report is None
        else run.first_report.model_dump(mode="json"),
        "check": run.report.model_dump(mode="json"),
        "markdown": run.markdown,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def draft(records: Records, backend: BackendName = "template", endpoint=None, *,
          use_cache: bool = True, cache_path: str | Path | None = None,
          trail_dir: str | Path | None = None) -> Run:
    """One document in its own event loop (langchain-openai's clients are bound to theirs)."""
    return asyncio.run(build_chain(endpoint, backend=backend, use_cache=use_cache,
                                   cache_path=cache_path, trail_dir=trail_dir, runnable=False)(records))


def build_chain(endpoint=None, *, backend: BackendName | None = None, use_cache: bool = True,
                cache_path: str | Path | None = None, trail_dir: str | Path | None = None,
                runnable: bool = True, progress: ProgressHook | None = None):
    """The whole pipeline as one LangChain runnable: Records → Run (the LLM backend when an
    endpoint is given, else the template backend).

    Compose it in your own LangChain or LangGraph app: `await chain.ainvoke(records)`; each
    invocation opens its own session (client, cache) and closes it.
    `runnable=False` gives the plain coroutine function instead; `progress` as in adraft."""
    backend = backend or ("llm" if endpoint is not None else "template")
    options = SessionOptions(endpoint=endpoint, use_cache=use_cache, cache_path=cache_path)

    async def run(records: Records) -> Run:
        session = open_session(backend, options)
        try:
            return await adraft(records, session.backend(trail_dir=trail_dir), trail_dir=trail_dir,
                                progress=progress)
        finally:
            await session.aclose()
    if not runnable:
        return run
    from langchain_core.runnables import RunnableLambda  # LangChain loads only when asked

    return RunnableLambda(run, name="zongjie")
