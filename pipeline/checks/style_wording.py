"""style.signature and style.wording.

style.signature (needs records): the last lines carry the unit (records `author`) and the
成文日期 (records `date`) when the records give them. Records without them are
`zongjie validate`'s business (a warning there).

style.wording: odd words (受众群众, 参加道教界人士) and the outlet that published a piece
also "reporting" it (县融媒体中心开设专栏……，县融媒体中心进行了报道).
All warnings. Word lists: prompts/lexicon/style.yaml (`signature`, `wording`).
"""

from __future__ import annotations

import re

from pipeline.checks.model import Context
from pipeline.checks.structure import finding, inside, quoted_spans
from pipeline.checks.style_text import SENTENCE_STOPS, lexicon, split_line
from pipeline.model.report import Finding
from pipeline.text.dates import cn_date
from pipeline.text.outlets import names_outlet

_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                   r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日")
_LEVEL_CHARS = "县区旗市"


# ---------------------------------------------------------------- signature

def _tail(lines: list[str], n: int) -> list[int]:
    out = []
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            out.append(i)
            if len(out) == n:
                break
    return out[::-1]


def check_signature(ctx: Context) -> list[Finding]:
    records = ctx.records
    lex = lexicon()["signature"]
    tail = _tail(ctx.lines, lex["tail_lines"])
    if not tail:
        return []
    last = tail[-1]
    text = "\n".join(ctx.lines[i] for i in tail)
    out: list[Finding] = []
    if records.author:
        names = [records.author, *records.aliases.get(records.author, [])]
        if not any(n in text for n in names):
            out.append(finding("style.signature", "warning", last, 1, ctx.lines[last].strip()[:20],
                               lex["reason_author"].format(author=records.author)))
    if records.date and not _DATE.search(text):
        out.append(finding("style.signature", "warning", last, 1, ctx.lines[last].strip()[:20],
                           lex["reason_date"].format(date=cn_date(records.date, with_year=True))))
    return out


# ---------------------------------------------------------------- wording

def check_wording(ctx: Context) -> list[Finding]:
    lex = lexicon()["wording"]
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line.strip():
            continue
        quotes = quoted_spans(line) if any(ch in line for ch in "“《\"‘") else []
        for e in lex["odd"]:
            p = line.find(e["text"])
            if p != -1 and not inside(quotes, p, p + len(e["text"])):
                out.append(finding("style.wording", "warning", i, p + 1, e["text"],
                                   f"“{e['text']}”：{e['reason']}，宜写作“{e['fix']}”"))
        if any(w in line for w in lex["reported"]):
            out += _self_reported(line, i, lex)
    return out


def _self_reported(line: str, i: int, lex: dict) -> list[Finding]:
    out = []
    for sentence in split_line(line, i, SENTENCE_STOPS):
        text = sentence.text
        for word in lex["reported"]:
            p = text.find(word)
            if p == -1:
                continue
            start = max(text.rfind(c, 0, p) for c in "，,；;") + 1
            media = re.sub(r"等(?:媒体|平台|单位)?$", "", text[start:p])
            before = text[:start]
            offset = start
            for medium in media.split("、"):
                if medium and (any(form in before for form in _forms(medium)) or names_outlet(before, medium)):
                    out.append(finding("style.wording", "warning", i, sentence.start + offset + 1, medium,
                                       f"“{medium}”{word}：{lex['reason_reported']}"))
                offset += len(medium) + 1
            break
    return out


def _forms(medium: str) -> list[str]:
    """The medium and its short forms without the place name: 乌兰达茂旗融媒体中心 →
    旗融媒体中心."""
    forms = [medium]
    for j, ch in enumerate(medium):
        if ch in _LEVEL_CHARS and j >= 1 and len(medium) - j >= 5:
            forms.append(medium[j:])
    return forms
