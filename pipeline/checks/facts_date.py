"""facts.date: every date in the draft is an activity's date or end date, a day inside an
activity's range, the period's start or end, the issue date, or a date standing in a
record's text. A month alone (9月, 2024年9月) must be a month the records cover.

A date in a sentence that is about a particular activity (its title or quoted name is
there) must be that activity's date; the campaign period stated with the campaign's
name must be the recorded period.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.checks import numbers as nb
from pipeline.checks.facts_text import Claim, Line
from pipeline.checks.index import FactIndex, grams
from pipeline.text.dates import cn_date, cn_date_range

_PERIOD_WORDS = ("宣传月", "教育月", "活动月", "宣传周", "进步周", "活动周", "活动期间", "期间")


def _years(idx: FactIndex) -> list[int]:
    r = idx.records
    ys = [r.year]
    if r.period:
        ys += [r.period.start.year, r.period.end.year]
    if r.date:
        ys.append(r.date.year)
    return list(dict.fromkeys(ys))


def _known(idx: FactIndex, day: dt.date) -> bool:
    return day in idx.inside or day in idx.fixed_days or day in idx.text_days


def _owner_about(idx: FactIndex, day: dt.date, sentence: str, topic: set[str]) -> bool:
    """The day is an activity's own date and the sentence names that activity too, by a
    unit or place few activities share or by much of its title (9月9日、9月28日，区民宗局
    分别联合区人民医院、区卫生健康局开展义诊和健康知识宣讲). An activity that merely shares
    a topic activity's title does not count."""
    titles = {idx.acts[r].act.title for r in topic}
    gs = grams(sentence) - {g for r in topic for g in idx.acts[r].title_grams}  # what the topic leaves
    topic_names = [n for r in topic for n in idx.acts[r].names]
    canon = None
    for rid in idx.day_rids.get(day, ()):
        info = idx.acts[rid]
        if info.act.title in titles:
            continue
        total = sum(info.title_grams.values()) or 1
        if sum(w for g, w in info.title_grams.items() if g in gs) / total >= 0.45:
            return True
        rare = [n for n in info.names if len(n) >= 3 and idx.name_df.get(n, 0) <= 2
                and not any(n in t for t in topic_names)]  # names the topic shares do not count
        if rare:
            canon = canon or idx.canonical(sentence)
            if any(n in canon for n in rare):
                return True
    return False


def _nearest(idx: FactIndex, day: dt.date, rids: set[str] | None, with_year: bool = False) -> tuple[str, str]:
    """(rid, what it says) of the recorded date closest to `day`."""
    options: list[tuple[dt.date, str, str]] = []
    for rid, info in idx.acts.items():
        if rids and rid not in rids:
            continue
        a = info.act
        label = cn_date_range(a.date, a.end_date, with_year)
        for d in (a.date, a.end_date or a.date):
            options.append((d, rid, f"{label}（{a.title}）"))
    if not rids:
        r = idx.records
        if r.period:
            label = f"{cn_date_range(r.period.start, r.period.end, True)}（活动期间）"
            options += [(r.period.start, "period", label), (r.period.end, "period", label)]
        if r.date:
            options.append((r.date, "date", f"{cn_date(r.date, True)}（成文日期）"))
    if not options:
        return "", ""
    best = min(options, key=lambda o: abs((o[0] - day).days))
    return best[1], best[2]


def _days_of(d: nb.DateSpan, idx: FactIndex) -> tuple[list, list]:
    """Candidate dates for each end of the span (the year may be left out)."""
    firsts, lasts = [], []
    for y in ([d.y1] if d.y1 else _years(idx)):
        first = nb.to_date(y, d.m1, d.d1) if d.d1 else None
        if first:
            firsts.append(first)
        if d.d2 is not None:
            last = nb.to_date(d.y2 or y, d.m2 or d.m1, d.d2)
            if last:
                lasts.append(last)
    return firsts, lasts


def check_date(idx: FactIndex, line: Line, d: nb.DateSpan) -> Claim:
    span = line.raw[d.start:d.end]
    claim = Claim("facts.date", line.no, d.start, d.end, True)
    si = line.sentence_of(d.start)
    s0, s1 = line.sentences[si]
    sentence = line.raw[s0:s1]
    topic = line.topic[si]
    if d.d1 is None:  # months only
        return _check_months(idx, claim, span, d)
    firsts, lasts = _days_of(d, idx)
    if not firsts or (d.d2 is not None and not lasts):
        return _fail(claim, [], f"“{span}”不是有效的日期")
    if lasts and not (d.m2 and d.m2 < d.m1) and not any(a < b for a, b in zip(firsts, lasts)):
        return _fail(claim, [], f"“{span}”不是有效的日期范围：结束日期不晚于开始日期")
    if d.d2 is None and re.match(r"\s*(?:起|开始)", line.raw[d.end:d.end + 3]):
        # 自9月5日起开设专栏: the start of something, so an activity's first day
        starts = {idx.acts[r].act.date for r in topic} if topic else set(idx.day_rids) | set(idx.fixed_days)
        if not any(x in starts for x in firsts):
            rid, says = _nearest(idx, firsts[0], topic or None)
            return _fail(claim, [rid] if rid else [], f"“{span}”与记录不符：{rid} 记录为{says}")
    issued = idx.records.date
    if issued and d.d2 is None and not line.raw[:d.start].strip(" #*") and not line.raw[d.end:].strip(" *"):
        # a line that is a date alone is the signature's: the records' 成文日期
        if issued not in firsts:
            return _fail(claim, ["date"], f"落款日期“{span}”与记录不符：成文日期记录为{cn_date(issued, True)}")
        claim.records = ["date"]
        return claim
    period = idx.records.period
    if period and period.start in firsts and period.end in lasts:
        claim.records = ["period"]
        return claim
    if topic and d.d2 is not None and lasts and not _range_of_topic(idx, firsts, lasts, topic):
        rid = sorted(topic)[0]
        _, says = _nearest(idx, firsts[0], {rid})
        return _fail(claim, [rid], f"“{span}”与记录不符：{rid} 记录为{says}")
    ends = [firsts] + ([lasts] if d.d2 is not None else [])
    cands = _unsupported_end(idx, ends, topic, sentence)
    if cands is not None:
        rid, says = _nearest(idx, cands[0], topic or None, bool(d.y1))
        return _fail(claim, [rid] if rid else sorted(topic),
                     f"“{span}”与记录不符：{rid} 记录为{says}" if rid else f"“{span}”在记录中找不到依据")
    campaign = idx.records.campaign or "\0"
    if period and d.d2 is not None and not topic and (
            campaign in sentence or any(w in sentence for w in _PERIOD_WORDS)):
        if (period.start in firsts or period.end in lasts) and not (
                period.start in firsts and period.end in lasts):
            return _fail(claim, ["period"], f"“{span}”与记录不符：活动期间记录为"
                                            f"{cn_date_range(period.start, period.end, True)}")
    for x in firsts:
        claim.rids |= idx.day_rids.get(x, set()) & (topic or set())
    claim.records = sorted(claim.rids) or sorted(
        {idx.fixed_days.get(firsts[0], "")} - {""}) or sorted(idx.inside.get(firsts[0], set()))[:1]
    return claim


def _fail(claim: Claim, records: list[str], message: str) -> Claim:
    claim.ok, claim.records, claim.message = False, records, message
    return claim


def _check_months(idx: FactIndex, claim: Claim, span: str, d: nb.DateSpan) -> Claim:
    """9月, 2024年9月至10月: every month named must be one the records cover."""
    year = d.y1 or idx.records.year
    months = [(year, d.m1)] + ([(d.y2 or year, d.m2)] if d.m2 else [])
    if all(m in idx.months for m in months):
        return claim
    covered = "、".join(f"{y}年{m}月" for y, m in sorted(idx.months))
    return _fail(claim, ["period"] if idx.records.period else [],
                 f"“{span}”不在记录的时间范围内：记录的活动在{covered}")


def _range_of_topic(idx: FactIndex, firsts: list, lasts: list, topic: set[str]) -> bool:
    """A range about an activity is that activity's range, or spans several activities
    (from one's start to another's start or end)."""
    spans = {(idx.acts[r].act.date, idx.acts[r].act.end_date or idx.acts[r].act.date) for r in topic}
    starts = {a for a, _ in spans}
    stops = {b for _, b in spans} | {a for a, _ in spans}
    pairs = [(a, b) for a in firsts for b in lasts if a < b]
    return any(p in spans or (p[0] in starts and p[1] in stops) for p in pairs)


def _unsupported_end(idx: FactIndex, ends: list[list], topic: set[str], sentence: str) -> list | None:
    """The first end of the span (the candidates for its first day, then its last) that no
    record supports: a topic activity's day, or any recorded day when there is no topic."""
    topic_days = set()
    for rid in topic:
        topic_days |= idx.acts[rid].days

    def ok(day: dt.date) -> bool:
        if topic:
            return day in topic_days or _owner_about(idx, day, sentence, topic)
        return _known(idx, day)

    return next((cands for cands in ends if not any(ok(x) for x in cands)), None)
