"""Imported once before the first LLM case, so that loading LangChain and the openai
client (about a second) is not counted in the first draft's latency."""

import langchain_core.runnables  # noqa: F401
import langchain_openai  # noqa: F401
import openai  # noqa: F401

from ..llm import chain  # noqa: F401
