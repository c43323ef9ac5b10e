"""The length target (pipeline/model/length.py): what the LLM section prompt asks for and
what the eval's 篇幅比 measures, from what each activity's record can carry."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.drafting import draft_document
from pipeline.drafting.llm.sections import build_parts
from pipeline.evals.metrics import section_lengths
from pipeline.model.length import LengthTarget, material
from pipeline.model.records import Activity, Figure, Records
from pipeline.outline import build_outline


def _act(i: int, title: str, **kw) -> Activity:
    return Activity(id=f"a{i}", date=dt.date(2025, 5, 10 + i), title=title, **{"units": ["镇党委"], **kw})


THIN = _act(1, "召开民族团结进步周工作部署会")
RICH = _act(2, "在镇文化广场举办“石榴籽一家亲”民族团结进步文艺汇演", place="镇文化广场",
            units=["镇党委宣传办", "镇文化站", "镇中心小学"],
            figures=[Figure(what="演出节目", value=18, unit="个"), Figure(what="观看群众", value=1500, unit="人"),
                     Figure(what="发放宣传折页", value=2600, unit="份")],
            media=["县融媒体中心", "“云上石桥”微信公众号"], documents=["石桥镇民族团结进步周活动方案"])


def test_a_thin_record_asks_for_its_material_and_a_frame_not_the_flat_budget():
    t = LengthTarget()
    assert material(THIN) == len("召开民族团结进步周工作部署会") + len("镇党委")
    assert t.budget(THIN) == t.frame + material(THIN) < t.per_activity


def test_a_rich_record_asks_for_the_full_budget_and_a_section_for_at_most_the_maximum():
    t = LengthTarget()
    assert material(RICH) + t.frame > t.per_activity and t.budget(RICH) == t.per_activity
    assert t.target([RICH, THIN]) == t.base + t.per_activity + t.budget(THIN)
    assert t.target([RICH] * 40) == t.maximum


def test_the_note_asks_for_nothing():
    assert material(_act(3, "召开座谈会", note="会议要求各村高度重视" * 20)) == material(_act(3, "召开座谈会"))


def _records(*acts: Activity) -> Records:
    return Records(county="石桥镇", year=2025, campaign="民族团结进步周", activities=list(acts))


def test_the_llm_section_prompt_states_the_target_the_eval_measures():
    records = _records(THIN, RICH, _act(4, "开展民族团结主题宣讲", figures=[Figure(what="受众", value=90, unit="人")]))
    outline = build_outline(records)
    document = draft_document(records)
    wanted = {s["key"]: s["target"] for s in section_lengths(document, records, LengthTarget())}
    stated = {}
    for part in build_parts(records, outline, document):
        if part.kind == "practice":
            stated[part.key] = int(re.search(r"篇幅：约(\d+)字", part.prompt("[]"))[1])
    assert stated and stated == wanted


def test_a_bureaus_own_summary_is_measured_as_it_says_its_name():
    """A bureau's own summary writes 我局 for itself after the first mention (selfname.py),
    so its target counts the self word, not the full name, for the bureau's own work; the
    LLM prompt and the eval measure with the same names."""
    bureau = "县民族宗教事务局"
    acts = [_act(i, t, units=[bureau]) for i, t in enumerate(["召开创建工作推进会", "开展示范单位实地评估"], 1)]
    acts.append(_act(3, "举办民族工作干部培训班", units=[bureau, "县委党校"]))
    records = Records(county="柏溪县", year=2025, campaign="民族团结进步示范创建", activities=acts,
                      author="柏溪县民族宗教事务局", date=dt.date(2025, 12, 20))
    plain = LengthTarget().target(acts)
    spoken = LengthTarget().target(acts, {bureau: "我局"})
    assert plain - spoken == 3 * (len(bureau) - 2)
    sections = section_lengths(draft_document(records), records, LengthTarget())
    assert sum(s["target"] for s in sections) < sum(
        LengthTarget().target(a for a in acts if a.id in spec.activity_ids)
        for spec in build_outline(records).sections if spec.kind == "practice" and spec.activity_ids)
    parts = {p.key: p.target for p in build_parts(records, build_outline(records), draft_document(records))
             if p.kind == "practice"}
    assert {s["key"]: s["target"] for s in sections} == parts


def test_an_outlet_the_title_names_is_counted_once():
    """通过“东湖微家园”公众号推送…… with media 东湖微家园微信公众号: the draft names the outlet in
    the title and may not say it reported the piece too (style.wording), so it asks for no more."""
    title = "通过“东湖微家园”公众号推送民族团结知识线上答题"
    assert material(_act(5, title, media=["东湖微家园微信公众号"])) == material(_act(5, title))
    assert material(_act(5, title, media=["县融媒体中心"])) == material(_act(5, title)) + len("县融媒体中心")
