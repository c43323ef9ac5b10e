"""`zongjie eval --compare RUN_A RUN_B`: per-metric deltas per variant, the prompts whose
versions differ, and the drafts that changed (by place and variant, with lines added and
removed and the first changed lines). Writes compare.md."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.evals.metrics import AGGREGATES, METRICS, fmt, label, value_of
from pipeline.evals.report import md_table, text_table
from pipeline.text.syntax import parse_json, parse_json_lines

COMPARED = ("assertion_rate", "pass_rate", "fact_precision", "coverage", "heading_compliance",
            "numbering_errors", "residue", "register", "style_errors_per_k", "style_warnings_per_k", "errors", "warnings", "length_ratio", "tokens",
            "cost", "latency", "repairs", "errors_before_repair")
_NOISY = ("latency",)  # wall time differs between any two runs: shown, not counted as a change


@dataclass
class Run:
    path: Path
    meta: dict
    rows: list[dict]

    @property
    def name(self) -> str:
        return self.meta.get("run_id") or self.path.name


@dataclass
class Comparison:
    a: Run
    b: Run
    deltas: list[dict] = field(default_factory=list)  # variant, metric, a, b, delta
    prompts: list[dict] = field(default_factory=list)  # variant, prompt, a, b
    changed: list[dict] = field(default_factory=list)  # variant, place, added, removed, lines, status
    only_a: list[tuple[str, str]] = field(default_factory=list)
    only_b: list[tuple[str, str]] = field(default_factory=list)


def load_run(ref: str | Path, runs: Path) -> Run:
    """A run folder, or the id of one under evals/runs."""
    path = Path(ref)
    if not (path / "results.jsonl").is_file():
        path = runs / str(ref)
    if not (path / "results.jsonl").is_file():
        raise InputError([Problem(str(ref), None, "", f"找不到评测结果：既不是含 results.jsonl 的文件夹，"
                                                     f"也不是 {runs} 下的运行编号")])
    results = path / "results.jsonl"
    rows = parse_json_lines(results.read_text(encoding="utf-8"), str(results))
    meta_path = path / "meta.json"
    meta = parse_json(meta_path.read_text(encoding="utf-8"), str(meta_path)) if meta_path.is_file() else {}
    return Run(path, meta, rows)


def _variants(run: Run) -> list[str]:
    names = [v["name"] for v in run.meta.get("variants", [])]
    return names or list(dict.fromkeys(r["variant"] for r in run.rows))


def _aggregate(run: Run, variant: str) -> dict:
    agg = (run.meta.get("aggregates") or {}).get("variants", {}).get(variant)
    if agg is None:
        from pipeline.evals.metrics import aggregate

        agg = aggregate([r for r in run.rows if r["variant"] == variant])
    return agg


def compare(a: Run, b: Run) -> Comparison:
    cmp = Comparison(a, b)
    names_b = _variants(b)
    shared = [v for v in _variants(a) if v in names_b]
    for v in shared:
        agg_a, agg_b = _aggregate(a, v), _aggregate(b, v)
        for metric in COMPARED:
            va, vb = value_of(agg_a, metric), value_of(agg_b, metric)
            delta = vb - va if va is not None and vb is not None else None
            cmp.deltas.append({"variant": v, "metric": metric, "a": va, "b": vb, "delta": delta,
                               "changed": metric not in _NOISY and (
                                   (delta is not None and abs(delta) > 1e-9) or (va is None) != (vb is None))})
    pv_a = {v["name"]: v.get("prompt_versions") or {} for v in a.meta.get("variants", [])}
    pv_b = {v["name"]: v.get("prompt_versions") or {} for v in b.meta.get("variants", [])}
    for v in shared:
        for name in sorted(set(pv_a.get(v, {})) | set(pv_b.get(v, {}))):
            x, y = pv_a.get(v, {}).get(name), pv_b.get(v, {}).get(name)
            if x != y:
                cmp.prompts.append({"variant": v, "prompt": name, "a": x, "b": y})
    rows_a = {(r["variant"], r["place"]): r for r in a.rows}
    rows_b = {(r["variant"], r["place"]): r for r in b.rows}
    for key, ra in rows_a.items():
        rb = rows_b.get(key)
        if rb is None:
            cmp.only_a.append(key)
            continue
        ta, tb = ra.get("markdown") or "", rb.get("markdown") or ""
        if ta == tb and ra["status"] == rb["status"]:
            continue
        diff = list(difflib.unified_diff(ta.split("\n"), tb.split("\n"), lineterm="", n=0))
        added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
        removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
        cmp.changed.append({"variant": key[0], "place": key[1], "county": rb.get("county") or ra.get("county"),
                            "added": len(added), "removed": len(removed),
                            "status": (ra["status"], rb["status"]),
                            "errors": (ra["metrics"].get("errors"), rb["metrics"].get("errors")),
                            "chars": (len(ta), len(tb)),
                            "sample": [("-", x) for x in removed[:2]] + [("+", x) for x in added[:2]]})
    cmp.only_b = [k for k in rows_b if k not in rows_a]
    return cmp


def _delta_text(metric: str, delta) -> str:
    if delta is None:
        return "—"
    if abs(delta) < 1e-12:
        return "0"
    sign = "+" if delta > 0 else "−"
    mag = abs(delta)
    if {**METRICS, **AGGREGATES}[metric][2] == "pct":  # a difference of percentages
        return f"{sign}{mag * 100:.1f} 个百分点"
    return sign + fmt(metric, mag)


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[:n] + "…"


def delta_rows(cmp: Comparison, changed_only: bool) -> list[list[str]]:
    return [[d["variant"], label(d["metric"]), fmt(d["metric"], d["a"]), fmt(d["metric"], d["b"]),
             _delta_text(d["metric"], d["delta"])]
            for d in cmp.deltas if d["changed"] or not changed_only]


def text_report(cmp: Comparison) -> str:
    out = [f"对比：A = {cmp.a.name}  →  B = {cmp.b.name}"]
    if cmp.prompts:
        out.append("提示词版本不同：" + "；".join(f"{p['variant']} 的 {p['prompt']}（{p['a']} → {p['b']}）"
                                             for p in cmp.prompts))
    rows = delta_rows(cmp, changed_only=True)
    if rows:
        out += ["", "指标变化（只列有变化的；耗时每次都不同，见 compare.md）：",
                text_table(["变体", "指标", "A", "B", "变化"], rows, right={2, 3, 4})]
    else:
        out += ["", "各变体的指标均无变化。"]
    out += ["", f"有变化的草稿：{len(cmp.changed)} 份"]
    if cmp.changed:
        out.append(text_table(["变体", "地区", "增加行", "删除行", "字数", "错误", "状态"], [
            [c["variant"], c["county"] or c["place"], f"+{c['added']}", f"−{c['removed']}",
             f"{c['chars'][0]}→{c['chars'][1]}", f"{_n(c['errors'][0])}→{_n(c['errors'][1])}",
             f"{c['status'][0]}→{c['status'][1]}" if c["status"][0] != c["status"][1] else c["status"][1]]
            for c in cmp.changed], right={2, 3, 4, 5}))
    for key, where in ((cmp.only_a, "只在 A 中"), (cmp.only_b, "只在 B 中")):
        if key:
            out.append(f"{where}：" + "、".join(f"{v}/{p}" for v, p in key))
    return "\n".join(out)


def _n(value) -> str:
    return "—" if value is None else str(value)


def markdown_report(cmp: Comparison) -> str:
    out = [f"# 评测对比：{cmp.a.name} → {cmp.b.name}", "",
           f"- A：`{cmp.a.path}`（{(cmp.a.meta.get('suite') or {}).get('description', '')}）",
           f"- B：`{cmp.b.path}`（{(cmp.b.meta.get('suite') or {}).get('description', '')}）", ""]
    if cmp.prompts:
        out += ["## 提示词版本", "", md_table(["变体", "提示词", "A", "B"],
                                          [[p["variant"], p["prompt"], p["a"] or "—", p["b"] or "—"]
                                           for p in cmp.prompts]), ""]
    out += ["## 指标变化", "", "全部指标；“变化”为 B − A。", "",
            md_table(["变体", "指标", "A", "B", "变化"], delta_rows(cmp, changed_only=False)), ""]
    out += [f"## 有变化的草稿（{len(cmp.changed)} 份）", ""]
    for c in cmp.changed:
        out += [f"### {c['variant']} · {c['county'] or c['place']}", "",
                f"- 增加 {c['added']} 行，删除 {c['removed']} 行；字数 {c['chars'][0]} → {c['chars'][1]}；"
                f"错误 {_n(c['errors'][0])} → {_n(c['errors'][1])}；状态 {c['status'][0]} → {c['status'][1]}", ""]
        if c["sample"]:
            out += ["```diff", *(f"{s}{_short(t, 80)}" for s, t in c["sample"]), "```", ""]
    for key, where in ((cmp.only_a, "只在 A 中的用例"), (cmp.only_b, "只在 B 中的用例")):
        if key:
            out += [f"## {where}", "", *(f"- {v} / {p}" for v, p in key), ""]
    return "\n".join(out).rstrip() + "\n"


def run_compare(ref_a: str, ref_b: str, runs: Path, out: str | Path | None = None) -> tuple[Comparison, Path]:
    a, b = load_run(ref_a, runs), load_run(ref_b, runs)
    cmp = compare(a, b)
    from pipeline.io import write_atomic

    path = (Path(out) if out else b.path) / "compare.md"
    write_atomic(path, markdown_report(cmp))  # makes the folder when it is new
    return cmp, path
