"""Reviews kept in the data folder, so a restarted server opens them again, and the
retention rules that keep the folder from growing without end.

    DATA/sessions/<id>/records.json   the records, written once (atomic)
    DATA/sessions/<id>/review.json    the text as last edited and what the page needs (atomic)
    DATA/uploads/<random>/            an upload, removed as soon as its request is done
    DATA/batch/<name>/                a batch's input and output (resumed by the same upload)

Retention (README, 审阅台): a review not edited for `keep_days` days goes, and beyond the
newest `keep_sessions` the oldest go; a batch folder not touched for `keep_days` goes too;
an upload folder left over from a stopped server goes after an hour."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from pipeline.errors import Problem
from pipeline.io import write_atomic
from pipeline.model.records import Records

KEEP_DAYS = 30
KEEP_SESSIONS = 200
UPLOAD_SECONDS = 3600  # an upload lives for one request; older ones were left by a crash
SESSIONS, UPLOADS, BATCHES = "sessions", "uploads", "batch"
_ID = re.compile(r"^[A-Za-z0-9_-]{6,40}$")  # what new_id makes: never a path


def session_dir(data_dir: Path, rid: str) -> Path | None:
    return data_dir / SESSIONS / rid if _ID.match(rid) else None


def save(data_dir: Path, review, with_records: bool = False) -> None:  # review: state.Review
    """The review as two files; the records only when asked (they never change)."""
    folder = session_dir(data_dir, review.id)
    if folder is None:
        return
    if with_records and review.records is not None:
        write_atomic(folder / "records.json", review.records.model_dump_json())
    data = {"version": 1, "id": review.id, "name": review.name, "text": review.text,
            "rows": review.rows, "sources": {str(k): v for k, v in review.sources.items()},
            "drafted": review.drafted, "has_records": review.records is not None,
            "warnings": [asdict(w) for w in review.warnings]}
    # Not fsynced: saved after every pause in typing; the rename alone keeps it whole.
    write_atomic(folder / "review.json", json.dumps(data, ensure_ascii=False), durable=False)


def load(data_dir: Path, rid: str) -> dict | None:
    """The fields of the review saved under this id, or None (unknown, or unreadable)."""
    folder = session_dir(data_dir, rid)
    if folder is None or not (folder / "review.json").is_file():
        return None
    try:
        data = json.loads((folder / "review.json").read_text(encoding="utf-8"))
        records = None
        if data.get("has_records"):
            records = Records.model_validate_json((folder / "records.json").read_bytes())
        return {"id": rid, "name": str(data["name"]), "records": records, "text": str(data["text"]),
                "rows": dict(data["rows"]), "sources": {int(k): list(v) for k, v in data["sources"].items()},
                "drafted": bool(data["drafted"]), "warnings": [Problem(**w) for w in data["warnings"]]}
    except (OSError, ValueError, KeyError, TypeError):  # half a folder from another version: skip it
        return None


def touch(data_dir: Path, rid: str) -> None:
    """An opened review counts as used: its age starts again."""
    folder = session_dir(data_dir, rid)
    if folder is not None:
        with contextlib.suppress(OSError):
            (folder / "review.json").touch()


def sweep(data_dir: Path, keep_days: float = KEEP_DAYS, keep_sessions: int = KEEP_SESSIONS,
          busy: set[str] = frozenset(), now: float | None = None) -> list[Path]:
    """Remove what the retention rules say is done with; `busy` names batch folders in use.
    Only folders directly under the data folder's own subfolders are ever removed."""
    now = time.time() if now is None else now
    oldest = now - keep_days * 86400
    removed: list[Path] = []
    sessions = sorted(((_used(f), f) for f in _children(data_dir / SESSIONS)), reverse=True)  # newest first
    for i, (used, folder) in enumerate(sessions):
        if i >= keep_sessions or used < oldest:
            removed.append(folder)
    removed += [f for f in _children(data_dir / UPLOADS) if _age(f) < now - UPLOAD_SECONDS]
    removed += [f for f in _children(data_dir / BATCHES) if f.name not in busy and _age(f) < oldest]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def _children(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []


def _used(folder: Path) -> float:
    """When a review was last saved or opened (review.json is rewritten or touched then)."""
    for path in (folder / "review.json", folder):  # no review.json yet: being saved right now
        with contextlib.suppress(OSError):
            return path.stat().st_mtime
    return 0.0


def _age(folder: Path) -> float:
    """The newest change in the folder (a batch writes deep inside its own)."""
    newest = 0.0
    with contextlib.suppress(OSError):
        newest = folder.stat().st_mtime
        for p in folder.iterdir():
            newest = max(newest, p.stat().st_mtime)
    return newest
