"""The Excel ledger (台账) importer: pipeline/ledger.py and pipeline/ledger_cells.py.

The committed workbooks are fixtures/ledger/*.xlsx (described in fixtures/ledger/README.md);
edge cases are built here in tmp_path.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from pipeline.errors import InputError
from pipeline.inputs import LedgerPlace, load_records, load_workbook_records
from pipeline.inputs.ledger_cells import (
    CellError,
    parse_date,
    parse_figures,
    parse_flag,
    parse_range,
)
from pipeline.inputs.ledger_template import write_template
from pipeline.orchestrator import draft

LEDGERS = FIXTURES / "ledger"
D = dt.datetime
HEAD = ["编号", "日期", "结束日期", "单位", "活动", "地点", "栏目", "数据", "文件", "媒体", "备注", "重点"]
FACTS = [["项目", "内容"], ["县名", "桂溪县"], ["年度", 2024], ["活动名称", "民族团结进步宣传月"],
         ["期间", "2024-09-01至2024-09-30"]]


def make_book(tmp_path, sheets: dict[str, list[list]], name: str = "台账.xlsx", merge: dict | None = None):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        for rng in (merge or {}).get(title, []):
            ws.merge_cells(rng)
    path = tmp_path / name
    book.save(path)
    return path


def act(aid, date, units="县委统战部", title="召开部署会", **cols):
    row = dict(zip(HEAD, [aid, date, None, units, title] + [None] * 7))
    row.update(cols)
    return [row[h] for h in HEAD]


def one_place(tmp_path, rows, facts=FACTS, **kw) -> LedgerPlace:
    [place] = load_workbook_records(make_book(tmp_path, {"概况": facts, "活动": [HEAD, *rows]}), **kw)
    return place


def by_path(place: LedgerPlace) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in place.problems:
        out.setdefault(p.path, []).append(p.message)
    return out


# ---------------------------------------------------------------- the committed workbooks

BAIXI_YAML = """\
county: 柏溪县
year: 2024
campaign: 民族团结进步宣传月
period: {start: 2024-09-01, end: 2024-09-30}
author: 中共柏溪县委统战部
date: 2024-10-14
basis:
  - issuer: 市委统战部、市民族宗教事务委员会
    title: 关于开展2024年全市民族团结进步宣传月活动的通知
  - issuer: 县委办公室
    title: 柏溪县2024年铸牢中华民族共同体意识工作要点
aliases:
  县委统一战线工作部: [县委统战部]
  县民族宗教事务局: [县民宗局]
activities:
  - id: b01
    date: 2024-09-02
    units: [县委统战部, 县委宣传部, 县民族宗教事务局]
    title: 召开全县民族团结进步宣传月任务部署会
    place: 县行政中心三楼会议室
    section: leadership
    figures:
      - {what: 参会单位, value: 28, unit: 个}
      - {what: 参会人员, value: 61, unit: 人}
    documents: [关于开展2024年全县民族团结进步宣传月活动的通知]
    note: 县委常委、统战部部长出席并讲话
    highlight: true
  - id: b02
    date: 2024-09-05
    end_date: 2024-09-30
    units: [县融媒体中心]
    title: 开设“石榴花开·柏溪同心”专栏
    section: publicity
    figures:
      - {what: 刊发稿件, value: 38, unit: 条}
      - {what: 累计阅读量, value: 96000, unit: 人次, approx: true}
    media: [柏溪县融媒体中心, 柏溪发布微信公众号]
  - id: b03
    date: 2024-09-08
    units: [溪口镇, 县文化和旅游局]
    title: 举办“中华民族一家亲”文艺汇演
    place: 溪口镇文化广场
    section: publicity
    figures:
      - {what: 观看群众, value: 800, unit: 人, approx: true}
      - {what: 发放宣传资料, value: 12000, unit: 份}
    media: [柏溪县融媒体中心]
    note: 各族群众自编自演节目12个
    highlight: true
  - id: b04
    date: 2024-09-12
    units: [县教育体育局]
    title: 开展“石榴籽”主题班会和民族知识竞赛
    section: publicity
    figures:
      - {what: 参与师生, value: 3600, unit: 人次}
    note: 全县19所中小学参与
  - id: b05
    date: 2024-09-15
    units: [县民族宗教事务局, 县人民医院]
    title: 走进少数民族聚居村开展义诊和健康咨询
    place: 岩头村
    section: results
    figures:
      - {what: 服务少数民族群众, value: 52, unit: 人}
      - {what: 发放药品价值, value: 1.5, unit: 万元}
    highlight: true
  - id: b06
    date: 2024-09-20
    end_date: 2024-09-22
    units: [县人力资源和社会保障局]
    title: 举办少数民族群众专场招聘会
    place: 县人力资源市场
    section: results
    figures:
      - {what: 进场企业, value: 24, unit: 家}
      - {what: 提供岗位, value: 600, unit: 个}
      - {what: 达成就业意向, value: 87, unit: 人}
  - id: b07
    date: 2024-09-25
    units: [县委统战部]
    title: 走访慰问少数民族困难群众
    place: 各乡镇
    section: results
    figures:
      - {what: 走访慰问困难家庭, value: 35, unit: 户}
      - {what: 发放慰问金, value: 7, unit: 万元}
  - id: b08
    date: 2024-09-27
    units: [县委统战部, 县民族宗教事务局]
    title: 印发民族团结进步示范单位创建方案
    section: leadership
    documents: [柏溪县民族团结进步示范单位创建实施方案, 关于推荐第二批示范单位的通知]
problems:
  - 部分乡镇宣传形式较为单一，群众参与面有待扩大
  - 宣传教育的针对性和吸引力还需增强
plans:
  - 推动民族团结进步宣传教育常态化
  - 持续开展进机关、进企业、进社区等活动
"""


def test_one_place_ledger_equals_the_yaml(tmp_path):
    [place] = load_workbook_records(LEDGERS / "柏溪县台账.xlsx")
    assert place.name == "柏溪县" and place.problems == []
    yaml_path = tmp_path / "柏溪县.yaml"
    yaml_path.write_text(BAIXI_YAML, encoding="utf-8")
    expected, _ = load_records(yaml_path)
    assert place.records == expected
    report = draft(place.records).report
    assert report.ok, [str(f) for f in report.findings]


HEZHUANG_YAML = """\
county: 鹤庄县
year: 2024
campaign: 民族团结进步宣传月
period: {start: 2024-09-01, end: 2024-09-30}
author: 中共鹤庄县委统战部
date: 2024-10-10
basis:
  - {issuer: 市民族宗教事务委员会, title: 关于开展2024年全市民族团结进步宣传月活动的通知}
problems: [宣传形式较为单一]
plans: [推动宣传教育常态化]
activities:
  - {id: h01, date: 2024-09-03, units: [县委统战部], title: 召开宣传月工作部署会, section: leadership,
     figures: [{what: 参会人员, value: 45, unit: 人}], highlight: true}
  - {id: h02, date: 2024-09-10, units: [城关镇], title: 举办民族团结主题文艺晚会, place: 城关镇广场,
     section: publicity, figures: [{what: 观看群众, value: 1200, unit: 人, approx: true}],
     media: [鹤庄县融媒体中心]}
  - {id: h03, date: 2024-09-24, units: [县委统战部, 县总工会], title: 走访慰问少数民族困难职工,
     section: results, figures: [{what: 走访困难职工家庭, value: 20, unit: 户}]}
"""


def test_multi_place_ledger(tmp_path):
    places = load_workbook_records(LEDGERS / "多地区台账.xlsx")
    assert [p.name for p in places] == ["鹤庄县", "梅岭区", "安澜县"]
    assert all(p.records is not None and p.problems == [] for p in places)
    yaml_path = tmp_path / "鹤庄县.yaml"
    yaml_path.write_text(HEZHUANG_YAML, encoding="utf-8")
    assert places[0].records == load_records(yaml_path)[0]
    meiling, anlan = places[1].records, places[2].records
    assert [a.id for a in meiling.activities] == ["m01", "m02"]
    assert meiling.date == dt.date(2024, 10, 12) and meiling.basis == []
    assert (anlan.period.start, anlan.period.end) == (dt.date(2024, 9, 1), dt.date(2024, 9, 30))  # “2024年9月”
    assert anlan.problems == ["基层宣传力量不足", "少数民族语言宣传材料偏少"]
    for place in places:
        assert draft(place.records).report is not None


def test_broken_ledger_reports_every_bad_cell_and_keeps_the_good_place():
    places = {p.name: p for p in load_workbook_records(LEDGERS / "有错的台账.xlsx")}
    assert list(places) == ["桐川县", "石湾区", "洛平县"]
    good = places["桐川县"]
    assert good.records is not None and good.errors == [] and len(good.records.activities) == 3
    assert good.records.campaign == "民族团结进步宣传月" and good.records.year == 2024
    assert draft(good.records).report is not None
    shiwan = [str(p) for p in places["石湾区"].errors]
    assert shiwan == [
        "有错的台账.xlsx 活动!C3（日期）：日期“2024-09-31”不存在：9月没有31日",
        "有错的台账.xlsx 活动!I5（数据）：无法识别“参与群众很多”，应写作“参与群众300人”",
        "有错的台账.xlsx 活动!M5（重点）：无法识别“可能”，应填“是”或留空",
    ]
    luoping = [str(p) for p in places["洛平县"].errors]
    assert luoping == [
        "有错的台账.xlsx 活动!C6（日期）：无法识别日期“九月五日”，应写作“2024-09-02”或“2024年9月2日”",
        "有错的台账.xlsx 活动!E7（单位）：未填写单位",
        "有错的台账.xlsx 活动!I7（数据）：不能为负数（“走访群众-20户”）",
    ]
    assert places["石湾区"].records is None and places["洛平县"].records is None
    # No 概况 sheet: the campaign and year are assumed, and each place is told so.
    assert all("没有“概况”表" in p.warnings[0].message for p in places.values())


def test_cell_error_message_format(tmp_path):
    head = ["编号", "日期", "单位", "活动", "地点", "数据"]
    rows = [[f"a{r}", D(2024, 9, 2), "县委统战部", "召开部署会", None, "参会人员30人"] for r in range(2, 17)]
    rows.append(["a17", D(2024, 9, 3), "县委统战部", "开展宣讲", None, "参与群众很多"])
    path = make_book(tmp_path, {"概况": FACTS, "活动": [head, *rows]})
    [place] = load_workbook_records(path)
    assert place.records is None
    [problem] = place.problems
    assert (problem.file, problem.line, problem.path) == ("台账.xlsx", None, "活动!F17（数据）")
    assert str(problem) == "台账.xlsx 活动!F17（数据）：无法识别“参与群众很多”，应写作“参与群众300人”"


# ---------------------------------------------------------------- cells

@pytest.mark.parametrize("cell, expected", [
    ("参与群众300人；发放宣传册2000份",
     [("参与群众", 300, "人", False), ("发放宣传册", 2000, "份", False)]),
    ("观看群众800余人，发放宣传资料1.2万份",
     [("观看群众", 800, "人", True), ("发放宣传资料", 12000, "份", False)]),
    ("发放慰问金5万元、慰问物资价值1.2万元", [("发放慰问金", 5, "万元", False), ("慰问物资价值", 1.2, "万元", False)]),
    ("服务群众约300人\n提供岗位近600个；开展活动56场次",
     [("服务群众", 300, "人", True), ("提供岗位", 600, "个", False), ("开展活动", 56, "场次", False)]),  # 近: below, never 余
    ("参与师生3万人次; 覆盖学生2,600多人", [("参与师生", 30000, "人次", False), ("覆盖学生", 2600, "人", True)]),
    ("走访户数15户；设立服务点3处。", [("走访户数", 15, "户", False), ("设立服务点", 3, "处", False)]),
    ("受益群众1.5万余人", [("受益群众", 15000, "人", True)]),
    ("发放奖金3000元", [("发放奖金", 3000, "元", False)]),
    ("参与群众３００人", [("参与群众", 300, "人", False)]),
])
def test_figures(cell, expected):
    got = [(f["what"], f["value"], f["unit"], f["approx"]) for _, f in parse_figures(cell)]
    assert got == expected
    assert all(type(v) is type(e[1]) for (_, v, _, _), e in zip(got, expected))  # 12000, not 12000.0


@pytest.mark.parametrize("cell, wanted", [
    ("参与群众很多", ["无法识别“参与群众很多”，应写作“参与群众300人”"]),
    ("参与群众300", ["无法识别“参与群众300”，应写作“参与群众300人”（单位可用："]),
    ("300人", ["无法识别“300人”：缺少所计的事项"]),
    ("参与群众300人；发放若干；观看100头", ["无法识别“发放若干”", "无法识别“观看100头”"]),
])
def test_bad_figures_name_every_fragment(cell, wanted):
    with pytest.raises(CellError) as info:
        parse_figures(cell)
    assert len(info.value.messages) == len(wanted)
    for message, start in zip(info.value.messages, wanted):
        assert message.startswith(start)


@pytest.mark.parametrize("cell", [D(2024, 9, 2), dt.date(2024, 9, 2), "2024-09-02", "2024/9/2", "2024.9.2",
                                  "2024年9月2日", "9月2日", "9月2号", " 2024-9-2 ", 20240902, 45537])
def test_date_formats(cell):
    assert parse_date(cell, 2024) == dt.date(2024, 9, 2)


@pytest.mark.parametrize("cell, year, message", [
    ("2024-09-31", 2024, "日期“2024-09-31”不存在：9月没有31日"),
    ("2023-02-29", 2024, "日期“2023-02-29”不存在：2月没有29日"),
    ("2024年13月1日", 2024, "日期“2024年13月1日”不存在：月份应为1至12"),
    ("9月2日", None, "“9月2日”缺少年份"),
    ("下旬", 2024, "无法识别日期“下旬”"),
])
def test_bad_dates(cell, year, message):
    with pytest.raises(CellError) as info:
        parse_date(cell, year)
    assert info.value.messages[0].startswith(message)


@pytest.mark.parametrize("cell, start, end", [
    ("2024-09-01至2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024-09-01—2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024-09-01-2024-09-30", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月1日至30日", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月25日至10月8日", (2024, 9, 25), (2024, 10, 8)),
    ("9月1日～9月30日", (2024, 9, 1), (2024, 9, 30)),
    ("2024年9月", (2024, 9, 1), (2024, 9, 30)),
])
def test_periods(cell, start, end):
    assert parse_range(cell, 2024) == (dt.date(*start), dt.date(*end))


def test_a_single_date_is_not_a_range():
    assert parse_range("2024-09-02", 2024) is None and parse_range(D(2024, 9, 2), 2024) is None


@pytest.mark.parametrize("cell, flag", [("是", True), ("✓", True), ("√", True), (1, True), (True, True), ("Y", True),
                                        ("否", False), (None, False), ("", False), (0, False), ("×", False)])
def test_highlight_values(cell, flag):
    assert parse_flag(cell) is flag


def test_highlight_rejects_anything_else():
    with pytest.raises(CellError, match="应填“是”或留空"):
        parse_flag("可能")


# ---------------------------------------------------------------- whole workbooks, edge cases

def test_activity_cells_in_every_form(tmp_path):
    rows = [
        act(1, "9月2日至5日", "县委统战部，县委宣传部", "开展集中宣讲", 重点="✓", 栏目="宣传教育",
            文件="《方案一》、方案二；《通知三》", 媒体="县融媒体中心、县电视台"),
        act(2.0, D(2024, 9, 6, 15, 30), "县民宗局", "召开座谈会", 结束日期="2024年9月7日", 栏目="Results"),
        act(None, "2024/9/8", "城关镇", "举办文艺汇演", 数据="观看群众800余人"),
    ]
    place = one_place(tmp_path, rows)
    assert place.problems == [] and place.records is not None
    a1, a2, a3 = place.records.activities
    assert (a1.id, a1.date, a1.end_date, a1.units) == ("1", dt.date(2024, 9, 2), dt.date(2024, 9, 5),
                                                     ["县委统战部", "县委宣传部"])
    assert a1.highlight and a1.section == "publicity" and a1.documents == ["方案一", "方案二", "通知三"]
    assert a1.media == ["县融媒体中心", "县电视台"]
    assert (a2.id, a2.date, a2.end_date, a2.section) == ("2", dt.date(2024, 9, 6), dt.date(2024, 9, 7), "results")
    assert a3.id == "r4" and a3.figures[0].approx  # no 编号: the sheet row


def test_model_checks_point_at_cells(tmp_path):
    rows = [act("a1", "2024-09-02"), act("a1", "2024-09-03"), act("a3", "2024-09-04", 栏目="宣传"),
            act("a4", "2024-09-05", 栏目="教育"), act("a5", "2024-10-20", 结束日期="2024-10-19")]
    place = one_place(tmp_path, rows)
    problems = by_path(place)
    assert place.records is None
    assert problems["活动!A3（编号）"] == ["编号“a1”重复，已用于第2行"]
    assert problems["活动!G5（栏目）"][0].startswith("栏目“教育”不在默认提纲中")
    assert problems["活动!C6（结束日期）"][0] == "结束日期 2024-10-19 早于开始日期 2024-10-20"
    assert "活动!G4（栏目）" not in problems  # 宣传 → publicity
    warning = next(p for p in place.warnings if p.path == "活动!B6（日期）")
    assert "不在活动期间" in warning.message


def test_facts_in_every_form(tmp_path):
    facts = [["项目", "内容", "填写示例"], ["县名", "桂溪县"], ["年度", "2024年"], ["活动名称", None],
             ["开始", "2024年9月1日"], ["结束", D(2024, 9, 30)], ["成文日期", "10月9日"],
             ["依据文件", "市委统战部印发的《实施方案》；市民委《通知》、市教育局《意见》\n《工作要点》"],
             ["存在问题", "（1）形式单一。\n（2）覆盖面不广"], ["下一步打算", "一是常态化；二是制度化"],
             ["别名", "县民族宗教事务局=县民宗局、民宗局"], ["合计", "共开展活动12场次"], ["备忘", "随便写"]]
    place = one_place(tmp_path, [act("a1", "9月2日")], facts=facts)
    r = place.records
    assert r is not None, [str(p) for p in place.problems]
    assert (r.year, r.campaign, r.date) == (2024, "民族团结进步宣传月", dt.date(2024, 10, 9))
    assert (r.period.start, r.period.end) == (dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    assert [(b.issuer, b.title) for b in r.basis] == [("市委统战部", "实施方案"), ("市民委", "通知"),
                                                     ("市教育局", "意见"), ("", "工作要点")]
    assert r.problems == ["形式单一", "覆盖面不广"] and r.plans == ["常态化", "制度化"]
    assert r.aliases == {"县民族宗教事务局": ["县民宗局", "民宗局"]}
    assert r.totals[0].value == 12 and r.totals[0].unit == "场次"
    warnings = by_path(place)
    assert warnings["概况!B4（活动名称）"] == ["未填写活动名称，按“民族团结进步宣传月”起草"]
    assert "项目“备忘”未识别" in warnings["概况!A13（项目）"][0]


def test_bad_fact_cells(tmp_path):
    facts = [["项目", "内容"], ["县名", "桂溪县"], ["年度", "二〇二四"], ["期间", "2024-09-01"],
             ["别名", "县民宗局"], ["成文日期", "2024-10-32"]]
    place = one_place(tmp_path, [act("a1", "2024-09-02")], facts=facts, default_campaign=None)
    problems = by_path(place)
    assert problems["概况!B3（年度）"] == ["无法识别年度“二〇二四”，应写作“2024”"]
    assert problems["概况!B4（期间）"] == ["期间应写起止日期，如“2024-09-01至2024-09-30”"]
    assert problems["概况!B5（别名）"][0].startswith("无法识别“县民宗局”，应写作“县委统一战线工作部=县委统战部”")
    assert problems["概况!B6（成文日期）"] == ["日期“2024-10-32”不存在：10月没有32日"]
    assert problems["概况"] == ["未填写活动名称"]  # default_campaign=None: no default
    assert place.records is None


def test_template_is_current_and_loads_to_a_clear_problem(tmp_path):
    import openpyxl

    fresh = tmp_path / "台账模板.xlsx"
    write_template(fresh)

    def values(path):
        book = openpyxl.load_workbook(path)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}

    committed = ROOT / "schema" / "台账模板.xlsx"
    assert values(committed) == values(fresh), "schema/台账模板.xlsx is stale: run write_template"
    sheets = values(committed)
    assert list(sheets) == ["概况", "活动", "说明"]
    assert len(sheets["活动"]) == 2  # header and one example row
    explained = {row[1] for row in sheets["说明"]}
    assert set(sheets["活动"][0]) <= explained and {row[0] for row in sheets["概况"][1:]} <= explained
    [place] = load_workbook_records(committed)
    assert place.records is None
    problems = by_path(place)
    assert problems["活动"] == ["没有活动记录：请在“活动”表中每行填写一项活动（至少一项）"]
    assert problems["概况!B2（县名）"] == ["未填写县名"]
    assert "示例行" in problems["活动!A2（编号）"][0]


def test_template_filled_in_drafts(tmp_path):
    import openpyxl

    path = tmp_path / "台账.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    book["概况"]["B2"] = "桂溪县"
    book["概况"]["B3"] = 2024
    book["活动"]["A2"] = "a01"  # the example row, made real
    book.save(path)
    [place] = load_workbook_records(path)
    assert place.records is not None, [str(p) for p in place.problems]
    assert place.records.activities[0].section == "leadership"
    assert draft(place.records).report is not None


def test_missing_sheet_or_column_is_named(tmp_path):
    with pytest.raises(InputError) as info:
        load_workbook_records(make_book(tmp_path, {"概况": FACTS}))
    assert "找不到活动表" in str(info.value) and "现有工作表：概况" in str(info.value)
    with pytest.raises(InputError) as info:
        load_workbook_records(make_book(tmp_path, {"活动": [HEAD, act("a1", "2024-09-02")]}))
    assert "缺少“概况”工作表" in str(info.value)
    head = [h for h in HEAD if h != "单位"]
    with pytest.raises(InputError) as info:
        load_workbook_records(make_book(tmp_path, {"概况": FACTS, "活动": [head, ["a1", "2024-09-02"]]}))
    [problem] = info.value.problems
    assert str(problem).startswith("台账.xlsx 活动!第1行：缺少“单位”列")


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        load_workbook_records(tmp_path / "无.xlsx")
    fake = tmp_path / "旧台账.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    with pytest.raises(InputError, match="另存为 .xlsx"):
        load_workbook_records(fake)


def test_unnamed_sheet_title_row_merged_cells_and_unknown_columns(tmp_path):
    # An office's own ledger: Sheet1, a title row above the header, the place merged
    # over its rows, a column the importer does not know.
    rows = [["宣传月活动台账"], ["县区", "序号", "活动日期", "牵头单位", "活动内容", "数椐"],
            ["桂溪县", 1, "2024-09-02", "县委统战部", "召开部署会", None],
            [None, 2, "2024-09-05", "县民宗局", "开展宣讲", None],
            ["松林区", 1, "2024-09-03", "区委统战部", "召开部署会", None]]
    path = make_book(tmp_path, {"Sheet1": rows}, merge={"Sheet1": ["A1:F1", "A3:A4"]})
    places = load_workbook_records(path, default_campaign="铸牢中华民族共同体意识宣传周")
    assert [p.name for p in places] == ["桂溪县", "松林区"]
    guixi = places[0]
    assert guixi.records.campaign == "铸牢中华民族共同体意识宣传周" and guixi.records.year == 2024
    assert [a.units for a in guixi.records.activities] == [["县委统战部"], ["县民宗局"]]
    assert "未识别的列“数椐”，已忽略，是否应为“数据”？" in by_path(guixi)["Sheet1!F2"]


def test_multi_place_rows_without_place_and_facts_without_rows(tmp_path):
    facts = [["县名", "年度", "活动名称"], ["桂溪县", 2024, "民族团结进步宣传月"], ["松林县", 2024, "民族团结进步宣传月"]]
    head = ["县/区", *HEAD]
    rows = [["桂溪县", *act("a1", "9月2日")], [None, *act("a2", "2024-09-03")], ["松林区", *act("s1", "2024-09-04")]]
    places = {p.name: p for p in load_workbook_records(make_book(tmp_path, {"概况": facts, "活动": [head, *rows]}))}
    assert list(places) == ["桂溪县", "（未填写县/区）", "松林区", "松林县"]
    assert places["桂溪县"].records.activities[0].date == dt.date(2024, 9, 2)
    assert by_path(places["（未填写县/区）"])["活动!A3（县/区）"] == ["未填写县/区，此行无法归入任何地区"]
    assert by_path(places["松林县"])["活动"] == ["“活动”表中没有“松林县”的行（是否应为“松林区”？）"]
    songlin_qu = places["松林区"]
    assert songlin_qu.records is not None
    assert any("概况表中没有“松林区”的行" in w.message for w in songlin_qu.warnings)


def test_openpyxl_is_imported_lazily():
    code = "import sys, pipeline.inputs; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
