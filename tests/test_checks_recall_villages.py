"""Checker recall on villages, communities and organiser slots (issue 13): a 村/社区/嘎查
of another place wherever it stands, 由A、B联合主办 (organisers after 由), a list after a dash, a unit before
制作/播出."""

from pathlib import Path

import pytest

from pipeline.checks import check
from pipeline.checks.facts_village import village_names
from pipeline.inputs import load_records

HANDWRITTEN = Path(__file__).parent.parent / "evals" / "handwritten"


def _load(stem: str):
    records = load_records(HANDWRITTEN / f"{stem}.yaml")[0]
    text = next(p for p in (HANDWRITTEN / f"{stem}.md", HANDWRITTEN / f"{stem}.txt") if p.exists())
    return records, text.read_text(encoding="utf-8")


def _errors(text, records):
    return [f for f in check(text, records).findings if f.severity == "error"]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.split("\n"), 1) if needle in ln)


@pytest.fixture(scope="module")
def fenglin():
    return _load("fenglin_subdistrict_2025")


@pytest.fixture(scope="module")
def qingshui():
    return _load("qingshui_county_brief_2024")


@pytest.mark.parametrize("old, new, name", [
    ("9月6日，桂园社区在桂园社区广场", "9月6日，湖滨社区在桂园社区广场", "湖滨社区"),       # actor after a date
    ("翠湖社区、杏林社区组织网格员", "翠湖社区、金桥社区组织网格员", "金桥社区"),          # second of a list
    ("在杏林社区为少数民族居民", "在杏林社区和沙坝村为少数民族居民", "沙坝村"),           # joined by 和
    ("街道把宣传月活动同社区网格化", "街道把宣传月活动同龙潭村网格化", "龙潭村"),          # object after 同
])
def test_a_village_not_in_the_records_is_reported(fenglin, old, new, name):
    records, text = fenglin
    assert old in text
    mutated = text.replace(old, new, 1)
    at = [f for f in _errors(mutated, records) if f.line == _line_of(mutated, new)]
    assert [f.check for f in at] == ["facts.entity"] and f"“{name}”" in at[0].message


def test_a_community_as_signature_is_reported(qingshui):
    records, text = qingshui
    mutated = text.replace("青水县民族宗教事务局\n2024年9月21日", "金桥社区\n2024年9月21日")
    (f,) = _errors(mutated, records)
    assert "“金桥社区”" in f.message and f.line == _line_of(mutated, "金桥社区")


def test_recorded_villages_and_generic_words_are_no_claims(fenglin):
    records, text = fenglin
    assert not _errors(text, records)
    generic = ("推动民族团结进步创建向村（社区）延伸，宣传教育进社区、进乡村，驻村工作队走访部分偏远村；"
               "打造一批民族团结进步示范社区，完善嵌入式社区服务，全旗各嘎查村和城乡社区，修订村规民约，"
               "做实社区服务，参会社区负责人，培育一支社区志愿服务队，全县11个村（社区）")
    assert village_names(generic) == []
    names = [n for *_, n in village_names("金河镇沙坝村党支部推进龙潭村互嵌式社区建设，由金桥社区承办")]
    assert names == ["金河镇", "沙坝村", "龙潭村", "金桥社区"]


def test_organisers_after_by_are_checked(qingshui):
    records, text = qingshui
    mutated = text.replace("由县民族宗教事务局、县文化馆联合主办", "由县民族宗教事务局、东湖街道办事处联合主办")
    (f,) = _errors(mutated, records)
    assert "“东湖街道办事处”" in f.message and f.line == 3
    # 由此, 由搞活动向办实事: no organisers
    plain = text.replace("晚会前，", "由此可见，晚会由搞活动向办实事延伸。晚会前，")
    assert not _errors(plain, records)


def test_a_list_after_a_dash_is_checked(fenglin):
    records, text = fenglin
    mutated = text.replace("辖区2所学校——枫林小学、枫林中学", "辖区2所学校——石门区实验小学、枫林中学")
    assert mutated != text
    at = [f for f in _errors(mutated, records) if f.line == _line_of(mutated, "石门区实验小学")]
    assert len(at) == 1 and "“石门区实验小学”" in at[0].message


def test_a_unit_before_a_production_verb_is_checked():
    records, text = _load("yanshan_county_religion_2023")
    old = "6月20日起，雁山县融媒体中心制作播出"
    assert old in text
    mutated = text.replace(old, "6月20日起，区职业高级中学制作播出")
    at = [f for f in _errors(mutated, records) if f.line == _line_of(mutated, "区职业高级中学")]
    assert at and at[0].check == "facts.entity" and "区职业高级中学" in at[0].excerpt


def test_a_true_campaign_ordinal_passes_and_a_wrong_one_is_reported():
    """杏花乡 (甘肃) 2024: 全省第21个民族团结进步宣传月 is right (2004 + 21 − 1 = 2024)."""
    records, text = _load("xinghua_township_2024")
    sentence = "今年5月是全省第21个民族团结进步宣传月。"
    assert sentence in text and not check(text, records).findings
    for wrong in ("全省第20个", "全省第22个"):
        mutated = text.replace("全省第21个", wrong)
        (f,) = _errors(mutated, records)
        assert f.check == "consistency.campaign" and f.line == _line_of(mutated, wrong) and "第21个" in f.message


FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def yunling():
    from pipeline.drafting import draft_document
    from pipeline.render import to_markdown
    records = load_records(FIXTURES / "yunling_county.yaml")[0]
    return records, to_markdown(draft_document(records))


def test_a_town_not_in_the_records_is_reported_as_an_object(fenglin):
    records, text = fenglin
    old = "推动民族团结进步宣传由搞活动向办实事延伸"
    assert old in text
    mutated = text.replace(old, "推动柳溪镇民族团结进步宣传由搞活动向办实事延伸")
    (f,) = _errors(mutated, records)
    assert "“柳溪镇”" in f.message and f.line == _line_of(mutated, "柳溪镇")


def test_a_county_name_ending_in_shan_is_another_place(yunling):
    """雁山县: 山 ends compound nouns only before 区 (山区), not before 县."""
    records, text = yunling
    old = "9月6日，城关镇联合县文化和旅游局"
    assert old in text
    mutated = text.replace(old, "9月6日，雁山县融媒体中心联合县文化和旅游局")
    at = [f for f in _errors(mutated, records) if f.line == _line_of(mutated, "雁山县")]
    assert [f.check for f in at] == ["consistency.place"] and "“雁山县”" in at[0].message
    shan = text.replace(old, "9月6日，城关镇联合县文化和旅游局组织山区群众")
    assert not _errors(shan, records)


def test_a_unit_in_a_list_of_places_after_zai(fenglin):
    records, text = fenglin
    old = "街道社区卫生服务中心在杏林社区为少数民族居民"
    assert old in text
    mutated = text.replace(old, "街道社区卫生服务中心在杏林社区、乡司法所为少数民族居民")
    (f,) = _errors(mutated, records)
    assert "“乡司法所”" in f.message
    # a list that names no town or village is no list of places
    plain = text.replace(old, "街道社区卫生服务中心在思想、文化、社会等方面为少数民族居民")
    assert not _errors(plain, records)


def test_the_unit_a_title_starts_with_must_be_recorded():
    records, text = _load("hongqi_middle_school_2024")
    assert text.startswith("平川县红旗中学2024年") and not _errors(text, records)
    mutated = text.replace("平川县红旗中学2024年", "街道综合服务中心2024年", 1)
    (f,) = _errors(mutated, records)
    assert f.line == 1 and "“街道综合服务中心”" in f.message


@pytest.mark.parametrize("old, new", [
    # a pasted sentence head that holds a list: the comma shows it is no list of units
    ("9月25日，街道党工委和桂园社区", "9月25日，街道党工委和桂园9月25日，街道党工委和桂园社区"),
])
def test_text_pasted_twice_is_reported(fenglin, old, new):
    records, text = fenglin
    assert old in text
    mutated = text.replace(old, new, 1)
    at = [f for f in _errors(mutated, records) if f.line == _line_of(mutated, new[:12])]
    assert "residue.masked" in {f.check for f in at}


def test_a_sentence_tail_pasted_again_is_reported():
    tail = ("柳溪县坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届三中全会精神，"
            "全面贯彻落实习近平总书记关于加强和改进民族工作的重要思想。")
    text = f"# 柳溪县2024年民族团结进步宣传月工作总结\n\n根据市委统战部的通知要求，{tail}{tail}\n"
    (f,) = [f for f in check(text).findings if f.check == "residue.masked"]
    assert f.line == 3 and "连写了两遍" in f.message
    assert not [f for f in check(text.replace(tail + tail, tail)).findings if f.check == "residue.masked"]


def test_units_listed_twice_in_one_clause_are_no_paste(fenglin):
    records, text = fenglin
    old = "翠湖社区、杏林社区组织网格员"
    mutated = text.replace(old, "翠湖社区、杏林社区、翠湖社区、杏林社区组织网格员", 1)
    assert not [f for f in check(mutated, records).findings if f.check == "residue.masked"]


def test_a_village_after_a_generic_word_is_read():
    assert [n for *_, n in village_names("走进少数民族聚居村杏林村开展义诊")] == ["杏林村"]
