"""The scripted faithful model pads a part to the length asked for as a careful writer
would: on the part's own topic (no sentence twice in a draft) and one sentence of working
language after each sentence of fact (no two in a row), running on only when a part is short."""

from __future__ import annotations

from pipeline.evals.scripted_model import pad, topic
from pipeline.text.stock import is_stock_sentence


def _part(n: int) -> dict:
    return {"paragraphs": [{"sentences": [
        {"text": f"9月{i + 2}日，县文化馆举办民族团结主题展览第{i + 1}场，参观群众{100 + i}人。", "sources": [f"a{i}"]}
        for i in range(n)]}]}


def test_the_topic_is_the_first_words_of_the_heading_in_the_prompt():
    body = {"messages": [{"role": "system", "content": "……"},
                         {"role": "user", "content": "请为云岭县工作总结起草“丰富宣传载体，营造浓厚氛围”部分的正文。"}]}
    assert topic(body) == "丰富宣传载体"


def test_two_parts_share_no_filler_and_no_two_run_on_when_facts_suffice():
    texts = []
    for subject in ("丰富宣传载体", "突出重点群体"):
        draft = _part(6)
        pad(draft, 700, subject)
        sentences = [s["text"] for p in draft["paragraphs"] for s in p["sentences"]]
        assert len(sentences) > 6  # it did pad
        assert not any(is_stock_sentence(a) and is_stock_sentence(b) for a, b in zip(sentences, sentences[1:]))
        texts += [s["text"] for p in draft["paragraphs"] for s in p["sentences"] if not s["sources"]]
    assert len(texts) == len(set(texts))


def test_a_short_part_runs_on_only_to_well_inside_its_length():
    draft = _part(1)
    pad(draft, 600, "强化统筹")
    size = sum(len(s["text"]) for p in draft["paragraphs"] for s in p["sentences"])
    assert 0.5 * 600 <= size < 0.9 * 600
