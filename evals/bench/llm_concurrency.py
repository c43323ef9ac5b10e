"""Benchmark: one document through the LLM backend against the scripted server at a
fixed latency, concurrent (as shipped) against a sequential chain (concurrency 1).

Run: python evals/bench/llm_concurrency.py [--latency 0.3]
Target (issue 4): concurrent wall time ≤ 1.5 × the slowest single call.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import Writer
from pipeline.inputs import load_records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import ScriptedServer

ROOT = Path(__file__).resolve().parents[2]


def one(srv: ScriptedServer, records, concurrency: int) -> tuple[float, int]:
    srv.reset()
    srv.responder = Writer("faithful", latency=LATENCY)
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-bench", timeout=30,
                  concurrency=concurrency)
    start = time.perf_counter()
    out = draft(records, "llm", ep, use_cache=False)
    wall = time.perf_counter() - start
    assert out.report.ok, out.report.findings
    calls = srv.chat_requests()
    return wall, len(calls)


def slowest_single_call(srv: ScriptedServer) -> float:
    """One request of the same kind, timed through the same client stack."""
    import asyncio

    from langchain_core.messages import HumanMessage

    from pipeline.drafting.llm.backend import SectionDraft
    from pipeline.drafting.llm.client import ModelClient

    srv.reset()
    srv.responder = Writer("faithful", latency=LATENCY)
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-bench", timeout=30)
    payload = '[{"id": "problems[0]", "内容": "示例"}]'
    msg = [HumanMessage(content=f"JSON\n<records>\n{payload}\n</records>")]

    async def go() -> float:
        client = ModelClient(ep)
        try:
            await client.ask("warm", msg, SectionDraft)
            times = []
            for _ in range(5):
                t = time.perf_counter()
                await client.ask("one", msg, SectionDraft)
                times.append(time.perf_counter() - t)
            return max(times)
        finally:
            await client.aclose()
    return asyncio.run(go())


def main() -> None:
    global LATENCY
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.3)
    LATENCY = parser.parse_args().latency
    records = load_records(ROOT / "tests" / "data" / "spec_example.yaml")[0]
    with ScriptedServer() as srv:
        one(srv, records, 8)  # warm-up: imports, first connection
        single = slowest_single_call(srv)
        concurrent, n = one(srv, records, 8)
        sequential, _ = one(srv, records, 1)
    print(f"机器 machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"一份文档 one document: {n} 次调用 calls，脚本延迟 scripted latency {LATENCY * 1000:.0f} ms")
    print(f"最慢单次调用 slowest single call: {single * 1000:.0f} ms")
    print(f"并发 concurrent chain: {concurrent * 1000:.0f} ms = {concurrent / single:.2f} × 单次（目标 ≤ 1.5）")
    print(f"顺序 sequential chain: {sequential * 1000:.0f} ms = {sequential / single:.2f} × 单次")


LATENCY = 0.3

if __name__ == "__main__":
    main()
