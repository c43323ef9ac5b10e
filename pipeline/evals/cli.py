"""`zongjie eval`: the command's body (pipeline/cli.py only parses its arguments)."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.errors import InputError
from pipeline.evals.providers import ROOT

EXIT_OK, EXIT_GATE = 0, 1


def default_suite() -> Path:
    """evals/default.yaml of the checkout this code runs from, else of the working folder."""
    for base in (ROOT, Path.cwd()):
        path = base / "evals" / "default.yaml"
        if path.is_file():
            return path
    raise InputError("找不到默认评测套件 evals/default.yaml：请在 zongjie 源码目录中运行"
                     "（或其中含 evals/default.yaml 的文件夹），或指定套件文件，例如 zongjie eval 我的套件.yaml")


def run_eval(args) -> int:
    from pipeline.evals.runner import parse_fail_under, run_suite, runs_dir

    fail_under = parse_fail_under(args.fail_under or [])
    if args.compare:
        return _compare(args, fail_under, runs_dir())
    from pipeline.evals.report import console_summary
    from pipeline.evals.suite import load_suite

    loaded = load_suite(args.suite or default_suite())
    only = list(args.variant or [])
    if args.backend:
        only.append(args.backend)
    names = {p.variant.name for p in loaded.plans} | {p.backend for p in loaded.plans}
    unknown = [n for n in args.variant or [] if n not in names]
    if unknown:
        raise InputError(f"套件中没有变体：{'、'.join(unknown)}；可用："
                         f"{'、'.join(p.variant.name for p in loaded.plans)}")
    progress = _progress(sum(len(p.fixtures) for p in loaded.plans if not only
                             or p.variant.name in only or p.backend in only), args.quiet)
    result = run_suite(loaded, out=args.out, fail_under=fail_under, only=only or None,
                       concurrency=args.concurrency, progress=progress)
    print(console_summary(result.meta))
    if not args.quiet:
        d = result.run_dir
        print(f"报告已写出：{d / 'report.md'}、{d / 'report.html'}（逐条结果 {d / 'results.jsonl'}）",
              file=sys.stderr)
    for g in result.gate:
        if not g["pass"]:
            print(f"未达到门槛：{g['variant']} {g['reason']}", file=sys.stderr)
    return EXIT_OK if result.gate_ok else EXIT_GATE


def _progress(total: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    done = [0]

    def tick(row: dict) -> None:
        done[0] += 1
        word = {"pass": "通过", "fail": "未通过", "error": "出错"}[row["status"]]
        print(f"\r[{done[0]}/{total}] {row['variant']} · {row['place']}：{word}\033[K",
              end="\n" if done[0] == total else "", file=sys.stderr, flush=True)
    return tick


def _compare(args, fail_under: dict, runs: Path) -> int:
    from pipeline.evals.compare import run_compare, text_report
    from pipeline.evals.metrics import fmt, label, value_of

    a, b = args.compare
    cmp, path = run_compare(a, b, runs, args.out)
    print(text_report(cmp))
    if not args.quiet:
        print(f"对比报告已写出：{path}", file=sys.stderr)
    failed = []
    aggs = (cmp.b.meta.get("aggregates") or {}).get("variants", {})
    for variant, agg in aggs.items():  # the gate applies to the newer run, B
        for metric, minimum in fail_under.items():
            value = (cmp.b.meta.get("aggregates", {}).get("suite", {}).get(metric)
                     if metric == "mutation_detection" else value_of(agg, metric))
            if value is None or value < minimum - 1e-12:
                failed.append(f"{variant} {label(metric)} {fmt(metric, value)}，低于 {minimum:g}")
    for line in dict.fromkeys(failed):
        print(f"未达到门槛（B）：{line}", file=sys.stderr)
    return EXIT_GATE if failed else EXIT_OK
