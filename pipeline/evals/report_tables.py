"""The rows report.md and report.html both show: the variants × metrics comparison and the
checker's mutation table, as text cells (Simplified Chinese)."""

from __future__ import annotations

from pipeline.evals.metrics import MAIN, METRICS, fmt, label

STATUS = {"pass": "通过", "fail": "未通过", "error": "出错"}


def summary_cells(agg: dict, metric: str, with_min: bool = True) -> str:
    s = agg["metrics"][metric]
    if s["mean"] is None:
        return "—"
    text = fmt(metric, s["mean"])
    better = METRICS[metric][1]
    if with_min and better == "high" and s["min"] is not None and s["min"] < s["mean"] - 1e-9:
        text += f"（最低 {fmt(metric, s['min'])}）"
    return text


def comparison(meta: dict, with_min: bool = True) -> tuple[list[str], list[list[str]]]:
    """The variants × metrics table: headers and rows."""
    headers = ["变体", "后端", "用例", "通过", "出错", "断言通过率", *(label(m) for m in MAIN)]
    rows = []
    for v in meta["variants"]:
        agg = meta["aggregates"]["variants"][v["name"]]
        rows.append([v["name"], v["provider"], str(agg["cases"]), str(agg["passed"]), str(agg["errored"]),
                     fmt("assertion_rate", agg["assertion_rate"]),
                     *(summary_cells(agg, m, with_min) for m in MAIN)])
    return headers, rows


def mutation_rows(mutation: dict) -> tuple[list[str], list[list[str]]]:
    headers = ["错误类别", "期望检查", "变异", "检出", "检出率", "同类检出"]
    rows = [[c["cls"], c["family"], str(c["mutants"]), str(c["detected"]),
             f"{c['rate']:.1%}" if c["rate"] is not None else "—", str(c["right_family"])]
            for c in mutation["classes"]]
    t = mutation["total"]
    rows.append(["合计", "", str(t["mutants"]), str(t["detected"]), f"{t['rate']:.1%}", str(t["right_family"])])
    return headers, rows


def limit_text(g: dict) -> str:
    """A gate row's limit: “≥ 1” for a minimum, “≤ 0” for a ceiling, "" for neither."""
    if g.get("maximum") is not None:
        return f"≤ {g['maximum']:g}"
    return "" if g.get("minimum") is None else f"≥ {g['minimum']:g}"
