"""Data files: the prompts and phrase lists in prompts/ (installed as the package
`pipeline.prompts`), and the few files a package keeps beside its code."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml where PyYAML was built with it: ~15× faster, and a batch loads hundreds of records
# files; the lexicons use it too.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str, package: str = "pipeline.prompts") -> Any:
    """Load prompts/NAME (e.g. "phrases.yaml", "lexicon/stale.yaml"), or NAME of another
    package's data, once per process."""
    node = resources.files(package)
    for part in name.split("/"):
        node = node.joinpath(part)
    return yaml.load(node.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506 - a safe loader


def read_text(name: str) -> str:
    node = resources.files("pipeline.prompts")
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


@cache
def data_version() -> str:
    """A hash over every data file (phrase bank, word lists, prompts): a batch redoes a
    place when any of them changed."""
    digest = hashlib.sha256()

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith((".yaml", ".txt")):
                digest.update(f"{prefix}{child.name}\0".encode())
                digest.update(child.read_bytes())
    walk(resources.files("pipeline.prompts"), "")
    return digest.hexdigest()[:16]
