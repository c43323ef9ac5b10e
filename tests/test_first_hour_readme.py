"""Issue 16: the README's commands, run as a new user runs them after the quick start, with the
installed `zongjie`: each one finishes without a traceback, and the outputs the README quotes
(`$ zongjie validate …` and what follows) are what the command prints."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT
from test_first_hour_ledgers import zongjie

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[list[str]]:
    """Every `.venv/bin/zongjie …` of the README's bash blocks, comments dropped; serve (it
    runs until stopped) is tested on its own in test_first_hour_serve."""
    out = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            found = re.search(r"\.venv/bin/zongjie (.+)", line)
            if found:
                args = shlex.split(found.group(1), comments=True)
                if args[0] != "serve":
                    out.append(args)
    return out


def quoted_outputs() -> list[tuple[list[str], list[str]]]:
    """(arguments, output lines) of each `$ zongjie …` in the README's text blocks."""
    out = []
    for block in re.findall(r"```text\n(.*?)```", README, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ zongjie "):
                rest = lines[i + 1:]
                end = next((k for k, x in enumerate(rest) if x.startswith("$ ")), len(rest))
                out.append((shlex.split(line[len("$ zongjie "):]), [x for x in rest[:end] if x]))
    return out


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path):
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    commands = readme_commands()
    assert {c[0] for c in commands} >= {"draft", "batch"} and len(commands) >= 4
    for args in commands:
        result = zongjie(*args, cwd=tmp_path)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr and "usage:" not in result.stderr, args
    assert (tmp_path / "柏溪县.docx").read_bytes()[:2] == b"PK" and (tmp_path / "out" / "汇总.csv").is_file()


@pytest.mark.slow
def test_the_outputs_the_readme_quotes_are_printed(tmp_path):
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    quoted = quoted_outputs()
    assert len(quoted) >= 2
    for args, said in quoted:
        result = zongjie(*args, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.splitlines() == said, (args, result.stderr)
