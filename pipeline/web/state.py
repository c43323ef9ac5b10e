"""What the review page keeps per draft: the records (parsed once, so the checker's index of
them is built once), the text as last edited, and where each activity came from. Reviews are
kept in the data folder too (persist.py), so they outlive a restart; everything written goes
under the data folder."""

from __future__ import annotations

import re
import secrets
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.model.records import Records
from pipeline.web import persist

MAX_UPLOAD = 5 * 1024 * 1024  # a ledger of a few hundred rows is well under 1 MB
_SAFE = re.compile(r"[^\w\u4e00-\u9fff.\-]+")


@dataclass
class Review:
    id: str
    name: str  # the file the records (or the draft) came from, as the clerk named it
    records: Records | None
    text: str
    rows: dict[str, str] = field(default_factory=dict)  # activity id → ledger row
    sources: dict[int, list[str]] = field(default_factory=dict)  # line → record ids (drafts made here)
    drafted: bool = False  # drafted here (provenance from the Document) or uploaded
    warnings: list[Problem] = field(default_factory=list)


IN_MEMORY = 32  # reviews held parsed (with the checker's index); the rest wait on disk


class Store:
    def __init__(self, data_dir: Path, keep_days: float = persist.KEEP_DAYS,
                 keep_sessions: int = persist.KEEP_SESSIONS):
        self.data_dir = Path(data_dir)
        self.keep_days, self.keep_sessions = keep_days, keep_sessions
        self.reviews: OrderedDict[str, Review] = OrderedDict()
        self.jobs: dict = {}  # batch id → pipeline.web.batches.BatchJob
        self.drafts: dict = {}  # draft job id → pipeline.web.drafts.DraftJob
        self.lock = threading.Lock()
        self.sweep()

    def add(self, review: Review) -> Review:
        persist.save(self.data_dir, review, with_records=True)
        self._hold(review)
        self.sweep()
        return review

    def changed(self, review: Review) -> None:
        """The text was edited: saved, so a restart opens it as it was left."""
        persist.save(self.data_dir, review)

    def get(self, rid: str) -> Review | None:
        with self.lock:
            review = self.reviews.get(rid)
            if review is not None:
                self.reviews.move_to_end(rid)
                return review
        fields = persist.load(self.data_dir, rid)  # saved before a restart, or let go of
        if fields is None:
            return None
        review = Review(**fields)
        persist.touch(self.data_dir, rid)
        self._hold(review)
        return review

    def _hold(self, review: Review) -> None:
        with self.lock:
            self.reviews[review.id] = review
            self.reviews.move_to_end(review.id)
            while len(self.reviews) > IN_MEMORY:
                self.reviews.popitem(last=False)

    def sweep(self, now: float | None = None) -> list[Path]:
        """The retention rules (persist.sweep); batches still running are kept."""
        busy = {j.outdir.parent.name for j in list(self.jobs.values()) if not j.done}
        removed = persist.sweep(self.data_dir, self.keep_days, self.keep_sessions, busy, now)
        with self.lock:
            for folder in removed:
                if folder.parent.name == persist.SESSIONS:
                    self.reviews.pop(folder.name, None)
        return removed

    def upload_dir(self) -> Path:
        d = self.data_dir / persist.UPLOADS / secrets.token_hex(8)
        d.mkdir(parents=True, exist_ok=True)
        return d


def discard_upload(path: Path | None) -> None:
    """An upload's folder once its request is done: what it held now lives in the review."""
    if path is not None and path.parent.parent.name == persist.UPLOADS:
        shutil.rmtree(path.parent, ignore_errors=True)


def new_id() -> str:
    return secrets.token_urlsafe(9)


def safe_name(name: str, suffixes: tuple[str, ...]) -> str:
    """The upload's own name without any folder part, so it stays inside the data folder and
    messages name the file the clerk chose."""
    base = Path((name or "").replace("\\", "/")).name
    base = _SAFE.sub("_", base).lstrip(".") or "上传文件"
    if not base.lower().endswith(suffixes):
        raise InputError([Problem(base, None, "", f"不支持的文件类型，请上传 {'、'.join(suffixes)} 文件")])
    return base[-120:]


def save_upload(store: Store, name: str, data: bytes, suffixes: tuple[str, ...]) -> Path:
    return write_upload(store.upload_dir(), safe_name(name, suffixes), data)


def write_upload(folder: Path, base: str, data: bytes) -> Path:
    """The upload as `folder/base` (base already made safe), size-limited."""
    if len(data) > MAX_UPLOAD:
        raise InputError([Problem(base, None, "", f"文件过大（{len(data) // 1024} KB），上限为 {MAX_UPLOAD // 1024 // 1024} MB")])
    if not data:
        raise InputError([Problem(base, None, "", "文件为空")])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / base
    tmp = folder / f".{base}.tmp"
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a batch reading the folder never sees half a file
    return path
