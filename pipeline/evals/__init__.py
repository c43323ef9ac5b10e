"""The evaluation harness (`zongjie eval`): declarative suites of fixtures × variants ×
typed assertions; results as JSONL per run; Markdown and HTML reports; run comparison.

    from pipeline.evals import load_suite, run_suite
    result = run_suite(load_suite("evals/default.yaml"), out="out/eval")

Modules: suite (load + validate), assertions, metrics, providers (with scripted_model for
the offline scripted server), runner, mutation (the checker's mutation self-test) and
selftest (it as part of a suite), report / report_html, compare, cli.
"""

from __future__ import annotations

from pipeline import lazy_exports

_API = {
    "load_suite": "pipeline.evals.suite",
    "json_schema": "pipeline.evals.suite",
    "run_suite": "pipeline.evals.runner",
    "parse_fail_under": "pipeline.evals.runner",
    "load_run": "pipeline.evals.compare",
    "run_compare": "pipeline.evals.compare",
    "write_reports": "pipeline.evals.report",
}

# Written out, not derived from _API: tests/test_packaging.py checks that the two agree.
__all__ = [
    "json_schema",
    "load_run",
    "load_suite",
    "parse_fail_under",
    "run_compare",
    "run_suite",
    "write_reports",
]
__getattr__ = lazy_exports("pipeline.evals", _API)


def __dir__():  # the lazy names are not in globals() until first use
    return sorted({*globals(), *__all__})
