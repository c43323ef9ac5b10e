"""The measure words (量词) a figure may end in, from prompts/lexicon/measure_words.yaml: the
one table the ledger reader (which units a 数据 cell may use) and the checker (where a
“数字+量词” ends) share, so a unit the ledger accepts is one the checker counts."""

from __future__ import annotations

from functools import cache

from pipeline.resources import load_yaml

# The units a refusal names first: what offices count most, in the order a clerk looks for them.
COMMON = ("人", "人次", "场", "场次", "次", "个", "户", "份", "册", "本", "张", "幅", "条", "件",
          "套", "袋", "箱", "盒", "批", "期", "家", "所", "处", "元", "万元")


@cache
def unit_words() -> tuple[str, ...]:
    """Every measure word and scaled unit (万元, 万人次) in the table, longest first."""
    data = load_yaml("lexicon/measure_words.yaml")
    words = {e["word"] for e in data["units"]} | {e["word"] for e in data.get("scaled", [])}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def common_units() -> tuple[str, ...]:
    """The everyday units, each one the table has."""
    known = set(unit_words())
    return tuple(w for w in COMMON if w in known)
