"""Error classes of what real 范文 copies contain (issue 13): an outlet or a place the
records do not have, the place's level word, numbers masked with * or a Latin x, emptied
numbered items, text pasted twice, a campaign ordinal that does not fit the year.

Same contract as pipeline.evals.mutation.generators: `gen(text, records, rng, foreign)`
yields (line, note, mutated text[, expected family]), every choice from `rng`.
"""

from __future__ import annotations

import re

from pipeline.checks.campaign import campaigns
from pipeline.evals.mutation.sites import free, line_of, masked_spans, number_sites
from pipeline.text import places

_OUTLETS = ["学习强国", "人民网", "新华网", "央视网", "中国民族报", "光明网", "今日头条", "中国新闻网",
            "澎湃新闻", "天山网", "青川日报", "省广播电视台", "市电视台", "腾讯新闻"]
_PLACES = ["青石镇", "白沙乡", "龙潭村", "金桥社区", "东风街道", "柳河镇", "杏林村", "红星社区", "下坝乡",
           "松涛街道", "鹤鸣村", "桃源社区"]
_WRONG_LEVEL = {"自治县": "自治旗", "自治旗": "自治县", "联合旗": "县", "街道": "镇", "县": "区",
                "区": "县", "旗": "县", "市": "县", "镇": "乡", "乡": "镇"}
_MEDIA_VERB = re.compile(r"(?:等(?:媒体|平台|主流媒体)?)?(?:进行了?(?:宣传)?报道|予以报道|同步推送|刊发|转载|播发)")
_ACT = re.compile(r"在([^，。；、在\n]{2,20}?)(?=开展|举办|召开|举行|组织)")
_DATE_SLOT = re.compile(r"(?<![\d年])\d{1,2}月\d{1,2}日，")
_SENTENCE = re.compile(r"[^。；\n]{12,120}[。；]")
_ITEM = re.compile(r"(?m)^((?:#+\s*)?(?:\*\*)?(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]))"
                   r"([^\n]+)$")


def _recorded(records) -> str:
    parts = [records.county, records.campaign, records.author or ""]
    for a in records.activities:
        parts += [*a.units, a.title, a.place or "", *a.media, a.note or "", *a.documents]
    return "\n".join(parts)


def _unused(pool: list[str], text: str, records, stem_len: int = 2) -> list[str]:
    known = _recorded(records) + text
    return [p for p in pool if p[:stem_len] not in known]


def _body(text: str, m: re.Match) -> bool:
    return not text[text.rfind("\n", 0, m.start()) + 1:].startswith("#")


def gen_invented_outlet(text, records, rng, foreign):
    pool = _unused(_OUTLETS, text, records)
    for m in _MEDIA_VERB.finditer(text):
        new = rng.choice(pool)
        head = text.rfind("，", 0, m.start()) + 1
        if m.start() - head > 40 or head == 0:
            continue
        yield line_of(text, m.start()), f"{new}（记录中没有的媒体）", text[:head] + new + "、" + text[head:], \
            "facts.entity"
    sents = [m for m in _SENTENCE.finditer(text) if _body(text, m) and "报道" not in m.group()]
    for m in rng.sample(sents, min(3, len(sents))):
        new = rng.choice(pool)
        add = f"{new}{rng.choice(['进行了报道', '同步推送', '予以转载', '刊发了活动消息'])}。"
        yield line_of(text, m.end()), f"插入“{add}”", text[:m.end()] + add + text[m.end():], "facts.entity"


def gen_invented_place(text, records, rng, foreign):
    pool = _unused(_PLACES, text, records)
    spans = masked_spans(text)
    for m in _ACT.finditer(text):
        if not free(spans, m.start(), m.end()):
            continue
        new = rng.choice(pool)
        s, e = m.span(1)
        yield line_of(text, s), f"{m.group(1)}→{new}（记录中没有的地点）", text[:s] + new + text[e:], "facts.entity"
    for m in _DATE_SLOT.finditer(text):
        new = rng.choice(pool)
        yield line_of(text, m.end()), f"{new}（记录中没有的地点作为承办者）", \
            text[:m.end()] + new + "联合" + text[m.end():], "facts.entity"
    # A recorded village or community swapped for another, wherever it stands (金桥社区、镇政府…).
    villages = [p for p in pool if p.endswith(("村", "社区", "嘎查"))]
    recorded = {n for a in records.activities for n in [*a.units, a.place or ""]
                if n.endswith(("村", "社区", "嘎查")) and n in text}
    for name in sorted(recorded):
        at = rng.choice([m.start() for m in re.finditer(re.escape(name), text)])
        new = rng.choice(villages)
        yield line_of(text, at), f"{name}→{new}（记录中没有的村、社区）", text[:at] + new + text[at + len(name):], \
            "facts.entity"


def gen_level_word(text, records, rng, foreign):
    hit = places.split_level(records.county, need_stem=True)
    if not hit or len(hit[0]) < 2:
        return
    stem, suffix = hit
    wrong = stem + _WRONG_LEVEL[suffix]
    lines = text.split("\n")
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    ends = set(filled[:1] + filled[-3:])  # the title and the signature
    for m in re.finditer(re.escape(records.county), text):
        line = line_of(text, m.start())
        if line - 1 in ends or rng.random() < 0.3:
            yield line, f"{records.county}→{wrong}", text[:m.start()] + wrong + text[m.end():], "consistency.level"


def gen_masked_number(text, records, rng, foreign):
    for s, e, num, us, ue in number_sites(text):
        mask = rng.choice(["*", "**", "*" * len(num)])
        yield line_of(text, s), f"{num}→{mask}", text[:s] + mask + text[e:], "residue.masked"
    spans = [m.span() for m in re.finditer(r"《[^》]*》", text)]
    for m in re.finditer(r"(?<![\d年])(\d{1,2})月(\d{1,2})日", text):
        if not free(spans, m.start(), m.end()):
            continue
        new = rng.choice(["*月**日", f"{m.group(1)}月**日", "**月**日"])
        yield line_of(text, m.start()), f"{m.group()}→{new}", text[:m.start()] + new + text[m.end():], \
            "residue.masked"


def gen_latin_x(text, records, rng, foreign):
    for s, e, num, us, ue in number_sites(text):
        x = rng.choice("xX")
        yield line_of(text, s), f"{num}→{x}", text[:s] + x + text[e:], "residue.masked"
    hit = places.split_level(records.county, need_stem=True)
    if hit and len(hit[0]) >= 2:
        for m in re.finditer(re.escape(records.county), text):
            new = rng.choice("xX") + hit[1]
            yield line_of(text, m.start()), f"{records.county}→{new}", text[:m.start()] + new + text[m.end():], \
                "residue.masked"


def gen_empty_items(text, records, rng, foreign):
    for m in _ITEM.finditer(text):
        s, e = m.span(2)
        new = rng.choice(["", "开展了", "组织了"])
        yield line_of(text, s), f"条目“{m.group(1).strip('#* ')}”内容被删去", text[:s] + new + text[e:], \
            "residue.masked"


def gen_duplicate(text, records, rng, foreign):
    for m in _SENTENCE.finditer(text):
        if not _body(text, m):
            continue
        sentence = m.group()
        if rng.random() < 0.5:
            yield line_of(text, m.start()), f"“{sentence[:12]}…”连写两遍", \
                text[:m.end()] + sentence + text[m.end():], "residue.masked"
        else:
            k = rng.randint(10, min(16, len(sentence) - 2))
            while k < len(sentence) - 2 and len(re.findall(r"[\u4e00-\u9fff]", sentence[:k])) < 8:
                k += 1  # 9月3日至28日，旗: a pasted prefix is words, not a date
            yield line_of(text, m.start()), f"“{sentence[:k]}”重复粘贴", \
                text[:m.start()] + sentence[:k] + text[m.start():], "residue.masked"


def gen_campaign_ordinal(text, records, rng, foreign):
    table = campaigns()
    for m in re.finditer(r"第(\d{1,3})个", text):
        tail = text[m.end():m.end() + 14]
        if not re.match(r"[\u4e00-\u9fff]{0,12}?(?:宣传月|活动月|教育月)", tail):
            continue
        n = int(m.group(1))
        new = n + rng.choice([-2, -1, 1, 2])
        s, e = m.span(1)
        yield line_of(text, s), f"第{n}个→第{new}个", text[:s] + str(new) + text[e:], "consistency.campaign"
    paras = [m for m in re.finditer(r"(?m)^[^#\n*（(一二三四五六七八九十\d].{30,}。$", text)]
    if not paras or not table:
        return
    c = rng.choice(table)
    wrong = c.ordinal(records.year) + rng.choice([-3, -1, 1, 4])
    sentence = f"{records.year}年是{c.region}第{wrong}个{c.campaign}。"
    m = paras[0]
    yield line_of(text, m.start()), sentence, text[:m.end()] + sentence + text[m.end():], "consistency.campaign"


GENERATORS = {
    "invented_outlet": gen_invented_outlet, "invented_place": gen_invented_place,
    "level_word": gen_level_word, "masked_number": gen_masked_number, "latin_x": gen_latin_x,
    "empty_items": gen_empty_items, "duplicate": gen_duplicate, "campaign_ordinal": gen_campaign_ordinal,
}
CLASSES = {"invented_outlet": "facts.entity", "invented_place": "facts.entity", "level_word": "consistency.level",
           "masked_number": "residue.masked", "latin_x": "residue.masked", "empty_items": "residue.masked",
           "duplicate": "residue.masked", "campaign_ordinal": "consistency.campaign"}
PER_CLASS = {"invented_outlet": 3, "invented_place": 3, "level_word": 2, "masked_number": 3, "latin_x": 3,
             "empty_items": 2, "duplicate": 3, "campaign_ordinal": 1}
