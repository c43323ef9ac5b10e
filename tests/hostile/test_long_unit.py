"""A figure's unit of thousands of characters (another text in the wrong field) is refused
with a short message naming the field, not accepted with a warning that prints it whole."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow  # the real command in a child process


def test_a_long_unit_is_refused_with_a_short_message(tmp_path):
    text = (FIXTURES / "lanshui_county.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long_unit.yaml"
    path.write_text(text.replace("unit: 份}", "unit: " + "份" * 50_000 + "}", 1), encoding="utf-8")
    proc = run_cli("validate", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    assert "figures[0].unit" in out and "量词过长（50000 字" in out and len(out) < 2_000


def test_a_measure_word_of_a_few_characters_still_passes(tmp_path):
    text = (FIXTURES / "lanshui_county.yaml").read_text(encoding="utf-8")
    path = tmp_path / "unit.yaml"
    path.write_text(text.replace("unit: 份}", "unit: 万人次}", 1), encoding="utf-8")
    assert run_cli("validate", str(path)).returncode == 0
