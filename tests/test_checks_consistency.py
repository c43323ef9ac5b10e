"""consistency.year (title, body and issue date against the records' year) and
consistency.place (units of another level or place, slogans of elsewhere)."""

from __future__ import annotations

from test_checks_structure import DRAFT, errors, records_with, run

from conftest import DATA, FIXTURES
from pipeline.inputs import load_records


# ---------------------------------------------------------------- consistency.year

def year(text, records=None):
    return run("consistency.year", text, records)


def test_title_year_against_records(yunling):
    text = DRAFT.replace("# 云岭县2024年", "# 云岭县2023年")
    [f] = year(text, yunling)
    assert f.severity == "error" and f.line == 1 and f.excerpt == "2023" and "记录年份（2024年）" in f.message


def test_year_inside_a_recorded_title_is_fine():
    records = load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0]
    doc = records.activities[0].model_copy(update={"documents": ["2024年全州民族工作要点"]})
    records = records_with(records, activities=[doc, *records.activities[1:]])
    text = "# 峨溪彝族自治县2025年民族团结进步创建活动工作总结\n\n依据《2024年全州民族工作要点》开展工作。\n"
    assert year(text, records) == []
    # unrecorded, the same citation is last year's plan
    [f] = year(text, load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0])
    assert f.severity == "error" and f.excerpt == "《2024年全州民族工作要点》"


def test_other_years_in_the_body():
    head = "# 云岭县2024年民族团结进步宣传月工作总结\n\n"
    # comparisons, ranges, history and next year's plans are fine
    ok = ("2023年以来，与2023年相比，自2021年起，2021—2025年规划，截至2023年底。"
          "下一步，2025年将继续开展宣传月活动。")
    assert year(head + ok + "\n") == []
    # another year's campaign is an error, a bare other year a warning
    [f] = year(head + "扎实开展2023年民族团结进步宣传月活动。\n")
    assert f.severity == "error" and f.excerpt == "2023年民族团结进步宣传月"
    [f] = year(head + "扎实开展2023年全县民族团结进步宣传月活动。\n")
    assert f.severity == "error" and f.excerpt == "2023年全县民族团结进步宣传月"
    [f] = year(head + "2022年9月3日召开会议。\n")
    assert f.severity == "warning"
    # a higher-level document of the year before is usual; older ones are questioned
    assert year(head + "按照《2023年全州民族工作意见》。\n") == []
    [f] = year(head + "按照《2019年全州民族工作意见》。\n")
    assert f.severity == "warning"


def test_issue_date_year():
    text = "# 云岭县2024年民族团结进步宣传月工作总结\n\n正文。\n\n中共云岭县委统战部\n2026年10月12日\n"
    [f] = year(text)
    assert f.line == 6 and f.severity == "error"
    assert year(text.replace("2026年10月12日", "2025年1月8日")) == []
    assert year(text.replace("2026年10月12日", "二〇二四年十月十二日")) == []


def test_year_inferred_without_records():
    # the title says 2024, the body only 2022: the title is the odd one out
    text = ("县2024年民族团结进步宣传月工作总结\n\n根据《2022年全县工作方案》，2022年9月开展活动。\n"
            "印发《关于开展2022年全县活动的通知》。\n")
    [f] = year(text)
    assert f.line == 1 and f.severity == "error" and "2022年" in f.message
    # one stray mention does not outvote the title
    assert errors(year("县2024年工作总结\n\n2022年9月开展活动。\n")) == []


# ---------------------------------------------------------------- consistency.place

def place(text, records=None):
    return run("consistency.place", text, records)


def test_another_level_unit(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "县委统战部联合区教体局、区妇联和全区各单位，在区委领导下开展活动。")
    found = place(text, yunling)
    assert [f.excerpt for f in found] == ["区教体局", "区妇联", "全区", "区委"]
    assert all(f.severity == "error" and f.line == 7 for f in found)
    assert [f.excerpt for f in place(text)] == ["区教体局", "区妇联", "全区", "区委"]  # title gives 县


def test_words_with_the_other_level_character_are_fine(yunling):
    text = DRAFT.replace("一是部署。二是落实。",
                         "在社区党委、城区、民族地区、经开区管委会、示范区和景区，讲解民族区域自治制度，"
                         "各县区、县级以上，升国旗，五星红旗。")
    assert place(text, yunling) == []


def test_another_place_name(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "石门区委统战部联合石门区实验小学开展活动，云岭县融媒体中心报道。")
    found = place(text, yunling)
    assert [f.excerpt for f in found] == ["石门区", "石门区"]
    assert all(f.severity == "error" for f in found) and "云岭县" in found[0].message


def test_recorded_names_are_fine(yunling):
    a = yunling.activities[0].model_copy(update={"units": ["县委统战部", "石门区民族宗教事务局"]})
    records = records_with(yunling, activities=[a, *yunling.activities[1:]])
    text = DRAFT.replace("一是部署。二是落实。", "县委统战部联合石门区民族宗教事务局开展活动。")
    assert place(text, records) == []


def test_title_place(yunling):
    [f] = place(DRAFT.replace("# 云岭县2024年", "# 石门区2024年"), yunling)
    assert f.line == 1 and f.severity == "error" and "与记录（云岭县）不符" in f.message
    [f] = place(DRAFT.replace("# 云岭县2024年", "# 县2024年"), yunling)
    assert f.severity == "warning" and "应为“云岭县”" in f.message
    assert place(DRAFT.replace("# 云岭县2024年", "# 2024年"), yunling) == []


def test_autonomous_county_and_district():
    exi = load_records(FIXTURES / "exi_yi_autonomous_county.yaml")[0]
    text = ("# 峨溪彝族自治县2025年民族团结进步创建活动工作总结\n\n全县各族群众、县委、县政府和峨溪县委统战部、"
            "峨溪彝族自治县融媒体中心、州委、州民宗委。我县成绩显著。\n")
    assert place(text, exi) == []
    assert place(text) == []
    shimen = load_records(FIXTURES / "shimen_district.yaml")[0]
    text = "# 石门区2023年民族团结进步宣传月工作总结\n\n全区、区委、区直部门、县城。全县各单位。\n"
    [f] = place(text, shimen)
    assert f.excerpt == "全县"


def test_banner():
    records = load_records(DATA / "spec_example.yaml")[0]
    records = records_with(records, county="达尔罕茂明安联合旗")
    text = ("# 达尔罕茂明安联合旗2024年民族团结进步宣传月工作总结\n\n旗委统战部联合旗民委、巴彦花镇联合旗融媒体中心，"
            "全旗各苏木镇。按照自治区党委部署，全区统一开展。\n")
    assert place(text, records) == []
    [f] = place(text + "县政协参加。\n", records)
    assert f.excerpt == "县政协"


def test_town_and_subdistrict():
    text = "# 先滩镇2024年民族团结进步宣传月工作总结\n\n在县委、县政府领导下，镇党委、全镇各村、各乡镇。乡党委部署。\n"
    [f] = place(text)
    assert f.excerpt == "乡党委"
    text = "# 东湖街道2024年民族团结进步宣传月工作总结\n\n在区委领导下，街道党工委、全街道各社区，镇党委。\n"
    [f] = place(text)
    assert f.excerpt == "镇党委"


def test_autonomous_region_makes_qu_a_warning(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "按照自治区部署，全区统一开展。")
    [f] = place(text, yunling)
    assert f.severity == "warning" and "自治区" in f.message


def test_slogans(yunling):
    text = DRAFT.replace("一是部署。二是落实。", "为建设引领时尚的国际化首善之区作出贡献。")
    [f] = place(text, yunling)
    assert f.excerpt == "引领时尚的国际化首善之区" and f.severity == "error"
    beijing = records_with(yunling, county="北京市西城区")
    assert place(text.replace("云岭县", "北京市西城区"), beijing) == []
