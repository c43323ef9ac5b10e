"""Mutation classes for the style.* families: each plants one style defect in a clean draft,
the way a hurried clerk or a model writes it. Same contract as generators.py: `gen(text,
records, rng, foreign)` yields (line, note, mutated text[, expected family]).

Most style findings are warnings; a style class counts as detected when its family reports
a finding at the mutated line that the clean draft did not have (run._outcome).
"""

from __future__ import annotations

import re

from pipeline.checks.style_text import cjk_len, lexicon
from pipeline.evals.mutation.sites import line_of, number_sites
from pipeline.text.places import level_of

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_IGNORE_HEADS = ("共", "累计", "其中", "合计", "约", "达", "近")
_PLACE_ENDS = ("苏木", "社区", "村", "嘎查", "小区")


def _body_lines(text: str) -> list[tuple[int, int, str]]:
    """(start offset, 1-based line, line) of each paragraph line with a sentence in it."""
    out, pos = [], 0
    for n, line in enumerate(text.split("\n"), 1):
        if "。" in line and not line.lstrip().startswith("#"):
            out.append((pos, n, line))
        pos += len(line) + 1
    return out


def _quoted(text: str, at: int) -> bool:
    """`at` lies inside 《…》 or “…”."""
    for a, b in (("《", "》"), ("“", "”")):
        if text.rfind(a, 0, at) > text.rfind(b, 0, at):
            return True
    return False


def gen_echo(text, records, rng, foreign):
    """走访慰问少数民族困难群众15户 → 走访慰问少数民族困难群众，走访慰问15户."""
    units = sorted({u for a in records.activities for u in a.units}, key=len, reverse=True)
    for s, e, num, us, ue in number_sites(text):
        if ue >= len(text) or text[ue] not in "，。；":
            continue
        start = max(text.rfind(c, 0, s) for c in "，。；\n") + 1
        head = text[start:s]
        subject = next((u for u in units if head.startswith(u)), "")
        head = head[len(subject):]  # the verb and object after the unit that did it
        # Counting words (共, 覆盖 …) before a number are no echo: style.echo's own list.
        ignore = _IGNORE_HEADS + tuple(lexicon()["echo"]["ignore"])
        if cjk_len(head) != len(head) or len(head) < 6 or head.startswith(ignore):
            continue
        echo = head[:4]
        yield line_of(text, s), f"{head}{num}→{head}，{echo}{num}", text[:s] + "，" + echo + text[s:]


def gen_duplicated_clause(text, records, rng, foreign):
    """A clause written twice: “A，” → “A，A，”, or pasted without punctuation “AA”."""
    for m in re.finditer(r"(?<=[，。])([^，。；：\n“”《》]{6,40})(?=，)", text):
        clause = m.group(1)
        if cjk_len(clause) < 6 or _quoted(text, m.start()):
            continue
        pasted = rng.random() < 0.5
        new = clause + ("" if pasted else "，") + clause
        how = "紧贴着重复" if pasted else "连写两遍"
        yield line_of(text, m.start()), f"分句“{clause}”{how}", text[:m.start()] + new + text[m.end():]


def gen_self_location(text, records, rng, foreign):
    """县民族宗教事务局在会议室 → 县民族宗教事务局在县民族宗教事务局会议室."""
    units = sorted({u for a in records.activities for u in a.units}, key=len, reverse=True)
    for unit in units:
        if level_of(unit) is not None or unit.endswith(_PLACE_ENDS):
            continue  # a place at its own square is not reported (style.self_location)
        for m in re.finditer(re.escape(unit) + "在", text):
            if text.startswith(unit, m.end()) or _quoted(text, m.start()):
                continue
            yield (line_of(text, m.start()), f"{unit}在……→{unit}在{unit}……",
                   text[:m.end()] + unit + text[m.end():])


def gen_repeated_sentence(text, records, rng, foreign):
    """A sentence of one paragraph written again at the end of a later one."""
    lines = _body_lines(text)
    min_len = lexicon()["repeat"]["min_sentence"]
    for k, (pos, n, line) in enumerate(lines[:-1]):
        for m in re.finditer(r"[^。！？]+。", line):
            sentence = m.group(0).strip()
            body = sentence[:-1]
            if cjk_len(body) < min_len or text.count(body) > 1 or "《" in sentence or "“" in sentence:
                continue
            later = [x for x in lines[k + 1:] if x[1] > n + 1]
            if not later:
                continue
            at_pos, at_line, at_text = rng.choice(later)
            end = at_pos + len(at_text.rstrip())
            yield at_line, f"第{n}行的句子重复写在第{at_line}行末", text[:end] + sentence + text[end:]


def gen_wrong_campaign(text, records, rng, foreign):
    """The records' campaign named as another campaign in the body (a 范文 of another
    campaign): 民族团结进步宣传月 → 民族团结教育月."""
    campaign = records.campaign
    others = [c for c in lexicon()["stock"]["campaigns"] if c not in campaign and campaign not in c]
    first = next((i for i, ch in enumerate(text) if ch == "\n"), len(text))
    for m in re.finditer(re.escape(campaign), text):
        if m.start() < first or _quoted(text, m.start()) or not others:
            continue
        new = rng.choice(others)
        yield line_of(text, m.start()), f"{campaign}→{new}", text[:m.start()] + new + text[m.end():]


GENERATORS = {
    "echo": gen_echo, "clause_twice": gen_duplicated_clause,
    "self_location": gen_self_location, "sentence_twice": gen_repeated_sentence,
    "wrong_campaign": gen_wrong_campaign,
}
CLASSES = {
    "echo": "style.echo", "clause_twice": "style.repeat",
    "self_location": "style.self_location", "sentence_twice": "style.repeat",
    "wrong_campaign": "style.stock",
}
PER_CLASS = {"echo": 3, "clause_twice": 3, "self_location": 2,
             "sentence_twice": 2, "wrong_campaign": 2}
