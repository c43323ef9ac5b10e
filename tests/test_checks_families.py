"""The FAMILIES table and check(): every family reports under its own name, and the report
is what the families find, sorted, with or without records."""

from __future__ import annotations

import pytest
from conftest import DATA

from pipeline.checks import FAMILIES, check
from pipeline.checks.model import Context
from pipeline.inputs import load_records


@pytest.fixture(scope="module")
def draft():
    # last year's 范文 against this year's records: every family but three has something to say
    return (DATA / "sample-summary-2022.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def records():
    return load_records(DATA / "spec_example.yaml")[0]


def test_each_family_reports_under_its_own_name(draft, records):
    reporting = set()
    for name, family in FAMILIES.items():
        checks = {f.check for f in family.run(Context(text=draft, records=records))}
        assert checks <= {name}, name
        reporting |= checks
    assert len(reporting) >= 8


@pytest.mark.parametrize("with_records", [True, False])
def test_the_report_is_the_families_findings_sorted(draft, records, with_records):
    given = records if with_records else None
    expected = [f for family in FAMILIES.values() if given is not None or not family.needs_records
                for f in family.run(Context(text=draft, records=given))]
    expected.sort(key=lambda f: (f.line, f.column, f.check))
    report = check(draft, given)
    assert report.findings == expected
    assert report.ok is False
    assert (report.stats.claims > 0) is with_records


def test_without_records_no_family_that_needs_them_runs(draft):
    needing = {name for name, family in FAMILIES.items() if family.needs_records}
    assert needing == {"facts.number", "facts.date", "facts.entity", "facts.document", "coverage",
                       "headings.required", "consistency.level", "style.stock",
                       "style.signature"}
    assert not {f.check for f in check(draft).findings} & needing
