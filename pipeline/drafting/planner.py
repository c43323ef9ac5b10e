"""The sentence planner of the template backend: what a practice part says beyond one
sentence per activity, the way a careful clerk writes it.

- a part opens with what its activities did, in real counts: 共开展各类活动12项，其中文艺展演
  5项、基层宣传4项，共发放宣传资料4500份 (counts by the outline classifier's classes, sums of
  one figure over the part; facts.number checks them, pipeline/checks/facts_tally.py);
- activities of one kind held at several places under one title become one sentence with
  先后 and totals where the figures agree: 9月2日至20日，新城街道、滨江街道先后举办民族团结
  主题文艺演出2场，共演出节目21个、观看群众900余人;
- an item gets a purpose sentence and a closing one, a thin activity sentence a clause on
  what it was for, a part a closing sentence (prompts/clerk.yaml; only phrases that fit the
  campaign and the place, never one twice);
- never two sentences of working language in a row (style.padding): one stands between
  facts, and a part ends with at most one.
Every loop is over the part's activities once; nothing here is quadratic in the records.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict

from pipeline.drafting import phrasing as ph
from pipeline.drafting.sentences import activity_sentences, directed, figure_clause, own_units, units_phrase
from pipeline.model.document import Sentence
from pipeline.model.records import Activity, Figure, Records
from pipeline.outline import classify
from pipeline.resources import load_yaml
from pipeline.text.dates import cn_date_list, cn_date_range
from pipeline.text.echo import echoed_after_count
from pipeline.text.stock import is_lead, is_stock_sentence

# An activity sentence shorter than this gets a clause on its purpose (prompts/clerk.yaml gloss).
_THIN = 80
# Sums named in a part's opening: at most this many, of figures two or more activities share.
_OPENING_SUMS = 2
# A part's opening names at most this many classes after 其中.
_LABELS = 5
# A part with at most this many activities names their kinds instead of counting them.
_NAMED_MAX = 3
# A part's opening names up to this many units, else the first few and 等单位.
_NAMED_UNITS = 4
# A merged sentence lists dates one by one up to this many, else it gives their span.
_LISTED_DATES = 3


def clerk() -> dict:
    return load_yaml("clerk.yaml")


def _key(a: Activity) -> str:
    return ph.strip_end(a.title)


def units_of_work(group: list[Activity]) -> list[list[Activity]]:
    """The group's activities, those of one title together (in date order), ordered by
    their first date."""
    by_title: OrderedDict[str, list[Activity]] = OrderedDict()
    for a in group:
        by_title.setdefault(_key(a), []).append(a)
    return list(by_title.values())


def _figure_sums(acts: list[Activity]) -> list[tuple[str, float, str, bool, int]]:
    """(what, sum, unit, approx, members) of each figure two or more of the activities
    record, in one unit throughout; in the order first recorded."""
    seen: OrderedDict[str, list] = OrderedDict()
    for a in acts:
        for f in a.figures:
            if f.what:
                seen.setdefault(f.what, []).append(f)
    out = []
    for what, figs in seen.items():
        if len(figs) >= 2 and len({f.unit for f in figs}) == 1:
            approx = any(f.approx for f in figs)
            total = sum(f.value for f in figs)
            out.append((what, _round_down(total) if approx else total, figs[0].unit, approx, len(figs)))
    return out


def _round_down(value: float) -> float:
    """A sum of approximate figures said as a clerk rounds it: 4471 → 4400 (then 4400余人)."""
    if value < 100:
        return value
    step = 10 ** (len(str(int(value))) - 2)
    return value // step * step


def _count_text(what: str, value: float, unit: str, approx: bool) -> str:
    """The sum's number and measure word alone: 89块."""
    return ph.figure(Figure(what=what, value=value, unit=unit, approx=approx).model_copy(update={"what": ""}))


def _figure_text(what: str, value: float, unit: str, approx: bool) -> str:
    """A sum after 共: 共发放宣传资料4500份, 共有志愿者55名参与服务 (a noun takes 有)."""
    figure = Figure(what=what, value=value, unit=unit, approx=approx)
    clause = figure_clause(figure)
    return f"有{clause}" if clause != ph.figure(figure) and clause.startswith(what) else clause


# ---------------------------------------------------------------- the part's opening

def opening(acts: list[Activity], slots: dict, after: str, records: Records) -> Sentence | None:
    """共开展各类活动N项，其中…，共…: what the part's activities did, from the records
    (`after`: the sentence it follows, so it does not open with the same words)."""
    if len(acts) < 2:
        return None
    cats = load_yaml("phrases.yaml")["categories"]
    counts = Counter(classify(a) for a in acts)
    labelled = [(cats[c]["label"], n) for c, n in counts.most_common() if cats[c].get("label")][:_LABELS]
    who = _who(acts, records)
    first, last = acts[0].date, max(a.end_date or a.date for a in acts)
    # A range one of the activities spans alone (5月9日至30日 of a month-long 主题班会) would
    # be said again by that activity's own sentence a line below: the campaign's period instead.
    spanned = any(a.date == first and (a.end_date or a.date) == last for a in acts)
    when = f"{cn_date_range(first, last)}，" if last != first and not spanned else \
        ("" if slots["during"] in after else f"{slots['during']}，")
    sums = sorted(_figure_sums(acts), key=lambda s: -s[4])[:_OPENING_SUMS]
    one_kind = len(labelled) == 1 and len(counts) == 1
    if len(acts) <= _NAMED_MAX and (one_kind or not labelled):
        # 先后开展安排部署活动 before two meetings says nothing their own sentences, which
        # follow at once, do not
        return None
    if len(acts) <= _NAMED_MAX:  # a clerk names two or three activities' kinds, he does not count them
        named = ph.join_and([label for label, _ in labelled])  # 校园教育和体育活动: one 活动 at the end
        text = f"{when}{who}先后开展{named.removesuffix('活动')}活动"  # facts_tally checks the span
    elif one_kind:
        text = f"{when}{who}共开展{labelled[0][0]}活动{len(acts)}项"
    elif len(labelled) >= 2 and all(n == 1 for _, n in labelled):
        # 其中媒体宣传1项、文艺展演1项……: one of each kind is named, not counted
        every = sum(n for _, n in labelled) == len(acts) and len(labelled) == len(counts)
        names = [label for label, _ in labelled]
        named = ph.join_and(names) if every else f"{ph.join(names)}等"
        text = f"{when}{who}共开展各类活动{len(acts)}项，涵盖{named}"  # facts_tally counts 活动N项 after 共
    else:
        text = f"{when}{who}共开展各类活动{len(acts)}项"
        if len(labelled) >= 2:
            text += "，其中" + "、".join(f"{label}{n}项" for label, n in labelled)
    if sums:
        text += "，共" + "、".join(_figure_text(w, v, u, ap) for w, v, u, ap, _ in sums)
    return Sentence(text=text + "。", sources=[a.id for a in acts])


def _who(acts: list[Activity], records: Records) -> str:
    """The units that held the part's activities, as the records name them: one, a few
    joined by 、, or the first few and 等单位."""
    units = list(dict.fromkeys(own_units([u for a in acts for u in a.units], records)))
    if len(units) == 1:
        return units[0]
    if len(units) <= _NAMED_UNITS:
        return ph.join(units)
    return f"{ph.join(units[:_NAMED_UNITS - 1])}等单位"


# ---------------------------------------------------------------- merged activities

def _dates(acts: list[Activity]) -> str:
    days = sorted({a.date for a in acts})
    if len(days) <= _LISTED_DATES:
        return cn_date_list(days)
    last = max((a.end_date or a.date) for a in acts)
    return cn_date_range(days[0], last)


def merged_sentences(acts: list[Activity], records: Records, measure: str | None) -> list[Sentence]:
    """One sentence for activities of one title held by several units or at several places."""
    title = _key(acts[0])
    units = list(dict.fromkeys(own_units([a.units[0] for a in acts], records)))
    who = ph.join(units) if len(units) > 1 else units_phrase(own_units(acts[0].units, records))
    count = f"{len(acts)}{measure}" if measure else ""
    text = f"{_dates(acts)}，{who}先后{directed(title)}{count}"
    sums = _figure_sums(acts)
    if sums:  # 先后更新社区民族团结宣传栏，共89块: a figure whose words the title said is its number alone
        text += "，共" + "、".join(_count_text(w, v, u, ap) if echoed_after_count(w, title) else _figure_text(w, v, u, ap)
                                  for w, v, u, ap, _ in sums)
    # Notes never become sentences (records are data): only the slots above are written.
    return [Sentence(text=text + "。", sources=[a.id for a in acts])]


def work_sentences(work: list[Activity], records: Records, choose: ph.Chooser, category: str,
                   slots: dict) -> list[Sentence]:
    """The sentences of one unit of work: a lone activity or several of one title merged;
    a sentence already written is not written again."""
    if len(work) > 1:
        out = merged_sentences(work, records, load_yaml("phrases.yaml")["categories"][category].get("measure"))
    else:
        out = _lone(work[0], records, choose, category, slots)
    kept = [out[0]] + [s for s in out[1:] if s.text not in choose.said]
    choose.said.update(s.text for s in kept)
    return kept


def _lone(a: Activity, records: Records, choose: ph.Chooser, category: str, slots: dict) -> list[Sentence]:
    """A lone activity, with a clause on its purpose when its record says little."""
    out = activity_sentences(a, records)
    if len(out[0].text) < _THIN:
        gloss = fresh(category, "gloss", choose)
        if gloss:
            out[0] = Sentence(text=f"{out[0].text[:-1]}，{gloss.format(**slots)}。", sources=out[0].sources)
    return out


# ---------------------------------------------------------------- working language

def audience_avoid(acts: list[Activity]) -> tuple[str, ...]:
    """The words not to call these activities' people: 群众 when the records speak only of
    cadres, Party members, staff, teachers or religious figures (prompts/clerk.yaml audience)."""
    spec = clerk()["audience"]
    said = "".join(a.title + "".join(f.what for f in a.figures) for a in acts)
    if any(w in said for w in spec["cadres"]) and not any(w in said for w in spec["public"]):
        return tuple(spec["avoid"])
    return ()


def lead_unit(acts: list[Activity], records: Records) -> str | None:
    """The one unit that led all these activities, as the summary says it; None when
    several did."""
    units = {own_units(a.units[:1], records)[0] for a in acts}
    return next(iter(units)) if len(units) == 1 else None


def for_one(options: list[str], unit: str | None) -> list[str]:
    """The options that may be said of one unit when one did the work (no 各司其职,
    prompts/clerk.yaml `plural_predicates`); all of them when several did."""
    if not unit:
        return options
    return [o for o in options if not any(w in o for w in clerk()["plural_predicates"])]


def singular(text: str, unit: str | None) -> str:
    """Working language whose subject is 各单位 (各学校, 学校各部门 …) said of the one unit
    that did the work (prompts/clerk.yaml `plural_subjects`); as it is when several did."""
    if not unit:
        return text
    for word in clerk()["plural_subjects"]:
        text = re.sub(rf"(^|，){re.escape(word)}", lambda m: m.group(1) + unit, text)
    return text


def fresh(category: str, slot: str, choose: ph.Chooser, keep=lambda options: options,
          effect: bool = False) -> str | None:
    """An unused option of the class's `slot` (purpose, gloss, effect); its plain ones, which
    say no 群众, only once none of the others fits (a staff sports day still gets a purpose)."""
    spec = clerk()["classes"][category]
    for options in (spec[slot], spec.get("plain", {}).get(slot, [])):
        if (options := keep(options)) and (text := choose.fresh(options, f"{slot}:{category}", effect=effect)):
            return text
    return None


def purpose(category: str, choose: ph.Chooser, slots: dict, unit: str | None = None,
            after: tuple[str, ...] = ()) -> Sentence | None:
    """What the item's work was for. `after`: the sentences it follows at once (a lone
    item's part lead and opening): it does not say their kind word (共开展示范创建活动4项。
    ……以示范创建为抓手) nor nearly their words (……推动创建工作提质增效 twice)."""
    label = load_yaml("phrases.yaml")["categories"][category].get("label") or "\x00"

    def keep(options: list[str]) -> list[str]:
        return [o for o in for_one(options, unit) if not any(label in a and label in o or ph.near(o, a) for a in after)]
    text = fresh(category, "purpose", choose, keep)
    return Sentence(text=singular(text.format(**slots), unit) + "。") if text else None


def effect(category: str, choose: ph.Chooser, slots: dict) -> Sentence | None:
    text = fresh(category, "effect", choose, effect=True)
    return Sentence(text=text.format(**slots), role="effect") if text else None


def one_effect(items: list[list[Sentence]], choose: ph.Chooser, slots: dict) -> list[list[Sentence]]:
    """The part's items with at most one sentence on how the work turned out: the last
    item's own, when it ends the part; a stock effect after every item says nothing.
    The ones left out are free again for later parts."""
    last = items[-1][-1] if items and items[-1] else None
    if last is not None and len(items[-1]) > 1 and ph.near(items[-1][-2].text, last.text):
        last = None  # 引导群众知法守法、依法办事。……依法办事的意识明显增强: said already
    dropped = {s.text for item in items for s in item if s.role == "effect" and s is not last}
    choose.release(dropped, slots)
    return [[s for s in item if s.role != "effect" or s is last] for item in items]


def closing(theme: str, choose: ph.Chooser, slots: dict, part: list[Sentence],
            unit: str | None = None) -> list[Sentence]:
    """The part's closing sentence, when the part does not already end in working language
    (an item's effect): a part ends with at most one sentence that states no fact."""
    if not part or _stock(part[-1]):
        return []
    general = clerk()["sections"]["general"]
    if len({i for s in part for i in s.sources}) < 2:  # one activity: no 各项活动……形式多样
        general = [o for o in general if not any(w in o for w in clerk()["plural_activities"])]
    # the part's own theme first; the general closings only once the theme's are used up
    for options in (clerk()["sections"].get(theme, []), general):
        if text := choose.fresh(for_one(options, unit), f"close:{theme}", effect=True):
            return [Sentence(text=singular(text.format(**slots), unit))]
    return []


# ---------------------------------------------------------------- no padding

def _stock(s: Sentence) -> bool:
    """Read as stock by style.padding (one rule for the drafter and the check)."""
    return s.role != "item_lead" and is_stock_sentence(s.text.rstrip("。！？"))


def unpadded(sentences: list[Sentence]) -> list[Sentence]:
    """One paragraph's sentences with no two of working language in a row (style.padding):
    a stock sentence that follows another goes; a sentence from the records always stays
    (then the stock one before it goes, unless it leads its item)."""
    out: list[Sentence] = []
    for s in sentences:
        if out and _stock(s) and _stock(out[-1]) and not is_lead(out[-1].text):
            if s.sources and not out[-1].sources:
                out[-1] = s
            elif not s.sources:
                continue
            else:
                out.append(s)
            continue
        out.append(s)
    return out
