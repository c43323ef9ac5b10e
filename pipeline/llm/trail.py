"""The run trail: a folder per run with each prompt, response, check report and usage,
so a run can be inspected (and its prompts compared) after the fact."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from ..render import write_atomic


class Trail:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._n = 0

    def write(self, name: str, data) -> None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2,
                                                             default=str)
        write_atomic(self.folder / name, text + ("" if text.endswith("\n") else "\n"), durable=False)

    def call(self, label: str, attempt: int, messages: list, reply, problems: list[str]) -> None:
        with self._lock:
            self._n += 1
            n = self._n
        self.write(f"calls/{n:03d}-{label}-{attempt}.json", {
            "label": label, "attempt": attempt,
            "messages": [{"role": m.type, "content": m.content} for m in messages],
            "reply": None if reply is None else {
                "content": reply.content, "tool_calls": getattr(reply, "tool_calls", []),
                "usage": getattr(reply, "usage_metadata", None),
                "cached": bool(reply.response_metadata.get("zongjie_cached"))},
            "problems": problems,
        })
