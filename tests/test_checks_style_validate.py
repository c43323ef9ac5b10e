"""`zongjie validate` warns when the records cannot give a 落款 (no author, no date):
a warning, exit code 0."""

from __future__ import annotations

import pytest

from pipeline.inputs import load_records, signature_warnings
from tests.conftest import FIXTURES, run_cli


def test_records_without_author_and_date_get_two_warnings_naming_the_fields():
    records, _ = load_records(FIXTURES / "lanshui_county.yaml")
    found = signature_warnings(records, "lanshui_county.yaml")
    assert [(p.path, p.severity) for p in found] == [("author", "warning"), ("date", "warning")]
    assert "落款" in found[0].message and "成文日期" in found[1].message


def test_records_with_both_get_none():
    records, _ = load_records(FIXTURES / "yunling_county.yaml")
    assert signature_warnings(records, "yunling_county.yaml") == []


@pytest.mark.slow
def test_validate_prints_the_warning_and_exits_0():
    proc = run_cli("validate", str(FIXTURES / "wulan_damao_banner.yaml"))
    assert proc.returncode == 0
    assert "date" in proc.stderr and "成文日期" in proc.stderr
    assert "1 个警告" in proc.stdout
