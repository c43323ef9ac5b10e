"""The parts the model drafts (opening, each practice section, problems, plans): what
records each one sees, which record ids it may cite, and its template fallback.

Records reach the prompt as JSON inside <records>…</records>, with < and > escaped, so
no text in a note can close the delimiter or pose as part of the prompt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from pipeline.model.document import Document, Paragraph
from pipeline.model.length import LengthTarget
from pipeline.model.outline import Outline
from pipeline.model.records import Activity, Records
from pipeline.drafting.llm.prompts import load_prompt
from pipeline.drafting.phrasing import kinds
from pipeline.text.kinds import spoken_names


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    sources: list[str]


class Points(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: list[Point]


@dataclass
class Part:
    key: str  # a section key, or "opening"
    kind: str  # "opening" | "practice" | "problems" | "plans"
    heading: str
    allowed_ids: list[str]
    payload: list[dict]
    fallback: list[Paragraph]
    records: Records

    def prompt(self, records_json: str) -> str:
        r = self.records
        common = {"county": r.county, "year": r.year, "campaign": r.campaign,
                  "allowed_ids": "、".join(self.allowed_ids), "records_json": records_json}
        if self.kind == "opening":
            return load_prompt("opening").render(headings=self.heading, **common)
        if self.kind == "practice":
            return load_prompt("section").render(heading=self.heading, brief=self.brief,
                                                 target_chars=self.target, **common)
        return load_prompt("closing").render(heading=self.heading, **common)

    brief: str = ""
    target: int = 0  # a practice part's length (pipeline/model/length.py), as its prompt states it


def records_json(payload: list[dict]) -> str:
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def activity_payload(a: Activity) -> dict:
    data = a.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["id"] = a.id
    return data


def chunk_records(payload: list[dict], budget: int) -> list[list[dict]]:
    """Consecutive chunks, each within the token budget (a single oversized item alone)."""
    from pipeline.drafting.llm.tokens import count_tokens

    chunks: list[list[dict]] = [[]]
    size = 0
    for item in payload:
        cost = count_tokens(records_json([item]))
        if chunks[-1] and size + cost > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += cost
    return chunks


def build_parts(records: Records, outline: Outline, fallback: Document) -> list[Part]:
    acts = {a.id: a for a in records.activities}
    opening_payload: list[dict] = []
    for i, b in enumerate(records.basis):
        opening_payload.append({"id": f"basis[{i}]", "发文单位": b.issuer, "文件名": b.title})
    if records.period:
        opening_payload.append({"id": "period", "开始": records.period.start, "结束": records.period.end})
    for i, t in enumerate(records.totals):
        opening_payload.append({"id": f"totals[{i}]", **t.model_dump(exclude_defaults=True)})
    opening_payload.append({"id": "count", "活动项数": len(records.activities)})
    headings = "；".join(s.heading_line for s in fallback.sections)
    parts = [Part(key="opening", kind="opening", heading=headings,
                  allowed_ids=[p["id"] for p in opening_payload] + list(acts),
                  payload=opening_payload, fallback=fallback.opening, records=records)]
    spoken = spoken_names(kinds(records), records.author)  # as the template says its own name
    for spec, section in zip(outline.sections, fallback.sections):
        if spec.kind == "practice":
            if not spec.activity_ids:
                continue  # nothing to report: the template's working sentence stands
            payload = [activity_payload(acts[i]) for i in spec.activity_ids]
            parts.append(Part(key=spec.key, kind="practice", heading=section.heading,
                              allowed_ids=list(spec.activity_ids), payload=payload,
                              fallback=section.paragraphs, records=records,
                              brief=spec.brief or section.heading,
                              target=LengthTarget().target((acts[i] for i in spec.activity_ids), spoken)))
        else:
            items = records.problems if spec.kind == "problems" else records.plans
            if not items:
                continue
            payload = [{"id": f"{spec.kind}[{i}]", "内容": t} for i, t in enumerate(items)]
            parts.append(Part(key=spec.key, kind=spec.kind, heading=section.heading,
                              allowed_ids=[p["id"] for p in payload], payload=payload,
                              fallback=section.paragraphs, records=records))
    return parts
