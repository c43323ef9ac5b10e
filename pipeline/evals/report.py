"""A run's report: the comparison table for the terminal, report.md, and (report_html)
one self-contained HTML page. Everything a reader sees is in Simplified Chinese; the
rows both reports show are in report_tables."""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.output import display_width
from pipeline.evals.metrics import fmt, label
from pipeline.evals.report_html import html_report
from pipeline.evals.report_tables import STATUS, comparison, limit_text, mutation_rows
from pipeline.io import write_atomic


def text_table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A plain table aligned by display width (a CJK character takes two columns)."""
    right = right if right is not None else set(range(1, len(headers)))
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - display_width(str(cell)))
            out.append(pad + str(cell) if i in right else str(cell) + pad)
        return "  ".join(out).rstrip()
    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    def esc(cell) -> str:
        return str(cell).replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def console_summary(meta: dict) -> str:
    headers, rows = comparison(meta, with_min=False)
    headers, rows = headers[:1] + headers[2:], [r[:1] + r[2:] for r in rows]  # the provider: in the reports
    out = [f"评测：{meta['suite']['description'] or meta['suite']['path']}（运行 {meta['run_id']}，"
           f"用时 {meta['seconds']:.1f} 秒）"]
    if rows:
        out.append(text_table(headers, rows))
    mutation = meta.get("mutation")
    if mutation:
        out.append("")
        if "error" in mutation:
            out.append(f"检查器变异自测：{mutation['error']}")
        else:
            t = mutation["total"]
            out.append(f"检查器变异自测：变异 {t['mutants']} 个，检出 {t['detected']} 个（{t['rate']:.1%}），"
                       f"干净草稿上的误报 {mutation['false_alarms']} 个")
            if not rows:  # a suite of the self-test alone: its table is the result
                out.append(text_table(*mutation_rows(mutation), right={2, 3, 4, 5}))
    if meta["gate"]:
        out += ["", gate_line(meta)]
    return "\n".join(out)


def gate_line(meta: dict) -> str:
    """The gate's verdict, naming what it measured: “全部达到” alone under a variant that passed
    0 of 5 cases reads as if the cases had passed."""
    failed = [g for g in meta["gate"] if not g["pass"]]
    if failed:
        return "门槛未达到：" + "；".join(f"{g['variant']} {g['reason']}" for g in failed)
    gated = sorted({f"{label(g['metric'])} ≥ {g['minimum']:g}" if g["minimum"] is not None
                    else f"{g['variant']} {g['reason']}" for g in meta["gate"]})
    line = f"门槛：全部达到（{'、'.join(gated)}）"
    short = [(name, agg) for name, agg in meta["aggregates"]["variants"].items()
             if agg["cases"] and agg["passed"] < agg["cases"]]
    if short:
        line += "；门槛之外，用例未全部通过：" + "、".join(
            f"{name} 通过 {agg['passed']}/{agg['cases']}" for name, agg in short)
    return line


def header_lines(meta: dict) -> list[str]:
    git = meta.get("git") or {}
    commit = f"{git['commit'][:10]}{'（有未提交的改动）' if git.get('dirty') else ''}" if git else "不可用"
    m = meta["machine"]
    return [f"- 运行编号：`{meta['run_id']}`", f"- 套件：`{meta['suite']['path']}`",
            f"- 开始时间：{meta['started']}，用时 {meta['seconds']:.1f} 秒",
            f"- Git 提交：{commit}",
            f"- 机器：{m['host']}（{m['system']}，{m['machine']}，Python {m['python']}，{m['cpus']} 核）"]


def markdown_report(rows: list[dict], meta: dict) -> str:
    out = [f"# 评测报告：{meta['suite']['description'] or meta['suite']['path']}", "", *header_lines(meta), ""]
    if meta["variants"]:
        out += ["## 变体对比", "", "数值为各地区草稿的平均值；括号内为最低值。篇幅比为实践部分字数与目标字数"
                "（每项活动 160 字、另加 120 字）之比。", ""]
        out += [md_table(*comparison(meta)), "", "### 变体说明", ""]
    for v in meta["variants"]:
        prompts = f"；提示词覆盖：{'、'.join(v['prompt_overrides'])}" if v.get("prompt_overrides") else ""
        versions = v.get("prompt_versions") or {}
        shown = f"；提示词版本 section={versions.get('section')}" if versions else ""
        err = f"；**无法启动：{v['error']}**" if v.get("error") else ""
        out.append(f"- **{v['name']}**：{v['backend']} · {v['provider']}，地区 {len(v['places'])} 个"
                   f"{prompts}{shown}{err}")
    out.append("")
    if meta["gate"]:
        out += ["## 门槛", "", md_table(["变体", "指标", "限值", "实际", "结果", "来源"], [
            [g["variant"], label(g["metric"]) if g["metric"] != "mutation" else "变异自测",
             limit_text(g),
             g["reason"], "达到" if g["pass"] else "**未达到**", g["source"]] for g in meta["gate"]]), ""]
    if meta.get("mutation"):
        out += mutation_markdown(meta["mutation"])
    if rows:
        out += ["## 全部用例", "", md_table(
        ["变体", "地区", "状态", "事实准确率", "记录覆盖率", "错误", "警告", "篇幅比", "token", "耗时（秒）"],
        [[r["variant"], r["county"] or r["place"], STATUS[r["status"]],
          *(fmt(m, r["metrics"].get(m)) for m in ("fact_precision", "coverage", "errors", "warnings",
                                                   "length_ratio", "tokens", "latency"))]
         for r in rows]), ""]
    bad = [r for r in rows if r["status"] != "pass"]
    if bad:
        out += ["## 未通过与出错的用例", ""]
        for r in bad:
            out += [f"### {r['variant']} · {r['county'] or r['place']}（{STATUS[r['status']]}）", ""]
            if r["error"]:
                out += [f"- 出错：{r['error']}", ""]
                continue
            out += [f"- ✗ `{a['assertion']}`：{a['reason']}" for a in r["assertions"] if not a["pass"]]
            out += [f"- 第{f['line']}行 [{f['check']}] {f['message']}" for f in r["findings"]
                    if f["severity"] == "error"][:12]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def mutation_markdown(mutation: dict) -> list[str]:
    out = ["## 检查器变异自测", ""]
    if "error" in mutation:
        return [*out, f"未能运行：{mutation['error']}", ""]
    out += [mutation.get("summary") or "", "", md_table(*mutation_rows(mutation)), "",
            f"干净草稿上的错误（误报）：{mutation['false_alarms']} 个", ""]
    alarms = [f"- {a['draft']} 第{a['line']}行 [{a['check']}] {a['message']}" for a in mutation["false_alarm_list"]]
    out += [*alarms, ""] if alarms else []
    missed = mutation.get("missed") or []
    if missed:
        out += [f"未检出的变异（{len(missed)} 个）：", ""]
        out += [f"- [{m['cls']}] {m['source']} 第{m['line']}行 {m['note']}" if m["line"] is not None
                else f"- [{m['cls']}] {m['source']} {m['note']}" for m in missed]
    return [*out, ""]


def write_reports(run_dir: Path, rows: list[dict], meta: dict) -> tuple[Path, Path]:
    md = run_dir / "report.md"
    html = run_dir / "report.html"
    write_atomic(md, markdown_report(rows, meta))
    write_atomic(html, html_report(rows, meta))
    return md, html
