"""Reading a suite file for messages: the YAML with the line of every field, and
pydantic's validation errors turned into one Chinese problem per field (file, line, path)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import InputError, Problem
from pipeline.inputs.records import format_path
from pipeline.evals import assertions as A


class Lines:
    """The line of every field path of a YAML document (for messages)."""

    def __init__(self, node: yaml.Node | None = None) -> None:
        self.lines: dict[tuple, int] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                self.lines[path + (k.value,)] = k.start_mark.line + 1
                self._walk(v, path + (k.value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._walk(v, path + (i,))

    def line(self, path: tuple) -> int | None:
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)


def parse_yaml(path: Path, text: str) -> tuple[Any, Lines]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(str(path), mark.line + 1 if mark else None, "",
                                  f"YAML 语法错误：{getattr(exc, 'problem', None) or exc}")]) from None
    if node is None:
        raise InputError([Problem(str(path), 1, "", "评测套件文件为空")])
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, "", "评测套件应为映射（description、fixtures、variants 等键）")])
    return data, Lines(node)


_TYPE_WORDS = {"string_type": "文字", "int_type": "整数", "int_parsing": "整数", "float_type": "数值",
               "float_parsing": "数值", "bool_type": "true 或 false", "bool_parsing": "true 或 false",
               "list_type": "列表", "dict_type": "映射", "model_type": "映射", "model_attributes_type": "映射"}
_UNION_TAGS = {"str", "bool", "int", "float", "FixtureSpec", "MutationSpec", "EndpointSpec"}


def _fields_at(loc: tuple, root: type[BaseModel], nested: dict[str, type[BaseModel]]) -> list[str]:
    """The fields a model at `loc` accepts: for “未知字段” messages."""
    model = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if part not in nested:
            return []
        model = nested[part]
    return [f.alias or n for n, f in model.model_fields.items()]


def _message(e: dict, fields_at=lambda loc: []) -> str:
    kind, ctx, inp = e["type"], e.get("ctx") or {}, e.get("input")
    last = e["loc"][-1] if e["loc"] else ""
    if kind == "extra_forbidden":
        import difflib

        known = fields_at(e["loc"])
        close = difflib.get_close_matches(str(last), known, n=1, cutoff=0.75)
        return (f"未知字段“{last}”" + (f"（是否为 {close[0]}？）" if close else "")
                + (f"；此处可用：{'、'.join(known)}" if known else ""))
    if kind == "missing":
        return f"缺少必填字段“{last}”"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"取值“{inp}”无效，应为 {expected} 之一"
    if kind in _TYPE_WORDS:
        return f"类型不对：应为{_TYPE_WORDS[kind]}，收到“{inp}”"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"取值“{inp}”超出范围：应 {sign} {limit}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "value_error":
        return str(ctx.get("error") or e["msg"]).removeprefix("Value error, ")
    return e["msg"]


def validation_problems(exc: ValidationError, name: str, lines: Lines, data: Any, root: type[BaseModel],
             nested: dict[str, type[BaseModel]]) -> list[Problem]:
    """pydantic's errors → one Chinese problem per field, located by file, line and path."""
    seen: dict[tuple, list[dict]] = {}
    for e in exc.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and
                                                 (p in _UNION_TAGS or p.startswith(("literal[", "constrained-")))))
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
        seen.setdefault(loc, []).append({**e, "loc": loc})
    out = []
    for loc, errs in seen.items():
        # a union (str | mapping): keep the errors of the branch the value was written as;
        # a type mismatch is noise when a deeper field of the same item has an error
        deeper = any(other[:len(loc)] == loc and len(other) > len(loc) for other in seen)
        specific = [e for e in errs if e["type"] not in _TYPE_WORDS]
        if deeper and not specific:
            continue
        chosen = specific or errs[:1]
        if len(errs) > 1 and not specific:
            chosen = [{**errs[0], "type": "union", "msg": "类型不对：" + (
                "fixtures 的每一项应为路径（可含通配符）或 {records: …, draft: …}" if loc[:1] == ("fixtures",)
                else "mutation 应为 true、false 或 {min_detection: …, seed: …}" if loc[:1] == ("mutation",)
                else "取值无效")}]
        where = format_path(loc)
        for e in chosen:
            if e["type"] == "assertions":  # one problem per bad item, each at its own line
                out += _assertion_problems(name, lines, loc, where, _at(data, loc))
                continue
            if not loc and e["type"] == "value_error":  # the whole suite's checks: one per problem
                for part in _message(e).split("；"):
                    item = re.match(r"variants\[(\d+)\]", part)
                    at = ("variants", int(item.group(1))) if item else ("variants",)
                    out.append(Problem(name, lines.line(at), "", part))
                continue
            out.append(Problem(name, lines.line(loc), where,
                               _message(e, lambda loc: _fields_at(loc, root, nested))))
    return sorted(out, key=lambda p: p.line or 0)


def _at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _assertion_problems(name: str, lines: Lines, loc: tuple, where: str, items: Any) -> list[Problem]:
    if not isinstance(items, list):
        return [Problem(name, lines.line(loc), where, "assertions 应为列表。" + A.HELP)]
    out = []
    for i, item in enumerate(items):
        try:
            A.parse(item)
        except ValueError as exc:
            out.append(Problem(name, lines.line(loc + (i,)), f"{where}[{i}]", f"断言{exc}"))
    if out:
        last = out[-1]
        out[-1] = Problem(last.file, last.line, last.path, f"{last.message}。{A.HELP}")
    return out
