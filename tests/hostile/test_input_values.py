"""Hostile input, library level: each bad file ends as InputError naming file and line."""

from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.inputs import load_records

BASE = """county: 云岭县
year: 2024
campaign: 宪法宣传周
activities:
  - id: a1
    date: 2024-12-01
    units: [县司法局]
    title: 宪法进社区宣讲
    figures:
      - {{what: 群众, value: {value}, unit: 人}}
"""


def _messages(tmp_path, text: str, name: str = "r.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_records(path)
    return str(exc.value)


@pytest.mark.parametrize("value", [".inf", "1e309", ".nan", "-.inf"])
def test_non_finite_values_are_refused_as_such(tmp_path, value):
    msg = _messages(tmp_path, BASE.format(value=value))
    assert "r.yaml:10 activities[0].figures[0].value" in msg and "有限" in msg and "负数" not in msg


def test_boolean_is_no_number(tmp_path):
    assert "true/false" in _messages(tmp_path, BASE.format(value="true"))


def test_big_integers_stay_exact(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(BASE.format(value="9007199254740993"), encoding="utf-8")
    records, _ = load_records(path)
    value = records.activities[0].figures[0].value
    assert value == 9007199254740993 and isinstance(value, int)


def test_json_infinity_is_refused(tmp_path):
    text = ('{"county": "云岭县", "year": 2024, "campaign": "宪法宣传周", "activities": [{"id": "a1",'
            ' "date": "2024-12-01", "units": ["县司法局"], "title": "宣讲",'
            ' "figures": [{"what": "群众", "value": Infinity, "unit": "人"}]}]}')
    assert "有限" in _messages(tmp_path, text, "r.json")


@pytest.mark.parametrize("county", ['"云岭\\u202e县"', '"云岭\\e[31m县"', '"云岭\\0县"', '"云岭\\n县"'])
def test_hidden_characters_in_names_are_refused(tmp_path, county):
    text = BASE.format(value=3).replace("county: 云岭县", f"county: {county}")
    assert "r.yaml:1 county：名称中含有" in _messages(tmp_path, text)


@pytest.mark.parametrize("extra", ['problems: ["  "]', 'plans: [""]'])
def test_blank_strings_are_refused(tmp_path, extra):
    assert "不能为空白" in _messages(tmp_path, BASE.format(value=3) + extra + "\n")


def test_blank_media_is_refused(tmp_path):
    text = BASE.format(value=3).replace("    figures:", '    media: [" "]\n    figures:')
    assert "activities[0].media[0]：不能为空白" in _messages(tmp_path, text)
