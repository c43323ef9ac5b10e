"""The object of an activity said again after another verb before its number (推出“石榴籽”
专题节目，播出专题节目12期): style.echo reports it, and the template drafter writes the
number after the object once (推出“石榴籽”专题节目12期)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.model.records import Activity, Figure, Records
from pipeline.render import to_markdown


@pytest.mark.parametrize("line, echoed", [
    ("5月27日，校团委通过校园广播站推出“石榴籽”专题节目，播出专题节目12期。", "专题节目"),
    ("9月8日，社区在文化长廊设置民族团结宣传展板，更新宣传展板20块。", "宣传展板"),
])
def test_the_object_again_after_another_verb_is_an_echo(line, echoed):
    found = [f for f in check(f"# 标题\n\n{line}\n").findings if f.check == "style.echo"]
    assert len(found) == 1 and found[0].excerpt.startswith(echoed)


@pytest.mark.parametrize("line", [
    "6月12日，县民族宗教事务局举办全县民族工作干部培训班，培训乡镇干部85名。",
    "7月8日，县融媒体中心开设“民族团结进步在柏溪”专栏，刊发稿件46篇。",
    "5月22日，校体育教研组举办传统体育运动会，参赛学生540名。",
])
def test_a_new_object_after_the_verb_is_no_echo(line):
    assert not [f for f in check(f"# 标题\n\n{line}\n").findings if f.check == "style.echo"]


def test_the_drafter_says_the_object_once():
    act = Activity(id="g1", date=dt.date(2025, 5, 27), units=["校团委"], title="通过校园广播站推出“石榴籽”专题节目",
                   figures=[Figure(what="播出专题节目", value=12, unit="期")])
    records = Records(county="青禾县民族中学", year=2025, campaign="民族团结教育月", activities=[act])
    md = to_markdown(draft_document(records))
    assert "推出“石榴籽”专题节目12期" in md and "播出专题节目" not in md
    assert check(md, records).ok
