"""Terminal output of long runs: a progress bar and a result table (rich), quiet when
standard error is not a terminal."""

from __future__ import annotations

import sys
import time


class BatchProgress:
    """`progress` for run_batch: started by the batch once it knows how many places there
    are, then called with each place's result."""

    def __init__(self, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.done = self.failed = self.tokens = 0
        self._progress = None

    def start(self, total: int) -> None:
        """Not in __init__: the bar refreshes from a thread, and a batch forks its workers
        first (a fork copies no threads, and locks a thread held stay held in the child)."""
        if not self.enabled or self._progress is not None:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("起草"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("失败 {task.fields[failed]} · tokens {task.fields[tokens]}"),
                                  TextColumn("剩余"), TimeRemainingColumn(), transient=True)
        self._task = self._progress.add_task("batch", total=total, failed=0, tokens=0)
        self._progress.start()

    def __call__(self, result) -> None:
        self.done += 1
        self.failed += result.status == "failed"
        self.tokens += result.tokens
        if self._progress is not None:
            self._progress.update(self._task, advance=1, failed=self.failed, tokens=self.tokens)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def print_table(results, started: float, quiet: bool = False, priced: bool = True) -> None:
    """The result table on standard error. A failed place's problems are printed in full
    after it (cli.py), so its row only points there; `priced`: the backend calls a model, so
    tokens and cost mean something."""
    if quiet:
        return
    from rich.console import Console
    from rich.table import Table

    from pipeline.batch.places import STATUS_TEXT
    from pipeline.text.chars import visible

    table = Table(title=f"批量起草结果（{len(results)} 个地区，用时 {time.perf_counter() - started:.1f} 秒）")
    columns = ["地区", "状态", "错误", "警告", "tokens", "费用", "用时(秒)", "说明"]
    for col in columns if priced else [c for c in columns if c not in ("tokens", "费用")]:
        table.add_column(col)
    for r in results:
        status = STATUS_TEXT.get(r.status, r.status) + ("（已完成，跳过）" if r.skipped else "")
        note = "见下方" if r.status == "failed" else visible(r.message.split("\n")[0][:80])
        cost = [str(r.tokens), f"{r.cost:.4f}"] if priced else []
        table.add_row(visible(r.place), status, str(r.errors), str(r.warnings), *cost, f"{r.seconds:.2f}", note)
    Console(stderr=True, width=None if sys.stderr.isatty() else 160).print(table)
