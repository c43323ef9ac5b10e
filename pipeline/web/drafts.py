"""An LLM draft made in the background, as the batch is: the records are validated first (a
bad file gives its table of cells at once), then the orchestrator drafts in a thread of its
own and tells each part it finishes; the page polls the job and opens the review when done."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ZongjieError
from pipeline.model.run import Progress

log = logging.getLogger("zongjie.serve")


@dataclass
class DraftJob:
    id: str
    name: str  # the file the records came from
    latest: Progress | None = None
    review: str | None = None  # the review's id, once drafted
    error: str = ""
    done: bool = False
    started: float = field(default_factory=time.monotonic)
    steps: list[str] = field(default_factory=list)  # what each finished part was, in order

    def __call__(self, progress: Progress) -> None:  # the orchestrator's progress hook
        self.latest = progress
        if progress.key:
            self.steps.append(_step(progress))

    def status(self) -> dict:
        p = self.latest
        return {"done": self.done, "error": self.error, "message": self.message(),
                "stage": p.stage if p else "", "parts_done": p.done if p else 0,
                "parts": p.total if p else 0, "round": p.round if p else 0,
                "steps": self.steps[-12:], "seconds": round(time.monotonic() - self.started),
                "review": f"/review/{self.review}" if self.review else None}

    def message(self) -> str:
        if self.error:
            return f"起草失败：{self.error}"
        p = self.latest
        if p is None:
            return "正在准备起草……"
        if p.stage == "draft":
            return f"正在起草：已完成 {p.done}/{p.total} 个部分" if p.total else "正在起草……"
        if p.stage == "check":
            return f"正在核对第 {p.round} 轮修改稿" if p.round else "正在核对初稿"
        if p.stage == "revise":
            told = f"：已改 {p.done}/{p.total} 个部分" if p.total else ""
            return f"第 {p.round} 轮修改（按核对意见重写有误的部分）{told}"
        if p.stage == "fallback":
            return "仍有误的句子改用模板句"
        return "已完成，正在打开审阅页"


def _step(p: Progress) -> str:
    part = "开头" if p.key == "opening" else (p.heading or p.key)
    if p.stage == "revise":
        return f"第 {p.round} 轮修改：{part}（{p.done}/{p.total}）"
    return f"起草：{part}（{p.done}/{p.total}）"


def start(job: DraftJob, path: Path, loaded, endpoint, store, cache_path: Path) -> None:
    """Draft in a thread with its own event loop (the model client is made per run), so the
    server answers polls and other pages meanwhile."""
    from pipeline.web import review as rv

    def work() -> None:
        try:
            review = asyncio.run(rv.drafted(path, "llm", endpoint, loaded=loaded, progress=job,
                                            cache_path=cache_path))
            store.add(review)
            job.review = review.id
        except ZongjieError as exc:  # the endpoint failed after its retries: said, never the key
            job.error = "；".join(str(p) for p in getattr(exc, "problems", None) or [str(exc)])[:500]
        except Exception:  # noqa: BLE001 - a bug must not leave the page waiting for ever
            log.exception("draft %s failed", job.id)
            job.error = "内部错误，详情见服务器日志"
        finally:
            job.done = True
    threading.Thread(target=work, daemon=True, name=f"draft-{job.id}").start()
