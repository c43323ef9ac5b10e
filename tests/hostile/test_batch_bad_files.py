"""A batch over a folder where some files are hostile: each bad file is one failed place
whose row in 汇总.csv says why in Chinese; every other place is drafted; the summary is
written; the exit code is the worst place's (2 for bad input, 3 for a failure of ours)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, run_cli

from pipeline.batch import exit_code, run_batch

GOOD = {"spec_example.yaml": "云岭县", "lanshui_county.yaml": "澜水县"}
BAD_TEXT = {
    "标签.yaml": ("county: !!python/name:os.system x\n", "YAML 标签"),
    "整数标签.yaml": ("county: !!int 云岭县\nyear: 2024\n", "标签"),
    "别名炸弹.yaml": ("a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9)), "别名"),
    "深层.yaml": ("county: " + "[" * 600 + "]" * 600 + "\n", "嵌套"),
    "深层.json": ('{"county": ' + "[" * 20000 + "]" * 20000 + "}", "嵌套"),
    "长整数.json": ('{"county": 1' + "0" * 5000 + "}", "位数过多"),
}


def _folder(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "spec_example.yaml").write_bytes((DATA / "spec_example.yaml").read_bytes())
    (folder / "lanshui_county.yaml").write_bytes((FIXTURES / "lanshui_county.yaml").read_bytes())
    for name, (text, _) in BAD_TEXT.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "二进制.yaml").write_bytes(bytes(range(256)) * 8)
    monkeypatch.setenv("ZONGJIE_MAX_UNZIPPED_MB", "2")  # a small bomb stands for a big one
    with zipfile.ZipFile(folder / "压缩炸弹.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 2**20))
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "活动"
    book.active["A1"] = "编号"
    book.active["XFD1048576"] = "x"
    book.save(folder / "远处单元格.xlsx")
    return folder


def _rows(out: Path) -> dict[str, list[str]]:
    text = (out / "汇总.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["地区", "文件", "状态"]
    return {r[0]: r for r in rows[1:]}


EXPECT_BAD = {Path(n).stem: why for n, (_, why) in BAD_TEXT.items()} | {
    "二进制": "UTF-8", "压缩炸弹": "解压后过大", "远处单元格": "XFD1048576"}


def test_bad_files_fail_alone(tmp_path, monkeypatch):
    folder = _folder(tmp_path, monkeypatch)
    out = tmp_path / "out"
    results = run_batch(folder, out, [".md", ".docx"])
    by_place = {r.place: r for r in results}
    for place in GOOD.values():
        assert by_place[place].status in ("ok", "findings")
        assert (out / f"{place}.md").read_text(encoding="utf-8").startswith(f"# {place}")
        assert (out / f"{place}.docx").stat().st_size > 0
    rows = _rows(out)
    assert len(rows) == len(GOOD) + len(EXPECT_BAD)
    for stem, why in EXPECT_BAD.items():
        assert by_place[stem].status == "failed" and by_place[stem].exit_code == 2
        row = rows[stem]
        assert row[2] == "失败" and why in row[-1], row
        assert stem in row[-1]  # the message names its file
        assert not (out / f"{stem}.md").exists()
    assert exit_code(results) == 2
    assert not list(out.glob(".*.tmp"))


def test_a_bug_on_one_place_costs_only_that_place(tmp_path, monkeypatch):
    """Our own failure (here forced) on one place: the others are drafted, the summary
    says which place and that it is an internal error, and the batch exits 3."""
    import pipeline.batch.runner as runner

    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        src = DATA / name if (DATA / name).exists() else FIXTURES / name
        (folder / name).write_bytes(src.read_bytes())
    real = runner.adraft

    async def failing(records, *args, **kwargs):
        if records.county == "澜水县":
            raise RecursionError("maximum recursion depth exceeded")
        return await real(records, *args, **kwargs)

    monkeypatch.setattr(runner, "adraft", failing)
    out = tmp_path / "out"
    results = run_batch(folder, out, [".md"])
    by_place = {r.place: r for r in results}
    assert by_place["云岭县"].status in ("ok", "findings")
    assert by_place["澜水县"].status == "failed" and by_place["澜水县"].exit_code == 3
    row = _rows(out)["澜水县"]
    assert "内部错误" in row[-1] and "RecursionError" in row[-1] and "lanshui_county.yaml" in row[-1]
    assert exit_code(results) == 3


@pytest.mark.slow
def test_batch_cli_over_bad_files(tmp_path, monkeypatch):
    folder = _folder(tmp_path, monkeypatch)
    out = tmp_path / "out"
    done = run_cli("batch", str(folder), "-o", str(out), env={"ZONGJIE_MAX_UNZIPPED_MB": "2"})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    rows = _rows(out)
    assert {rows[p][2] for p in GOOD.values()} <= {"通过", "有错误"}
    assert all(rows[stem][2] == "失败" for stem in EXPECT_BAD)
    for stem in EXPECT_BAD:  # each failure is told on the terminal too
        assert stem in done.stderr
