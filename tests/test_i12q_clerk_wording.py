"""What a careful clerk changes in a template draft (issue 12, i12q): counts of two or three
activities, a stock frame said twice, a stock effect after every item, a summary naming
itself as a stranger would, a 进… list foreign to the place, cadres called 群众, an outlet
said to have "reported" a column it ran itself. Each test drafts records written here."""

from __future__ import annotations

import re

from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting import phrasing as ph
from pipeline.drafting.phrasing import near
from pipeline.resources import load_yaml
from pipeline.text import kinds as kind
from pipeline.model.records import Records
from pipeline.render import to_markdown


def _records(county: str, acts: list[dict], **extra) -> Records:
    data = {"county": county, "year": 2025, "campaign": "民族团结进步宣传月", "author": f"中共{county}委员会",
            "date": "2025-10-10", "period": {"start": "2025-09-01", "end": "2025-09-30"}, "activities": acts}
    return Records.model_validate({**data, **extra})


def _act(i: int, units: list[str], title: str, section: str, *figures: tuple, **extra) -> dict:
    return {"id": f"a{i:02d}", "date": f"2025-09-{i + 1:02d}", "units": units, "title": title, "section": section,
            "figures": [{"what": w, "value": v, "unit": u} for w, v, u in figures], **extra}


def _clean(records: Records) -> str:
    md = to_markdown(draft_document(records))
    report = check(md, records)
    assert report.ok and report.findings == [], [(f.check, f.excerpt) for f in report.findings]
    return md


def _part(md: str, n: str) -> str:
    return md.split(f"## {n}、", 1)[1].split("\n## ", 1)[0]


_BUSY = [_act(10 + i, [f"{'东西南北中'[i]}湖社区"], t, "publicity", (w, 100 + i, "份"))
         for i, (t, w) in enumerate([("发放民族团结宣传册", "发放宣传册"), ("张贴民族团结宣传海报", "张贴宣传海报"),
                                     ("开展民族政策法规咨询", "发放宣传资料"), ("举办民族团结知识竞赛", "发放奖品"),
                                     ("更新民族团结宣传栏", "更新宣传展板")])]


def test_a_part_of_two_or_three_activities_names_their_kinds_and_a_busy_part_counts_them():
    records = _records("青松县", [
        _act(1, ["县委统战部"], "召开宣传月工作部署会", "leadership", ("参会单位", 26, "个")),
        _act(2, ["县民族宗教事务局"], "对各乡镇宣传月活动开展情况进行督导", "leadership", ("督导乡镇", 8, "个")),
        _act(3, ["县教育局"], "开展民族团结主题班会", "results", ("参与学生", 900, "人")),
        _act(4, ["县文化馆"], "举办民族团结主题文艺演出", "results", ("观看群众", 600, "人")),
        *_BUSY])
    md = _clean(records)
    small = _part(md, "一") + _part(md, "三")
    assert not re.search(r"活动\d项|[^\d]\d项", small), small
    assert "先后开展校园教育和文艺展演活动" in _part(md, "三")
    assert re.search(r"共开展各类活动5项|共开展\S+活动5项", _part(md, "二"))


def test_the_basis_is_cited_once_and_each_stock_frame_said_once():
    basis = [{"issuer": "市民族宗教事务委员会", "title": "关于开展2025年全市民族团结进步宣传月活动的通知"}]
    records = _records("青松县", [
        _act(1, ["县委统战部"], "召开宣传月工作部署会", "leadership", ("参会单位", 26, "个")),
        _act(2, ["县民族宗教事务局"], "对各乡镇宣传月活动开展情况进行督导", "leadership", ("督导乡镇", 8, "个")),
        *_BUSY], basis=basis)
    md = _clean(records)
    assert md.count("要求，") == 1 and md.count("《关于开展2025年全市民族团结进步宣传月活动的通知》") == 1
    assert md.count("开展以来，") <= 1 and len(re.findall(r"(?:^|。)[^，。]{0,16}期间，", md, re.M)) <= 1


def test_a_part_ends_with_at_most_one_stock_effect_and_no_two_effects_say_the_same():
    records = _records("青松县", [*_BUSY, _act(20, ["县卫生健康局"], "开展少数民族群众义诊", "results",
                                               ("义诊群众", 300, "人次")),
                                  _act(21, ["县人社局"], "举办少数民族群众专场招聘会", "results", ("提供岗位", 240, "个"))])
    document = draft_document(records)
    slots, kinds = ph.slots(records), ph.kinds(records)
    purposes = {kind.rewrite(t, kinds).format(**slots) for c in load_yaml("clerk.yaml")["classes"].values()
                for t in c["purpose"] + c.get("plain", {}).get("purpose", [])}
    effects = []
    for section in document.sections:
        said = [s for p in section.paragraphs for s in p.sentences]
        # stock sentences right after a record's (an item's purpose aside): what the work achieved
        mine = [b.text for a, b in zip(said, said[1:]) if a.sources and not b.sources and b.role != "item_lead"
                and b.text.rstrip("。") not in purposes]
        assert len(mine) <= 1, mine
        effects += mine
    assert not any(near(a, b) for i, a in enumerate(effects) for b in effects[i + 1:]), effects
    _clean(records)


def test_a_schools_own_summary_calls_itself_school_and_a_complete_list_takes_no_deng():
    school = "青松县民族中学"
    records = _records(school, [
        _act(1, [school], "召开民族团结教育月工作部署会", "leadership", ("参会教职工", 90, "人")),
        _act(2, ["校德育处"], "开展民族团结主题班会", "publicity", ("覆盖班级", 30, "个")),
        _act(3, [school, "校团委"], "举办民族团结主题演讲比赛", "publicity", ("参赛学生", 48, "名"),
             media=["青松县融媒体中心", "青松教育"])], campaign="民族团结教育月", author=school)
    md = _clean(records)
    body = md.split("\n", 1)[1].rsplit(school, 1)[0]  # less the title and the signature
    assert school not in body, body
    assert "我校" not in body and "学校" in body
    assert "等媒体" not in md and "青松县融媒体中心和青松教育进行了报道" in md


def test_a_towns_jin_list_names_only_where_its_records_went():
    town = "青松镇"
    records = _records(town, [
        _act(1, ["镇党委"], "召开民族团结进步周工作部署会", "leadership", ("参会镇村干部", 30, "人")),
        _act(2, ["镇中心学校"], "开展民族团结主题班会", "publicity", ("参与学生", 500, "名")),
        _act(3, ["镇司法所"], "开展民族政策法规咨询", "publicity", ("发放宣传资料", 600, "份"), place="青松镇农贸市场"),
        _act(4, ["竹林村"], "举办彝汉群众文艺晚会", "publicity", ("观看群众", 300, "人")),
        _act(5, ["镇综合文化站"], "开展民族团结政策宣讲", "publicity", ("听讲群众", 80, "人"), place="竹林村"),
    ], campaign="民族团结进步周", period={"start": "2025-09-01", "end": "2025-09-07"})
    md = _clean(records)
    for foreign in ("进机关", "进社区", "进乡村", "进企业"):
        assert foreign not in md, foreign
    listed = re.search(r"(进[^、。，]{2,6}、)+进[^、。，]{2,6}", md)
    assert listed is None or set(listed.group(0).split("、")) <= {"进学校", "进村组", "进市场"}


def test_activities_for_cadres_are_not_called_the_masses():
    records = _records("青松县", [
        _act(1, ["县委党校"], "举办全县民族工作干部培训班", "publicity", ("培训乡镇和县直部门干部", 85, "名")),
        _act(2, ["县委统战部"], "组织宗教界人士学习宗教政策法规", "publicity", ("参加宗教界人士", 26, "人")),
        _act(3, ["县民族宗教事务局"], "开展“进机关”专题宣讲", "publicity", ("听讲党员", 140, "人"))])
    md = _clean(records)
    assert "群众" not in _part(md, "一"), _part(md, "一")


def test_an_outlet_the_records_give_as_a_units_other_name_does_not_also_report():
    records = _records("青松县", [
        _act(1, ["县民族宗教事务局", "县融媒体中心"], "开设“民族团结在青松”专栏", "publicity", ("刊发稿件", 40, "篇"),
             media=["青松融媒"]),
        _act(2, ["县文化馆"], "举办民族团结主题文艺演出", "publicity", ("观看群众", 600, "人"), media=["青松融媒"])],
        aliases={"县融媒体中心": ["青松融媒"]})
    md = _clean(records)
    column = next(s for s in md.split("。") if "专栏" in s)
    assert "进行了报道" not in column and "县融媒体中心" in column
    assert "青松融媒进行了报道" in md  # the show it did not run, it reported


def test_every_class_has_working_language_for_an_audience_of_staff_only():
    """An item of 干部 or 职工 alone takes no sentence that says 群众 (clerk.yaml audience):
    each class needs a purpose, gloss and effect without it, or such an item goes bare."""
    spec = load_yaml("clerk.yaml")
    avoid = spec["audience"]["avoid"]
    for name, cls in spec["classes"].items():
        for slot in ("purpose", "gloss", "effect"):
            options = cls[slot] + cls.get("plain", {}).get(slot, [])
            assert any(not any(w in o for w in avoid) for o in options), (name, slot)


def test_a_staff_sports_day_still_gets_a_purpose_sentence():
    records = _records("青松县", [
        _act(1, ["县委统战部"], "召开宣传月工作部署会", "leadership", ("参会单位", 26, "个")),
        _act(3, ["县总工会"], "举办民族团结职工趣味运动会", "exchange", ("参赛职工", 310, "人"),
             ("设置比赛项目", 9, "个")),
        _act(5, ["县文化馆"], "举办民族团结主题文艺晚会", "exchange", ("观看群众", 600, "人")),
        _act(7, ["县妇女联合会"], "举办彝族刺绣技能培训班", "exchange", ("培训妇女", 45, "人"))])
    md = _clean(records)
    said = re.split(r"(?<=。)", md.split("趣味运动会", 1)[0])
    # the sentence before the activity's own is working language, not the item's lead alone
    assert not re.search(r"[一二三四五六七八九十]是[^。]*。$", said[-2]), said[-3:]
    assert "群众" not in said[-2]
