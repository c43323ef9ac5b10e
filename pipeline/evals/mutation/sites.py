"""Where a mutation may go: numbers with a measure word, spans no number mutation should
touch, and the replacement numbers. Found with simple regular expressions of their own,
independent of the checkers' span finding, so the self-test does not share their blind spots."""

from __future__ import annotations

import random
import re
from functools import cache

from pipeline.checks.index import ACTIVITY_UNITS
from pipeline.checks.numbers import cn_to_int, units
from pipeline.model.records import Records
from pipeline.resources import load_yaml

CN = "零一二三四五六七八九"
CN_NUM = "零一二两三四五六七八九十百千万"


# TODO(text): use pipeline.text.numerals
def cn_number(n: int) -> str:
    """36 → 三十六, 860 → 八百六十, 105 → 一百零五 (below 10^8)."""
    if n == 0:
        return "零"
    def four(v: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = v // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += CN[d] + name
                zero = False
            elif out:
                zero = True
        return out
    high, low = divmod(n, 10_000)
    text = (four(high) + "万" + ("零" if 0 < low < 1000 else "") + four(low)) if high else four(low)
    return text[1:] if text.startswith("一十") else text


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans no number mutation should touch: titles, quotes, dates, years, numbering."""
    spans = [m.span() for m in re.finditer(r"《[^》]*》|“[^”]*”|\d{4}年|\d{1,2}月\d{1,2}日"
                                          r"(?:[至—-]\d{1,2}(?:月\d{1,2})?日)?|\d{1,2}月", text)]
    spans += [m.span() for m in re.finditer(r"(?m)^[#\s]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.、]"
                                            r"|\([一二三四五六七八九十\d]+\))", text)]
    spans += [m.span() for m in re.finditer(r"[一二三四五六七八九十]+是", text)]
    spans += [m.span() for m in _formulations().finditer(text)]  # 二十届三中全会: no facts
    return spans


@cache
def _formulations() -> re.Pattern:
    data = load_yaml("lexicon/formulations.yaml")
    alts = [re.escape(e["text"]) for e in data["formulations"]] + [e["pattern"] for e in data["patterns"]]
    return re.compile("|".join(sorted(alts, key=len, reverse=True)))


def free(spans, s: int, e: int) -> bool:
    return not any(a < e and s < b for a, b in spans)


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def number_sites(text: str) -> list[tuple[int, int, str, int, int]]:
    """(num_start, num_end, num_text, unit_start, unit_end) of numbers with a measure word."""
    words = sorted(units().words, key=len, reverse=True)
    unit_alt = "|".join(map(re.escape, words))
    pat = re.compile(rf"(\d+(?:\.\d+)?万?|[{CN_NUM}]{{1,8}})(余|多)?({unit_alt})")
    spans = masked_spans(text)
    out = []
    for m in pat.finditer(text):
        num = m.group(1)
        if num[0] in CN_NUM and (num in ("一", "百", "千", "万") or cn_to_int(num) is None):
            continue
        if num[0] in CN_NUM and m.start() > 0 and text[m.start() - 1] in "第统唯之":
            continue
        if m.start() > 0 and text[m.start() - 1] == "第":
            continue
        if not free(spans, m.start(), m.end()):
            continue
        if num[0] in CN_NUM and re.match(r"个(?:方面|问题|离不开|认同|与共|共同|维护|确立|意识|自信)",
                                          text[m.end(1):m.end(1) + 4]):
            continue
        out.append((m.start(1), m.end(1), num, m.start(3), m.end(3)))
    return out


def new_number(num: str, rng: random.Random, up_only: bool) -> str:
    """Another number in the same script. With 余/约/近 only upwards, since a round number
    below the record (50余 for 52) would still be true."""
    if num[0] in CN_NUM:
        value = cn_to_int(num)
        delta = rng.choice([1, 2, 3, 5]) * 10 ** max(0, len(str(value)) - 2)
        down = not up_only and value - delta > 0 and rng.random() < 0.5
        return cn_number(value - delta if down else value + delta)
    digits = [i for i, c in enumerate(num) if c.isdigit()]
    if up_only:  # raise the leading digit: 800余 → 900余, 9 → 10
        i = digits[0]
        d = int(num[i])
        return num[:i] + (str(rng.randint(d + 1, 9)) if d < 9 else "10") + num[i + 1:]
    i = rng.choice(digits)
    choices = [d for d in range(10) if d != int(num[i]) and not (d == 0 and i == 0)]
    return num[:i] + str(rng.choice(choices)) + num[i + 1:]


def unit_group(unit: str) -> str:
    return units().group.get(unit, unit)


def equivalent(text: str, records: Records, num: str, old: str, new: str, s: int) -> bool:
    """开展活动11项 / 11次 both count the activities: swapping them plants no error."""
    value = cn_to_int(num) if num[0] in CN_NUM else float(num) if "万" not in num else None
    return (old in ACTIVITY_UNITS and new in ACTIVITY_UNITS and value == len(records.activities)
            and "活动" in text[max(0, s - 12):s + 12])
