"""The template backend: a deterministic drafter in official register.

Structure after the common 工作总结 pattern: title, an opening (导语) citing the basis and
the period, numbered practice sections with 4+4 headings whose items run 一是……二是……,
then 存在的问题, 下一步工作打算 and the signature block. Every fact comes from the records;
the phrase bank (prompts/phrases.yaml) supplies only working language.
"""

from __future__ import annotations

from collections import OrderedDict

from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.text.dates import cn_date, cn_date_range
from pipeline.text.numerals import cn_numeral
from pipeline.model.outline import Outline, OutlineSection
from pipeline.outline import classify
from pipeline.model.records import Activity, Records
from pipeline.resources import load_yaml
from pipeline.text import kinds as kind
from pipeline.drafting import phrasing as ph
from pipeline.drafting import planner
from pipeline.drafting.frames import Once
from pipeline.drafting.selfname import SelfName
from pipeline.drafting.sentences import directed

# Sections with at most this many activities are written as one paragraph.
_ONE_PARAGRAPH_MAX = 3


def draft(records: Records, outline: Outline) -> Document:
    bank = load_yaml("phrases.yaml")
    slots = ph.slots(records)
    acts = {a.id: a for a in records.activities}
    choose = ph.Chooser(records)
    choose.used.update(s.heading for s in outline.sections if s.heading)
    sections: list[Section] = []
    for number, spec in enumerate(outline.sections, start=1):
        if spec.kind == "practice":
            theme = _theme(spec, acts, bank)
            heading = spec.heading or choose(bank["sections"][theme]["headings"], f"heading:{spec.key}")
            paragraphs = _practice(spec, theme, records, bank, slots, acts, choose)
        else:
            heading = spec.heading or choose(bank[spec.kind]["headings"], spec.kind)
            paragraphs = _closing(spec.kind, records, bank, slots)
        if not spec.heading:
            heading = kind.rewrite(heading, choose.kinds)
        sections.append(Section(key=spec.key, number=number, heading=heading,
                                paragraphs=_in_kind(paragraphs, choose.kinds)))
    once, voice = Once(), _own_voice(records, choose.kinds)

    def in_order(paragraphs: list[Paragraph]) -> list[Paragraph]:  # reading order: opening, then parts
        paragraphs = once.paragraphs(paragraphs)
        return voice.paragraphs(paragraphs) if voice else paragraphs

    opening = in_order(_in_kind([_opening(records, bank, slots)], choose.kinds))
    sections = [s.model_copy(update={"paragraphs": in_order(s.paragraphs)}) for s in sections]
    return Document(county=records.county, year=records.year, title=outline.title,
                    opening=opening, sections=sections,
                    signature=_signature(records))


def _own_voice(records: Records, kinds: kind.Kinds) -> SelfName | None:
    """A department's own summary speaks as 我局 after naming itself (selfname.py)."""
    spoken = kind.spoken_names(kinds, records.author)
    return SelfName(list(spoken), next(iter(spoken.values()))) if spoken else None


def _in_kind(paragraphs: list[Paragraph], kinds: kind.Kinds) -> list[Paragraph]:
    """Working language (sentences citing no record) said as this place and campaign say
    it (a school: 各族师生, not 各族群众); sentences with facts are left as written."""
    return [p.model_copy(update={"sentences": [
        s if s.sources else s.model_copy(update={"text": kind.rewrite(s.text, kinds)}) for s in p.sentences]})
        for p in paragraphs]


def _theme(spec: OutlineSection, acts: dict[str, Activity], bank: dict) -> str:
    """Which phrase-bank theme a practice section takes its heading and lead from: its key
    when the bank knows it, else the theme its key, heading and brief speak of, else the
    home section of most of its activities."""
    themes = bank["sections"]
    if spec.key in themes:
        return spec.key
    about = " ".join(filter(None, [spec.key, spec.heading, spec.brief]))
    scores = {name: sum(w in about for w in t.get("match", [])) for name, t in themes.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] > 0:
        return best
    homes = [bank["categories"][classify(acts[i])]["section"] for i in spec.activity_ids]
    if homes:
        return max(sorted(set(homes)), key=homes.count)
    return "general"


# ---------------------------------------------------------------- opening and closing

def _opening(records: Records, bank: dict, slots: dict) -> Paragraph:
    county = records.county
    op = bank["opening"]
    when = ""
    sources: list[str] = []
    if records.period:
        start, end = records.period.start, records.period.end
        whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
        # a year's work is “于2024年”, not “于2024年1月1日至12月31日”
        when = f"于{start.year}年" if whole_year else f"于{cn_date_range(start, end, with_year=True)}"
        sources.append("period")
    if records.basis:
        cites = [f"{b.issuer}《{b.title}》" for b in records.basis]
        text = ph.pick(ph.fitting(op["with_basis"], records), county, "opening").format(basis="和".join(cites), when=when, **slots)
        sources += [f"basis[{i}]" for i in range(len(records.basis))]
    else:
        text = ph.pick(ph.fitting(op["without_basis"], records), county, "opening").format(when=when, **slots)
    sentences = [Sentence(text=text, sources=sources)]
    if records.totals:
        items = "，".join(ph.figure(t) for t in records.totals)
        sentences.append(Sentence(text=op["totals"].format(items=items, **slots),
                                  sources=[f"totals[{i}]" for i in range(len(records.totals))]))
    elif len(records.activities) > 1:
        sentences.append(Sentence(text=op["count"].format(n=len(records.activities), **slots),
                                  sources=[a.id for a in records.activities]))
    sentences.append(Sentence(text=ph.pick(op["close"], county, "close")))
    return Paragraph(sentences=sentences)


def _closing(kind: str, records: Records, bank: dict, slots: dict) -> list[Paragraph]:
    items = records.problems if kind == "problems" else records.plans
    spec = bank[kind]
    if not items:
        return [Paragraph(sentences=[Sentence(text=spec["empty"].format(**slots))])]
    lead = ph.pick(ph.fitting(spec["leads"], records), records.county, kind).format(**slots)
    sentences = [Sentence(text=lead)]
    if len(items) == 1:
        lone = f"主要是{ph.strip_end(items[0])}。" if kind == "problems" else f"{ph.strip_end(items[0])}。"
        sentences.append(Sentence(text=lone, sources=[f"{kind}[0]"]))
    else:
        for i, item in enumerate(items):
            end = "。" if i == len(items) - 1 else "；"
            sentences.append(Sentence(text=f"{cn_numeral(i + 1)}是{ph.strip_end(item)}{end}",
                                      sources=[f"{kind}[{i}]"]))
    return [Paragraph(sentences=sentences)]


def _signature(records: Records) -> list[str]:
    lines = [records.author or records.county]
    if records.date:
        lines.append(cn_date(records.date, with_year=True))
    return lines


# ---------------------------------------------------------------- practice sections

def _practice(spec: OutlineSection, theme: str, records: Records, bank: dict, slots: dict,
              acts: dict[str, Activity], choose: ph.Chooser) -> list[Paragraph]:
    members = [acts[aid] for aid in spec.activity_ids]  # already in date order
    choose.avoid = planner.audience_avoid(members)
    # the basis is cited once, in the opening (pipeline/drafting/frames.py)
    one = planner.lead_unit(members, records) if members else None
    head = [Sentence(text=planner.singular(
        choose(planner.for_one(bank["sections"][theme]["leads"], one) or bank["sections"][theme]["leads"],
               f"lead:{spec.key}").format(**slots), one))]
    overview = planner.opening(members, slots, head[0].text, records)
    if overview:
        head.append(overview)
    groups: OrderedDict[str, list[Activity]] = OrderedDict()
    by_title: dict[str, str] = {}  # activities of one title go under one item
    for a in members:
        category = by_title.setdefault(ph.strip_end(a.title), classify(a))
        groups.setdefault(category, []).append(a)
    after = tuple(s.text for s in head) if len(groups) == 1 else ()  # a lone item follows the head at once
    items = [_item(cat, theme, group, records, bank, choose, slots, after) for cat, group in groups.items()]
    if len(items) == 1:  # a lone item needs neither 一是 nor its lead phrase
        items[0].pop(0)
    else:
        for n, item in enumerate(items, start=1):
            item[0] = Sentence(text=f"{cn_numeral(n)}是{item[0].text}", role="item_lead")
    items = planner.one_effect(items, choose, slots)
    choose.avoid = planner.audience_avoid(members)
    items[-1] += planner.closing(theme, choose, slots, items[-1], one)
    if len(spec.activity_ids) <= _ONE_PARAGRAPH_MAX or len(items) == 1:  # no opening paragraph alone
        return [Paragraph(sentences=planner.unpadded(head + [s for item in items for s in item]))]
    return [Paragraph(sentences=planner.unpadded(p)) for p in [head] + items]


def _item(category: str, theme: str, group: list[Activity], records: Records, bank: dict,
          choose: ph.Chooser, slots: dict, after: tuple[str, ...] = ()) -> list[Sentence]:
    """One 一是…… item: a lead phrase for the category, what the item was for, its
    activities (those of one title in one sentence), and how it turned out."""
    choose.avoid = planner.audience_avoid(group)
    titles = [a.title for a in group]
    leads = ph.closest(ph.covering(bank["categories"][category]["leads"], titles, category), "、".join(titles))
    sentences = [Sentence(text=choose(leads, f"item:{category}") + "。")]
    aim = planner.purpose(category, choose, slots, planner.lead_unit(group, records), after)
    if aim:
        sentences.append(aim)
    works = planner.units_of_work(group)
    limit = bank["detail_per_item"]
    detailed = sorted(works, key=lambda w: (not any(a.highlight for a in w), w[0].date, w[0].id))[:limit]
    detailed.sort(key=lambda w: (w[0].date, w[0].id))
    for work in detailed:
        sentences.extend(planner.work_sentences(work, records, choose, category, slots))
    shown = {a.id for w in detailed for a in w}
    rest = [a for a in group if a.id not in shown]
    if rest:
        sentences.append(_summary_sentence(rest))
    result = planner.effect(category, choose, slots)
    if result:
        sentences.append(result)
    return sentences


def _summary_sentence(rest: list[Activity]) -> Sentence:
    """The activities past the detail limit, in one sentence so none goes unmentioned: one
    clause per title naming every unit that held it (no 、 list repeats an item)."""
    by_title: OrderedDict[str, list[str]] = OrderedDict()
    for a in rest:
        units = by_title.setdefault(ph.strip_end(a.title), [])
        if a.units[0] not in units:
            units.append(a.units[0])
    clauses = []
    for i, (title, units) in enumerate(by_title.items()):
        again = "还" if i == 0 else ""
        together = "先后" if len(units) > 1 else ""
        clauses.append(f"{ph.join(units)}{again}{together}{directed(title)}")
    return Sentence(text="此外，" + "；".join(clauses) + "。", sources=[a.id for a in rest])
