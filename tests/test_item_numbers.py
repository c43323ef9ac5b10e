"""A problem or plan typed with its own list number (一是…, 2.…): the number is dropped, as
the ledger always did, because the draft numbers the items itself; a decimal stays, and a
second item inside one entry is still refused (tests/hostile/test_i14z_record_shape.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from pipeline.drafting import draft_document
from pipeline.model.records import Activity, Records
from pipeline.render import to_markdown
from pipeline.text.shape import drop_item_start


def _records(**kw) -> Records:
    act = Activity(id="a1", date=dt.date(2025, 9, 3), units=["街道党工委"], title="召开民族团结进步宣传月工作部署会")
    return Records(county="川东街道", year=2025, campaign="民族团结进步宣传月", activities=[act], **kw)


@pytest.mark.parametrize("typed, kept", [
    ("一是社区宣传阵地较为陈旧", "社区宣传阵地较为陈旧"),
    ("二、流动人口参与面不广", "流动人口参与面不广"),
    ("（三）志愿者队伍不稳定", "志愿者队伍不稳定"),
    ("4. 活动经费不足", "活动经费不足"),
    ("(5)宣传形式单一", "宣传形式单一"),
    ("• 结对帮扶覆盖不全", "结对帮扶覆盖不全"),
    ("1.5万元经费缺口尚未落实", "1.5万元经费缺口尚未落实"),
    ("3个社区没有活动室", "3个社区没有活动室"),
    ("一些老党员行动不便", "一些老党员行动不便"),
    ("十一是外出务工人员多", "外出务工人员多"),
])
def test_a_leading_list_number_is_dropped_and_nothing_else(typed, kept):
    assert drop_item_start(typed) == kept


def test_numbered_problems_and_plans_are_drafted_once_numbered():
    records = _records(problems=["一是社区宣传阵地较为陈旧", "二是流动人口参与面不广"],
                       plans=["1. 推动宣传教育常态化"])
    assert records.problems == ["社区宣传阵地较为陈旧", "流动人口参与面不广"]
    assert records.plans == ["推动宣传教育常态化"]
    md = to_markdown(draft_document(records))
    assert "一是社区宣传阵地较为陈旧" in md and "二是流动人口参与面不广" in md
    assert "一是一是" not in md and "1. 推动" not in md


def test_two_items_in_one_entry_are_still_refused():
    with pytest.raises(ValidationError, match="二是"):
        _records(problems=["一是社区宣传阵地较为陈旧；二是流动人口参与面不广"])
