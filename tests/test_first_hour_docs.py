"""Issue 16: the docs a clone has. README and docs/*.md link only files in the repository (no
../shared/…), docs/cli.md names every command of the COMMANDS table and docs/records.md every
field of the records model, the examples there and in README validate as written, and the
ledger message the README quotes is the one the loader gives, at the column it names."""

from __future__ import annotations

import re

import openpyxl
import pytest

from conftest import ROOT
from pipeline.cli import COMMANDS
from pipeline.inputs import load_workbook_records
from pipeline.model.records import Activity, Basis, Figure, Period, Records, Section
from test_first_hour_ledgers import filled_ledger, zongjie

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _yaml_blocks(path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_every_relative_link_points_into_the_repository():
    assert {p.name for p in DOCS} >= {"README.md", "cli.md", "records.md"}
    checked = 0
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text, doc.name
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (doc.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(ROOT) and path.is_file(), f"{doc.name}: {target}"
            checked += 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/records.md)" in readme and "](docs/cli.md)" in readme and checked >= 5


def test_cli_doc_names_every_command_and_records_doc_every_field():
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert [c for c in COMMANDS if f"`zongjie {c}" not in cli] == []
    records = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    for model in (Records, Activity, Figure, Section, Period, Basis):
        assert [f for f in model.model_fields if f"`{f}`" not in records and f"{f}:" not in records] == [], model


def test_the_readme_ledger_message_is_the_loaders(tmp_path):
    path = filled_ledger(tmp_path / "台账.xlsx", "参会人员68人", 活动名称="民族团结进步宣传月")
    book = openpyxl.load_workbook(path)
    acts = book["活动"]
    header = [c.value for c in acts[1]]
    assert header[7] == "数据"  # column H of the blank template
    for row in range(3, 18):  # rows 3–17 filled as a clerk would; row 17 says no number
        for name, value in (("编号", f"a{row:02d}"), ("日期", "2024-09-10"), ("单位", "县委统战部"),
                            ("活动", "入户宣传"), ("数据", "参与群众很多" if row == 17 else "参与群众30人")):
            acts.cell(row, header.index(name) + 1, value)
    book.save(path)
    (place,) = load_workbook_records(path)
    (problem,) = [str(p) for p in place.errors]
    quoted = re.search(r"`(台账\.xlsx 活动!H17（数据）：[^`]*)`", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert quoted and problem == quoted.group(1)


@pytest.mark.slow
def test_the_documented_examples_validate_without_warnings(tmp_path):
    examples = [_yaml_blocks(ROOT / "docs" / "records.md")[-1],
                next(b for b in _yaml_blocks(ROOT / "README.md") if b.startswith("county:"))]
    for i, text in enumerate(examples):
        assert "author:" in text and "date:" in text
        (tmp_path / f"例{i}.yaml").write_text(text, encoding="utf-8")
        result = zongjie("validate", f"例{i}.yaml", cwd=tmp_path)
        assert result.returncode == 0 and "0 个警告" in result.stdout, result.stdout + result.stderr
