"""The template backend: a deterministic drafter in official register.

Structure after the common 工作总结 pattern: title, an opening (导语) citing the basis and
the period, numbered practice sections with 4+4 headings whose items run 一是……二是……,
then 存在的问题, 下一步工作打算 and the signature block. Every fact comes from the records;
the phrase bank (prompts/phrases.yaml) supplies only working language.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.text.dates import cn_date, cn_date_range
from pipeline.text.numerals import cn_numeral
from pipeline.model.outline import Outline, OutlineSection
from pipeline.outline import classify
from pipeline.model.records import Activity, Records
from pipeline.resources import load_yaml
from pipeline.drafting import phrasing as ph

# Sections with at most this many activities are written as one paragraph.
_ONE_PARAGRAPH_MAX = 3


def draft(records: Records, outline: Outline) -> Document:
    bank = load_yaml("phrases.yaml")
    slots = ph.slots(records)
    acts = {a.id: a for a in records.activities}
    choose = ph.Chooser(records.county)
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
        sections.append(Section(key=spec.key, number=number, heading=heading, paragraphs=paragraphs))
    return Document(county=records.county, year=records.year, title=outline.title,
                    opening=[_opening(records, bank, slots)], sections=sections,
                    signature=_signature(records))


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
        when = f"于{cn_date_range(records.period.start, records.period.end, with_year=True)}"
        sources.append("period")
    if records.basis:
        cites = [f"{b.issuer}《{b.title}》" for b in records.basis]
        text = ph.pick(op["with_basis"], county, "opening").format(basis="和".join(cites), when=when, **slots)
        sources += [f"basis[{i}]" for i in range(len(records.basis))]
    else:
        text = ph.pick(op["without_basis"], county, "opening").format(when=when, **slots)
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
        return [Paragraph(sentences=[Sentence(text=spec["empty"])])]
    lead = ph.pick(spec["leads"], records.county, kind).format(**slots)
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
    lead = Sentence(text=choose(bank["sections"][theme]["leads"], f"lead:{spec.key}").format(**slots))
    groups: OrderedDict[str, list[Activity]] = OrderedDict()
    for aid in spec.activity_ids:  # already in date order
        groups.setdefault(classify(acts[aid]), []).append(acts[aid])
    items = [_item(cat, group, records, bank, choose) for cat, group in groups.items()]
    if len(items) == 1:  # a lone item needs neither 一是 nor its lead phrase
        items[0].pop(0)
    else:
        for n, item in enumerate(items, start=1):
            item[0] = Sentence(text=f"{cn_numeral(n)}是{item[0].text}", role="item_lead")
    if len(spec.activity_ids) <= _ONE_PARAGRAPH_MAX:
        return [Paragraph(sentences=[lead] + [s for item in items for s in item])]
    return [Paragraph(sentences=[lead])] + [Paragraph(sentences=item) for item in items]


def _item(category: str, group: list[Activity], records: Records, bank: dict,
          choose: ph.Chooser) -> list[Sentence]:
    """One 一是…… item: a lead phrase for the category, then its activities."""
    leads = bank["categories"][category]["leads"]
    sentences = [Sentence(text=choose(leads, f"item:{category}") + "。")]
    limit = bank["detail_per_item"]
    detailed = sorted(group, key=lambda a: (not a.highlight, a.date, a.id))[:limit]
    detailed.sort(key=lambda a: (a.date, a.id))
    for activity in detailed:
        sentences.extend(activity_sentences(activity, records))
    rest = [a for a in group if a not in detailed]
    if rest:
        sentences.append(_summary_sentence(rest))
    return sentences


def _units(units: list[str]) -> str:
    if len(units) == 1:
        return units[0]
    if len(units) <= 3:
        return f"{units[0]}联合{ph.join(units[1:])}"
    return f"{units[0]}牵头，联合{ph.join(units[1:])}"


_MOTION = ("走进", "深入", "走访", "前往", "赴", "到", "进")


def activity_sentences(a: Activity, records: Records) -> list[Sentence]:
    """The sentences that report one activity: when, who, where, what, how many."""
    when = cn_date_range(a.date, a.end_date)
    title = ph.strip_end(a.title)
    # The title or the units may already say where (在新民社区开展…; 东风社区联合…在东风社区),
    # or the title moves somewhere (走进…村开展…): then 在{place} before it would read twice
    # or wrong; a place the title moves to follows as its own clause.
    said = a.place and (a.place in a.title or a.place in a.units or title.startswith(("在", "于")))
    moving = a.place and not said and title.startswith(_MOTION)
    where = f"在{a.place}" if a.place and not said and not moving else ""
    clauses = [f"{when}，{_units(a.units)}{where}{title}"]
    if a.documents:
        books = "".join(f"《{d}》" for d in a.documents)
        if re.search(r"印发|制定|出台", title):  # 印发清单并建立台账（《……清单》）
            clauses[0] += f"（{books}）"
        else:
            clauses.append("印发" + books)
    if moving:
        clauses.append(f"活动地点为{a.place}")
    clauses.extend(ph.figure(f) for f in a.figures)
    if a.media:
        clauses.append(f"{ph.join(a.media)}等媒体进行了报道" if len(a.media) > 1
                       else f"{a.media[0]}进行了报道")
    out = [Sentence(text="，".join(clauses) + "。", sources=[a.id])]
    out.extend(Sentence(text=s + "。", sources=[a.id]) for s in ph.note_sentences(a.note))
    return out


def _summary_sentence(rest: list[Activity]) -> Sentence:
    """The activities past the detail limit, named in one sentence so none goes unmentioned."""
    units: list[str] = []
    for a in rest:
        if a.units[0] not in units:
            units.append(a.units[0])
    shown = units[:6]
    who = ph.join(shown) + ("等单位" if len(units) > len(shown) or len(shown) > 1 else "")
    # Activities with the same title (one per community) are named once: a 、 list that
    # repeats an item is a style.repeat error.
    titles = list(dict.fromkeys(ph.strip_end(a.title) for a in rest))
    tail = "等" if titles[-1].endswith("活动") else "等活动"
    return Sentence(text=f"此外，{who}还先后{ph.join(titles)}{tail}。", sources=[a.id for a in rest])
