"""Stage 3: records + outline → Document, by one of the backends registered in BACKENDS.

A backend drafts a Document and may revise parts of it given the checker's findings. The
orchestrator (pipeline/orchestrator.py) calls the same steps whatever the backend: the
template backend drafts once and its revise is a no-op; the LLM backend's revise is a
repair call per part.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar, Literal, Protocol

from pipeline.drafting import template
from pipeline.errors import InputError
from pipeline.gcpause import paused_gc
from pipeline.model.document import Document
from pipeline.model.records import Records
from pipeline.model.report import Finding
from pipeline.model.run import BackendName, Progress, Repair, Usage
from pipeline.model.outline import Outline
from pipeline.outline import build_outline

if TYPE_CHECKING:
    from pipeline.drafting.llm.config import Endpoint


@dataclass
class SessionOptions:
    """What a drafting session may be given; each backend takes what it needs."""

    endpoint: Endpoint | None = None  # the LLM backend's endpoint
    use_cache: bool = True  # the LLM backend's call cache (SQLite), at cache_path or the default
    cache_path: str | Path | None = None
    via: Literal["direct", "openai-batch"] = "direct"  # how LLM requests are delivered
    state_dir: Path | None = None  # the Batch API's request files (a batch's OUTDIR/.zongjie-batch)
    poll_seconds: float = 30.0


@dataclass
class Accounting:
    """What a backend reports of its work beside the document."""

    usage: Usage | None = None  # None: no model was called
    usage_by_part: dict[str, Usage] | None = None
    model: str | None = None
    endpoint: str | None = None
    currency: str | None = None
    tokens_exact: bool | None = None
    prompt_versions: dict[str, str] | None = None


class Backend(Protocol):
    """Drafts one document; opened by a Session, closed by the orchestrator when done."""

    name: ClassVar[BackendName]
    # A backend that revises has its first check recorded, is given revise rounds, and
    # has any sentence still unsupported after them replaced by the template's.
    revises: ClassVar[bool]
    revise_rounds: int
    repairs: list[Repair]
    # Told each part finished (drafted, or re-asked in a revise round); set by the orchestrator.
    on_part: Callable[[Progress], None] | None

    async def draft(self, records: Records, outline: Outline) -> Document: ...

    async def revise(self, document: Document, findings: dict[str, list[Finding]],
                     round_: int) -> Document: ...

    def accounting(self) -> Accounting: ...

    async def aclose(self) -> None: ...


class Session(Protocol):
    """What the documents of one run share (a batch's places): for the LLM backend one
    connection pool, one limit of requests in flight, one cache."""

    def backend(self, place: str = "", trail_dir: str | Path | None = None) -> Backend: ...

    def places_at_once(self, places: int) -> int: ...

    async def aclose(self) -> None: ...


class TemplateBackend:
    """The embedded, deterministic drafter: the default when no model is configured."""

    name: ClassVar[BackendName] = "template"
    revises: ClassVar[bool] = False
    revise_rounds = 0

    def __init__(self) -> None:
        self.repairs: list[Repair] = []
        self.on_part: Callable[[Progress], None] | None = None  # one step, nothing to tell

    async def draft(self, records: Records, outline: Outline) -> Document:
        with paused_gc():  # all CPU, over every activity: pipeline/gcpause.py
            return template.draft(records, outline)

    async def revise(self, document: Document, findings: dict[str, list[Finding]],
                     round_: int) -> Document:
        return document  # deterministic: asked again, it writes the same text

    def accounting(self) -> Accounting:
        return Accounting()

    async def aclose(self) -> None:
        return None


class TemplateSession:
    def __init__(self, options: SessionOptions) -> None:
        pass

    def backend(self, place: str = "", trail_dir: str | Path | None = None) -> Backend:
        return TemplateBackend()

    def places_at_once(self, places: int) -> int:
        return 1  # all CPU: one place after another, in order

    async def aclose(self) -> None:
        return None


def _llm_session(options: SessionOptions) -> Session:
    from pipeline.drafting.llm.backend import LLMSession  # LangChain loads only when asked

    return LLMSession(options)


BACKENDS: dict[BackendName, Callable[[SessionOptions], Session]] = {
    "template": TemplateSession,
    "llm": _llm_session,
}


def open_session(name: BackendName, options: SessionOptions | None = None) -> Session:
    if name not in BACKENDS:
        raise InputError(f"未知的起草后端“{name}”，可选：{'、'.join(BACKENDS)}")
    return BACKENDS[name](options or SessionOptions())


def draft_document(records: Records) -> Document:
    """The template backend's draft alone, unchecked: what the benchmarks and the mutation
    self-test start from."""
    return template.draft(records, build_outline(records))


def choose_backend(requested: str | None, profile: str | None = None, model: str | None = None,
                   config_file: str | None = None) -> tuple[BackendName, Endpoint | None]:
    """(backend name, endpoint): llm when an endpoint is configured, else template."""
    if requested == "template":
        return "template", None
    from pipeline.drafting.llm.config import HOW_TO_CONFIGURE, resolve_endpoint

    endpoint = resolve_endpoint(profile=profile, model=model, config_file=config_file)
    if endpoint is None:
        if requested == "llm":
            raise InputError(HOW_TO_CONFIGURE)
        return "template", None
    return "llm", endpoint


def backend_notice(requested: str | None, backend: str, endpoint: Endpoint | None) -> str | None:
    """What to say when the backend was chosen for the user (an endpoint is configured, so
    llm), and how to choose the template instead; None when the user chose."""
    if requested is not None or backend != "llm" or endpoint is None:
        return None
    source = f"环境变量 {endpoint.api_key_env}" if endpoint.name == "env" else f"配置“{endpoint.name}”"
    return (f"提示：已检测到模型接口（{source}），使用 llm 后端（模型 {endpoint.model}）起草；"
            "只用内置模板、不调用模型时请加 --backend template")


__all__ = ["BACKENDS", "Accounting", "Backend", "Session", "SessionOptions", "TemplateBackend",
           "backend_notice", "choose_backend", "draft_document", "open_session"]
