"""The last step before a draft leaves the pipeline, whatever the backend: every sentence
stands on the records, or it goes.

Records are data. Their text reaches a draft only as the value of a slot (what was done,
where, by whom, the outlet, a document's, a problem's or a plan's wording) in a sentence
that cites the record; a note is context and never a source. So a sentence is removed,
and the removal is a Repair of the run (its trail says what and why), when

- the final check still finds an error of fact in it (facts.*);
- it states a number the records give only in free text it may not use: a note, or the
  title, document, outlet, problem or plan of a record the sentence does not cite;
- it copies a stretch of a note (a note never becomes a sentence, whatever it asks for).

The fixed frame is never touched: the title, the headings and the signature are not
sentences, and a sentence with no fact that copies no note is working language (the
phrase bank's, or a model's connective prose): it cannot carry a record's instruction
into the draft, because every way a record's text gets in is one of the three above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.checks import numbers as nb
from pipeline.checks.index import text_quantities
from pipeline.checks.named import mask_names
from pipeline.model.document import Document, Paragraph, Sentence
from pipeline.model.records import Records
from pipeline.model.report import Finding, Report
from pipeline.model.run import Repair
from pipeline.render import markdown_lines
from pipeline.resources import load_yaml, read_text

COPY = 8  # characters of a note in a row that make a copy (a name or a stock phrase is fewer)
_WORD = re.compile(r"[^\W_]+")  # letters and digits: punctuation and spaces do not break a copy


def _key(q: nb.Quantity) -> tuple:
    return q.value, nb.units().group.get(q.unit, q.unit), q.ordinal


def _plain(text: str) -> str:
    return "".join(_WORD.findall(text))


def _windows(plain: str) -> set[str]:
    return {plain[i:i + COPY] for i in range(len(plain) - COPY + 1)}


@cache
def _frame_windows() -> frozenset[str]:
    """The phrase bank's and the model's prompts' COPY-stretches: working language a note
    may share."""
    def strings(node) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return []
    prompts = [read_text(f"llm/{name}.txt") for name in ("system", "section", "opening", "closing")]
    return frozenset(w for s in strings(load_yaml("phrases.yaml")) + prompts for w in _windows(_plain(s)))


@dataclass
class _Sources:
    """What the records let a sentence say, and what they do not."""

    anywhere: set  # quantities of figures, totals, sums, counts: any sentence may state them
    slots: dict  # quantity → the records whose slot text states it
    notes: dict  # quantity → the activities whose note alone states it
    copies: set  # COPY-character stretches of notes that no slot text or frame phrase shares
    records: Records

    def unnamed(self, text: str) -> str:
        """`text` with the recorded names that hold a number masked (新闻1+1, 第1频道)."""
        return mask_names(self.records, text)


def _sources(records: Records) -> _Sources:
    from pipeline.checks.index import index_for

    idx = index_for(records)
    anywhere = {(f.value, nb.units().group.get(f.unit, f.unit), f.ordinal)
                for f in idx.facts if f.kind != "text"}
    anywhere.add((len(records.activities), "项", False))
    slot_texts: list[tuple[str, str]] = []
    for a in records.activities:
        slot_texts += [(t, a.id) for t in [a.title, a.place or "", *a.documents, *a.media, *a.units] if t]
    slot_texts += [(b.title, f"basis[{i}]") for i, b in enumerate(records.basis)]
    slot_texts += [(t, f"problems[{i}]") for i, t in enumerate(records.problems)]
    slot_texts += [(t, f"plans[{i}]") for i, t in enumerate(records.plans)]
    # Each text read once, however many records repeat it (one title held in forty villages).
    rids_of: dict[str, list[str]] = {}
    for text, rid in slot_texts:
        rids_of.setdefault(text, []).append(rid)
    slots: dict = {}
    for text, rids in rids_of.items():
        for q in text_quantities(mask_names(records, text)):  # 新闻1+1 is a name, no figure
            slots.setdefault(_key(q), set()).update(rids)
    notes: dict = {}
    shared = {w for t in rids_of for w in _windows(_plain(t))}
    copies: set = set()
    ids_of: dict[str, list[str]] = {}
    for a in records.activities:
        if a.note:
            ids_of.setdefault(a.note, []).append(a.id)
    for note, ids in ids_of.items():
        for q in text_quantities(mask_names(records, note)):
            notes.setdefault(_key(q), set()).update(ids)
        copies |= _windows(_plain(note))
    return _Sources(anywhere, slots, notes, copies - shared - _frame_windows(), records)


def _counts_cited(key: tuple, cited: set, src: _Sources) -> bool:
    """共开展各类活动23项，其中宣讲培训3项: a count in 项 of no more activities than the
    sentence cites counts them (the check has held it to their number and class)."""
    value, unit, ordinal = key
    acts = cited & {a.id for a in src.records.activities}
    return unit == "项" and not ordinal and isinstance(value, int) and 0 < value <= len(acts)


def unsupported(sentence: Sentence, src: _Sources, errors: list[Finding]) -> str | None:
    """Why the records do not support this sentence, or None when they do."""
    if errors:
        return "；".join(f.message for f in errors)
    cited = set(sentence.sources)
    for q in text_quantities(src.unnamed(sentence.text)):
        key = _key(q)
        if key in src.anywhere or cited & src.slots.get(key, set()) or _counts_cited(key, cited, src):
            continue
        if _tally(q, cited):
            continue
        shown = sentence.text[q.start:q.end]
        if key in src.notes:
            return f"“{shown}”只见于活动 {'、'.join(sorted(src.notes[key]))} 的备注：备注是背景，不是可以写入总结的事实"
        if key in src.slots:
            return f"“{shown}”只见于 {'、'.join(sorted(src.slots[key]))} 的记录文字，本句并未引用该记录"
    if src.copies & _windows(_plain(sentence.text)):
        return "本句照抄了活动备注：备注是背景，不写成总结的句子"
    return None


def _tally(q: nb.Quantity, cited: set[str]) -> bool:
    """A count of the activities the sentence cites (共开展各类活动3项，其中…2项): facts.number
    proves it exact (facts_tally), so a note that happens to hold the same number does not
    make it a note's."""
    return q.unit == "项" and not q.ordinal and float(q.value).is_integer() and 0 < q.value <= len(cited)


def keep_supported(records: Records, doc: Document, report: Report) -> tuple[Document, list[Repair]]:
    """The document less every sentence the records do not support, and each removal."""
    src = _sources(records)
    errors: dict[int, list[Finding]] = {}
    for f in report.findings:
        if f.severity == "error" and f.check.startswith("facts."):
            errors.setdefault(f.line, []).append(f)
    repairs: list[Repair] = []
    kept: dict[tuple, Paragraph] = {}
    by_key = {s.key: s for s in doc.sections}
    for no, (_, origin) in enumerate(markdown_lines(doc), start=1):
        if origin is None or origin[0] in ("title", "heading", "signature"):
            continue
        part, i = origin
        para = doc.opening[i] if part == "opening" else by_key[part].paragraphs[i]
        offset = len(para.heading_text)
        sentences = []
        for sent in para.sentences:
            span = range(offset + 1, offset + len(sent.text) + 1)  # report columns are 1-based
            offset += len(sent.text)
            why = unsupported(sent, src, [f for f in errors.get(no, []) if f.column in span])
            if why is None:
                sentences.append(sent)
            else:
                repairs.append(Repair(part=part, action="removed_unsupported", before=sent.text, reason=why))
        kept[(part, i)] = para.model_copy(update={"sentences": sentences})
    if not repairs:
        return doc, []
    def left(part: str, n: int) -> list[Paragraph]:
        return [kept[(part, i)] for i in range(n) if _stays(kept[(part, i)])]
    sections = [s.model_copy(update={"paragraphs": left(s.key, len(s.paragraphs))}) for s in doc.sections]
    return doc.model_copy(update={"opening": left("opening", len(doc.opening)), "sections": sections}), repairs


def _stays(para: Paragraph) -> bool:
    return bool(para.sentences or para.heading)
