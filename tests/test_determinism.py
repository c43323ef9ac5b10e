"""The same records give the same bytes in any process: every fixture drafted (Markdown,
JSON, Word, and each check report) and a whole batch, under two string-hash seeds. Set
order, and so anything built by iterating a set of strings, changes with PYTHONHASHSEED;
a resumed batch skips places whose output it believes unchanged, so the files must not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, fixture_files

pytestmark = pytest.mark.slow

SEEDS = ("0", "12345")
FORMATS = (".md", ".json", ".docx")

# One child per seed drafts every fixture through the console script's entry point.
DRAFT_ALL = """
import json, sys
from pathlib import Path
from pipeline.cli import main

out, sources, formats = Path(sys.argv[1]), sys.argv[2].split("\\n"), sys.argv[3].split(",")
codes = {}
for src in sources:
    for ext in formats:
        target = out / (Path(src).stem + ext)
        codes[target.name] = main(["draft", src, "-o", str(target), "--backend", "template", "--quiet"])
print(json.dumps(codes))
"""


def child_env(seed: str, scratch: Path) -> dict[str, str]:
    """As conftest.run_cli: no endpoint and no user config can leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))}
    return env | {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, "XDG_CONFIG_HOME": str(scratch / ".no-config")}


def run_under_seeds(tmp_path: Path, args) -> dict[str, subprocess.CompletedProcess]:
    """`args(out)` for each seed, the children side by side (each waits on itself only)."""
    procs = {}
    for seed in SEEDS:
        out = tmp_path / f"seed-{seed}"
        procs[seed] = subprocess.Popen([sys.executable, *args(out)], cwd=tmp_path, env=child_env(seed, tmp_path),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = {}
    for seed, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        done[seed] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return done


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differing(tmp_path: Path) -> list[str]:
    a, b = (tree(tmp_path / f"seed-{seed}") for seed in SEEDS)
    assert a.keys() == b.keys()
    return [name for name in a if a[name] != b[name]]


def test_every_fixture_drafts_to_the_same_bytes_under_two_hash_seeds(tmp_path):
    sources = [str(p) for p in fixture_files()]
    for seed in SEEDS:
        (tmp_path / f"seed-{seed}").mkdir()
    results = run_under_seeds(tmp_path, lambda out: ["-c", DRAFT_ALL, str(out), "\n".join(sources),
                                                     ",".join(FORMATS)])
    for seed, result in results.items():
        assert result.returncode == 0, (seed, result.stderr)
        codes = json.loads(result.stdout)
        assert len(codes) == len(sources) * len(FORMATS) and set(codes.values()) == {0}, (seed, codes)
    files = tree(tmp_path / f"seed-{SEEDS[0]}")
    for src in fixture_files():
        for ext in FORMATS:
            assert f"{src.stem}{ext}" in files and f"{src.stem}{ext}.check.json" in files
    assert differing(tmp_path) == []


def test_a_batch_writes_the_same_files_under_two_hash_seeds(tmp_path):
    results = run_under_seeds(tmp_path, lambda out: ["-m", "pipeline.cli", "batch", str(FIXTURES), "-o", str(out),
                                                     "--format", "md,docx", "--backend", "template", "--quiet"])
    for seed, result in results.items():
        assert result.returncode == 0, (seed, result.stderr)
    files = tree(tmp_path / f"seed-{SEEDS[0]}")
    assert {"汇总.csv", "汇总.json"} <= files.keys()
    places = [name for name in files if name.endswith(".check.json")]
    assert len(places) == len(fixture_files())
    for report in places:
        stem = report.removesuffix(".check.json")
        assert f"{stem}.md" in files and f"{stem}.docx" in files
    assert differing(tmp_path) == []  # the resume state and summaries too: they hold no timing
