"""Benchmark: template drafts per second in-process, and whole-process `zongjie draft`.

Run: python evals/bench/draft_speed.py [RECORDS]   (default: the largest fixture)
Target (issue 2): ≥ 50 drafts per second in-process on the 150+-activity fixture.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def largest_fixture() -> Path:
    files = [p for p in (ROOT / "fixtures").glob("*.yaml")]
    return max(files, key=lambda p: p.stat().st_size)


def main() -> None:
    from pipeline.inputs import load_records
    from pipeline.orchestrator import draft

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else largest_fixture()
    records = load_records(path)[0]
    draft(records)  # warm-up: phrase bank and checker word lists load once per process
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3.0:
        drafted = draft(records)
        n += 1
    per_second = n / (time.perf_counter() - start)

    from pipeline.drafting import draft_document

    m, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        draft_document(records)
        m += 1
    draft_only = m / (time.perf_counter() - start)

    runs = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "draft", str(path), "--quiet"],
                       capture_output=True, check=False, cwd=ROOT)
        runs.append(time.perf_counter() - t)
    help_runs = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, cwd=ROOT)
        help_runs.append(time.perf_counter() - t)

    print(f"机器 machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.processor() or 'cpu'}")
    print(f"记录 records: {path.name}（{len(records.activities)} 项活动，草稿 {len(drafted.markdown)} 字）")
    print(f"起草+核对 draft+check in-process: {per_second:.1f} 份/秒 drafts/s（目标 ≥ 50）")
    print(f"仅起草 draft only in-process: {draft_only:.1f} 份/秒 drafts/s")
    print(f"整进程 whole-process `zongjie draft`: 中位数 median {statistics.median(runs) * 1000:.0f} ms")
    print(f"整进程 whole-process `zongjie --help`: 中位数 median {statistics.median(help_runs) * 1000:.0f} ms"
          f"（目标 < 500 ms）")


if __name__ == "__main__":
    main()
