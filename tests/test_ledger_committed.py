"""The committed workbooks, fixtures/ledger/*.xlsx (described in fixtures/ledger/README.md),
read by the Excel ledger (台账) importer: each equals the records written out as YAML, and
a broken one names every bad cell."""

from __future__ import annotations

import datetime as dt

from conftest import FIXTURES
from pipeline.inputs import load_workbook_records
from pipeline.inputs import load_records
from pipeline.orchestrator import draft

LEDGERS = FIXTURES / "ledger"


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
        "有错的台账.xlsx 活动!I5（数据）：无法识别“参与群众很多”：缺少数字，应写作“事项+数字+单位”，如“参与群众300人”",
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
