"""The issue's “wrong values accepted” list, the cases test_input_values.py leaves: exact
big integers end to end, formulas without a saved result (in a figure and in 县名),
blank and whitespace-only strings, and a real .xls whatever it is given to."""

from __future__ import annotations

import pytest
from conftest import DATA, FIXTURES

from pipeline.batch import exit_code, run_batch
from pipeline.checks import check
from pipeline.errors import InputError
from pipeline.inputs import load_records, load_workbook_records
from pipeline.orchestrator import draft

SPEC = (DATA / "spec_example.yaml").read_text(encoding="utf-8")
LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024


def _records(tmp_path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return load_records(path)[0]


def _refusal(fn, path) -> str:
    with pytest.raises(InputError) as exc:
        fn(path)
    return str(exc.value)


def test_integers_beyond_2_53_stay_exact_from_records_to_check(tmp_path):
    big = 2**53 + 1  # 9007199254740993: as a float it would read …992
    records = _records(tmp_path, SPEC.replace("value: 1500, unit: 份", f"value: {big}, unit: 份"))
    run = draft(records)
    assert str(big) in run.markdown
    assert not [f for f in run.report.findings if f.check == "facts.number"]
    rounded = run.markdown.replace(str(big), str(big - 1))
    report = check(rounded, records)
    assert any(f.check == "facts.number" and str(big - 1) in f.message for f in report.findings)


@pytest.mark.parametrize("value", ["1" + "0" * 400, "1e300", "1000000000000000001"])
def test_absurdly_large_values_are_refused(tmp_path, value):
    path = tmp_path / "r.yaml"
    path.write_text(SPEC.replace("value: 1500, unit: 份", f"value: {value}, unit: 份"), encoding="utf-8")
    assert "数值过大" in _refusal(load_records, path)


def test_check_of_a_draft_with_numbers_of_hundreds_of_digits(spec_records):
    text = "9月10日，城关镇发放民族团结宣传册1" + "0" * 500 + "份，参会单位" + "九" * 300 + "个。"
    report = check(text, spec_records)
    assert [f for f in report.findings if f.check == "facts.number"]


@pytest.mark.parametrize("old,new,where", [
    ("county: 云岭县", 'county: "   "', "county"),
    ("county: 云岭县", 'county: "\u3000\u3000"', "county"),  # full-width spaces are blank too
    ("title: 召开宣传月任务部署会", 'title: " "', "activities[0].title"),
    ("units: [县委统战部, 县委宣传部]", 'units: [县委统战部, ""]', "activities[0].units[1]"),
    ("media: [云岭县融媒体中心]", 'media: [""]', "activities[1].media[0]"),
])
def test_blank_strings_are_refused_at_their_field(tmp_path, old, new, where):
    assert old in SPEC
    path = tmp_path / "r.yaml"
    path.write_text(SPEC.replace(old, new, 1), encoding="utf-8")
    msg = _refusal(load_records, path)
    assert "r.yaml:" in msg and where in msg


@pytest.mark.parametrize("key", ["problems", "plans"])
def test_empty_items_in_problems_and_plans(tmp_path, key):
    assert f"\n{key}:\n  - " in SPEC
    path = tmp_path / "r.yaml"
    path.write_text(SPEC.replace(f"\n{key}:\n  - ", f'\n{key}:\n  - ""\n  - "  "\n  - '), encoding="utf-8")
    msg = _refusal(load_records, path)
    assert f"{key}[0]" in msg and f"{key}[1]" in msg and "不能为空白" in msg


def _ledger_with(tmp_path, cell: str, sheet: str, formula: str):
    import openpyxl

    book = openpyxl.load_workbook(LEDGER)
    book[sheet][cell] = formula  # openpyxl saves no result for it, as a script or a web export may
    path = tmp_path / "柏溪县台账.xlsx"
    book.save(path)
    return path


def test_formula_without_a_saved_result_in_a_figure(tmp_path):
    path = _ledger_with(tmp_path, "H2", "活动", '="参会单位"&28&"个"')
    msg = _refusal(load_workbook_records, path)
    assert "活动!H2" in msg and "公式" in msg and "保存" in msg


def test_formula_in_the_county_cell_is_no_missing_county(tmp_path):
    path = _ledger_with(tmp_path, "B2", "概况", '=CONCATENATE("柏溪","县")')
    msg = _refusal(load_workbook_records, path)
    assert "概况!B2" in msg and "公式" in msg and "未填写" not in msg


@pytest.mark.parametrize("name", ["台账.xls", "台账.xlsx", "记录.yaml", "记录.json"])
def test_a_real_xls_is_told_to_be_saved_as_xlsx(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(OLE)
    msg = _refusal(load_records, path)
    assert ".xlsx" in msg and "另存为" in msg and "UTF-8" not in msg


def test_an_xls_in_a_batch_folder_is_a_failed_place_not_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "云岭县.yaml").write_text(SPEC, encoding="utf-8")
    (folder / "柏溪县台账.xls").write_bytes(OLE)
    results = run_batch(folder, tmp_path / "out", [".md"])
    by_place = {r.place: r for r in results}
    assert by_place["云岭县"].status in ("ok", "findings")
    assert by_place["柏溪县台账"].status == "failed" and "另存为 .xlsx" in by_place["柏溪县台账"].message
    assert exit_code(results) == 2
