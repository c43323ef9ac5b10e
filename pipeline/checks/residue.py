"""The residue.placeholder family: XX, ××, 20XX, ___, 某某, 【 】, ○○, {county}, and the
leftovers of a web 范文 or a model answer (“以下是网友为您整理…供您参考”). Every hit is an
error: the draft cannot be sent with it. The patterns are data: prompts/lexicon/placeholders.yaml.
"""

from __future__ import annotations

import re

from pipeline.checks.model import Context
from pipeline.checks.structure import alternation, finding
from pipeline.model.report import Finding
from pipeline.resources import load_yaml


def _compile() -> tuple[re.Pattern, list[dict]]:
    entries = load_yaml("lexicon/placeholders.yaml")
    return alternation([e["pattern"] for e in entries]), entries


_PATTERN, _ENTRIES = _compile()
_ASCII_TOKEN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:/@%?=&#-~+")
_URL = re.compile(r"://|^www\.|\.(?:com|cn|net|org|gov|edu|io)(?:\b|/)", re.I)
_RULE_LINE = re.compile(r"^\s*[-*_＿\s]{3,}$")


def _ascii_word(line: str, start: int, end: int) -> bool:
    """The hit is part of an English word or a URL (XXL, xxhash, http://xx.com)."""
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalpha()):
        return True
    a, b = start, end
    while a > 0 and line[a - 1] in _ASCII_TOKEN:
        a -= 1
    while b < len(line) and line[b] in _ASCII_TOKEN:
        b += 1
    return bool(_URL.search(line[a:b]))


def check_placeholders(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line:
            continue
        for m in _PATTERN.finditer(line):
            entry = _ENTRIES[int(m.lastgroup[1:])]  # the patterns hold no capturing groups
            s, e = m.start(), m.end()
            if entry.get("ascii_guard") and _ascii_word(line, s, e):
                continue
            if entry.get("skip_rule_line") and _RULE_LINE.match(line):
                continue
            out.append(finding("residue.placeholder", "error", i, s + 1, m.group(0),
                               f"{entry['reason']}：“{m.group(0)}”"))
    return out
