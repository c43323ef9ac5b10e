"""Run a suite: every variant on its fixtures → one result row per draft → aggregates,
the gate, and a run folder:

    evals/runs/<run-id>/results.jsonl   one row per (variant, place)
                        meta.json       suite, variants, prompt versions, git commit, machine,
                                        aggregates, gate, the mutation self-test
                        report.md, report.html
                        trails/<variant>/<place>/   the LLM backend's run trail

Failures are data: a provider that cannot start, a records file that does not load, an
endpoint that fails after retries, any other exception: each becomes a row with status
"error" and its message. Nothing here raises for one bad case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.evals import assertions as A
from pipeline.evals.metrics import (
    AGGREGATES,
    CEILINGS,
    GATEABLE,
    aggregates,
    draft_metrics,
    fmt,
    label,
    value_of,
)
from pipeline.evals.providers import ROOT, Provider, provider_for
from pipeline.evals.suite import Fixture, LoadedSuite, MutationSpec, Plan


@dataclass
class RunResult:
    run_id: str
    run_dir: Path
    rows: list[dict]
    meta: dict

    @property
    def gate(self) -> list[dict]:
        return self.meta["gate"]

    @property
    def gate_ok(self) -> bool:
        return all(g["pass"] for g in self.gate)


def runs_dir() -> Path:
    """evals/runs of the checkout this code runs from, else of the working folder."""
    if (ROOT / "pyproject.toml").is_file() and (ROOT / "evals").is_dir():
        return ROOT / "evals" / "runs"
    return Path.cwd() / "evals" / "runs"


def new_run_id(loaded: LoadedSuite, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    digest = hashlib.sha256(f"{loaded.text}\0{now.isoformat()}\0{os.getpid()}".encode()).hexdigest()[:6]
    return f"{now:%Y%m%d-%H%M%S}-{digest}"


def run_suite(loaded: LoadedSuite, out: str | Path | None = None, fail_under: dict[str, float] | None = None,
              only: list[str] | None = None, concurrency: int | None = None, progress=None) -> RunResult:
    started = time.perf_counter()
    begun = dt.datetime.now()
    run_id = new_run_id(loaded, begun)
    run_dir = Path(out) if out else runs_dir() / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    plans = [p for p in loaded.plans if not only or p.variant.name in only or p.backend in only]
    workers = concurrency or loaded.suite.defaults.concurrency
    rows: list[dict] = []
    variants_meta = []
    for plan in plans:
        with provider_for(plan) as provider:
            cases = [(plan, provider, f, run_dir, run_id, loaded) for f in plan.fixtures]
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for row in pool.map(lambda c: run_case(*c), cases):
                    rows.append(row)
                    if progress:
                        progress(row)
            variants_meta.append(_variant_meta(plan, provider))
    mutation = _selftest(loaded)
    names = [p.variant.name for p in plans]
    aggs = aggregates(rows, names)
    if mutation and "total" in mutation:
        aggs["suite"]["mutation_detection"] = mutation["total"]["rate"]
    gate = evaluate_gate(plans, aggs, fail_under or {}, mutation)
    meta = {
        "run_id": run_id,
        "suite": {"path": str(loaded.path), "description": loaded.suite.description,
                  "sha256": hashlib.sha256(loaded.text.encode()).hexdigest()[:16]},
        "started": begun.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
        "variants": variants_meta,
        "places": [{"place": f.place, "records": _rel(f.records), "draft": _rel(f.draft) if f.draft else None}
                   for f in loaded.fixtures],
        "git": git_info(),
        "machine": machine(),
        "aggregates": aggs,
        "gate": gate,
        "mutation": mutation,
    }
    write_run(run_dir, rows, meta)
    from pipeline.evals.report import write_reports

    write_reports(run_dir, rows, meta)
    return RunResult(run_id, run_dir, rows, meta)


def _selftest(loaded: LoadedSuite) -> dict | None:
    if not loaded.suite.mutation:
        return None
    from pipeline.evals.selftest import run_selftest

    spec = loaded.suite.mutation if isinstance(loaded.suite.mutation, MutationSpec) else MutationSpec()
    return run_selftest(spec, loaded.base)


def _slug(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("_") or "variant"


def run_case(plan: Plan, provider: Provider, fixture: Fixture, run_dir: Path, run_id: str,
             loaded: LoadedSuite) -> dict:
    """One draft, checked and measured: a row. Never raises."""
    from pipeline.inputs import load_records

    row = {"run_id": run_id, "variant": plan.variant.name, "place": fixture.place, "county": None,
           "records": _rel(fixture.records), "backend": plan.backend, "provider": provider.label,
           "model": provider.endpoint.model if provider.endpoint else None, "status": "error",
           "error": None, "metrics": {}, "assertions": [], "findings": [], "stats": {}, "sections": [],
           "usage": None, "prompt_versions": None, "repairs": [], "markdown": None}
    started = time.perf_counter()
    try:
        if provider.error:
            raise _Failed(provider.error)
        records, _warnings = load_records(fixture.records)
        row["county"] = records.county
        trail = run_dir / "trails" / _slug(plan.variant.name) / _slug(fixture.place) if plan.backend == "llm" else None
        output = provider.draft(records, fixture, trail)
        seconds = time.perf_counter() - started
        metrics, sections = draft_metrics(output.report, records, output.document, output.run, seconds,
                                          loaded.length_target, output.markdown or "")
        row.update(metrics=metrics, sections=sections, markdown=output.markdown,
                   findings=[f.model_dump(mode="json") for f in output.report.findings],
                   stats=output.report.stats.model_dump(),
                   usage=output.run.usage_json() if output.run else None,
                   prompt_versions=output.run.prompt_versions if output.run else None,
                   repairs=output.run.repairs_json() if output.run else [])
        row["assertions"] = A.evaluate(plan.assertions, row)
        row["status"] = "pass" if all(a["pass"] for a in row["assertions"]) else "fail"
    except Exception as exc:  # noqa: BLE001 - a failure is a result row (style §8)
        row["error"] = _message(exc)
        row["metrics"] = {"latency": round(time.perf_counter() - started, 3)}
        row["assertions"] = [{"assertion": "起草成功", "pass": False, "score": 0.0, "reason": row["error"]}]
    return row


class _Failed(Exception):
    pass


def _message(exc: Exception) -> str:
    from pipeline.errors import EndpointError, InputError

    if isinstance(exc, _Failed):
        return str(exc)
    if isinstance(exc, EndpointError):
        return f"模型接口失败（退出码 3 的情形）：{exc}"
    if isinstance(exc, InputError):
        return "输入有误：" + "；".join(str(p) for p in exc.problems)
    return f"{type(exc).__name__}: {exc}"[:800]


def _rel(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _variant_meta(plan: Plan, provider: Provider) -> dict:
    from pipeline.drafting.llm.prompts import prompt_overrides, versions

    v = plan.variant
    meta = {"name": v.name, "description": v.description, "backend": plan.backend, "provider": provider.label,
            "model": provider.endpoint.model if provider.endpoint else None,
            "places": [f.place for f in plan.fixtures], "assertions": [a.text for a in plan.assertions],
            "thresholds": plan.thresholds, "prompt_overrides": sorted(plan.prompts), "error": provider.error}
    if plan.backend == "llm":
        with prompt_overrides(plan.prompts):
            meta["prompt_versions"] = versions()
    return meta


def evaluate_gate(plans: list[Plan], aggs: dict, fail_under: dict[str, float], mutation: dict | None) -> list[dict]:
    """Each threshold (suite's, then --fail-under's) against each variant's aggregate."""
    out = []
    for plan in plans:
        wanted = {**plan.thresholds, **{k: v for k, v in fail_under.items() if k != "mutation_detection"}}
        agg = aggs["variants"][plan.variant.name]
        for metric, limit in wanted.items():
            value = value_of(agg, metric)
            ceiling = metric in CEILINGS
            ok = value is not None and (value <= limit + 1e-12 if ceiling else value >= limit - 1e-12)
            miss = f"，高于 {limit:g}" if ceiling else f"，低于 {limit:g}"
            out.append({"variant": plan.variant.name, "metric": metric, "minimum": None if ceiling else limit,
                        "maximum": limit if ceiling else None, "value": value,
                        "pass": ok, "source": "--fail-under" if metric in fail_under else "套件",
                        "reason": f"{label(metric)} {fmt(metric, value)}" + ("" if ok else miss)
                        if value is not None else f"{label(metric)}无有效结果（全部出错）"})
    if mutation is not None:
        for a in mutation.get("assertions", []):
            out.append({"variant": "变异自测", "metric": "mutation", "minimum": None, "value": a["score"],
                        "pass": a["pass"], "source": "套件", "reason": f"{a['assertion']}：{a['reason']}"})
        if "error" in mutation:
            out.append({"variant": "变异自测", "metric": "mutation", "minimum": None, "value": None,
                        "pass": False, "source": "套件", "reason": mutation["error"]})
        if "mutation_detection" in fail_under:
            value = (mutation.get("total") or {}).get("rate")
            minimum = fail_under["mutation_detection"]
            ok = value is not None and value >= minimum
            out.append({"variant": "变异自测", "metric": "mutation_detection", "minimum": minimum, "value": value,
                        "pass": ok, "source": "--fail-under",
                        "reason": f"变异检出率 {fmt('mutation_detection', value)}" + ("" if ok else f"，低于 {minimum:g}")})
    elif "mutation_detection" in fail_under:
        out.append({"variant": "变异自测", "metric": "mutation_detection", "minimum": fail_under["mutation_detection"],
                    "value": None, "pass": False, "source": "--fail-under", "reason": "本套件没有变异自测（mutation）"})
    return out


def parse_fail_under(items: list[str]) -> dict[str, float]:
    """["fact_precision=1.0", …] → {metric: value}; InputError names a bad item."""
    from pipeline.errors import InputError

    out, problems = {}, []
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or number is None:
            problems.append(f"--fail-under “{item}”：应写作 指标=数值，例如 fact_precision=1.0")
        elif name not in GATEABLE:
            problems.append(f"--fail-under “{item}”：“{name}”不能作为下限（可用：{'、'.join(GATEABLE)}；"
                            f"越小越好的指标请用套件中的断言，如 max_numbering_errors）")
        else:
            out[name] = number
    if problems:
        raise InputError("\n".join(problems))
    return out


def write_run(run_dir: Path, rows: list[dict], meta: dict) -> None:
    from pipeline.io import write_atomic

    write_atomic(run_dir / "results.jsonl", "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    write_atomic(run_dir / "meta.json", json.dumps(meta, ensure_ascii=False, indent=2) + "\n")


def git_info() -> dict | None:
    """The commit and whether the tree has changes; read-only git commands only."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=5)
        if commit.returncode != 0:
            return None
        dirty = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain",
                                "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5)
        return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return None


def machine() -> dict:
    return {"host": platform.node(), "system": f"{platform.system()} {platform.release()}",
            "machine": platform.machine(), "python": platform.python_version(), "cpus": os.cpu_count()}


__all__ = ["AGGREGATES", "RunResult", "parse_fail_under", "run_suite", "runs_dir"]
