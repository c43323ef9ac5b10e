"""Names the records give that carry a digit or a numeral (an outlet 新闻1+1, FM101.7, a
channel 第1频道, a unit 12345热线服务中心): written as recorded, such a name is a name,
not a figure. facts.* and the final support filter read a draft with these names masked,
so a sentence that names the outlet is not taken to state a number the records lack."""

from __future__ import annotations

import re

from pipeline.checks import numbers as nb
from pipeline.model.records import Records

_DIGIT = re.compile(r"[0-9０-９]")
_LETTERS = re.compile(r"[^\W\d_]")
_CACHE: dict[int, tuple[Records, re.Pattern | None]] = {}


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
    """A name that holds a number and is more than one: 新闻1+1, FM101.7, 第1频道, not 3组
    or 12345 (a place written 3组 would hide every 3组 of the draft from the checker)."""
    quantities = nb.quantities(name)
    if not (_DIGIT.search(name) or quantities):
        return False
    rest = name
    for q in reversed(quantities):
        rest = rest[:q.start] + rest[q.end:]
    return len(_LETTERS.findall(_DIGIT.sub("", rest))) >= 2


def numbered_names(records: Records) -> re.Pattern | None:
    """A pattern of the recorded names that hold a number, longest first; None when no
    name does. Built once per records (they are frozen)."""
    hit = _CACHE.get(id(records))
    if hit and hit[0] is records:
        return hit[1]
    found = sorted((n for n in _names(records) if _numbered(n)), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, found))) if found else None
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(records)] = (records, pattern)
    return pattern


def name_spans(records: Records, text: str) -> list[tuple[int, int]]:
    """Where the recorded names that hold a number stand in `text`."""
    pattern = numbered_names(records)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def mask_names(records: Records, text: str) -> str:
    """`text` with those names overwritten by MASK (offsets stay put)."""
    spans = name_spans(records, text)
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        chars[s:e] = nb.MASK * (e - s)
    return "".join(chars)
