"""Between checking and the next draft: which part of a document each finding hits, and the
template fallback for what a revising backend still got wrong after its rounds.

The fallback never leaves an unsupported fact in a draft silently: a sentence an error
points at is replaced by the template backend's sentences for the same records (a
sentence with no records behind it is dropped), and a key activity still missing gets the
template's sentences at the end of its section. Each change is a Repair in the run.
"""

from __future__ import annotations

from pipeline.drafting import phrasing as ph
from pipeline.drafting import template
from pipeline.drafting.sentences import activity_sentences
from pipeline.model.document import Document, Paragraph, Sentence
from pipeline.model.records import Records
from pipeline.model.report import Finding, Report
from pipeline.model.run import Repair
from pipeline.model.outline import Outline
from pipeline.render import markdown_lines

_NOT_A_PART = ("title", "heading", "signature")


def findings_by_part(doc: Document, report: Report) -> dict[str, list[Finding]]:
    """Error findings grouped by the part (section key or "opening") whose text they hit."""
    origins = markdown_lines(doc)
    by_part: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.severity != "error":
            continue
        origin = origins[f.line - 1][1] if 0 < f.line <= len(origins) else None
        if origin and origin[0] not in _NOT_A_PART:
            by_part.setdefault(origin[0], []).append(f)
        elif f.check == "coverage" and f.records:
            key = next((s.key for s in doc.sections for p in s.paragraphs for x in p.sentences
                        if set(f.records) & set(x.sources)), None)
            if key:
                by_part.setdefault(key, []).append(f)
    return by_part


def fall_back(records: Records, outline: Outline, doc: Document,
              report: Report) -> tuple[Document, list[Repair]]:
    """The document with the template's sentences where errors remain, and what changed."""
    fallback = template.draft(records, outline)
    repairs: list[Repair] = []
    doc = _replace_unsupported(records, fallback, doc, report, repairs)
    doc = _add_missing_highlights(records, outline, fallback, doc, report, repairs)
    return doc, repairs


def template_sentences(records: Records, fallback: Document, part: str,
                       sources: list[str]) -> list[Sentence]:
    """The template backend's sentences for the same records, to stand in for a sentence
    the model could not get right."""
    acts = {a.id: a for a in records.activities}
    out: list[Sentence] = []
    for source in sources:
        if source in acts and part != "opening":
            out.extend(activity_sentences(acts[source], records))
        elif source.startswith(("problems[", "plans[")):
            kind, idx = source.rstrip("]").split("[")
            items = records.problems if kind == "problems" else records.plans
            out.append(Sentence(text=ph.strip_end(items[int(idx)]) + "。", sources=[source]))
    if part == "opening":
        wanted = set(sources) | (set(acts) if "count" in sources else set())
        for para in fallback.opening:
            out.extend(s for s in para.sentences if set(s.sources) & wanted)
    return out


def _add_missing_highlights(records: Records, outline: Outline, fallback: Document, doc: Document,
                            report: Report, repairs: list[Repair]) -> Document:
    missing = [rid for f in report.findings if f.check == "coverage" and f.severity == "error"
               for rid in f.records]
    if not missing:
        return doc
    home = {aid: s.key for s in outline.sections for aid in s.activity_ids}
    sections = []
    for section in doc.sections:
        added = [sent for rid in missing if home.get(rid) == section.key
                 for sent in template_sentences(records, fallback, section.key, [rid])]
        if added:
            repairs.append(Repair(part=section.key, action="added_from_template",
                                  after="".join(x.text for x in added), reason="重点活动未提及"))
            section = section.model_copy(update={"paragraphs": section.paragraphs + [Paragraph(sentences=added)]})
        sections.append(section)
    return doc.model_copy(update={"sections": sections})


def _targets(doc: Document, report: Report) -> dict[tuple, list[Finding]]:
    """(part, paragraph index) → the error findings in that paragraph."""
    origins = markdown_lines(doc)
    targets: dict[tuple, list[Finding]] = {}
    for f in report.findings:
        if f.severity == "error" and 0 < f.line <= len(origins) and origins[f.line - 1][1]:
            part, idx = origins[f.line - 1][1]
            if part not in _NOT_A_PART:
                targets.setdefault((part, idx), []).append(f)
    return targets


def _replace_unsupported(records: Records, fallback: Document, doc: Document, report: Report,
                         repairs: list[Repair]) -> Document:
    sections = {s.key: s for s in doc.sections}
    opening = list(doc.opening)
    for (part, idx), findings in _targets(doc, report).items():
        paragraphs = opening if part == "opening" else list(sections[part].paragraphs)
        hit = {f.column - 1 for f in findings}
        new: list[Sentence] = []
        offset = 0
        for sent in paragraphs[idx].sentences:
            span = range(offset, offset + len(sent.text))
            offset += len(sent.text)
            if not any(c in span for c in hit):
                new.append(sent)
                continue
            replacement = template_sentences(records, fallback, part, sent.sources)
            repairs.append(Repair(part=part, action="replaced_with_template", before=sent.text,
                                  after="".join(s.text for s in replacement),
                                  reason="；".join(f.message for f in findings)))
            new.extend(r for r in replacement if r.text not in {s.text for s in new})
        paragraphs[idx] = Paragraph(sentences=new)
        if part != "opening":
            sections[part] = sections[part].model_copy(update={"paragraphs": paragraphs})
    # A paragraph left with no sentence goes; the indices above were taken before this.
    opening = [p for p in opening if p.sentences or p.heading]
    kept = [s.model_copy(update={"paragraphs": [p for p in s.paragraphs if p.sentences or p.heading]})
            for s in (sections[s.key] for s in doc.sections)]
    return doc.model_copy(update={"opening": opening, "sections": kept})
