"""Which stock phrases fit a summary: the campaign's theme and the place's kind.

One source for both sides: the template drafter picks only phrases that fit, and the
`style.stock` check flags those that do not (data: prompts/lexicon/style.yaml, `stock`).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.resources import load_yaml


@cache
def _stock() -> dict:
    return load_yaml("lexicon/style.yaml")["stock"]


def campaign_theme(campaign: str) -> str | None:
    """unity, religion … by the words of the campaign's name; None when none applies."""
    for name, spec in _stock()["themes"].items():
        if any(w in campaign for w in spec["match"]):
            return name
    return None


def place_word_fits(entry: dict, level: str | None) -> bool:
    """Whether a place word (进乡村, 嘎查) suits a place of this level; an unknown level
    (a school, a department) suits all."""
    if level is None:
        return True
    return level not in entry.get("not_in", []) and ("only_in" not in entry or level in entry["only_in"])


def fits(text: str, campaign: str, level: str | None) -> bool:
    """Whether a stock phrase names no other campaign's theme and no place word foreign
    to the place."""
    theme = campaign_theme(campaign)
    stock = _stock()
    for e in stock["phrases"]:
        if theme is not None and e["theme"] != theme and e["text"] not in campaign and e["text"] in text:
            return False
    return all(place_word_fits(e, level) or e["text"] not in text for e in stock["places"])


_FACT_MARK = re.compile(r"[0-9０-９《》“”\"]")
_ORDINAL_LEAD = re.compile(r"^\s*[一二三四五六七八九十]{1,2}是")


@cache
def _padding() -> dict:
    return load_yaml("lexicon/style.yaml")["padding"]


def is_lead(sentence: str) -> bool:
    """一是……: an item's lead phrase, where a run of working language starts again."""
    return bool(_ORDINAL_LEAD.match(sentence))


def is_stock_sentence(sentence: str) -> bool:
    """Working language with no fact in it (no number, date, 《》 or quoted name) that says
    what stock phrases say (lexicon/style.yaml `padding.markers`). One source for both sides:
    the template drafter never writes two in a row, and style.padding flags them."""
    if is_lead(sentence) or _FACT_MARK.search(sentence):
        return False
    lex = _padding()
    if sum("\u4e00" <= ch <= "\u9fff" for ch in sentence) < lex["min_length"]:
        return False
    return any(m in sentence for m in lex["markers"])
