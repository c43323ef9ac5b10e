"""Numbers of a record's note copied into the draft are looked up by value
(FactIndex.text_facts_of_value), not held against every number of the note: a note of
thousands of different numbers is checked in linear time, with the same findings."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.checks import check
from pipeline.checks import facts_number
from pipeline.model.records import Activity, Records


def _records(note: str) -> Records:
    act = Activity(id="n1", date=dt.date(2024, 9, 10), units=["县民族宗教事务局"], title="开展入户走访", note=note)
    return Records(county="云岭县", year=2024, campaign="民族团结进步宣传月", activities=[act])


def _draft(body: str) -> str:
    return f"# 云岭县2024年民族团结进步宣传月工作总结\n\n9月10日，县民族宗教事务局开展入户走访，{body}\n"


def _note(n: int) -> str:
    return "".join(f"第{k}片区走访群众{100 + k}户，" for k in range(n))


@pytest.mark.parametrize("n", [200, 800])
def test_each_number_is_compared_with_few_note_numbers(n, monkeypatch):
    calls = 0
    real = facts_number._unit_ok

    def counted(q, f):
        nonlocal calls
        calls += 1
        return real(q, f)

    monkeypatch.setattr(facts_number, "_unit_ok", counted)
    note = _note(n)
    report = check(_draft(note), _records(note))
    assert not [f for f in report.findings if f.check == "facts.number"]
    assert calls <= 10 * n, calls  # the scan over the whole note was n × n


def test_a_note_number_as_the_note_says_it_is_supported():
    records = _records("走访居民312人，解决困难5条，涉及11个乡镇")
    assert check(_draft("走访居民312人，解决困难5条，涉及11个乡镇。"), records).ok


@pytest.mark.parametrize("said, message", [
    ("涉及11条乡镇。", "11个"),  # the measure word changed
    ("解决困难2条。", "5条"),  # another value after the note's words
])
def test_a_changed_note_number_is_still_reported_with_what_the_note_says(said, message):
    records = _records("走访居民312人，解决困难5条，涉及11个乡镇")
    found = [f for f in check(_draft(said), records).findings if f.check == "facts.number"]
    assert found and message in found[0].message
