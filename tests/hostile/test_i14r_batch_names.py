"""File names a batch folder may hold: with ESC, a line break, a bidi override, or one
that starts like a spreadsheet formula. Every place still ends in 汇总, the terminal sees
no escape, and 汇总.csv holds neither a control character nor a cell Excel would run."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from conftest import FIXTURES, run_cli

NAMES = {"esc": "c\x1b[31m红.yaml", "newline": "a\nb.yaml", "bidi": "d\u202eevil.yaml",
         "formula": "=HYPERLINK(1).yaml", "bad_esc": "坏\x1b[2J.yaml"}


@pytest.mark.slow
def test_hostile_file_names_reach_no_terminal_and_no_formula(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    sources = ["xiantan_town.yaml", "lanshui_county.yaml", "songhe_county.yaml", "maan_town_unity_week.yaml"]
    for (kind, name), src in zip(NAMES.items(), sources + [None]):
        if src:
            shutil.copy(FIXTURES / src, folder / name)
        else:
            (folder / name).write_text('county: "x\n', encoding="utf-8")
    (folder / "=cmd.yaml").write_text('county: "x\n', encoding="utf-8")
    proc = run_cli("batch", str(folder), "-o", str(tmp_path / "out"), cwd=tmp_path, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr  # two files fail, the rest are drafted
    assert "\x1b" not in proc.stdout + proc.stderr
    raw = (tmp_path / "out" / "汇总.csv").read_text(encoding="utf-8-sig")
    assert "\x1b" not in raw
    rows = list(csv.reader(io.StringIO(raw)))[1:]
    assert len(rows) == 6
    for row in rows:
        for cell in (row[0], row[1], row[7]):
            assert not cell.startswith(("=", "+", "-", "@")), row
    assert any(row[2] == "通过" for row in rows) and sum(row[2] != "通过" for row in rows) == 2
    assert all("\x1b" not in p.name for p in (tmp_path / "out").iterdir())
