"""The LLM backend: every part (the opening, each practice section, problems, plans) is
drafted concurrently by the model, and a part the checker found wrong is re-asked with
the findings as the reason (`revise`). Which parts exist, their headings and the outline
come from the deterministic stages, never from the model, so no text in a record can
change them.

The orchestrator decides when to revise and what happens to a sentence still unsupported
afterwards; this module only talks to the model.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from pipeline.drafting import Accounting, SessionOptions, template
from pipeline.drafting.llm.client import ModelClient
from pipeline.drafting.llm.prompts import load_prompt, versions
from pipeline.drafting.llm.sections import Part, build_parts
from pipeline.drafting.llm.trail import Trail
from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.model.records import Records
from pipeline.model.report import Finding
from pipeline.model.run import BackendName, Progress, Repair, Usage
from pipeline.model.outline import Outline
from pipeline.text.shape import html_tag, lead_mark


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


# A heading at the start of the text or of any line in it (a reply's line break would
# otherwise let one through: “……。\n## 五、表彰先进”).
_HEADING = re.compile(r"^\s*(#|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", re.M)
# What else opens a block in Markdown at a paragraph's start: a list item, a quote, a table
# row, a bold line (“- 表彰先进”, “> …”, “| …”, “**五、…**”).
_BLOCK = re.compile(r"^\s*(?:[-*+>|]\s|\*\*|__)")


def _shaping(text: str) -> str | None:
    """Why a model's sentence would give the draft structure of its own, or None: a heading
    or number (一、 （六） 7. ＃＃), a Markdown block mark, an HTML tag."""
    if _HEADING.search(text) or lead_mark(text) or _BLOCK.match(text):
        return "正文不应含标题、序号或列表符号，标题由系统给定"
    if html_tag(text):
        return "正文不应含网页标记（如 <h2>），只写文字"
    return None


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
                shaping = _shaping(s.text)
                if shaping:
                    problems.append(shaping)
                elif any(b in s.text for b in "\n\r\u2028\u2029"):
                    problems.append("句子中不应换行：每个句子是一行，分段用 paragraphs")
        return problems[:6]
    return validate


def _paragraphs(draft: SectionDraft) -> list[Paragraph]:
    return [Paragraph(sentences=[Sentence(text=s.text.strip(), sources=list(s.sources))
                                 for s in p.sentences if s.text.strip()])
            for p in draft.paragraphs if p.sentences]


def _as_ai(draft: SectionDraft):
    from langchain_core.messages import AIMessage

    return AIMessage(content=draft.model_dump_json())


class LLMSession:
    """One run's client (a batch's places share it), its cache, and for the Batch API its
    transport: one connection pool, one limit of requests in flight."""

    def __init__(self, options: SessionOptions) -> None:
        self.endpoint = options.endpoint
        self.cache = None
        self.transport = None
        if options.via == "openai-batch":
            from pipeline.drafting.llm.batch_api import BatchTransport

            # The Batch API answers later and cheaper: there is nothing to look up first.
            self.transport = BatchTransport(self.endpoint, options.state_dir,
                                            poll_seconds=options.poll_seconds)
        elif options.use_cache:
            from pipeline.drafting.llm import open_cache

            self.cache = open_cache(options.cache_path)
        self.client = ModelClient(self.endpoint, cache=self.cache, transport=self.transport)

    def backend(self, place: str = "", trail_dir: str | Path | None = None) -> LLMBackend:
        return LLMBackend(self, place, Trail(trail_dir) if trail_dir else None)

    def places_at_once(self, places: int) -> int:
        if self.transport is not None:
            return max(1, places)  # every place in the same batches
        # A place asks several parts at a time, so half the requests allowed in flight keeps
        # every slot busy; more only makes a crowd of calls preparing requests that then
        # wait for a slot.
        return max(2, self.endpoint.concurrency // 2)

    async def aclose(self) -> None:
        try:
            await self.client.aclose()
        finally:
            if self.cache is not None:
                self.cache.close()
            if self.transport is not None:
                await self.transport.close()


class LLMBackend:
    """One document's conversation with the model."""

    name: ClassVar[BackendName] = "llm"
    revises: ClassVar[bool] = True

    def __init__(self, session: LLMSession, place: str, trail: Trail | None) -> None:
        self.endpoint = session.endpoint
        self.revise_rounds = self.endpoint.repair_rounds
        self.client = session.client
        self.transport = session.transport
        self.place = place
        self.trail = trail
        self.system = load_prompt("system").render()
        self.repairs: list[Repair] = []
        self.usage: dict[str, Usage] = {}
        self._parts: dict[str, Part] = {}
        self._drafts: dict[str, list[Paragraph]] = {}
        self._history: dict[str, list] = {}  # messages per part, for revising
        self._fallback: Document | None = None
        self._waiting = False  # counted among the Batch API's places in progress
        self.on_part: Callable[[Progress], None] | None = None
        self._told = 0  # parts finished in the current stage

    def _tell(self, stage: str, part: Part, total: int, round_: int = 0) -> None:
        self._told += 1
        if self.on_part is not None:
            self.on_part(Progress(stage=stage, done=self._told, total=total, round=round_, key=part.key,
                                  heading="" if part.kind == "opening" else part.heading))

    async def draft(self, records: Records, outline: Outline) -> Document:
        # The template's draft gives the headings and stands in for a part never answered.
        self._fallback = template.draft(records, outline)
        parts = build_parts(records, outline, self._fallback)
        self._parts = {p.key: p for p in parts}
        if self.trail:
            self.trail.begin()
        if self.transport is not None:
            from pipeline.drafting.llm.batch_api import current_place

            # The Batch API names each request after its place; set in this task's context,
            # every part drafted below inherits it.
            current_place.set(self.place or "place")
            self.transport.started()
            self._waiting = True
        self._told = 0
        if self.on_part is not None:
            self.on_part(Progress(stage="draft", total=len(parts)))

        async def one(part: Part) -> None:
            await self._draft_part(records, part)
            self._tell("draft", part, len(parts))
        await asyncio.gather(*(one(part) for part in parts))
        return self._assemble()

    async def revise(self, document: Document, findings: dict[str, list[Finding]],
                     round_: int) -> Document:
        prompt = load_prompt("repair")
        # Drafted by the template already (no answer in the history): nothing to re-ask.
        asked = {k: v for k, v in findings.items() if k in self._drafts and len(self._history.get(k, ())) >= 3}
        self._told = 0

        async def redo(key: str, found: list[Finding]) -> None:
            part = self._parts[key]
            listing = "\n".join(f"{i + 1}. “{f.excerpt}”：{f.message}" for i, f in enumerate(found))
            from langchain_core.messages import HumanMessage

            messages = self._history[key] + [HumanMessage(content=prompt.render(
                heading=part.heading, findings=listing))]
            result = await self.client.ask(f"{key}-repair{round_}", messages, SectionDraft,
                                           _validator(part), self.trail)
            self.usage[key].add(result.usage)
            if result.data is not None:
                self._drafts[key] = _paragraphs(result.data)
                self._history[key] = messages + [_as_ai(result.data)]
                self.repairs.append(Repair(part=key, action="rewritten", round=round_, reason=listing))
            self._tell("revise", part, len(asked), round_)
        await asyncio.gather(*(redo(k, v) for k, v in asked.items()))
        return self._assemble()

    def accounting(self) -> Accounting:
        total = Usage()
        for u in self.usage.values():
            total.add(u)
        ep = self.endpoint
        return Accounting(usage=total, usage_by_part=dict(self.usage), model=ep.model,
                          endpoint=ep.name, currency=ep.currency, tokens_exact=ep.tokens_exact,
                          prompt_versions=versions())

    async def aclose(self) -> None:
        if self._waiting:
            self._waiting = False
            self.transport.finished()  # a place that waits no more: the batch may go

    # -- parts -----------------------------------------------------------------------

    async def _draft_part(self, records: Records, part: Part) -> None:
        from langchain_core.messages import HumanMessage, SystemMessage

        usage = self.usage.setdefault(part.key, Usage())
        records_json = await self._fit_budget(records, part, usage)
        messages = [SystemMessage(content=self.system),
                    HumanMessage(content=part.prompt(records_json))]
        result = await self.client.ask(part.key, messages, SectionDraft, _validator(part), self.trail)
        usage.add(result.usage)
        self._history[part.key] = messages
        if result.data is None:
            self._drafts[part.key] = part.fallback
            self.repairs.append(Repair(part=part.key, action="template_section",
                                       reason="；".join(result.problems)))
        else:
            self._drafts[part.key] = _paragraphs(result.data)
            self._history[part.key] = messages + [_as_ai(result.data)]

    async def _fit_budget(self, records: Records, part: Part, usage: Usage) -> str:
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
            msg = prompt.render(county=records.county, heading=part.heading, chunk=i + 1,
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

    def _assemble(self) -> Document:
        fallback = self._fallback
        sections = [Section(key=s.key, number=s.number, heading=s.heading,
                            paragraphs=self._drafts.get(s.key, s.paragraphs))
                    for s in fallback.sections]
        opening = self._drafts.get("opening", fallback.opening)
        return fallback.model_copy(update={"opening": opening, "sections": sections,
                                           "backend": "llm"})
