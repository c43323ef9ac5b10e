"""Scripted model behaviours for the scripted server: a faithful writer that drafts from
the records it is shown, and writers that invent numbers, names, dates and headings.

They read the request the way a model does: from the records inside <records>…</records>
of the first user message, and the repair request, if any, in the last one.
"""

from __future__ import annotations

import json
import re

from scripted_server import Reply

from pipeline.drafting.template import activity_sentences
from pipeline.model.records import Activity, Records

USAGE = {"prompt_tokens": 100, "completion_tokens": 7}  # fixed, so tests can sum exactly


def _records_payload(body: dict) -> list[dict]:
    for m in body["messages"]:
        content = m.get("content") or ""
        if m["role"] == "user" and "<records>" in content:
            return json.loads(content.split("<records>", 1)[1].split("</records>", 1)[0])
    raise AssertionError("no <records> in the request")


def is_repair(body: dict) -> bool:
    return "核对程序发现" in (body["messages"][-1].get("content") or "")


def is_summary(body: dict) -> bool:
    return any("压缩为一句要点" in (m.get("content") or "") for m in body["messages"])


def faithful(body: dict) -> dict:
    """What a careful model writes: every fact as the records give it."""
    payload = _records_payload(body)
    if is_summary(body):
        return {"points": [{"text": "".join(s.text for s in _activity(item)), "sources": [item["id"]]}
                           for item in payload]}
    ids = [item.get("id", "") for item in payload]
    if any("units" in item or "sources" in item for item in payload):  # a practice section
        sentences = [{"text": "各单位结合实际，扎实开展宣传教育活动。", "sources": []}]
        for item in payload:
            if "units" in item:
                sentences += [{"text": s.text, "sources": [item["id"]]} for s in _activity(item)]
            else:  # a summary point
                sentences.append({"text": item["text"], "sources": item["sources"]})
        return {"paragraphs": [{"sentences": sentences}]}
    if ids and ids[0].startswith(("problems[", "plans[")):
        n = len(payload)
        return {"paragraphs": [{"sentences": [
            {"text": f"{'一二三四五六七八九十'[i]}是{item['内容'].rstrip('。')}{'。' if i == n - 1 else '；'}",
             "sources": [item["id"]]} for i, item in enumerate(payload)]}]}
    sentences = []  # the opening
    for item in payload:
        if item["id"].startswith("basis["):
            sentences.append({"text": f"根据{item['发文单位']}《{item['文件名']}》要求，精心组织开展活动。",
                              "sources": [item["id"]]})
        elif item["id"] == "count":
            sentences.append({"text": f"共组织开展各类活动{item['活动项数']}项。", "sources": ["count"]})
    sentences.append({"text": "现将有关情况总结如下。", "sources": []})
    return {"paragraphs": [{"sentences": sentences}]}


def _activity(item: dict):
    data = {k: v for k, v in item.items() if k in Activity.model_fields}
    records = Records(county="某县", year=2024, campaign="宣传月", activities=[Activity(**data)])
    return activity_sentences(records.activities[0], records)


def invent(draft: dict) -> dict:
    """The same draft with a number changed, a unit and a date invented, a heading added."""
    text = json.dumps(draft, ensure_ascii=False)
    changed = re.sub(r"(\d+)(人次|人|份|个|场)", lambda m: f"{int(m.group(1)) + 7}{m.group(2)}", text, count=1)
    out = json.loads(changed)
    para = out["paragraphs"][0]["sentences"]
    para.append({"text": "9月29日，县文化馆联合县图书馆举办民族团结主题书展，参观群众300人。", "sources": []})
    return out


class Writer:
    """A responder: `mode` says how the model behaves.

    faithful   every reply right
    invent     first draft of each section wrong, right once asked to repair
    stubborn   always wrong, even when asked to repair
    heading    first reply of each request starts with an invented heading (fails validation)
    omit       every reply leaves out the activities marked highlight
    """

    def __init__(self, mode: str = "faithful", latency: float | None = None, fenced: bool = False):
        self.mode = mode
        self.latency = latency
        self.fenced = fenced

    def __call__(self, body: dict) -> Reply:
        draft = faithful(body)
        if self.mode == "omit" and "paragraphs" in draft:
            key = {i.get("id") for i in _records_payload(body) if i.get("highlight")}
            for para in draft["paragraphs"]:
                para["sentences"] = [s for s in para["sentences"] if not (key & set(s["sources"]))]
        wrong = "paragraphs" in draft and (self.mode == "stubborn" or
                                           (self.mode == "invent" and not is_repair(body)))
        if wrong:
            draft = invent(draft)
        reasked = "无法使用" in (body["messages"][-1].get("content") or "")
        if self.mode == "heading" and "paragraphs" in draft and not reasked:
            draft["paragraphs"][0]["sentences"].insert(0, {"text": "一、加强宣传，营造氛围", "sources": []})
        return Reply(json=draft, usage=USAGE, latency=self.latency, fenced=self.fenced)


