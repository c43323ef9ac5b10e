"""Benchmark: how fast `check` proves a draft.

Run: python -m evals.bench.check_speed [RECORDS DRAFT]
     (default: the template draft of the largest fixture, cut after its first 3,000
     characters, checked against all of that fixture's records)
Targets (issue 3): ≤ 20 ms median per check of a 3,000-character draft after warm-up;
whole-process `zongjie check DRAFT --records RECORDS --json` ≤ 1 s.

Prints the median and 95th percentile of: the full check (every registered family), the
facts.* and coverage families alone, building the fact index (no cache), and the
whole-process command.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _timed(fn, seconds: float = 2.0, at_least: int = 20) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (CPU time is steadier on a shared machine)."""
    wall: list[float] = []
    cpu: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(wall) < at_least:
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def _show(label: str, timed) -> None:
    wall, cpu = timed if isinstance(timed, tuple) else (timed, None)
    wall = sorted(wall)
    p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
    extra = f"   CPU median {statistics.median(cpu):7.2f} ms" if cpu else ""
    print(f"{label:<30}median {statistics.median(wall):7.2f} ms   p95 {p95:7.2f} ms{extra}   (n={len(wall)})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from pipeline.checks import check
    from pipeline.checks.facts import analyse
    from pipeline.checks.index import build
    from pipeline.checks.model import Context
    from pipeline.inputs import load_records

    if len(argv) == 2:
        records_path, draft_path = Path(argv[0]), Path(argv[1])
        records = load_records(records_path)[0]
        text = draft_path.read_text(encoding="utf-8")
    else:
        from pipeline.drafting import draft_document
        from pipeline.render import to_markdown

        records_path = max((ROOT / "fixtures").glob("*.yaml"), key=lambda p: p.stat().st_size)
        records = load_records(records_path)[0]
        lines, size = [], 0
        for line in to_markdown(draft_document(records)).split("\n"):
            if size >= 3000:
                break
            lines.append(line)
            size += len(line)
        text = "\n".join(lines) + "\n"
        draft_path = None
    print(f"草稿 {len(text)} 字符，{text.count(chr(10)) + 1} 行；记录 {len(records.activities)} 项活动；"
          f"Python {platform.python_version()}")
    check(text, records)  # warm-up: word lists, regexes, the index cache
    _show("check()（全部检查）", _timed(lambda: check(text, records)))
    _show("facts.* 与 coverage", _timed(lambda: analyse(Context(text=text, records=records))))
    _show("建立事实索引（不走缓存）", _timed(lambda: build(records), seconds=1.0))

    with tempfile.TemporaryDirectory() as tmp:
        if draft_path is None:
            draft_path = Path(tmp) / "draft.md"
            draft_path.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "pipeline.cli", "check", str(draft_path), "--records",
               str(records_path), "--json"]
        runs = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
            runs.append((time.perf_counter() - t) * 1000)
        _show("zongjie check（整个进程）", runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
