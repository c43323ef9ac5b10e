"""The template backend: structure, determinism, variety, and that every fact it writes
comes from the records (checked here by an oracle independent of pipeline.checks)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import fixture_files
from pipeline.text.numerals import cn_numeral
from pipeline.drafting import draft_document
from pipeline.outline import build_outline
from pipeline.inputs import load_records
from pipeline.render import to_json, to_markdown
from pipeline.resources import load_yaml


def markdown_of(path) -> tuple:
    records = load_records(path)[0]
    return records, to_markdown(draft_document(records))


def record_dates(records) -> set[dt.date]:
    days = {records.date} if records.date else set()
    if records.period:
        days |= {records.period.start, records.period.end}
    for a in records.activities:
        days.add(a.date)
        if a.end_date:
            days.add(a.end_date)
    return days


def record_texts(records) -> str:
    parts = [records.county, records.campaign]
    for a in records.activities:
        parts += [a.title, a.note or "", a.place or ""] + a.documents
    return "\n".join(parts + records.problems + records.plans)


_NUM_UNIT = re.compile(r"(\d+(?:\.\d+)?)(余?)(万元|人次|场次|[人户份场次个件条所项名期家支篇册张套])")


def _said_together(records) -> set[tuple[float, str, bool]]:
    """The counts and sums a sentence may state about the activities it cites (its
    sources): how many they are, how many of one class, and each figure summed over them
    (a sum with an approximate figure in it rounded down to two digits, then 余)."""
    from pipeline.outline import classify

    acts = {a.id: a for a in records.activities}
    measures = {"项"} | {c["measure"] for c in load_yaml("phrases.yaml")["categories"].values() if c.get("measure")}
    out = set()
    for section in draft_document(records).sections:
        for paragraph in section.paragraphs:
            for sentence in paragraph.sentences:
                cited = [acts[s] for s in sentence.sources if s in acts]
                if len(cited) < 2:
                    continue
                counts = [len(cited)] + [sum(classify(a) == c for a in cited) for c in {classify(a) for a in cited}]
                out |= {(float(n), u, False) for n in counts for u in measures}
                by_what: dict = {}
                for a in cited:
                    for f in a.figures:
                        by_what.setdefault((f.what, f.unit), []).append(f)
                for (_, unit), figs in by_what.items():
                    total = round(float(sum(f.value for f in figs)), 6)
                    if any(f.approx for f in figs) and total >= 100:
                        step = 10 ** (len(str(int(total))) - 2)
                        out.add((float(total // step * step), unit, True))
                    else:
                        out.add((total, unit, False))
    return out


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_every_fact_in_the_draft_is_in_the_records(path):
    records, md = markdown_of(path)
    body = re.sub(r"《[^》]*》", "《》", md)  # numbers inside titles are checked as titles
    for section in records.outline or []:  # an outline heading may name next year (2025年工作打算)
        if section.heading:
            body = body.replace(section.heading, "")
    figures = {(f.value, f.unit, f.approx) for a in records.activities for f in a.figures}
    figures |= {(f.value, f.unit, f.approx) for f in records.totals}
    texts = record_texts(records)
    said_together = _said_together(records)
    for m in _NUM_UNIT.finditer(body):
        value, approx, unit = float(m.group(1)), bool(m.group(2)), m.group(3)
        in_text = f"{m.group(1)}{m.group(2)}{unit}" in texts
        counted = unit == "项" and value == len(records.activities)
        summed = (value, unit, approx) in said_together
        assert (value, unit, approx) in figures or in_text or counted or summed, m.group(0)
    days = record_dates(records)
    year = records.year
    for m in re.finditer(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:至(?:(\d{1,2})月)?(\d{1,2})日)?", body):
        y = int(m.group(1) or year)
        start = dt.date(y, int(m.group(2)), int(m.group(3)))
        assert start in days, m.group(0)
        if m.group(5):
            end = dt.date(y, int(m.group(4) or m.group(2)), int(m.group(5)))
            assert end in days, m.group(0)
    for y in re.findall(r"(\d{4})年", body):
        assert int(y) == year
    recorded = {d for a in records.activities for d in a.documents} | {b.title for b in records.basis}
    recorded |= set(re.findall(r"《([^》]*)》", "".join(a.title + (a.note or "") for a in records.activities)))
    for title in re.findall(r"《([^》]*)》", md):
        assert title in recorded


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_structure_follows_the_outline(path):
    records = load_records(path)[0]
    doc = draft_document(records)
    md = to_markdown(doc)
    assert md.startswith(f"# {records.county}{records.year}年")
    assert [s.number for s in doc.sections] == list(range(1, len(doc.sections) + 1))
    headings = [s.heading for s in doc.sections]
    for section in records.outline or []:
        if section.heading:
            assert section.heading in headings
    given = {s.key: s.heading for s in records.outline or [] if s.heading}
    problems = [s.heading for s in doc.sections if s.key == "problems"]
    plans = [s.heading for s in doc.sections if s.key == "plans"]
    assert bool(problems) == bool(records.problems) and bool(plans) == bool(records.plans)
    assert all(h == given.get("problems") or "存在的问题" in h for h in problems)
    assert all(h == given.get("plans") or h.startswith("下一步") for h in plans)
    assert doc.signature[0] == (records.author or records.county)
    for s in doc.sections:  # 4+4 pattern for headings the drafter chose
        if not any(o.heading == s.heading for o in records.outline or []) and s.key not in ("problems", "plans"):
            assert re.fullmatch(r"[\u4e00-\u9fff]{4}，[\u4e00-\u9fff]{4}", s.heading), s.heading
    for para in (p for s in doc.sections for p in s.paragraphs):
        items = re.findall(r"([一二三四五六七八九十]+)是", para.text)
        ordinals = [i for i in items if i in {cn_numeral(n) for n in range(1, 30)}]
        if ordinals and ordinals[0] == "一":
            assert ordinals == [cn_numeral(n) for n in range(1, len(ordinals) + 1)], para.text


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_highlights_are_written(path):
    records = load_records(path)[0]
    md = to_markdown(draft_document(records))
    for a in records.activities:
        if a.highlight:
            assert a.title.rstrip("。") in md


def test_same_input_same_output(spec_records):
    assert to_markdown(draft_document(spec_records)) == to_markdown(draft_document(spec_records))


def test_phrasing_varies_between_counties(spec_records):
    texts = set()
    for name in ["云岭县", "石门区", "青川县", "白河县", "安平县", "东坪县", "南溪县", "北岭县"]:
        records = spec_records.model_copy(update={"county": name, "author": None})
        md = to_markdown(draft_document(records)).replace(name, "某地")
        texts.add(md)
    assert len(texts) >= 6


def test_level_words_follow_the_place(spec_records):
    district = spec_records.model_copy(update={"county": "石门区"})
    md = to_markdown(draft_document(district))
    md = re.sub(r"《[^》]*》", "", md)  # recorded text may say 全县; the phrasing may not
    for text in sorted(record_texts(district).split("\n"), key=len, reverse=True):
        md = md.replace(text, "") if text else md
    assert "全县" not in md and "县委、县政府" not in md
    assert "全区" in md or "区委、区政府" in md


def test_one_paragraph_per_item_when_many(spec_records):
    acts = list(spec_records.activities)
    more = [a.model_copy(update={"id": f"x{i}", "section": "publicity"}) for i, a in enumerate(acts)]
    records = spec_records.model_copy(update={"activities": acts + more})
    doc = draft_document(records)
    publicity = next(s for s in doc.sections if s.key == "publicity")
    assert len(publicity.paragraphs) > 1
    assert publicity.paragraphs[1].text.startswith("一是")


def test_classifier_places_unsectioned_activities(spec_records):
    acts = [a.model_copy(update={"section": None}) for a in spec_records.activities]
    outline = build_outline(spec_records.model_copy(update={"activities": acts}))
    where = {aid: s.key for s in outline.sections for aid in s.activity_ids}
    assert where == {"a01": "leadership", "a02": "publicity", "a03": "results", "a04": "publicity"}


def test_json_carries_sentence_sources(spec_records):
    import json

    data = json.loads(to_json(draft_document(spec_records)))
    sentences = [s for sec in data["sections"] for p in sec["paragraphs"] for s in p["sentences"]]
    by_source = {src for s in sentences for src in s["sources"]}
    assert {"a01", "a02", "a03", "a04", "problems[0]", "plans[0]"} <= by_source
    opening = data["opening"][0]["sentences"][0]
    assert "basis[0]" in opening["sources"] and "period" in opening["sources"]
    a02 = next(s for s in sentences if s["sources"] == ["a02"])
    assert "800余人" in a02["text"] and "1500份" in a02["text"]
