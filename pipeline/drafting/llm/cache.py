"""An on-disk LangChain cache in SQLite (langchain-community's SQLiteCache would add ~70 MB).

LangChain keys it by the serialised messages (which carry the prompt text, so a changed
prompt is a new key) and the model's configuration string (model name, temperature,
response format). A hit is marked in the message's response_metadata, so the run can
count it as costing nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumps, loads

CACHED_FLAG = "zongjie_cached"


def default_cache_path() -> Path:
    return Path.home() / ".cache" / "zongjie" / "llm-cache.sqlite3"


def warn(message: str) -> None:
    """The cache is a convenience: its faults are told on stderr, never a failed run."""
    print(f"警告：{message}", file=sys.stderr, flush=True)


def open_cache(path: str | Path) -> SQLiteCache | None:
    """The cache at `path`, or None (with a warning) when it cannot be opened."""
    try:
        return SQLiteCache(path)
    except (sqlite3.Error, OSError) as exc:
        warn(f"模型调用缓存 {path} 无法打开（{exc}），本次运行不使用缓存；"
             f"可删除该文件，或用 --cache 指定其他文件、--no-cache 关闭缓存")
        return None


class SQLiteCache(BaseCache):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # A short busy timeout: a cache locked by another program is skipped, not waited for.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=1.0)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS llm_cache "
                             "(key TEXT PRIMARY KEY, llm TEXT, value TEXT)")
        except sqlite3.Error:
            self._db.close()
            raise
        self.hits = 0
        self.misses = 0
        self.broken = False

    def _give_up(self, exc: Exception) -> None:
        if not self.broken:
            self.broken = True
            warn(f"模型调用缓存 {self.path} 无法读写（{exc}），本次运行余下部分不再使用缓存")

    @staticmethod
    def _key(prompt: str, llm_string: str) -> str:
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode("utf-8")).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        if self.broken:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT value FROM llm_cache WHERE key = ?",
                                       (self._key(prompt, llm_string),)).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        with warnings.catch_warnings():  # `loads` is marked beta; we pin what it may build
            warnings.simplefilter("ignore")
            generations = loads(row[0], allowed_objects="core")
        for gen in generations:
            message = getattr(gen, "message", None)
            if message is not None:
                message.response_metadata[CACHED_FLAG] = True
        return generations

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        if self.broken:
            return
        value = dumps(list(return_val))
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?)",
                                 (self._key(prompt, llm_string), llm_string[:200], value))
        except sqlite3.Error as exc:
            self._give_up(exc)

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._db.execute("DELETE FROM llm_cache")

    def close(self) -> None:
        with self._lock:
            self._db.close()
