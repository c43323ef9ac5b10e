"""Benchmark: batch runs of many places.

1. Template backend, whole process: `zongjie batch` over N places (target: 200 in < 30 s).
2. LLM backend against the scripted server: N places × about 6 calls at a fixed latency,
   K requests in flight; wall time against the ideal (calls × latency ÷ K), target ≤ 1.2 ×,
   and the pipeline's own CPU per call.

Run: python evals/bench/batch_speed.py [--places 200] [--latency 0.2] [--in-flight 32]
     [--jobs 1 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def make_places(folder: Path, n: int) -> None:
    base = yaml.safe_load((ROOT / "tests" / "data" / "spec_example.yaml").read_text(encoding="utf-8"))
    first, second = "青白石云金银玉龙凤鹤松柏桃李", "山河岭溪川坪塘湾峰谷源泉林原"
    names = [f"{a}{b}{c}县" for a in first for b in second for c in "东西南北中"][:n]
    folder.mkdir(parents=True)
    for i, name in enumerate(names):
        data = {k: v for k, v in dict(base, county=name, author=None).items() if v is not None}
        (folder / f"p{i:04d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def template_whole_process(src: Path, out: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(src), "-o", str(out),
                             "--quiet", "--backend", "template"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr)
    return time.perf_counter() - start


def serve(latency: float, conn) -> None:
    """The scripted server in its own process, as a real endpoint would be: its CPU is
    not the pipeline's."""
    from pipeline.evals.scripted_model import Writer
    from pipeline.testing.scripted_server import ScriptedServer

    with ScriptedServer() as srv:
        srv.responder = Writer("faithful", latency=latency)
        conn.send(srv.base_url)
        conn.recv()  # until the benchmark is done
        usage = resource.getrusage(resource.RUSAGE_SELF)
        arrivals = [r.time for r in srv.chat_requests()]  # time.monotonic(): one clock for all processes
        conn.send((arrivals, usage.ru_utime + usage.ru_stime))


def _cpu() -> float:
    """This process and its finished children (the batch's workers, joined when it ends)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def llm_batch(src: Path, out: Path, latency: float, in_flight: int, jobs: int | None) -> "Run":
    import multiprocessing as mp

    from pipeline.batch import run_batch
    from pipeline.drafting.llm.config import Endpoint

    # What `zongjie batch` imports before it calls run_batch (~1.7 s, once per run): start-up,
    # not the batch's cost per place.
    import langchain_openai  # noqa: F401
    import pipeline.orchestrator  # noqa: F401

    here, there = mp.Pipe()
    server = mp.get_context("spawn").Process(target=serve, args=(latency, there), daemon=True)
    server.start()
    try:
        base_url = here.recv()
        ep = Endpoint(base_url=base_url, model="scripted-model", api_key="sk-bench", timeout=60,
                      concurrency=in_flight, max_retries=0)
        cpu0 = _cpu()
        start, t0 = time.perf_counter(), time.monotonic()
        results = run_batch(src, out, [".md"], backend="llm", endpoint=ep, use_cache=False, jobs=jobs)
        wall = time.perf_counter() - start
        cpu = _cpu() - cpu0
        here.send("done")
        arrivals, server_cpu = here.recv()
    finally:
        server.join(5)
    bad = [r for r in results if r.status not in ("ok",)]
    if bad:
        raise SystemExit(f"{len(bad)} places not ok: {bad[0].message}")
    first = min(arrivals) - t0
    return Run(wall, len(arrivals), cpu, server_cpu, first, max(arrivals) - min(arrivals))


@dataclass
class Run:
    wall: float
    calls: int
    cpu: float  # the batch's processes
    server_cpu: float
    first: float  # from run_batch's start to the first request: reading records, forking
    sending: float  # from the first request to the last
    steal: float = 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--places", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--in-flight", type=int, default=32)
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 0],
                    help="worker processes to measure; 0 = the batch's default (auto)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per setting; the median is the result")
    args = ap.parse_args()
    print(f"机器 machine: {platform.machine()}, {os.cpu_count()} 核, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        make_places(src, args.places)
        t_template = template_whole_process(src, Path(tmp) / "out-template")
        print(f"模板后端 template: {args.places} 个地区整进程 whole-process {t_template:.1f} s（目标 < 30 s）")
        for jobs in args.jobs:
            label = f"{jobs} 个进程" if jobs else "默认进程数 auto"
            runs = []
            for i in range(args.repeat):
                steal0 = _steal()
                r = llm_batch(src, Path(tmp) / f"out-llm-{jobs}-{i}", args.latency, args.in_flight, jobs or None)
                r.steal = _steal() - steal0
                runs.append(r)
            ideal = runs[0].calls * args.latency / args.in_flight
            print(f"LLM 后端（{label}）: {args.places} 个地区 × {runs[0].calls / args.places:.1f} 次调用 = "
                  f"{runs[0].calls} 次，延迟 {args.latency * 1000:.0f} ms，并发 {args.in_flight}；理想 ideal {ideal:.2f} s")
            for i, r in enumerate(runs, 1):
                print(f"  第 {i} 次：用时 wall {r.wall:.2f} s = {r.wall / ideal:.2f} ×；读记录到第一个请求 {r.first:.2f} s，"
                      f"其后每秒 {r.calls / r.sending:.0f} 个请求（理想 {args.in_flight / args.latency:.0f}）；"
                      f"起草进程 CPU 每次调用 {r.cpu / r.calls * 1000:.1f} ms；服务器 CPU {r.server_cpu:.1f} s；"
                      f"虚拟机被占用 steal {r.steal:.1f} s")
            ratios = sorted(r.wall / ideal for r in runs)
            print(f"  中位数 median {statistics.median(ratios):.2f} ×（目标 ≤ 1.2），范围 {ratios[0]:.2f}–{ratios[-1]:.2f} ×")


def _steal() -> float:
    """CPU time the hypervisor gave to other guests (Linux /proc/stat), in seconds: on a
    shared virtual machine it slows every run, and varies from one run to the next."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


if __name__ == "__main__":
    main()
