"""Suite files for the `zongjie eval` tests: a small suite over two fixtures and a
hand-written draft, and reading a run's rows."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, ROOT

HANDWRITTEN = ROOT / "evals" / "handwritten"
CONCISE = (ROOT / "evals" / "suites" / "prompts-concise" / "section.txt").read_text(encoding="utf-8")


def suite_text(extra_variant: str = "", prompts: str = "") -> str:
    return f"""
description: 测试套件
defaults:
  assertions:
    - fact_precision >= 1.0
    - coverage >= 0.9
    - no_errors
    - max_numbering_errors: 0
  concurrency: 2
fixtures:
  - {FIXTURES / "lanshui_county.yaml"}
  - {FIXTURES / "xiantan_town.yaml"}
  - records: {HANDWRITTEN / "liuxi_county_2024.yaml"}
    draft: {HANDWRITTEN / "liuxi_county_2024.md"}
variants:
  - name: 模板
    backend: template
  - name: 手写稿
    backend: handwritten
  - name: 忠实模型
    backend: llm
    provider: scripted:faithful
    places: [lanshui_county, xiantan_town]
{prompts}
  - name: 编造模型
    backend: llm
    provider: scripted:invent
    places: [lanshui_county]
{extra_variant}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "results.jsonl").read_text(encoding="utf-8").splitlines()]
