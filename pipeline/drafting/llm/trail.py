"""The run trail: a folder per run, so a run can be inspected (and its prompts compared)
after the fact. Two files (this module writes the first, the orchestrator the second):

- `calls.jsonl`: every model call (messages, reply, problems), a line appended as each
  call returns. One write() per line: a killed run loses at most the line being written.
- `run.json`: the outline, prompt versions, usage, repairs, the check reports before and
  after repair and the checked Markdown; written once, atomically, when the run ends.

Two files, not one per call and per item: creating a file costs a batch worker about
0.3 ms of CPU here, and a 200-place batch made 3,600 of them (evals/bench/batch_speed.py)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

CALLS = "calls.jsonl"


class Trail:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._n = 0

    def begin(self) -> None:
        """A new run in this folder (a resumed batch redoes its place): drop earlier calls."""
        (self.folder / CALLS).unlink(missing_ok=True)

    def call(self, label: str, attempt: int, messages: list, reply, problems: list[str]) -> None:
        with self._lock:
            self._n += 1
            n = self._n
        line = json.dumps({
            "n": n, "label": label, "attempt": attempt,
            "messages": [{"role": m.type, "content": m.content} for m in messages],
            "reply": None if reply is None else {
                "content": reply.content, "tool_calls": getattr(reply, "tool_calls", []),
                "usage": getattr(reply, "usage_metadata", None),
                "cached": bool(reply.response_metadata.get("zongjie_cached"))},
            "problems": problems,
        }, ensure_ascii=False, default=str) + "\n"
        self._append(line.encode("utf-8"))

    def _append(self, data: bytes) -> None:
        path = self.folder / CALLS
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
        try:
            fd = os.open(path, flags, 0o666)
        except FileNotFoundError:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o666)
        try:
            view = memoryview(data)
            while view:  # one write() in practice; a regular file only writes less when full
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
