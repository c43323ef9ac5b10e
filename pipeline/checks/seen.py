"""Every family reads the draft as a reader sees it: an escape sequence or a zero-width
character before or inside a number or a year hides nothing (20ESC[31m23年 is 2023年 to
consistency.year as it is to facts.number), and a finding keeps the draft's own line,
column and excerpt, so the report marks the text as written.

The facts.* families read their lines through the same helper (pipeline.text.chars
see_through) and map their claims back themselves; every other family is wrapped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from pipeline.checks.model import Checker, Context
from pipeline.model.report import Finding
from pipeline.text.chars import see_through

_KEY = "seen"


@dataclass
class Seen:
    ctx: Context  # the draft as a reader sees it (the context itself when nothing is unseen)
    raw: list[str]  # the lines as written
    cols: dict[int, list[int]]  # 0-based line -> column in `raw` of each seen character, and its end


def seen(ctx: Context) -> Seen:
    """The seen view of `ctx`, worked out once per check (one pass over the draft)."""
    cached = ctx.shared.get(_KEY)
    if cached is not None:
        return cached
    cols: dict[int, list[int]] = {}
    lines: list[str] = []
    for i, line in enumerate(ctx.lines):
        text, c = see_through(line)
        if c:
            cols[i] = c
        lines.append(text)
    view = ctx
    if cols:
        view = Context(text="\n".join(lines), records=ctx.records, stats=ctx.stats)
        view.shared = ctx.shared  # one cache per check: the families' shared work is on seen text
    result = ctx.shared[_KEY] = Seen(view, ctx.lines, cols)
    return result


def back(s: Seen, f: Finding) -> Finding:
    """`f`, found on the seen text, at the draft's own column; its excerpt as written when
    it is the text at that column."""
    cols = s.cols.get(f.line - 1)
    if cols is None:
        return f
    line = s.ctx.lines[f.line - 1]
    start = min(max(f.column - 1, 0), len(cols) - 1)
    update: dict = {"column": cols[start] + 1}
    if f.excerpt and line.startswith(f.excerpt, start):
        end = start + len(f.excerpt)
        update["excerpt"] = s.raw[f.line - 1][cols[start]:cols[end - 1] + 1]
    return f.model_copy(update=update)


def through(run: Checker) -> Checker:
    """`run` reading the seen text, its findings at the draft's columns."""
    @wraps(run)
    def wrapped(ctx: Context) -> list[Finding]:
        s = seen(ctx)
        found = run(s.ctx)
        return [back(s, f) for f in found] if s.cols else found
    return wrapped
