"""The style.* families that read the draft alone (no records needed): a noun echoed before
a number, a subject located in itself, and repeats (a clause twice in a row, an item twice
in one 、 list, a sentence twice in the draft).

A careful reader always sends back a clause pasted twice in a row and an item listed twice:
those are errors. The rest are warnings: a hand-written text may have reasons.
Word lists: prompts/lexicon/style.yaml.
"""

from __future__ import annotations

import re

from pipeline.checks.model import Context
from pipeline.checks.numbers import quantities
from pipeline.checks.structure import finding
from pipeline.checks.style_text import (
    SENTENCE_STOPS,
    Piece,
    cjk_len,
    is_cjk,
    lexicon,
    list_items,
    quoted_mask,
    split_line,
)
from pipeline.model.report import Finding
from pipeline.text.echo import echoed_after_count, object_again, pieces_said
from pipeline.text.places import level_of

# A clause longer than this is not searched for a paste inside it (the search is quadratic
# in the clause; real clauses are far shorter).
_MAX_PASTE_CLAUSE = 400


def _clauses(ctx: Context) -> list[list[Piece]]:
    if "style.clauses" not in ctx.shared:
        ctx.shared["style.clauses"] = [split_line(line, i) if line.strip() else []
                                       for i, line in enumerate(ctx.lines)]
    return ctx.shared["style.clauses"]


_TITLE = re.compile(r"《[^》]*》")
# A named place under the subject: 青龙镇在青龙镇青龙村, 白音希勒苏木在白音希勒苏木巴彦花嘎查.
_SUB_UNIT = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:村|嘎查|社区|小区)")
_PLACE_ENDS = ("苏木", "社区", "村", "嘎查", "小区")

# ---------------------------------------------------------------- echo

def check_echo(ctx: Context) -> list[Finding]:
    lex = lexicon()["echo"]
    out: list[Finding] = []
    for pieces in _clauses(ctx):
        for a, b in zip(pieces, pieces[1:]):
            if a.stop not in "，,":
                continue
            hit = _echo(a, b, lex)
            if hit:
                s, e, echoed, number = hit
                tail = a.text[-12:]
                out.append(finding("style.echo", "warning", b.line, b.start + s + 1, b.text[s:e],
                                   f"“{echoed}”在前一分句已出现，数字前又写了一遍：{lex['reason']}，"
                                   f"如“……{tail}{number}”"))
    return out


def _echo(a: Piece, b: Piece, lex: dict) -> tuple[int, int, str, str] | None:
    qs = [q for q in quantities(b.text) if q.unit and q.unit != "%" and not q.ordinal]
    if not qs:
        return None
    q = qs[0]
    head = b.text[: q.start]
    if len(head) < 2 or not all(is_cjk(ch) for ch in head):
        return None
    if q.end < len(b.text):
        return None  # 命名9个示范单位: the number counts what follows, nothing is echoed
    if head.startswith(tuple(lex["ignore"])):
        rest = _counted_echo(head, _outside_titles(a.text), lex)
        return None if rest is None else (head.index(rest), q.end, rest, b.text[q.num_start:q.end])
    said = _outside_titles(a.text)
    k = lex["min_prefix"]
    if head in said or (len(head) >= k and head[:k] in said and head[-2:] in said) or pieces_said(head, said):
        return 0, q.end, head, b.text[q.num_start:q.end]  # 慰问困难群众15户: every word said before
    if object_again(head, said):  # 推出…专题节目，播出专题节目12期
        return 2, q.end, head[2:], b.text[q.num_start:q.end]
    return None


def _counted_echo(head: str, said: str, lex: dict) -> str | None:
    """After a counting word (共, 累计 …) the verb alone may be said again (先后走访慰问…3次，
    共走访慰问107户); the object with it is an echo (共走访少数民族困难家庭22户). The
    words repeated, or None."""
    lead = next((w for w in sorted(lex["counted"], key=len, reverse=True) if head.startswith(w)), "")
    rest = head[len(lead):]
    if not lead or not echoed_after_count(rest, said):
        return None
    return rest


def _outside_titles(text: str) -> str:
    """The text with 《…》 blanked: 印发《关于命名…示范单位的决定》，命名…示范单位12个 names
    the document, it does not echo a noun."""
    return _TITLE.sub("　", text)


# ---------------------------------------------------------------- self-location

def check_self_location(ctx: Context) -> list[Finding]:
    lex = lexicon()["self_location"]
    low = lex["min_length"]
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        p = line.find("在")
        while p != -1:
            k = _longest_mirror(line, p, low)
            if k and _redundant(line, p, k):
                name = line[p - k:p]
                out.append(finding("style.self_location", "warning", i, p + 2, name,
                                   f"“{name}在{name}……”：{lex['reason']}，如“{name}在……”"))
            p = line.find("在", p + 1)
    return out


def _redundant(line: str, p: int, k: int) -> bool:
    """A unit in its own name (县民族宗教事务局在县民族宗教事务局会议室), or a place in
    itself before a named place under it (青龙镇在青龙镇青龙村). A place at its own square
    (桂园社区在桂园社区广场) is how many published texts put it: not reported."""
    name = line[p - k:p]
    if level_of(name) is None and not name.endswith(_PLACE_ENDS):
        return True
    return bool(_SUB_UNIT.match(line, p + 1 + k))


def _longest_mirror(line: str, p: int, low: int) -> int:
    """The longest k ≥ low with line[p-k:p] == line[p+1:p+1+k], all CJK; 0 when none."""
    best = 0
    k = low
    limit = min(p, len(line) - p - 1, 30)
    cjk = 0  # line[p - cjk:p] is all CJK, grown one character at a time (not rescanned per k)
    while k <= limit:
        if is_cjk(line[p - k]) and line[p - k:p] == line[p + 1:p + 1 + k]:
            best = k
        else:
            while cjk < k and is_cjk(line[p - cjk - 1]):
                cjk += 1
            if cjk < k:
                break
        k += 1
    return best


# ---------------------------------------------------------------- repeats

def check_repeat(ctx: Context) -> list[Finding]:
    lex = lexicon()["repeat"]
    out: list[Finding] = []
    for pieces in _clauses(ctx):
        out += _twice_in_a_row(pieces, lex)
        mask = None  # the line's, once for all its lists
        for p in pieces:
            out += _pasted(p, lex)
            if "、" in p.text:
                mask = quoted_mask(ctx.lines[p.line]) if mask is None else mask
                out += _list_twice(p, ctx.lines[p.line], lex, mask)
    out += _sentences_twice(ctx, lex)
    return out


def _twice_in_a_row(pieces: list[Piece], lex: dict) -> list[Finding]:
    out = []
    for a, b in zip(pieces, pieces[1:]):
        if a.text == b.text and cjk_len(a.text) >= lex["min_clause"]:
            out.append(finding("style.repeat", "error", b.line, b.start + 1, b.text,
                               f"分句“{b.text}”连写两遍：{lex['reason_clause']}"))
    return out


def _pasted(p: Piece, lex: dict) -> list[Finding]:
    """A run of text repeated back to back without punctuation, at the start or the end of
    a clause (the way a paste lands)."""
    t = p.text
    n = len(t)
    if n > _MAX_PASTE_CLAUSE:
        return []
    for k in range(n // 2, lex["min_paste"] - 1, -1):
        for s in (0, n - 2 * k):
            x = t[s:s + k]
            if x == t[s + k:s + 2 * k] and cjk_len(x) >= lex["min_paste"]:
                return [finding("style.repeat", "error", p.line, p.start + s + k + 1, x,
                                f"“{x}”紧接着重复了一遍：{lex['reason_clause']}")]
    return []


def _list_twice(p: Piece, line: str, lex: dict, mask: list[bool]) -> list[Finding]:
    spans = list_items(p, line, mask)
    if len(spans) < 2:
        return []
    items = [line[a:b] for a, b in spans]
    last = items[-1].split("等")[0] if "等" in items[-1] else items[-1]
    seen: dict[str, int] = {}
    for j, item in enumerate(items):
        if j == 0:
            continue  # the first item carries the words before the list; matched below
        core = last if j == len(items) - 1 else item
        if cjk_len(core) < lex["min_item"]:
            continue
        if core in seen or items[0] == core or (items[0].endswith(core) and cjk_len(core) >= 3):
            a = spans[j][0]
            return [finding("style.repeat", "error", p.line, a + 1, core,
                            f"并列项“{core}”在同一顿号并列中出现两次：{lex['reason_item']}")]
        seen[core] = j
    return []


def _sentences_twice(ctx: Context, lex: dict) -> list[Finding]:
    out = []
    seen: dict[str, int] = {}
    previous, previous_line = "", -1
    for i, line in enumerate(ctx.lines):
        if not line.strip():
            continue
        for s in split_line(line, i, SENTENCE_STOPS):
            text = s.text
            if cjk_len(text) < lex["min_sentence"]:
                previous, previous_line = text, i
                continue
            if text == previous:
                # one clause on the same line: _twice_in_a_row has it
                if any(ch in text for ch in "，,；;") or previous_line != i:
                    out.append(finding("style.repeat", "error", i, s.start + 1, text[:20],
                                       f"同一句话连写两遍：{lex['reason_clause']}"))
            elif text in seen:
                out.append(finding("style.repeat", "warning", i, s.start + 1, text[:20],
                                   f"这句话与第{seen[text] + 1}行重复：{lex['reason_sentence']}"))
            else:
                seen[text] = i
            previous, previous_line = text, i
    return out
