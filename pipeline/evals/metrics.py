"""What one draft scores, and what a variant scores over its drafts.

Per draft (one place × one variant): fact precision (supported claims ÷ claims), record
coverage (records covered ÷ records), required-heading compliance, numbering errors,
residue and register findings, length of each practice section against its target (the
one the LLM prompt states, pipeline/model/length.py: 120 + what each activity's record can
carry, at most 160 an activity and 1500 a section), tokens, cost
and latency. Per variant and per suite: mean, min and max of each metric over the drafts
that ran, the share of cases whose assertions all passed, and of assertions that passed.
"""

from __future__ import annotations

from pipeline.model.length import LengthTarget

# name → (Chinese label, better: "high" | "low" | "target", format)
METRICS: dict[str, tuple[str, str, str]] = {
    "fact_precision": ("事实准确率", "high", "pct"),
    "coverage": ("记录覆盖率", "high", "pct"),
    "heading_compliance": ("小标题合规率", "high", "pct"),
    "numbering_errors": ("序号错误", "low", "int"),
    "residue": ("残留占位", "low", "int"),
    "register": ("语体问题", "low", "int"),
    # style.* findings per 1,000 characters of the draft, errors and warnings apart
    "style_errors_per_k": ("文风错误/千字", "low", "ratio"),
    "style_warnings_per_k": ("文风警告/千字", "low", "ratio"),
    "errors": ("错误", "low", "int"),
    "warnings": ("警告", "low", "int"),
    "length_ratio": ("篇幅比", "target", "ratio"),
    "tokens": ("token", "low", "int"),
    "cost": ("费用", "low", "money"),
    "latency": ("耗时（秒）", "low", "sec"),
    "repairs": ("修改次数", "low", "int"),
    "errors_before_repair": ("修改前错误", "low", "int"),
}
# Aggregates that are not per-draft means: usable in thresholds and --fail-under.
AGGREGATES: dict[str, tuple[str, str, str]] = {
    "pass_rate": ("用例通过率", "high", "pct"),
    "assertion_rate": ("断言通过率", "high", "pct"),
    "mutation_detection": ("变异检出率", "high", "pct"),
}
# The columns of the comparison table, in order.
MAIN = ("fact_precision", "coverage", "heading_compliance", "numbering_errors", "residue",
        "register", "style_errors_per_k", "style_warnings_per_k", "length_ratio", "tokens", "cost", "latency")
GATEABLE = tuple(k for k, v in {**METRICS, **AGGREGATES}.items() if v[1] == "high")
# Lower-is-better means a suite may cap in `thresholds` (an upper limit there, not a lower one).
CEILINGS = ("style_errors_per_k", "style_warnings_per_k")


def label(metric: str) -> str:
    return {**METRICS, **AGGREGATES}.get(metric, (metric,))[0]


def fmt(metric: str, value) -> str:
    if value is None:
        return "—"
    kind = {**METRICS, **AGGREGATES}.get(metric, ("", "", "ratio"))[2]
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "int":  # a mean of counts: one decimal while small
        if isinstance(value, float) and not value.is_integer() and abs(value) < 100:
            return f"{value:.1f}"
        return f"{round(value)}"
    if kind == "money":
        return f"{value:.4f}"
    return f"{value:.2f}"


def required_headings(records) -> int:
    """How many headings the records make obligatory (headings.required's rules): every
    fixed heading of the outline, plus 存在的问题 / 下一步 when the records carry them."""
    fixed = [s for s in (records.outline or []) if s.heading]
    keys = {s.key for s in fixed}
    return (len(fixed) + (1 if records.problems and "problems" not in keys else 0)
            + (1 if records.plans and "plans" not in keys else 0))


def section_lengths(document, records, target: LengthTarget) -> list[dict]:
    """Each practice section with activities: its characters against its target."""
    from pipeline.drafting.phrasing import kinds
    from pipeline.outline import build_outline
    from pipeline.text.kinds import spoken_names

    if document is None:
        return []
    spoken = spoken_names(kinds(records), records.author)
    by_key = {s.key: s for s in document.sections}
    by_id = {a.id: a for a in records.activities}
    out = []
    for spec in build_outline(records).sections:
        if spec.kind != "practice" or not spec.activity_ids or spec.key not in by_key:
            continue
        section = by_key[spec.key]
        chars = sum(len(p.text) for p in section.paragraphs)
        want = target.target((by_id[i] for i in spec.activity_ids), spoken)
        out.append({"key": spec.key, "heading": section.heading, "activities": len(spec.activity_ids),
                    "chars": chars, "target": want, "ratio": round(chars / want, 4)})
    return out


def style_per_k(findings, chars: int) -> tuple[float, float]:
    """style.* (errors, warnings) per 1,000 characters of a draft of `chars` characters."""
    style = [f for f in findings if f.check.startswith("style.")]
    errors = sum(f.severity == "error" for f in style)
    per = 1000 / chars if chars else 0.0
    return round(errors * per, 4), round((len(style) - errors) * per, 4)


def draft_metrics(report, records, document, run, seconds: float,
                  target: LengthTarget, text: str = "") -> tuple[dict, list[dict]]:
    """The metrics of one draft (`text`: the draft as checked), and its per-section lengths."""
    stats = report.stats
    findings = report.findings
    errors = [f for f in findings if f.severity == "error"]

    def count(prefix: str, only_errors: bool = False) -> int:
        pool = errors if only_errors else findings
        return sum(f.check == prefix or f.check.startswith(prefix + ".") for f in pool)

    required = required_headings(records)
    heading_errors = count("headings.required", True)
    if required:
        compliance = max(0.0, 1 - heading_errors / required)
    else:
        compliance = 1.0 if heading_errors == 0 else 0.0
    sections = section_lengths(document, records, target)
    chars = sum(s["chars"] for s in sections)
    wanted = sum(s["target"] for s in sections)
    usage = run.usage if run is not None else None
    style_errors, style_warnings = style_per_k(findings, len(text))
    metrics = {
        # no claims at all: nothing unsupported was said
        "fact_precision": stats.supported / stats.claims if stats.claims else 1.0,
        "coverage": stats.records_covered / stats.records_total if stats.records_total else 1.0,
        "heading_compliance": round(compliance, 4),
        "numbering_errors": count("headings.numbering", True),
        "residue": count("residue"),
        "register": count("register"),
        "style_errors_per_k": style_errors,
        "style_warnings_per_k": style_warnings,
        "errors": len(errors),
        "warnings": len(findings) - len(errors),
        "length_ratio": round(chars / wanted, 4) if wanted else None,
        "tokens": usage.total_tokens if usage else 0,
        "cost": round(usage.cost, 6) if usage else 0.0,
        "latency": round(seconds, 3),
        "repairs": len(run.repairs) if run else 0,
        "errors_before_repair": run.errors_before_repair if run else None,
    }
    return metrics, sections


# ---------------------------------------------------------------- aggregates

def _summary(values: list) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"mean": None, "min": None, "max": None, "n": 0}
    return {"mean": sum(values) / len(values), "min": min(values), "max": max(values), "n": len(values)}


def aggregate(rows: list[dict]) -> dict:
    """Counts, pass rates and mean/min/max of every metric over `rows`."""
    ran = [r for r in rows if r["status"] != "error"]
    assertions = [a for r in rows for a in r["assertions"]]
    out = {
        "cases": len(rows),
        "passed": sum(r["status"] == "pass" for r in rows),
        "failed": sum(r["status"] == "fail" for r in rows),
        "errored": len(rows) - len(ran),
        "pass_rate": sum(r["status"] == "pass" for r in rows) / len(rows) if rows else None,
        "assertion_rate": (sum(a["pass"] for a in assertions) / len(assertions)) if assertions else None,
        "metrics": {m: _summary([r["metrics"].get(m) for r in ran]) for m in METRICS},
    }
    return out


def aggregates(rows: list[dict], variants: list[str]) -> dict:
    """{"suite": …, "variants": {name: …}} in the suite's variant order."""
    return {"suite": aggregate(rows),
            "variants": {v: aggregate([r for r in rows if r["variant"] == v]) for v in variants}}


def value_of(agg: dict, metric: str):
    """An aggregate's value for a threshold: a rate, or a metric's mean."""
    if metric in ("pass_rate", "assertion_rate"):
        return agg.get(metric)
    return (agg.get("metrics", {}).get(metric) or {}).get("mean")
