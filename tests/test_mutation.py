"""The checker's mutation self-test as a library function: a typed result, detections
counted per class, seeded mutants, no false alarm on a clean draft."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from pipeline.drafting import draft_document
from pipeline.errors import InputError
from pipeline.evals.mutation import (
    CLASSES,
    CleanDraft,
    MutationResult,
    clean_drafts,
    run_folders,
    run_mutation,
)
from pipeline.evals.mutation import run as mutation_run
from pipeline.inputs import load_records
from pipeline.model.report import Finding, Report, Stats
from pipeline.render import to_markdown

HANDWRITTEN = ROOT / "evals" / "handwritten"


@pytest.fixture(scope="module")
def lanshui() -> CleanDraft:
    records = load_records(FIXTURES / "lanshui_county.yaml")[0]
    return CleanDraft("template:lanshui_county", to_markdown(draft_document(records)), records)


def _notes(result: MutationResult) -> list[tuple]:
    return [(o.cls, o.source, o.line, o.note) for o in result.outcomes]


def test_the_result_is_typed_with_a_row_per_class(lanshui):
    result = run_mutation([lanshui], seed=3, per_class=1)
    assert isinstance(result, MutationResult)
    assert [(c.cls, c.family) for c in result.classes] == list(CLASSES.items())
    assert result.drafts == 1 and result.seed == 3
    assert result.total.mutants == len(result.outcomes) == sum(c.mutants for c in result.classes)
    assert all(c.mutants <= 1 for c in result.classes) and result.total.mutants >= 5
    assert {o.source for o in result.outcomes} == {"template:lanshui_county"}
    assert result.headline == f"干净草稿 1 篇，变异 {result.total.mutants} 个（seed=3）"
    again = MutationResult.model_validate_json(result.model_dump_json())
    assert again == result and again.total.rate == result.total.rate


def test_a_changed_number_is_counted_as_detected(lanshui):
    result = run_mutation([lanshui], per_class={"number": 4})
    row = next(c for c in result.classes if c.cls == "number")
    assert (row.mutants, row.detected, row.right_family) == (4, 4, 4) and row.rate == 1.0
    assert all(c.mutants == 0 and c.rate is None for c in result.classes if c.cls != "number")
    for o in result.outcomes:
        assert o.detected and o.right_family and o.family == "facts.number" and o.line is not None
        old, new = o.note.split("→")
        assert old != new and old in lanshui.text.splitlines()[o.line - 1]
    assert result.missed == [] and result.total.rate == 1.0


def _report(*findings: Finding) -> Report:
    return Report(ok=not findings, findings=list(findings), stats=Stats())


def _error(line: int, check: str) -> Finding:
    return Finding(check=check, severity="error", line=line, excerpt="x", message="不符")


def test_only_an_error_at_the_mutated_line_counts(lanshui, monkeypatch):
    """With a checker that sees nothing, or only elsewhere, or the wrong family: counted as such."""
    clean = lanshui.text

    def checker(found):
        return lambda text, records: _report() if text == clean else _report(*found(text))

    monkeypatch.setattr(mutation_run, "check", checker(lambda text: []))
    blind = run_mutation([lanshui], per_class={"number": 3})
    assert blind.total.mutants == 3 and blind.total.detected == 0 and len(blind.missed) == 3

    monkeypatch.setattr(mutation_run, "check", checker(lambda text: [_error(1, "facts.number")]))
    elsewhere = run_mutation([lanshui], per_class={"number": 3})
    assert all(o.line != 1 for o in elsewhere.outcomes)
    assert elsewhere.total.detected == 0 and all(m.errors_elsewhere == [(1, "facts.number")]
                                                  for m in elsewhere.missed)

    lines = {o.line for o in elsewhere.outcomes}
    monkeypatch.setattr(mutation_run, "check", checker(lambda text: [_error(n, "facts.date") for n in lines]))
    other_family = run_mutation([lanshui], per_class={"number": 3})
    assert (other_family.total.detected, other_family.total.right_family) == (3, 0)
    assert _notes(blind) == _notes(elsewhere) == _notes(other_family)


def test_the_same_seed_gives_the_same_mutants(lanshui):
    first = run_mutation([lanshui], seed=11, per_class=3)
    assert _notes(run_mutation([lanshui], seed=11, per_class=3)) == _notes(first)
    assert _notes(run_mutation([lanshui], seed=12, per_class=3)) != _notes(first)


def test_a_clean_draft_gives_no_false_alarm_and_a_planted_one_does(lanshui):
    assert run_mutation([lanshui], per_class={"number": 1}).false_alarms == []
    wrong = re.sub(r"(\d+)人", lambda m: f"{int(m.group(1)) + 7}人", lanshui.text, count=1)
    assert wrong != lanshui.text
    alarms = run_mutation([CleanDraft("mine", wrong, lanshui.records)], per_class={"number": 1}).false_alarms
    assert alarms and {a.draft for a in alarms} == {"mine"}
    assert all(a.line >= 1 and a.check and a.message for a in alarms)


def test_clean_drafts_come_from_the_two_folders(tmp_path):
    drafts = clean_drafts(FIXTURES, HANDWRITTEN)
    names = [d.name for d in drafts]
    assert "template:lanshui_county" in names and "template:json_example" in names
    assert "handwritten:liuxi_county_2024" in names and len(names) == len(set(names))
    (tmp_path / "records").mkdir()
    (tmp_path / "written").mkdir()
    with pytest.raises(InputError, match="没有找到干净草稿"):
        run_folders(tmp_path / "records", tmp_path / "written")
    with pytest.raises(InputError, match="文件夹不存在"):
        run_folders(tmp_path / "none", tmp_path / "written")


def test_the_command_line_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "m.json"
    proc = subprocess.run([sys.executable, "-m", "pipeline.evals.mutation", "--per-class", "1", "--seed", "5",
                           "--show-missed", "--json", str(out)], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    clean = len([*FIXTURES.glob("*.yaml"), *FIXTURES.glob("*.json"), *HANDWRITTEN.glob("*.yaml")])
    assert lines[0].startswith(f"干净草稿 {clean} 篇，变异 ") and lines[0].endswith("（seed=5）")
    assert lines[2].split() == ["错误类别", "期望检查", "变异", "检出", "检出率", "同类检出"]
    assert [ln.split()[0] for ln in lines[3:3 + len(CLASSES)]] == list(CLASSES)
    assert "干净草稿上的错误（误报）：0" in proc.stdout and "未检出：" in proc.stdout
    result = MutationResult.model_validate(json.loads(out.read_text(encoding="utf-8")))
    assert result.seed == 5 and f"变异 {result.total.mutants} 个" in lines[0]
    bad = subprocess.run([sys.executable, "-m", "pipeline.evals.mutation", "--records", str(tmp_path / "x")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "文件夹不存在" in bad.stderr and "Traceback" not in bad.stderr


def test_a_suite_finds_its_clean_drafts_beside_its_file(tmp_path):
    import shutil

    from pipeline.evals.selftest import run_selftest
    from pipeline.evals.suite import load_suite

    (tmp_path / "recs").mkdir()
    (tmp_path / "hw").mkdir()
    shutil.copy(FIXTURES / "lanshui_county.yaml", tmp_path / "recs")
    suite = tmp_path / "s.yaml"
    suite.write_text("mutation: {records_dir: recs, handwritten_dir: hw, per_class: 1, seed: 4}\n", encoding="utf-8")
    loaded = load_suite(suite)
    out = run_selftest(loaded.suite.mutation, loaded.base)
    assert "error" not in out, out
    assert out["summary"].startswith("干净草稿 1 篇") and out["seed"] == 4
    assert out["total"]["mutants"] == sum(c["mutants"] for c in out["classes"]) > 0
