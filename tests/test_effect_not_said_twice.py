"""A part's effect sentence does not say again what the sentence before it just said (引导
群众知法守法、依法办事。群众……依法办事的意识明显增强): it is left out, and the part
closes otherwise. Checked over the template drafts of every fixture."""

from __future__ import annotations

import pytest

from conftest import fixture_files
from pipeline.drafting import draft_document
from pipeline.drafting.phrasing import near
from pipeline.inputs import load_records


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_no_stock_sentence_repeats_the_words_just_before_it(path):
    document = draft_document(load_records(path)[0])
    for section in document.sections:
        for p in section.paragraphs:
            for a, b in zip(p.sentences, p.sentences[1:]):
                if a.sources and b.role == "effect":  # a fact, then how it turned out
                    assert not near(a.text, b.text), (a.text, b.text)
