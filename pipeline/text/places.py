"""Place names and their administrative level: 云岭县 and 峨溪彝族自治县 are 县,
乌兰达茂旗 and 达尔罕茂明安联合旗 are 旗, 东湖街道 is a 街道. Drafting says 全县/全旗 by it,
the checks tell this place's units from another level's (区教体局 in a 县 text) by it.
"""

from __future__ import annotations

from collections.abc import Iterable

# Suffix → level word. A suffix stands before every shorter one it ends with, so the
# first that fits is the longest: 峨溪彝族自治县 is 峨溪彝族 + 自治县, not 峨溪彝族自治 + 县.
LEVELS: dict[str, str] = {
    "自治县": "县", "自治旗": "旗", "联合旗": "旗",
    "街道": "街道", "县": "县", "区": "区", "旗": "旗", "市": "市", "镇": "镇", "乡": "乡",
}
# The suffixes that are their own level word: 街道 县 区 旗 市 镇 乡.
LEVEL_WORDS = tuple(suffix for suffix, word in LEVELS.items() if suffix == word)
# Autonomous counties and banners: the stem ends in nationality names (峨溪彝族).
AUTONOMOUS = ("自治县", "自治旗")
COUNTY_RANK = ("县", "区", "旗")
TOWN_RANK = ("镇", "乡", "街道")


def split_level(name: str, suffixes: Iterable[str] = LEVELS, *,
                need_stem: bool = False) -> tuple[str, str] | None:
    """(stem, suffix) by the first of `suffixes` the name ends with, None when none does:
    石门区 → (石门, 区). need_stem passes over a suffix that is the whole name, so 自治县
    alone reads as 自治 + 县."""
    for suffix in suffixes:
        if name.endswith(suffix) and (len(name) > len(suffix) or not need_stem):
            return name[: -len(suffix)], suffix
    return None


def level_of(name: str) -> str | None:
    """云岭县 → 县, 峨溪彝族自治县 → 县, 东湖街道 → 街道, 县 → 县; None without a level suffix."""
    hit = split_level(name)
    return LEVELS[hit[1]] if hit else None


def stem_of(name: str) -> str:
    """云岭县 → 云岭, 峨溪彝族自治县 → 峨溪彝族, 县 → ""; a name without a level suffix
    is its own stem."""
    hit = split_level(name)
    return hit[0] if hit else name
