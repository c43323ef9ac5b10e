"""Counts a careful clerk writes at the head of a part (共开展各类活动N项，其中A类n项…), the
signature's date and a campaign period named with the campaign: the checker holds each to
what it counts, not to any record number that happens to be equal (issue 12's mutation misses)."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.model.records import Records


def _records(patch=None, **extra) -> Records:
    """A county: part 一 holds three talks and a meeting, part 二 a show and an exhibition.
    The meeting has a figure of 2项 and the show one of 1场, so equal numbers exist.
    patch(acts) may change the activities' dicts first."""
    acts = [
        {"id": "m1", "date": "2024-09-02", "units": ["县委统战部"], "title": "召开民族团结进步宣传月工作部署会",
         "figures": [{"what": "部署重点任务", "value": 2, "unit": "项"}]},
        {"id": "t1", "date": "2024-09-05", "units": ["县委宣传部"], "title": "举办民族团结进步专题宣讲会",
         "place": "石桥镇", "figures": [{"what": "听众", "value": 120, "unit": "人"}]},
        {"id": "t2", "date": "2024-09-09", "units": ["县民族宗教事务局"], "title": "举办民族团结知识培训班",
         "figures": [{"what": "培训干部", "value": 60, "unit": "人"}]},
        {"id": "t3", "date": "2024-09-12", "units": ["县委党校"], "title": "开展铸牢中华民族共同体意识宣讲",
         "figures": [{"what": "宣讲", "value": 3, "unit": "场"}]},
        {"id": "p1", "date": "2024-09-18", "units": ["县文化馆"], "title": "开展民族团结主题文艺演出",
         "figures": [{"what": "演出", "value": 1, "unit": "场"},
                     {"what": "观看群众", "value": 800, "unit": "人", "approx": True}]},
        {"id": "e1", "date": "2024-09-22", "units": ["县图书馆"], "title": "举办民族团结主题图片展",
         "figures": [{"what": "展出图片", "value": 150, "unit": "幅"}]},
    ]
    if patch:
        patch(acts)
    base = {"county": "石桥县", "year": 2024, "campaign": "民族团结进步宣传月",
            "period": {"start": "2024-09-01", "end": "2024-09-30"}, "activities": acts}
    return Records.model_validate({**base, **extra})


_PART_ONE = ("一、强化宣传教育\n\n"
             "宣传月期间，各单位共开展各类活动{total}，其中宣讲培训{talks}、安排部署{meetings}。"
             "9月2日，县委统战部召开民族团结进步宣传月工作部署会，部署重点任务2项。"
             "9月5日，县委宣传部在石桥镇举办民族团结进步专题宣讲会，听众120人。"
             "9月9日，县民族宗教事务局举办民族团结知识培训班，培训干部60人。"
             "9月12日，县委党校开展铸牢中华民族共同体意识宣讲3场。\n\n"
             "二、丰富活动载体\n\n"
             "9月18日，县文化馆开展民族团结主题文艺演出1场，观看群众800余人。"
             "9月22日，县图书馆举办民族团结主题图片展，展出图片150幅。\n")
_TALLY_LINE = 3


def _errors(text: str, records: Records, family: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in check(text, records).findings
            if f.severity == "error" and f.check == family]


def test_a_parts_tally_as_the_records_give_it_passes():
    text = _PART_ONE.format(total="4项", talks="3项", meetings="1项")
    assert check(text, _records()).ok, _errors(text, _records(), "facts.number")


@pytest.mark.parametrize("talks, meetings", [("2项", "1项"),   # 2 is the meeting's own figure
                                             ("1项", "1项"),   # 1 is the show's figure (1场) and a class count
                                             ("3项", "2项")])
def test_a_class_count_is_held_to_the_class_not_to_an_equal_figure(talks, meetings):
    text = _PART_ONE.format(total="4项", talks=talks, meetings=meetings)
    errors = _errors(text, _records(), "facts.number")
    assert errors and all(line == _TALLY_LINE for line, _ in errors), errors
    assert any("类活动为" in m for _, m in errors)


def test_the_total_of_a_part_is_the_parts_count_not_the_whole_records():
    text = _PART_ONE.format(total="6项", talks="3项", meetings="1项")  # 6: every activity
    errors = _errors(text, _records(), "facts.number")
    assert [line for line, _ in errors] == [_TALLY_LINE]
    assert "本部分所写的活动为4项" in errors[0][1]


def test_in_the_preamble_the_tally_counts_every_activity():
    head = "石桥县民族团结进步宣传月活动总结\n\n宣传月期间，全县共开展各类活动{n}项，其中宣讲培训3项、文艺展演1项。\n\n"
    good = head.format(n=6) + _PART_ONE.format(total="4项", talks="3项", meetings="1项")
    assert _errors(good, _records(), "facts.number") == []
    bad = head.format(n=4) + _PART_ONE.format(total="4项", talks="3项", meetings="1项")
    assert [line for line, _ in _errors(bad, _records(), "facts.number")] == [3]


@pytest.mark.parametrize("meetings", ["1场", "1次", "1个"])
def test_an_item_of_the_tally_keeps_the_totals_measure_word(meetings):
    """场 is the meeting class's own measure word, and 1场 is a recorded figure: still wrong
    beside a total in 项."""
    text = _PART_ONE.format(total="4项", talks="3项", meetings=meetings)
    errors = _errors(text, _records(), "facts.number")
    assert [line for line, _ in errors] == [_TALLY_LINE]
    assert "量词" in errors[0][1]


def test_a_one_class_tally_counts_that_class():
    text = ("二、丰富活动载体\n\n县委宣传部等单位共开展宣讲培训活动{n}，推动理论宣讲进基层。"
            "9月5日，县委宣传部在石桥镇举办民族团结进步专题宣讲会，听众120人。"
            "9月9日，县民族宗教事务局举办民族团结知识培训班，培训干部60人。"
            "9月12日，县委党校开展铸牢中华民族共同体意识宣讲3场。\n")
    assert _errors(text.format(n="3项"), _records(), "facts.number") == []
    assert _errors(text.format(n="3场"), _records(), "facts.number") == []  # the class's own measure
    assert [line for line, _ in _errors(text.format(n="2项"), _records(), "facts.number")] == [3]
    assert [line for line, _ in _errors(text.format(n="3个"), _records(), "facts.number")] == [3]


def test_a_figure_after_qizhong_is_no_class_count():
    text = ("一、强化宣传教育\n\n9月18日，县文化馆开展民族团结主题文艺演出1场，观看群众800余人，"
            "其中少数民族群众300余人。\n")
    records = _records(lambda acts: acts[4]["figures"].append(
        {"what": "少数民族群众", "value": 300, "unit": "人", "approx": True}))
    assert _errors(text, records, "facts.number") == []


# ---------------------------------------------------------------- dates

_SIGNED = ("石桥县民族团结进步宣传月活动总结\n\n一、强化宣传教育\n\n"
           "9月5日，县委宣传部在石桥镇举办民族团结进步专题宣讲会，听众120人。\n\n"
           "中共石桥县委统战部\n{day}\n")


@pytest.mark.parametrize("day", ["2024年10月12日", "二〇二四年十月十二日"])
def test_the_signature_date_is_the_records_issue_date(day):
    assert _errors(_SIGNED.format(day=day), _records(date="2024-10-12"), "facts.date") == []


@pytest.mark.parametrize("day", ["2024年9月30日", "2024年9月5日", "2024年10月2日"])
def test_another_signature_date_is_an_error_even_inside_the_period(day):
    """9月30日 ends the period and 9月5日 is an activity's day: neither is the 成文日期."""
    text = _SIGNED.format(day=day)
    errors = _errors(text, _records(date="2024-10-12"), "facts.date")
    assert [line for line, _ in errors] == [len(text.splitlines())]
    assert "成文日期记录为2024年10月12日" in errors[0][1]


def test_without_an_issue_date_the_signature_date_is_held_to_the_period():
    assert _errors(_SIGNED.format(day="2024年9月30日"), _records(), "facts.date") == []


@pytest.mark.parametrize("campaign, start, end, said", [
    ("民族团结教育月", "2025-05-01", "2025-05-31", "于2025年5月1日至{end}日精心组织开展民族团结教育月活动"),
    ("民族团结进步周", "2025-05-12", "2025-05-18", "2025年5月12日至{end}日，全镇开展民族团结进步周活动"),
    ("民族团结进步示范创建", "2025-03-01", "2025-11-30", "2025年3月1日至11月{end}日，全县深入推进民族团结进步示范创建"),
])
def test_a_period_said_with_the_campaigns_name_is_the_recorded_period(campaign, start, end, said):
    last = int(end[-2:])
    wrong_day = last - 3

    def move(acts):  # every activity in the period's last month, one on the day the wrong end names
        for a in acts:
            a["date"] = f"{end[:8]}{min(int(a['date'][-2:]), wrong_day):02d}"
        acts[-1]["date"] = f"{end[:8]}{wrong_day:02d}"
    records = _records(move, campaign=campaign, year=2025, period={"start": start, "end": end})
    text = "石桥县工作总结\n\n" + said + "。\n"
    assert _errors(text.format(end=last), records, "facts.date") == []
    errors = _errors(text.format(end=wrong_day), records, "facts.date")
    assert [line for line, _ in errors] == [3], errors


# ---------------------------------------------------------------- school units

@pytest.mark.parametrize("unit", ["校历史教研组", "市委党校", "校政教处", "初二年级组"])
def test_a_school_unit_not_in_the_records_is_reported_in_the_who_slot(unit):
    text = f"一、强化宣传教育\n\n9月9日，{unit}组织开展民族团结知识培训班，培训干部60人。\n"
    errors = _errors(text, _records(), "facts.entity")
    assert [line for line, _ in errors] == [3] and unit in errors[0][1]


def test_a_recorded_school_unit_passes():
    records = _records(lambda acts: acts[2].update(units=["校语文教研组"]))
    text = "一、强化宣传教育\n\n9月9日，校语文教研组举办民族团结知识培训班，培训干部60人。\n"
    assert _errors(text, records, "facts.entity") == []


# ---------------------------------------------------------------- the opening's who and when

_OPENING = ("一、强化宣传教育\n\n"
            "{when}，{who}共开展各类活动4项，其中宣讲培训3项、安排部署1项。"
            "9月2日，县委统战部召开民族团结进步宣传月工作部署会，部署重点任务2项。"
            "9月5日，县委宣传部在石桥镇举办民族团结进步专题宣讲会，听众120人。"
            "9月9日，县民族宗教事务局举办民族团结知识培训班，培训干部60人。"
            "9月12日，县委党校开展铸牢中华民族共同体意识宣讲3场。\n\n"
            "二、丰富活动载体\n\n"
            "9月18日，县文化馆开展民族团结主题文艺演出1场，观看群众800余人。\n")
_WHO = "县委统战部、县委宣传部、县民族宗教事务局等单位"


def test_an_opening_from_the_parts_first_to_last_day_passes():
    text = _OPENING.format(when="9月2日至12日", who=_WHO)
    assert check(text, _records()).ok, _errors(text, _records(), "facts.date")


@pytest.mark.parametrize("when", ["9月2日至9日",    # the last day is another activity's
                                  "9月5日至12日",   # so is the first
                                  "9月2日至18日",   # 9月18日 is part 二's
                                  "9月12日至2日"])  # backwards
def test_an_openings_range_is_the_parts_first_and_last_day(when):
    errors = _errors(_OPENING.format(when=when, who=_WHO), _records(), "facts.date")
    assert [line for line, _ in errors] == [3], errors


@pytest.mark.parametrize("other", ["红星小学", "县税务局", "青龙镇人民政府"])
def test_a_unit_of_another_place_in_the_openings_list_is_reported(other):
    who = f"县委统战部、{other}、县民族宗教事务局等单位"
    errors = _errors(_OPENING.format(when="9月2日至12日", who=who), _records(), "facts.entity")
    assert [line for line, _ in errors] == [3] and other in errors[0][1]
    last = f"县委统战部、县委宣传部、{other}"  # the last before 共开展, with no 等单位
    errors = _errors(_OPENING.format(when="9月2日至12日", who=last), _records(), "facts.entity")
    assert [line for line, _ in errors] == [3] and other in errors[0][1]


@pytest.mark.parametrize("span", ["9月12日至9日", "9月9日至9日", "9月20日至10日"])
def test_a_range_that_ends_before_it_starts_is_an_error_anywhere(span):
    text = f"石桥县工作总结\n\n{span}，县民族宗教事务局举办民族团结知识培训班，培训干部60人。\n"
    errors = _errors(text, _records(), "facts.date")
    assert [line for line, _ in errors] == [3] and "结束日期不晚于开始日期" in errors[0][1]


def test_a_stock_sentence_resembling_a_title_adds_no_activity_to_the_tally():
    """将…学习宣传月活动纳入年度重点工作 shares most words with 印发…学习宣传月活动方案, but
    reports no activity: the tally counts the meeting alone."""
    records = _records(lambda acts: acts.append(
        {"id": "d1", "date": "2024-09-01", "units": ["县委统战部"], "title": "印发宗教政策法规学习宣传月活动方案"}))
    text = _PART_ONE.format(total="4项", talks="3项", meetings="1项").replace(
        "宣传月期间，", "县委将宗教政策法规学习宣传月活动纳入年度重点工作统筹推进。宣传月期间，", 1)
    assert _errors(text, records, "facts.number") == []


def test_the_final_filter_keeps_a_count_of_the_activities_a_sentence_cites():
    from pipeline.model.document import Sentence
    from pipeline.support import _sources, unsupported

    records = _records(lambda acts: acts[0].update(note="部署会明确了5项任务"))
    src = _sources(records)
    cited = Sentence(text="各单位共开展各类活动5项，其中宣讲培训3项。", sources=["m1", "t1", "t2", "t3", "p1"])
    assert unsupported(cited, src, []) is None
    fewer = Sentence(text="各单位共开展各类活动5项。", sources=["m1", "t1"])  # 5项 is the note's
    assert "备注" in (unsupported(fewer, src, []) or "")
