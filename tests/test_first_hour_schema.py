"""Issue 16: the records schema tells a clerk what to write. Every property of the schema
`zongjie schema` emits (and schema/records.schema.json holds) has a Chinese title and a Chinese
description, which an editor (VS Code's YAML extension) shows on hover."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from pipeline.model.records import Records, json_schema
from test_first_hour_ledgers import zongjie

CJK = re.compile(r"[\u4e00-\u9fff]")


def properties(schema: dict) -> list[tuple[str, dict]]:
    """Every property of the schema and of its $defs, named 模型.字段."""
    out = [(f"Records.{k}", v) for k, v in schema["properties"].items()]
    for model, spec in schema.get("$defs", {}).items():
        out += [(f"{model}.{k}", v) for k, v in spec.get("properties", {}).items()]
    return out


def untitled(schema: dict) -> list[str]:
    bad = [name for name, prop in properties(schema)
           if not (CJK.search(prop.get("title", "")) and CJK.search(prop.get("description", "")))]
    bad += [f"$defs.{m}" for m, spec in schema.get("$defs", {}).items()
            if not (CJK.search(spec.get("title", "")) and CJK.search(spec.get("description", "")))]
    return bad


def test_every_records_field_has_a_chinese_title_and_description():
    schema = json_schema()
    names = {name for name, _ in properties(schema)}
    assert {f"Records.{f}" for f in Records.model_fields} <= names
    assert {"Activity.highlight", "Figure.approx", "Period.end", "Basis.issuer", "Section.heading"} <= names
    assert untitled(schema) == []
    assert CJK.search(schema["title"]) and CJK.search(schema["description"])


@pytest.mark.slow
def test_the_emitted_and_committed_schemas_are_titled_in_chinese(tmp_path):
    result = zongjie("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    emitted = json.loads(result.stdout)
    committed = json.loads((ROOT / "schema" / "records.schema.json").read_text(encoding="utf-8"))
    assert emitted == committed and untitled(emitted) == []
    assert emitted["properties"]["author"]["title"] == "落款单位"
