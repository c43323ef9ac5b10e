"""`zongjie eval` suites: validation messages naming file, line and field, problems found
after parsing, the generated JSON Schema, the committed suites, the default suite."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, ROOT, run_cli
from eval_suites import write

from pipeline.errors import InputError


def test_suite_validation_errors_are_clear(tmp_path):
    bad = write(tmp_path / "坏套件.yaml", f"""
defaults:
  assertions:
    - fact_precison >= 1.0
    - {{max_numbering_errors: -1}}
  concurency: 3
fixtures:
  - {FIXTURES}/nothing-*.yaml
  - {{records: {FIXTURES / "lanshui_county.yaml"}, drafts: x.md}}
variants:
  - name: a
    backend: tempalte
  - name: b
    backend: llm
    provider: scripted:wrong
    prompts: {{sectoin: x}}
""")
    proc = run_cli("eval", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    expect = [("坏套件.yaml:4 defaults.assertions[0]", "未知的指标或断言“fact_precison”（是否为 fact_precision？）"),
              ("坏套件.yaml:5 defaults.assertions[1]", "应为不小于 0 的数值"),
              ("坏套件.yaml:6 defaults.concurency", "未知的键“concurency”，是否应为“concurrency”？"),
              ("坏套件.yaml:9 fixtures[1].drafts", "未知的键“drafts”，是否应为“draft”？"),
              ("坏套件.yaml:12 variants[0].backend", "取值“tempalte”无效，应为 template、llm、handwritten 之一"),
              ("坏套件.yaml:15 variants[1].provider", "scripted:<模式>"),
              ("坏套件.yaml:16 variants[1].prompts.sectoin", "取值“sectoin”无效")]
    for where, what in expect:
        assert any(where in ln and what in ln for ln in lines), (where, what, lines)


def test_suite_problems_found_after_parsing(tmp_path):
    from pipeline.evals.suite import load_suite

    lanshui = FIXTURES / "lanshui_county.yaml"
    dup = write(tmp_path / "dup.yaml", f"""
fixtures: ["{lanshui}"]
variants:
  - {{name: a, backend: template}}
  - {{name: a, backend: llm}}
""")
    with pytest.raises(InputError) as exc:
        load_suite(dup)
    assert "变体名称“a”重复" in str(exc.value) and "llm 后端需要 provider" in str(exc.value)
    files = write(tmp_path / "files.yaml", f"""
fixtures: ["{FIXTURES}/nothing-*.yaml", "{lanshui}"]
variants:
  - name: a
    backend: llm
    provider: scripted:faithful
    prompts: {{section: "只有{{county}}"}}
  - {{name: h, backend: handwritten}}
""")
    with pytest.raises(InputError) as exc:
        load_suite(files)
    text = str(exc.value)
    assert f"“{FIXTURES}/nothing-*.yaml”没有匹配到任何记录文件" in text
    assert "variants[0].prompts.section：提示词 section 的覆盖缺少变量" in text and "{records_json}" in text
    assert "变体“h”没有可评测的带手写草稿的记录" in text


def test_schema_file_is_generated_from_the_suite_model():
    from pipeline.evals.suite import json_schema

    committed = json.loads((ROOT / "schema" / "eval-suite.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()
    assert committed["additionalProperties"] is False


def test_committed_suites_are_valid():
    from pipeline.evals.suite import load_suite

    default = load_suite(ROOT / "evals" / "default.yaml")
    assert {p.backend for p in default.plans} == {"template", "handwritten", "llm"}
    assert any(p.prompts for p in default.plans)  # a prompt variant
    assert len([f for f in default.fixtures if f.draft]) >= 6
    assert load_suite(ROOT / "evals" / "mutation.yaml").suite.mutation


def test_no_default_suite_gives_a_clear_message(tmp_path, monkeypatch):
    import pipeline.evals.cli as cli

    monkeypatch.setattr(cli, "ROOT", tmp_path / "installed")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="找不到默认评测套件 evals/default.yaml"):
        cli.default_suite()
    write(tmp_path / "evals" / "default.yaml", "mutation: true\n")
    assert cli.default_suite() == tmp_path / "evals" / "default.yaml"
