"""style.lead and style.stock: words that do not fit what they stand for.

style.lead: a lead phrase (一是……。 or a （一）/1. sub-heading) whose topic, by the outline
classifier's own keyword classes (prompts/phrases.yaml `categories`), is not what the
activities under it are about: 营造浓厚舆论氛围 over a festival and tourism income.

style.stock (needs records): stock phrases of another campaign than the records'
`campaign` (a 宗教政策法规学习宣传月 summary that says 民族团结进步宣传教育), and place words
that do not fit the place's level (进乡村 in a 街道, 嘎查 outside a 旗), the place kind (全县,
县委、县政府 in a school's summary) or the campaign kind (a 创建 called an 活动).
All warnings. Word lists: prompts/lexicon/style.yaml (`lead`, `stock`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from pipeline.checks.model import Context
from pipeline.checks.structure import finding, headings, in_recorded, inside, quoted_spans, recorded_strings
from pipeline.checks.style_text import lexicon
from pipeline.model.report import Finding
from pipeline.outline import keyword_hit
from pipeline.resources import load_yaml
from pipeline.text import kinds
from pipeline.text.places import level_of
from pipeline.text.stock import campaign_theme, place_word_fits

_ORDINAL_LEAD = re.compile(r"(?:^|(?<=[。；！？]))\s*([一二三四五六七八九十]{1,2})是([^。；：，,]{2,24})[。；：]")
_MIN_BODY = 12  # a body shorter than this says too little to judge
# A lead phrase that names a topic is short; a longer one (把学习成果转化为安全管理成效) is a
# sentence of its own whose words say little about the class.
_MAX_LEAD = 12
# Leads over activities: their body tells what was done when. Problems and plans have no dates.
_ACTIVITY_DATE = re.compile(r"\d{1,2}月(?:\d{1,2}日|份|上旬|中旬|下旬)")


@dataclass(frozen=True)
class _Class:
    name: str
    leads: frozenset[str]
    lead_words: tuple[str, ...]
    body_words: tuple[str, ...]


@cache
def _classes() -> tuple[_Class, ...]:
    lex = lexicon()["lead"]
    out = []
    for name, spec in load_yaml("phrases.yaml")["categories"].items():
        words = tuple(spec.get("strong", [])) + tuple(spec["keywords"])
        if not words:
            continue  # `other` fits anything
        out.append(_Class(name, frozenset(spec.get("leads", [])),
                          words + tuple(lex["extra_keywords"].get(name, [])),
                          words + tuple(lex["body_keywords"].get(name, []))))
    return tuple(out)


def lead_classes(lead: str) -> list[_Class]:
    """The classes a lead phrase names: one whose leads list it, else every class whose
    keywords it contains."""
    exact = [c for c in _classes() if lead in c.leads]
    if exact or len(lead) > _MAX_LEAD:
        return exact
    return [c for c in _classes() if any(keyword_hit(w, lead) for w in c.lead_words)]


@dataclass
class _Lead:
    index: int  # line
    column: int  # 1-based column of the lead text
    text: str
    body: str


def _ordinal_leads(ctx: Context) -> list[_Lead]:
    out = []
    for i, line in enumerate(ctx.lines):
        if "是" not in line:
            continue
        hits = list(_ORDINAL_LEAD.finditer(line))
        for j, m in enumerate(hits):
            end = hits[j + 1].start() if j + 1 < len(hits) else len(line)
            out.append(_Lead(i, m.start(2) + 1, m.group(2), line[m.end():end]))
    return out


def _heading_leads(ctx: Context) -> list[_Lead]:
    heads = [h for h in headings(ctx.lines) if h.level is not None and h.level >= 1 and h.text]
    all_heads = sorted({h.index for h in headings(ctx.lines)})
    out = []
    for h in heads:
        at = bisect_right(all_heads, h.index)  # the next heading, by bisection: a long draft has hundreds
        nxt = all_heads[at] if at < len(all_heads) else len(ctx.lines)
        line = ctx.lines[h.index]
        pos = line.find(h.text)
        rest = "" if h.standalone else line[pos + len(h.text):]
        body = rest + "".join(ctx.lines[h.index + 1:nxt])
        out.append(_Lead(h.index, pos + 1, h.text, body))
    return out


def check_lead(ctx: Context) -> list[Finding]:
    reason = lexicon()["lead"]["reason"]
    out: list[Finding] = []
    for lead in _ordinal_leads(ctx) + _heading_leads(ctx):
        if len(lead.body) < _MIN_BODY or not _ACTIVITY_DATE.search(lead.body):
            continue
        named = lead_classes(lead.text)
        if not named:
            continue
        if any(keyword_hit(w, lead.body) for c in named for w in c.body_words):
            continue
        out.append(finding("style.lead", "warning", lead.index, lead.column, lead.text,
                           f"引领语“{lead.text}”与其下内容不符（其下未见与之相关的活动）：{reason}"))
    return out


# ---------------------------------------------------------------- stock phrases

def check_stock(ctx: Context) -> list[Finding]:
    records = ctx.records
    lex = lexicon()["stock"]
    campaign = records.campaign
    theme = campaign_theme(campaign)
    level = level_of(records.county)
    strings = recorded_strings(records)
    words = kinds.avoided(kinds.kinds_of(records.county, campaign, records.author,
                                         [a.units[0] for a in records.activities]))
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line.strip():
            continue
        quotes = quoted_spans(line)

        def free(s: int, e: int) -> bool:
            return not inside(quotes, s, e) and not in_recorded(line, s, e, strings)

        for e in lex["phrases"]:
            if theme is None or e["theme"] == theme or e["text"] in campaign:
                continue
            for s in _spans(line, e["text"]):
                if free(s, s + len(e["text"])):
                    out.append(finding("style.stock", "warning", i, s + 1, e["text"],
                                       f"“{e['text']}”与本次活动“{campaign}”不符：{e['reason']}，"
                                       f"宜改用本次活动的提法"))
        for name in lex["campaigns"]:
            if name in campaign or campaign in name:
                continue
            for s in _spans(line, name):
                if free(s, s + len(name)) and not _part_of_campaign(line, s, name, campaign):
                    out.append(finding("style.stock", "warning", i, s + 1, name,
                                       f"活动名称“{name}”与记录中的本次活动“{campaign}”不符，"
                                       f"疑为套用其他活动的范文，宜改为“{campaign}”"))
        out += _place_words(line, i, level, lex["places"], free)
        out += _kind_words(line, i, words, free)
    return out


def _kind_words(line: str, i: int, words: list[tuple[str, str]], free) -> list[Finding]:
    """Words that do not fit the place kind or campaign kind (pipeline/text/kinds.py): 全县 in
    a school's summary, 示范创建活动 where the records' 创建 is a piece of work."""
    out = []
    for text, reason in words:
        for s in _spans(line, text):
            if free(s, s + len(text)):
                out.append(finding("style.stock", "warning", i, s + 1, text, f"“{text}”不合本文：{reason}"))
                break  # one per line and word
    return out


def _place_words(line: str, i: int, level: str | None, entries: list[dict], free) -> list[Finding]:
    if level is None:
        return []  # a school or a department: its place kind is not known
    out = []
    for e in entries:
        if place_word_fits(e, level):
            continue
        for s in _spans(line, e["text"]):
            if free(s, s + len(e["text"])):
                out.append(finding("style.stock", "warning", i, s + 1, e["text"],
                                   f"“{e['text']}”不合本地（{level}）：{e['reason']}"))
                break  # one per line and word
    return out


def _spans(line: str, word: str) -> list[int]:
    out = []
    p = line.find(word)
    while p != -1:
        out.append(p)
        p = line.find(word, p + len(word))
    return out


def _part_of_campaign(line: str, s: int, name: str, campaign: str) -> bool:
    """The hit is inside an occurrence of the records' own campaign name."""
    for p in _spans(line, campaign):
        if p <= s and s + len(name) <= p + len(campaign):
            return True
    return False
