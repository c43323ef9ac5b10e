"""Building reviews: from records (drafted here), or from a draft written elsewhere; and
re-checking the edited text. Calls only the library's public functions."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.checks import check_with_marks
from pipeline.errors import InputError, Problem
from pipeline.inputs import load_records, load_workbook_records, read_draft
from pipeline.render import markdown_lines
from pipeline.web.marks import record_cards, render_lines
from pipeline.web.state import Review, new_id

RECORD_SUFFIXES = (".xlsx", ".yaml", ".yml", ".json")
DRAFT_SUFFIXES = (".docx", ".md", ".markdown", ".txt")
EXAMPLES = Path(__file__).parent / "examples"


def examples() -> list[str]:
    return sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in RECORD_SUFFIXES) if EXAMPLES.is_dir() else []


def load(path: Path):
    """(records, warnings, ledger rows) by the CLI's loaders; InputError lists every problem."""
    if path.suffix.lower() == ".xlsx":
        places = load_workbook_records(path)
        errors = [e for p in places for e in p.errors]
        if errors:
            raise InputError(errors)
        if len(places) != 1:
            names = "、".join(p.name for p in places)
            raise InputError([Problem(path.name, None, "", f"台账中有 {len(places)} 个地区（{names}），请用“批量”起草")])
        place = places[0]
        if place.records is None:
            raise InputError(place.errors)
        return place.records, place.warnings, place.rows
    records, warnings = load_records(path)
    return records, warnings, {}


async def drafted(path: Path, backend: str = "template", endpoint=None, *, loaded=None,
                  progress=None, cache_path: Path | None = None) -> Review:
    """The review of a draft made here; `loaded` is what `load(path)` gave, when the caller
    validated first. The LLM backend's call cache lives in the data folder (cache_path)."""
    from pipeline import build_chain

    records, warnings, rows = loaded or load(path)
    run = await build_chain(endpoint, backend=backend, runnable=False, cache_path=cache_path,
                            progress=progress)(records)
    sources: dict[int, list[str]] = {}
    for no, (_, origin) in enumerate(markdown_lines(run.document), 1):
        sources[no] = _origin_sources(run.document, origin)
    return Review(new_id(), path.name, records, run.markdown, rows, sources, True, warnings)


def _origin_sources(doc, origin) -> list[str]:
    if origin is None:
        return []
    kind, at = origin
    if kind in ("title", "heading", "signature"):
        return []
    paras = doc.opening if kind == "opening" else next(s.paragraphs for s in doc.sections if s.key == kind)
    return list(dict.fromkeys(r for s in paras[at].sentences for r in s.sources))


def uploaded(draft_path: Path, records_path: Path | None) -> Review:
    records, warnings, rows = load(records_path) if records_path else (None, [], {})
    text = read_draft(draft_path)
    return Review(new_id(), draft_path.name, records, text, rows, {}, False, warnings)


def view(review: Review) -> dict:
    """Everything the page shows for the review's current text, and how long the check took."""
    t0, c0 = time.perf_counter(), time.thread_time()
    report, marks = check_with_marks(review.text, review.records)
    ms, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
    acts = review.records.activities if review.records else []
    return {
        "lines": render_lines(review.text, report, marks.facts, review.sources),
        "report": report,
        "uncovered": [a for a in acts if a.id not in marks.covered],
        "key": [(a, a.id in marks.covered) for a in acts if a.highlight],
        "facts": len(marks.facts),
        "check_ms": round(ms, 1),
        "check_cpu_ms": round(cpu, 1),  # this thread's CPU: steadier than wall time on a busy machine
    }


def cards(review: Review) -> dict:
    return record_cards(review.records, review.rows)


DOWNLOAD_KINDS = ("docx", "md", "report")


def download(review: Review, kind: str) -> tuple[bytes, str, str]:
    """(bytes, media type, file name) of the edited text: docx, md or the check report."""
    from pipeline.checks import check
    from pipeline.render import render
    from pipeline.web.filed import document_of

    stem = Path(review.name).stem
    if kind == "report":
        report = check(review.text, review.records)
        return report.model_dump_json(indent=2).encode(), "application/json", f"{stem}.check.json"
    if kind == "md":
        return review.text.encode(), "text/markdown; charset=utf-8", f"{stem}.md"
    if kind == "docx":
        doc = document_of(review.text, review.records)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return render(doc, ".docx"), media, f"{stem}.docx"
    raise InputError(f"不支持的下载格式“{kind}”")
