"""Canonical unit names: the long and short forms of one organ compare equal
(中共云岭县委统一战线工作部 and 县委统战部), the county's own name in them read as its level."""

from __future__ import annotations

import re
from functools import cache

from pipeline.resources import load_yaml
from pipeline.text.places import AUTONOMOUS, LEVEL_WORDS, LEVELS, split_level


@cache
def _pairs() -> tuple[tuple[str, str], ...]:
    data = load_yaml("lexicon/abbreviations.yaml")
    pairs = [(p["full"], p["short"]) for p in data["pairs"]]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def county_forms(county: str) -> tuple[tuple[str, ...], str]:
    """云岭县 → ((云岭县, 云岭), 县); 峨溪彝族自治县 → ((峨溪彝族自治县, 峨溪县, 峨溪), 县)."""
    # 联合旗 is not among the suffixes: 达尔罕茂明安联合旗 shortens to 达尔罕茂明安联合.
    hit = split_level(county, AUTONOMOUS + LEVEL_WORDS, need_stem=True)
    if hit is None:
        return (county,), "县"
    stem, suffix = hit
    level = LEVELS[suffix]
    if suffix in AUTONOMOUS:  # 峨溪彝族自治县 → 峨溪县, 峨溪
        stem = _strip_nationalities(stem)
        forms = [county, stem + level, stem]
    else:
        forms = [county, stem]
    forms = sorted({f for f in forms if len(f) >= 2}, key=len, reverse=True)
    return tuple(forms), level


def _strip_nationalities(stem: str) -> str:
    """峨溪彝族 → 峨溪; 石柱土家族 → 石柱; 玉龙纳西族 → 玉龙 (stem of an autonomous county)."""
    names = load_yaml("lexicon/abbreviations.yaml").get("nationalities", [])
    changed = True
    while changed:
        changed = False
        for n in sorted(names, key=len, reverse=True):
            if stem.endswith(n) and len(stem) - len(n) >= 2:
                stem, changed = stem[: -len(n)], True
    return stem


def canonical(name: str, forms: tuple[str, ...], level: str) -> str:
    """中共云岭县委统一战线工作部 → 县委统战部; 云岭县融媒体中心 → 县融媒体中心;
    共青团云岭县委员会 → 团县委. Names compare equal when their canonical forms do."""
    text = re.sub(r"\s+", "", name)
    if text.startswith("中国共产党"):
        text = "中共" + text[5:]
    if text.startswith("中共") and len(text) > 3:
        text = text[2:]
    for form in forms:  # longest first: 云岭县 before 云岭
        if form in text:
            text = text.replace(form, level)
            break
    for full, short in _pairs():
        if full in text:
            text = text.replace(full, short)
    return text
