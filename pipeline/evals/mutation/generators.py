"""The error classes of the mutation self-test: each generator plants one kind of error in
a clean draft. Every choice comes from the seeded `rng` it is given, so the same drafts
and seed give the same mutants.

A generator is `gen(text, records, rng, foreign)`, `foreign` being the organising units of
other places' records; it yields (line, note, mutated text[, expected family]); line is
1-based, or None for a deletion (then an error anywhere counts).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pipeline.checks.numbers import cn_to_int
from pipeline.drafting.phrasing import level
from pipeline.evals.mutation import recall
from pipeline.evals.mutation import style_generators
from pipeline.evals.mutation.sites import (
    cn_number,
    equivalent,
    free,
    line_of,
    new_number,
    number_sites,
    unit_group,
)

_UNIT_POOL = ["人", "人次", "户", "份", "场", "次", "个", "件", "条", "所", "家", "篇", "册", "块",
              "幅", "项", "支", "期", "本", "张", "套", "对", "卷", "辆"]
_TITLE_SWAPS = [("通知", "意见"), ("实施方案", "工作方案"), ("开展", "推进"), ("全县", "全市"),
                ("全区", "全市"), ("宣传月", "宣传周"), ("决定", "通报"), ("印发", "下发"),
                ("示范单位", "先进单位"), ("工作要点", "工作计划"), ("民族团结进步", "民族团结"),
                ("活动", "工作"), ("命名", "表彰"), ("清单", "台账"), ("方案", "计划")]
CLASSES = {  # class → expected family
    "number": "facts.number", "measure_word": "facts.number", "date": "facts.date",
    "measure_swap": "facts.number", "org_swap": "facts.entity",
    "title_word": "facts.document", "year": "consistency.year",
    "placeholder": "residue.placeholder", "section_deleted": "headings.required",
    "numbering": "headings.numbering", "invented_total": "facts.number",
    **style_generators.CLASSES,
}
PER_CLASS = {"number": 10, "measure_word": 6, "date": 6, "measure_swap": 4, "org_swap": 4, "title_word": 4,
             "year": 3, "placeholder": 4, "section_deleted": 2, "numbering": 2, "invented_total": 1,
             **style_generators.PER_CLASS}


@dataclass
class Mutant:
    """A clean draft with one planted error."""
    cls: str
    source: str
    line: int | None  # 1-based mutated line; None for a deletion (any error counts)
    family: str
    note: str
    text: str


def gen_number(text, records, rng, foreign):
    for s, e, num, us, ue in number_sites(text):
        up = text[e:us] in ("余", "多") or text[max(0, s - 2):s].endswith(("约", "近", "逾", "超过"))
        new = new_number(num, rng, up)
        yield line_of(text, s), f"{num}→{new}", text[:s] + new + text[e:]


def gen_measure_word(text, records, rng, foreign):
    for s, e, num, us, ue in number_sites(text):
        old = text[us:ue]
        pool = [u for u in _UNIT_POOL if unit_group(u) != unit_group(old) and not old.endswith(u)
                and not u.startswith(old) and not equivalent(text, records, num, old, u, s)]
        new = rng.choice(pool)
        yield line_of(text, s), f"{num}{old}→{num}{new}", text[:us] + new + text[ue:]


def gen_measure_swap(text, records, rng, foreign):
    sites = number_sites(text)
    for s, e, num, us, ue in sites:
        old = text[us:ue]
        others = sorted({text[a:b] for *_, a, b in sites if unit_group(text[a:b]) != unit_group(old)
                         and not text[a:b].startswith(old) and not old.startswith(text[a:b])
                         and not equivalent(text, records, num, old, text[a:b], s)})
        if others:
            new = rng.choice(others)
            yield line_of(text, s), f"{num}{old}→{num}{new}（本文他处的量词）", text[:us] + new + text[ue:]


def gen_org_swap(text, records, rng, foreign):
    """A unit of this place replaced by another place's unit (the 范文 copied from
    elsewhere): expected as facts.entity, or consistency.place when its name says so."""
    mine = {u for a in records.activities for u in a.units} | set(records.aliases)
    mine |= {x for v in records.aliases.values() for x in v}
    for unit in sorted({u for a in records.activities for u in a.units if u in text}):
        others = [o for o in foreign if o not in mine and o not in text
                  and unit not in o and o not in unit]
        if not others:
            continue
        new = rng.choice(others)
        at = rng.choice([m.start() for m in re.finditer(re.escape(unit), text)])
        yield (line_of(text, at), f"{unit}→{new}（另一地的单位）",
               text[:at] + new + text[at + len(unit):])


_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:(至|—)(?:(\d{1,2})月)?(\d{1,2})日)?")
_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def gen_date(text, records, rng, foreign):
    titles = [m.span() for m in re.finditer(r"《[^》]*》", text)]
    for m in _DATE.finditer(text):
        if not free(titles, m.start(), m.end()):
            continue
        month = int(m.group(2))
        group = 6 if m.group(6) and rng.random() < 0.5 else 3
        day = int(m.group(group))
        mon = int(m.group(5) or month) if group == 6 else month
        options = [d for d in range(1, _MONTH_DAYS[mon - 1] + 1) if d != day and abs(d - day) <= 6]
        new_day = rng.choice(options)
        s, e = m.span(group)
        yield line_of(text, m.start()), f"{m.group()}：{day}日→{new_day}日", text[:s] + str(new_day) + text[e:]


def gen_title_word(text, records, rng, foreign):
    for m in re.finditer(r"《([^》]+)》", text):
        title = m.group(1)
        swaps = [(a, b) for a, b in _TITLE_SWAPS if a in title] + [(b, a) for a, b in _TITLE_SWAPS if b in title]
        if swaps:
            a, b = rng.choice(swaps)
            pos = title.index(a)
            new = title[:pos] + b + title[pos + len(a):]
        else:
            cjk = [i for i, c in enumerate(title) if "\u4e00" <= c <= "\u9fff"]
            i = rng.choice(cjk)
            new = title[:i] + rng.choice("县市区省新全年度") + title[i + 1:]
        if new == title:
            continue
        s, e = m.span(1)
        yield line_of(text, s), f"《{title}》→《{new}》", text[:s] + new + text[e:]


def gen_year(text, records, rng, foreign):
    for m in re.finditer(r"(?<!\d)(\d{4})年", text):
        year = int(m.group(1))
        if abs(year - records.year) > 1:
            continue
        new = year + rng.choice([-1, 1])
        s, e = m.span(1)
        before, after = text.rfind("《", 0, s), text.rfind("》", 0, s)
        inside_title = before > after
        line = line_of(text, s)
        first_line = line == next(i for i, ln in enumerate(text.split("\n"), 1) if ln.strip())
        family = "facts.document" if inside_title else (
            "consistency.year" if first_line else (
                "facts.date" if re.match(r"\d{1,2}月", text[e + 1:e + 4]) else "consistency.year"))
        yield line, f"{year}年→{new}年", text[:s] + str(new) + text[e:], family


def gen_placeholder(text, records, rng, foreign):
    sites = number_sites(text)
    names = [m for m in re.finditer(r"[县区旗市镇](?:民族宗教事务局|委统战部|委宣传部|司法局|教育局|融媒体中心)", text)]
    years = list(re.finditer(r"(?<!\d)\d{4}(?=年)", text))
    options = []
    for s, e, num, *_ in sites:
        options.append((s, e, rng.choice(["XX", "××"])))
    for m in names:
        options.append((m.start() + 1, m.end() - 1, rng.choice(["XX", "某某"])))
    for m in years:
        options.append((m.start(), m.end(), "20xx"))
    rng.shuffle(options)
    for s, e, mark in options:
        yield line_of(text, s), f"{text[s:e]}→{mark}", text[:s] + mark + text[e:]


_HEADING = re.compile(r"(?m)^(?:#+\s*|\*\*)?([一二三四五六七八九十]+)、(.+?)(?:\*\*)?\s*$")


def _headings(text: str):
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in _HEADING.finditer(text)]


def gen_section_deleted(text, records, rng, foreign):
    heads = _headings(text)
    wanted = []
    if records.problems:
        wanted.append(("存在", "问题"))
    if records.plans:
        wanted.append(("下一步", ""))
    fixed = [s.heading for s in (records.outline or []) if s.heading]
    for i, (s, e, num, title) in enumerate(heads):
        hit = any(a in title and b in title for a, b in wanted) or any(h and h in title for h in fixed)
        if not hit:
            continue
        end = heads[i + 1][0] if i + 1 < len(heads) else _signature_start(text, s)
        yield None, f"删除“{num}、{title.strip('*')}”一节", text[:s] + text[end:]


def _signature_start(text: str, after: int) -> int:
    """Where the signature block (落款) starts: the last two non-empty lines."""
    lines = text.rstrip("\n").split("\n")
    pos = len(text.rstrip("\n"))
    count = 0
    for ln in reversed(lines):
        pos -= len(ln) + 1
        if ln.strip():
            count += 1
        if count == 2:
            return max(pos + 1, after)
    return len(text)


def gen_numbering(text, records, rng, foreign):
    heads = _headings(text)
    for i, (s, e, num, title) in enumerate(heads):
        if i == 0 and len(heads) > 1:
            continue
        n = cn_to_int(num)
        choice = rng.choice(["skip", "arabic", "paren"])
        new = {"skip": cn_number(n + 1) + "、", "arabic": f"{n}、", "paren": f"（{num}）、"}[choice]
        pos = text.index(num + "、", s)
        yield line_of(text, s), f"“{num}、”→“{new}”", text[:pos] + new + text[pos + len(num) + 1:]


def gen_invented_total(text, records, rng, foreign):
    whole = "全" + level(records.county)
    value = 99
    recorded = {f.value for a in records.activities for f in a.figures} | {f.value for f in records.totals}
    while value in recorded or value == len(records.activities):
        value += 11
    paras = [m for m in re.finditer(r"(?m)^[^#\n*（(一二三四五六七八九十\d].{30,}。$", text)]
    if not paras:
        return
    m = paras[0]
    sentence = f"{whole}共开展活动{value}场次。"
    yield line_of(text, m.start()), sentence, text[:m.end()] + sentence + text[m.end():]


GENERATORS = {
    "number": gen_number, "measure_word": gen_measure_word, "date": gen_date,
    "measure_swap": gen_measure_swap, "org_swap": gen_org_swap,
    "title_word": gen_title_word, "year": gen_year,
    "placeholder": gen_placeholder, "section_deleted": gen_section_deleted,
    "numbering": gen_numbering, "invented_total": gen_invented_total,
    **style_generators.GENERATORS,
}
# What real 范文 copies contain (issue 13): pipeline.evals.mutation.recall.
GENERATORS.update(recall.GENERATORS)
CLASSES.update(recall.CLASSES)
PER_CLASS.update(recall.PER_CLASS)


def mutants(drafts, seed: int, per_class: dict[str, int], foreign: tuple[str, ...]) -> list[Mutant]:
    """Up to per_class[cls] mutants of each class for each (name, text, records) draft; a
    class not in per_class gets none. Each (draft, class) gets its own generator seeded by
    name, so adding a draft or a class leaves the other mutants as they were."""
    out: list[Mutant] = []
    for name, text, records in drafts:
        for cls, gen in GENERATORS.items():
            rng = random.Random(f"{seed}:{name}:{cls}")
            made = []
            for item in gen(text, records, rng, foreign):
                line, note, new = item[:3]
                family = item[3] if len(item) > 3 else CLASSES[cls]
                if new != text:
                    made.append(Mutant(cls, name, line, family, note, new))
            rng.shuffle(made)
            out += made[: per_class.get(cls, 0)]
    return out
