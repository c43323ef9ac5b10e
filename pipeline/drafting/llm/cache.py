"""An on-disk LangChain cache in SQLite (langchain-community's SQLiteCache would add ~70 MB).

LangChain keys it by the serialised messages (which carry the prompt text, so a changed
prompt is a new key) and the model's configuration string (model name, temperature,
response format). A hit is marked in the message's response_metadata, so the run can
count it as costing nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumps, loads

CACHED_FLAG = "zongjie_cached"


def default_cache_path() -> Path:
    return Path.home() / ".cache" / "zongjie" / "llm-cache.sqlite3"


class SQLiteCache(BaseCache):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS llm_cache "
                         "(key TEXT PRIMARY KEY, llm TEXT, value TEXT)")
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _key(prompt: str, llm_string: str) -> str:
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode("utf-8")).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM llm_cache WHERE key = ?",
                                   (self._key(prompt, llm_string),)).fetchone()
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
        value = dumps(list(return_val))
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?)",
                             (self._key(prompt, llm_string), llm_string[:200], value))

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._db.execute("DELETE FROM llm_cache")

    def close(self) -> None:
        with self._lock:
            self._db.close()
