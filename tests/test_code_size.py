"""The style rule "no file over 400 lines" (../shared/notes/style.md), for every source file
of the project: code, tests, benchmarks, prompts and the web page's assets."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
SOURCES = ("pipeline", "tests", "evals", "prompts")
KINDS = {".py", ".yaml", ".yml", ".txt", ".md", ".js", ".css", ".html", ".toml"}


def _sources() -> list[Path]:
    out = []
    for top in SOURCES:
        for path in (ROOT / top).rglob("*"):
            # eval run outputs and the hand-written texts are data, not code
            if path.suffix in KINDS and path.is_file() and "runs" not in path.relative_to(ROOT).parts \
                    and "handwritten" not in path.parts:
                out.append(path)
    return out


def test_the_walk_sees_the_package():
    names = {p.relative_to(ROOT).as_posix() for p in _sources()}
    assert {"pipeline/cli.py", "pipeline/orchestrator.py", "tests/test_code_size.py"} <= names


def test_no_source_file_is_over_the_limit():
    long = {p.relative_to(ROOT).as_posix(): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8", errors="replace").splitlines())) > LIMIT}
    assert not long, f"files over {LIMIT} lines (split them by responsibility): {long}"
