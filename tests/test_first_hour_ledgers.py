"""Issue 16, ledgers as clerks fill them: the installed `zongjie` command on a ledger made from
the blank template, as a clerk would fill it in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

ZONGJIE = Path(sys.executable).parent / "zongjie"


def zongjie(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The console script pip installed, in a child process, with no model configured."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))}
    base["XDG_CONFIG_HOME"] = str(cwd / ".no-config")
    return subprocess.run([str(ZONGJIE), *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, **(env or {})}, timeout=120)


def filled_ledger(path: Path, figures: str, **facts: object) -> Path:
    """The committed blank template with its example row made real and 概况 filled in."""
    import openpyxl

    shutil.copy(ROOT / "schema" / "台账模板.xlsx", path)
    book = openpyxl.load_workbook(path)
    rows = {row[0].value: row[1] for row in book["概况"].iter_rows(min_row=2)}
    for name, value in {"县名": "桂溪县", "年度": 2024, **facts}.items():
        rows[name].value = value
    acts = book["活动"]
    header = [c.value for c in acts[1]]
    acts.cell(2, header.index("编号") + 1, "a01")
    acts.cell(2, header.index("数据") + 1, figures)
    book.save(path)
    return path


def test_the_ledger_accepts_exactly_the_units_the_checker_counts():
    from pipeline.checks.numbers import units
    from pipeline.inputs.ledger_cells import UNITS, parse_figure

    assert set(UNITS) == set(units().words)
    for unit in ("袋", "册", "张", "幅", "面", "块", "条", "套", "本", "盒", "箱", "辆", "批", "棵", "桌",
                 "场次", "人次", "户次", "条次", "批次", "期次", "篇次", "车次"):
        assert parse_figure(f"发放物资12{unit}")["unit"] == unit


@pytest.mark.slow
def test_office_units_validate_and_an_unknown_one_is_refused_once(tmp_path):
    good = filled_ledger(tmp_path / "台账.xlsx", "发放宣传品500袋；悬挂国旗120面；推送信息126条次；出动宣传车8车次")
    result = zongjie("validate", str(good), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "记录有效" in result.stdout

    bad = filled_ledger(tmp_path / "有错.xlsx", "发放宣传品500沓")
    result = zongjie("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "500沓" in line]
    assert len(lines) == 1, result.stderr
    assert "活动!H2（数据）" in lines[0] and "单位“沓”不在量词表中" in lines[0]
    assert "发放宣传品500个" in lines[0] and "袋" in lines[0]  # the clerk's words, and units that exist
    assert "参与群众300人" not in lines[0]
