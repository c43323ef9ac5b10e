"""Benchmark: does every stage scale linearly with hostile input? (issue 14, "Quadratic work")

Run: python -m evals.bench.hostile_scaling [--quick] [--only NAME] [--budget S]
Gate: for every case and every 4× step of input the time grows at most 4.5×; exit 1 when a
step does not (or a case was cut off for taking too long), 0 when all do.

Every input is generated here, in-process, from the largest fixture: one long line of
一是/numbers/quotes (checked without and with records, printed as the CLI prints findings),
records with one huge note, a draft of many lines (checked whole, and by the style.*
families alone, as is one line of 、 lists), records of 250…16,000 activities (drafted and
validated from a file). Each case is timed at 4× steps. Each step runs in a child process
(evals/bench/bounded.py) that is killed once it has used STEP_BUDGET CPU seconds: the step is
reported as 超时, ends its case and fails the gate, so a quadratic stage cannot hang the
benchmark.

How a step is measured (the machine is shared, and other work on it only ever adds time):
- CPU seconds of the child (time.process_time), never wall time; the input is built and the
  step run once untimed first (word lists, regexes and caches load once per process).
- The best of the timed runs: at least REPEAT (5), and more until they add up to
  bounded.MIN_TIMED (1 s of CPU), so a 4 ms step is the best of some 250 runs and a 0.1 s
  step of ten; a multi-second step stops once another run would pass 8 s (bounded.py).
  The collector stays on, as in the command (one full collection before the timed runs).
- The ratio is best over best of the two sizes (a step under TINY counts as TINY). A step
  over the gate is measured again with the size before it, each in a fresh child, up to
  CONFIRM times while it stays over, and each keeps its best (marked 复测): CPU seconds
  still grow when another process shares the core's caches, and such a moment does not
  come back every time, while the best of many runs of a stage that really grows stays
  over the gate, and fails it.
- The load average is printed before and after: figures from a busy machine say so.
- The 次数 column is how many timed runs each figure is the best of.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from evals.bench.bounded import Step, run_step

ROOT = Path(__file__).resolve().parents[2]
RATIO_LIMIT = 4.5
STEP_BUDGET = 25.0  # CPU seconds: a step is killed here, and its case ends
TINY = 0.02  # seconds: below this a ratio is noise (timer and cache effects), not a trend
REPEAT = 5  # timed runs per step at least (more until they add up to bounded.MIN_TIMED)
CONFIRM = 3  # times a step over the gate is measured again, with the size before it


def _grew(before: Step, after: Step) -> float:
    return after.seconds / max(before.seconds, TINY)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "未知"


def _better(a: Step, b: Step) -> Step:
    """The faster of two measurements of one step (a re-measure that timed out keeps the first)."""
    best = a.seconds if b.seconds is None else min(a.seconds, b.seconds)
    return Step(best, runs=a.runs + b.runs)


def _records():
    from pipeline.inputs import load_records

    return load_records(ROOT / "fixtures" / "scale_160.yaml")[0]


def _with_activities(records, n: int):
    """The fixture's activities repeated (fresh ids) until there are n of them."""
    base = records.activities
    acts = [a.model_copy(update={"id": f"{a.id}x{i // len(base)}"}) for i, a in
            enumerate(base[i % len(base)] for i in range(n))]
    return records.model_copy(update={"activities": acts})


def _styled(text: str, records) -> Callable[[], object]:
    """The style.* families alone, on a fresh context (they share clause splits through it)."""
    from pipeline.checks import FAMILIES
    from pipeline.checks.model import Context

    runs = [f.run for name, f in FAMILIES.items() if name.startswith("style.")]
    return lambda: [run(ctx) for ctx in [Context(text=text, records=records)] for run in runs]


def _checked(text: str, records) -> Callable[[], object]:
    from pipeline.checks import check
    from pipeline.checks.output import format_findings

    return lambda: format_findings(check(text, records), "草稿.md", text)


# Each case: (name, what one unit of size is, sizes, make(size) -> the callable to time)
def _cases(quick: bool):
    records = _records()
    heading = f"# {records.county}{records.year}年{records.campaign}工作总结\n\n"
    chars = (4_000, 16_000, 64_000) if quick else (4_000, 16_000, 64_000, 256_000)
    acts = (250, 1_000, 4_000) if quick else (250, 1_000, 4_000, 16_000)

    def line(piece: str, n: int) -> str:
        return heading + piece * (n // len(piece)) + "\n"

    yiershi = "一是"
    numbers = "开展宣传活动12场，发放资料3000份，参与群众1.2万人次，"
    quotes = "印发《关于开展民族团结进步宣传月活动的通知》，“新城街道”组织“石榴籽”宣讲，"
    years = "2023年、2022年以来，印发《2021年工作方案》，"  # consistency.year, per year
    run_on = "开展宣传活动12场发放资料3000份参与群众1.2万人次"  # one clause, no comma
    units = "县委统战部联合县民族宗教事务局在东城街道"

    def draft_lines(n: int) -> str:
        from pipeline import draft_document
        from pipeline.render import to_markdown

        body = to_markdown(draft_document(records)).split("\n")
        out, size = [], 0
        while size < n:
            for ln in body:
                out.append(ln)
                size += len(ln) + 1
                if size >= n:
                    break
        return "\n".join(out) + "\n"

    def huge_note(n: int):
        first = records.activities[0]
        note = ("群众反映宣传形式新颖，参与热情高，共收集意见建议12条。" * (n // 26 + 1))[:n]
        acts_ = [first.model_copy(update={"note": note}), *records.activities[1:]]
        return records.model_copy(update={"activities": acts_})

    def drafted(n: int):
        from pipeline.orchestrator import draft

        big = _with_activities(records, n)
        return lambda: draft(big)

    def validated(n: int):
        import yaml

        from pipeline.inputs import load_records

        big = _with_activities(records, n)
        path = Path(tempfile.mkdtemp()) / "big.yaml"
        path.write_text(yaml.safe_dump(big.model_dump(mode="json", exclude_defaults=True),
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
        return lambda: load_records(path)

    def list_lines(n: int) -> str:  # short lines of 、 lists: one line per clause would be fine
        return heading + ("新城街道、滨江街道、青龙镇、白石乡先后举办民族团结主题文艺演出，"
                          "发放宣传册、折页、挂图、手提袋等资料3000份，") * (n // 64) + "\n"

    def many_numbers(n: int) -> Callable[[], object]:
        # one note of n different numbers, copied into the draft: each figure of the draft
        # is held against the note's numbers (issue 14: index them by value)
        first = records.activities[0]
        note = "".join(f"第{k}片区走访群众{100 + k}户，" for k in range(n))
        acts_ = [first.model_copy(update={"note": note}), *records.activities[1:]]
        draft = heading + f"{first.date.month}月{first.date.day}日，{first.title}，{note}\n"
        return _checked(draft, records.model_copy(update={"activities": acts_}))

    note_draft = draft_lines(3_000)
    return [
        ("check 一行“一是”（无记录）", "字符", chars, lambda n: _checked(line(yiershi, n), None)),
        ("check 一行“一是”（有记录）", "字符", chars, lambda n: _checked(line(yiershi, n), records)),
        ("check 一行数字（有记录）", "字符", chars, lambda n: _checked(line(numbers, n), records)),
        ("check 一行引号书名号（有记录）", "字符", chars, lambda n: _checked(line(quotes, n), records)),
        ("check 一行年份（有记录）", "字符", chars, lambda n: _checked(line(years, n), records)),
        ("check 一行无逗号的数字（有记录）", "字符", chars, lambda n: _checked(line(run_on, n), records)),
        ("check 一行单位名（有记录）", "字符", chars, lambda n: _checked(line(units, n), records)),
        ("check 多行草稿（有记录）", "字符", chars, lambda n: _checked(draft_lines(n), records)),
        ("check 长备注记录", "备注字符", chars, lambda n: _checked(note_draft, huge_note(n))),
        ("check 长行草稿（记录中长备注）", "字符", chars,
         lambda n: _checked(line(numbers, n), huge_note(n))),
        ("check 备注含大量不同数字", "个数字", (250, 1_000, 4_000), many_numbers),
        ("style 多行草稿（风格族）", "字符", chars, lambda n: _styled(draft_lines(n), records)),
        ("style 一行顿号并列（风格族）", "字符", chars, lambda n: _styled(list_lines(n), records)),
        ("draft 多项活动", "项活动", acts, drafted),
        ("validate 大记录文件", "项活动", acts, validated),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 1 minute)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--budget", type=float, default=STEP_BUDGET,
                        help=f"CPU seconds after which a step is killed (default {STEP_BUDGET:.0f})")
    args = parser.parse_args(argv)
    budget = args.budget
    failed: list[str] = []
    print("负载（1/5/15 分钟）：" + _load())
    print(f"{'用例':<28}{'规模':>10}{'CPU 秒':>10}{'倍数':>8}{'次数':>7}")
    for name, unit, sizes, make in _cases(args.quick):
        if args.only and args.only not in name:
            continue

        def measure(size: int, make=make) -> Step:
            return run_step(lambda: make(size), repeat=REPEAT, budget=budget)

        previous: Step | None = None
        for i, size in enumerate(sizes):
            step = measure(size)
            if step.seconds is None:
                print(f"{name:<28}{size:>9,}{unit[0]}{'>' + format(budget, 'g'):>10}{'':>8}  超时",
                      flush=True)
                failed.append(f"{name} @ {size:,}{unit}：超过 {budget:g} 秒，已终止"
                              + ("，后续规模未测" if size != sizes[-1] else ""))
                break
            note = ""
            rounds = 0
            while previous is not None and _grew(previous, step) > RATIO_LIMIT and rounds < CONFIRM:
                # Over the gate: both sizes measured again in fresh children, each keeping
                # its best. Jitter does not come back every time; real growth does.
                previous = _better(previous, measure(sizes[i - 1]))
                step = _better(step, measure(size))
                rounds += 1
                note = f"  复测 {rounds} 次（上一步取 {previous.seconds:.3f}）"
            grew = None if previous is None else _grew(previous, step)
            ratio = "" if grew is None else f"{grew:.2f}×"
            bad = grew is not None and grew > RATIO_LIMIT
            print(f"{name:<28}{size:>9,}{unit[0]}{step.seconds:>10.3f}{ratio:>8}{step.runs:>7}"
                  f"{note}{'  超限' if bad else ''}", flush=True)
            if bad:
                failed.append(f"{name} @ {size:,}{unit}")
            previous = step
    print("负载（1/5/15 分钟）：" + _load())
    if failed:
        print("未通过（4 倍输入的时间超过 4.5 倍）：\n  " + "\n  ".join(failed))
        return 1
    print(f"通过：每一步 4 倍输入的时间都不超过 {RATIO_LIMIT} 倍")
    return 0


if __name__ == "__main__":
    sys.exit(main())
