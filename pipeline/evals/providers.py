"""Providers: how a variant turns records into a checked draft.

    template     the embedded deterministic backend
    handwritten  the fixture's hand-written draft, checked as it is (the echo provider:
                 it tests the plumbing of metrics, assertions and reports without a model)
    llm          an OpenAI-compatible endpoint: `scripted:<mode>` starts the offline
                 scripted server of tests/ on 127.0.0.1, `profile:<name>` or `endpoint:`
                 a real one

A provider that cannot start (no key, no scripted server in an installed copy) does not
raise: its `error` is set and every case of the variant becomes an error row.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.checks import Report, check
from pipeline.model.document import Document
from pipeline.model.run import Run
from pipeline.inputs import read_draft
from pipeline.errors import ZongjieError
from pipeline.evals.suite import Fixture, Plan

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Output:
    markdown: str
    report: Report
    document: Document | None  # None for a hand-written draft
    run: Run | None = None  # what a drafting backend reports; None for a hand-written draft


class ProviderError(Exception):
    """A provider that cannot start: every case of its variant becomes an error row."""


class Provider:
    """One variant's way of drafting; a context manager (the scripted server lives in it)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.endpoint = None
        self.error: str | None = None
        self.label = plan.backend

    def __enter__(self) -> Provider:
        try:
            self.start()
        except (ProviderError, ZongjieError) as exc:
            self.error = str(exc)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def draft(self, records, fixture: Fixture, trail_dir: Path | None) -> Output:
        raise NotImplementedError


class TemplateProvider(Provider):
    def draft(self, records, fixture, trail_dir) -> Output:
        from pipeline.orchestrator import draft

        d = draft(records, backend="template")
        return Output(d.markdown, d.report, d.document, d)


class HandwrittenProvider(Provider):
    def __init__(self, plan: Plan) -> None:
        super().__init__(plan)
        self.label = "手写稿"

    def draft(self, records, fixture, trail_dir) -> Output:
        text = read_draft(fixture.draft)
        return Output(text, check(text, records), None)


class LLMProvider(Provider):
    def __init__(self, plan: Plan) -> None:
        super().__init__(plan)
        v = plan.variant
        self.label = v.provider or f"endpoint:{(v.endpoint.base_url if v.endpoint else '') or ''}"
        self.server = None

    def start(self) -> None:
        from pydantic import SecretStr, ValidationError

        from pipeline.drafting.llm import preload
        from pipeline.drafting.llm.config import Endpoint, resolve_endpoint

        preload()  # not counted in the first case's latency

        v = self.plan.variant
        kind, _, arg = (v.provider or "").partition(":")
        fields = v.endpoint.model_dump(exclude_none=True) if v.endpoint else {}
        if kind == "scripted":
            self.server = start_scripted(arg, v.latency)
            base = {"name": v.provider, "base_url": self.server.base_url, "model": "scripted-model",
                    "timeout": 10.0, "max_retries": 0}
            fields.pop("base_url", None)  # the scripted server's address, always
            endpoint = Endpoint(**{**base, **fields})
            endpoint = endpoint.model_copy(update={"api_key": SecretStr("local")})
        elif kind == "profile":
            endpoint = resolve_endpoint(profile=arg, model=v.model)
            if fields:
                endpoint = endpoint.model_copy(update=fields)
        else:
            try:
                endpoint = Endpoint(**{"name": "suite", **fields})
            except ValidationError as exc:
                raise ProviderError(f"变体“{v.name}”的 endpoint 有误：{exc.errors()[0]['msg']}") from None
            endpoint = _with_key(endpoint)
        if v.model:
            endpoint = endpoint.model_copy(update={"model": v.model})
        self.endpoint = endpoint
        self.label = f"{v.provider or endpoint.base_url} · {endpoint.model}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def draft(self, records, fixture, trail_dir) -> Output:
        from pipeline.drafting.llm.prompts import prompt_overrides
        from pipeline.orchestrator import draft

        with prompt_overrides(self.plan.prompts):
            d = draft(records, backend="llm", endpoint=self.endpoint, use_cache=self.plan.variant.cache,
                      trail_dir=trail_dir)
        return Output(d.markdown, d.report, d.document, d)


PROVIDERS: dict[str, type[Provider]] = {"template": TemplateProvider, "handwritten": HandwrittenProvider,
                                        "llm": LLMProvider}


def provider_for(plan: Plan) -> Provider:
    return PROVIDERS[plan.backend](plan)


def _with_key(endpoint):
    import os

    from pydantic import SecretStr

    key = os.environ.get(endpoint.api_key_env)
    if not key and endpoint.base_url and endpoint.base_url.startswith(("http://127.", "http://localhost")):
        key = "local"
    if not key:
        raise ProviderError(f"模型接口需要环境变量 {endpoint.api_key_env} 中的密钥，但它未设置"
                            f"（在套件的 endpoint.api_key_env 中指定变量名；密钥不写进套件文件）")
    return endpoint.model_copy(update={"api_key": SecretStr(key)})


# ---------------------------------------------------------------- the scripted model

def tests_dir() -> Path | None:
    for base in (ROOT, Path.cwd()):
        if (base / "tests" / "scripted_server.py").is_file() and (base / "tests" / "fake_models.py").is_file():
            return base / "tests"
    return None


def start_scripted(mode: str, latency: float):
    folder = tests_dir()
    if folder is None:
        raise ProviderError("离线脚本模型（scripted:…）需要 zongjie 源码中的 tests/scripted_server.py 与 "
                            "tests/fake_models.py：请在源码目录中运行，或改用 profile:<配置名> 的真实接口")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    from scripted_server import ScriptedServer  # noqa: PLC0415  (tests/ on sys.path)

    server = ScriptedServer().start()
    server.responder = ScriptedModel(mode, latency)
    return server


_TARGET = re.compile(r"篇幅：约(\d+)字")
# Sentences without facts that a model writing to a length adds; each passes every check.
FILLERS = (
    "各单位把宣传月活动作为铸牢中华民族共同体意识的重要抓手，精心组织，周密安排。",
    "活动注重贴近基层、贴近群众，形式多样，内容丰富，群众参与热情较高。",
    "各部门加强协调配合，形成了上下联动、齐抓共管的工作格局。",
    "通过集中宣传与日常教育相结合，民族团结进步理念更加深入人心。",
    "各地结合实际创新载体，推动宣传教育向基层延伸、向群众身边拓展。",
    "活动期间，各级干部深入一线，面对面宣讲党的民族政策。",
    "宣传教育覆盖机关、学校、社区、乡村等各个领域，营造了浓厚氛围。",
    "各族干部群众交往交流交融不断深化，守望相助的良好风尚进一步形成。",
)


class ScriptedModel:
    """tests/fake_models.Writer, plus two behaviours a prompt can change:

    - it writes to the length the section prompt asks for (“篇幅：约N字”), adding
      sentences without facts until it gets near N; a prompt without that line gets the
      Writer's bare draft, so a prompt variant shows in lengths, tokens and the text;
    - token counts come from the text (the server's deterministic count), not a constant.
    Mode "error" answers 401 to everything: the endpoint fails, the case is an error row.
    """

    def __init__(self, mode: str, latency: float = 0.0) -> None:
        from fake_models import Writer  # noqa: PLC0415

        self.mode = mode
        self.latency = latency or None
        self.writer = Writer("faithful" if mode == "error" else mode, latency=self.latency)

    def __call__(self, body: dict):
        from scripted_server import Reply  # noqa: PLC0415

        if self.mode == "error":
            return Reply(status=401, latency=self.latency)
        reply = self.writer(body)
        reply.usage = None
        target = _target(body)
        if target and reply.json and "paragraphs" in reply.json:
            pad(reply.json, target)
        return reply


def _target(body: dict) -> int | None:
    for m in body.get("messages") or []:
        content = m.get("content") or ""
        if m.get("role") == "user" and "<records>" in content:
            hit = _TARGET.search(content.split("<records>", 1)[0])
            return int(hit.group(1)) if hit else None
    return None


def pad(draft: dict, target: int) -> None:
    sentences = [s for p in draft["paragraphs"] for s in p["sentences"]]
    size = sum(len(s["text"]) for s in sentences)
    extra = []
    for filler in FILLERS:
        if size >= 0.9 * target:
            break
        extra.append({"text": filler, "sources": []})
        size += len(filler)
    if extra:
        draft["paragraphs"].append({"sentences": extra})
