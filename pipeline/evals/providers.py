"""Providers: how a variant turns records into a checked draft.

    template     the embedded deterministic backend
    handwritten  the fixture's hand-written draft, checked as it is (the echo provider:
                 it tests the plumbing of metrics, assertions and reports without a model)
    llm          an OpenAI-compatible endpoint: `scripted:<mode>` starts the offline
                 scripted server (pipeline.testing) on 127.0.0.1 with a scripted model
                 (scripted_model.py), `profile:<name>` or `endpoint:` a real one

A provider that cannot start (no key, a bad endpoint) does not raise: its `error` is set
and every case of the variant becomes an error row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.checks import Report, check
from pipeline.model.document import Document
from pipeline.model.run import Run
from pipeline.errors import ZongjieError
from pipeline.evals.suite import Fixture, Plan
from pipeline.inputs import read_draft

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
        from pipeline.drafting.llm.config import Endpoint, base_url_fault, resolve_endpoint

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
                fault = base_url_fault(fields.get("base_url"))
                if fault:
                    raise ProviderError(f"变体“{v.name}”的 endpoint.base_url 有误：{fault}")
                endpoint = endpoint.model_copy(update=fields)
        else:
            try:
                endpoint = Endpoint(**{"name": "suite", **fields})
            except ValidationError as exc:
                raise ProviderError(f"变体“{v.name}”的 endpoint 有误："
                                    f"{exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
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

def start_scripted(mode: str, latency: float):
    from pipeline.evals.scripted_model import ScriptedModel
    from pipeline.testing.scripted_server import ScriptedServer

    server = ScriptedServer().start()
    server.responder = ScriptedModel(mode, latency)
    return server
