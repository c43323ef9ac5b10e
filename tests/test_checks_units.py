"""facts.entity in the who-slot: a unit pasted from another county's summary is caught
even when it is on no word list; the records' own units, their abbreviations and
generic subjects are not."""

from __future__ import annotations

import pytest

from conftest import DATA, FIXTURES
from pipeline.checks import check
from pipeline.inputs import load_records
from pipeline.orchestrator import draft


def errors(text, records):
    return [f for f in check(text, records).findings if f.severity == "error"]


@pytest.fixture(scope="module")
def yunling():
    records = load_records(FIXTURES / "yunling_county.yaml")[0]
    return records, draft(records).markdown


@pytest.mark.parametrize("other", ["金河镇", "石门区教育局", "县图书馆", "东湖街道办事处", "罗家坪乡",
                                   "县消防救援大队", "乌力吉图旗乌兰牧骑"])
def test_another_places_unit_in_the_who_slot(yunling, other):
    records, md = yunling
    unit = "县民族宗教事务局"
    at = md.index(f"联合{unit}") + 2
    text = md[:at] + other + md[at + len(unit):]
    line = text[:at].count("\n") + 1
    found = [f for f in errors(text, records) if f.line == line]
    assert found and any(other in f.message or other in f.excerpt for f in found)


def test_recorded_units_and_abbreviations_pass(yunling):
    records, md = yunling
    assert errors(md, records) == []
    shortened = md.replace("县民族宗教事务局", "县民宗局")
    assert errors(shortened, records) == []


def test_generic_subjects_are_no_claims():
    records = load_records(DATA / "spec_example.yaml")[0]
    text = ("# 云岭县2024年民族团结进步宣传月工作总结\n\n"
            "9月2日，县委统战部联合各乡镇召开宣传月任务部署会。9月10日，相关单位在城关镇文化广场举办文艺汇演。\n")
    assert [f for f in errors(text, records) if f.check == "facts.entity"] == []


def test_a_towns_own_committee_is_generic_only_in_a_town():
    town = load_records(FIXTURES / "xiantan_town.yaml")[0]
    md = draft(town).markdown
    assert "镇党委" in md and errors(md, town) == []
    county = load_records(DATA / "spec_example.yaml")[0]
    text = "# 云岭县2024年民族团结进步宣传月工作总结\n\n9月2日，镇党委联合县委宣传部召开宣传月任务部署会。\n"
    assert any(f.check == "facts.entity" and "镇党委" in f.message for f in errors(text, county))


def test_outlet_and_issuer_slots(yunling):
    records, md = yunling
    media = next(m for a in records.activities for m in a.media)
    wrong = md.replace(f"{media}进行了报道", "滨江实验学校进行了报道", 1)
    assert wrong != md and any("滨江实验学校" in f.message for f in errors(wrong, records))
    issuer = records.basis[0].issuer
    wrong = md.replace(f"{issuer}《", "石门区民族宗教事务局《", 1)
    assert wrong != md and errors(wrong, records)
