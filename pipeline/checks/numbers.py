"""Number and date spans in Chinese text: find them with regular expressions, then convert
only the spans (never a whole text: 统一, 一些, 第一书记, 一带一路 are words).

`quantities(text)` yields every quantity: the numeral (Arabic, Chinese or mixed: 36, 三十六,
两, 1.2万, 一万二千), its approximation marks (余/多/以上 → more, 近 → near, 约/左右 → about),
the measure word that follows (data: prompts/lexicon/measure_words.yaml), percentages
(85%, 百分之八十五) and ordinals (第三届). Values are normalised to the base unit
(1.2万人次 → 12000 人次, 46万元 → 460000 元). `dates(text)` yields dates, date ranges and
months. Positions are offsets into the text given, so callers can mask spans (titles,
quotes, formulations) by overwriting them with MASK before calling.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import cache

from pipeline.resources import load_yaml
from pipeline.text.numerals import CN_BIG, CN_NUMERAL_CHARS, CN_SMALL, cn_to_int

MASK = "\u25a1"  # □: fills masked spans so offsets stay put

_NUM_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[%s]+" % CN_NUMERAL_CHARS)


def norm(value: float) -> float | int:
    """12000.000000001 → 12000; 1.5 → 1.5 (values compare after this). An integer stays
    itself: beyond 2^53 a float would round 9007199254740993 to …992."""
    if isinstance(value, int):
        return value
    r = round(float(value), 6)
    return int(r) if r.is_integer() else r


def same(a: float | int, b: float | int) -> bool:
    """Equal values: integers exactly, others within float rounding."""
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b)


def parse_number(text: str) -> float | int | None:
    """Any numeral span: 36, 1.2万, 3千, 三十六, 两, 一万二千 → its value."""
    text = text.replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万亿]*)", text)
    if m:
        digits = m.group(1)
        # exact while a record can hold it (limits.FIGURE_MAX); beyond, a float is as good
        value = int(digits) if "." not in digits and len(digits) <= 19 else float(digits)
        for c in m.group(2):
            value *= (CN_SMALL | CN_BIG)[c]
        return norm(value)
    return cn_to_int(text)


# ---------------------------------------------------------------- measure words

@dataclass(frozen=True)
class Units:
    words: tuple[str, ...]  # longest first
    scaled: dict  # 万元 → (元, 10000)
    group: dict  # unit → synonym group key (人/名/位 count the same)
    ordinal: frozenset  # measure words that may follow 第N
    arabic_only: frozenset  # 分: a unit after 3, a word after 十 (十分重视)
    pattern: re.Pattern  # the words, longest first
    before: tuple  # (word, kind) approximation marks before a number: 近, 约, 超过 …
    after: tuple  # (word, kind) marks after the measure word: 左右, 以上 …
    one_words: frozenset  # 统一, 唯一: 一 after these is part of a word
    not_marks: tuple  # 村规民约, 附近: words ending in a mark character


@cache
def units() -> Units:
    data = load_yaml("lexicon/measure_words.yaml")
    words = {e["word"] for e in data["units"]}
    scaled = {}
    for e in data.get("scaled", []):
        scaled[e["word"]] = (e["base"], e["factor"])
        words.add(e["word"])
    group = {}
    for e in data.get("synonyms", []):
        for w in e["words"]:
            group[w] = e["words"][0]
    ordinal = frozenset(e["word"] for e in data["units"] if e.get("ordinal"))
    arabic = frozenset(e["word"] for e in data["units"] if e.get("arabic_only"))
    ordered = tuple(sorted(words, key=len, reverse=True))
    marks = sorted(data.get("approx_marks", []), key=lambda e: len(e["word"]), reverse=True)
    before = tuple((e["word"], e["kind"] or None) for e in marks if e["place"] == "before")
    after = tuple((e["word"], e["kind"] or None) for e in marks if e["place"] == "after")
    one = frozenset(e["word"] for e in data.get("one_words", []))
    not_marks = tuple(e["word"] for e in data.get("not_marks", []))
    return Units(ordered, scaled, group, ordinal, arabic, re.compile("|".join(map(re.escape, ordered))),
                 before, after, one, not_marks)


def base_unit(value: float, unit: str) -> tuple[float | int, str]:
    """(8.6, 万人次) → (86000, 人次); (46, 万元) → (460000, 元)."""
    u = units()
    if unit in u.scaled:
        base, factor = u.scaled[unit]
        return norm(value * factor), base
    if len(unit) > 1 and unit[0] in CN_BIG and unit[1:] in u.words:
        return norm(value * CN_BIG[unit[0]]), unit[1:]
    return norm(value), unit


def same_unit(a: str, b: str) -> bool:
    if a == b:
        return True
    g = units().group
    return a in g and g.get(a) == g.get(b)


def _unit_at(text: str, i: int) -> str:
    m = units().pattern.match(text, i)
    return m.group() if m else ""


# ---------------------------------------------------------------- quantities

@dataclass
class Quantity:
    start: int  # span incl. prefix marks and measure word
    end: int
    num_start: int
    num_text: str  # the numeral as written: 36, 三十六, 1.2万
    value: float | int  # in the base unit
    unit: str  # base unit; "%" for percentages; "" when none follows
    written_unit: str  # as written: 万人次, 人, 头 …
    mark: str | None  # "more" (余/多/逾/以上), "near" (近), "about" (约/左右) or None
    ordinal: bool = False
    chinese: bool = False
    unknown_unit: bool = False  # an Arabic number followed by a character not in the list
    weak: bool = False  # 一 + measure word: a count only where a figure's `what` precedes it


def _prefix_mark(text: str, start: int) -> tuple[int, str | None]:
    u = units()
    if text.endswith(u.not_marks, 0, start):
        return start, None  # 修订村规民约6个: 约 belongs to 民约
    for word, kind in u.before:
        if start >= len(word) and text.startswith(word, start - len(word)):
            return start - len(word), kind
    return start, None


def _arabic_end(text: str, s: int, e: int) -> int | None:
    """Where an Arabic number ends, with the 万/亿/千 after it (1.2万, 3千); None when it
    is part of a code or version (5G, v1.2, 3.1.2, 110kV)."""
    n = len(text)
    prev = text[s - 1] if s else ""
    if prev and (prev.isascii() and prev.isalnum() or prev in ".．"):
        return None
    while e < n and text[e] in "万亿千":
        e += 1
    if e < n and text[e].isascii() and text[e].isalpha():
        return None
    return e


def _more_after(text: str, i: int, value: float) -> tuple[str | None, int, float]:
    """余/多 between the number and a measure word (50余人, 十余万人, 3200余万元, 8.6万余人次):
    (mark, where the measure word starts, the value scaled by a 万/亿 after 余)."""
    if i + 1 < len(text) and text[i] in "余多":
        j = i + 1
        scale = 1
        if text[j] in "万亿":
            scale = CN_BIG[text[j]]
            j += 1
        if _unit_at(text, j):
            return "more", j, norm(value * scale)
    return None, i, value


def quantities(text: str) -> list[Quantity]:
    """Every quantity span in `text` (already masked). Chinese numerals count only when a
    measure word follows; a bare 一 (一次, 一批) and bare 百/千/万 (千家万户) are words."""
    out: list[Quantity] = []
    n = len(text)
    u = units()
    for m in _NUM_RE.finditer(text):
        s, e = m.span()
        raw = m.group()
        chinese = raw[0] in CN_NUMERAL_CHARS
        if not chinese:
            e = _arabic_end(text, s, e)
            if e is None:
                continue
        num_text = text[s:e]
        weak = False
        value = parse_number(num_text)
        if value is None:
            continue  # 二三十, 十七八: a range, not a number
        ordinal = s > 0 and text[s - 1] == "第"
        percent_cn = s >= 3 and text.startswith("百分之", s - 3)
        mark, i, value = _more_after(text, e, value)
        unit, unknown = "", False
        if i < n and text[i] in "%％":
            unit, i = "%", i + 1
        elif percent_cn:
            unit = "%"
        else:
            unit = _unit_at(text, i)
            i += len(unit)
        written = unit
        if ordinal:
            if unit not in u.ordinal:
                continue  # 第一书记, 第二中学, 第一时间: words
        elif chinese and unit != "%":
            if not unit or raw in ("百", "千", "万", "亿") or unit in u.arabic_only:
                continue  # 统一, 千家万户, 十分: words, not counts
            weak = raw == "一"  # 一次, 一批: an article, unless a figure's `what` precedes it
            if raw[0] == "一" and s > 0 and text[s - 1] in u.one_words:
                continue
        elif not unit and i < n and "\u4e00" <= text[i] <= "\u9fff":
            unknown, written, i = True, text[i], i + 1
        start = s - 1 if ordinal else (s - 3 if percent_cn else s)
        start, pre = _prefix_mark(text, start)
        mark = mark or pre
        for word, kind in u.after:
            if text.startswith(word, i):
                mark, i = mark or kind, i + len(word)
                break
        if unit and unit != "%":
            value, unit = base_unit(value, unit)
        out.append(Quantity(start=start, end=i, num_start=s, num_text=num_text, value=norm(value),
                            unit=unit, written_unit=written, mark=mark, ordinal=ordinal,
                            chinese=chinese, unknown_unit=unknown, weak=weak))
    return out


# ---------------------------------------------------------------- dates

_CN_SMALLNUM = "一二三四五六七八九十"
_Y = r"(?:(\d{4}|[〇零一二三四五六七八九]{4})年)"
_M = r"(\d{1,2}|[%s]{1,2})月" % _CN_SMALLNUM
_D = r"(\d{1,2}|[%s]{1,3})[日号]" % _CN_SMALLNUM
_SEP = r"\s*(?:至|到|—{1,2}|–|－|-|~|～)\s*"
DATE_RE = re.compile(rf"{_Y}?{_M}(?:{_D})?(?:{_SEP}(?:{_Y}?{_M}(?:{_D})?|{_D}))?")
YEAR_RE = re.compile(r"(?<!\d)(\d{4}|[〇零一二三四五六七八九]{4})年")
# 9月4日、19日、25日 / 9月4日和19日至20日: further days of the month just named
_MORE_DAYS = re.compile(rf"(?:、|和|及){_D}(?:{_SEP}{_D})?")


@dataclass
class DateSpan:
    start: int
    end: int
    y1: int | None
    m1: int
    d1: int | None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None

    @property
    def is_range(self) -> bool:
        return self.d2 is not None or self.m2 is not None


def _small(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


def dates(text: str) -> list[DateSpan]:
    """9月1日, 2024年9月1日至30日, 9月28日至10月3日, 9月15日—18日, 9月, 2024年9月, 九月一日.
    Chinese months count only with a day (三月三 is a festival)."""
    out: list[DateSpan] = []
    for m in DATE_RE.finditer(text):
        if m.start() and (text[m.start() - 1].isdigit() or text[m.start() - 1] in CN_NUMERAL_CHARS):
            continue
        y1, mo1, d1, y2, mo2, d2a, d2b = m.groups()
        if not mo1.isdigit() and not d1:
            continue
        span = DateSpan(m.start(), m.end(), _small(y1), _small(mo1), _small(d1),
                        _small(y2), _small(mo2), _small(d2a or d2b))
        if not span.m1 or not 1 <= span.m1 <= 12:
            continue
        out.append(span)
        if span.d1 is not None:
            out += _more_days(text, m.end(), span)
    return out


def _more_days(text: str, at: int, span: DateSpan) -> list[DateSpan]:
    """The days a list goes on with after a full date, each in the month (and year) the
    date before it ends in: 9月28日至10月3日、5日 → 10月5日."""
    out: list[DateSpan] = []
    year, month = span.y2 or span.y1, span.m2 or span.m1
    while (m := _MORE_DAYS.match(text, at)) is not None:
        d1, d2 = _small(m.group(1)), _small(m.group(2))
        if d1 is None:
            break
        # the span starts at the day, after the 、, so a finding points at "19日"
        out.append(DateSpan(m.start(1), m.end(), year, month, d1, None if d2 is None else year,
                            None, d2))
        at = m.end()
    return out


def to_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
