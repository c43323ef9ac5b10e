"""Checker recall on places and outlets (issue 13): the level word of the place, a town's
own county, records of another place, outlets without a media suffix."""

from pathlib import Path

import pytest

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.inputs import load_records
from pipeline.render import to_markdown

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def yunling():
    records = load_records(FIXTURES / "yunling_county.yaml")[0]
    return records, to_markdown(draft_document(records))


@pytest.fixture(scope="module")
def xiantan():
    records = load_records(FIXTURES / "xiantan_town.yaml")[0]
    return records, to_markdown(draft_document(records))


def _errors_at(text, records, line):
    return [f for f in check(text, records).findings if f.severity == "error" and f.line == line]


def test_level_word_in_title_and_signature(yunling):
    records, text = yunling
    assert not [f for f in check(text, records).findings if f.check == "consistency.level"]
    title = text.replace("# 云岭县2024年", "# 云岭区2024年", 1)
    (f,) = [f for f in _errors_at(title, records, 1)]
    assert f.check == "consistency.level" and f.excerpt == "云岭区" and "云岭县" in f.message
    lines = text.rstrip("\n").split("\n")
    lines[-2] = "云岭市民族宗教事务局"
    signed = "\n".join(lines) + "\n"
    assert any(f.check == "consistency.level" for f in _errors_at(signed, records, len(lines) - 1))


def test_level_word_spares_compounds(yunling):
    records, text = yunling
    body = text.replace("现将工作开展情况总结如下。", "云岭区域内各族群众广泛参与，云岭市场主体积极响应。现将工作开展情况总结如下。")
    assert not [f for f in check(body, records).findings if f.check == "consistency.level"]


@pytest.mark.parametrize("sentence", ["先滩镇地处泸川县东部，辖11个村（社区）。",
                                      "镇综合文化站在镇区主街悬挂泸川县民族团结进步宣传月横幅。"])
def test_a_towns_own_county_is_no_other_place(xiantan, sentence):
    records, text = xiantan
    lines = text.split("\n")
    mutated = "\n".join(lines[:4] + [sentence] + lines[4:])
    assert not [f for f in check(mutated, records).findings if f.check == "consistency.place"]


def test_other_county_excerpt_stops_at_the_verb(yunling):
    records, _ = yunling
    text = "云岭县2024年民族团结进步宣传月工作总结\n城关镇在主街悬挂泸川县民族团结进步宣传月横幅。\n"
    (f,) = [f for f in check(text, records).findings if f.check == "consistency.place"]
    assert f.excerpt == "泸川县" and "悬挂" not in f.message


def test_another_places_records_give_one_finding(yunling, xiantan):
    records, _ = xiantan
    _, text = yunling
    report = check(text, records)
    errors = [f for f in report.findings if f.severity == "error"]
    assert len(errors) <= 3
    (mine,) = [f for f in errors if f.check == "records.place"]
    assert "先滩镇" in mine.message and mine.line == 1
    assert not [f for f in errors if f.check.startswith(("facts.", "coverage", "headings.required"))]
    assert not report.ok


@pytest.mark.parametrize("outlet", ["学习强国", "人民网", "学习强国平台", "新华网客户端"])
def test_outlet_without_media_suffix(yunling, outlet):
    records, text = yunling
    old = "云岭县融媒体中心进行了报道"
    new = text.replace(old, f"云岭县融媒体中心、{outlet}等媒体进行了报道")
    line = text[:text.index(old)].count("\n") + 1
    assert any(f.check == "facts.entity" and outlet in f.message for f in _errors_at(new, records, line))


def test_generic_platform_is_no_outlet(yunling):
    records, text = yunling
    old = "云岭县融媒体中心进行了报道"
    new = text.replace(old, "云岭县融媒体中心在互联网等各类平台进行了报道")
    line = text[:text.index(old)].count("\n") + 1
    assert not _errors_at(new, records, line)
