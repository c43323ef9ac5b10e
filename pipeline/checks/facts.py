"""The fact-checking families: facts.number, facts.date, facts.entity, facts.document and
coverage. The draft is read once per check (`analyse`, cached on the Context); each family
returns its share of the claims that failed, and the analysis fills ctx.stats.

Every finding names the record that disagrees and what it says, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.checks import numbers as nb
from pipeline.checks.campaign import ordinal_spans
from pipeline.checks.facts_date import check_date
from pipeline.checks.facts_entity import check_quote, check_title, scan_entities
from pipeline.checks.facts_number import check_quantity
from pipeline.checks.facts_tally import rescue
from pipeline.checks.facts_text import (
    Claim,
    Line,
    build_line,
    mask_structure,
    read_lines,
    titles_and_quotes,
)
from pipeline.checks.index import FactIndex, index_for
from pipeline.checks.model import Checker, Context
from pipeline.checks.named import name_spans
from pipeline.model.report import Finding
from pipeline.text.chars import see_through
from pipeline.text.dates import cn_date

_KEY = "facts.analysis"


@dataclass
class Analysis:
    claims: list[Claim] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)
    findings: dict[str, list[Finding]] = field(default_factory=dict)


def analyse_line(idx: FactIndex, no: int, raw: str) -> tuple[Line, list[Claim]]:
    line = build_line(idx, no, raw)
    claims: list[Claim] = []
    for kind, s, e, inner in titles_and_quotes(line):
        c = check_title(idx, line, s, e, inner) if kind == "title" else check_quote(idx, line, s, e, inner)
        if c:
            claims.append(c)
    for s, e in name_spans(idx.records, line.raw):  # 新闻1+1, FM101.7: a recorded name, no figure
        line.mask(s, e)
    mask_structure(line)
    for s, e in ordinal_spans(line.text()):  # 第21个宣传月: consistency.campaign's, no record fact
        line.mask(s, e)
    for d in nb.dates(line.text()):
        claims.append(check_date(idx, line, d))
        line.mask(d.start, d.end)
    for m in nb.YEAR_RE.finditer(line.text()):
        line.mask(m.start(), m.end())
    claims += scan_entities(idx, line)
    work = line.text()
    for q in nb.quantities(work):
        claim = check_quantity(idx, line, q, work)
        if claim is not None:
            claims.append(claim)
    return line, claims


def _coverage(idx: FactIndex, lines: list[Line], claims: list[Claim]) -> set[str]:
    """Activities the draft mentions: by title or quoted name, by a figure bound to them,
    or by their date together with one of their units or places."""
    covered: set[str] = set()
    for line in lines:
        for topic in line.topic:
            covered |= topic
    for c in claims:
        if c.ok:
            covered |= c.rids & idx.acts.keys()
    by_day: dict[str, list[str]] = {}
    for line in lines:
        for s0, s1 in line.sentences:
            sentence = line.raw[s0:s1]
            for d in nb.dates(sentence):  # 9月4日、19日: the listed 19日 is a day of 9月 too
                for month, day in ((d.m1, d.d1), (d.m2 or d.m1, d.d2)):
                    if day is not None:
                        by_day.setdefault(f"{month}月{day}日", []).append(sentence)
    text = "\n".join(line.raw for line in lines)
    for rid, info in idx.acts.items():
        if rid in covered:
            continue
        a = info.act
        names = [n for n in info.names if len(n) >= 3]
        for sentence in by_day.get(cn_date(a.date), ()):
            canon = idx.canonical(sentence)
            if any(n in canon for n in names):
                covered.add(rid)
                break
        if rid not in covered and a.title in text:
            covered.add(rid)
    return covered


def _heading_line(idx: FactIndex, lines: list[Line], rid: str) -> int:
    act = idx.acts[rid].act
    outline = idx.records.outline or []
    heading = next((s.heading for s in outline if s.key == act.section and s.heading), None)
    if heading:
        for line in lines:
            if heading in line.raw:
                return line.no
    return lines[0].no if lines else 1


def _back_to_columns(lines: list[Line], claims: list[Claim], seen: dict) -> None:
    """Lines read through their unseen characters get their own text and columns back, so
    a finding's column and excerpt are those of the draft as written (the report shows
    the escape as \\u001b)."""
    if not seen:
        return
    for c in claims:
        if c.line in seen:
            cols = seen[c.line][1]
            c.start, c.end = cols[c.start], cols[c.end - 1] + 1 if c.end > c.start else cols[c.start]
    for line in lines:
        if line.no in seen:
            line.raw, cols = seen[line.no]
            line.sentences = [(cols[s], cols[e - 1] + 1 if e > s else cols[s]) for s, e in line.sentences]


def analyse(ctx: Context) -> Analysis:
    cached = ctx.shared.get(_KEY)
    if cached is not None:
        return cached
    result = Analysis(findings={name: [] for name in FACT_FAMILIES})
    ctx.shared[_KEY] = result
    if ctx.records is None:
        return result
    idx = index_for(ctx.records)
    lines: list[Line] = []
    seen: dict[int, tuple[str, list[int]]] = {}
    for no, raw in read_lines(ctx.text):
        text, cols = see_through(raw)  # ESC[31m35个 is read as the 35个 it shows
        if cols:
            seen[no] = raw, cols
        line, claims = analyse_line(idx, no, text)
        lines.append(line)
        result.claims += claims
    rescue(idx, lines, result.claims)  # counts and sums of activities said together
    _back_to_columns(lines, result.claims, seen)
    by_no = {line.no: line for line in lines}
    for c in result.claims:
        if c.ok:
            continue
        line = by_no[c.line]
        result.findings[c.family].append(Finding(
            check=c.family, severity=c.severity, line=c.line, column=c.start + 1,
            excerpt=line.excerpt(c.start, c.end), message=c.message, records=c.records))
    result.covered = _coverage(idx, lines, result.claims)
    for rid, info in idx.acts.items():
        if info.act.highlight and rid not in result.covered:
            a = info.act
            no = _heading_line(idx, lines, rid)
            result.findings["coverage"].append(Finding(
                check="coverage", severity="error", line=no, column=1,
                excerpt=by_no[no].raw.strip() if no in by_no else "",
                message=f"重点活动未提及：{rid} 记录为{cn_date(a.date)}“{a.title}”，"
                        f"记录要求总结中写到这项活动",
                records=[rid]))
    ctx.stats.claims += len(result.claims)
    ctx.stats.supported += sum(c.ok for c in result.claims)
    ctx.stats.records_total += len(idx.acts)
    ctx.stats.records_covered += len(result.covered & idx.acts.keys())
    return result


FACT_FAMILIES = ("facts.number", "facts.date", "facts.entity", "facts.document", "coverage")


def _family(name: str) -> Checker:
    def run(ctx: Context) -> list[Finding]:
        return analyse(ctx).findings.get(name, [])
    run.__name__ = "check_" + name.replace(".", "_")
    run.__doc__ = f"The {name} family (see pipeline.checks.facts)."
    return run


check_facts_number = _family("facts.number")
check_facts_date = _family("facts.date")
check_facts_entity = _family("facts.entity")
check_facts_document = _family("facts.document")
check_coverage = _family("coverage")

__all__ = ["FACT_FAMILIES", "Analysis", "analyse", "analyse_line", "check_coverage", "check_facts_date",
           "check_facts_document", "check_facts_entity", "check_facts_number"]
