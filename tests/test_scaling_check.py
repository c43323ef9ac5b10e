"""The lookups that keep `check` with records linear (issue 14) answer exactly what the
scans they replaced answered: by position instead of by rescanning a long sentence, by
record id instead of over every fact, once per name instead of once per mention."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks import check
from pipeline.checks.facts_entity import _Taken
from pipeline.checks.facts_number import _in
from pipeline.checks.facts_tally import _MAX_WHAT, _TRIM, _trimmed
from pipeline.checks.facts_text import Line, split_sentences
from pipeline.checks.index import index_for
from pipeline.inputs import load_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_MARK = re.compile(r"[，。；、]")
_text = st.text(alphabet="共计累合达到其中先后分别，。；、12场人活动村镇", max_size=80)


def _line(raw: str) -> Line:
    return Line(1, raw, list(raw), split_sentences(raw), [], [])


@settings(max_examples=200, deadline=None)
@given(_text, st.data())
def test_positions_answer_what_slices_did(raw, data):
    line = _line(raw)
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    word = data.draw(st.sampled_from(["共", "其中", "先后", "合计", "累计", "分别", "活动"]))
    assert line.has(word, start, end) == (word in raw[start:end])
    last = max((m.end() for m in _MARK.finditer(raw, start, end)), default=start)
    assert line.last_mark(_MARK, raw, start, end) == last
    expected = next((i for i, (s, e) in enumerate(line.sentences) if s <= end < e), len(line.sentences) - 1)
    assert line.sentence_of(end) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="共计累合达到其他", max_size=300), st.integers(0, 300))
def test_trimming_from_a_window_is_trimming_the_whole_head(raw, start):
    start = min(start, len(raw))
    assert _trimmed(raw, start, len(raw)) == _TRIM.sub("", raw[start:])[-_MAX_WHAT:]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=12),
       st.integers(0, 40), st.integers(1, 6))
def test_taken_spans_answer_as_the_list_did(spans, s, length):
    taken, plain = _Taken(50), []
    for a, n in spans:
        taken.append((a, a + n))
        plain.append((a, a + n))
    e = s + length
    assert taken.overlaps(s, e) == any(a <= s < b or s <= a < e for a, b in plain)
    assert taken.holds(s) == any(a <= s < b for a, b in plain)


def test_facts_of_an_activity_are_those_filtering_every_fact_gives():
    records = load_records(FIXTURES / "scale_160.yaml")[0]
    idx = index_for(records)
    rids = sorted(idx.acts)
    for ctx in [set(), {rids[0]}, {rids[3], rids[40]}, set(rids[:30]), {"totals[0]", rids[7]}]:
        assert idx.facts_about(ctx) == [f for f in idx.facts if _in(f, ctx)]


def test_a_note_repeating_one_sentence_adds_its_numbers_once():
    records = load_records(FIXTURES / "scale_160.yaml")[0]
    first = records.activities[0]
    note = "群众反映宣传形式新颖，共收集意见建议12条。"
    once = records.model_copy(update={"activities": [first.model_copy(update={"note": note}), *records.activities[1:]]})
    many = records.model_copy(update={"activities": [first.model_copy(update={"note": note * 500}),
                                                     *records.activities[1:]]})
    twelve = [f for f in index_for(many).facts if f.rid == first.id and f.kind == "text" and f.value == 12]
    assert len(twelve) == len([f for f in index_for(once).facts if f.rid == first.id and f.kind == "text"
                               and f.value == 12]) == 1
    text = f"# {records.county}{records.year}年{records.campaign}工作总结\n\n共收集意见建议12条，又收集13条。\n"
    assert [f.message for f in check(text, many).findings if f.check == "facts.number"] == \
        [f.message for f in check(text, once).findings if f.check == "facts.number"]


def _stem_start_unbounded(work, end, cut):
    """facts_village._stem_start as it was: the walk back to the start of the run."""
    j = end
    while j > 0 and "\u4e00" <= work[j - 1] <= "\u9fff":
        j -= 1
    low = max(j, end - 8)
    best = None
    for m in cut.finditer(work, low, end):
        if m.end() == end:
            return None
        if 2 <= end - m.end() <= 4:
            best = m.end()
    if best is not None:
        return best
    return j if 2 <= end - j <= 4 else None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="金河镇沙坝村社区宣传居委会，的在", max_size=60))
def test_a_village_stem_found_by_a_short_walk_is_the_one_a_full_walk_finds(work):
    from pipeline.checks import facts_village as fv

    suffix, cut, _, _ = fv._lexicon()
    for m in suffix.finditer(work):
        assert fv._stem_start(work, m.start(), cut) == _stem_start_unbounded(work, m.start(), cut)


def test_check_leaves_the_cycle_collector_as_it_found_it():
    records = load_records(FIXTURES / "scale_160.yaml")[0]
    text = f"# {records.county}{records.year}年{records.campaign}工作总结\n\n开展宣传活动12场。\n"
    assert gc.isenabled()
    check(text, records)
    assert gc.isenabled()
    gc.disable()
    try:
        check(text, records)
        assert not gc.isenabled()
    finally:
        gc.enable()
