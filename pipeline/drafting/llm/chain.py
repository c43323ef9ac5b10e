"""The LLM backend as a LangChain runnable: outline → every section (and the opening and
closing parts) drafted concurrently → assemble → check → repair.

Headings and the outline come from the deterministic stages, never from the model, so
no text in a record can change them. Sections whose check finds errors are re-asked with
the findings as the reason, up to `repair_rounds`; a sentence still unsupported after
that is replaced by the template backend's sentences for the same records, and the
result says so. A draft never carries an unsupported fact silently.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from pipeline.checks import Report, check
from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.drafting import template
from pipeline.outline import Outline, build_outline
from pipeline.model.records import Records
from pipeline.render import markdown_lines, to_markdown
from pipeline.drafting.llm.client import ModelClient, Usage
from pipeline.drafting.llm.config import Endpoint
from pipeline.drafting.llm.prompts import load_prompt, versions
from pipeline.drafting.llm.sections import Part, build_parts
from pipeline.drafting.llm.trail import RUN, Trail


class DraftSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    sources: list[str]


class DraftParagraph(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sentences: list[DraftSentence]


class SectionDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paragraphs: list[DraftParagraph]


@dataclass
class LLMResult:
    document: Document
    markdown: str
    report: Report
    usage: Usage
    usage_by_part: dict[str, dict]
    repairs: list[dict]
    prompt_versions: dict[str, str]
    first_report: Report | None = None  # before any repair, for the trail and evals


@dataclass
class _State:
    records: Records
    outline: Outline
    fallback: Document  # the template backend's draft: headings and replacement sentences
    parts: list[Part]
    drafts: dict[str, list[Paragraph]] = field(default_factory=dict)
    history: dict[str, list] = field(default_factory=dict)  # messages per part, for repair
    usage: dict[str, Usage] = field(default_factory=dict)
    repairs: list[dict] = field(default_factory=list)
    first_report: Report | None = None


def _validator(part: Part):
    allowed = set(part.allowed_ids)

    def validate(draft: SectionDraft) -> list[str]:
        problems = []
        if not draft.paragraphs or not any(p.sentences for p in draft.paragraphs):
            problems.append("paragraphs 为空")
        for p in draft.paragraphs:
            for s in p.sentences:
                unknown = [i for i in s.sources if i not in allowed]
                if unknown:
                    problems.append(f"sources 中的编号 {'、'.join(unknown)} 不属于本部分")
                if s.text.lstrip().startswith(("#", "一、", "二、", "三、", "（一）")):
                    problems.append("正文不应含标题或序号，标题由系统给定")
        return problems[:6]
    return validate


def _paragraphs(draft: SectionDraft) -> list[Paragraph]:
    return [Paragraph(sentences=[Sentence(text=s.text.strip(), sources=list(s.sources))
                                 for s in p.sentences if s.text.strip()])
            for p in draft.paragraphs if p.sentences]


class Drafter:
    """Holds the run's client; `chain()` is the runnable users compose."""

    def __init__(self, endpoint: Endpoint, cache=None, trail: Trail | None = None,
                 client: ModelClient | None = None) -> None:
        self.endpoint = endpoint
        # A batch passes one client to every place: one HTTP pool, one limit in flight.
        self.client = client or ModelClient(endpoint, cache=cache)
        self.trail = trail
        self.system = load_prompt("system").render()

    # -- stages ----------------------------------------------------------------------

    def prepare(self, records: Records) -> _State:
        outline = build_outline(records)
        fallback = template.draft(records, outline)
        state = _State(records=records, outline=outline, fallback=fallback,
                       parts=build_parts(records, outline, fallback))
        if self.trail:
            self.trail.begin()
        return state

    async def draft_all(self, state: _State) -> _State:
        await asyncio.gather(*(self._draft_part(state, part) for part in state.parts))
        return state

    async def _draft_part(self, state: _State, part: Part) -> None:
        from langchain_core.messages import HumanMessage, SystemMessage

        usage = state.usage.setdefault(part.key, Usage())
        records_json = await self._fit_budget(state, part, usage)
        messages = [SystemMessage(content=self.system),
                    HumanMessage(content=part.prompt(records_json))]
        result = await self.client.ask(part.key, messages, SectionDraft, _validator(part), self.trail)
        usage.add(result.usage)
        state.history[part.key] = messages
        if result.data is None:
            state.drafts[part.key] = part.fallback
            state.repairs.append({"part": part.key, "action": "template_section",
                                  "reason": "；".join(result.problems)})
        else:
            state.drafts[part.key] = _paragraphs(result.data)
            state.history[part.key] = messages + [_as_ai(result.data)]

    async def _fit_budget(self, state: _State, part: Part, usage: Usage) -> str:
        """The records of a part as prompt text; over the token budget, chunked summaries."""
        from langchain_core.messages import HumanMessage, SystemMessage

        from pipeline.drafting.llm.sections import Points, chunk_records, records_json
        from pipeline.drafting.llm.tokens import count_tokens

        text = records_json(part.payload)
        budget = self.endpoint.section_token_budget
        # A token is at least one byte: a text of no more bytes than the budget needs no count.
        if len(text.encode("utf-8")) <= budget or count_tokens(text) <= budget or len(part.payload) <= 1:
            return text
        chunks = chunk_records(part.payload, budget)
        prompt = load_prompt("summarize")

        async def summarize(i: int, chunk: list) -> list:
            msg = prompt.render(county=state.records.county, heading=part.heading, chunk=i + 1,
                                chunks=len(chunks), records_json=records_json(chunk))
            result = await self.client.ask(f"{part.key}-summary{i + 1}",
                                           [SystemMessage(content=self.system), HumanMessage(content=msg)],
                                           Points, trail=self.trail)
            usage.add(result.usage)
            if result.data is None:  # an unusable summary: keep the chunk's records as they are
                return chunk
            return [p.model_dump() for p in result.data.points]
        summaries = await asyncio.gather(*(summarize(i, c) for i, c in enumerate(chunks)))
        return records_json([item for s in summaries for item in s])

    def assemble(self, state: _State) -> Document:
        sections = []
        for s in state.fallback.sections:
            sections.append(Section(key=s.key, number=s.number, heading=s.heading,
                                    paragraphs=state.drafts.get(s.key, s.paragraphs)))
        opening = state.drafts.get("opening", state.fallback.opening)
        return state.fallback.model_copy(update={"opening": opening, "sections": sections,
                                                 "backend": "llm"})

    async def repair(self, state: _State) -> tuple[Document, Report]:
        from langchain_core.messages import HumanMessage

        doc = self.assemble(state)
        report = check(to_markdown(doc), state.records)
        state.first_report = report
        prompt = load_prompt("repair")
        for _round in range(self.endpoint.repair_rounds):
            by_part = _findings_by_part(doc, report)
            if not by_part:
                break

            async def redo(key: str, findings: list) -> None:
                part = next(p for p in state.parts if p.key == key)
                if key not in state.history or len(state.history[key]) < 3:
                    return  # drafted by the template already: nothing to re-ask
                listing = "\n".join(f"{i + 1}. “{f.excerpt}”：{f.message}" for i, f in enumerate(findings))
                messages = state.history[key] + [HumanMessage(content=prompt.render(
                    heading=part.heading, findings=listing))]
                result = await self.client.ask(f"{key}-repair{_round + 1}", messages, SectionDraft,
                                               _validator(part), self.trail)
                state.usage[key].add(result.usage)
                if result.data is not None:
                    state.drafts[key] = _paragraphs(result.data)
                    state.history[key] = messages + [_as_ai(result.data)]
                    state.repairs.append({"part": key, "action": "rewritten", "round": _round + 1,
                                          "reason": listing})
            await asyncio.gather(*(redo(k, v) for k, v in by_part.items() if k in state.drafts))
            doc = self.assemble(state)
            report = check(to_markdown(doc), state.records)
        if not report.ok:
            doc = _replace_unsupported(state, doc, report)
            doc = _add_missing_highlights(state, doc, report)
            report = check(to_markdown(doc), state.records)
        return doc, report

    def finish(self, state: _State, doc: Document, report: Report) -> LLMResult:
        total = Usage()
        for u in state.usage.values():
            total.add(u)
        result = LLMResult(document=doc, markdown=to_markdown(doc), report=report, usage=total,
                           usage_by_part={k: u.as_dict() for k, u in state.usage.items()},
                           repairs=state.repairs, prompt_versions=versions(),
                           first_report=state.first_report)
        if self.trail:
            self.trail.write(RUN, {
                "outline": state.outline.model_dump(mode="json"),
                "prompt_versions": result.prompt_versions,
                "usage": {"total": total.as_dict(), "parts": result.usage_by_part,
                          "tokens_exact": self.endpoint.tokens_exact},
                "repairs": state.repairs,
                "check_before_repair": None if state.first_report is None
                else state.first_report.model_dump(mode="json"),
                "check": report.model_dump(mode="json"),
                "markdown": result.markdown,
            })
        return result

    # -- the runnable ----------------------------------------------------------------

    def chain(self):
        from langchain_core.runnables import RunnableLambda

        async def run_repair(state: _State) -> tuple:
            doc, report = await self.repair(state)
            return state, doc, report

        async def prepare(records: Records) -> _State:
            return self.prepare(records)

        async def finish(t: tuple) -> LLMResult:
            return self.finish(*t)

        # Every step a coroutine: LangChain runs plain functions in a thread pool, and a
        # thread doing milliseconds of CPU only fights the event loop for the GIL.
        return (RunnableLambda(prepare, name="outline")
                | RunnableLambda(self.draft_all, name="draft_sections")
                | RunnableLambda(run_repair, name="check_and_repair")
                | RunnableLambda(finish, name="assemble"))


def _as_ai(draft: SectionDraft):
    from langchain_core.messages import AIMessage

    return AIMessage(content=draft.model_dump_json())


def _findings_by_part(doc: Document, report: Report) -> dict[str, list]:
    """Error findings grouped by the part (section key or "opening") whose text they hit."""
    origins = markdown_lines(doc)
    by_part: dict[str, list] = {}
    for f in report.findings:
        if f.severity != "error":
            continue
        origin = origins[f.line - 1][1] if 0 < f.line <= len(origins) else None
        if origin and origin[0] not in ("title", "heading", "signature"):
            by_part.setdefault(origin[0], []).append(f)
        elif f.check == "coverage" and f.records:
            key = next((s.key for s in doc.sections for p in s.paragraphs for x in p.sentences
                        if set(f.records) & set(x.sources)), None)
            if key:
                by_part.setdefault(key, []).append(f)
    return by_part


def _add_missing_highlights(state: _State, doc: Document, report: Report) -> Document:
    """A key activity the model left out, still missing after the repair rounds: the
    template's sentences for it go at the end of its section."""
    from pipeline.drafting.llm.sections import template_sentences

    missing = [rid for f in report.findings if f.check == "coverage" and f.severity == "error"
               for rid in f.records]
    if not missing:
        return doc
    home = {aid: s.key for s in state.outline.sections for aid in s.activity_ids}
    sections = []
    for section in doc.sections:
        added = [sent for rid in missing if home.get(rid) == section.key
                 for sent in template_sentences(state.records, state.fallback, section.key, [rid])]
        if added:
            state.repairs.append({"part": section.key, "action": "added_from_template",
                                  "after": "".join(x.text for x in added), "reason": "重点活动未提及"})
            section = section.model_copy(update={"paragraphs": section.paragraphs + [Paragraph(sentences=added)]})
        sections.append(section)
    return doc.model_copy(update={"sections": sections})


def _replace_unsupported(state: _State, doc: Document, report: Report) -> Document:
    """Replace each sentence an error finding points at with the template's sentences for
    the same records; a sentence with no records behind it is dropped."""
    from pipeline.drafting.llm.sections import template_sentences

    origins = markdown_lines(doc)
    targets: dict[tuple, list] = {}
    for f in report.findings:
        if f.severity == "error" and 0 < f.line <= len(origins) and origins[f.line - 1][1]:
            part, idx = origins[f.line - 1][1]
            if part not in ("title", "heading", "signature"):
                targets.setdefault((part, idx), []).append(f)
    sections = {s.key: s for s in doc.sections}
    opening = list(doc.opening)
    for (part, idx), findings in targets.items():
        paragraphs = opening if part == "opening" else list(sections[part].paragraphs)
        para = paragraphs[idx]
        new: list[Sentence] = []
        offset = 0
        hit = {f.column - 1 for f in findings}
        for sent in para.sentences:
            span = range(offset, offset + len(sent.text))
            offset += len(sent.text)
            if not any(c in span for c in hit):
                new.append(sent)
                continue
            replacement = template_sentences(state.records, state.fallback, part, sent.sources)
            state.repairs.append({"part": part, "action": "replaced_with_template",
                                  "before": sent.text, "after": "".join(s.text for s in replacement),
                                  "reason": "；".join(f.message for f in findings)})
            new.extend(r for r in replacement if r.text not in {s.text for s in new})
        paragraphs[idx] = Paragraph(sentences=new)
        if part != "opening":
            sections[part] = sections[part].model_copy(update={"paragraphs": paragraphs})
    # A paragraph left with no sentence goes; the indices above were taken before this.
    opening = [p for p in opening if p.sentences]
    kept = [s.model_copy(update={"paragraphs": [p for p in s.paragraphs if p.sentences]})
            for s in (sections[s.key] for s in doc.sections)]
    return doc.model_copy(update={"opening": opening, "sections": kept})
