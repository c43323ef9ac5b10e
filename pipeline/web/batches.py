"""批量 on the review page: a multi-place ledger or several records files, drafted by
`run_batch` in a thread (the same output folder and resume rules as `zongjie batch`), with
progress the page polls, and each place opening on its own review page."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem, ZongjieError
from pipeline.web.state import Review, new_id

STATUS = {"ok": "通过", "findings": "有错误", "failed": "失败"}


@dataclass
class BatchJob:
    id: str
    name: str
    input: Path  # the ledger, or the folder of records files
    outdir: Path
    total: int = 0
    results: list = field(default_factory=list)
    done: bool = False
    error: str = ""

    def start(self, total: int) -> None:  # run_batch's progress protocol
        self.total = total

    def __call__(self, result) -> None:
        self.results.append(result)

    def status(self) -> dict:
        rows = [{"place": r.place, "file": r.file, "status": STATUS.get(r.status, r.status),
                 "skipped": r.skipped, "errors": r.errors, "warnings": r.warnings,
                 "message": r.message.split("\n")[0][:200], "ok": r.status != "failed"}
                for r in self.results]
        return {"total": self.total, "finished": len(rows), "done": self.done, "error": self.error, "rows": rows}


def batch_name(name: str) -> str:
    """The output folder's name: the same upload again resumes the same batch."""
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "_", Path(name).stem).strip("_")[:60] or "批量"


def start(job: BatchJob, backend: str = "template", endpoint=None, cache_path: Path | None = None) -> None:
    from pipeline.batch import run_batch

    def work() -> None:
        try:
            # One process: worker processes forked from a server thread would copy its locks.
            run_batch(job.input, job.outdir, [".md", ".docx"], backend, endpoint, progress=job, jobs=1,
                      cache_path=cache_path)
        except ZongjieError as exc:
            job.error = "；".join(str(p) for p in getattr(exc, "problems", None) or [str(exc)])
        finally:
            job.done = True
    threading.Thread(target=work, daemon=True, name=f"batch-{job.id}").start()


def open_place(job: BatchJob, file: str) -> Review:
    """The review of one place of a finished batch: its draft as written, its records."""
    from pipeline.inputs import load_records, load_workbook_records, read_draft

    result = next((r for r in job.results if r.file == file), None)
    draft = job.outdir / f"{file}.md"
    if result is None or not draft.is_file():
        raise InputError([Problem(file, None, "", "这个地区没有草稿（起草失败或尚未完成）")])
    records, rows = None, {}
    if job.input.is_file():
        place = next((p for p in load_workbook_records(job.input) if p.name == result.place), None)
        if place is not None:
            records, rows = place.records, place.rows
    else:
        for path in sorted(job.input.iterdir()):
            try:
                found = load_records(path)[0]
            except InputError:
                continue
            if found.county == result.place:
                records = found
                break
    return Review(new_id(), f"{file}.md", records, read_draft(draft), rows)
