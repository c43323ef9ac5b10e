"""style.padding: two sentences of working language in a row, with no fact between them.

A clerk short of words pads with stock sentences (各级各部门把……作为一项重要任务来抓，
各相关单位主动作为……); one after a fact is working language, two or three in a row at the
end of a part are filler a careful reader strikes out. What a stock sentence is comes from
pipeline/text/stock.py (the template drafter keeps to the same rule); an item's lead
(一是……) starts the count again. A warning: a hand-written text may have reasons.
Word list: prompts/lexicon/style.yaml `padding`.
"""

from __future__ import annotations

from pipeline.checks.model import Context
from pipeline.checks.structure import finding
from pipeline.checks.style_text import SENTENCE_STOPS, lexicon, split_line
from pipeline.model.report import Finding
from pipeline.text.stock import is_lead, is_stock_sentence


def check_padding(ctx: Context) -> list[Finding]:
    reason = lexicon()["padding"]["reason"]
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        before = False  # the sentence before was stock
        for s in split_line(line, i, SENTENCE_STOPS):
            stock = is_stock_sentence(s.text)
            if stock and before:
                out.append(finding("style.padding", "warning", i, s.start + 1, s.text[:20],
                                   f"紧接上一句又是一句套话：{reason}"))
            before = stock and not is_lead(s.text)
    return out
