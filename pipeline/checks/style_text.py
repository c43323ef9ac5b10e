"""How the style.* families read a draft: clauses and sentences of a line (split at
punctuation outside quotes and 《》), the items of a 、 list, and the word lists
(prompts/lexicon/style.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.checks.structure import quoted_spans
from pipeline.resources import load_yaml

CLAUSE_STOPS = "，,；;。！？!?：:"
SENTENCE_STOPS = "。！？!?"
_CJK_LO, _CJK_HI = "\u4e00", "\u9fff"


@cache
def lexicon() -> dict:
    return load_yaml("lexicon/style.yaml")


def is_cjk(ch: str) -> bool:
    return _CJK_LO <= ch <= _CJK_HI


_CJK = re.compile(f"[{_CJK_LO}-{_CJK_HI}]")


def cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


@dataclass
class Piece:
    """A clause or sentence of one line: offsets into the line, the mark that ends it."""
    line: int  # 0-based line index
    start: int
    end: int
    text: str
    stop: str  # the punctuation after it; "" at the end of the line


def quoted_mask(line: str) -> list[bool]:
    """Which characters of the line stand inside quotes or 《》."""
    mask = [False] * len(line)
    if any(ch in line for ch in "“‘「『《\""):
        for a, b in quoted_spans(line):
            for j in range(a, b):
                mask[j] = True
    return mask


def split_line(line: str, index: int, stops: str = CLAUSE_STOPS) -> list[Piece]:
    """The pieces of a line between `stops` outside quotes; leading/trailing blanks dropped,
    empty pieces left out."""
    mask = quoted_mask(line)
    out: list[Piece] = []
    start = 0
    for m in _stops(stops).finditer(line):  # the stops found by the regex engine, not char by char
        j = m.start()
        if not mask[j]:
            _add(out, line, index, start, j, line[j])
            start = j + 1
    _add(out, line, index, start, len(line), "")
    return out


@cache
def _stops(stops: str) -> re.Pattern:
    return re.compile(f"[{re.escape(stops)}]")


def _add(out: list[Piece], line: str, index: int, start: int, end: int, stop: str) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Piece(index, start, end, line[start:end], stop))


def list_items(piece: Piece, line: str, mask: list[bool] | None = None) -> list[tuple[int, int]]:
    """The (start, end) line offsets of the 、-separated items of a clause (outside quotes);
    a clause without 、 has one item. `mask`: the line's quoted_mask, when the caller reads
    many clauses of one line (worked out per clause, a long line of lists was quadratic)."""
    mask = quoted_mask(line) if mask is None else mask
    items = []
    start = piece.start
    for j in range(piece.start, piece.end):
        if line[j] == "、" and not mask[j]:
            items.append((start, j))
            start = j + 1
    items.append((start, piece.end))
    return items
