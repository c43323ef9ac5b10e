from __future__ import annotations

import json

import pytest
import yaml

from conftest import DATA, ROOT, bad_files, fixture_files
from pipeline.errors import InputError
from pipeline.model.records import json_schema
from pipeline.inputs import load_records


def problems_of(path):
    with pytest.raises(InputError) as info:
        load_records(path)
    return info.value.problems


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_every_fixture_validates(path):
    records, _warnings = load_records(path)
    assert records.activities
    assert len({a.id for a in records.activities}) == len(records.activities)


@pytest.mark.parametrize("path", bad_files(), ids=lambda p: p.name)
def test_every_bad_fixture_is_located(path):
    problems = problems_of(path)
    assert problems
    for p in problems:
        assert p.file == path.name
        assert p.line and p.line >= 1
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message)  # Chinese message


def test_spec_example_loads(spec_records):
    assert spec_records.county == "云岭县"
    a02 = spec_records.activity("a02")
    assert a02.figures[0].approx and a02.figures[0].value == 800
    assert isinstance(a02.figures[1].value, int)


def test_every_problem_reported_at_once(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8")
    text = text.replace("activities:", "activites: []\nactivities:", 1)
    text = text.replace("value: 32", "value: -32").replace("date: 2024-09-18", "date: 2024-09-31")
    text = text.replace("id: a04", "id: a01").replace("section: results", "section: result")
    path = tmp_path / "云岭县.yaml"
    path.write_text(text, encoding="utf-8")
    by_path = {p.path: p for p in problems_of(path)}
    lines = text.split("\n")
    assert "是否应为“activities”" in by_path["activites"].message
    neg = by_path["activities[0].figures[0].value"]
    assert neg.message == "不能为负数" and "value: -32" in lines[neg.line - 1]
    assert str(neg).startswith(f"云岭县.yaml:{neg.line} activities[0].figures[0].value：")
    assert "2024-09-31" in by_path["activities[2].date"].message
    assert "重复" in by_path["activities[3].id"].message
    assert "是否应为“results”" in by_path["activities[2].section"].message


def test_unknown_key_without_close_match_lists_allowed(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8") + "colour: red\n"
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert "允许的键" in problem.message and "activities" in problem.message


def test_missing_and_non_utf8_files(tmp_path):
    (problem,) = problems_of(tmp_path / "无此文件.yaml")
    assert "不存在" in problem.message
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("county: 云岭县\nyear: 2024\n".encode("gbk"))
    (problem,) = problems_of(gbk)
    assert "UTF-8" in problem.message and problem.line == 1


def test_yaml_syntax_error_has_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("county: 云岭县\nyear: 2024\nactivities: [\n  - id: a\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert "YAML 语法错误" in problem.message and problem.line >= 3


def test_duplicate_yaml_key_is_an_error(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8").replace(
        "year: 2024", "year: 2024\nyear: 2023")
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    assert any("重复" in p.message and p.path == "year" for p in problems_of(path))


def test_dates_outside_period_are_warnings(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8").replace(
        "date: 2024-09-24", "date: 2024-10-24")
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    records, warnings = load_records(path)
    (w,) = warnings
    assert w.severity == "warning" and w.path == "activities[3].date" and "不在活动期间" in w.message


def test_json_and_yaml_give_the_same_records(tmp_path):
    data = yaml.safe_load((DATA / "spec_example.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "same.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str, indent=2), encoding="utf-8")
    assert load_records(path)[0] == load_records(DATA / "spec_example.yaml")[0]


def test_json_error_located(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "county": "云岭县",\n  "year": 2024,,\n}', encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.line == 3 and "JSON" in problem.message


def test_committed_schema_is_current():
    committed = json.loads((ROOT / "schema" / "records.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()


def test_misspelt_key_is_one_problem_not_two(tmp_path):
    text = (DATA / "spec_example.yaml").read_text(encoding="utf-8").replace("activities:", "activites:")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.path == "activites" and "是否应为“activities”" in problem.message
