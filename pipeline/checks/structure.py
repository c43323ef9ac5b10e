"""headings.required, and the small readers of a draft's shape that the numbering,
consistency and register families share: which line is the title, which lines are
headings (standalone `## 一、…`, plain `一、…`, bold `**一、…**`, run-in
`（一）高位推动。正文…`), and where the quoted spans are.

Numbering follows GB/T 9704: 一、 → （一） → 1. → （1）; headings.numbering is in numbering.py.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass

from pipeline.checks.model import Context
from pipeline.model.records import Records
from pipeline.model.report import Finding
from pipeline.text.numerals import CN_NUMERAL, cn_to_int

# ---------------------------------------------------------------- shared readers

# Markdown heading marks and bold wrappers around a line's content.
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+)?(?:\*\*|__)?\s*")
_TRAIL = re.compile(r"\s*(?:\*\*|__)?\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__).+(?:\*\*|__)\s*$")

# A numbering mark at the start of a line's content. Group names: level a–d, then ok/bad.
MARK = re.compile(
    rf"(?P<a>(?P<an>{CN_NUMERAL})(?P<asep>、|[.．](?!\d)))"
    rf"|(?P<b>(?P<bo>[（(])(?P<bn>{CN_NUMERAL})(?P<bc>[）)])(?P<bsep>[、.．，,]?))"
    r"|(?P<d>(?P<do>[（(])(?P<dn>\d{1,2})(?P<dc>[）)])(?P<dsep>[、.．，,]?))"
    r"|(?P<c>(?P<cn>\d{1,2})(?P<csep>[.．](?!\d)|、|[）)]))"
)


def content_span(line: str) -> tuple[int, int]:
    """The line without Markdown heading marks and bold wrappers: (start, end) offsets."""
    start = _LEAD.match(line).end()
    end = _TRAIL.search(line, start).start()
    return start, max(start, end)


def title_index(lines: list[str]) -> int | None:
    """The 0-based index of the title: the first non-empty line when it reads like one
    (short, no sentence end); a Markdown `#` heading always does."""
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        s, e = content_span(line)
        text = line[s:e]
        if MARK.match(text):  # 一、… is a heading, not the title
            return None
        if line.lstrip().startswith("# ") or (len(text) <= 60 and not text.rstrip().endswith(("。", "；"))
                                             and "。" not in text):
            return i
        return None
    return None


@dataclass
class Heading:
    index: int  # 0-based line index
    column: int  # 1-based column of the mark (or of the text when unnumbered)
    level: int | None  # 0 一、 1 （一） 2 1. 3 （1）; None: an unnumbered heading line
    number: int | None
    mark: str  # the mark as written: “一、” “(一)” “1、”
    good: bool  # the mark is written the standard way
    text: str  # the heading text (a run-in heading: up to the first 。：)
    standalone: bool  # the whole line is the heading


_RUN_IN_END = re.compile(r"[。：:！？!?；;]")
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:]")


def headings(lines: list[str], skip: int | None = None) -> list[Heading]:
    """Every numbered line (standalone or run-in), plus unnumbered heading lines
    (Markdown `#`, whole-line bold, or a short line with no sentence punctuation)."""
    out: list[Heading] = []
    for i, line in enumerate(lines):
        if i == skip or not line.strip():
            continue
        s, e = content_span(line)
        content = line[s:e]
        m = MARK.match(content)
        if m:
            kind = next(k for k in "abcd" if m.group(k))
            level = "abcd".index(kind)
            raw = m.group(kind + "n")
            number = cn_to_int(raw) if kind in "ab" else int(raw)
            good = {
                "a": m.group("asep") == "、",
                "b": m.group("bo") == "（" and m.group("bc") == "）" and not m.group("bsep"),
                "c": m.group("csep") in (".", "．"),
                "d": m.group("do") == "（" and m.group("dc") == "）" and not m.group("dsep"),
            }[kind]
            if kind == "c" and m.group("csep") in ")）":  # 1） is a parenthesised number
                level = 3
            rest = content[m.end():]
            cut = _RUN_IN_END.search(rest)
            text = (rest[: cut.start()] if cut else rest).strip()
            standalone = cut is None or cut.end() >= len(rest.rstrip())
            out.append(Heading(i, s + 1, level, number, m.group(0), good, text, standalone))
            continue
        if _MD_HEADING.match(line) or _BOLD_LINE.match(line) or (
                len(content) <= 30 and not _SENTENCE_PUNCT.search(content)):
            out.append(Heading(i, s + 1, None, None, "", True, content.strip(), True))
    return out


_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
_QUOTE_CHARS = re.compile('[“”‘’「」『』《》"]')


def quoted_spans(line: str) -> list[tuple[int, int]]:
    """Spans inside “…” ‘…’ 「…」 《…》 and half-width "…" pairs (the marks included)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    ascii_open: int | None = None
    for m in _QUOTE_CHARS.finditer(line):
        i, ch = m.start(), m.group(0)
        if ch in _QUOTE_PAIRS:
            stack.append((_QUOTE_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch == '"':
            if ascii_open is None:
                ascii_open = i
            else:
                spans.append((ascii_open, i + 1))
                ascii_open = None
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


class Covered:
    """inside() for many questions about one set of spans: sorted once, then each question
    is a bisection (a long line's thousands of names asked a list that grew with them)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []  # the furthest end among the spans up to each one
        for _, e in ordered:
            self._reach.append(max(e, self._reach[-1]) if self._reach else e)

    def __call__(self, start: int, end: int) -> bool:
        k = bisect_right(self._starts, start) - 1
        return k >= 0 and self._reach[k] >= end


def recorded_strings(records: Records | None) -> list[str]:
    """Every text a draft may quote from its records: names, places, titles, notes."""
    if records is None:
        return []
    out = [records.county, records.campaign, records.author or ""]
    for b in records.basis:
        out += [b.issuer, b.title]
    for s in records.outline or []:
        out += [s.heading or "", s.brief or ""]
    for name, alts in records.aliases.items():
        out += [name, *alts]
    for a in records.activities:
        out += [*a.units, a.title, a.place or "", *a.documents, *a.media, a.note or ""]
        out += [f.what for f in a.figures]
    out += [f.what for f in records.totals] + list(records.problems) + list(records.plans)
    return [s for s in dict.fromkeys(out) if s]


def in_recorded(line: str, start: int, end: int, strings: list[str]) -> bool:
    """Whether line[start:end] lies inside an occurrence of a recorded string."""
    span = line[start:end]
    for s in strings:
        if span not in s or len(s) > len(line):
            continue
        pos = line.find(s)
        while pos != -1:
            if pos <= start and end <= pos + len(s):
                return True
            pos = line.find(s, pos + 1)
    return False


def alternation(patterns: list[str]) -> re.Pattern:
    """One regex for many word-list patterns: `(?P<p0>…)|(?P<p1>…)|…`, led by a lookahead
    on the characters a hit can start with when those can be worked out. Python's re
    tries every branch at every position otherwise, which costs ten times as much."""
    body = "|".join(f"(?P<p{i}>{p})" for i, p in enumerate(patterns))
    firsts = first_chars(body)
    if not firsts:
        return re.compile(body)
    gate = "".join(re.escape(ch) for ch in sorted(firsts))
    return re.compile(f"(?=[{gate}])(?:{body})")


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of the pattern can begin with, or None when that is not a
    small known set (a pattern may start with \\s, ., [^…], or match the empty string)."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:  # pragma: no cover - a Python without the private parser
        return None

    class Unknown(Exception):
        pass

    def seq(items) -> tuple[set[str], bool]:
        acc: set[str] = set()
        for op, av in items:
            chars, nullable = elem(op, av)
            acc |= chars
            if not nullable:
                return acc, False
        return acc, True

    def elem(op, av) -> tuple[set[str], bool]:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            out: set[str] = set()
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] <= 512:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                else:
                    raise Unknown
            return out, False
        if op is c.BRANCH:
            out, nullable = set(), False
            for branch in av[1]:
                chars, n = seq(branch)
                out |= chars
                nullable |= n
            return out, nullable
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            chars, n = seq(av[2])
            return chars, av[0] == 0 or n
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True
        raise Unknown

    try:
        chars, nullable = seq(_parser.parse(pattern))
    except (Unknown, re.error, TypeError, ValueError, IndexError):
        return None
    return None if nullable else chars


def finding(check: str, severity: str, index: int, column: int, excerpt: str, message: str,
            records: list[str] | None = None) -> Finding:
    return Finding(check=check, severity=severity, line=index + 1, column=column, excerpt=excerpt,
                   message=message, records=records or [])


# ---------------------------------------------------------------- headings.required

_PROBLEMS = re.compile(r"存在的?(?:主要)?问题|问题(?:和|与|及)不足|不足(?:之处|和问题|与问题)|存在不足|"
                       r"困难和问题|问题和困难|短板|薄弱环节")
# The heading of the 下一步工作打算 section; consistency.year lets next year stand below it.
PLANS_HEADING = re.compile(r"下一步|下步|工作打算|工作计划|工作思路|今后(?:的)?工作|明年|努力方向|工作展望|"
                           r"(?:19|20)\d\d年(?:工作)?(?:打算|安排|计划|思路|重点)")


def _norm_heading(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip("。.")


def _text_col(lines: list[str], h: Heading) -> int:
    return max(lines[h.index].find(h.text), 0) + 1 if h.text else h.column


def _last_line(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i
    return 0


def check_required(ctx: Context) -> list[Finding]:
    records = ctx.records
    lines = ctx.lines
    hs = headings(lines, title_index(lines))
    out: list[Finding] = []
    found: dict[int, Heading] = {}  # outline position → heading
    fixed = [(i, s) for i, s in enumerate(records.outline or []) if s.heading]
    used: set[int] = set()
    for pos, section in fixed:
        want = _norm_heading(section.heading)
        for h in hs:
            if h.index in used:
                continue
            if _norm_heading(h.text) == want or (not h.standalone and _norm_heading(h.text).startswith(want)):
                found[pos] = h
                used.add(h.index)
                break
    # order: each found heading must come after the one before it in the outline
    last_idx, last_heading = -1, ""
    for pos, section in fixed:
        h = found.get(pos)
        if h is None:
            continue
        if h.index < last_idx:
            out.append(finding("headings.required", "error", h.index, _text_col(lines, h), h.text,
                               f"小标题“{section.heading}”的顺序与记录的提纲不一致：应排在“{last_heading}”之后"))
        else:
            last_idx, last_heading = h.index, section.heading
    for n, (pos, section) in enumerate(fixed):
        if pos in found:
            continue
        # a heading near it in wording is the one to fix
        free = [h for h in hs if h.index not in used and h.level in (0, 1, None) and h.text]
        close = max(free, key=lambda h: difflib.SequenceMatcher(None, h.text, section.heading).ratio(),
                    default=None)
        if close and difflib.SequenceMatcher(None, close.text, section.heading).ratio() >= 0.6:
            used.add(close.index)
            out.append(finding("headings.required", "error", close.index, _text_col(lines, close), close.text,
                               f"小标题应与记录一致：应为“{section.heading}”，草稿为“{close.text}”"))
            continue
        later = [found[p].index for p, _ in fixed[n + 1:] if p in found]
        where = min(later) if later else _last_line(lines)
        out.append(finding("headings.required", "error", where, 1, lines[where].strip()[:20],
                           f"缺少记录规定的小标题“{section.heading}”（提纲第{pos + 1}节，key: {section.key}）"))
    # 存在的问题 / 下一步工作打算: required whenever the records carry them
    fixed_keys = {s.key for _, s in fixed}
    texts = [(h, h.text) for h in hs]
    if not any(h.level is not None for h in hs):  # a 信息/简报 without headings: paragraphs open the parts
        texts = [(None, ln.strip()[:12]) for ln in lines if ln.strip()]
    plans_at = next((h.index for h, t in texts if h is not None and PLANS_HEADING.search(t)), None)
    for key, items, pattern, name in (("problems", records.problems, _PROBLEMS, "存在的问题"),
                                      ("plans", records.plans, PLANS_HEADING, "下一步工作打算")):
        if not items or key in fixed_keys:
            continue
        if any(pattern.search(t) for _, t in texts):
            continue
        where = plans_at if key == "problems" and plans_at is not None else _last_line(lines)
        out.append(finding("headings.required", "error", where, 1, lines[where].strip()[:20],
                           f"记录中有{name}（{len(items)}条），草稿缺少“{name}”一节",
                           [f"{key}[{i}]" for i in range(len(items))]))
    return out
