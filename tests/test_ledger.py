"""The Excel ledger (台账) importer, pipeline/inputs/ledger.py: whole workbooks built here in
tmp_path for the edge cases, and the template in schema/. The committed workbooks
(fixtures/ledger/*.xlsx) are tested in test_ledger_committed.py, single cells in
test_ledger_cells.py.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline.errors import InputError
from pipeline.inputs import LedgerPlace, load_workbook_records
from pipeline.inputs.ledger_template import write_template
from pipeline.orchestrator import draft

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


# ---------------------------------------------------------------- whole workbooks, edge cases

def test_cell_error_message_format(tmp_path):
    head = ["编号", "日期", "单位", "活动", "地点", "数据"]
    rows = [[f"a{r}", D(2024, 9, 2), "县委统战部", "召开部署会", None, "参会人员30人"] for r in range(2, 17)]
    rows.append(["a17", D(2024, 9, 3), "县委统战部", "开展宣讲", None, "参与群众很多"])
    path = make_book(tmp_path, {"概况": FACTS, "活动": [head, *rows]})
    [place] = load_workbook_records(path)
    assert place.records is None
    [problem] = place.problems
    assert (problem.file, problem.line, problem.path) == ("台账.xlsx", None, "活动!F17（数据）")
    assert str(problem) == "台账.xlsx 活动!F17（数据）：无法识别“参与群众很多”：缺少数字，应写作“事项+数字+单位”，如“参与群众300人”"


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


@pytest.mark.slow
def test_openpyxl_is_imported_lazily():
    code = "import sys, pipeline.inputs; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
