"""headings.numbering: the heading numbers 一、→（一）→1.→（1） (no gap, repeat, skipped
level or wrong mark, GB/T 9704 7.3.3) and the run-in items 一是、二是、三是."""

from __future__ import annotations

import re

from pipeline.checks.model import Context
from pipeline.checks.structure import (
    finding,
    headings,
    inside,
    quoted_spans,
    title_index,
)
from pipeline.model.report import Finding
from pipeline.text.numerals import CN_NUMERAL, cn_numeral, cn_to_int

_LEVEL_NAMES = {0: "一、", 1: "（一）", 2: "1.", 3: "（1）"}

# 一是/二是 items, not the 一 of a word (统一是, 唯一是, 第一是, 之一是) nor the tail of a
# larger numeral (十一是 is read whole).
_ITEM = re.compile(rf"(?<![统唯惟同第十之万单专如归合均逐划不进一其择任每另再期初重二三四五六七八九])"
                   rf"(?P<n>{CN_NUMERAL})是")


def _mark_name(level: int, n: int) -> str:
    return {0: f"{cn_numeral(n)}、", 1: f"（{cn_numeral(n)}）", 2: f"{n}.", 3: f"（{n}）"}[level]


def check_numbering(ctx: Context) -> list[Finding]:
    lines = ctx.lines
    title = title_index(lines)
    every = headings(lines, title)
    hs = [h for h in every if h.level is not None]
    out: list[Finding] = []
    top = min((h.level for h in hs), default=0)
    last: list[tuple[int, int] | None] = [None] * 4  # per level: (number, line index)
    skipped_reported: set[tuple[int, int]] = set()
    heading_lines = {h.index for h in hs}
    unnumbered = {h.index for h in every if h.level is None}
    for h in hs:
        L = h.level
        if not h.good:
            out.append(finding("headings.numbering", "error", h.index, h.column, h.mark,
                               f"序号格式不规范：“{h.mark}”应写作“{_mark_name(h.level, h.number)}”"))
        missing = [k for k in range(top, L) if last[k] is None]
        if missing and (missing[0], L) not in skipped_reported:
            skipped_reported.add((missing[0], L))
            parent = _LEVEL_NAMES[missing[0]]
            where = "标题之下" if all(x is None for x in last) else "上一级标题之下"
            out.append(finding("headings.numbering", "error", h.index, h.column, h.mark,
                               f"序号层级跳过：{where}直接使用“{_LEVEL_NAMES[L]}”，缺少“{parent}”一级"))
        prev = last[L]
        expected = (prev[0] if prev else 0) + 1
        shown = _mark_name(L, h.number)
        if h.number != expected:
            if prev and h.number == prev[0]:
                msg = f"序号重复：“{shown}”在第{prev[1] + 1}行已经用过，此处应为“{_mark_name(L, expected)}”"
            elif h.number > expected:
                gap = "、".join(f"“{_mark_name(L, k)}”" for k in range(expected, h.number))
                msg = f"序号不连续：缺少{gap}"
            else:
                msg = f"序号顺序有误：此处应为“{_mark_name(L, expected)}”，草稿为“{shown}”"
            out.append(finding("headings.numbering", "error", h.index, h.column, h.mark, msg))
        last[L] = (h.number, h.index)
        for k in range(L + 1, 4):
            last[k] = None
    out += _items(lines, title, heading_lines | unnumbered)
    return out


# A line of thousands of items (a pasted list, a hostile draft) is read whole, but only this
# many of its numbering findings are listed: each is a report line a person reads and about
# 1 KB of memory, and the rest say the same thing.
PER_LINE = 20


def _items(lines: list[str], title: int | None, resets: set[int]) -> list[Finding]:
    """一是/二是/三是: consecutive within a paragraph, and a paragraph that starts at 二是
    continues the list of the paragraphs before it (up to the last heading)."""
    out: list[Finding] = []
    last: tuple[int, int] | None = None  # (number, line index) of the last item seen
    for i, line in enumerate(lines):
        if i == title:
            continue
        if i in resets:
            last = None
        if "是" not in line:
            continue
        quotes = None
        listed, unlisted = 0, []  # this line's findings listed, and the severities of the rest
        for m in _ITEM.finditer(line):
            if quotes is None:
                quotes = quoted_spans(line)
            if quotes and inside(quotes, m.start(), m.end()):
                continue
            n = cn_to_int(m.group("n"))
            if n == 1:
                if last and last[1] == i:  # may be a nested list: a warning
                    if listed < PER_LINE:
                        out.append(finding("headings.numbering", "warning", i, m.start() + 1, m.group(0),
                                           "条目序号重复：本段已有“一是”，此处又从“一是”开始"))
                    else:
                        unlisted.append("warning")
                    listed += 1
                last = (1, i)
                continue
            expected = (last[0] + 1) if last else 1
            if n != expected and listed >= PER_LINE:
                unlisted.append("error")
            elif n != expected:
                listed += 1
                shown = f"{cn_numeral(n)}是"
                if last is None:
                    msg = f"条目序号不连续：“{shown}”之前没有“一是”"
                elif n == last[0]:
                    msg = f"条目序号重复：“{shown}”出现两次，此处应为“{cn_numeral(expected)}是”"
                elif n > expected:
                    gap = "、".join(f"“{cn_numeral(k)}是”" for k in range(expected, n))
                    msg = f"条目序号不连续：“{cn_numeral(last[0])}是”之后缺少{gap}"
                else:
                    msg = f"条目序号顺序有误：此处应为“{cn_numeral(expected)}是”，草稿为“{shown}”"
                out.append(finding("headings.numbering", "error", i, m.start() + 1, m.group(0), msg))
            last = (n, i)
        if unlisted:
            severity = "error" if "error" in unlisted else "warning"
            out.append(finding("headings.numbering", severity, i, len(line), line[-1],
                               f"本行另有 {len(unlisted)} 处条目序号问题，只列出前 {PER_LINE} 处：请先改正上面几处"))
    return out
