"""Mutation self-test of the checkers: plant ONE error in a clean draft, see whether
`pipeline.checks.check` reports an error at the mutated line.

Clean drafts: the template draft of every fixture (fixtures/*.yaml|json) and every
hand-written summary in evals/handwritten/ (NAME.yaml + NAME.md|txt). Mutation sites are
found with simple regular expressions of this file, independent of the checkers'
own span finding, and every choice is seeded: the same tree gives the same mutants.

    python -m evals.mutation [--seed N] [--per-class K] [--show-missed] [--json OUT]

Prints, per error class, the mutants, how many got an error at the mutated line (any
family), how many got one from the expected family, and the error findings on the clean
drafts (false alarms; target 0).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from pipeline.checks import check
from pipeline.checks.index import ACTIVITY_UNITS
from pipeline.checks.numbers import cn_to_int, units
from pipeline.model.records import Records
from pipeline.inputs.records import load_records
from pipeline.resources import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CN = "零一二三四五六七八九"
_CN_NUM = "零一二两三四五六七八九十百千万"
_UNIT_POOL = ["人", "人次", "户", "份", "场", "次", "个", "件", "条", "所", "家", "篇", "册", "块",
              "幅", "项", "支", "期", "本", "张", "套", "对", "卷", "辆"]
_TITLE_SWAPS = [("通知", "意见"), ("实施方案", "工作方案"), ("开展", "推进"), ("全县", "全市"),
                ("全区", "全市"), ("宣传月", "宣传周"), ("决定", "通报"), ("印发", "下发"),
                ("示范单位", "先进单位"), ("工作要点", "工作计划"), ("民族团结进步", "民族团结"),
                ("活动", "工作"), ("命名", "表彰"), ("清单", "台账"), ("方案", "计划")]
_PLACEHOLDERS = ["XX", "××", "20xx", "某某"]
CLASSES = {  # class → expected family
    "number": "facts.number", "measure_word": "facts.number", "date": "facts.date",
    "measure_swap": "facts.number", "org_swap": "facts.entity",
    "title_word": "facts.document", "year": "consistency.year",
    "placeholder": "residue.placeholder", "section_deleted": "headings.required",
    "numbering": "headings.numbering", "invented_total": "facts.number",
}
PER_CLASS = {"number": 10, "measure_word": 6, "date": 6, "measure_swap": 4, "org_swap": 4, "title_word": 4,
             "year": 3, "placeholder": 4, "section_deleted": 2, "numbering": 2, "invented_total": 1}


@dataclass
class Mutant:
    cls: str
    source: str
    line: int | None  # 1-based mutated line; None for a deletion (any error counts)
    family: str
    note: str
    text: str


# ---------------------------------------------------------------- clean drafts

def clean_drafts() -> list[tuple[str, str, Records]]:
    out: list[tuple[str, str, Records]] = []
    try:
        from pipeline.drafting import draft_document
        from pipeline.render import to_markdown
    except ImportError as exc:  # the drafter is written concurrently
        print(f"注意：无法导入起草程序（{exc}），只用手写总结。", file=sys.stderr)
        draft_document = None
    if draft_document is not None:
        for path in sorted((ROOT / "fixtures").iterdir()):
            if path.suffix not in (".yaml", ".yml", ".json") or path.name.endswith(".schema.json"):
                continue
            records = load_records(path)[0]
            out.append((f"template:{path.stem}", to_markdown(draft_document(records)), records))
    for path in sorted((ROOT / "evals" / "handwritten").glob("*.yaml")):
        for suffix in (".md", ".txt"):
            draft = path.with_suffix(suffix)
            if draft.exists():
                out.append((f"handwritten:{path.stem}", draft.read_text(encoding="utf-8"),
                            load_records(path)[0]))
    return out


# ---------------------------------------------------------------- helpers

def cn_number(n: int) -> str:
    """36 → 三十六, 860 → 八百六十, 105 → 一百零五 (below 10^8)."""
    if n == 0:
        return "零"
    def four(v: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = v // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += CN[d] + name
                zero = False
            elif out:
                zero = True
        return out
    high, low = divmod(n, 10_000)
    text = (four(high) + "万" + ("零" if 0 < low < 1000 else "") + four(low)) if high else four(low)
    return text[1:] if text.startswith("一十") else text


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans no number mutation should touch: titles, quotes, dates, years, numbering."""
    spans = [m.span() for m in re.finditer(r"《[^》]*》|“[^”]*”|\d{4}年|\d{1,2}月\d{1,2}日"
                                          r"(?:[至—-]\d{1,2}(?:月\d{1,2})?日)?|\d{1,2}月", text)]
    spans += [m.span() for m in re.finditer(r"(?m)^[#\s]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.、]"
                                            r"|\([一二三四五六七八九十\d]+\))", text)]
    spans += [m.span() for m in re.finditer(r"[一二三四五六七八九十]+是", text)]
    spans += [m.span() for m in _formulations().finditer(text)]  # 二十届三中全会: no facts
    return spans


def _formulations() -> re.Pattern:
    data = load_yaml("lexicon/formulations.yaml")
    alts = [re.escape(e["text"]) for e in data["formulations"]] + [e["pattern"] for e in data["patterns"]]
    return re.compile("|".join(sorted(alts, key=len, reverse=True)))


def _free(spans, s: int, e: int) -> bool:
    return not any(a < e and s < b for a, b in spans)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def number_sites(text: str) -> list[tuple[int, int, str, int, int]]:
    """(num_start, num_end, num_text, unit_start, unit_end) of numbers with a measure word."""
    words = sorted(units().words, key=len, reverse=True)
    unit_alt = "|".join(map(re.escape, words))
    pat = re.compile(rf"(\d+(?:\.\d+)?万?|[{_CN_NUM}]{{1,8}})(余|多)?({unit_alt})")
    spans = _masked_spans(text)
    out = []
    for m in pat.finditer(text):
        num = m.group(1)
        if num[0] in _CN_NUM and (num in ("一", "百", "千", "万") or cn_to_int(num) is None):
            continue
        if num[0] in _CN_NUM and m.start() > 0 and text[m.start() - 1] in "第统唯之":
            continue
        if m.start() > 0 and text[m.start() - 1] == "第":
            continue
        if not _free(spans, m.start(), m.end()):
            continue
        if num[0] in _CN_NUM and re.match(r"个(?:方面|问题|离不开|认同|与共|共同|维护|确立|意识|自信)",
                                           text[m.end(1):m.end(1) + 4]):
            continue
        out.append((m.start(1), m.end(1), num, m.start(3), m.end(3)))
    return out


def _new_number(num: str, rng: random.Random, up_only: bool) -> str:
    """Another number in the same script. With 余/约/近 only upwards, since a round number
    below the record (50余 for 52) would still be true."""
    if num[0] in _CN_NUM:
        value = cn_to_int(num)
        delta = rng.choice([1, 2, 3, 5]) * 10 ** max(0, len(str(value)) - 2)
        down = not up_only and value - delta > 0 and rng.random() < 0.5
        return cn_number(value - delta if down else value + delta)
    digits = [i for i, c in enumerate(num) if c.isdigit()]
    if up_only:  # raise the leading digit: 800余 → 900余, 9 → 10
        i = digits[0]
        d = int(num[i])
        return num[:i] + (str(rng.randint(d + 1, 9)) if d < 9 else "10") + num[i + 1:]
    i = rng.choice(digits)
    choices = [d for d in range(10) if d != int(num[i]) and not (d == 0 and i == 0)]
    return num[:i] + str(rng.choice(choices)) + num[i + 1:]


def _group(unit: str) -> str:
    return units().group.get(unit, unit)


# ---------------------------------------------------------------- generators

def gen_number(text, records, rng):
    for s, e, num, us, ue in number_sites(text):
        up = text[e:us] in ("余", "多") or text[max(0, s - 2):s].endswith(("约", "近", "逾", "超过"))
        new = _new_number(num, rng, up)
        yield _line_of(text, s), f"{num}→{new}", text[:s] + new + text[e:]




def _equivalent(text: str, records, num: str, old: str, new: str, s: int) -> bool:
    """开展活动11项 / 11次 both count the activities: swapping them plants no error."""
    value = cn_to_int(num) if num[0] in _CN_NUM else float(num) if "万" not in num else None
    return (old in ACTIVITY_UNITS and new in ACTIVITY_UNITS and value == len(records.activities)
            and "活动" in text[max(0, s - 12):s + 12])


def gen_measure_word(text, records, rng):
    for s, e, num, us, ue in number_sites(text):
        old = text[us:ue]
        pool = [u for u in _UNIT_POOL if _group(u) != _group(old) and not old.endswith(u)
                and not u.startswith(old) and not _equivalent(text, records, num, old, u, s)]
        new = rng.choice(pool)
        yield _line_of(text, s), f"{num}{old}→{num}{new}", text[:us] + new + text[ue:]


def gen_measure_swap(text, records, rng):
    sites = number_sites(text)
    for s, e, num, us, ue in sites:
        old = text[us:ue]
        others = sorted({text[a:b] for *_, a, b in sites if _group(text[a:b]) != _group(old)
                         and not text[a:b].startswith(old) and not old.startswith(text[a:b])
                         and not _equivalent(text, records, num, old, text[a:b], s)})
        if others:
            new = rng.choice(others)
            yield _line_of(text, s), f"{num}{old}→{num}{new}（本文他处的量词）", text[:us] + new + text[ue:]


@cache
def _all_units() -> tuple[str, ...]:
    """Every organising unit of every records file here: the pool another place's unit
    is drawn from."""
    pool: set[str] = set()
    for path in sorted((ROOT / "fixtures").glob("*.yaml")) + sorted((ROOT / "evals" / "handwritten").glob("*.yaml")):
        pool.update(u for a in load_records(path)[0].activities for u in a.units)
    return tuple(sorted(pool))


def gen_org_swap(text, records, rng):
    """A unit of this place replaced by another place's unit (the 范文 copied from
    elsewhere): expected as facts.entity, or consistency.place when its name says so."""
    mine = {u for a in records.activities for u in a.units} | set(records.aliases)
    mine |= {x for v in records.aliases.values() for x in v}
    for unit in sorted({u for a in records.activities for u in a.units if u in text}):
        others = [o for o in _all_units() if o not in mine and o not in text
                  and unit not in o and o not in unit]
        if not others:
            continue
        new = rng.choice(others)
        at = rng.choice([m.start() for m in re.finditer(re.escape(unit), text)])
        yield (_line_of(text, at), f"{unit}→{new}（另一地的单位）",
               text[:at] + new + text[at + len(unit):])


_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:(至|—)(?:(\d{1,2})月)?(\d{1,2})日)?")
_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def gen_date(text, records, rng):
    titles = [m.span() for m in re.finditer(r"《[^》]*》", text)]
    for m in _DATE.finditer(text):
        if not _free(titles, m.start(), m.end()):
            continue
        month = int(m.group(2))
        group = 6 if m.group(6) and rng.random() < 0.5 else 3
        day = int(m.group(group))
        mon = int(m.group(5) or month) if group == 6 else month
        options = [d for d in range(1, _MONTH_DAYS[mon - 1] + 1) if d != day and abs(d - day) <= 6]
        new_day = rng.choice(options)
        s, e = m.span(group)
        yield _line_of(text, m.start()), f"{m.group()}：{day}日→{new_day}日", text[:s] + str(new_day) + text[e:]


def gen_title_word(text, records, rng):
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
        yield _line_of(text, s), f"《{title}》→《{new}》", text[:s] + new + text[e:]


def gen_year(text, records, rng):
    for m in re.finditer(r"(?<!\d)(\d{4})年", text):
        year = int(m.group(1))
        if abs(year - records.year) > 1:
            continue
        new = year + rng.choice([-1, 1])
        s, e = m.span(1)
        before, after = text.rfind("《", 0, s), text.rfind("》", 0, s)
        inside_title = before > after
        line = _line_of(text, s)
        first_line = line == next(i for i, ln in enumerate(text.split("\n"), 1) if ln.strip())
        family = "facts.document" if inside_title else (
            "consistency.year" if first_line else (
                "facts.date" if re.match(r"\d{1,2}月", text[e + 1:e + 4]) else "consistency.year"))
        yield line, f"{year}年→{new}年", text[:s] + str(new) + text[e:], family


def gen_placeholder(text, records, rng):
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
        yield _line_of(text, s), f"{text[s:e]}→{mark}", text[:s] + mark + text[e:]


_HEADING = re.compile(r"(?m)^(?:#+\s*|\*\*)?([一二三四五六七八九十]+)、(.+?)(?:\*\*)?\s*$")


def _headings(text: str):
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in _HEADING.finditer(text)]


def gen_section_deleted(text, records, rng):
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


def gen_numbering(text, records, rng):
    heads = _headings(text)
    for i, (s, e, num, title) in enumerate(heads):
        if i == 0 and len(heads) > 1:
            continue
        n = cn_to_int(num)
        choice = rng.choice(["skip", "arabic", "paren"])
        new = {"skip": cn_number(n + 1) + "、", "arabic": f"{n}、", "paren": f"（{num}）、"}[choice]
        pos = text.index(num + "、", s)
        yield _line_of(text, s), f"“{num}、”→“{new}”", text[:pos] + new + text[pos + len(num) + 1:]


def gen_invented_total(text, records, rng):
    from pipeline.drafting.phrasing import level
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
    yield _line_of(text, m.start()), sentence, text[:m.end()] + sentence + text[m.end():]


GENERATORS = {
    "number": gen_number, "measure_word": gen_measure_word, "date": gen_date,
    "measure_swap": gen_measure_swap, "org_swap": gen_org_swap,
    "title_word": gen_title_word, "year": gen_year,
    "placeholder": gen_placeholder, "section_deleted": gen_section_deleted,
    "numbering": gen_numbering, "invented_total": gen_invented_total,
}


def mutants(drafts, seed: int, per_class: dict[str, int]) -> list[Mutant]:
    out: list[Mutant] = []
    for name, text, records in drafts:
        for cls, gen in GENERATORS.items():
            rng = random.Random(f"{seed}:{name}:{cls}")
            made = []
            for item in gen(text, records, rng):
                line, note, new = item[:3]
                family = item[3] if len(item) > 3 else CLASSES[cls]
                if new != text:
                    made.append(Mutant(cls, name, line, family, note, new))
            rng.shuffle(made)
            out += made[: per_class.get(cls, 3)]
    return out


def detected(m: Mutant, records: Records) -> tuple[bool, bool, list]:
    report = check(m.text, records)
    errors = [f for f in report.findings if f.severity == "error"]
    if m.line is None:
        return bool(errors), any(f.check == m.family for f in errors), errors
    at = [f for f in errors if f.line == m.line]
    return bool(at), any(f.check == m.family for f in at), errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20240901)
    ap.add_argument("--per-class", type=int, default=0, help="每类每篇最多几个变异（默认按类设定）")
    ap.add_argument("--show-missed", action="store_true", help="列出未检出的变异")
    ap.add_argument("--json", help="把逐条结果写入 JSON 文件")
    args = ap.parse_args(argv)
    per = {k: args.per_class for k in PER_CLASS} if args.per_class else PER_CLASS
    drafts = clean_drafts()
    by_name = {name: records for name, _, records in drafts}
    false_alarms = []
    for name, text, records in drafts:
        for f in check(text, records).findings:
            if f.severity == "error":
                false_alarms.append((name, f))
    ms = mutants(drafts, args.seed, per)
    table = defaultdict(lambda: [0, 0, 0])
    missed, rows = [], []
    for m in ms:
        hit, right, errors = detected(m, by_name[m.source])
        row = table[m.cls]
        row[0] += 1
        row[1] += hit
        row[2] += right
        rows.append({**{k: v for k, v in asdict(m).items() if k != "text"}, "detected": hit,
                     "right_family": right})
        if not hit:
            missed.append((m, errors))
    print(f"干净草稿 {len(drafts)} 篇，变异 {len(ms)} 个（seed={args.seed}）\n")
    print(f"{'错误类别':<16}{'期望检查':<22}{'变异':>6}{'检出':>6}{'检出率':>9}{'同类检出':>9}")
    total = [0, 0, 0]
    for cls in GENERATORS:
        n, hit, right = table.get(cls, [0, 0, 0])
        total = [total[0] + n, total[1] + hit, total[2] + right]
        rate = f"{hit / n:.1%}" if n else "-"
        print(f"{cls:<16}{CLASSES[cls]:<22}{n:>6}{hit:>6}{rate:>9}{right:>9}")
    print(f"{'合计':<16}{'':<22}{total[0]:>6}{total[1]:>6}{total[1] / max(total[0], 1):>9.1%}{total[2]:>9}")
    print(f"\n干净草稿上的错误（误报）：{len(false_alarms)}")
    for name, f in false_alarms:
        print(f"  {name} 第{f.line}行 [{f.check}] {f.message}")
    if args.show_missed:
        print("\n未检出：")
        for m, errors in missed:
            print(f"  [{m.cls}] {m.source} 第{m.line}行 {m.note}"
                  + (f"（其他行的错误：{[(f.line, f.check) for f in errors][:3]}）" if errors else ""))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "false_alarms": len(false_alarms)},
                                              ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
