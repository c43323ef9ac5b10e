"""facts.date: the range a sentence about several activities opens with
(9月2日至5日，…先后召开工作安排会3场) holds every activity the sentence reports."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.model.records import Records


def _records() -> Records:
    acts = [("a", "2025-09-02", "金城街道"), ("b", "2025-09-03", "新城街道"), ("c", "2025-09-05", "滨江街道"),
            ("d", "2025-09-20", "青龙镇")]
    return Records.model_validate({
        "county": "锦川区", "year": 2025, "campaign": "民族团结进步宣传月",
        "period": {"start": "2025-09-01", "end": "2025-09-30"},
        "activities": [{"id": i, "date": d, "units": [u], "title": "召开辖区宣传月工作安排会"}
                       for i, d, u in acts[:3]]
        + [{"id": "d", "date": "2025-09-20", "units": ["青龙镇"], "title": "举办民族团结主题文艺演出"}]})


_HEAD = "# 锦川区2025年民族团结进步宣传月工作总结\n\n## 一、安排部署\n\n"
_LINE = "{when}，金城街道、新城街道、滨江街道先后召开辖区宣传月工作安排会3场。9月20日，青龙镇举办民族团结主题文艺演出。\n"


def _date_findings(when: str):
    text = _HEAD + _LINE.format(when=when)
    return [f for f in check(text, _records()).findings if f.check.startswith("facts.")], text


@pytest.mark.parametrize("when", ["9月2日至5日", "9月1日至30日", "9月2日、3日、5日"])
def test_a_range_that_holds_the_activities_is_proven(when):
    assert _date_findings(when)[0] == []


@pytest.mark.parametrize("when", ["9月3日至5日", "9月2日至3日"])  # each end a recorded day
def test_a_range_that_leaves_one_out_is_a_wrong_date(when):
    findings, text = _date_findings(when)
    assert [f.check for f in findings] == ["facts.date"]
    assert findings[0].line == 5 and "本句所写的3项活动从9月2日至5日" in findings[0].message
