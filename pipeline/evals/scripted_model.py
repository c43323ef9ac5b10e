"""Scripted model behaviours for the scripted server (pipeline.testing): a faithful writer
that drafts from the records it is shown, writers that invent numbers, names, dates and
headings, and `ScriptedModel`, the eval suite's `scripted:<mode>` provider built on them.

They read the request the way a model does: from the records inside <records>…</records>
of the first user message, and the repair request, if any, in the last one. They live in
pipeline.evals, not pipeline.testing, because the faithful writer words activities with
the template drafter's sentences (pipeline.testing imports nothing of zongjie).
"""

from __future__ import annotations

import json
import re

from pipeline.drafting.sentences import activity_sentences
from pipeline.model.records import Activity, Records
from pipeline.testing.replies import Reply

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
        # Each part opens on its own topic: one opener in every part is a sentence twice.
        sentences = [{"text": f"各单位围绕{topic(body)}，结合实际扎实开展工作。", "sources": []}]
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


_TARGET = re.compile(r"篇幅：约(\d+)字")
_PART = re.compile(r"起草“([^”，]+)[^”]*”部分")
# Sentences without facts that a model writing to a length adds, on the part's topic (a
# careful writer says no sentence twice in a draft) and each after a sentence of fact (nor
# two such sentences in a row: style.padding); each passes every check.
FILLERS = (
    "各单位把{topic}作为铸牢中华民族共同体意识的重要抓手，精心组织，周密安排，层层压实责任，推动各项措施落地落细，"
    "确保活动有声势、有特色、有实效。",
    "在{topic}中，各部门加强协调配合，主动对接、互通情况，形成了上下联动、齐抓共管的工作格局，"
    "为宣传月各项任务顺利完成提供了有力保障。",
    "{topic}的各项措施贴近基层、贴近群众、贴近生活，形式多样，内容丰富，各族群众听得懂、记得住、用得上，"
    "参与的积极性和主动性明显提高。",
    "通过{topic}，党的民族理论和民族政策走进千家万户，民族团结进步理念更加深入人心，"
    "中华民族共同体意识在各族群众心中进一步扎根。",
    "各地围绕{topic}创新载体、丰富形式，推动宣传教育向基层延伸、向群众身边拓展，"
    "把宣传教育融入日常、抓在经常，覆盖面和影响力不断扩大。",
    "在{topic}中，各级干部深入一线，面对面宣讲党的民族政策，心贴心倾听群众呼声，"
    "帮助解决群众生产生活中的实际困难，干群关系更加密切。",
    "{topic}覆盖机关、学校、社区、乡村、企业等各个领域，线上线下同步推进，"
    "在全社会营造了人人关心、人人支持、人人参与民族团结进步事业的浓厚氛围。",
    "随着{topic}持续推进，各族干部群众交往交流交融不断深化，守望相助、团结奋斗的良好风尚进一步形成，"
    "为经济社会高质量发展凝聚了强大合力。",
)


def topic(body: dict) -> str:
    """The part's topic, the first words of its heading as the prompt names it
    (起草“丰富宣传载体，营造浓厚氛围”部分 → 丰富宣传载体)."""
    for m in body.get("messages") or []:
        hit = _PART.search(m.get("content") or "") if m.get("role") == "user" else None
        if hit:
            return hit.group(1)
    return "宣传教育"


class ScriptedModel:
    """Writer, plus two behaviours a prompt can change:

    - it writes to the length the section prompt asks for (“篇幅：约N字”), adding
      sentences without facts until it gets near N; a prompt without that line gets the
      Writer's bare draft, so a prompt variant shows in lengths, tokens and the text;
    - token counts come from the text (the server's deterministic count), not a constant.
    Mode "error" answers 401 to everything: the endpoint fails, the case is an error row.
    """

    def __init__(self, mode: str, latency: float = 0.0) -> None:
        self.mode = mode
        self.latency = latency or None
        self.writer = Writer("faithful" if mode == "error" else mode, latency=self.latency)

    def __call__(self, body: dict):
        if self.mode == "error":
            return Reply(status=401, latency=self.latency)
        reply = self.writer(body)
        reply.usage = None
        target = _target(body)
        if target and reply.json and "paragraphs" in reply.json:
            pad(reply.json, target, topic(body))
        return reply


def _target(body: dict) -> int | None:
    for m in body.get("messages") or []:
        content = m.get("content") or ""
        if m.get("role") == "user" and "<records>" in content:
            hit = _TARGET.search(content.split("<records>", 1)[0])
            return int(hit.group(1)) if hit else None
    return None


def pad(draft: dict, target: int, subject: str = "宣传教育") -> None:
    """Sentences without facts until the draft is near `target` characters: one after each
    sentence of fact that a sentence of fact follows or that ends a paragraph, then, only if
    the part is still short, the rest at its end."""
    size = sum(len(s["text"]) for p in draft["paragraphs"] for s in p["sentences"])
    fillers = iter(f.format(topic=subject) for f in FILLERS)
    for para in draft["paragraphs"]:
        out = []
        for i, sent in enumerate(para["sentences"]):
            out.append(sent)
            nxt = para["sentences"][i + 1] if i + 1 < len(para["sentences"]) else None
            if size < 0.9 * target and sent["sources"] and (nxt is None or nxt["sources"]):
                filler = next(fillers, None)
                if filler:
                    out.append({"text": filler, "sources": []})
                    size += len(filler)
        para["sentences"] = out
    rest = []  # a part of one or two activities asked for more: stock runs on, but only to
    for filler in fillers:  # well inside the length asked for (length_within: 0.5)
        if size >= 0.6 * target:
            break
        rest.append({"text": filler, "sources": []})
        size += len(filler)
    if rest:
        draft["paragraphs"][-1]["sentences"] += rest
