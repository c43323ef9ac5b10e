"""A YAML document parsed once: its plain data and the line of every field path, so that
a message can say `x.yaml:22 activities[1].date`."""

from __future__ import annotations

from typing import Any

import yaml

from pipeline.resources import YAML_LOADER


class Lines:
    """The line of every field path of a document, and the keys written twice."""

    def __init__(self) -> None:
        self.lines: dict[tuple, int] = {}
        self.dup_keys: list[tuple[tuple, str]] = []  # (path of the repeated key, the key)

    def line(self, path: tuple) -> int | None:
        """The line of `path`, or of its nearest ancestor that was written."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def index(self, node: yaml.Node, path: tuple = ()) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for knode, vnode in node.value:
                key = knode.value
                if key in seen:
                    self.dup_keys.append((path + (key,), key))
                seen.add(key)
                # a key's own line, not its value's: `date:` rather than a block below it
                self.lines[path + (key,)] = knode.start_mark.line + 1
                self.index(vnode, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.index(item, path + (i,))


def parse(text: str, *, dates_as_text: bool, loader=YAML_LOADER) -> tuple[Any, Lines] | None:
    """The data and lines of a document; None when it is empty. Raises yaml.YAMLError.

    dates_as_text=True keeps timestamps (and every key) as written, so that the model, not
    PyYAML, judges an impossible date such as 2024-09-31; False constructs the data
    exactly as yaml.safe_load would (dates, anchors, merge keys)."""
    node = yaml.compose(text, Loader=loader)
    if node is None:
        return None
    lines = Lines()
    lines.index(node)
    constructor = yaml.SafeLoader("")  # only constructs from the node, never reads a stream
    data = _plain(node, constructor) if dates_as_text else constructor.construct_document(node)
    return data, lines


def _plain(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {knode.value: _plain(vnode, constructor) for knode, vnode in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, constructor) for item in node.value]
    if node.tag.endswith((":timestamp", ":str")):
        return node.value
    return constructor.construct_object(node)


def error_line(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """Where a syntax error is (1-based line, if known) and PyYAML's words for it."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return (mark.line + 1 if mark else None), (getattr(exc, "problem", None) or str(exc))
