"""Numbers that add up several activities: the counts and sums a careful clerk writes where
activities of one kind are said together.

- 9月2日至20日，新城街道、滨江街道、川东街道先后举办民族团结主题文艺演出3场，共观看群众
  1600余人: the count of the activities the sentence is about (its topic, by their title),
  and the sum of one figure over them;
- 宣传月期间，共开展各类活动12项，其中文艺展演5项、政策法规宣传4项，共发放宣传资料4500份:
  a sentence about no activity in particular, at the head of a part (一、…): the count of the
  activities the part reports, of those of one class (the outline classifier's, labelled in
  prompts/phrases.yaml `categories.*.label`), and the sum of one figure over them.

Run after every line is read, over the claims facts.number could not support: one pass over
the lines to find the parts and the activities each reports, then constant work per claim.
A count needs a word of aggregation before it (共, 其中, 先后, 分别 …), so a mistyped number in
an activity's own sentence is never taken for a count.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

from pipeline.checks import numbers as nb
from pipeline.checks.facts_number import value_ok
from pipeline.checks.facts_span import merged_span, named_span, tally_span
from pipeline.checks.facts_text import Claim, Line, titled
from pipeline.checks.index import Fact, FactIndex
from pipeline.outline import classify
from pipeline.resources import load_yaml

_PART = re.compile(r"^\s*(?:#+\s*)?[一二三四五六七八九十]+[、.．]")
_TOGETHER = ("先后", "分别", "共", "合计", "累计")
_TRIM = re.compile(r"(?:共计|共|累计|合计|达到|达|计)+$")
_CLAUSE = re.compile(r"[，,。；;：:、（(]")
_MAX_WHAT = 24  # the longest `what` looked for before a number
_TALLY_HEAD = re.compile(r"共开展([\u4e00-\u9fff]{2,8}?)活动(?=\d)")
_CLAUSE_END = re.compile(r"[，,。；;]")


def _labels() -> dict[str, str]:
    """label → class, longest label first."""
    cats = load_yaml("phrases.yaml")["categories"]
    pairs = [(spec["label"], name) for name, spec in cats.items() if spec.get("label")]
    return dict(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def _class_of(idx: FactIndex, rid: str) -> str:
    """The outline classifier's class of an activity, asked once per activity (every part
    and every sentence about several activities asks again)."""
    memo = idx.memo.setdefault("class", {})
    if rid not in memo:
        memo[rid] = classify(idx.acts[rid].act)
    return memo[rid]


class _Group:
    """Activities said together (a part, or one sentence's topic): how many of each class,
    and each figure's values by its `what`."""

    def __init__(self, idx: FactIndex, rids: set[str]) -> None:
        self.rids = rids & idx.acts.keys()
        self.whole = False  # the preamble's group: every activity of the records
        self.tally: _Group | None = None  # the activities the part reports on their day
        self.by_class: dict[str, list[str]] = {}
        self.figures: dict[str, list[tuple[float, str, bool]]] = {}
        for rid in sorted(self.rids):
            act = idx.acts[rid].act
            self.by_class.setdefault(_class_of(idx, rid), []).append(rid)
            for f in act.figures:
                if f.what:
                    value, unit = nb.base_unit(f.value, f.unit)
                    self.figures.setdefault(f.what, []).append((value, unit, f.approx))

    def total(self, trimmed: str, q: nb.Quantity) -> Fact | None:
        """The sum of the figure whose `what` (the longest) the text before the number ends
        with (its words of aggregation trimmed), over two or more of the activities."""
        for k in range(min(len(trimmed), _MAX_WHAT), 1, -1):
            items = [i for i in self.figures.get(trimmed[-k:], ()) if nb.same_unit(q.unit, i[1])]
            if len(items) >= 2:
                return Fact(nb.norm(sum(v for v, _, _ in items)), q.unit, "", "sum",
                            approx=any(a for _, _, a in items))
        return None


def _parts(idx: FactIndex, lines: list[Line]) -> dict[int, _Group]:
    """line number → the part (一、… to the next) it stands in, with the activities the
    part reports (by their title or quoted name: a figure or a date may be bound loosely).
    The lines before the first part (the preamble) get every activity of the records, marked
    `whole`."""
    spans: list[tuple[list[int], set[str], set[str]]] = [([], set(idx.acts), set(idx.acts))]
    for line in lines:
        if _PART.match(line.raw):
            spans.append(([], set(), set()))
        nos, rids, dated = spans[-1]
        nos.append(line.no)
        for (s0, s1), topic in zip(line.sentences, line.topic):
            if topic:
                mine = topic & titled(idx, line.raw[s0:s1])
                rids |= mine
                dated |= _on_their_day(idx, line.raw[s0:s1], mine)
    out: dict[int, _Group] = {}
    for i, (nos, rids, dated) in enumerate(spans):
        group = _Group(idx, rids)
        group.tally = _Group(idx, dated)
        group.whole = group.tally.whole = i == 0
        out.update((no, group) for no in nos)
    return out


def _on_their_day(idx: FactIndex, sentence: str, rids: set[str]) -> set[str]:
    """The activities a sentence reports: by their very title (此外，…还开展了…) or on
    their day (a date, a list of dates or a range that holds it). Those a tally counts: a
    stock sentence whose words merely resemble a title (将学习宣传月活动纳入年度重点工作)
    reports no activity."""
    named = {r for r in rids if idx.acts[r].act.title in sentence}
    rest = rids - named
    if not rest:
        return named
    days = []
    for d in nb.dates(sentence):
        if d.d1 is None:
            continue
        year = d.y1 or idx.records.year
        first = nb.to_date(year, d.m1, d.d1)
        last = nb.to_date(d.y2 or year, d.m2 or d.m1, d.d2) if d.d2 is not None else first
        if first and last:
            days.append((first, last))
    return named | {r for r in rest if any(a <= idx.acts[r].act.date <= b for a, b in days)}


def _count_ok(q: nb.Quantity, n: int, units: set[str]) -> bool:
    return q.unit in units and n > 0 and math.isclose(q.value, n) and not q.mark


def _measures(idx: FactIndex, rids: set[str], head: str) -> set[str]:
    """The measure words a count of these activities is said in: their classes'
    (phrases.yaml categories.*.measure: 文艺演出3场, 走访慰问5次), and 项 after a word for
    activities (开展…活动3项), never after the activity's own object (走访慰问困难家庭3项)."""
    cats = load_yaml("phrases.yaml")["categories"]
    own = {cats[_class_of(idx, r)].get("measure") or "项" for r in rids}
    return own | {"项"} if head.endswith(_ACTIVITY_WORDS) else own


_ACTIVITY_WORDS = ("活动", "工作", "项目", "行动")


def _trimmed(raw: str, start: int, end: int) -> str:
    """The last _MAX_WHAT characters of _TRIM.sub("", raw[start:end]), read from a window
    before end that grows only while the trimmed run reaches its first two characters (a
    run of 1–2 character words that starts earlier would show within them)."""
    width = 4 * _MAX_WHAT
    while True:
        lo = max(start, end - width)
        text = raw[lo:end]
        m = _TRIM.search(text)
        if lo == start or m is None or m.start() >= 2:
            return (text[:m.start()] if m else text)[-_MAX_WHAT:]
        width *= 4


def _supported(idx: FactIndex, line: Line, c: Claim, part: _Group, labels: dict[str, str],
               topics: dict) -> list[str] | None:
    """The records that support the claim's number as a count or a sum; None when none.
    Words before the number are looked up by position in the line (Line.has, last_mark),
    never by copying the sentence's head, so a long sentence of numbers stays linear."""
    qs = nb.quantities(line.raw[c.start:c.end])
    if not qs:
        return None
    q = qs[0]
    si = line.sentence_of(c.start)
    s0 = line.sentences[si][0]
    head = line.raw[max(s0, c.start - 2 * _MAX_WHAT):c.start]  # for the words it ends with

    def said(*words: str) -> bool:
        return any(line.has(w, s0, c.start) for w in words)

    def in_clause(word: str) -> bool:
        return line.has(word, line.last_mark(_CLAUSE, line.raw, s0, c.start), c.start)

    topic = line.topic[si]
    if len(topic) >= 2:
        key = ("titled", line.no, si)
        if key not in topics:
            topics[key] = titled(idx, line.raw[s0:line.sentences[si][1]])
        topic = topic & topics[key]
    if len(topic) >= 2:  # a sentence about several activities of one title
        if _count_ok(q, len(topic), _measures(idx, topic, head)) and said(*_TOGETHER):
            return sorted(topic)
        key = (line.no, si)
        if key not in topics:
            topics[key] = _Group(idx, topic)
        total = topics[key].total(_trimmed(line.raw, s0, c.start), q)
        if total is not None and said(*_TOGETHER) and value_ok(q, total):
            return sorted(topic)
        return None
    if topic or not part.rids or not said("共", "其中", "合计", "累计"):
        return None
    bare = head[:-2] if head.endswith("活动") else head
    label = next((lb for lb in labels if head.endswith(lb) or bare.endswith(lb)), None)
    if label is not None and (said("其中") or in_clause("共")):
        members = part.by_class.get(labels[label], [])
        return list(members) if _count_ok(q, len(members), {"项"}) else None
    if head.endswith("活动") and in_clause("共") and _count_ok(q, len(part.rids), {"项"}):
        return sorted(part.rids)
    total = part.total(_trimmed(line.raw, s0, c.start), q)
    if total is not None and value_ok(q, total):
        return sorted(part.rids)
    return None


def _tally_items(line: Line, s0: int, s1: int, labels: dict[str, str]) -> list[tuple[str, int, int]] | None:
    """The counts of a tally sentence, (label or "", start, end) each: 共开展各类活动N项，
    其中A类n项、B类m项 (every item after 其中 a class label) or 共开展A类活动N项. None when
    the sentence is not of that shape: its numbers are left to the other steps."""
    text = line.raw[s0:s1]
    m = _TALLY_HEAD.search(text)
    if m is None or (m.group(1) != "各类" and m.group(1) not in labels):
        return None
    qs = nb.quantities(text[m.end():])
    if not qs or qs[0].start != 0 or qs[0].mark or qs[0].ordinal:
        return None
    head_end = m.end() + qs[0].end
    out = [("" if m.group(1) == "各类" else m.group(1), s0 + m.end(), s0 + head_end)]
    rest = text[head_end:]
    if not rest.startswith("，其中"):
        return out if out[0][0] else None  # 各类活动N项 alone may be any total: not decided here
    pos = head_end + 3
    clause = _CLAUSE_END.split(text[pos:], maxsplit=1)[0]
    for item in clause.split("、"):
        iq = nb.quantities(item)
        label = item[:iq[0].start] if iq else ""
        if not iq or iq[0].end != len(item) or label not in labels or iq[0].mark:
            return None  # 其中少数民族群众300人: a figure, not a class count
        out.append((label, s0 + pos, s0 + pos + len(item)))
        pos += len(item) + 1
    return out


def _within(starts: list[int], a: int, b: int) -> list[int]:
    """The claim starts in [a, b), from the sorted starts by bisection: a long line of
    tally sentences does not rescan every claim of the line for each item."""
    return starts[bisect_left(starts, a):bisect_left(starts, b)]


def _decide_tally(idx: FactIndex, line: Line, items, part: _Group, labels: dict[str, str],
                  claims: dict[int, Claim], starts: list[int]) -> None:
    """Every count of a tally sentence is a count of the part's activities (of the whole
    records' in the preamble), all in the total's measure word: a count that some record's
    figure happens to equal (宣讲培训3项 beside a figure of 3项) is still the wrong count."""
    scope = "记录" if part.whole else "本部分所写"
    total_unit = None
    for label, a, b in items:
        at = _within(starts, a, b)
        c = claims[at[0]] if at else None
        q = nb.quantities(line.raw[a:b])
        if c is None or not q:
            continue
        q = q[-1]
        members = sorted(part.by_class.get(labels[label], [])) if label else sorted(part.rids)
        kind = f"{label}类活动" if label else "活动"
        total_unit = total_unit or q.unit
        span = line.raw[a:b] if a != items[0][1] else f"{label or '各类'}活动{line.raw[a:b]}"
        if q.unit != total_unit or q.unit not in _measures(idx, set(members), "活动"):
            c.ok, c.records = False, members
            c.message = (f"“{span}”的量词与合计不符：各类活动的合计与其中各项同以“{total_unit or '项'}”计"
                         f"（{scope}的{kind}为{len(members)}项）")
        elif _count_ok(q, len(members), {q.unit}):
            c.ok, c.message, c.records = True, "", members
        else:
            c.ok, c.records = False, members
            c.message = f"“{span}”与记录不符：{scope}的{kind}为{len(members)}项（{'、'.join(members[:8])}）"


def _tallies(idx: FactIndex, lines: list[Line], claims: list[Claim], parts, labels) -> set[int]:
    """Decide the counts (and the opening date range) of every tally sentence; the ids of
    the number claims decided."""
    by_line: dict[int, dict[int, Claim]] = {}
    days: dict[int, list[Claim]] = {}
    for c in claims:
        if c.family == "facts.number":
            by_line.setdefault(c.line, {})[c.start] = c
        elif c.family == "facts.date" and c.ok:
            days.setdefault(c.line, []).append(c)
    decided: set[int] = set()
    for line in lines:
        named_span(idx, line, days.get(line.no, ()), parts, labels)
        if line.no in days and ("先后" in line.raw or "分别" in line.raw):
            merged_span(idx, line, days[line.no])
        mine = by_line.get(line.no)
        if not mine or "共开展" not in line.raw:
            continue
        starts = sorted(mine)  # the line's number claims stand in this order
        for si, (s0, s1) in enumerate(line.sentences):
            items = None if line.topic[si] else _tally_items(line, s0, s1, labels)
            if items:
                part = parts()[line.no].tally
                _decide_tally(idx, line, items, part, labels, mine, starts)
                decided |= {id(mine[s]) for _, a, b in items for s in _within(starts, a, b)}
                for c in days.get(line.no, ()):
                    if s0 <= c.start < items[0][1]:
                        tally_span(idx, line, c, part)
            elif not line.topic[si] and (at := _part_count(line, s0, s1, part := parts()[line.no].tally)):
                for c in days.get(line.no, ()):
                    if s0 <= c.start < at:
                        tally_span(idx, line, c, part)
    return decided


def _part_count(line: Line, s0: int, s1: int, part: _Group) -> int | None:
    """Where 共开展各类活动N项 (…，涵盖走访服务、体育活动) starts when N is the part's own
    count: its opening range is then the part's, as in a tally with 其中."""
    m = _TALLY_HEAD.search(line.raw, s0, s1)
    qs = nb.quantities(line.raw[m.end():s1]) if m and m.group(1) == "各类" else []
    return m.start() if qs and qs[0].start == 0 and _count_ok(qs[0], len(part.rids), {"项"}) else None


def rescue(idx: FactIndex, lines: list[Line], claims: list[Claim]) -> None:
    """Decide the counts of tally sentences, then mark as supported the facts.number claims
    that are counts or sums of the activities their sentence or part is about."""
    found: list[dict[int, _Group]] = []

    def parts() -> dict[int, _Group]:  # one pass over the lines, only when needed
        if not found:
            found.append(_parts(idx, lines))
        return found[0]

    labels = _labels()
    decided = _tallies(idx, lines, claims, parts, labels)
    failed = [c for c in claims if not c.ok and c.family == "facts.number" and id(c) not in decided]
    if not failed:
        return
    by_no = {line.no: line for line in lines}
    topics: dict = {}
    for c in failed:
        records = _supported(idx, by_no[c.line], c, parts()[c.line], labels, topics)
        if records is not None:
            c.ok, c.message, c.records = True, "", records
