"""facts.entity and facts.document: names and titles in the draft against the records.

- 《titles》 must equal a recorded document or basis title (or a standard law from
  prompts/lexicon/formulations.yaml, or a recorded outlet such as 《四川日报》).
- Quoted “names” that name an event (an event word inside or right after the quote) must
  stand in the records; formulations and slogans in quotes are no claims.
- Units: an administrative prefix (县/区/市/州/旗, 中共, 共青团, the county's name) followed
  by a known organisation word (统战部, 民宗局 … prompts/lexicon/abbreviations.yaml) is a
  unit claim, compared after normalising abbreviations and prefixes (中共云岭县委统战部 =
  县委统战部, 县民族宗教事务局 = 县民宗局).
- Places after 在/到/赴/走进 (…镇/乡/村/社区/广场 …) and outlets named before 报道 must be
  recorded places, units or outlets, or parts of them (文化广场 within 城关镇文化广场).
Conservative by design: a phrase not shaped like a name is not read as one.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from pipeline.resources import load_yaml
from pipeline.checks.facts_slots import lead_names, org_shaped, place_list_names, slot_names
from pipeline.checks.facts_text import Claim, Line, formulations
from pipeline.checks.facts_village import village_names
from pipeline.checks.outlets import outlet_shaped
from pipeline.checks.index import FactIndex



@cache
def _words(section: str) -> tuple[str, ...]:
    """A word list of prompts/lexicon/abbreviations.yaml, longest first."""
    data = load_yaml("lexicon/abbreviations.yaml")
    return tuple(sorted((e["word"] for e in data[section]), key=len, reverse=True))


@cache
def _place_re() -> tuple[re.Pattern, re.Pattern]:
    suffixes = "|".join(map(re.escape, _words("place_suffixes")))
    place = re.compile(
        rf"(?:在|到|赴|走进|深入|前往|来到)([\u4e00-\u9fff]{{1,12}}?(?:{suffixes}))"
        r"(?=[，、。；,;：\u25a1]|开展|举办|召开|组织|进行|举行|集中|为|向|对|等|和|与|及|设立|建成|建立"
        r"|开设|启动|宣讲|慰问|走访|义诊|$)")
    stop = re.compile("|".join(map(re.escape, _words("place_stopwords"))))
    return place, stop


@cache
def _media_re() -> re.Pattern:
    return re.compile(rf"(?:{'|'.join(map(re.escape, _words('media_suffixes')))})$")


_COUNTED = re.compile(r"[\d一二两三四五六七八九十百]+(?:余|多)?(?:所|个|座|家|处|名|支|批|类)")
_MEDIA_CLAUSE = re.compile(r"报道|刊发|播发|转载|推送|播出|刊登")
_LEAD = re.compile(r"^(?:在|通过|经|由|于|借助|依托|利用|被|获|得到|并)+")
_MEDIA_END = re.compile(r"等(?:媒体|主流媒体|平台)?|进行|予以|对|先后|相继|均|纷纷|分别|刊发|播发|报道"
                        r"|同步|推送|转载|刊登|播出")


@cache
def _org_words() -> tuple[str, ...]:
    data = load_yaml("lexicon/abbreviations.yaml")
    words = {e["word"] for e in data["org_words"]}
    for p in data["pairs"]:
        if any(p["short"].endswith(w) or p["short"] == w for w in words):
            words.add(p["full"])
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _not_entities() -> frozenset:
    return frozenset(e["text"] for e in load_yaml("lexicon/abbreviations.yaml")["not_entities"])


_OWN_NAME = "\ue000"  # a private-use character standing for a letter of the county's name


@cache
def _org_re() -> re.Pattern:
    levels = "县|区|旗|市|州|省"
    words = "|".join(map(re.escape, _org_words()))
    return re.compile(rf"(?:中共|共青团)?(?:{_OWN_NAME}+委?|(?:{levels})委?)(?:{words})")


def org_spans(idx: FactIndex, text: str) -> list[tuple[int, int]]:
    """Where unit names stand in text: 中共云岭县委宣传部, 云岭县民宗局, 县妇联. The county's
    own names are masked letter for letter (the spans stay right), so one pattern serves
    every place: compiling one per place cost 2 ms, a tenth of a whole check."""
    for form in idx.county_forms:
        text = text.replace(form, _OWN_NAME * len(form))
    return [m.span() for m in _org_re().finditer(text)]


def _closest_name(idx: FactIndex, name: str, pool: list[tuple[str, str]]) -> str:
    names = [n for n, _ in pool]
    best = difflib.get_close_matches(name, names, n=1, cutoff=0.0)
    if not best:
        return ""
    rid = next(r for n, r in pool if n == best[0])
    return f"，最接近的是 {rid} 的“{best[0]}”"


def _in_texts(idx: FactIndex, name: str) -> str | None:
    """The first record whose text holds name; looked up once per name (a long draft
    names the same few things many times, and the records' texts may be long)."""
    memo = idx.memo.setdefault("in_texts", {})
    if name not in memo:
        memo[name] = next((rid for text, rid in [*idx.texts, *idx.places] if name in text), None)
    return memo[name]


def _name_pool(idx: FactIndex, kind: str) -> list[tuple[str, str]]:
    """Recorded names to suggest from: units, places or outlets (any, when none of the kind)."""
    pools = idx.name_pools
    if pools is None:
        r = idx.records
        pools = {"unit": [(n, a.id) for a in r.activities for n in a.units] + [(k, "aliases") for k in r.aliases],
                 "place": [(p, rid) for p, rid in idx.places],
                 "media": [(n, a.id) for a in r.activities for n in a.media]}
        idx.name_pools = pools
    return pools.get(kind) or pools["unit"]


# ---------------------------------------------------------------- titles

def check_title(idx: FactIndex, line: Line, start: int, end: int, inner: str) -> Claim:
    claim = Claim("facts.document", line.no, start, end, True)
    title = re.sub(r"\s+", "", inner)
    if title in idx.titles:
        rid = idx.titles[title]
        issued = re.search(r"(?:印发|出台|制定|下发)[□\s]*$", line.raw[max(0, start - 6):start])
        topic = line.topic[line.sentence_of(start)]
        docs = {d: r for r in topic for d in idx.acts[r].act.documents}
        if issued and docs and title not in docs:  # 印发《…》 in a sentence about a01
            best = difflib.get_close_matches(title, list(docs), n=1, cutoff=0.0)[0]
            claim.ok, claim.records = False, [docs[best]]
            claim.message = f"《{title}》与记录不符：{docs[best]} 记录印发的是《{best}》"
            return claim
        claim.records = [rid]
        claim.rids = {rid} if rid in idx.acts else set()
        return claim
    memo = idx.memo.setdefault("title", {})  # the rest depends on the title alone
    if title not in memo:
        c = _other_title(idx, title)
        memo[title] = (c.ok, c.message, c.records)
    claim.ok, claim.message, records = memo[title]
    claim.records = list(records)
    return claim


def _other_title(idx: FactIndex, title: str) -> Claim:
    """A title that is no recorded document: a standard law, a name, a record's words, or
    a mismatch with the closest recorded title."""
    claim = Claim("facts.document", 0, 0, 0, True)
    if title in formulations()[2] or idx.known_name(title) - {"county", "campaign"}:
        return claim
    rid = _in_texts(idx, title) if len(title) >= 4 else None
    if rid:  # 系统学习宗教事务条例、宗教活动场所管理办法: a title named in a record's text
        claim.records = [rid]
        return claim
    claim.ok = False
    if not idx.titles:
        claim.message = f"《{title}》在记录中找不到依据：记录中没有任何文件名"
        return claim
    best = difflib.get_close_matches(title, list(idx.titles), n=1, cutoff=0.0)[0]
    rid = idx.titles[best]
    years = re.findall(r"\d{4}", title)
    want = re.findall(r"\d{4}", best)
    extra = ""
    if years != want and re.sub(r"\d{4}", "", title) == re.sub(r"\d{4}", "", best):
        extra = f"（年份应为{'、'.join(want) or '无'}）"
    claim.message = f"《{title}》与记录不符：{rid} 记录为《{best}》{extra}"
    claim.records = [rid]
    return claim


# ---------------------------------------------------------------- quotes

def check_quote(idx: FactIndex, line: Line, start: int, end: int, inner: str) -> Claim | None:
    name = inner.strip()
    pattern = formulations()[0]
    if pattern.fullmatch(name):
        return None
    claim = Claim("facts.entity", line.no, start, end, True)
    if name in idx.quoted:
        rid = idx.quoted[name]
        claim.records, claim.rids = [rid], {rid}
        return claim
    rid = _in_texts(idx, name) or (next(iter(idx.known_name(name)), None))
    if rid:
        claim.records = [rid]
        return claim
    after = line.raw[end:end + 6]
    events = _words("event_words")
    eventish = name.endswith(events) or after.startswith(events) or any(
        after[1:].startswith(w) for w in events if len(w) >= 2)
    if not eventish or len(name) > 30 or "，" in name or "。" in name:
        return None  # a slogan or a quoted phrase, not an event name
    claim.ok = False
    memo = idx.memo.setdefault("quote", {})
    if name not in memo:
        memo[name] = difflib.get_close_matches(name, list(idx.quoted), n=1, cutoff=0.0)
    best = memo[name]
    if best:
        rid = idx.quoted[best[0]]
        claim.message = f"“{name}”在记录中找不到依据：最接近的是 {rid} 的“{best[0]}”"
        claim.records = [rid]
    else:
        claim.message = f"“{name}”在记录中找不到依据：记录中没有这个活动名称"
    return claim


# ---------------------------------------------------------------- units, places, media

def _unit_claim(idx: FactIndex, line: Line, s: int, e: int, name: str, kind: str) -> Claim | None:
    """The claim a unit, place or outlet name makes. Its outcome depends on the name and
    kind alone, so it is decided once per name (and difflib runs once per unknown name)."""
    if name in _not_entities():
        return None
    memo = idx.memo.setdefault("unit_claim", {})
    if (name, kind) not in memo:
        c = _decide_unit(idx, name, kind)
        memo[name, kind] = (c.ok, c.message, c.records)
    ok, message, records = memo[name, kind]
    return Claim("facts.entity", line.no, s, e, ok, message, list(records))


def _decide_unit(idx: FactIndex, name: str, kind: str) -> Claim:
    claim = Claim("facts.entity", 0, 0, 0, True)
    rids = idx.known_name(name)
    if not rids:
        key = idx.canonical(name)
        for known, krids in idx.names.items():
            if len(key) >= 3 and (key in known or (kind == "place" and known in key and len(known) >= 3)):
                rids = krids
                break
    if not rids and _in_texts(idx, name):
        rids = {_in_texts(idx, name)}
    if rids:
        claim.records = sorted(rids)
        return claim
    claim.ok = False
    what = {"unit": "单位", "place": "地点", "media": "媒体"}[kind]
    claim.message = f"{what}“{name}”在记录中找不到依据{_closest_name(idx, name, _name_pool(idx, kind))}"
    return claim


class _Taken:
    """Spans of the line already read as names, marked character by character so asking
    whether a candidate meets one costs its own length, not the number of names before."""

    def __init__(self, n: int) -> None:
        self.covered = bytearray(n + 1)
        self.starts = bytearray(n + 1)

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.starts[a] = 1
        self.covered[a:b] = b"\x01" * (b - a)

    def holds(self, s: int) -> bool:
        """Some span has a <= s < b."""
        return bool(self.covered[s])

    def overlaps(self, s: int, e: int) -> bool:
        """Some span has a <= s < b or s <= a < e."""
        return bool(self.covered[s]) or any(self.starts[s:e])


def scan_entities(idx: FactIndex, line: Line) -> list[Claim]:
    work = line.text()
    if idx.span_re is not None:  # recorded texts quoted verbatim hold no new names
        chars = list(work)
        for m in idx.span_re.finditer(line.raw):
            for i in range(m.start(), m.end()):
                chars[i] = "□"
        work = "".join(chars)
    claims: list[Claim] = []
    taken = _Taken(len(work))
    for s, e in org_spans(idx, work):
        taken.append((s, e))
        if s and work[s - 1] in "各全市县区旗州省":
            continue  # 各县区民宗局, 市县两级: generic, not one unit
        c = _unit_claim(idx, line, s, e, work[s:e], "unit")
        if c:
            claims.append(c)
    place_re, stop_re = _place_re()
    for m in place_re.finditer(work):
        name = m.group(1)
        s, e = m.span(1)
        suffix = next(x for x in _words("place_suffixes") if name.endswith(x))
        if len(name) - len(suffix) < 2 or stop_re.search(name) or _COUNTED.match(name) or taken.overlaps(s, e):
            continue  # 乡村, 各社区, 少数民族聚居村: no names; 三所中学: a quantity, facts.number's
        c = _unit_claim(idx, line, s, e, name, "place")
        if c:
            claims.append(c)
    for sm in re.finditer(r"[^，。；]+", work):
        clause = sm.group()
        if not _MEDIA_CLAUSE.search(clause):
            continue
        cut = _MEDIA_END.search(clause)
        head = clause[:cut.start()] if cut else clause
        pos = sm.start()
        for item in re.finditer(r"[^、]+", head):
            name = _LEAD.sub("", item.group().strip("□ "))
            if (not (_media_re().search(name) or org_shaped(name) or outlet_shaped(name)) or len(name) < 2 or len(name) > 16
                    or re.search(r"(?:通|简|快|周|情|汇|上|海|画|板|黑|墙)报$", name)):
                continue  # 工作简报, 宣传海报: no outlets
            s = pos + item.start() + item.group().find(name)
            if taken.holds(s):
                continue
            c = _unit_claim(idx, line, s, s + len(name), name, "media")
            if c:
                claims.append(c)
                taken.append((s, s + len(name)))
    # Slot names are read from raw (the masked copy has lost its dates); village names
    # (沙坝村, 金桥社区) wherever they stand, after the slots so a slot keeps its span.
    slots = [(*n, "unit") for n in (*slot_names(line.raw, idx.level), *place_list_names(line.raw),
                                    *lead_names(line.raw))]
    for s, e, name, kind in [*slots, *((*n, "place") for n in village_names(work))]:
        if taken.overlaps(s, e):
            continue
        c = _unit_claim(idx, line, s, e, name, kind)
        if c:
            claims.append(c)
            taken.append((s, e))
    for c in claims:
        line.mask(c.start, c.end)
    return claims
