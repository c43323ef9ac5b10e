"""The draft as the review page shows it: each line split into pieces, every checked fact
and every finding a marked span, all record text escaped."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.checks import FactMark, Report
from pipeline.model.records import Records
from pipeline.text.dates import cn_date


@dataclass
class _Span:
    start: int
    end: int
    cls: str
    data: dict


def _prefix(raw: str) -> tuple[str, str]:
    """A Markdown heading mark: kept out of the shown text, put back when the text is read."""
    stripped = raw.lstrip(" ")
    if stripped.startswith("#"):
        n = len(stripped) - len(stripped.lstrip("#"))
        cut = len(raw) - len(stripped) + n
        while cut < len(raw) and raw[cut] == " ":
            cut += 1
        return raw[:cut], "h1" if n == 1 else "h2"
    return "", "p"


def _finding_span(raw: str, col: int, excerpt: str) -> tuple[int, int]:
    start = max(0, col - 1)
    if excerpt and raw.startswith(excerpt, start):
        return start, start + len(excerpt)
    at = raw.find(excerpt) if excerpt else -1
    if at >= 0 and len(excerpt) < len(raw):
        return at, at + len(excerpt)
    end = start + 1
    while end < len(raw) and raw[end] not in "，。；：！？":
        end += 1
    return start, min(len(raw), end) if end > start else len(raw)


def render_lines(text: str, report: Report, marks: list[FactMark], sources: dict[int, list[str]]) -> Markup:
    lines = text.split("\n")
    spans: dict[int, list[_Span]] = {}
    for m in marks:
        cls = "fact" if m.ok else "fact bad"
        spans.setdefault(m.line, []).append(_Span(m.start, m.end, cls, {"r": " ".join(m.records)}))
    fact_end = {(m.line, m.start): m.end for m in marks}
    for i, f in enumerate(report.findings):
        if 1 <= f.line <= len(lines):
            # A finding on a fact underlines the fact; the excerpt may show more around it.
            end = fact_end.get((f.line, f.column - 1))
            s, e = (f.column - 1, end) if end else _finding_span(lines[f.line - 1], f.column, f.excerpt)
            spans.setdefault(f.line, []).append(_Span(s, e, f"fd {f.severity}", {"f": str(i), "r": " ".join(f.records)}))
    last = max((no for no, raw in enumerate(lines, 1) if raw.strip()), default=0)
    sig_from = last
    while sig_from > 1 and lines[sig_from - 2].strip() and len(lines[sig_from - 2]) <= 30:
        sig_from -= 1
    out = []
    for no, raw in enumerate(lines, 1):
        prefix, kind = _prefix(raw)
        if kind == "p" and raw.strip() and no >= sig_from and len(raw) <= 30 and no > 3:
            kind = "sig"
        elif not raw.strip():
            kind = "blank"
        body = _pieces(raw, len(prefix), spans.get(no, []))
        src = " ".join(sources.get(no, []))
        out.append(Markup('<div class="ln {}" data-no="{}" data-prefix="{}" data-src="{}">{}</div>').format(
            kind, no, prefix, src, body or Markup("<br>")))
    return Markup("").join(out)


def _pieces(raw: str, skip: int, spans: list[_Span]) -> Markup:
    """raw[skip:] cut at every span edge; each piece carries the classes of the spans over it."""
    cuts = sorted({skip, len(raw), *(max(skip, min(len(raw), p)) for s in spans for p in (s.start, s.end))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = [s for s in spans if s.start <= a and b <= s.end and s.start < s.end]
        piece = escape(raw[a:b])
        if not over:
            out.append(piece)
            continue
        cls = " ".join(dict.fromkeys(c for s in over for c in s.cls.split()))
        data = {}
        for s in over:
            for k, v in s.data.items():
                data[k] = " ".join(dict.fromkeys((data.get(k, "") + " " + v).split()))
        attrs = Markup("").join(Markup(' data-{}="{}"').format(k, v) for k, v in data.items())
        out.append(Markup('<span class="{}"{}>{}</span>').format(cls, attrs, piece))
    return Markup("").join(out)


def _figure(f) -> str:
    return f"{f.what}{'约' if f.approx else ''}{f.value:g}{f.unit}"


def record_cards(records: Records | None, rows: dict[str, str]) -> dict[str, dict]:
    """Every record id the checker or drafter may cite → what the side panel shows.
    Values are plain text; the page puts them in with textContent, never as HTML."""
    if records is None:
        return {}
    cards: dict[str, dict] = {}
    for a in records.activities:
        date = cn_date(a.date) + (f"至{cn_date(a.end_date)}" if a.end_date else "")
        fields = [("日期", date), ("单位", "、".join(a.units)), ("活动", a.title)]
        fields += [("地点", a.place)] if a.place else []
        fields += [("数据", "；".join(_figure(f) for f in a.figures))] if a.figures else []
        fields += [("文件", "、".join(a.documents))] if a.documents else []
        fields += [("媒体", "、".join(a.media))] if a.media else []
        fields += [("备注", a.note)] if a.note else []
        fields += [("重点", "是")] if a.highlight else []
        fields += [("台账", rows[a.id])] if a.id in rows else []
        cards[a.id] = {"title": f"活动 {a.id}", "fields": fields}
    for i, f in enumerate(records.totals):
        cards[f"totals[{i}]"] = {"title": f"总数 totals[{i}]", "fields": [("数据", _figure(f))]}
    for i, b in enumerate(records.basis):
        cards[f"basis[{i}]"] = {"title": f"依据 basis[{i}]", "fields": [("发文", b.issuer), ("文件", b.title)]}
    for key in ("problems", "plans"):
        for i, t in enumerate(getattr(records, key)):
            cards[f"{key}[{i}]"] = {"title": f"{'存在问题' if key == 'problems' else '下一步打算'} {key}[{i}]",
                                     "fields": [("内容", t)]}
    if records.period:
        cards["period"] = {"title": "期间 period", "fields": [
            ("起止", f"{cn_date(records.period.start)}至{cn_date(records.period.end)}")]}
    cards["activities"] = {"title": "活动总数", "fields": [("活动", f"{len(records.activities)}项")]}
    cards["county"] = {"title": "地区 county", "fields": [("地区", records.county)]}
    cards["campaign"] = {"title": "活动名称 campaign", "fields": [("名称", records.campaign)]}
    if records.author:
        cards["author"] = {"title": "落款单位 author", "fields": [("单位", records.author)]}
    if records.date:
        cards["date"] = {"title": "成文日期 date", "fields": [("日期", cn_date(records.date))]}
    return cards


def script_json(data) -> Markup:
    """JSON for a <script type="application/json">: no `<` can close the element early."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
