"""Chinese numerals both ways: int → 一/十二/二十一/一百零五 for headings, items and
counts, and Chinese numeral text → int for reading a draft.

Only spans already known to be numerals are converted: 统一, 一些, 第一书记 are words,
and finding the spans is the caller's business (pipeline.checks.numbers).
"""

from __future__ import annotations

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

# 一 … 九十九 as headings (一、（十二）) and items (二十一是) write them: exactly the texts
# cn_numeral gives for 1..99.
CN_NUMERAL = r"(?:十[一二三四五六七八九]?|[二三四五六七八九]十[一二三四五六七八九]?|[一二三四五六七八九])"

_WRITTEN = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五, 860 → 八百六十, 0 → 零
    (0 ≤ n < 10^8)."""
    if not 0 <= n < 100_000_000:
        raise ValueError(f"no Chinese numeral for {n}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    text = _four(low)
    if high:
        text = _four(high) + "万" + ("零" if 0 < low < 1000 else "") + text
    return text[1:] if text.startswith("一十") else text  # 十二, not 一十二


def _four(v: int) -> str:
    """0 < v < 10^4: 三千零五, 八百六十 (a zero inside is said once, trailing zeros not)."""
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = v // value % 10
        if d:
            out += ("零" if zero and out else "") + _WRITTEN[d] + name
            zero = False
        elif out:
            zero = True
    return out


def cn_to_int(text: str) -> int | None:
    """三十六 → 36, 两千三百 → 2300, 一万二千 → 12000, 一百零五 → 105, 二〇二四 → 2024.
    Approximate runs (二三十, 十七八, 三五) and malformed ones give None."""
    if not text or any(c not in CN_NUMERAL_CHARS for c in text):
        return None
    if all(c in CN_DIGITS for c in text):
        if len(text) == 1:
            return CN_DIGITS[text]
        if len(text) >= 3 or "〇" in text or "零" in text:  # 二〇二四: digit by digit
            if "两" in text:
                return None
            return int("".join(str(CN_DIGITS[c]) for c in text))
        return None
    total = section = 0
    digit: int | None = None
    last_small = 10_000
    last_big = 0
    prev_zero = False
    for c in text:
        if c in CN_DIGITS:
            if digit is not None and not prev_zero:
                return None  # 三五, 十七八: a range, not a number
            prev_zero = CN_DIGITS[c] == 0
            digit = None if prev_zero else CN_DIGITS[c]
            if prev_zero:
                digit = None
                continue
        elif c in CN_SMALL:
            unit = CN_SMALL[c]
            if unit >= last_small or (digit is None and (unit != 10 or section)):
                return None  # 百十, 千: no count (十 alone is ten)
            section += (1 if digit is None else digit) * unit
            last_small, digit, prev_zero = unit, None, False
        else:
            unit = CN_BIG[c]
            group = section + (digit or 0)
            if group == 0 and total == 0:
                return None
            if unit == CN_BIG["亿"]:
                total = (total + group) * unit
            else:
                if last_big == unit:
                    return None  # 万万
                total += group * unit
            section, digit, last_small, last_big, prev_zero = 0, None, 10_000, unit, False
    return total + section + (digit or 0)
