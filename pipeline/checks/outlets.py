"""Outlet names that do not end in a media suffix (学习强国, 人民网, 央视频道): read by
facts.entity's media check, data in prompts/lexicon/outlets.yaml."""

from __future__ import annotations

from functools import cache

from pipeline.resources import load_yaml


@cache
def _outlets() -> tuple[tuple[str, ...], tuple[str, ...], frozenset]:
    data = load_yaml("lexicon/outlets.yaml")
    names = tuple(sorted((e["word"] for e in data["names"]), key=len, reverse=True))
    suffixes = tuple(e["word"] for e in data["suffixes"])
    return names, suffixes, frozenset(e["word"] for e in data["not_outlets"])


def outlet_shaped(name: str) -> bool:
    """学习强国, 学习强国平台, 人民网, 新华网客户端; not 互联网, 网格, 新媒体平台."""
    names, suffixes, not_outlets = _outlets()
    if name in not_outlets or name.endswith(tuple(not_outlets)):
        return False
    if name.startswith(names):
        return True
    return len(name) >= 3 and name.endswith(suffixes)
