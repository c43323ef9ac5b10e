"""Stage 2: records → outline. Which sections the summary has, in which order, with which
fixed headings, and which activities each section reports.

Activities go by their `section` key; the others by a deterministic keyword classifier
on title and units (the keyword table is data: prompts/phrases.yaml, `categories`).
Nothing in a record's text can add, remove or rename a section.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline.model.outline import Outline, OutlineSection
from pipeline.model.records import CLOSING_SECTION_KEYS, DEFAULT_SECTION_KEYS, Activity, Records
from pipeline.resources import load_yaml


def document_title(records: Records) -> str:
    return f"{records.county}{records.year}年{records.campaign}{records.doc_type}"


def keyword_hit(keyword: str, text: str) -> bool:
    """A keyword is a word, or words joined by + that must all occur (刺绣+培训: a training
    in embroidery is a skills course, not a lecture on theory)."""
    return all(part in text for part in keyword.split("+"))


def classify(activity: Activity) -> str:
    """The category of an activity (meeting, school, visit, …): first keyword hit wins,
    title before the organising units, a class's `strong` words (those that name what was
    done whatever else the title says: 启动会, 种植技术, 以案释法) before anyone's ordinary
    keywords, categories in the order the phrase bank lists them.
    Not the note: it never reaches the draft, so a lead chosen from it would fit nothing
    written below, and a note cannot move its activity either."""
    return _classify(activity.title, tuple(activity.units))


# The planner, the template and the checker's tallies each ask again for the same
# activities: one answer per title and units, not one scan of the keyword table per ask.
@lru_cache(maxsize=1 << 16)
def _classify(title: str, units: tuple[str, ...]) -> str:
    for text in (title, "、".join(units)):
        for tier in _keyword_tiers():
            for name, plain, joined in tier:
                if (plain is not None and plain.search(text)) or any(keyword_hit(w, text) for w in joined):
                    return name
    return "other"


@cache
def _keyword_tiers() -> tuple[tuple[tuple[str, re.Pattern | None, tuple[str, ...]], ...], ...]:
    """Per tier (strong, then keywords), per category in the bank's order: one pattern for
    its plain words (a search is the same as `any(word in text)`) and its +-joined words."""
    categories = load_yaml("phrases.yaml")["categories"]
    tiers = []
    for tier in ("strong", "keywords"):
        rows = []
        for name, spec in categories.items():
            words = spec.get(tier, [])
            plain = [w for w in words if "+" not in w]
            rows.append((name, re.compile("|".join(map(re.escape, plain))) if plain else None,
                         tuple(w for w in words if "+" in w)))
        tiers.append(tuple(rows))
    return tuple(tiers)


def _home_section(activity: Activity, practice: list[OutlineSection]) -> OutlineSection:
    category = classify(activity)
    categories = load_yaml("phrases.yaml")["categories"]
    preferred = categories[category]["section"]
    by_key = {s.key: s for s in practice}
    if preferred in by_key:
        return by_key[preferred]
    # A custom outline: the section whose key, heading or brief shares the most keywords
    # with the activity's category; ties go to the earlier section.
    words = categories[category].get("strong", []) + categories[category]["keywords"] + [preferred]
    def score(section: OutlineSection) -> int:
        text = " ".join(filter(None, [section.key, section.heading, section.brief]))
        return sum(keyword_hit(word, text) for word in words)
    best = max(practice, key=score)
    return best if score(best) > 0 else practice[min(1, len(practice) - 1)]


def build_outline(records: Records) -> Outline:
    if records.outline is not None:
        sections = [
            OutlineSection(key=s.key, kind=s.key if s.key in CLOSING_SECTION_KEYS else "practice",
                           heading=s.heading, brief=s.brief)
            for s in records.outline
        ]
    else:
        sections = [OutlineSection(key=k, kind="practice") for k in DEFAULT_SECTION_KEYS]
    keys = {s.key for s in sections}
    # The checker requires these sections whenever the records carry their content.
    for kind, present in (("problems", records.problems), ("plans", records.plans)):
        if present and kind not in keys:
            sections.append(OutlineSection(key=kind, kind=kind))
    practice = [s for s in sections if s.kind == "practice"]
    if not practice:  # an outline of problems/plans only still needs a place for the work
        practice = [OutlineSection(key="practice", kind="practice")]
        sections.insert(0, practice[0])
    by_key = {s.key: s for s in sections}
    for activity in sorted(records.activities, key=lambda a: (a.date, a.id)):
        target = by_key.get(activity.section or "") if activity.section else None
        if target is None or target.kind != "practice":
            target = _home_section(activity, practice)
        target.activity_ids.append(activity.id)
    if records.outline is None:  # the default outline carries no empty practice section
        sections = [s for s in sections if s.kind != "practice" or s.activity_ids]
    return Outline(title=document_title(records), sections=sections)
