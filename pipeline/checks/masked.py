"""The residue.masked family: text a 范文 copy leaves masked or unfilled, which the
residue.placeholder patterns do not see because it looks like ordinary text.

- numbers masked with *: *月**日, 示范点*个 (a Markdown ** pair is bold, not a mask);
- a Latin x or X for a number or a name before a measure word or a level word: 选派x名,
  召开推进会x次, x县 (the forms residue.placeholder already reports are left to it);
- empty numbered items: a line that is only “2、”, or “2、3、开展了”;
- text pasted twice back to back: 活动在欢快的乐曲声中启动活动在欢快的乐曲声中拉开序幕;
- a title mixing two campaign names (宣传月 … 教育月).
Every hit is an error: the draft cannot be sent with it. Needs no records.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.checks.model import Context
from pipeline.checks.numbers import units
from pipeline.checks.structure import content_span, finding, title_index
from pipeline.model.report import Finding

FAMILY = "residue.masked"
_LEVELS = "自治县|自治旗|县|区|市|镇|乡|村|街道|社区|旗|州|省|嘎查|苏木"
# What residue.placeholder's X月X日 pattern already reports after an x.
_PLACEHOLDER_NEXT = set("年月日届次名人户场个份期批")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_HEAD = r"^\s*(?:#+\s*)?(?:\*\*)?"  # Markdown heading marks and bold around the item
_EMPTY_ITEM = re.compile(rf"{_HEAD}(?:{_NUM}[、.．]|[（(]{_NUM}[）)])\s*(?:\*\*)?\s*$")
_TWO_MARKS = re.compile(rf"^\s*({_NUM})[、.．]\s*({_NUM})[、.．]")
_DANGLING = re.compile(rf"{_HEAD}(?:{_NUM}[、.．]|[（(]{_NUM}[）)])\s*[\u4e00-\u9fff]{{1,4}}了\s*[。；]?\s*(?:\*\*)?\s*$")
_CAMPAIGN_MONTHS = ("宣传月", "教育月", "活动月")
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
# A run of 8–40 characters repeated at once or after a word of up to four (启动活动…
# 启动, the second copy edited): bounded, so the regex costs O(40·5·n) per line.
_SQUARE = re.compile(r"([^\n]{8,40})([^\n]{0,4}?)\1")


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    words = "|".join(map(re.escape, units().words))
    star = re.compile(rf"(?<![*\s])\*{{1,2}}(?=[年月日]|(?:余|多)?(?:{words}))|(?<=[年月])\*{{1,2}}(?=[月日])")
    latin = re.compile(rf"(?<![A-Za-z0-9])[xX](?![A-Za-z0-9])(?=(?:余|多)?(?:{words}|{_LEVELS}))")
    return star, latin


def _stars(i: int, line: str, out: list[Finding]) -> None:
    star, _ = _patterns()
    bold = len(re.findall(r"\*\*", line))
    for m in star.finditer(line):
        # **加粗** pairs: a ** opening a bold span is followed by its closing pair.
        if m.group() == "**" and bold % 2 == 0 and "**" in line[m.end():] and not line[m.end()] in "月日":
            continue
        out.append(finding(FAMILY, "error", i, m.start() + 1, line[max(0, m.start() - 2):m.end() + 2],
                           f"数字被“*”遮盖，应填写实际内容：“{line[max(0, m.start() - 2):m.end() + 1]}”"))


def _latin(i: int, line: str, out: list[Finding]) -> None:
    _, latin = _patterns()
    for m in latin.finditer(line):
        nxt = line[m.end()] if m.end() < len(line) else ""
        if nxt in _PLACEHOLDER_NEXT:
            continue  # residue.placeholder reports it
        prev = line[m.start() - 1] if m.start() else ""
        if not (_CJK.match(prev) or prev in "，、。；：（(“ \t" or not prev):
            continue
        piece = line[m.start():m.end() + 2]
        out.append(finding(FAMILY, "error", i, m.start() + 1, piece,
                           f"字母“{m.group()}”代替了数字或名称，应填写实际内容：“{piece}”"))


def _items(i: int, line: str, out: list[Finding]) -> None:
    if _EMPTY_ITEM.match(line) or _DANGLING.match(line):
        out.append(finding(FAMILY, "error", i, 1, line.strip(), f"条目没有内容：“{line.strip()}”"))
        return
    m = _TWO_MARKS.match(line)
    if m and not re.match(r"[\d一二三四五六七八九十]*[月日年号季]", line[m.end():]):
        out.append(finding(FAMILY, "error", i, m.start(1) + 1, m.group().strip(),
                           f"条目“{m.group(1)}”没有内容，紧接着就是下一条“{m.group(2)}”"))


def _repeats(i: int, line: str, out: list[Finding]) -> None:
    seen: set[int] = set()
    prev = ""
    for m in _SENTENCE.finditer(line):
        sentence = m.group().strip()
        # A sentence pasted again, whole or its tail (…，柳溪县坚持…。的通知》要求，柳溪县坚持…。)
        again = sentence == prev or (prev.endswith(sentence) and len(_CJK.findall(sentence)) >= 12)
        if sentence and again and len(_CJK.findall(sentence)) >= 6:
            seen.add(m.start())
            out.append(finding(FAMILY, "error", i, m.start() + 1, sentence[:20],
                               f"同一句话连写了两遍：“{sentence[:20]}”"))
        prev = sentence
    for m in _SQUARE.finditer(line):
        unit = m.group(1)
        # With a word between the copies, a name may stand twice (县民宗局在县民宗局会议室).
        listed = "、" in unit and "，" not in unit  # A、B、A、B: units listed one by one, within a clause
        if len(_CJK.findall(unit)) < (10 if m.group(2) else 6) or listed or any(m.start() <= s < m.end() for s in seen):
            continue
        out.append(finding(FAMILY, "error", i, m.end(2) + 1, unit,
                           f"文字重复粘贴：“{unit}”紧接着又出现一次"))


def _title_mix(ctx: Context, out: list[Finding]) -> None:
    t = title_index(ctx.lines)
    if t is None:
        return
    s, e = content_span(ctx.lines[t])
    title = ctx.lines[t][s:e]
    names = [w for w in _CAMPAIGN_MONTHS if w in title]
    if len(names) >= 2:
        out.append(finding(FAMILY, "error", t, title.index(names[1]) + s + 1, title,
                           f"标题中混用了“{names[0]}”和“{names[1]}”，应统一为记录中的活动名称"))


def check_masked(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line.strip():
            continue
        if "*" in line:
            _stars(i, line, out)
        if "x" in line or "X" in line:
            _latin(i, line, out)
        _items(i, line, out)
        _repeats(i, line, out)
    _title_mix(ctx, out)
    return out
