"""Prompt files (prompts/llm/*.txt) with a strict loader: `{name}` fields are filled from
keyword arguments; a missing or unknown variable is an error naming it. Each prompt's
hash goes into the run trail and the cache key, so a changed prompt is a new version."""

from __future__ import annotations

import hashlib
import string
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from pipeline.resources import read_text

NAMES = ("system", "section", "opening", "closing", "repair", "summarize", "reask")


class PromptError(Exception):
    pass


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def fields(self) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(self.text) if f is not None}

    @property
    def version(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    def render(self, **values: object) -> str:
        missing = self.fields - values.keys()
        unknown = values.keys() - self.fields
        if missing:
            raise PromptError(f"提示词 {self.name}.txt 缺少变量：{'、'.join(sorted(missing))}")
        if unknown:
            raise PromptError(f"提示词 {self.name}.txt 没有变量：{'、'.join(sorted(unknown))}")
        return self.text.format(**values)


# Prompt overrides of the current context (evals compare prompt variants): name → text.
# A ContextVar, so concurrent runs in threads or tasks each see their own variant.
_OVERRIDES: ContextVar[dict[str, str] | None] = ContextVar("zongjie_prompt_overrides", default=None)


@contextmanager
def prompt_overrides(texts: dict[str, str]):
    """Within the block, `load_prompt(name)` returns `texts[name]` instead of the packaged
    file (validated the same way); other names are unchanged."""
    unknown = set(texts) - set(NAMES)
    if unknown:
        raise PromptError(f"没有名为 {'、'.join(sorted(unknown))} 的提示词；可用：{'、'.join(NAMES)}")
    token = _OVERRIDES.set({**(_OVERRIDES.get() or {}), **texts})
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def load_prompt(name: str) -> Prompt:
    overrides = _OVERRIDES.get()
    if overrides and name in overrides:
        return _checked(Prompt(name=name, text=overrides[name]))
    return _packaged_prompt(name)


@cache
def _packaged_prompt(name: str) -> Prompt:
    if name not in NAMES:
        raise PromptError(f"没有名为 {name} 的提示词；可用：{'、'.join(NAMES)}")
    text = read_text(f"llm/{name}.txt")
    return _checked(Prompt(name=name, text=text))


def _checked(prompt: Prompt) -> Prompt:
    name = prompt.name
    for field in prompt.fields:  # positional or attribute fields are typos, not variables
        if not field.isidentifier():
            raise PromptError(f"提示词 {name}.txt 中的变量名“{{{field}}}”无效")
    return prompt


def versions() -> dict[str, str]:
    return {name: load_prompt(name).version for name in NAMES}
