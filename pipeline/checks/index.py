"""The records' fact index: every value, unit, date, name and title a draft may state,
built once per records object and shared by the facts.* and coverage families.

Record ids in the index are the ones the drafter cites: activity ids (a01), `totals[0]`,
`basis[1]`, `problems[2]`, `plans[0]`, `period`, `date`, `author`, `county`, `campaign`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.model.records import Activity, Records
from pipeline.checks import numbers as nb
from pipeline.checks.canon import canonical, county_forms

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TAIL = re.compile(r"[\u4e00-\u9fff]{0,2}")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{1,40})[”\"」]")
ACTIVITY_UNITS = ("项", "场", "场次", "次", "个")  # 共开展活动16项: the count of activities


@dataclass
class Fact:
    """One recorded number: a figure, a total, a sum, the count of activities, or a number
    standing in a record's text (第三届, 23所)."""

    value: float | int  # base unit (万元 → 元)
    unit: str  # base unit
    rid: str
    kind: str  # figure | total | sum | count | text
    what: str = ""
    approx: bool = False
    ordinal: bool = False
    shown: str = ""  # as the record says it: 32个, 8.6万人次, 第五批
    members: tuple[str, ...] = ()  # a sum's activities
    lead: str = ""  # a text number's two preceding characters in the record (解决5条 → 解决)
    tail: str = ""  # and the one or two after it (68个嘎查村 → 嘎查)

    def says(self) -> str:
        """记录为… text: 参会单位32个 / 32人（…）."""
        return f"{self.what}{self.shown}" if self.what else self.shown


@dataclass
class ActivityInfo:
    act: Activity
    days: set  # every day the activity covers
    title_grams: dict  # bigram → weight
    names: set  # canonical unit/place/media names
    quoted: list  # event names in quotes in its title/note


@dataclass
class FactIndex:
    records: Records
    facts: list[Fact] = field(default_factory=list)
    by_unit: dict = field(default_factory=lambda: defaultdict(list))
    by_what: dict = field(default_factory=lambda: defaultdict(list))
    ordinals: list[Fact] = field(default_factory=list)
    of_rid: dict = field(default_factory=lambda: defaultdict(list))  # rid → positions in facts
    acts: dict = field(default_factory=dict)  # rid → ActivityInfo
    day_rids: dict = field(default_factory=lambda: defaultdict(set))  # date → rids (start/end)
    inside: dict = field(default_factory=lambda: defaultdict(set))  # date → rids (within range)
    fixed_days: dict = field(default_factory=dict)  # period start/end, issue date → rid
    text_days: dict = field(default_factory=dict)  # dates standing in record texts → rid
    months: set = field(default_factory=set)  # (year, month) the records cover
    names: dict = field(default_factory=lambda: defaultdict(set))  # canonical name → rids
    name_df: dict = field(default_factory=dict)  # canonical unit/place → activities naming it
    title_post: dict = field(default_factory=dict)  # bigram → [(title, its share of the title)]
    title_rids: dict = field(default_factory=dict)  # title → rids of the activities bearing it
    quoted_acts: list = field(default_factory=list)  # (quoted name, rid), names of 3+ chars
    raw_names: dict = field(default_factory=dict)  # canonical → one written form
    places: list = field(default_factory=list)  # (place text, rid)
    titles: dict = field(default_factory=dict)  # document/basis title → rid
    texts: list = field(default_factory=list)  # (record text, rid): titles, notes …
    quoted: dict = field(default_factory=dict)  # quoted event name → rid
    county_forms: tuple = ()
    level: str = "县"
    span_re: re.Pattern | None = None  # recorded texts that may appear verbatim
    name_pools: dict | None = None  # facts.entity's names to suggest, by kind; filled on first use
    memo: dict = field(default_factory=dict)  # lookups decided by a name alone, by table

    # ------------------------------------------------------------ lookups
    def unit_facts(self, unit: str) -> list[Fact]:
        return self.by_unit.get(nb.units().group.get(unit, unit), [])

    def facts_about(self, rids: set[str]) -> list[Fact]:
        """The facts of these records (a sum's when one of its members is among them), in
        the order of `facts`: what filtering every fact by its records gives, without
        reading the facts of other activities."""
        if len(rids) == 1:
            return [self.facts[i] for i in self.of_rid.get(next(iter(rids)), ())]
        at = sorted({i for r in rids for i in self.of_rid.get(r, ())})
        return [self.facts[i] for i in at]

    def text_facts_of_value(self, rids: set[str], value: int) -> list[Fact]:
        """The text numbers of these records equal to `value`, in the order of
        facts_about(rids): a note of thousands of numbers is indexed once, not read for
        each number of the draft."""
        key = ("text_by_value", frozenset(rids))
        table = self.memo.get(key)
        if table is None:
            table = defaultdict(list)
            for f in self.facts_about(rids):
                if f.kind == "text" and (isinstance(f.value, int) or float(f.value).is_integer()):
                    table[int(f.value)].append(f)
            self.memo[key] = table
        return table.get(value, [])

    def canonical(self, name: str) -> str:
        return canonical(name, self.county_forms, self.level)

    def known_name(self, name: str) -> set:
        return self.names.get(self.canonical(name), set())


# ---------------------------------------------------------------- names

def _split_list(text: str) -> list[str]:
    return [p for p in re.split(r"[、，,；;和及与]", text) if len(p) >= 2]


def grams(text: str) -> set[str]:
    chars = "".join(_CJK.findall(text))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


# ---------------------------------------------------------------- building

def _figure_facts(idx: FactIndex, figures, rid_of, kind: str) -> None:
    for i, f in enumerate(figures):
        value, unit = nb.base_unit(f.value, f.unit)
        shown = f"{nb.norm(f.value)}{'余' if f.approx else ''}{f.unit}"
        idx.facts.append(Fact(value, unit, rid_of(i), kind, f.what, f.approx, shown=shown))


def text_quantities(text: str) -> list[nb.Quantity]:
    """The quantities standing in a text, its dates masked, each with a unit (3大产业: the
    character after the number is kept as the unit, so 3大 is one)."""
    out = []
    for q in nb.quantities(_mask_dates(text)):
        if q.unknown_unit:
            q.unit = q.written_unit
        if q.unit:
            out.append(q)
    return out


def _text_facts(idx: FactIndex, text: str, rid: str, seen: set) -> None:
    """The text's numbers as facts; one that repeats a fact of the same record word for
    word is left out (every check takes the first fitting fact, so a long note saying
    12条 a thousand times weighs as one fact, not a thousand)."""
    for q in text_quantities(text):
        shown = text[q.start:q.end]
        lead = re.sub(r"(?:共|约|达|近|逾|超过|累计)+$", "", text[max(0, q.start - 6):q.start])
        lead = lead[-2:] if len(lead) >= 2 and _CJK.fullmatch(lead[-1]) and _CJK.fullmatch(lead[-2]) else ""
        tail = _TAIL.match(text, q.end).group()
        key = (rid, type(q.value), q.value, q.unit, q.mark == "more", q.ordinal, shown, lead, tail)
        if key in seen:
            continue
        seen.add(key)
        fact = Fact(q.value, q.unit, rid, "text", "", q.mark == "more", q.ordinal, shown=shown,
                    lead=lead, tail=tail)
        (idx.ordinals if q.ordinal else idx.facts).append(fact)


def _mask_dates(text: str) -> str:
    chars = list(text)  # one copy, however many dates a long note holds
    for m in list(nb.YEAR_RE.finditer(text)) + [d for d in nb.dates(text)]:
        s, e = (m.start(), m.end()) if hasattr(m, "group") else (m.start, m.end)
        chars[s:e] = nb.MASK * (e - s)
    return "".join(chars)


def _add_name(idx: FactIndex, name: str, rid: str) -> None:
    if not name or len(name) < 2:
        return
    key = idx.canonical(name)
    idx.names[key].add(rid)
    idx.raw_names.setdefault(key, name)


def _days(a: Activity) -> set[dt.date]:
    end = a.end_date or a.date
    n = (end - a.date).days
    return {a.date + dt.timedelta(days=i) for i in range(max(n, 0) + 1)}


def _span_days(d: nb.DateSpan, year: int) -> list[dt.date]:
    y1 = d.y1 or year
    first = nb.to_date(y1, d.m1, d.d1) if d.d1 else None
    last = nb.to_date(d.y2 or y1, d.m2 or d.m1, d.d2) if d.d2 else None
    return [x for x in (first, last) if x]


def _months(start: dt.date, end: dt.date) -> set[tuple[int, int]]:
    out, y, m = set(), start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def build(records: Records) -> FactIndex:
    idx = FactIndex(records=records)
    idx.county_forms, idx.level = county_forms(records.county)
    _index_figures(idx)
    _index_texts(idx)
    n = len(records.activities)
    idx.facts += [Fact(n, u, "activities", "count", shown=f"{n}{u}") for u in ACTIVITY_UNITS]
    for i, f in enumerate(idx.facts):
        idx.by_unit[nb.units().group.get(f.unit, f.unit)].append(f)
        for rid in dict.fromkeys(f.members or (f.rid,)):
            idx.of_rid[rid].append(i)
        if f.what:
            idx.by_what[f.what].append(f)
    _index_dates(idx)
    _index_names(idx)
    _index_activities(idx)
    _title_weights(idx)
    places = {p for p, _ in idx.places} | {a.place for a in records.activities if a.place}
    spans = sorted({t for t, _ in idx.texts if len(t) >= 6 and t not in places} | set(idx.quoted),
                   key=len, reverse=True)
    idx.span_re = re.compile("|".join(map(re.escape, spans))) if spans else None
    return idx


def _index_figures(idx: FactIndex) -> None:
    """Figures, totals, and the sum of a figure several activities record (观看群众 in each)."""
    records = idx.records
    acts = records.activities
    for a in acts:
        _figure_facts(idx, a.figures, lambda i, a=a: a.id, "figure")
    _figure_facts(idx, records.totals, lambda i: f"totals[{i}]", "total")
    groups: dict = defaultdict(list)
    for a in acts:
        for f in a.figures:
            value, unit = nb.base_unit(f.value, f.unit)
            groups[(f.what, unit)].append((value, f.approx, a.id, f.unit))
    for (what, unit), items in groups.items():
        if len(items) > 1:
            total = nb.norm(sum(v for v, *_ in items))
            idx.facts.append(Fact(total, unit, ",".join(i[2] for i in items), "sum", what,
                                  any(i[1] for i in items), shown=f"合计{total}{unit}",
                                  members=tuple(i[2] for i in items)))


def _index_texts(idx: FactIndex) -> None:
    """The records' texts (titles, notes, places, documents, basis, problems, plans) and
    the numbers and dates standing in them."""
    records = idx.records
    texts: list[tuple[str, str]] = []
    for a in records.activities:
        texts += [(t, a.id) for t in [a.title, a.note or "", a.place or ""] + a.documents if t]
    texts += [(b.title, f"basis[{i}]") for i, b in enumerate(records.basis)]
    texts += [(t, f"problems[{i}]") for i, t in enumerate(records.problems)]
    texts += [(t, f"plans[{i}]") for i, t in enumerate(records.plans)]
    idx.texts = texts
    seen: set = set()
    for text, rid in texts:
        _text_facts(idx, text, rid, seen)
        for d in nb.dates(text):
            for day in _span_days(d, records.year):
                idx.text_days.setdefault(day, rid)


def _index_dates(idx: FactIndex) -> None:
    records = idx.records
    for a in records.activities:
        idx.day_rids[a.date].add(a.id)
        if a.end_date:
            idx.day_rids[a.end_date].add(a.id)
        for d in _days(a):
            idx.inside[d].add(a.id)
        idx.months |= _months(a.date, a.end_date or a.date)
    if records.period:
        idx.fixed_days[records.period.start] = "period"
        idx.fixed_days.setdefault(records.period.end, "period")
        idx.months |= _months(records.period.start, records.period.end)
    if records.date:
        idx.fixed_days.setdefault(records.date, "date")
        idx.months.add((records.date.year, records.date.month))


def _index_names(idx: FactIndex) -> None:
    """Every name the records give (the county's forms, issuers, units, outlets, places,
    aliases), and the titles and quoted event names."""
    records = idx.records
    for form in idx.county_forms:
        _add_name(idx, form, "county")
    _add_name(idx, records.campaign, "campaign")
    if records.author:
        _add_name(idx, records.author, "author")
    for i, b in enumerate(records.basis):
        for part in _split_list(b.issuer):
            _add_name(idx, part, f"basis[{i}]")
        idx.titles[b.title] = f"basis[{i}]"
    for a in records.activities:
        for name in a.units + a.media:
            _add_name(idx, name, a.id)
        if a.place:
            for part in _split_list(a.place):
                _add_name(idx, part, a.id)
                idx.places.append((part, a.id))
        for d in a.documents:
            idx.titles.setdefault(d, a.id)
        for text in (a.title, a.note or ""):
            for m in _QUOTED.finditer(text):
                idx.quoted.setdefault(m.group(1), a.id)
    for key, others in records.aliases.items():  # aliases cite the records naming their key
        rids = idx.names.get(idx.canonical(key), set()) or {"aliases"}
        for name in [key] + list(others):
            for rid in rids:
                _add_name(idx, name, rid)


def _index_activities(idx: FactIndex) -> None:
    """Each activity's days and canonical names, and how many activities name each."""
    for a in idx.records.activities:
        idx.acts[a.id] = ActivityInfo(a, _days(a), {}, {idx.canonical(n) for n in a.units + a.media},
                                      [m.group(1) for m in _QUOTED.finditer(a.title + (a.note or ""))])
        if a.place:
            idx.acts[a.id].names |= {idx.canonical(p) for p in _split_list(a.place)}
    for info in idx.acts.values():
        for n in info.names:
            idx.name_df[n] = idx.name_df.get(n, 0) + 1


def _title_weights(idx: FactIndex) -> None:
    """Bigrams of each activity's title, weighted by rarity across titles: a sentence that
    carries most of an activity's rare bigrams is about that activity. Postings go by
    distinct title (many activities may share one) so scoring a sentence stays cheap."""
    per = {rid: grams(info.act.title) for rid, info in idx.acts.items()}
    df: dict[str, int] = defaultdict(int)
    for gs in per.values():
        for g in gs:
            df[g] += 1
    post: dict[str, list] = defaultdict(list)
    by_title: dict[str, list] = defaultdict(list)
    for rid, gs in per.items():
        weights = {g: 1.0 / df[g] for g in gs}
        idx.acts[rid].title_grams = weights
        title = idx.acts[rid].act.title
        by_title[title].append(rid)
        if len(by_title[title]) == 1:
            total = sum(weights.values()) or 1.0
            for g, w in weights.items():
                post[g].append((title, w / total))
    idx.title_post = dict(post)
    idx.title_rids = dict(by_title)
    idx.quoted_acts = [(q, rid) for rid, info in idx.acts.items() for q in info.quoted if len(q) >= 3]


_CACHE: dict[int, tuple[Records, FactIndex]] = {}


def index_for(records: Records) -> FactIndex:
    """The index of these records, built once (records are frozen)."""
    hit = _CACHE.get(id(records))
    if hit and hit[0] is records:
        return hit[1]
    idx = build(records)
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(records)] = (records, idx)
    return idx
