"""facts.number: every quantity in the draft against the records' figures, totals, sums,
the count of activities and the numbers standing in record texts.

A quantity is held against, in order:
1. the figure whose `what` stands right before it (发放宣传资料2300份 binds to that figure;
   among the figures of the sentence's activities when it has some);
2. the words around it: a record text's number is bound by its neighbours (解决5条,
   68个嘎查村), and among several numbers of one activity by the `what` the clause shares;
3. the figures and text numbers of the activities its sentence is about (by title, quoted
   name or date; a sentence naming none inherits the one before it in the paragraph);
4. totals and sums of one `what` where the clause speaks of an aggregate (共, 累计, 全县 …),
   and the count of activities where it speaks of 活动;
5. any record, when the sentence is about no activity in particular, or names the
   record's activity loosely (a unit or place few activities share).
余/多/以上 need an approximate record or a round number below it (52 → 50余); 近 a round
number above it; 约/左右 either.
"""

from __future__ import annotations

import math
import re

from pipeline.checks import numbers as nb
from pipeline.checks.facts_text import Claim, Line
from pipeline.checks.index import Fact, FactIndex, grams

_CLAUSE_SIGHT = 200  # characters; the longest clause of the handwritten texts and the 2022 sample is 89
_AGGREGATE = re.compile(r"共|累计|合计|总计|总|全年|各类|全[县区旗市镇乡州]|全街道|期间")
_BEFORE_TRIM = re.compile(r"(?:共计|共|累计|合计|总计|达到|达|计|为|有|分别为|近|约|逾|超过)+$")
_CLAUSE_START = re.compile(r"[，,。；;：:！？!?（(、]")


def _is_trunc(d: float, r: float) -> bool:
    """d is r rounded down to a round number: 50 for 52, 12000 for 12600."""
    if not 0 < d < r:
        return False
    k = 10
    while k <= d:
        if d % k == 0 and r - d < k:
            return True
        k *= 10
    return False


def _is_ceil(d: float, r: float) -> bool:
    """d is r rounded up to a round number: 1000 for 980, 60 for 56."""
    if not d > r > 0:
        return False
    k = 10
    while k <= d:
        if d % k == 0 and d - r < k and d - r <= 0.2 * d:
            return True
        k *= 10
    return False


def value_ok(q: nb.Quantity, f: Fact) -> bool:
    d, r = q.value, f.value
    if q.mark == "more":
        return (f.approx and nb.same(d, r)) or _is_trunc(d, r)
    if q.mark == "near":
        return (f.approx and nb.same(d, r)) or _is_ceil(d, r)
    if q.mark == "about":
        return nb.same(d, r) or _is_trunc(d, r) or _is_ceil(d, r)
    return nb.same(d, r)


def _unit_ok(q: nb.Quantity, f: Fact) -> bool:
    if q.unknown_unit:  # a word not in the measure-word list: only a record using it fits
        return f.unit == q.written_unit or f.unit.startswith(q.written_unit)
    if not q.unit:
        return True  # a bare number: the value must still be recorded
    return nb.same_unit(q.unit, f.unit)


def _rids(f: Fact) -> list[str]:
    return list(f.members) if f.members else [f.rid]


def _in(f: Fact, ctx: set[str]) -> bool:
    return any(r in ctx for r in _rids(f))


def _says(f: Fact) -> str:
    if f.kind == "text":
        return f"{f.rid} 的记录文字为“{f.shown}”"
    if f.kind == "count":
        return f"记录共有活动{f.shown}"
    if f.kind == "sum":
        return f"{'、'.join(f.members)} 的“{f.what}”合计为{f.shown[2:]}"
    return f"{f.rid} 记录为{f.shown}（{f.what}）"


def _closest(q: nb.Quantity, facts: list[Fact]) -> Fact | None:
    if not facts:
        return None
    def dist(f: Fact) -> tuple:
        same = 0 if nb.same_unit(q.unit, f.unit) else 1
        ratio = abs(math.log((q.value + 1) / (f.value + 1)))
        return (same, ratio)
    return min(facts, key=dist)


def _longest_what(idx: FactIndex, min_len: int, fits) -> list[Fact]:
    """The facts of the longest `what` (at least min_len characters) that `fits` accepts."""
    best: list[Fact] = []
    best_len = 0
    for what, facts in idx.by_what.items():
        if len(what) >= min_len and len(what) > best_len and fits(what):
            best, best_len = facts, len(what)
    return best


def _bound(idx: FactIndex, before: str) -> list[Fact]:
    """Facts whose `what` the text right before the number ends with (longest what)."""
    trimmed = _BEFORE_TRIM.sub("", before)  # 发放宣传资料共计2300份; but 村规民约 keeps its 约
    return _longest_what(idx, 2, lambda w: before.endswith(w) or trimmed.endswith(w))


def _bound_in_clause(idx: FactIndex, before: str) -> list[Fact]:
    """Facts whose `what` (a verb phrase of 4+ characters) stands earlier in the number's
    clause: 走访慰问少数民族困难群众15户 binds to the figure 走访慰问 15户, the form a
    careful clerk writes (verb, object, number) instead of echoing the verb."""
    parts = _CLAUSE_START.split(before)
    clause = parts[-1] if len(parts) > 1 else ""  # a clause that started within sight
    return _longest_what(idx, 4, lambda w: w in clause)


def _of_sentence(line: Line, si: int, what: str, make) -> object:
    """make(sentence), computed once per sentence of the line: a long sentence of many
    numbers is neither copied nor read again for each of them."""
    key = (what, si)
    if key not in line.per_sentence:
        s0, s1 = line.sentences[si]
        line.per_sentence[key] = make(line.raw[s0:s1])
    return line.per_sentence[key]


def _weakly_about(idx: FactIndex, f: Fact, line: Line, si: int) -> bool:
    """The sentence names one of the activity's distinctive units or places (one that few
    activities share), or shares most of the figure's `what`: a hand-written sentence may
    name an activity without its title."""
    gs = _of_sentence(line, si, "grams", grams)
    canon = None
    for rid in _rids(f):
        info = idx.acts.get(rid)
        if info is None:
            continue
        rare = [n for n in info.names if len(n) >= 3 and idx.name_df.get(n, 0) <= 2]
        if rare:
            canon = canon or _of_sentence(line, si, "canonical", idx.canonical)
            if any(n in canon for n in rare):
                return True
    what = grams(f.what)
    return bool(what) and len(what & gs) >= max(2, (len(what) + 1) // 2)


def _message_mismatch(span: str, q: nb.Quantity, f: Fact) -> str:
    if q.mark == "more" and nb.same(q.value, f.value) and not f.approx:
        return f"“{span}”与记录不符：{_says(f)}，是确数，不能写成约数“余/多”"
    return f"“{span}”与记录不符：{_says(f)}"


def _fail(claim: Claim, message: str, records: list[str]) -> Claim:
    claim.ok, claim.message, claim.records = False, message, records
    return claim


def _ordinal(idx: FactIndex, q: nb.Quantity, span: str, ctx: set[str], claim: Claim) -> Claim:
    cands = [f for f in idx.ordinals if nb.same_unit(q.unit, f.unit)]
    hit = [f for f in cands if nb.same(f.value, q.value)]
    if hit:
        claim.records, claim.rids = [hit[0].rid], {hit[0].rid}
        return claim
    near = _closest(q, [f for f in cands if _in(f, ctx)] or cands)
    if near is None:
        return _fail(claim, f"“{span}”在记录中找不到依据：记录中没有这一序数", sorted(ctx))
    return _fail(claim, f"“{span}”与记录不符：{_says(near)}", [near.rid])


def _by_description(idx, q, span, ctx, line, clause, facts, claim) -> Claim | None:
    """Steps 1–2: what the words around the number say it is. Returns the decided claim,
    or None when the words bind the number to nothing in particular."""
    bound = (_bound(idx, line.raw[max(0, q.start - 24):q.start])
             or _bound_in_clause(idx, line.raw[max(0, q.start - 40):q.start]))
    if bound and not any(_unit_ok(q, f) or nb.same(f.value, q.value) for f in bound):
        bound = []  # 开展各类活动22项 beside a total of 96场次: another count, decided below
    if bound:
        topic = line.topic[line.sentence_of(q.start)]
        local = [f for f in bound if _in(f, topic)] or [f for f in bound if _in(f, ctx)]
        if local:  # the figure of this sentence's activity, or a total said as one
            bound = local + [f for f in bound if f.kind in ("total", "sum")]
        good = [f for f in bound if _unit_ok(q, f) and value_ok(q, f)]
        if good:
            pick = good[0]
            claim.records, claim.rids = _rids(pick), set(_rids(pick)) if pick.kind == "figure" else set()
            return claim
        near = min(bound, key=lambda f: (not _unit_ok(q, f), abs(f.value - q.value)))
        return _fail(claim, _message_mismatch(span, q, near), _rids(near))
    before = _BEFORE_TRIM.sub("", line.raw[max(0, q.start - 8):q.start])
    after = line.raw[q.end:q.end + 2]

    def near(f: Fact) -> bool:
        return bool((f.lead and before.endswith(f.lead)) or (f.tail and after.startswith(f.tail)))

    if q.mark is None and isinstance(q.value, int):
        # A plain integer fits only a text number of that value: those are looked up by
        # value, and the scan below is left for numbers no such text number explains.
        same = [f for f in idx.text_facts_of_value(ctx, q.value) if near(f)]
        fits = [f for f in same if _unit_ok(q, f)]
        if fits:  # 居民312人 as the note says it
            claim.records, claim.rids = _rids(fits[0]), set(_rids(fits[0]))
            return claim
        if same:  # 11个乡镇 in the note, 11条乡镇 here
            return _fail(claim, _message_mismatch(span, q, same[0]), _rids(same[0]))
    near_text = [f for f in idx.facts_about(ctx) if f.kind == "text" and near(f)]
    led = [f for f in near_text if _unit_ok(q, f)]
    changed = [f for f in near_text if not _unit_ok(q, f) and nb.same(f.value, q.value)]
    if changed and not any(value_ok(q, f) for f in led):  # 11个乡镇 in the note, 11条乡镇 here
        return _fail(claim, _message_mismatch(span, q, changed[0]), _rids(changed[0]))
    fits = [f for f in led if value_ok(q, f)]
    if fits:  # 居民312人 as the note says it
        claim.records, claim.rids = _rids(fits[0]), set(_rids(fits[0]))
        return claim
    if led:  # 解决5条 in the note, 解决2条 here
        near = min(led, key=lambda f: abs(f.value - q.value))
        return _fail(claim, _message_mismatch(span, q, near), _rids(near))
    local = [f for f in facts if f.kind in ("figure", "text") and _in(f, ctx) and _unit_ok(q, f)]
    if len({f.value for f in local}) > 1:  # which of this activity's numbers is it?
        words = grams(clause)
        scored = [(len(grams(f.what or f.lead) & words), f) for f in local]
        best = max(score for score, _ in scored)
        fits = [f for f in local if value_ok(q, f)]
        if best and fits and not any(score == best for score, f in scored if f in fits):
            near = next(f for score, f in scored if score == best)
            return _fail(claim, _message_mismatch(span, q, near), _rids(near))
    return None


def _by_context(idx, q, line, ctx, clause, si, matches, claim) -> Claim | None:
    """Steps 3–5: a recorded value that fits where the sentence stands."""
    before = _BEFORE_TRIM.sub("", line.raw[max(0, q.start - 8):q.start])
    aggregate = bool(_AGGREGATE.search(clause)) or not ctx
    for f in matches:
        if f.kind in ("figure", "text") and _in(f, ctx):
            claim.records, claim.rids = _rids(f), set(_rids(f))
            return claim
    for f in matches:
        if f.kind in ("total", "sum") and aggregate:
            claim.records = _rids(f)
            return claim
        if f.kind == "count" and ("活动" in clause or "活动" in line.raw[q.end:q.end + 6]):
            claim.records = ["activities"]
            return claim
    for f in matches:
        described = f.kind == "text" and f.lead and before.endswith(f.lead)  # 联络员1名
        if f.kind in ("figure", "text") and (not ctx or described or _weakly_about(idx, f, line, si)):
            claim.records = _rids(f)
            return claim
    return None


def _explain(idx, q, span, ctx, facts, matches, claim) -> Claim:
    """The number is not supported: say which record it contradicts or comes closest to."""
    local = [f for f in idx.facts_about(ctx) if f.kind in ("figure", "text")]
    same_value = [f for f in local if nb.same(f.value, q.value)]
    if same_value:  # 36户 where the activity says 36人: the measure word changed
        return _fail(claim, _message_mismatch(span, q, same_value[0]), _rids(same_value[0]))
    if matches:  # recorded, but for another activity than the one this sentence is about
        other = matches[0]
        near = _closest(q, [f for f in local if nb.same_unit(q.unit, f.unit)])
        if near:
            return _fail(claim, f"“{span}”与记录不符：{_says(near)}"
                                f"（{span}是 {'、'.join(_rids(other))} 的数字，不属于本句所述活动）",
                         _rids(near) + _rids(other))
        return _fail(claim, f"“{span}”与本句所述活动（{'、'.join(sorted(ctx))}）的记录不符："
                            f"此数字属于 {'、'.join(_rids(other))}", sorted(ctx) + _rids(other))
    pool = ([f for f in local if nb.same_unit(q.unit, f.unit)]
            or [f for f in facts if f.kind != "count"] or local or idx.facts)
    near = _closest(q, pool)
    if near is None:
        return _fail(claim, f"“{span}”在记录中找不到依据：记录中没有以“{q.written_unit or q.unit}”计的数字", [])
    if nb.same(near.value, q.value):
        message = _message_mismatch(span, q, near)
    elif q.unit and not q.unknown_unit and not nb.same_unit(q.unit, near.unit):
        message = (f"“{span}”在记录中找不到依据：记录中没有以“{q.written_unit}”计的这一数字，"
                   f"最接近的是 {_says(near)}")
    else:
        message = f"“{span}”在记录中找不到依据，最接近的是 {_says(near)}"
    return _fail(claim, message, _rids(near))


def check_quantity(idx: FactIndex, line: Line, q: nb.Quantity, work: str) -> Claim | None:
    """The claim a quantity makes, checked; None for 一次/一批 that bind to no figure."""
    if q.weak and not _bound(idx, line.raw[max(0, q.start - 24):q.start]):
        return None
    span = line.raw[q.start:q.end]
    si = line.sentence_of(q.start)
    s0 = line.sentences[si][0]
    ctx = line.ctx[si]
    # the clause as far back as a reader reads it for this number: a run-on clause of
    # thousands of characters would be copied and searched again for each of its numbers
    cut = max(line.last_mark(_CLAUSE_START, work, s0, q.start), q.start - _CLAUSE_SIGHT)
    clause = line.raw[cut:q.start]
    claim = Claim("facts.number", line.no, q.start, q.end, True)
    if q.ordinal:
        return _ordinal(idx, q, span, ctx, claim)
    facts = idx.facts if (q.unknown_unit or not q.unit) else idx.unit_facts(q.unit)
    decided = _by_description(idx, q, span, ctx, line, clause, facts, claim)
    if decided is not None:
        return decided
    matches = [f for f in facts if _unit_ok(q, f) and value_ok(q, f)]
    decided = _by_context(idx, q, line, ctx, clause, si, matches, claim)
    if decided is not None:
        return decided
    return _explain(idx, q, span, ctx, facts, matches, claim)
