"""The date range a sentence about several activities opens with (facts_tally's tallies,
先后开展 parts and merged sentences): it must hold the activities it speaks of, and a
tally's must run from the first of them to the last."""

from __future__ import annotations

import re
from typing import Protocol

from pipeline.checks import numbers as nb
from pipeline.checks.facts_text import Claim, Line, titled
from pipeline.checks.index import FactIndex
from pipeline.text.dates import cn_date_range


class Part(Protocol):
    """What a range is checked against: the activities a part (or the preamble, `whole`)
    reports (facts_tally's groups, which call in here)."""
    rids: set[str]
    whole: bool


def _range(idx: FactIndex, text: str) -> tuple | None:
    """The (first, last) days a range claim says (a part may be None: 9月31日); None when
    the claim is one day, not a range."""
    spans = nb.dates(text)
    if not spans or spans[0].d2 is None:
        return None
    d = spans[0]
    year = d.y1 or idx.records.year
    return nb.to_date(year, d.m1, d.d1 or 0), nb.to_date(d.y2 or year, d.m2 or d.m1, d.d2)


def tally_span(idx: FactIndex, line: Line, c: Claim, part: Part) -> None:
    """9月4日至29日，…共开展各类活动23项: the range a tally opens with runs from the first
    day of the part's activities to the last."""
    acts = [idx.acts[r].act for r in part.rids]
    said = _range(idx, line.raw[c.start:c.end])
    if not acts or said is None:
        return
    first, last = min(a.date for a in acts), max(a.end_date or a.date for a in acts)
    if said != (first, last):
        scope = "记录" if part.whole else "本部分所写"
        c.ok, c.records = False, sorted(part.rids)[:8]
        c.message = (f"“{line.raw[c.start:c.end]}”与记录不符：{scope}的活动从"
                     f"{cn_date_range(first, last)}")


_NAMED = re.compile(r"先后开展([\u4e00-\u9fff、]{2,60}?)活动[。；]")


def named_span(idx: FactIndex, line: Line, days, parts, labels: dict[str, str]) -> None:
    """9月4日至29日，…先后开展校园教育和文艺展演活动 (a part of two or three activities
    named by kind, not counted): its opening range is the part's, as in a tally."""
    if "先后开展" not in line.raw:
        return
    for m in _NAMED.finditer(line.raw):
        kinds = re.split(r"、|和", m.group(1))
        if not all(k in labels or f"{k}活动" in labels for k in kinds):
            continue
        s0 = line.sentences[line.sentence_of(m.start())][0]
        for c in days:
            if s0 <= c.start < m.start():
                tally_span(idx, line, c, parts()[line.no].tally)


def merged_span(idx: FactIndex, line: Line, days: list[Claim]) -> None:
    """9月2日至5日，金城街道、新城街道…先后召开工作安排会6场: the range a sentence about
    several activities opens with holds every one of them. (A wider range, 9月1日至30日 for
    the month, is a clerk's choice; a start after the first of them is not.)"""
    for si, (s0, s1) in enumerate(line.sentences):
        topic = line.topic[si]
        if len(topic) < 2:
            continue
        sentence = line.raw[s0:s1]
        at = min((i for i in (sentence.find("先后"), sentence.find("分别")) if i >= 0), default=-1)
        opening = [c for c in days if s0 <= c.start < s0 + at]
        if at < 0 or not opening:
            continue
        topic = topic & titled(idx, sentence)
        if len(topic) < 2:
            continue
        for c in opening:
            said = _range(idx, line.raw[c.start:c.end])
            if said is None:
                continue
            acts = [idx.acts[r].act for r in topic]
            first, last = min(a.date for a in acts), max(a.end_date or a.date for a in acts)
            if None in said or not (said[0] <= first and last <= said[1]):
                c.ok, c.records = False, sorted(topic)[:8]
                c.message = (f"“{line.raw[c.start:c.end]}”与记录不符：本句所写的{len(topic)}项活动"
                             f"从{cn_date_range(first, last)}")
