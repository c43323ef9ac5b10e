"""headings.required, headings.numbering, consistency.year and consistency.place: no false
alarms on real drafts, registration and speed, and the draft the family tests share (their
records: the `yunling` fixture in conftest.py). The families one by one are tested in
test_checks_headings.py and test_checks_consistency.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import FAMILIES, check
from pipeline.checks.model import Context
from pipeline.inputs import load_records
from pipeline.orchestrator import draft

from conftest import DATA, ROOT, fixture_files

MINE = ("headings.required", "headings.numbering", "consistency.year", "consistency.place",
        "residue.placeholder", "register")


def run(family: str, text: str, records=None):
    fn, _ = FAMILIES[family]
    return fn(Context(text=text, records=records))


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def mine(report):
    return [f for f in report.findings if f.check in MINE]


def records_with(base, **changes):
    return base.model_copy(update=changes)


# ---------------------------------------------------------------- no false alarms

def test_spec_example_draft_has_no_findings(spec_records):
    text = (DATA / "spec_example_draft.md").read_text(encoding="utf-8")
    assert mine(check(text, spec_records)) == []
    assert mine(check(text)) == []


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_template_drafts_have_no_findings(path):
    records = load_records(path)[0]
    text = draft(records).markdown
    assert mine(check(text, records)) == []
    assert mine(check(text)) == []


def _handwritten():
    folder = ROOT / "evals" / "handwritten"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt")
                  and p.with_suffix(".yaml").exists())


@pytest.mark.parametrize("path", _handwritten(), ids=lambda p: p.name)
def test_handwritten_summaries_have_no_errors(path: Path):
    records = load_records(path.with_suffix(".yaml"))[0]
    text = path.read_text(encoding="utf-8")
    assert errors(mine(check(text, records))) == []
    assert errors(mine(check(text))) == []


def test_families_are_registered_with_their_needs():
    assert FAMILIES["headings.required"][1] is True
    for name in MINE[1:]:
        assert FAMILIES[name][1] is False


# ---------------------------------------------------------------- the shared draft

DRAFT = """# 云岭县2024年民族团结进步宣传月工作总结

根据要求，云岭县扎实开展民族团结进步宣传月活动。

## 一、强化组织领导，压实工作责任

一是部署。二是落实。

## 二、丰富宣传载体，营造浓厚氛围

一是宣传。

## 三、突出重点群体，深化宣传教育

一是进校园。

## 四、注重服务实效，促进交往交流交融

一是义诊。

## 五、存在的问题

一是形式单一。

## 六、下一步工作打算

一是常态化。

中共云岭县委统战部
2024年10月12日
"""
