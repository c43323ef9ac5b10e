"""Place kind and campaign kind: which words a summary of this place and this campaign uses.

A school's summary says 全校 and 学校, not 全县 and 县委、县政府; a county bureau's own
创建 summary speaks as the bureau; a 创建 is a piece of work (创建工作), not an 活动.
One source for both sides: the template drafter writes by it, and `style.stock` flags
what does not fit (data: prompts/lexicon/kinds.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipeline.resources import load_yaml
from pipeline.text.places import level_of, split_level

# Kinds told apart by the name's own suffix, before the level words of places.py (which
# reads 峨溪彝族自治县 as a 县 and knows no 苏木).
_OWN_SUFFIXES = ("自治县", "苏木")


@dataclass(frozen=True)
class Kinds:
    place: str      # 县 自治县 区 旗 市 镇 乡 苏木 街道 学校 部门
    campaign: str   # 宗教政策法规学习宣传月 创建 教育月 周 宣传月 neutral
    name: str       # the records' campaign
    subject: str    # who the stock phrases speak of: the place, the school or the department
    level: str      # the level word of the place the text belongs to (县 for a county bureau)


@cache
def _data() -> dict:
    return load_yaml("lexicon/kinds.yaml")


def _place_level(county: str) -> str:
    for suffix in _OWN_SUFFIXES:
        if county.endswith(suffix) and len(county) > len(suffix):
            return suffix
    return level_of(county) or "县"


def short_name(author: str, county: str) -> str:
    """柏溪县民族宗教事务局 → 县民族宗教事务局: a unit of this place said as its own texts say it."""
    hit = split_level(county, _OWN_SUFFIXES + tuple(["县", "区", "旗", "市", "镇", "乡", "街道"]))
    if author.startswith(county) and len(author) > len(county) and hit:
        word = {"自治县": "县"}.get(hit[1], hit[1])
        return word + author[len(county):]
    return author


def place_kind(county: str, author: str | None, lead_units: list[str]) -> tuple[str, str]:
    """(kind, subject): 学校 when the place or the author is a school; 部门 when the author is
    one department of the place that led most of the activities; else the place's level."""
    data = _data()
    schools = tuple(data["school_suffixes"])
    if county.endswith(schools):
        return "学校", county
    if author and author.endswith(schools):
        return "学校", author
    if author and author != county and not any(w in author for w in data["not_department"]):
        short = short_name(author, county)
        own = sum(u in (author, short) for u in lead_units)
        if lead_units and own >= data["department_share"] * len(lead_units):
            return "部门", short
    return _place_level(county), county


def campaign_kind(campaign: str) -> str:
    for name, spec in _data()["campaigns"].items():
        if any(w in campaign for w in spec["match"]):
            return name
    return "neutral"


def kinds_of(county: str, campaign: str, author: str | None, lead_units: list[str]) -> Kinds:
    place, subject = place_kind(county, author, lead_units)
    level = _place_level(county) if place in ("学校", "部门") else place
    return Kinds(place, campaign_kind(campaign), campaign, subject, level)


def place_spec(kinds: Kinds) -> dict:
    """The place kind's words; a department takes what it lacks from its place's level."""
    places = _data()["places"]
    own = places.get(kinds.place, {})
    if kinds.place == "部门":
        return {**places.get(kinds.level, places["县"]), **own}
    return own


def campaign_spec(kinds: Kinds) -> dict:
    return _data()["campaigns"][kinds.campaign]


def campaign_phrase(kinds: Kinds) -> str:
    """民族团结进步宣传月活动, 民族团结进步示范创建工作; a name that already ends in 活动 as it is."""
    if kinds.name.endswith("活动"):
        return kinds.name
    return campaign_spec(kinds)["campaign"].format(name=kinds.name)


def during(kinds: Kinds, year: int) -> str:
    return campaign_spec(kinds)["during"].format(name=kinds.name, year=year)


def rewrite(text: str, kinds: Kinds) -> str:
    """Stock wording said the way this place and campaign say it (学校: 各族群众 → 各族师生)."""
    pairs = list(place_spec(kinds).get("rewrite", []))
    if not kinds.name.endswith("活动"):
        pairs += campaign_spec(kinds).get("rewrite", [])
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def avoided(kinds: Kinds, *, drafting: bool = False) -> list[tuple[str, str]]:
    """(text, reason) of the words that do not fit this place and campaign; with drafting,
    also those only the drafter avoids (a school's own text may say 送法进校园)."""
    entries = list(place_spec(kinds).get("avoid", []))
    if not kinds.name.endswith("活动"):
        entries += campaign_spec(kinds).get("avoid", [])
    name = kinds.name
    return [(e["text"].format(name=name), e["reason"].format(name=name))
            for e in entries if drafting or not e.get("draft_only")]


def fits(text: str, kinds: Kinds) -> bool:
    return not any(word in text for word, _ in avoided(kinds, drafting=True))


def reach(kinds: Kinds, said: list[tuple[str, list[str]]]) -> list[str]:
    """进学校、进村组 …: the places the records show the work went to — `said`: each
    activity's (title and place, units) — of those this kind of place has
    (prompts/lexicon/kinds.yaml `reach`)."""
    where = "\n".join(text for text, _ in said)
    units = "\n".join(u for _, us in said for u in us)
    return [e["say"] for e in _data()["reach"]
            if kinds.place in e.get("places", [kinds.place])
            and any(w in where or (e.get("units") and w in units) for w in e["words"])]


def school_self(county: str, author: str | None) -> str | None:
    """The school whose own summary this is (青禾县民族中学; 平川县 + 平川县红旗中学), which
    calls itself 学校 in its sentences; None when the summary is not a school's."""
    kind, subject = place_kind(county, author, [])
    return subject if kind == "学校" else None


def self_word(unit: str) -> str | None:
    """我局 for a …局, 我委 for a …委员会 (kinds.yaml `self_words`); None for a name no self word fits."""
    for end, word in _data()["self_words"]:
        if unit.endswith(end):
            return word
    return None


def spoken_names(kinds: Kinds, author: str | None) -> dict[str, str]:
    """How a department's own summary says its own name after naming itself once
    ({县民族宗教事务局: 我局}); empty for any other summary."""
    word = self_word(kinds.subject) if kinds.place == "部门" else None
    return {name: word for name in {kinds.subject, author or kinds.subject}} if word else {}
