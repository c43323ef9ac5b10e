"""The draft as the facts.* families read it: lines, masks, sentences, and which activities
each sentence is about. Also the Claim every fact check produces.

A line is read once: headings lose their `#` marks, then the spans that are no facts of
their own are masked in a working copy of the same length (numbering 一、（一）1. 一是,
fixed formulations, 《titles》 and quotes, which have their own checks), so numbers found
afterwards are quantities and their columns still point into the line as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from pipeline.resources import load_yaml
from pipeline.checks import numbers as nb
from pipeline.checks.index import FactIndex, grams
from pipeline.text.titles import titles

SENTENCE_END = "。！？；!?;"
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]、?|\d+[、.．](?!\d)|[①-⑳])")
_INLINE_NUMBERING = re.compile(
    r"(?:(?<=^)|(?<=[，。；：:、\s]))(?:其|第)?[一二三四五六七八九十]+(?=是|要|、(?!\d))"
    r"|(?<=[：:。；])\d{1,2}[.．、](?!\d)"
    r"|[（(][一二三四五六七八九十\d]{1,2}[)）]|[①-⑳]")
_TIME = re.compile(r"(?:上午|下午|晚上|早上|中午)?\d{1,2}(?:[:：]\d{2}|[时点](?:\d{1,2}分|半)?)")
_QUOTE = re.compile(r"“([^“”]{1,60})”|「([^「」]{1,60})」|\"([^\"]{1,60})\"")
TITLE_SCORE = 0.6  # share of an activity's (rarity-weighted) title bigrams in a sentence


@dataclass
class Claim:
    family: str  # facts.number | facts.date | facts.entity | facts.document
    line: int  # 1-based
    start: int  # 0-based offset in the line
    end: int
    ok: bool
    message: str = ""
    records: list[str] = field(default_factory=list)
    severity: str = "error"
    rids: set = field(default_factory=set)  # activities this claim shows the draft covers


@dataclass
class Line:
    no: int  # 1-based
    raw: str
    work: list  # masked copy, char by char
    sentences: list  # (start, end) offsets
    ctx: list  # per sentence: rids the sentence is about (titles, quotes, dates, names)
    topic: list  # per sentence: rids by title or quote only (for dates)
    _starts: list | None = field(default=None, repr=False, compare=False)  # sentence starts, for bisection
    _marks: dict = field(default_factory=dict, repr=False, compare=False)  # pattern or word → (text, ends)
    per_sentence: dict = field(default_factory=dict, repr=False, compare=False)  # (what, sentence index) → value

    def text(self) -> str:
        return "".join(self.work)

    def mask(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.work[i] = nb.MASK

    def sentence_of(self, pos: int) -> int:
        # sentences tile the line in order, so the one holding pos is found by bisection
        if self._starts is None or len(self._starts) != len(self.sentences):
            self._starts = [s for s, _ in self.sentences]
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.sentences[i][1]:
            return i
        return len(self.sentences) - 1

    def mark_ends(self, pattern: re.Pattern, text: str) -> list[int]:
        """The ends of the pattern's matches in text (the line or its masked copy), listed
        once per line: checks that look back from each number bisect it instead of
        rescanning a long sentence from its start."""
        hit = self._marks.get(pattern)
        if hit is None or hit[0] is not text:
            hit = self._marks[pattern] = (text, [m.end() for m in pattern.finditer(text)])
        return hit[1]

    def last_mark(self, pattern: re.Pattern, text: str, start: int, pos: int) -> int:
        """Just after the last match of pattern (one character long) in text[start:pos],
        else start."""
        ends = self.mark_ends(pattern, text)
        i = bisect_right(ends, pos) - 1
        return ends[i] if i >= 0 and ends[i] > start else start

    def has(self, word: str, start: int, end: int) -> bool:
        """word in raw[start:end], from the word's positions in the line (listed once)."""
        hit = self._marks.get(word)
        if hit is None:
            at, i = [], self.raw.find(word)
            while i >= 0:
                at.append(i)
                i = self.raw.find(word, i + 1)
            hit = self._marks[word] = (self.raw, at)
        at = hit[1]
        i = bisect_left(at, start)
        return i < len(at) and at[i] + len(word) <= end

    def excerpt(self, start: int, end: int, pad: int = 8) -> str:
        return self.raw[max(0, start - pad):min(len(self.raw), end + pad)].strip()


@cache
def formulations() -> tuple[re.Pattern, frozenset, frozenset]:
    data = load_yaml("lexicon/formulations.yaml")
    texts = sorted({e["text"] for e in data["formulations"]}, key=len, reverse=True)
    alts = [re.escape(t) for t in texts] + [e["pattern"] for e in data.get("patterns", [])]
    nouns = frozenset(e["word"] for e in data.get("discourse_nouns", []))
    docs = frozenset(e["title"] for e in data.get("documents", []))
    return re.compile("|".join(alts)), nouns, docs


def split_sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, c in enumerate(text):
        if c in SENTENCE_END:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text) or not out:
        out.append((start, len(text)))
    return out


def read_lines(text: str) -> list[tuple[int, str]]:
    """(1-based number, line) for every line with text; `#` heading marks become spaces so
    columns stay those of the line as written."""
    out = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        m = re.match(r"\s*#+\s*", raw)
        if m:
            raw = " " * m.end() + raw[m.end():]
        out.append((no, raw.rstrip("\r")))
    return out


def mask_structure(line: Line) -> None:
    """Numbering and fixed formulations are no facts."""
    text = line.raw
    m = _NUMBERING.match(text)
    if m:
        line.mask(m.start(), m.end())
    for m in _INLINE_NUMBERING.finditer(text):
        line.mask(m.start(), m.end())
    for m in _TIME.finditer(text):  # 9时30分, 下午3点: times of day are no counts
        line.mask(m.start(), m.end())
    pattern, nouns, _ = formulations()
    for m in pattern.finditer(text):
        line.mask(m.start(), m.end())
    # 三个方面、两个问题: counts of the text's own parts
    for m in re.finditer(r"[一二两三四五六七八九十\d]+个(%s)" % "|".join(nouns), text):
        line.mask(m.start(), m.end())


def titles_and_quotes(line: Line):
    """Yield ('title'|'quote', start, end, inner) and mask them."""
    text = line.raw
    found = [("title", s, e, inner) for s, e, inner in titles(text)]
    starts = [s for _kind, s, _e, _inner in found]  # titles come in order and never overlap
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < found[i][2]:
            continue
        found.append(("quote", m.start(), m.end(), inner))
    for _kind, s, e, _inner in found:
        line.mask(s, e)
    return found


def titled(idx: FactIndex, sentence: str) -> set[str]:
    """The activities whose title (exact or most of its rare bigrams) the sentence has."""
    scores: dict[str, float] = {}
    for g in grams(sentence):
        for title, share in idx.title_post.get(g, ()):
            scores[title] = scores.get(title, 0.0) + share
    return {rid for title, score in scores.items() if score >= TITLE_SCORE - 1e-9
            for rid in idx.title_rids[title]}


def activity_topics(idx: FactIndex, sentence: str) -> set[str]:
    """The activities a sentence is about, by its title (exact or most of its rare bigrams)
    or by a quoted event name of the activity. When several activities share the title
    (开展民族团结主题征文活动 at five schools), the ones whose unit or place the sentence
    names win."""
    out = titled(idx, sentence)
    out |= {rid for q, rid in idx.quoted_acts if q in sentence}
    if len(out) > 1:
        canon = idx.canonical(sentence)
        named = {rid for rid in out if any(n in canon for n in idx.acts[rid].names if len(n) >= 2)}
        if named:
            out = named
    return out


def date_mentions(idx: FactIndex, line: Line, sent: tuple[int, int], year: int) -> set[str]:
    out = set()
    for d in nb.dates(line.raw[sent[0]:sent[1]]):
        if d.d1:
            day = nb.to_date(d.y1 or year, d.m1, d.d1)
            if day:
                out |= idx.day_rids.get(day, set())
    return out


def build_line(idx: FactIndex, no: int, raw: str) -> Line:
    sentences = split_sentences(raw)
    line = Line(no, raw, list(raw), sentences, [], [])
    prev: set[str] = set()
    for sent in sentences:
        text = raw[sent[0]:sent[1]]
        topic = activity_topics(idx, text)
        ctx = topic | date_mentions(idx, line, sent, idx.records.year)
        if not ctx:
            ctx = prev  # 备注 sentences follow the sentence that names the activity
        line.topic.append(topic)
        line.ctx.append(ctx)
        prev = ctx
    return line
