"""The checker's mutation self-test (pipeline.evals.mutation) as part of a suite: plant one
error in a clean draft, see whether the checker reports it.

It is called in this process after the variants: in a thread beside them it would share
the interpreter lock and inflate every case's measured latency. Its clean drafts come
from folders named relative to the suite file (MutationSpec.records_dir and
handwritten_dir: ../fixtures and handwritten/ by default), never from the source tree of
this code. Anything that goes wrong becomes `{"error": …}`, never an exception.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.errors import InputError
from pipeline.evals.mutation import SEED, MutationResult, run_folders
from pipeline.evals.suite import MutationSpec


def _folder(base: Path, name: str) -> Path:
    return Path(name) if Path(name).is_absolute() else base / name


def run_selftest(spec: MutationSpec, base: Path) -> dict:
    """The self-test of a suite whose file is in `base`, as the run's meta entry."""
    started = time.perf_counter()
    try:
        found = run_folders(_folder(base, spec.records_dir), _folder(base, spec.handwritten_dir),
                            SEED if spec.seed is None else spec.seed, spec.per_class)
    except InputError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a failure is a result (style §8)
        return {"error": f"变异自测出错：{type(exc).__name__}: {exc}"[:800]}
    return summarize(found, time.perf_counter() - started, spec)


def summarize(found: MutationResult, seconds: float, spec: MutationSpec) -> dict:
    """The run's meta entry: the per-class table, the false alarms, the missed mutants
    and the suite's assertions on them."""
    total = found.total
    rate = total.rate or 0.0
    count = len(found.false_alarms)
    checks = [{"assertion": f"检出率 >= {spec.min_detection:.0%}", "pass": rate >= spec.min_detection,
               "score": rate, "reason": f"检出 {total.detected}/{total.mutants}（{rate:.1%}）"}]
    if spec.max_false_alarms is not None:
        checks.append({"assertion": f"误报 <= {spec.max_false_alarms}", "pass": count <= spec.max_false_alarms,
                       "score": 1.0 if count <= spec.max_false_alarms else 0.0,
                       "reason": f"干净草稿上的错误 {count} 个"})
    return {"classes": [c.model_dump() for c in found.classes], "total": {**total.model_dump(), "rate": rate},
            "false_alarms": count, "false_alarm_list": [a.model_dump() for a in found.false_alarms],
            "missed": [m.model_dump(mode="json") for m in found.missed], "seed": found.seed,
            "summary": found.headline, "seconds": round(seconds, 2), "assertions": checks}
