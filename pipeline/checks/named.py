"""Names the records give that carry a digit (an outlet 新闻1+1, FM101.7, a
channel 第1频道, a unit 12345热线服务中心): written as recorded, such a name is a name,
not a figure. facts.* and the final support filter read a draft with these names masked,
so a sentence that names the outlet is not taken to state a number the records lack."""

from __future__ import annotations

import re

from pipeline.checks import numbers as nb
from pipeline.model.records import Records

_DIGITS = re.compile(r"[0-9０-９]+")
_LETTERS = re.compile(r"[^\W\d_]")
_CACHE: dict[int, tuple[Records, dict]] = {}


def _names(records: Records) -> set[str]:
    names: set[str] = set()
    for a in records.activities:
        names.update(a.units, a.media)
        if a.place:
            names.update(re.split(r"[、，,；;]", a.place))
    for b in records.basis:
        names.update(re.split(r"[、，,；;]", b.issuer))
    for key, others in records.aliases.items():
        names.update([key, *others])
    if records.author:
        names.add(records.author)
    return {n.strip() for n in names if len(n.strip()) >= 2}


def _numbered(name: str) -> bool:
    """A name that holds a digit and is more than a number: 新闻1+1, FM101.7, 第1频道, not
    3组 or 12345 (a place written 3组 would hide every 3组 of the draft from the checker)."""
    if not _DIGITS.search(name):
        return False
    rest = name
    for q in reversed(nb.quantities(name)):
        rest = rest[:q.start] + rest[q.end:]
    return len(_LETTERS.findall(_DIGITS.sub("", rest))) >= 2


def numbered_names(records: Records) -> dict[str, list[tuple[str, int]]]:
    """The recorded names that hold a digit, by their first run of digits: run → [(name,
    where the run starts in it)], longest name first. Built once per records (they are
    frozen)."""
    hit = _CACHE.get(id(records))
    if hit and hit[0] is records:
        return hit[1]
    by_run: dict[str, list[tuple[str, int]]] = {}
    for name in sorted((n for n in _names(records) if _numbered(n)), key=len, reverse=True):
        m = _DIGITS.search(name)
        by_run.setdefault(m.group(), []).append((name, m.start()))
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(records)] = (records, by_run)
    return by_run


def name_spans(records: Records, text: str) -> list[tuple[int, int]]:
    """Where the recorded names that hold a digit stand in `text`. Each run of digits in
    the text is looked up by itself, so the work grows with the text, not with the text
    times the names (16,000 units 第1中学 … 第16000中学 cost one lookup per number)."""
    by_run = numbered_names(records)
    if not by_run:
        return []
    spans: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        for name, at in by_run.get(m.group(), ()):
            start = m.start() - at
            if start >= 0 and text.startswith(name, start) and (not spans or start >= spans[-1][1]):
                spans.append((start, start + len(name)))
                break
    return spans


def mask_names(records: Records, text: str) -> str:
    """`text` with those names overwritten by MASK (offsets stay put)."""
    spans = name_spans(records, text)
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        chars[s:e] = nb.MASK * (e - s)
    return "".join(chars)
