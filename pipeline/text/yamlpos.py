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
    if dates_as_text:
        streamed = _stream_plain(text, loader)
        if streamed is not _UNUSUAL:
            return streamed
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



# ---------------------------------------------------------------- one pass over the events

_UNUSUAL = object()  # what _stream_plain gives for a document it leaves to the node path


class _Frame:
    __slots__ = ("data", "path", "key", "seen")

    def __init__(self, data: dict | list, path: tuple) -> None:
        self.data, self.path = data, path
        self.key: Any = _UNUSUAL  # a mapping's key waiting for its value
        self.seen: set = set()


def _stream_plain(text: str, loader) -> Any:
    """parse(dates_as_text=True) of the usual records file in one pass over the event
    stream, building the data and the lines as the events come, with no node graph (for
    16,000 activities the graph and the two walks over it were most of the time and memory).

    Anything unusual (an anchor or alias, a key that is not a scalar, a second document, a
    tag the constructor refuses, more values than the unfolded limit) gives _UNUSUAL, and
    the node path reads the whole document again, so every message stays exactly its own.
    The limits on nesting are checked here at the same event as _check_events does."""
    max_depth = limits.NESTING.value
    constructor = yaml.SafeLoader("")  # resolves and constructs scalars, never reads a stream
    lines = Lines()
    stack: list[_Frame] = []
    root: Any = _UNUSUAL
    documents = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame.key is _UNUSUAL and type(frame.data) is dict:
            # a key: kept as written, with Lines.index's bookkeeping in its order
            if kind is not yaml.ScalarEvent or event.anchor is not None:
                return _UNUSUAL  # a mapping or list as a key, or an anchor
            key = event.value
            path = frame.path + (key,)
            if key in frame.seen:
                lines.dup_keys.append((path, key))
            frame.seen.add(key)
            lines.lines[path] = event.start_mark.line + 1
            frame.key = key
            nodes += 1
            continue
        if kind is yaml.ScalarEvent:
            value = _scalar(event, constructor)
            if value is _UNUSUAL or event.anchor is not None:
                return _UNUSUAL
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None:
                return _UNUSUAL
            if len(stack) + 1 > max_depth:
                raise LimitError(event.start_mark.line + 1, f"嵌套超过 {max_depth} 层；"
                                 f"{limits.NESTING.hint()}")
            value = {} if kind is yaml.MappingStartEvent else []
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return _UNUSUAL
            continue
        elif kind is yaml.AliasEvent:
            return _UNUSUAL
        else:  # stream start and end, document end
            continue
        nodes += 1
        line = event.start_mark.line + 1
        if frame is None:
            path = ()
            lines.lines.setdefault(path, line)
            root = value
        elif type(frame.data) is list:
            path = frame.path + (len(frame.data),)
            lines.lines.setdefault(path, line)
            frame.data.append(value)
        else:  # a value: its key's line stands for it
            path = frame.path + (frame.key,)
            frame.data[frame.key] = value
            frame.key = _UNUSUAL
        if kind is not yaml.ScalarEvent:
            stack.append(_Frame(value, path))
    if root is _UNUSUAL:
        return None
    if nodes > _MAX_UNFOLDED:
        return _UNUSUAL
    return root, lines


def _scalar(event: yaml.ScalarEvent, constructor: yaml.SafeLoader) -> Any:
    """A scalar as _plain gives it: its tag resolved as the composer resolves it, then the
    text of a string or a timestamp, else the constructed value; _UNUSUAL where the
    constructor refuses it (the node path then says why)."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = constructor.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag.endswith((":timestamp", ":str")):
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return constructor.construct_object(node)
    except Exception:  # noqa: BLE001 - whatever it is, the node path raises it as it always did
        return _UNUSUAL
