"""The style mutation classes: each plants its defect at a line where its family reports it."""

from __future__ import annotations

import random

import pytest

from pipeline.checks import check
from pipeline.evals.mutation import clean_drafts, run_mutation
from pipeline.evals.mutation.generators import CLASSES
from pipeline.evals.mutation.style_generators import GENERATORS
from tests.conftest import FIXTURES, ROOT


def test_every_style_class_is_in_the_table_with_a_style_family():
    assert set(GENERATORS) <= set(CLASSES)
    assert all(CLASSES[c].startswith("style.") for c in GENERATORS)


def test_an_echo_mutant_of_a_clean_sentence_is_reported_at_its_line(yunling):
    text = "一、主要做法\n\n9月25日，县民族宗教事务局走访慰问少数民族困难群众15户，发放慰问金3万元。\n"
    assert not [f for f in check(text, yunling).findings if f.check == "style.echo"]
    line, note, mutated = next(GENERATORS["echo"](text, yunling, random.Random(1), ()))[:3]
    assert "，走访慰问15户" in mutated and line == 3
    assert [f.line for f in check(mutated, yunling).findings if f.check == "style.echo"] == [3]


@pytest.mark.slow
def test_style_mutants_are_detected_at_the_right_line_without_false_alarms():
    drafts = clean_drafts(FIXTURES, ROOT / "evals" / "handwritten")
    result = run_mutation(drafts, per_class={c: 3 for c in GENERATORS})
    for row in result.classes:
        if row.cls in GENERATORS:
            assert row.mutants >= 10, row.cls
            assert row.right_family / row.mutants >= 0.99, (row.cls, [o.note for o in result.missed])
    assert result.false_alarms == []
