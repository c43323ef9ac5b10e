"""Small pieces of official register shared by the drafting backends."""

from __future__ import annotations

import hashlib

from pipeline.model.records import Figure, Records
from pipeline.resources import load_yaml
from pipeline.text import kinds as kind
from pipeline.text import stock
from pipeline.text.places import level_of


def level(county: str) -> str:
    """The level word the draft uses for the place (全县, 县委): 县, 区, 旗, 市, 镇, 乡 or
    街道; a name without a level suffix is written as a 县."""
    return level_of(county) or "县"


def pick(options: list[str], county: str, slot: str) -> str:
    """The same county always gets the same phrasing; different counties get different ones.
    sha256, not hash(): Python salts str hashes per process."""
    digest = hashlib.sha256(f"{county}\x00{slot}".encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def kinds(records: Records) -> kind.Kinds:
    """The place kind (学校, 部门, 县 …) and campaign kind (创建, 教育月 …) of the records."""
    return kind.kinds_of(records.county, records.campaign, records.author,
                         [a.units[0] for a in records.activities])


def _fits(text: str, records: Records, kinds_: kind.Kinds) -> bool:
    return (stock.fits(text, records.campaign, level_of(records.county)) and _theme_fits(text, records.campaign)
            and kind.fits(kind.rewrite(text, kinds_), kinds_))


def fitting(options: list[str], records: Records, kinds_: kind.Kinds | None = None) -> list[str]:
    """The options that suit this campaign and place (pipeline.text.stock, pipeline.text.kinds);
    all of them when none does, so a phrase bank entry is never left empty. `kinds_`: the
    records' kinds when the caller has them (they are read from every activity)."""
    kinds_ = kinds(records) if kinds_ is None else kinds_
    good = [o for o in options if _fits(o, records, kinds_)]
    if any("{reach}" in o for o in good) and len(reach(records, kinds_)) < 2:
        good = [o for o in good if "{reach}" not in o]  # a 进… list of one says nothing
    return good or options


def reach(records: Records, kinds_: kind.Kinds) -> list[str]:
    """The 进… places of the records (pipeline.text.kinds.reach), from each activity once."""
    said = [(f"{a.title} {a.place or ''}", a.units) for a in records.activities]
    return kind.reach(kinds_, said)


def _theme_fits(text: str, campaign: str) -> bool:
    """Words that belong to one campaign theme (prompts/clerk.yaml `theme_words`: 民族团结 in a
    宗教政策法规 summary) are said only in that theme's summaries, or where no theme applies."""
    theme = stock.campaign_theme(campaign)
    if theme is None:
        return True
    words = load_yaml("clerk.yaml").get("theme_words", {})
    return not any(w in text and w not in campaign for name, ws in words.items() if name != theme for w in ws)


class Chooser:
    """Picks phrasing per county (see pick) among the options that fit the records, and
    never repeats a phrase within one document."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.kinds = kinds(records)
        self.county = records.county
        self.used: set[str] = set()
        self.said: set[str] = set()  # record sentences already written (one note in two records)
        # words the activities at hand must not be called (群众 for a cadres' training);
        # the caller sets them per part and item (pipeline/drafting/planner.py audience)
        self.avoid: tuple[str, ...] = ()
        self.effects: set[str] = set()  # sentences on how the work turned out: none twice, nor near-same

    def _audience_fits(self, option: str) -> bool:
        return not any(w in option for w in self.avoid)

    def __call__(self, options: list[str], slot: str) -> str:
        options = fitting(options, self.records, self.kinds)
        options = [o for o in options if self._audience_fits(o)] or options
        first = pick(options, self.county, slot)
        start = options.index(first)
        for candidate in options[start:] + options[:start]:
            if candidate not in self.used:
                self.used.add(candidate)
                return kind.rewrite(candidate, self.kinds)
        return kind.rewrite(first, self.kinds)

    def release(self, said: set[str], slots: dict[str, str]) -> None:
        """Sentences chosen and then left out of the draft (formatted with `slots`): free
        to be chosen again."""
        for used in list(self.used):
            if kind.rewrite(used, self.kinds).format(**slots) in said:
                self.used.discard(used)
                self.effects.discard(used)

    def fresh(self, options: list[str], slot: str, *, effect: bool = False) -> str | None:
        """Like calling the chooser, but None once every fitting option has been used: a
        sentence said twice in one draft is a style.repeat finding."""
        options = [o for o in options if _fits(o, self.records, self.kinds) and self._audience_fits(o)
                   and not any(o in u or u in o for u in self.used)
                   and not (effect and any(near(o, u) for u in self.effects))]
        if not options:
            return None
        choice = pick(options, self.county, slot)
        self.used.add(choice)
        if effect:
            self.effects.add(choice)
        return kind.rewrite(choice, self.kinds)


def near(a: str, b: str) -> bool:
    """Whether two stock sentences say nearly the same (各项任务分工明确、责任到人 after
    做到任务到岗、责任到人): they share a run of four characters that is no standing
    formulation (prompts/clerk.yaml `near_common`: 中华民族共同体, 民族团结 …)."""
    common = load_yaml("clerk.yaml").get("near_common", [])
    for word in common:
        a, b = a.replace(word, "\x00"), b.replace(word, "\x01")
    runs = {a[i:i + 4] for i in range(len(a) - 3)}
    return any(b[i:i + 4] in runs for i in range(len(b) - 3))


def closest(options: list[str], text: str) -> list[str]:
    """The options that share the most two-character words with `text` (the titles of the
    activities a lead phrase stands over: 抓实学习培训 over a training), leaving out words
    every title has (prompts/phrases.yaml `lead_generic`); all of them when none shares one."""
    generic = set(load_yaml("phrases.yaml").get("lead_generic", []))

    def score(option: str) -> int:
        pairs = {option[i:i + 2] for i in range(len(option) - 1)} - generic
        return sum(p in text for p in pairs)

    best = max((score(o) for o in options), default=0)
    return [o for o in options if score(o) == best] if best else options


def covering(options: list[str], titles: list[str], category: str) -> list[str]:
    """The lead phrases that fit every activity they stand over: a lead that names the work
    in the class's own words (its keywords in prompts/phrases.yaml `categories`, the outline
    classifier's) is kept only when each title says one of them — 开展走访慰问 not over a
    义诊 and a 慰问, 办实事解难题 over both; all of them when none fits."""
    spec = load_yaml("phrases.yaml")["categories"][category]
    words = [w for w in (*spec.get("strong", []), *spec["keywords"]) if "+" not in w]

    def fits(option: str) -> bool:
        named = [w for w in words if w in option]
        return all(any(w in t for w in named) for t in titles) if named else True

    return [o for o in options if fits(o)] or options


def number(value: float) -> str:
    """Arabic numerals for counts (GB/T 15835): 1500, 3.5, never 1,500."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


# From here a count is said in 万 when that is exact: 24万人次, 12.5万元 (not 240000人次).
_IN_WAN = 100_000


def figure(f: Figure) -> str:
    """发放宣传册1500份, 观看群众800余人 (余 only where the record says approx).
    With a magnitude unit 余 follows the magnitude when the value has decimals:
    8.6万余人次, but 3200余万元."""
    value = number(f.value)
    if f.unit[:1] not in ("万", "亿") and f.value >= _IN_WAN and f.value % 1000 == 0:
        # 阅读量240000余人次 is said 24万余人次, exactly (one decimal at most: 12.5万), and
        # facts.number reads 万 back
        return f"{f.what}{number(f.value / 10_000)}万{'余' if f.approx else ''}{f.unit}"
    if not f.approx:
        return f"{f.what}{value}{f.unit}"
    if f.unit[:1] in ("万", "亿") and "." in value:
        return f"{f.what}{value}{f.unit[0]}余{f.unit[1:]}"
    return f"{f.what}{value}余{f.unit}"


def join(items: list[str], sep: str = "、") -> str:
    return sep.join(items)


def join_and(items: list[str]) -> str:
    """A complete list as a clerk ends it: 校园教育、文艺展演和政策法规宣传."""
    return items[0] if len(items) == 1 else f"{join(items[:-1])}和{items[-1]}"


def strip_end(text: str) -> str:
    return text.strip().rstrip("。；;，,.！!")


def slots(records: Records) -> dict[str, str]:
    """The placeholders every phrase-bank sentence may use (see prompts/phrases.yaml), said
    as this kind of place and campaign says them (prompts/lexicon/kinds.yaml)."""
    lvl = level(records.county)
    kinds_ = kinds(records)
    place = kind.place_spec(kinds_)
    bank = load_yaml("phrases.yaml")
    leaders = place.get("leaders") or bank["leaders"].get(lvl, f"{lvl}委、{lvl}政府")
    theme = kind.campaign_spec(kinds_).get("theme") or bank["themes"].get(
        stock.campaign_theme(records.campaign) or "default", bank["themes"]["default"])
    # a school's own summary speaks of itself as 学校 throughout (kinds.yaml `self`), not by
    # its full name as a stranger would
    return {"county": place.get("self", kinds_.subject), "whole": place.get("whole", f"全{lvl}"),
            "leaders": leaders.format(subject=kinds_.subject), "campaign": kind.campaign_phrase(kinds_),
            "during": kind.during(kinds_, records.year), "theme": theme,
            "units": place.get("units", "各单位"), "reach": "、".join(reach(records, kinds_))}
