"""The consistency families: consistency.year and consistency.place.

A summary copied from last year's 范文 keeps the old year, the old notice and the old
place: a 2024 title over 2022 content, 《关于开展2021年…活动的通知》 cited for the 2022
campaign, 区教体局 in a 县 text, another city's slogan. With records the year and the place
are the records'; without records they are read from the title, the body and the issue date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.checks.model import Context
from pipeline.checks.structure import (
    PLANS_HEADING,
    Covered,
    content_span,
    finding,
    headings,
    in_recorded,
    recorded_strings,
    title_index,
)
from pipeline.checks.year_line import Line, comparison, judge
from pipeline.model.report import Finding
from pipeline.resources import load_yaml
from pipeline.text import places
from pipeline.text.numerals import cn_to_int

_YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20\d)\d)\s*(?=年)")
_YEAR_BARE = re.compile(r"(?<![\d.])((?:19[5-9]|20\d)\d)(?![\d.])")
_NUM = r"[\d〇○零一二三四五六七八九十]{1,3}"
_ISSUE_DATE = re.compile(rf"^\s*(?:(\d{{4}})|([〇○零一二三四五六七八九]{{4}}))\s*年\s*{_NUM}\s*月\s*{_NUM}\s*日\s*$")
_RANGE_AFTER = re.compile(r"\s*年?度?\s*[-—–~～至到]\s*(?:19|20)?\d\d")
_RANGE_BEFORE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-—–~～至到]\s*$")
_DOC_TYPES = re.compile(r"(?:活动)?(?:工作总结|总结|工作报告|情况报告|情况汇报|情况)$")


# ---------------------------------------------------------------- the document's year

@dataclass
class YearInfo:
    year: int | None  # the year the document is about
    title_index: int | None
    title_year: int | None
    title_col: int  # 1-based column of the title's year
    body: Counter  # year → mentions outside the title
    date_index: int | None
    date_year: int | None
    contradicted: bool  # the title's year is not the body's (no records)


def _issue_date(lines: list[str]) -> tuple[int | None, int | None]:
    """The issue date (成文日期) among the last three non-empty lines."""
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        m = _ISSUE_DATE.match(lines[i])
        if m:
            # ○ (a white circle) is typed for 〇 in many issue dates
            return i, int(m.group(1)) if m.group(1) else cn_to_int(m.group(2).replace("○", "〇"))
        seen += 1
        if seen >= 3:
            break
    return None, None


def _is_range(line: str, start: int, end: int) -> bool:
    return bool(_RANGE_AFTER.match(line, end) or _RANGE_BEFORE.search(line[max(0, start - 8):start]))


def year_info(ctx: Context) -> YearInfo:
    lines = ctx.lines
    t = title_index(lines)
    title_year, title_col = None, 1
    if t is not None:
        m = _YEAR_BARE.search(lines[t])
        if m:
            title_year, title_col = int(m.group(1)), m.start() + 1
    date_index, date_year = _issue_date(lines)
    body: Counter = Counter()
    for i, line in enumerate(lines):
        if i in (t, date_index) or "年" not in line:
            continue
        for m in _YEAR.finditer(line):
            if not _is_range(line, m.start(), m.end()) and not comparison(line, m.start(), m.end()):
                body[int(m.group(1))] += 1
    contradicted = False
    if ctx.records is not None:
        year = ctx.records.year
    elif title_year is not None:
        year = title_year
        top, count = body.most_common(1)[0] if body else (None, 0)
        if (top is not None and top != title_year and count >= 2 and body[title_year] == 0
                and (date_year is None or date_year in (top, top + 1))):
            year, contradicted = top, True
    elif body:
        year = body.most_common(1)[0][0]
    else:
        year = date_year
    return YearInfo(year, t, title_year, title_col, body, date_index, date_year, contradicted)


def document_year(ctx: Context) -> int | None:
    """The year a stale formulation is judged against (records.year, else inferred)."""
    return year_info(ctx).year


def _campaign(ctx: Context, info: YearInfo) -> str | None:
    if ctx.records is not None:
        return ctx.records.campaign.removesuffix("活动")
    if info.title_index is None or info.title_year is None:
        return None
    line = ctx.lines[info.title_index]
    m = re.search(r"(?:19|20)\d\d\s*年?度?(.+)$", line[slice(*content_span(line))])
    name = _DOC_TYPES.sub("", m.group(1)).strip() if m else ""
    return name if len(name) >= 4 else None


def check_year(ctx: Context) -> list[Finding]:
    info = year_info(ctx)
    D = info.year
    if D is None:
        return []
    lines = ctx.lines
    out: list[Finding] = []
    strings = recorded_strings(ctx.records)
    t = info.title_index
    if info.title_year is not None and info.title_year != D:
        if ctx.records is not None:
            msg = f"标题年份“{info.title_year}年”与记录年份（{D}年）不符"
        else:
            msg = (f"标题年份为{info.title_year}年，正文所述却是{D}年（{info.body[D]}处），"
                   f"正文未出现{info.title_year}年：疑为套用往年材料")
        out.append(finding("consistency.year", "error", t, info.title_col, f"{info.title_year}", msg))
    if info.date_year is not None and info.date_year not in (D, D + 1):
        i = info.date_index
        out.append(finding("consistency.year", "error", i, content_span(lines[i])[0] + 1, lines[i].strip(),
                           f"成文日期在{info.date_year}年，与总结年份（{D}年）不符"))
    campaign = _campaign(ctx, info)
    plans_from = next((h.index for h in headings(lines, t) if PLANS_HEADING.search(h.text)), len(lines))
    for i, line in enumerate(lines):
        if i in (t, info.date_index) or "年" not in line:
            continue
        view = Line(line)
        for m in _YEAR.finditer(line):
            Y = int(m.group(1))
            s, e = m.start(), m.end()
            if Y == D or _is_range(line, s, e) or (strings and in_recorded(line, s, e + 1, strings)):
                continue
            f = judge(view, i, s, e, Y, D, campaign, i >= plans_from)
            if f:
                out.append(f)
    return out


# ---------------------------------------------------------------- the document's place

def _levels() -> dict:
    return load_yaml("lexicon/levels.yaml")


@dataclass
class PlaceInfo:
    name: str  # 云岭县; “县” when the title has only the level word; "" unknown
    level: str | None
    stems: tuple[str, ...]  # 云岭 (峨溪彝族, 峨溪)
    title_name: str | None  # the place the title names, as written
    title_col: int


_TITLE_PLACE = re.compile(
    rf"^(?:中共|关于)?(?P<name>[\u4e00-\u9fff]{{0,12}}?(?:{'|'.join(places.LEVELS)}))"
    r"(?:委[\u4e00-\u9fff]{0,12}?)?(?:关于)?(?=\s*(?:19|20)\d\d|[〇○零一二]{4}年)")
_WHOLE = re.compile(rf"(?:全|我|本)({'|'.join(places.COUNTY_RANK)})(?!域|内|外|间|级|城)")


def _stems(name: str) -> tuple[str, ...]:
    stem = places.stem_of(name)
    if len(stem) < 2:
        return ()
    return tuple(dict.fromkeys([stem, stem[:2]]))


def place_info(ctx: Context) -> PlaceInfo:
    lines = ctx.lines
    t = title_index(lines)
    title_name, title_col = None, 1
    if t is not None:
        s, e = content_span(lines[t])
        m = _TITLE_PLACE.match(lines[t][s:e])
        if m:
            title_name, title_col = m.group("name"), s + 1
    if ctx.records is not None:
        name = ctx.records.county
    elif title_name:  # may be the level word alone (县2024年…): a level without stems
        name = title_name
    else:
        counts = Counter(m.group(1) for m in _WHOLE.finditer(ctx.text))
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 3 * ranked[1][1]):
            name = ranked[0][0]
        else:
            name = ""
    return PlaceInfo(name, places.level_of(name) if name else None, _stems(name), title_name, title_col)


def _compile_place_patterns():
    lv = _levels()
    b = lv["boundary_chars"]
    start = rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[{b}]))"
    not_after = lv["not_after"]
    whole = lv["whole_prefixes"]
    county = lv["organs"]["county"]
    rank = lv["organs"]["county_rank"]
    town = lv["organs"]["town"]
    bare = {}
    for L in places.COUNTY_RANK:
        organs = county if L == "县" else f"{county}|{rank}"
        bare[L] = re.compile(rf"{start}{L}(?!{not_after})(?=(?:{organs}))|(?<=[{whole}]){L}(?!{not_after})")
    for L in places.TOWN_RANK:
        bare[L] = re.compile(rf"{start}{L}(?=(?:{town}))|(?<=[{whole}]){L}(?!{not_after})")
    organ = {L: re.compile(rf"(?:{county if L == '县' else county + '|' + rank})") for L in places.COUNTY_RANK}
    organ |= {L: re.compile(rf"(?:{town})") for L in places.TOWN_RANK}
    # 联合旗 is left to 旗: in “统战部联合旗民委” it is 联合 + 旗
    named = re.compile(rf"(?:{'|'.join(places.AUTONOMOUS + places.COUNTY_RANK)})(?=(?:{lv['named_organs']}))")
    prefixes = sorted(set(lv["name_prefixes"]) | {"开展", "举办", "推进"}, key=len, reverse=True)
    cut = re.compile("|".join(map(re.escape, prefixes)))
    return bare, organ, named, cut, set(lv["compound_tails"]), set(lv["district_only_tails"])


_BARE, _ORGAN, _NAMED, _CUT, _COMPOUND_TAILS, _DISTRICT_TAILS = _compile_place_patterns()
_MAX_STEM = dict.fromkeys(places.AUTONOMOUS, 12)  # 峨溪彝族自治县: the nationality names lengthen the stem


def _slogans():
    entries = load_yaml("lexicon/slogans.yaml")
    entries = sorted(entries, key=lambda e: len(e["text"]), reverse=True)
    return re.compile("|".join(re.escape(e["text"]) for e in entries)), {e["text"]: e for e in entries}


_SLOGAN_RE, _SLOGANS = _slogans()


def _stem_before(line: str, lvl_start: int, lvl: str) -> tuple[int, str]:
    """The place name's stem before a level word: (start offset, stem)."""
    limit = _MAX_STEM.get(lvl, 4)
    j = lvl_start
    while j > 0 and lvl_start - j < limit and "\u4e00" <= line[j - 1] <= "\u9fff":
        j -= 1
    raw = line[j:lvl_start]
    last = None
    for m in _CUT.finditer(raw):
        last = m
    if last:
        return j + last.end(), raw[last.end():]
    return j, raw


def check_place(ctx: Context) -> list[Finding]:
    place = place_info(ctx)
    lines = ctx.lines
    out: list[Finding] = []
    strings = recorded_strings(ctx.records)
    t = title_index(lines)
    own = place.name
    out += _title_place(ctx, place, t)
    foreign = _levels()["foreign"].get(place.level or "", [])
    region = "自治区" in ctx.text
    for i, line in enumerate(lines):
        if i == t:
            continue
        taken: list[tuple[int, int]] = []
        if place.stems:
            out += _other_names(line, i, place, strings, taken)
        # a unit of another level: 区教体局、区妇联、全区 in a 县 text
        named = Covered(taken)
        for L in foreign:
            if L not in line:
                continue
            for m in _BARE[L].finditer(line):
                s = m.start()
                if named(s, s + 1):  # a < s + 1 <= b is a <= s < b
                    continue
                excerpt = _unit_excerpt(line, s, L)
                if strings and in_recorded(line, s, s + len(excerpt), strings):
                    continue
                soft = L == "区" and (region or place.level == "旗")
                out.append(finding(
                    "consistency.place", "warning" if soft else "error", i, s + 1, excerpt,
                    f"“{excerpt}”是{L}级的称谓，本文是{own or place.level}的材料（{place.level}级）"
                    + ("：如指自治区，请写全称" if soft else "：疑为照抄其他地方的范文")))
        # another place's slogan
        if any(e["text"][:2] in line for e in _SLOGANS.values()):
            for m in _SLOGAN_RE.finditer(line):
                entry = _SLOGANS[m.group(0)]
                here = own + (place.title_name or "")
                if any(p in here for p in entry.get("places", [])):
                    continue
                if strings and in_recorded(line, m.start(), m.end(), strings):
                    continue
                out.append(finding("consistency.place", "error", i, m.start() + 1, m.group(0),
                                   f"“{m.group(0)}”是其他地方的提法：{entry['reason']}，不适用于{own or '本地'}"))
    return out


def _title_place(ctx: Context, place: PlaceInfo, t: int | None) -> list[Finding]:
    """The title's place: a level word with no name before it, or not the records' place."""
    if t is None or not place.title_name:
        return []
    tn, own = place.title_name, place.name
    stems = _stems(tn)
    if not stems:  # only the level word: 县2024年…
        should = f"，应为“{own}”" if ctx.records is not None else ""
        return [finding("consistency.place", "warning", t, place.title_col, tn,
                        f"标题中的地名不完整：“{tn}”前缺少名称{should}")]
    if ctx.records is not None and not _is_own(stems[0], place):
        return [finding("consistency.place", "error", t, place.title_col, tn,
                        f"标题中的地名“{tn}”与记录（{own}）不符")]
    return []


def _other_names(line: str, i: int, place: PlaceInfo, strings: list[str],
                 taken: list[tuple[int, int]]) -> list[Finding]:
    """Another place's name before an organ: 石门区委、石门区实验小学. Their spans go to
    `taken`, so the level word in them is not reported again as a bare unit."""
    out: list[Finding] = []
    for m in _NAMED.finditer(line):
        lvl = m.group(0)
        s, stem = _stem_before(line, m.start(), lvl)
        compound = stem[-1:] in _COMPOUND_TAILS and (lvl == "区" or stem[-1] not in _DISTRICT_TAILS)
        if len(stem) < 2 or compound or _is_own(stem, place):
            continue
        name = stem + lvl
        if strings and in_recorded(line, s, m.end(), strings):
            continue
        taken.append((s, m.end()))
        out.append(finding("consistency.place", "error", i, s + 1, name,
                           f"出现其他地方的名称“{name}”，本文是{place.name}的材料：疑为照抄范文"))
    return out


def _is_own(stem: str, place: PlaceInfo) -> bool:
    return any(stem.endswith(s) or s.endswith(stem) for s in place.stems) if place.stems else False


def _unit_excerpt(line: str, start: int, level: str) -> str:
    """The unit's short name for the message: 区教体局, 区妇联, 区委, 全区."""
    if start > 0 and line[start - 1] in "全我本":
        return line[start - 1:start + len(level)]
    m = _ORGAN[level].match(line, start + len(level))
    return line[start:m.end()] if m else level
