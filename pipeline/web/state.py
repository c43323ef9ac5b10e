"""What the review page keeps per draft: the records (parsed once, so the checker's index of
them is built once), the text as last edited, and where each activity came from. Everything
written goes under the data folder."""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.model.records import Records

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


class Store:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.reviews: dict[str, Review] = {}
        self.jobs: dict = {}  # batch id → pipeline.web.batches.BatchJob
        self.lock = threading.Lock()

    def add(self, review: Review) -> Review:
        with self.lock:
            if len(self.reviews) >= 200:  # bounded: the oldest go first
                self.reviews.pop(next(iter(self.reviews)))
            self.reviews[review.id] = review
        return review

    def get(self, rid: str) -> Review | None:
        return self.reviews.get(rid)

    def upload_dir(self) -> Path:
        d = self.data_dir / "uploads" / secrets.token_hex(8)
        d.mkdir(parents=True, exist_ok=True)
        return d


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
