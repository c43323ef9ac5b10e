"""Issue 16: an activity's unknown 栏目 is refused with the choices that apply to an activity
(the practice sections, never 存在的问题/下一步打算), named as the file is written: Chinese in
a ledger, keys with their Chinese names in a records file. Through the installed `zongjie`."""

from __future__ import annotations

import openpyxl
import pytest

from test_first_hour_ledgers import filled_ledger, zongjie

ACTIVITY = "  - {id: a01, date: 2024-09-02, units: [县委统战部], title: 召开部署会, section: %s}\n"


def _ledger_with_section(path, section: str):
    filled_ledger(path, "参会人员68人", 活动名称="民族团结进步宣传月")
    book = openpyxl.load_workbook(path)
    acts = book["活动"]
    acts.cell(2, [c.value for c in acts[1]].index("栏目") + 1, section)
    book.save(path)
    return path


def _records(path, section: str, outline: str = ""):
    path.write_text("county: 云岭县\nyear: 2024\ncampaign: 民族团结进步宣传月\n" + outline
                    + "activities:\n" + ACTIVITY % section, encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_ledger_row_with_an_unknown_section_is_offered_the_chinese_sections(tmp_path):
    result = zongjie("validate", str(_ledger_with_section(tmp_path / "台账.xlsx", "宣传动员")), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if "宣传动员" in x]
    assert "活动!G2（栏目）" in line and "活动可填的栏目：组织领导、宣传教育、活动实效" in line
    assert not any(word in line for word in ("problems", "plans", "leadership", "存在", "打算"))
    result = zongjie("validate", str(_ledger_with_section(tmp_path / "好.xlsx", "宣传教育")), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_records_activity_with_an_unknown_section_is_offered_only_practice_sections(tmp_path):
    result = zongjie("validate", str(_records(tmp_path / "云岭县.yaml", "publicty")), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if "publicty" in x]
    assert line.startswith("云岭县.yaml:5 activities[0].section：")
    assert "leadership（组织领导）、publicity（宣传教育）、results（活动实效）" in line and "是否应为“publicity”" in line
    assert "problems" not in line and "plans" not in line

    outline = ("outline:\n  - {key: work, heading: 主要做法}\n  - {key: problems}\n  - {key: plans}\n"
               "problems: [宣传形式较为单一]\nplans: [推动宣传教育常态化]\n")
    result = zongjie("validate", str(_records(tmp_path / "提纲.yaml", "wrok", outline)), cwd=tmp_path)
    (line,) = [x for x in result.stderr.splitlines() if "wrok" in x]
    assert "不在提纲中，活动可填的栏目：work（主要做法），是否应为“work”？" in line and "problems" not in line


@pytest.mark.slow
def test_an_activity_put_in_problems_is_told_where_it_goes(tmp_path):
    result = zongjie("validate", str(_records(tmp_path / "云岭县.yaml", "problems")), cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # a warning: the activity is still drafted
    (line,) = [x for x in result.stderr.splitlines() if "activities[0].section" in x]
    assert "警告" in line and "“存在的问题”部分由记录中的 problems 列表写成，活动不能归入" in line
