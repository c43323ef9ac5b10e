"""The `register` family (语体): punctuation, Markdown and English leftovers, first person
singular, colloquial words (warnings), and stale formulations judged against the
document's year (errors): “七五”普法 after 2020, 党的十九大精神 after 2022, 筑牢 for 铸牢.

Word lists are data: prompts/lexicon/{stale,colloquial,register}.yaml.
"""

from __future__ import annotations

import re

from pipeline.checks.consistency import document_year
from pipeline.checks.model import Context
from pipeline.checks.structure import (
    MARK,
    alternation,
    content_span,
    finding,
    inside,
    quoted_spans,
)
from pipeline.model.report import Finding
from pipeline.resources import load_yaml

CHECK = "register"
_CJK = r"\u4e00-\u9fff"

# ---------------------------------------------------------------- data

_STALE = [(re.compile(e["pattern"]), e) for e in load_yaml("lexicon/stale.yaml")]
_STALE_ANY = alternation([p.pattern for p, _ in _STALE])


def _colloquial() -> list[tuple[re.Pattern, dict]]:
    out = []
    for e in load_yaml("lexicon/colloquial.yaml"):
        pattern = e.get("pattern") or re.escape(e["text"])
        out.append((re.compile(pattern), e))
    return out


_COLLOQUIAL = _colloquial()
_COLLOQUIAL_ANY = alternation([p.pattern for p, _ in _COLLOQUIAL])
_LEX = load_yaml("lexicon/register.yaml")
_ME = re.compile(
    "(?<![%s])我(?!%s)" % ("".join(_LEX["first_person_ok_before"]),
                          "|".join(sorted(_LEX["first_person_ok_after"], key=len, reverse=True))))
_ME_PHRASES = re.compile("|".join(map(re.escape, _LEX["first_person_phrases"])))
_ENGLISH_LEFT = set(_LEX["english_leftovers"])
_ENGLISH_OK = set(_LEX["english_allowed"])

# ---------------------------------------------------------------- patterns

_HALF = re.compile(rf"(?<=[{_CJK}”’）》])[,;:?!]|[,;:?!](?=[{_CJK}“‘（《])")
_HALF_PAREN = re.compile(rf"\([^()]*[{_CJK}][^()]*\)")
_HALF_QUOTE = re.compile(rf'(?<=[{_CJK}，。；：、])"|"(?=[{_CJK}])')
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（）", '"': "“”"}
_DUN_QUOTES = re.compile(r'[”》"]、[“《"]')
_BOLD = re.compile(r"\*\*")
_HASH = re.compile(r"#")
_MD_HEAD = re.compile(r"^\s*#{1,6}\s")
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_CODE = re.compile(r"`+|</?(?:br|p|div|span|b|strong|em|i)\s*/?>", re.I)
_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z][A-Za-z'-]*(?![A-Za-z0-9_@/])")
_URLISH = re.compile(r"https?://[!-~]+|www\.[A-Za-z0-9.-]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_PAGE_NUMBER = re.compile(r"^[\s\-—－–]*\d{1,3}[\s\-—－–]*$|^[\s\-*_=—]{3,}$")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def _mark_span(line: str) -> tuple[int, int]:
    """The numbering mark at the start of the line (headings.numbering judges it)."""
    s, e = content_span(line)
    m = MARK.match(line, s)
    return (s, m.end()) if m else (s, s)


# ---------------------------------------------------------------- the family

def check_register(ctx: Context) -> list[Finding]:
    year = document_year(ctx)
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line.strip():
            continue
        quotes = quoted_spans(line) if ("“" in line or '"' in line or "《" in line
                                        or "‘" in line or "「" in line) else []
        if _STALE_ANY.search(line):
            out += _stale(line, i, year)
        out += _punctuation(line, i)
        out += _unpaired(line, i)
        out += _leftovers(line, i)
        if "我" in line:
            out += _first_person(line, i, quotes)
        if _COLLOQUIAL_ANY.search(line):
            out += _colloquial_words(line, i, quotes)
    return out


def _stale(line: str, i: int, year: int | None) -> list[Finding]:
    out = []
    for pattern, e in _STALE:
        until = e.get("valid_until")
        if until is not None and (year is None or year <= until):
            continue
        for m in pattern.finditer(line):
            when = f"（总结年份{year}年）" if until is not None else ""
            hit = m.group(0)
            shown = hit if hit[0] in "“\"‘" else f"“{hit}”"  # “七五”普法 keeps its own quotes
            out.append(finding(CHECK, e.get("severity", "error"), i, m.start() + 1, hit,
                               f"过时提法{shown}{when}：{e['reason']}，应为{e['replaced_by']}"))
    return out


def _punctuation(line: str, i: int) -> list[Finding]:
    out = []
    hits: list[tuple[int, str]] = []
    mark_s, mark_e = _mark_span(line)
    for m in _HALF.finditer(line):
        hits.append((m.start(), m.group(0)))
    if "(" in line:
        for m in _HALF_PAREN.finditer(line):
            if m.start() >= mark_e or m.start() < mark_s:
                hits.append((m.start(), "("))
    if '"' in line:
        for m in _HALF_QUOTE.finditer(line):
            hits.append((m.start(), '"'))
    if hits:
        hits.sort()
        kinds: dict[str, int] = {}
        for _, ch in hits:
            kinds[ch] = kinds.get(ch, 0) + 1
        listed = "、".join(f"“{ch}”{n}处" if n > 1 else f"“{ch}”" for ch, n in kinds.items())
        fixes = " ".join(_FULL[ch] for ch in kinds)
        out.append(finding(CHECK, "warning", i, hits[0][0] + 1, hits[0][1],
                           f"中文中使用了半角标点：{listed}，应改为全角标点（{fixes}）"))
    for m in _DUN_QUOTES.finditer(line):
        out.append(finding(CHECK, "warning", i, m.start() + 2, "、",
                           "并列的引号或书名号之间不用顿号"))
    return out


_BRACKETS = re.compile("[" + "".join(_PAIRS) + "".join(_CLOSERS) + "]")


def _unpaired(line: str, i: int) -> list[Finding]:
    stack: list[tuple[str, int]] = []
    for m in _BRACKETS.finditer(line):
        j, ch = m.start(), m.group(0)
        if ch in _PAIRS:
            stack.append((ch, j))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            elif ch == "’" and not stack:
                continue  # an apostrophe in English text
            else:
                return [finding(CHECK, "warning", i, j + 1, ch, f"“{ch}”没有对应的“{_CLOSERS[ch]}”")]
    if stack:
        ch, j = stack[0]
        return [finding(CHECK, "warning", i, j + 1, ch, f"“{ch}”没有对应的“{_PAIRS[ch]}”")]
    return []


def _leftovers(line: str, i: int) -> list[Finding]:
    out = []
    if "**" in line:
        s, e = content_span(line)
        whole = line.lstrip().startswith(("**", "#")) and line.rstrip().endswith("**") \
            and line.count("**") == 2
        if not whole:
            m = _BOLD.search(line)
            out.append(finding(CHECK, "warning", i, m.start() + 1, "**", "Markdown 加粗符号“**”残留"))
    if "#" in line:
        start = _MD_HEAD.match(line).end() if _MD_HEAD.match(line) else 0
        urls = [u.span() for u in _URLISH.finditer(line)]
        m = next((h for h in _HASH.finditer(line, start) if not any(a <= h.start() < b for a, b in urls)),
                 None)
        if m:
            out.append(finding(CHECK, "warning", i, m.start() + 1, "#", "Markdown 符号“#”残留"))
    if "](" in line:
        for m in _LINK.finditer(line):
            out.append(finding(CHECK, "warning", i, m.start() + 1, m.group(0), "Markdown 链接残留"))
    if "`" in line or "<" in line:
        m = _CODE.search(line)
        if m:
            out.append(finding(CHECK, "warning", i, m.start() + 1, m.group(0), f"代码或网页标记“{m.group(0)}”残留"))
    if not _HAS_CJK.search(line):
        text = line.strip()
        if len(text) >= 2 and not _PAGE_NUMBER.match(text):
            out.append(finding(CHECK, "warning", i, line.index(text[0]) + 1, text[:20],
                               "这一行没有中文，疑为复制网页或文档时的残留"))
        return out
    if re.search("[A-Za-z]", line):
        urls = [m.span() for m in _URLISH.finditer(line)]
        for m in _WORD.finditer(line):
            w = m.group(0)
            if any(a <= m.start() < b for a, b in urls) or w in _ENGLISH_OK:
                continue
            if w in _ENGLISH_LEFT or (len(w) >= 3 and not w.isupper() and not re.fullmatch(r"[A-Z][A-Z0-9]*s?", w)):
                out.append(finding(CHECK, "warning", i, m.start() + 1, w, f"英文“{w}”残留，公文应使用中文"))
    return out


def _first_person(line: str, i: int, quotes: list[tuple[int, int]]) -> list[Finding]:
    out = []
    phrases = [m.span() for m in _ME_PHRASES.finditer(line)]
    for m in _ME.finditer(line):
        s = m.start()
        if inside(quotes, s, s + 1) or any(a <= s < b for a, b in phrases):
            continue
        out.append(finding(CHECK, "warning", i, s + 1, "我",
                           "工作总结不用第一人称单数“我”，宜用“我们”或“我县（区）”等"))
        break  # one per line is enough
    return out


def _colloquial_words(line: str, i: int, quotes: list[tuple[int, int]]) -> list[Finding]:
    out = []
    for pattern, e in _COLLOQUIAL:
        for m in pattern.finditer(line):
            s, t = m.span()
            if inside(quotes, s, t):
                continue
            if any(_covers(line, s, t, x) for x in e.get("except", [])):
                continue
            out.append(finding(CHECK, "warning", i, s + 1, m.group(0),
                               f"口语化表达“{m.group(0)}”：{e['reason']}"))
    return out


def _covers(line: str, s: int, t: int, word: str) -> bool:
    """An exception word (野蛮) stands in the line around the hit (蛮)."""
    hit = line[s:t]
    k = word.find(hit)
    while k != -1:
        if line[s - k:s - k + len(word)] == word:
            return True
        k = word.find(hit, k + 1)
    return False
