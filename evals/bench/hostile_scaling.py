"""Benchmark: does every stage scale linearly with hostile input? (issue 14, "Quadratic work")

Run: python -m evals.bench.hostile_scaling [--quick] [--only NAME]
Gate: for every case and every 4× step of input the time grows at most 4.5×; exit 1 when a
step does not (or a case was cut off for taking too long), 0 when all do.

Every input is generated here, in-process, from the largest fixture: one long line of
一是/numbers/quotes (checked without and with records, printed as the CLI prints findings),
records with one huge note, a draft of many lines (checked whole, and by the style.*
families alone, as is one line of 、 lists), records of 250…16,000 activities (drafted and
validated from a file). Each case is timed at 4× steps. Each step runs in a child process
(evals/bench/bounded.py) that is killed once it has used STEP_BUDGET CPU seconds: the step is
reported as 超时, ends its case and fails the gate, so a quadratic stage cannot hang the
benchmark. Each time is the best of up to five runs (the machine is shared), CPU seconds of the child.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from evals.bench.bounded import run_step

ROOT = Path(__file__).resolve().parents[2]
RATIO_LIMIT = 4.5
STEP_BUDGET = 25.0  # CPU seconds: a step is killed here, and its case ends
TINY = 0.02  # seconds: below this a ratio is noise (timer and cache effects), not a trend


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
    print(f"{'用例':<28}{'规模':>10}{'CPU 秒':>10}{'倍数':>8}")
    for name, unit, sizes, make in _cases(args.quick):
        if args.only and args.only not in name:
            continue
        previous: float | None = None
        for size in sizes:
            step = run_step(lambda make=make, size=size: make(size), repeat=5, budget=budget)
            if step.seconds is None:
                print(f"{name:<28}{size:>9,}{unit[0]}{'>' + format(budget, 'g'):>10}{'':>8}  超时",
                      flush=True)
                failed.append(f"{name} @ {size:,}{unit}：超过 {budget:g} 秒，已终止"
                              + ("，后续规模未测" if size != sizes[-1] else ""))
                break
            seconds = step.seconds
            grew = None if previous is None else seconds / max(previous, TINY)
            ratio = "" if grew is None else f"{grew:.2f}×"
            bad = grew is not None and grew > RATIO_LIMIT
            print(f"{name:<28}{size:>9,}{unit[0]}{seconds:>10.3f}{ratio:>8}{'  超限' if bad else ''}",
                  flush=True)
            if bad:
                failed.append(f"{name} @ {size:,}{unit}")
            previous = seconds
    if failed:
        print("未通过（4 倍输入的时间超过 4.5 倍）：\n  " + "\n  ".join(failed))
        return 1
    print(f"通过：每一步 4 倍输入的时间都不超过 {RATIO_LIMIT} 倍")
    return 0


if __name__ == "__main__":
    sys.exit(main())
