"""The inputs package's entry points (load_records, read_draft by suffix) and the reading
helpers of pipeline/text every reader shares: files, yamlpos, messages."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
import yaml

from conftest import DATA, FIXTURES

from pipeline.errors import InputError
from pipeline.inputs import load_records, read_draft
from pipeline.model.records import Records
from pipeline.text import yamlpos
from pipeline.text.files import read_text_file
from pipeline.text.messages import error_message, format_path
from pipeline.text.syntax import yaml_fault

SPEC = DATA / "spec_example.yaml"
DRAFT = "# 云岭县工作总结\n\n一、加强领导\n\n县委统战部召开部署会。\n"


def problems_of(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value.problems


# ---------------------------------------------------------------- load_records by suffix

@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
def test_yaml_suffixes_load(tmp_path, suffix):
    path = tmp_path / f"云岭县{suffix}"
    shutil.copy(SPEC, path)
    records, warnings = load_records(path)
    assert isinstance(records, Records) and records.county == "云岭县" and warnings == []


def test_json_loads_the_same_records(tmp_path):
    path = tmp_path / "云岭县.json"
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    assert load_records(path)[0] == load_records(SPEC)[0]


def test_a_one_place_ledger_loads_as_records():
    records, _ = load_records(FIXTURES / "ledger" / "柏溪县台账.xlsx")
    assert records.county == "柏溪县" and records.activities


def test_a_ledger_of_many_places_points_to_batch():
    (problem,) = problems_of(load_records, FIXTURES / "ledger" / "多地区台账.xlsx")
    assert "3 个地区" in problem.message and "zongjie batch" in problem.message


@pytest.mark.parametrize("name", ["记录.txt", "记录.csv", "记录"])
def test_an_unknown_suffix_names_the_file_and_the_accepted_ones(tmp_path, name):
    path = tmp_path / name
    shutil.copy(SPEC, path)  # a valid YAML text: the suffix alone is refused
    (problem,) = problems_of(load_records, path)
    assert problem.file == name and "不支持的文件类型" in problem.message
    for suffix in (".yaml", ".yml", ".json", ".xlsx"):
        assert suffix in problem.message


def test_an_old_excel_file_says_how_to_convert(tmp_path):
    path = tmp_path / "台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    (problem,) = problems_of(load_records, path)
    assert problem.file == "台账.xls" and "另存为 .xlsx" in problem.message


def test_a_missing_file_or_a_folder_is_said_so_before_the_suffix(tmp_path):
    (missing,) = problems_of(load_records, tmp_path / "无此文件.txt")
    assert missing.message == "文件不存在"
    (folder,) = problems_of(load_records, tmp_path)
    assert "这是一个文件夹" in folder.message and ".xlsx" in folder.message


# ---------------------------------------------------------------- read_draft by suffix

@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_text_drafts_are_read(tmp_path, suffix):
    path = tmp_path / f"草稿{suffix}"
    path.write_text(DRAFT, encoding="utf-8")
    assert read_draft(path) == DRAFT


def test_a_docx_draft_is_one_line_per_paragraph(tmp_path):
    import docx

    document = docx.Document()
    for line in DRAFT.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "草稿.docx"
    document.save(str(path))
    assert read_draft(path) == DRAFT


def test_a_draft_of_unknown_suffix_names_the_file(tmp_path):
    path = tmp_path / "草稿.rtf"
    path.write_text(DRAFT, encoding="utf-8")
    (problem,) = problems_of(read_draft, path)
    assert problem.file == "草稿.rtf" and "“.rtf”" in problem.message and ".docx" in problem.message


# ---------------------------------------------------------------- reading text files

def test_a_gbk_file_gets_the_gbk_hint_at_its_first_chinese_line(tmp_path):
    path = tmp_path / "记录.yaml"
    path.write_bytes("year: 2024\ncampaign: x\ncounty: 云岭县\n".encode("gbk"))
    (problem,) = problems_of(load_records, path)
    assert problem.file == "记录.yaml" and problem.line == 3
    assert "GBK" in problem.message and "另存为 UTF-8" in problem.message
    draft = tmp_path / "草稿.txt"
    draft.write_bytes("标题\n".encode() + "第二行".encode("gbk"))
    (problem,) = problems_of(read_draft, draft)
    assert problem.line == 2 and "GBK" in problem.message


def test_bytes_that_are_no_chinese_encoding_get_no_gbk_hint(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"ok\n\x80\xff\xfe")
    (problem,) = problems_of(read_text_file, path)
    assert problem.line == 2 and "不是 UTF-8" in problem.message and "GBK" not in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_file_with_a_bom_is_read(tmp_path, encoding):
    path = tmp_path / "云岭县.yaml"
    raw = SPEC.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    assert read_text_file(path) == SPEC.read_text(encoding="utf-8")
    assert load_records(path)[0] == load_records(SPEC)[0]


# ---------------------------------------------------------------- yamlpos

NESTED = """\
county: 云岭县
activities:
  - id: a01
    figures:
      - what: 参会单位
        value: 32
  - id: a02
    figures: [{what: 走访, value: 5}]
    date: 2024-09-31
"""


def test_every_nested_field_has_its_line():
    data, lines = yamlpos.parse(NESTED, dates_as_text=True)
    assert data["activities"][1]["id"] == "a02"
    assert lines.line(()) == 1
    assert lines.line(("activities",)) == 2
    assert lines.line(("activities", 0, "figures", 0, "value")) == 6
    assert lines.line(("activities", 1)) == 7
    assert lines.line(("activities", 1, "figures", 0, "value")) == 8
    # a field that was not written: the line of the nearest one that was
    assert lines.line(("activities", 1, "figures", 0, "unit")) == 8
    assert lines.line(["activities", 0, "title"]) == 3


def test_dates_stay_text_for_records_and_are_dates_for_suites():
    data, _ = yamlpos.parse("a: 2024-09-02\nb: 2024-09-31\n", dates_as_text=True)
    assert data == {"a": "2024-09-02", "b": "2024-09-31"}  # the model judges 09-31
    text = "base: &b {when: 2024-09-02, n: 1}\nother:\n  <<: *b\n  n: 2\n"
    data, _ = yamlpos.parse(text, dates_as_text=False, loader=yaml.SafeLoader)
    assert data == yaml.safe_load(text)
    assert data["other"] == {"when": dt.date(2024, 9, 2), "n": 2}


def test_duplicate_keys_are_listed_with_the_line_of_the_second():
    data, lines = yamlpos.parse("a: 1\nb:\n  c: 1\n  c: 2\n", dates_as_text=True)
    assert data == {"a": 1, "b": {"c": 2}}
    assert lines.dup_keys == [(("b", "c"), "c")] and lines.line(("b", "c")) == 4


def test_an_empty_document_is_none():
    assert yamlpos.parse("# 只有注释\n", dates_as_text=True) is None


def test_a_syntax_error_has_its_line():
    text = "a: 1\nb: [1, 2\nc: 3\n"
    with pytest.raises(yaml.YAMLError) as info:
        yamlpos.parse(text, dates_as_text=True)
    fault = yaml_fault(info.value, text)
    assert (fault.line, fault.column, fault.path) == (2, 4, "b") and "“[”没有配对的“]”" in fault.message


# ---------------------------------------------------------------- messages

def test_format_path():
    assert format_path(("activities", 2, "figures", 0, "value")) == "activities[2].figures[0].value"
    assert format_path(()) == "" and format_path(("year",)) == "year"


def test_one_wording_for_an_unknown_key(tmp_path):
    err = {"type": "extra_forbidden", "loc": ("activites",), "msg": "", "input": []}
    assert error_message(err, ["county", "activities"]) == "未知的键“activites”，是否应为“activities”？"
    assert error_message(err, ["county"]) == "未知的键“activites”，允许的键：county"
    records = tmp_path / "r.yaml"
    records.write_text(SPEC.read_text(encoding="utf-8").replace("activities:", "activites:"), encoding="utf-8")
    assert any(p.message == "未知的键“activites”，是否应为“activities”？" for p in problems_of(load_records, records))
    from pipeline.evals.suite import load_suite

    suite = tmp_path / "套件.yaml"
    suite.write_text(f"defaults:\n  concurency: 2\nfixtures: [\"{SPEC}\"]\n"
                     "variants:\n  - {name: a, backend: template}\n", encoding="utf-8")
    (problem,) = problems_of(load_suite, suite)
    assert (problem.line, problem.path) == (2, "defaults.concurency")
    assert problem.message == "未知的键“concurency”，是否应为“concurrency”？"


def test_limits_and_types_are_worded_once():
    def message(kind, got, **ctx):
        return error_message({"type": kind, "loc": ("x",), "msg": "", "input": got, "ctx": ctx})

    assert message("greater_than_equal", -5, ge=0) == "不能为负数"
    assert message("greater_than_equal", 1800, ge=1949) == "超出允许范围（应 ≥ 1949），实际为“1800”"
    assert message("less_than_equal", 99, le=64) == "超出允许范围（应 ≤ 64），实际为“99”"
    assert message("int_parsing", "二〇二四") == "应为整数，实际为“二〇二四”"
    assert message("missing", None) == "缺少必填项"
