"""Issue 12, wording a careful clerk would sign (template drafter): a unit's own summary
speaks as 我局 after naming itself once; a plural subject only over several units; a part
opening that counts or names kinds as a clerk does; a lead that fits all its items; a unit
that directs a collective (校德育处组织各班…)."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting.selfname import self_word
from pipeline.inputs import load_records
from pipeline.model.records import Records
from pipeline.render import to_markdown


def _records(county: str, author: str | None, acts: list[dict], campaign: str = "民族团结进步示范创建",
             **extra) -> Records:
    data = {"county": county, "year": 2024, "campaign": campaign,
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
            "activities": [{"id": f"a{i}", **a} for i, a in enumerate(acts, start=1)],
            "plans": ["修订测评办法", "推动示范乡通过验收"], **extra}
    if author:
        data["author"], data["date"] = author, "2024-12-20"
    return Records.model_validate(data)


def _clean(records: Records) -> str:
    """The template draft, which must pass every check with no style finding."""
    text = to_markdown(draft_document(records))
    report = check(text, records)
    style = [(f.check, f.excerpt, f.message) for f in report.findings if f.check.startswith("style")]
    assert report.ok and not style, (style, [f.message for f in report.findings if f.severity == "error"])
    return text


def _body(text: str) -> list[str]:
    """The draft's sentences, title, headings and signature left out."""
    paragraphs = [p for p in text.split("\n\n") if p and not p.startswith("#")][:-1]
    return [s for p in paragraphs for s in re.findall(r"[^。：；]+[。：；]", p)]


BUREAU = "县民族宗教事务局"
BUREAU_ACTS = [
    {"date": "2024-03-01", "units": [BUREAU], "title": "召开全县创建工作推进会",
     "figures": [{"what": "参会人员", "value": 80, "unit": "人"}]},
    {"date": "2024-04-10", "units": [BUREAU], "title": "对申报县级示范单位开展实地评估",
     "figures": [{"what": "评估申报单位", "value": 27, "unit": "个"}]},
    {"date": "2024-05-20", "units": [BUREAU], "title": "命名第三批县级民族团结进步示范单位",
     "figures": [{"what": "命名示范单位", "value": 18, "unit": "个"}]},
    {"date": "2024-06-12", "units": [BUREAU, "县委党校"], "title": "举办全县民族工作干部培训班",
     "figures": [{"what": "培训干部", "value": 85, "unit": "名"}]},
    {"date": "2024-08-22", "units": [BUREAU, "县财政局"], "title": "争取少数民族发展资金支持民族村寨建设",
     "figures": [{"what": "实施项目", "value": 12, "unit": "个"}]},
    {"date": "2024-10-15", "units": [BUREAU], "title": "走访慰问少数民族困难家庭",
     "figures": [{"what": "走访慰问", "value": 30, "unit": "户"}]},
]


@pytest.mark.parametrize("unit, word", [
    ("县民族宗教事务局", "我局"), ("县民族宗教事务委员会", "我委"), ("县委统战部", "我部"),
    ("县委办公室", "我办"), ("县融媒体中心", "我中心"), ("县民宗委", "我委"), ("县委党校", "我校"),
    ("县民族团结进步创建工作领导小组", None),
])
def test_a_unit_calls_itself_by_its_own_kind_of_body(unit, word):
    assert self_word(unit) == word


def test_a_bureau_names_itself_once_then_writes_we():
    text = _clean(_records("柏溪县", "柏溪县民族宗教事务局", BUREAU_ACTS))
    sentences = _body(text)
    named = [s for s in sentences if BUREAU in s]
    # named in full where first said, then only beside another unit of the same list
    assert named[0] == next(s for s in sentences if BUREAU in s or "我局" in s)
    for s in named[1:]:  # named again only in a list of units, so who did what stays clear
        assert f"{BUREAU}、" in s, s
    assert "我局" in text and "下一步，我局将" in text
    # the partner follows 联合, so 我局 stays clear there (a clerk writes 我局联合县财政局)
    assert "我局联合县财政局" in text and f"{BUREAU}联合" not in text


DATED = re.compile(r"^\d{1,2}月[^，。；]{0,40}?日，")


def test_a_run_of_the_bureaus_own_dated_sentences_does_not_restate_we_each_time():
    acts = [{**a, "units": [BUREAU]} for a in BUREAU_ACTS]
    text = _clean(_records("柏溪县", "柏溪县民族宗教事务局", acts))
    paragraphs = [p for p in text.split("\n\n") if p and not p.startswith("#")][:-1]
    dropped = 0
    for p in paragraphs:
        sentences = re.findall(r"[^。]+。", p)
        for before, s in zip(sentences, sentences[1:]):
            head = DATED.match(s)
            if not head or s[head.end():].startswith(("我局", BUREAU)):
                continue
            if any(s[head.end():].startswith(w) for w in ("县", "镇", "乡")):
                continue  # another unit's sentence
            dropped += 1
            # a subject is left out only right after a sentence whose subject is 我局
            said = DATED.match(before)
            assert (before[said.end():] if said else before).startswith("我局"), (before, s)
        we = [s for s in sentences if (m := DATED.match(s)) and s[m.end():].startswith("我局")]
        for a, b in zip(sentences, sentences[1:]):
            assert not (a in we and b in we), (a, b)  # never twice in a row
    assert dropped >= 2
    assert not re.search(r"日，联合", text)  # 联合 always keeps its subject


def test_a_committee_writes_wo_wei():
    acts = [{**a, "units": ["县民族宗教事务委员会", *a["units"][1:]]} for a in BUREAU_ACTS]
    text = _clean(_records("柏溪县", "柏溪县民族宗教事务委员会", acts))
    assert "我委" in text and "我局" not in text


def test_a_county_summary_does_not_speak_as_one_bureau():
    """The bureau's work in the county's own summary (author: the county) is named, never 我局."""
    acts = [*BUREAU_ACTS, {"date": "2024-09-01", "units": ["县委统战部"], "title": "召开民族团结进步创建工作座谈会"},
            {"date": "2024-09-08", "units": ["县教育局"], "title": "开展民族团结进校园活动"},
            {"date": "2024-09-09", "units": ["县文化馆"], "title": "举办民族团结主题文艺演出"}]
    text = _clean(_records("柏溪县", "柏溪县人民政府", acts))
    assert "我局" not in text and "我部" not in text
    assert f"，{BUREAU}" in text


PLURAL = re.compile(r"(?:^|，)(?:各单位|各学校|学校各部门|各相关单位|各级各部门)")
ONE_UNIT_ACTS = [
    {"date": "2024-09-02", "title": "举办民族团结知识竞赛", "figures": [{"what": "参赛人员", "value": 120, "unit": "名"}]},
    {"date": "2024-09-05", "title": "开展民族团结进校园活动", "figures": [{"what": "参与学生", "value": 600, "unit": "人次"}]},
    {"date": "2024-09-09", "title": "走访慰问少数民族困难家庭", "figures": [{"what": "走访慰问", "value": 20, "unit": "户"}]},
    {"date": "2024-09-12", "title": "举办民族团结主题文艺演出", "figures": [{"what": "演出节目", "value": 12, "unit": "个"}]},
    {"date": "2024-09-15", "title": "开设民族团结宣传专栏", "figures": [{"what": "刊发稿件", "value": 20, "unit": "篇"}]},
    {"date": "2024-09-20", "title": "开展民族政策宣讲", "figures": [{"what": "听众", "value": 300, "unit": "人次"}]},
]


@pytest.mark.parametrize("county, author, unit", [
    ("澜水县", "澜水县人民政府", "县文化馆"),
    ("青禾县民族中学", "青禾县民族中学", "校团委"),
    ("枫林街道", "枫林街道办事处", "枫林小学"),
])
def test_work_of_one_unit_has_no_plural_subject(county, author, unit):
    acts = [{**a, "units": [unit]} for a in ONE_UNIT_ACTS]
    text = _clean(_records(county, author, acts, campaign="民族团结进步宣传月"))
    assert not [s for s in _body(text) if PLURAL.search(s)], [s for s in _body(text) if PLURAL.search(s)]
    assert text.count(unit) > len(acts)  # the unit is the subject of its own work's leads too


def test_work_of_several_units_keeps_the_plural():
    units = ["县文化馆", "县教育局", "县民族宗教事务局", "县融媒体中心", "县委宣传部", "县司法局"]
    acts = [{**a, "units": [u]} for a, u in zip(ONE_UNIT_ACTS, units)]
    acts += [{**a, "date": a["date"][:-1] + "8", "units": [u]} for a, u in zip(ONE_UNIT_ACTS, reversed(units))]
    text = _clean(_records("澜水县", "澜水县人民政府", acts, campaign="民族团结进步宣传月"))
    assert [s for s in _body(text) if PLURAL.search(s)]


def _part(text: str, heading: str) -> list[str]:
    """The paragraphs of the part under a heading."""
    part = text.split(f"、{heading}\n\n", 1)[1].split("\n\n## ", 1)[0]
    return [p for p in part.split("\n\n") if p.strip()]


OUTLINE = [{"key": "leadership", "heading": "健全机制，压实责任"}, {"key": "model", "heading": "示范引领，以点带面"},
           {"key": "publicity", "heading": "丰富载体，营造氛围"}]
KIND_ACTS = [
    {"date": "2024-02-26", "units": [BUREAU], "title": "印发全县民族团结进步示范创建工作要点", "section": "leadership",
     "documents": ["柏溪县2024年民族团结进步示范创建工作要点"]},
    {"date": "2024-03-14", "units": ["县委统战部"], "title": "召开创建工作成员单位联席会议", "section": "leadership",
     "figures": [{"what": "参会成员单位", "value": 31, "unit": "个"}]},
    {"date": "2024-04-10", "units": [BUREAU], "title": "对申报县级示范单位开展实地评估", "section": "model",
     "figures": [{"what": "评估申报单位", "value": 27, "unit": "个"}]},
    {"date": "2024-05-20", "units": [BUREAU], "title": "命名第三批县级民族团结进步示范单位", "section": "model",
     "figures": [{"what": "命名示范单位", "value": 18, "unit": "个"}]},
    {"date": "2024-09-18", "units": [BUREAU], "title": "指导青杠乡创建省级民族团结进步示范乡", "section": "model"},
    {"date": "2024-11-20", "units": [BUREAU], "title": "对已命名示范单位开展动态管理复查", "section": "model",
     "figures": [{"what": "复查示范单位", "value": 40, "unit": "个"}]},
    {"date": "2024-06-05", "units": ["县融媒体中心"], "title": "开设民族团结进步专栏", "section": "publicity",
     "figures": [{"what": "刊发稿件", "value": 46, "unit": "篇"}]},
    {"date": "2024-06-12", "units": ["县文化馆"], "title": "举办民族团结主题文艺演出", "section": "publicity",
     "figures": [{"what": "演出节目", "value": 12, "unit": "个"}]},
    {"date": "2024-06-20", "units": ["县教育局"], "title": "开展民族团结进校园活动", "section": "publicity",
     "figures": [{"what": "参与学生", "value": 900, "unit": "人次"}]},
    {"date": "2024-06-28", "units": ["县司法局"], "title": "开展民族政策法规普法宣传", "section": "publicity",
     "figures": [{"what": "发放宣传资料", "value": 800, "unit": "份"}]},
]


def _kind_records(acts=KIND_ACTS) -> Records:
    return _records("柏溪县", "柏溪县人民政府", acts, outline=OUTLINE)


def test_a_part_of_one_kind_does_not_open_by_naming_the_kind():
    """先后开展安排部署活动。……坚持把安排部署作为开展工作的第一步: the items say what was done."""
    text = _clean(_kind_records())
    lead, *rest = re.findall(r"[^。]+。", _part(text, "健全机制，压实责任")[0])
    assert "安排部署" not in "".join(rest[:2]) and "开展安排部署活动" not in text
    assert rest[0].startswith("2月26日，")  # the first activity follows the lead


def test_a_part_of_one_kind_with_many_activities_is_one_paragraph_and_says_its_kind_once():
    """Not 共开展示范创建活动4项 alone in a paragraph, then ……以示范创建为抓手 again."""
    text = _clean(_kind_records())
    [paragraph] = _part(text, "示范引领，以点带面")
    sentences = re.findall(r"[^。]+。", paragraph)
    counted = next(i for i, s in enumerate(sentences) if "示范创建活动4项" in s)
    assert "示范创建" not in sentences[counted + 1]


def test_kinds_of_one_activity_each_are_named_not_counted():
    """共开展各类活动4项，其中媒体宣传1项、文艺展演1项……: each kind once is named."""
    text = _clean(_kind_records())
    part = "".join(_part(text, "丰富载体，营造氛围"))
    assert "1项" not in part and "其中" not in part
    assert re.search(r"开展各类活动4项，涵盖(?:媒体宣传|文艺展演|校园教育|政策法规宣传)、[^。，]+和[^。，]+[，。]", part), part


@pytest.mark.parametrize("shape", ["涵盖", "bare"])
def test_the_range_a_count_of_the_parts_activities_opens_with_is_checked(shape):
    """5月20日至29日，…共开展各类活动4项，涵盖……: a start moved to 15日 is an error, though
    an activity of another part (5月16日) lies in the wider range; with or without the kinds."""
    records, _ = load_records(FIXTURES / "qinghe_school_education_month.yaml")
    text = _clean(records)
    if shape == "bare":
        text = re.sub(r"(共开展各类活动4项)，涵盖[^。]+。", r"\1。", text)
    m = re.search(r"5月20日(至[^，]{2,8}，[^。]*共开展各类活动4项)", text)
    assert m and check(text, records).ok, text
    for day in (15, 21):
        report = check(text.replace(m.group(0), f"5月{day}日{m.group(1)}"), records)
        assert any(f.check == "facts.date" for f in report.findings if f.severity == "error"), day


def test_kinds_of_differing_counts_keep_their_breakdown():
    extra = [{"date": "2024-07-02", "units": ["县文化馆"], "title": "举办民族团结主题文艺晚会", "section": "publicity",
              "figures": [{"what": "演出节目", "value": 9, "unit": "个"}]}]
    part = "".join(_part(_clean(_kind_records(KIND_ACTS + extra)), "丰富载体，营造氛围"))
    assert "共开展各类活动5项，其中文艺展演2项" in part


def test_a_lead_phrase_fits_every_activity_it_leads():
    from pipeline.drafting.phrasing import covering
    leads = ["走访服务暖民心", "开展走访慰问", "办实事解难题"]
    assert covering(leads, ["开展少数民族群众义诊", "走访慰问少数民族困难家庭"], "visit") == ["办实事解难题"]
    assert covering(leads, ["走访慰问困难党员", "走访慰问少数民族困难家庭"], "visit") == leads


def test_a_draft_leads_visits_and_a_clinic_by_what_they_share():
    """一是开展走访慰问 over a 义诊 and a 慰问: the lead names only part of its items."""
    acts = [{"date": "2024-09-18", "units": ["区人民医院"], "title": "在新华村开展少数民族群众义诊",
             "figures": [{"what": "义诊群众", "value": 52, "unit": "人"}]},
            {"date": "2024-09-25", "units": ["区民族宗教事务局"], "title": "走访慰问少数民族困难家庭",
             "figures": [{"what": "走访慰问", "value": 20, "unit": "户"}]},
            {"date": "2024-09-27", "units": ["区委统战部"], "title": "命名区级民族团结进步示范单位",
             "figures": [{"what": "命名示范单位", "value": 6, "unit": "个"}]},
            {"date": "2024-09-02", "units": ["区委统战部"], "title": "召开民族团结进步宣传月工作部署会"}]
    text = _clean(_records("北岭区", "中共北岭区委统战部", acts, campaign="民族团结进步宣传月"))
    item = re.search(r"[一二三]是([^。]+)。[^一二三]*义诊", text)
    assert item and item.group(1) not in ("开展走访慰问", "走访服务暖民心"), text


def test_a_unit_directs_a_collective_through_a_verb():
    """校德育处各班开展……: a unit and a plural body need 组织 between them."""
    acts = [{"date": "2024-09-03", "units": ["校德育处"], "title": "各班开展“我们都是一家人”主题班会",
             "figures": [{"what": "覆盖班级", "value": 36, "unit": "个"}]},
            {"date": "2024-09-10", "units": ["校团委"], "title": "全体团员开展民族团结志愿服务"},
            {"date": "2024-09-12", "units": ["校党支部"], "title": "召开民族团结教育月工作部署会"},
            {"date": "2024-09-20", "units": ["校工会"], "title": "各年级举办民族团结主题手抄报评比"},
            {"date": "2024-09-22", "units": ["校美术教研组"], "title": "各年级举办民族团结主题手抄报评比"}]
    text = _clean(_records("青禾县民族中学", "青禾县民族中学", acts, campaign="民族团结教育月"))
    assert "校德育处组织各班开展" in text and "校团委组织全体团员开展" in text
    assert re.search(r"校工会、校美术教研组先后组织各年级举办", text), text
    assert not re.search(r"(?:处|委|会|组)(?:各|全体)", text.replace("校团委组织", ""))


@pytest.mark.parametrize("said, want", [
    ("6月12日至12月5日，县民族宗教事务局、县委党校、县融媒体中心先后开展宣讲培训。",
     "6月12日至12月5日，我局会同县委党校、县融媒体中心先后开展宣讲培训。"),
    ("县民族宗教事务局、县财政局分别召开会议。", "我局会同县财政局分别召开会议。"),
    # further in a list the bureau keeps its name: who did what stays clear
    ("县委党校、县民族宗教事务局先后开展宣讲。", "县委党校、县民族宗教事务局先后开展宣讲。"),
    # a list with no 先后/分别 is not one the bureau leads
    ("县民族宗教事务局、县委党校的干部参加培训。", "县民族宗教事务局、县委党校的干部参加培训。"),
])
def test_a_list_the_bureau_leads_reads_we_together_with(said, want):
    from pipeline.drafting.selfname import SelfName
    from pipeline.model.document import Sentence

    voice = SelfName([BUREAU, "柏溪县民族宗教事务局"], "我局")
    voice(Sentence(text="县民族宗教事务局认真组织开展创建工作。"))  # the first mention names it
    assert voice(Sentence(text=said)).text == want


@pytest.mark.parametrize("value, approx, said", [(240000, True, "阅读量达24万余人次"), (125000, False, "阅读量达12.5万人次"),
                                                 (123456, True, "阅读量达123456余人次"), (99000, False, "阅读量达99000人次")])
def test_a_large_round_count_is_said_in_wan_and_the_check_reads_it_back(value, approx, said):
    records = _records("柏溪县", None, [
        {"date": "2024-03-02", "units": ["县融媒体中心"], "title": "开设民族团结进步专栏",
         "figures": [{"what": "刊发稿件", "value": 46, "unit": "篇"},
                     {"what": "阅读量", "value": value, "unit": "人次", "approx": approx}]},
        {"date": "2024-05-20", "units": ["县民族宗教事务局"], "title": "召开创建工作推进会",
         "figures": [{"what": "参会单位", "value": 31, "unit": "个"}]}])
    md = _clean(records)
    assert said in md
    wrong = md.replace(said, said.replace("24万", "25万").replace("12.5万", "13.5万")
                       .replace("123456", "123457").replace("99000", "98000"))
    assert not check(wrong, records).ok
