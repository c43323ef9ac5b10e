"""Regression tests for what the checker got wrong on 范文 copies (issue 13): a quantity
read as a place, compound measure words, the 下一步 part of a text without headings,
messages that repeat themselves or double their quotes."""

from pathlib import Path

import pytest

from pipeline.checks import check
from pipeline.inputs import load_records

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def records():
    return load_records(DATA / "recall_county.yaml")[0]


def _errors(text, records):
    return [(f.check, f.message) for f in check(text, records).findings if f.severity == "error"]


BRIEF = ("禾丰县开展民族团结进步教育进校园活动\n\n"
         "9月10日，县教育局在三所中学开展民族团结进步教育进校园活动，参与师生1260人。"
         "9月12日，县民族宗教事务局在城区电子屏滚动播放宣传标语50余条次，出动宣传车12车次。\n\n"
         "下一步，禾丰县将推动民族团结进步宣传教育常态化。\n\n禾丰县民族宗教事务局\n2024年10月9日\n")


def test_quantity_before_a_noun_is_no_place_and_compounds_are_read_whole(records):
    assert _errors(BRIEF, records) == []


def test_the_quantity_is_still_checked(records):
    wrong = BRIEF.replace("三所中学", "五所中学").replace("50余条次", "80余条次")
    found = _errors(wrong, records)
    assert [c for c, _ in found] == ["facts.number", "facts.number"]
    assert any("五所" in m for _, m in found) and any("80余条次" in m for _, m in found)
    assert not any("地点" in m for _, m in found)


def test_a_text_without_headings_may_open_its_last_paragraph_with_xiayibu(records):
    assert not [f for f in check(BRIEF, records).findings if f.check == "headings.required"]
    cut = BRIEF.replace("下一步，禾丰县将推动民族团结进步宣传教育常态化。\n\n", "")
    assert [f.check for f in check(cut, records).findings if f.severity == "error"] == ["headings.required"]


def test_stale_messages_say_things_once():
    text = "2023年民族团结工作总结\n深入开展“七五”普法，筑牢中华民族共同体意识。\n"
    messages = [f.message for f in check(text).findings if f.check == "register"]
    assert any(m.startswith("过时提法“七五”普法（") for m in messages)
    assert not any("““" in m for m in messages)
    (zhulao,) = [m for m in messages if "筑牢" in m]
    assert zhulao.count("铸牢中华民族共同体意识") == 1


def test_validate_warns_of_a_unit_the_checker_cannot_read(tmp_path):
    """One table: a unit the checker reads is accepted quietly, another is named with its line."""
    from pipeline.text.measure import unit_words
    text = (DATA / "recall_county.yaml").read_text(encoding="utf-8")
    assert not [w for w in load_records(DATA / "recall_county.yaml")[1] if "量词" in w.message]
    assert {"条次", "车次", "人次"} <= set(unit_words())
    assert "unit: 车次" in text
    odd = tmp_path / "odd.yaml"
    odd.write_text(text.replace("unit: 车次", "unit: 摞", 1), encoding="utf-8")
    (w,) = [w for w in load_records(odd)[1] if "量词" in w.message]
    assert "“摞”" in w.message and w.severity == "warning" and w.line == text[:text.index("unit: 车次")].count("\n") + 1
