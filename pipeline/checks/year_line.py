"""consistency.year's judgement of one year in one line: which other years a summary may
name (a range, a comparison, next year's plans, last year's higher-level document) and which
are a copied text's leftovers. Kept apart from consistency.py so each stays short."""

from __future__ import annotations

import re
from bisect import bisect_left

from pipeline.checks.structure import content_span, finding
from pipeline.model.report import Finding
from pipeline.text.titles import titles

_LOOKBACK = re.compile(r"(?:自|从|截至|截止|较|比|与|同|早在|始于|自从)\s*$")
_LOOKAHEAD = re.compile(r"\s*年?度?\s*(?:以来|来|起|至今|相比|同期|底|末|同比)")
_FUTURE = re.compile(r"(?<!现)将|计划|力争|明年|下一步|预计|打算|争取|目标")
_PLAN_DOC = re.compile(r"(?:通知|方案|要点|安排|计划)$")
_TITLE_LINE = re.compile(r"(?:工作总结|总结|工作报告|情况报告)$")
_OPENS = re.compile(r"年?[，,]")


def comparison(line: str, start: int, end: int) -> bool:
    """2023年以来, 与2023年相比, 自2021年起, 截至2023年底: the year is not the document's."""
    return bool(_LOOKBACK.search(line[max(0, start - 4):start]) or _LOOKAHEAD.match(line, end))


class Line:
    """What judge() asks of a whole line, worked out once per line: a line of thousands of
    years would otherwise be searched, copied and stripped once per year (quadratic)."""

    def __init__(self, line: str) -> None:
        self.text = line
        self.books = titles(line)
        self._starts = [b[0] for b in self.books]
        self.lead = len(line) - len(line.lstrip(" 　#*（(一二三四五六七八九十、）)"))
        self._future: bool | None = None
        self._stripped: str | None = None

    def book(self, s: int):
        k = bisect_left(self._starts, s) - 1  # the last title opening before s
        return self.books[k] if k >= 0 and s < self.books[k][1] else None

    def future(self) -> bool:
        if self._future is None:
            self._future = bool(_FUTURE.search(self.text))
        return self._future

    def stripped(self) -> str:
        if self._stripped is None:
            self._stripped = self.text[slice(*content_span(self.text))]
        return self._stripped


def judge(view: Line, i: int, s: int, e: int, Y: int, D: int, campaign: str | None,
           in_plans: bool) -> Finding | None:
    line = view.text
    book = view.book(s)
    if book:
        title = book[2]
        if _PLAN_DOC.search(title) and not (Y == D + 1 and in_plans):
            return finding("consistency.year", "error", i, book[0] + 1, f"《{title}》",
                           f"引用的《{title}》是{Y}年的工作安排，与本次总结的年份（{D}年）不符：疑为沿用往年文件")
        if Y == D - 1:  # a higher-level document of the year before: usual
            return None
        return finding("consistency.year", "warning", i, book[0] + 1, f"《{title}》",
                       f"引用的《{title}》标明{Y}年，与总结年份（{D}年）不同，请核实")
    if comparison(line, s, e):
        return None
    if Y == D + 1 and (in_plans or view.future()):
        return None
    after = line[e:e + 24]
    clause = re.split(r"[，。；：,;:、）)》”]", after, maxsplit=1)[0]
    if campaign and campaign in clause:
        shown = line[s:e + clause.index(campaign) + len(campaign)]
        return finding("consistency.year", "error", i, s + 1, shown,
                       f"“{shown}”与总结年份（{D}年）不符")
    stripped = view.stripped()
    if len(stripped) <= 40 and _TITLE_LINE.search(stripped):
        return finding("consistency.year", "error", i, s + 1, f"{Y}年",
                       f"标题式的一行写着{Y}年，与总结年份（{D}年）不符")
    if _OPENS.match(line, e) and s <= view.lead:
        # “2024年，本县……” opening a paragraph says when the summed-up work happened.
        return finding("consistency.year", "error", i, s + 1, f"{Y}年",
                       f"段首写“{Y}年”，与总结年份（{D}年）不符，疑为往年材料的残留")
    return finding("consistency.year", "warning", i, s + 1, f"{Y}年",
                   f"“{Y}年”与总结年份（{D}年）不同，请核实是否为往年材料的残留")
