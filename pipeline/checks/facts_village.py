"""facts.entity, villages and communities: a name ending in 村, 社区 or 嘎查 (沙坝村,
金桥社区, 巴音嘎查) anywhere in a line, not only after 在/到 — a 范文 copied from another
county keeps its villages as actors (金桥社区、镇政府高度重视), as organisers (由金桥社区
联合主办), in a signature, or as objects (推进沙坝村互嵌式社区建设).

The name is the 2–4 Chinese characters before the suffix that start at a line start, a
punctuation mark, a word of prompts/lexicon/village_names.yaml `prefixes` (or levels.yaml
`name_prefixes`), or a town's name (金河镇沙坝村). Conservative by design: a longer run
with no such start is no name, and a name ending in a generic word (乡村, 行政村,
互嵌式社区) is no claim.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.resources import load_yaml

_MAX_STEM = 4
_MASK = "\u25a1"


@cache
def _lexicon() -> tuple[re.Pattern, re.Pattern, tuple[str, ...], re.Pattern]:
    data = load_yaml("lexicon/village_names.yaml")
    suffixes = "|".join(map(re.escape, sorted(data["suffixes"], key=len, reverse=True)))
    suffix = re.compile(rf"(?:{suffixes})(?!{data['not_after']})")
    # A generic word is a start too: 少数民族聚居村杏林村.
    cuts = set(data["prefixes"]) | set(data["parents"]) | set(data["generic"])
    cuts |= set(load_yaml("lexicon/levels.yaml")["name_prefixes"])
    cut = re.compile("|".join(map(re.escape, sorted(cuts, key=len, reverse=True))))
    generic = tuple(sorted(set(data["generic"]), key=len, reverse=True))
    stop = re.compile(r"[各全该本其这那每多些几沿的个\d]|[一两三四五六七八九十][支批所座家处类名]")
    return suffix, cut, generic, stop


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _stem_start(work: str, end: int, cut: re.Pattern) -> int | None:
    """Where the name before work[end] starts, or None when no start can be told."""
    # Only a run start within reach matters (a stem of 2–4 after a cut word of ≤ 4), so
    # the walk back stops there: a long run of characters is not rewalked per suffix.
    j, reach = end, max(0, end - _MAX_STEM - 5)
    while j > reach and _cjk(work[j - 1]):
        j -= 1
    run_start = j
    low = max(run_start, end - _MAX_STEM - 4)  # a cut word (≤ 4 chars) may stand before a 4-char stem
    best = None
    for m in cut.finditer(work, low, end):
        if m.end() == end:
            return None  # 向村, 在村: a word before the suffix, no name
        if 2 <= end - m.end() <= _MAX_STEM:
            best = m.end()  # the last cut that leaves a name of 2–4 characters
    if best is not None:
        return best
    if 2 <= end - run_start <= _MAX_STEM:
        return run_start  # the run starts at a line start or a punctuation mark
    return None


def village_names(work: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each village or community name in the (masked) line."""
    suffix, cut, generic, stop = _lexicon()
    out = []
    for m in suffix.finditer(work):
        if m.start() < 2 or not _cjk(work[m.start() - 1]):
            continue
        s = _stem_start(work, m.start(), cut)
        if s is None:
            continue
        name = work[s:m.end()]
        if _MASK in name or stop.search(name[: -len(m.group())]) or name.endswith(generic):
            continue
        out.append((s, m.end(), name))
    return out
