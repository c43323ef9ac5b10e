"""`python -m pipeline.evals.mutation`: the self-test's per-class table for people.

Prints, per error class, the mutants, how many got an error at the mutated line (any
family), how many got one from the expected family, and the error findings on the clean
drafts (false alarms; target 0). Folders default to a source checkout's, from its root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import InputError
from pipeline.evals.mutation.result import MutationResult
from pipeline.evals.mutation.run import SEED, run_folders


def table(result: MutationResult, show_missed: bool = False) -> str:
    out = [result.headline, "",
           f"{'错误类别':<18}{'期望检查':<22}{'变异':>6}{'检出':>6}{'检出率':>9}{'同类检出':>9}"]
    for c in result.classes:
        rate = f"{c.rate:.1%}" if c.mutants else "-"
        out.append(f"{c.cls:<18}{c.family:<22}{c.mutants:>6}{c.detected:>6}{rate:>9}{c.right_family:>9}")
    t = result.total
    out.append(f"{'合计':<18}{'':<22}{t.mutants:>6}{t.detected:>6}{t.detected / max(t.mutants, 1):>9.1%}"
               f"{t.right_family:>9}")
    out += ["", f"干净草稿上的错误（误报）：{len(result.false_alarms)}"]
    out += [f"  {a.draft} 第{a.line}行 [{a.check}] {a.message}" for a in result.false_alarms]
    if show_missed:
        out += ["", "未检出："]
        out += [f"  [{m.cls}] {m.source} 第{m.line}行 {m.note}"
                + (f"（其他行的错误：{m.errors_elsewhere[:3]}）" if m.errors_elsewhere else "")
                for m in result.missed]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.evals.mutation",
                                 description="检查器的变异自测：在干净草稿中植入一个错误，看检查器能否在该行报错")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-class", type=int, default=0, help="每类每篇最多几个变异（默认按类设定）")
    ap.add_argument("--show-missed", action="store_true", help="列出未检出的变异")
    ap.add_argument("--json", help="把结果（逐条变异、各类统计、误报）写入 JSON 文件")
    ap.add_argument("--records", type=Path, default=Path("fixtures"), help="模板草稿所用的记录文件夹")
    ap.add_argument("--handwritten", type=Path, default=Path("evals/handwritten"),
                    help="手写总结文件夹（NAME.yaml + NAME.md|txt）")
    args = ap.parse_args(argv)
    try:
        result = run_folders(args.records, args.handwritten, args.seed, args.per_class or None)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(table(result, args.show_missed))
    if args.json:
        Path(args.json).write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
