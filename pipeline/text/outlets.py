"""An outlet as a sentence may name it: “桂园之声”公众号 and 桂园之声微信公众号 are one outlet.
Its own name is what is left without quote marks and a trailing platform word
(prompts/lexicon/outlets.yaml `platforms`)."""

from __future__ import annotations

import re

from pipeline.resources import load_yaml

_MARKS = re.compile(r"[“”‘’\"'《》「」]")


def outlet_core(name: str) -> str:
    """桂园之声 for 桂园之声微信公众号 or “桂园之声”公众号; the name itself when no platform word ends it."""
    plain = _MARKS.sub("", name)
    for word in sorted(load_yaml("lexicon/outlets.yaml")["platforms"], key=len, reverse=True):
        if plain.endswith(word) and len(plain) > len(word):
            return plain[: -len(word)]
    return plain


def names_outlet(text: str, outlet: str) -> bool:
    """Whether `text` already names `outlet` by its own name (two characters at least)."""
    core = outlet_core(outlet)
    return len(core) >= 2 and core in _MARKS.sub("", text)
