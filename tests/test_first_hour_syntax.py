"""Issue 16, syntax errors as clerks make them: a records file, an eval suite or zongjie.toml that
does not parse is reported in Chinese, at the line (and column) of the fault itself, with the
field it is in; exit 2, no traceback, none of the parser's English."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from pipeline.errors import InputError
from pipeline.inputs import load_records
from test_first_hour_ledgers import zongjie

PARSER_ENGLISH = re.compile(r"\b(expected|expecting|delimiter|found|while|scanning|parsing|mapping|"
                            r"allowed|character|token|stream|indicator|block|flow|invalid|line|column)\b", re.I)

HEAD = "county: 云岭县\nyear: 2024\ncampaign: 民族团结进步宣传月\n"
ACT = "activities:\n  - id: a01\n    date: 2024-09-02\n    units: [县委统战部]\n    title: 召开部署会\n"

# (name, text, line, column or None, field path, words the message must hold)
YAML_FAULTS = [
    ("unclosed_bracket", HEAD + "activities:\n  - id: a01\n    units: [县委统战部, 县委宣传部\n    title: 召开部署会\n",
     6, 12, "activities[0].units", "“[”没有配对的“]”"),
    ("unclosed_brace", HEAD + "period: {start: 2024-09-01, end: 2024-09-30\n" + ACT, 4, 9, "period", "“{”没有配对的“}”"),
    ("flow_missing_comma", HEAD + "period: {start: 2024-09-01 end: 2024-09-30}\n" + ACT, 4, None, "period",
     "缺少逗号"),
    ("indent_less", HEAD + ACT.replace("    title", "   title"), 8, 4, "activities[0].title", "缩进"),
    ("indent_more", HEAD + ACT.replace("    title", "      title"), 8, 7, "activities[0].title", "缩进多了"),
    ("tab", HEAD + ACT.replace("    date", "\tdate"), 6, 1, "activities[0].date", "制表符"),
    ("unclosed_quote", HEAD.replace("campaign: 民族", "campaign: \"民族") + ACT, 3, 11, "campaign", "引号\"没有闭合"),
    ("quote_runs_on", HEAD + ACT.replace("title: 召开部署会", "title: \"召开部署会") + "  - id: \"a02\"\n",
     8, 12, "activities[0].title", "可能没有闭合"),
    ("full_width_colon", HEAD.replace("year: 2024", "year：2024") + ACT, 2, 1, "", "全角冒号"),
    ("no_space_after_colon", "county:云岭县\nyear: 2024\n", 1, 7, "", "冒号后缺少空格"),
    ("two_colons", HEAD + ACT.replace("title: 召开部署会", "title: 会议: 部署"), 8, None, "activities[0].title",
     "两个冒号"),
]

JSON_BODY = ('{\n  "county": "云岭县",\n  "year": 2024,\n  "campaign": "民族团结进步宣传月",\n'
             '  "activities": [\n    {"id": "a01", "date": "2024-09-02", "units": ["县委统战部"],\n'
             '     "title": "召开部署会"}\n  ]\n}\n')
JSON_FAULTS = [
    ("missing_comma", JSON_BODY.replace('"year": 2024,', '"year": 2024'), 3, 15, "year", "缺少逗号"),
    ("missing_comma_in_list", JSON_BODY.replace('["县委统战部"]', '["县委统战部"\n      "县委宣传部"]'),
     6, None, "activities[0].units[0]", "缺少逗号"),
    ("trailing_comma", JSON_BODY.replace('"title": "召开部署会"}', '"title": "召开部署会",}'), 7, None,
     "activities[0].title", "多了一个逗号"),
    ("unclosed_bracket", JSON_BODY.replace("\n  ]\n}", "\n}"), 5, 17, "activities", "“[”没有配对的“]”"),
    ("unclosed_brace", JSON_BODY.rstrip("}\n") + "\n", 1, 1, "", "“{”没有配对的“}”"),
    ("single_quotes", JSON_BODY.replace('"county"', "'county'"), 2, 3, "", "双引号"),
    ("unclosed_string", JSON_BODY.replace('"云岭县",', '"云岭县,'), 2, 13, "county", "没有结束的双引号"),
    ("bare_text", JSON_BODY.replace('"云岭县"', "云岭县"), 2, 13, "county", "文字须加双引号"),
]


def _problem(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_records(path)
    (problem,) = info.value.problems
    return problem


@pytest.mark.parametrize("case", YAML_FAULTS + JSON_FAULTS, ids=lambda c: c[0])
def test_a_syntax_fault_is_told_in_chinese_at_its_own_line(tmp_path, case):
    name, text, line, column, field, words = case
    suffix = ".json" if case in JSON_FAULTS else ".yaml"
    problem = _problem(tmp_path, name + suffix, text)
    assert problem.file == name + suffix
    assert (problem.line, problem.path) == (line, field), str(problem)
    if column is not None:
        assert problem.column == column, str(problem)
    assert problem.message.startswith("JSON 语法错误：" if suffix == ".json" else "YAML 语法错误：")
    assert words in problem.message and not PARSER_ENGLISH.search(problem.message), problem.message


def test_a_file_written_wholly_with_full_width_colons(tmp_path):
    """Every line `键：值` parses as one long string, not as a syntax error: say what it is."""
    problem = _problem(tmp_path, "全角.yaml", "county：云岭县\nyear：2024\ncampaign：民族团结进步宣传月\n")
    assert problem.line == 1 and "顶层应为键值映射" in problem.message and "全角冒号“：”" in problem.message


def test_the_fixed_files_load(tmp_path):
    """The faults above are single faults: the texts they were made from are valid records."""
    for name, text in (("ok.yaml", HEAD + ACT), ("ok.json", JSON_BODY)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        records, _ = load_records(tmp_path / name)
        assert records.activities[0].title == "召开部署会"


@pytest.mark.slow
def test_validate_reports_a_syntax_fault_with_file_line_column_and_field(tmp_path):
    (tmp_path / "云岭县.yaml").write_text(YAML_FAULTS[0][1], encoding="utf-8")
    (tmp_path / "云岭县.json").write_text(JSON_FAULTS[0][1], encoding="utf-8")
    result = zongjie("validate", "云岭县.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("云岭县.yaml:6:12 activities[0].units：YAML 语法错误：这里的“[”没有配对的“]”")
    result = zongjie("draft", "云岭县.json", "-o", "云岭县.md", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("云岭县.json:3:15 year：JSON 语法错误：这一项后面缺少逗号")
    assert not PARSER_ENGLISH.search(result.stderr) and not list(tmp_path.glob("云岭县.md*"))


@pytest.mark.slow
def test_an_eval_suite_and_a_config_file_with_a_syntax_fault(tmp_path):
    (tmp_path / "套件.yaml").write_text("description: 试跑\nfixtures: [yunling_county.yaml\n"
                                        "variants:\n  - {name: 模板, backend: template}\n", encoding="utf-8")
    result = zongjie("eval", "套件.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "套件.yaml:2:11 fixtures：YAML 语法错误：这里的“[”没有配对的“]”" in result.stderr
    (tmp_path / "zongjie.toml").write_text("[profiles.local]\nmodel Qwen2.5-7B-Instruct\n", encoding="utf-8")
    result = zongjie("draft", str(FIXTURES / "yunling_county.yaml"), "--config", "zongjie.toml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "zongjie.toml:2:7：TOML 语法错误：键后缺少“=”" in result.stderr, result.stderr
    assert not PARSER_ENGLISH.search(result.stderr)


@pytest.mark.slow
def test_eval_compare_of_a_cut_off_results_file(tmp_path):
    """A run interrupted while writing results.jsonl: the line at fault, in Chinese, exit 2."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.jsonl").write_text('{"variant": "模板", "place": "云岭县"}\n', encoding="utf-8")
    (tmp_path / "b" / "results.jsonl").write_text('{"variant": "模板", "place": "云岭县"}\n{"variant": "模板", "pl\n',
                                                  encoding="utf-8")
    result = zongjie("eval", "--compare", "a", "b", "--out", "cmp", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "results.jsonl:2:" in result.stderr and "JSON 语法错误：" in result.stderr
    assert not PARSER_ENGLISH.search(result.stderr.split("：", 1)[1])


def test_the_workbench_shows_a_syntax_fault_with_its_line_column_and_field(tmp_path):
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    client = TestClient(create_app(tmp_path / "data"))
    r = client.post("/draft", files={"file": ("云岭县.yaml", YAML_FAULTS[0][1].encode("utf-8"))})
    assert r.status_code == 422
    assert '<td class="cell">第6行第12列 activities[0].units</td>' in r.text
    (message,) = re.findall(r"<td>(YAML 语法错误：[^<]*)</td>", r.text)
    assert message.startswith("YAML 语法错误：这里的“[”没有配对的“]”") and not PARSER_ENGLISH.search(message)


@pytest.mark.parametrize("name", ["yaml_syntax.yaml", "bad_json.json"])
def test_the_bad_fixtures_are_reported_at_the_line_their_readme_names(name):
    readme = (FIXTURES / "bad" / "README.md").read_text(encoding="utf-8")
    line = int(re.search(rf"\| `{re.escape(name)}` \| [^|]+ \| 第(\d+)行", readme).group(1))
    with pytest.raises(InputError) as info:
        load_records(FIXTURES / "bad" / name)
    (problem,) = info.value.problems
    assert problem.line == line and "语法错误" in problem.message and not PARSER_ENGLISH.search(problem.message)
