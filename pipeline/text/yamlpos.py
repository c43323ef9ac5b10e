"""A YAML document parsed once: its plain data and the line of every field path, so that
a message can say `x.yaml:22 activities[1].date`."""

from __future__ import annotations

from typing import Any

import yaml

from pipeline import limits
from pipeline.resources import YAML_LOADER

# an alias bomb stays small as a node graph; this is the size its data would unfold to
_MAX_UNFOLDED = 1_000_000


class LimitError(ValueError):
    """The document is over one of pipeline.limits; `line` (1-based) and the Chinese reason."""

    def __init__(self, line: int | None, message: str):
        self.line, self.message = line, message
        super().__init__(message)


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

    def index(self, node: yaml.Node, path: tuple = (), seen_nodes: set | None = None) -> None:
        seen_nodes = set() if seen_nodes is None else seen_nodes
        self.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen_nodes:  # an alias: its lines are those of its anchor, not re-walked
            return
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for knode, vnode in node.value:
                key = knode.value
                if key in seen:
                    self.dup_keys.append((path + (key,), key))
                seen.add(key)
                # a key's own line, not its value's: `date:` rather than a block below it
                self.lines[path + (key,)] = knode.start_mark.line + 1
                self.index(vnode, path + (key,), seen_nodes)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.index(item, path + (i,), seen_nodes)


def parse(text: str, *, dates_as_text: bool, loader=YAML_LOADER) -> tuple[Any, Lines] | None:
    """The data and lines of a document; None when it is empty. Raises yaml.YAMLError.

    dates_as_text=True keeps timestamps (and every key) as written, so that the model, not
    PyYAML, judges an impossible date such as 2024-09-31; False constructs the data
    exactly as yaml.safe_load would (dates, anchors, merge keys)."""
    aliases, nodes = _check_events(text, loader)
    node = yaml.compose(text, Loader=loader)
    if node is None:
        return None
    if aliases or nodes > _MAX_UNFOLDED:  # without an alias the data is just its nodes
        _check_unfolded(node)
    lines = Lines()
    lines.index(node)
    constructor = yaml.SafeLoader("")  # only constructs from the node, never reads a stream
    data = _plain(node, constructor) if dates_as_text else constructor.construct_document(node)
    return data, lines


def _check_events(text: str, loader) -> tuple[int, int]:
    """Aliases and nesting counted on the event stream, before any node is built: the
    composer recurses once per level, and every alias may double what the data unfolds to.
    Returns the number of aliases and of nodes (scalars and collections)."""
    max_aliases, max_depth = limits.YAML_ALIASES.value, limits.NESTING.value
    aliases = depth = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        kind = type(event)  # one lookup per event: a large file has hundreds of thousands
        if kind is yaml.ScalarEvent:
            nodes += 1
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            nodes += 1
            depth += 1
            if depth > max_depth:
                raise LimitError(event.start_mark.line + 1, f"嵌套超过 {max_depth} 层；"
                                 f"{limits.NESTING.hint()}")
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
        elif kind is yaml.AliasEvent:
            aliases += 1
            if aliases > max_aliases:
                raise LimitError(event.start_mark.line + 1, f"别名（*引用）超过 {max_aliases} 个，"
                                 f"记录文件不需要这么多引用；{limits.YAML_ALIASES.hint()}")
    return aliases, nodes


def _check_unfolded(root: yaml.Node) -> None:
    """The number of values the data has once every alias is unfolded, counted over the
    node graph (each node once)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # post-order without recursion: children are sized before their parent
        node, done = stack.pop()
        if done:
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > _MAX_UNFOLDED:
                raise LimitError(node.start_mark.line + 1,
                                 "别名（*引用）展开后的数据过大，疑似“别名炸弹”，已拒绝读取")
            sizes[id(node)] = total
        elif id(node) not in sizes:
            sizes[id(node)] = 0  # entered; a YAML graph from aliases has no cycles
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _plain(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {knode.value: _plain(vnode, constructor) for knode, vnode in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, constructor) for item in node.value]
    if node.tag.endswith((":timestamp", ":str")):
        return node.value
    try:
        return constructor.construct_object(node)
    except ValueError as exc:  # `!!int 云岭县`, or more digits than Python converts
        if "digits" in str(exc):
            raise LimitError(node.start_mark.line + 1, f"数字位数过多（上限 {limits.INT_DIGITS} 位），请检查数值") from None
        raise LimitError(node.start_mark.line + 1, f"“{node.value[:20]}”无法按其 YAML 标签（{node.tag}）读取，"
                         "请删除该标签或改正取值") from None

