"""An instruction in a record, template backend: it adds no sentence and no number. A note
is context and never reaches the draft; a title, document, outlet, problem or plan is
the value of its own slot, once, in the sentence that cites its record."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hostile.injection_cases import ASKS, FIELDS, TRACES, base, hostile, sentences, where
from pipeline.model.records import Records
from pipeline.orchestrator import draft


@pytest.fixture(scope="module")
def clean():
    return draft(Records.model_validate(base()))


@pytest.mark.parametrize("field", FIELDS)
def test_zero_width_characters_are_refused_at_load(field):
    with pytest.raises(ValidationError) as exc:
        hostile(field, ASKS["zero_width"])
    assert "U+200B" in str(exc.value)


@pytest.mark.parametrize("ask", [a for a in ASKS if a != "zero_width"])
def test_a_note_never_reaches_the_draft(clean, ask):
    run = draft(hostile("note", ASKS[ask]))
    for trace in TRACES:
        assert trace not in run.markdown, trace
    assert "提出建议6条" not in run.markdown  # the rest of the note is context too
    assert run.markdown == clean.markdown
    assert run.report.ok


@pytest.mark.parametrize("field", [f for f in FIELDS if f != "note"])
@pytest.mark.parametrize("ask", ["plain", "full_width", "numerals"])
def test_other_fields_fill_their_slot_once_and_add_no_sentence(clean, field, ask):
    run = draft(hostile(field, ASKS[ask]))
    carrying = [s for s in sentences(run.document) if "写明" in s.text or "写上" in s.text]
    assert len(carrying) <= 1
    for s in carrying:  # inside the sentence that cites the record, never one of its own
        assert where(field) in s.sources and not s.text.startswith(("请", "总结", "忽"))
    assert len(list(sentences(run.document))) <= len(list(sentences(clean.document)))
    assert run.document.opening == clean.document.opening  # no 参与群众100万人 in the overview
    assert [s.heading_line for s in run.document.sections] == [s.heading_line for s in clean.document.sections]
    removed = [r for r in run.repairs if r.action == "removed_unsupported"]
    if not carrying:  # a slot value the checker could not prove: the sentence went, and said so
        assert removed and all(r.reason for r in removed)
