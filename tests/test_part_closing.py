"""Issue 12: a part's closing sentence fits the part (template drafter, planner.closing):
the part's own theme first, the general closings only once those are used up, and none
that speaks of many activities (各项活动……形式多样) under a part of one activity."""

from __future__ import annotations

import re

import pytest

from pipeline.drafting import draft_document
from pipeline.inputs import load_records
from pipeline.model.records import Records
from pipeline.resources import load_yaml
from tests.conftest import fixture_files


def _clerk() -> dict:
    return load_yaml("clerk.yaml")


def _is_general(text: str) -> bool:
    """Whether a sentence is one of the general closings (their slots read as any text)."""
    for option in _clerk()["sections"]["general"]:
        pattern = "".join(".+?" if re.fullmatch(r"\{\w+\}", p) else re.escape(p)
                          for p in re.split(r"(\{\w+\})", option))
        if re.fullmatch(pattern, text):
            return True
    return False


def _parts(records: Records):
    for section in draft_document(records).sections:
        sentences = [s for p in section.paragraphs for s in p.sentences]
        acts = {i for s in sentences for i in s.sources}
        if sentences and acts:
            yield section.heading, acts, sentences


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_a_part_of_one_activity_never_closes_on_many_activities(path):
    plural = _clerk()["plural_activities"]
    for heading, acts, sentences in _parts(load_records(path)[0]):
        if len(acts) == 1:
            stock = [s.text for s in sentences if not s.sources]
            assert not [t for t in stock if any(w in t for w in plural)], (heading, stock)


@pytest.mark.parametrize("county", ["石桥镇", "马鞍镇", "青龙镇", "白石乡", "川东街道", "柳溪县"])
def test_each_part_closes_in_its_own_theme_while_the_theme_has_a_closing_left(county):
    records = Records.model_validate({
        "county": county, "year": 2025, "campaign": "民族团结进步周",
        "period": {"start": "2025-05-19", "end": "2025-05-25"},
        "activities": [
            {"id": "a1", "date": "2025-05-19", "units": ["镇党委"], "title": "召开民族团结进步周工作部署会",
             "figures": [{"what": "参会干部", "value": 40, "unit": "人"}]},
            {"id": "a2", "date": "2025-05-21", "units": ["镇卫生院"], "title": "开展义诊活动",
             "figures": [{"what": "接诊群众", "value": 90, "unit": "人次"}]},
            {"id": "a3", "date": "2025-05-23", "units": ["镇文化站"], "title": "举办民族团结主题文艺演出",
             "figures": [{"what": "演出节目", "value": 12, "unit": "个"}]}]})
    closings = [sentences[-1].text for _h, _a, sentences in _parts(records) if not sentences[-1].sources]
    assert closings, "every part of this draft ends in a closing sentence"
    assert not [c for c in closings if _is_general(c)], closings
