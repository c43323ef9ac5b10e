"""One drafting run: records → outline → document → rendered text → check report, with
either backend. The CLI, batch and evals all come through here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.checks import Report, check
from pipeline.model.document import Document
from pipeline.drafting import draft_document
from pipeline.errors import InputError
from pipeline.model.records import Records
from pipeline.render import FORMATS, render, to_markdown
from pipeline.io import write_atomic


@dataclass
class Drafted:
    document: Document
    markdown: str  # what the checker read; line numbers in the report refer to it
    report: Report
    extra: dict = field(default_factory=dict)  # backend, usage, repairs … (LLM runs)

    def report_json(self) -> str:
        data = {**self.report.model_dump(mode="json"), **self.extra}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def choose_backend(requested: str | None, profile: str | None = None, model: str | None = None,
                   config_file: str | None = None):
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


def draft(records: Records, backend: str = "template", endpoint=None, *, use_cache: bool = True,
          cache_path: str | Path | None = None, trail_dir: str | Path | None = None) -> Drafted:
    if backend == "template":
        document = draft_document(records, backend)
        markdown = to_markdown(document)
        return Drafted(document=document, markdown=markdown, report=check(markdown, records),
                       extra={"backend": "template"})
    from pipeline.drafting import llm

    result = llm.run(records, endpoint, cache_path=cache_path, use_cache=use_cache,
                     trail_dir=trail_dir)
    return llm_drafted(result, endpoint)


def llm_drafted(result, endpoint) -> Drafted:
    """An LLM run's result as a Drafted, with usage, cost and repairs for the report."""
    extra = {"backend": "llm", "model": endpoint.model, "endpoint": endpoint.name,
             "usage": {**result.usage.as_dict(), "currency": endpoint.currency,
                       "tokens_exact": endpoint.tokens_exact},
             "usage_by_part": result.usage_by_part, "repairs": result.repairs,
             "prompt_versions": result.prompt_versions}
    if result.first_report is not None:
        extra["errors_before_repair"] = sum(f.severity == "error" for f in result.first_report.findings)
    return Drafted(document=result.document, markdown=result.markdown, report=result.report,
                   extra=extra)


def output_suffix(out: str | None, fmt: str | None) -> str:
    """The format: --format wins, else the suffix of -o, else Markdown."""
    if fmt:
        suffix = "." + fmt.lower().lstrip(".").replace("markdown", "md")
    elif out:
        suffix = Path(out).suffix.lower() or ".md"
    else:
        suffix = ".md"
    if suffix not in FORMATS:
        raise InputError(f"不支持的输出格式“{suffix}”，可选：{'、'.join(FORMATS)}")
    if suffix == ".docx" and not out:
        raise InputError("Word 格式需要用 -o 指定输出文件，例如 -o 总结.docx")
    return suffix


def write_outputs(drafted: Drafted, out: str | Path, suffix: str) -> Path:
    """The draft, then its report beside it as OUT.check.json; each write atomic."""
    out = Path(out)
    write_atomic(out, render(drafted.document, suffix))
    report_path = out.with_name(out.name + ".check.json")
    write_atomic(report_path, drafted.report_json())
    return report_path
