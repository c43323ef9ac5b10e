"""How the style.* families read a draft: clauses and sentences of a line (split at
punctuation outside quotes and 《》), the items of a 、 list, and the word lists
(prompts/lexicon/style.yaml)."""

from __future__ import annotations

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


def cjk_len(text: str) -> int:
    return sum(1 for ch in text if is_cjk(ch))


@dataclass
class Piece:
    """A clause or sentence of one line: offsets into the line, the mark that ends it."""
    line: int  # 0-based line index
    start: int
    end: int
    text: str
    stop: str  # the punctuation after it; "" at the end of the line


def _quoted_mask(line: str) -> list[bool]:
    mask = [False] * len(line)
    if any(ch in line for ch in "“‘「『《\""):
        for a, b in quoted_spans(line):
            for j in range(a, b):
                mask[j] = True
    return mask


def split_line(line: str, index: int, stops: str = CLAUSE_STOPS) -> list[Piece]:
    """The pieces of a line between `stops` outside quotes; leading/trailing blanks dropped,
    empty pieces left out."""
    mask = _quoted_mask(line)
    out: list[Piece] = []
    start = 0
    for j, ch in enumerate(line):
        if ch in stops and not mask[j]:
            _add(out, line, index, start, j, ch)
            start = j + 1
    _add(out, line, index, start, len(line), "")
    return out


def _add(out: list[Piece], line: str, index: int, start: int, end: int, stop: str) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Piece(index, start, end, line[start:end], stop))


def list_items(piece: Piece, line: str) -> list[tuple[int, int]]:
    """The (start, end) line offsets of the 、-separated items of a clause (outside quotes);
    a clause without 、 has one item."""
    mask = _quoted_mask(line)
    items = []
    start = piece.start
    for j in range(piece.start, piece.end):
        if line[j] == "、" and not mask[j]:
            items.append((start, j))
            start = j + 1
    items.append((start, piece.end))
    return items
