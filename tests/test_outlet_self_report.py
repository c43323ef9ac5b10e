"""Issue 12: an outlet already named in the sentence by its own name (通过“桂园之声”公众号推送……)
is not said to have "reported" it too (……，桂园之声微信公众号进行了报道): the drafter leaves it
out, style.wording sees it in any draft. One helper for both: pipeline/text/outlets.py."""

from __future__ import annotations

import pytest

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.model.records import Records
from pipeline.render import to_markdown
from pipeline.text.outlets import names_outlet, outlet_core


@pytest.mark.parametrize("name, core", [
    ("桂园之声微信公众号", "桂园之声"), ("“桂园之声”公众号", "桂园之声"), ("青溪发布", "青溪发布"),
    ("石榴红抖音号", "石榴红"), ("县融媒体中心", "县融媒体中心"), ("公众号", "公众号"),
])
def test_an_outlets_own_name(name, core):
    assert outlet_core(name) == core


def test_a_sentence_names_an_outlet_by_its_own_name_only():
    assert names_outlet("通过“桂园之声”公众号推送民族团结微文章", "桂园之声微信公众号")
    assert not names_outlet("通过“桂园之声”公众号推送民族团结微文章", "桂园日报")


def _records(title: str, media: list[str]) -> Records:
    return Records.model_validate({
        "county": "青溪镇", "year": 2025, "campaign": "民族团结进步宣传月",
        "period": {"start": "2025-09-01", "end": "2025-09-30"},
        "activities": [
            {"id": "a1", "date": "2025-09-02", "units": ["镇党委"], "title": "召开宣传月工作部署会"},
            {"id": "a2", "date": "2025-09-12", "units": ["镇党政办"], "title": title, "media": media,
             "figures": [{"what": "推送文章", "value": 8, "unit": "篇"}]}]})


@pytest.mark.parametrize("title, media, named, other", [
    ("通过“青溪之窗”公众号推送民族团结系列文章", ["青溪之窗微信公众号"], "青溪之窗微信公众号", None),
    ("在“石榴红”抖音号发布民族团结短视频", ["石榴红抖音号", "县融媒体中心"], "石榴红抖音号", "县融媒体中心"),
])
def test_the_drafter_does_not_have_the_publishing_outlet_report_itself(title, media, named, other):
    records = _records(title, media)
    text = to_markdown(draft_document(records))
    assert f"{named}进行了报道" not in text and f"{named}和" not in text
    if other:
        assert f"{other}进行了报道" in text
    report = check(text, records)
    assert report.ok and not [f for f in report.findings if f.check.startswith("style.")]


def test_style_wording_sees_an_outlet_reporting_what_it_published():
    records = _records("通过“青溪之窗”公众号推送民族团结系列文章", ["青溪之窗微信公众号", "县融媒体中心"])
    head = "# 青溪镇2025年民族团结进步宣传月工作总结\n\n## 一、广泛宣传\n\n9月12日，镇党政办通过“青溪之窗”公众号推送民族团结系列文章8篇，"
    bad = check(head + "青溪之窗微信公众号进行了报道。\n", records)
    assert [f for f in bad.findings if f.check == "style.wording" and f.excerpt == "青溪之窗微信公众号"]
    good = check(head + "县融媒体中心进行了报道。\n", records)
    assert not [f for f in good.findings if f.check == "style.wording"]
