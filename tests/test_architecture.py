"""The package's layers hold: the contracts in pyproject.toml cover every module, ignore
nothing, and import-linter finds them kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _layer_modules() -> set[str]:
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    return {name.strip() for layer in layers for name in layer.split("|")}


def test_every_top_level_module_is_in_a_layer():
    # A new module outside the layers would be free to import anything.
    top = {f"pipeline.{p.stem}" for p in (ROOT / "pipeline").glob("*.py") if p.stem != "__init__"}
    top |= {f"pipeline.{p.parent.name}" for p in (ROOT / "pipeline").glob("*/__init__.py")}
    assert top - _layer_modules() == set()
    assert _layer_modules() - top == set()  # no layer names a module that is gone


def test_no_contract_ignores_an_import():
    for contract in _contracts():
        assert not contract.get("ignore_imports"), contract["name"]


def test_lint_imports_keeps_every_contract(tmp_path):
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("未安装 import-linter（pip install -e '.[test]' 会装上）")
    # No cache: a stale graph from another tree must not decide.
    result = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout
