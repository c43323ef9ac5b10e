"""Reading a suite file for messages: the YAML with the line of every field, and
pydantic's validation errors turned into one Chinese problem per field (file, line, path)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import InputError, Problem
from pipeline.evals import assertions as A
from pipeline.text import yamlpos
from pipeline.text.messages import TYPE_MISMATCH, error_message, fields_at, format_path
from pipeline.text.syntax import syntax_problem, yaml_fault
from pipeline.text.yamlpos import Lines


def parse_yaml(path: Path, text: str) -> tuple[Any, Lines]:
    """The suite's data, built as yaml.safe_load builds it, and the line of every field."""
    try:
        parsed = yamlpos.parse(text, dates_as_text=False, loader=yaml.SafeLoader)
    except yamlpos.LimitError as exc:  # nesting, aliases, digits, a tag it cannot apply
        raise InputError([Problem(str(path), exc.line, "", exc.message)]) from None
    except yaml.YAMLError as exc:
        raise InputError([syntax_problem(str(path), yaml_fault(exc, text, yaml.SafeLoader))]) from None
    except ValueError as exc:  # `!!int 云岭`, or an integer of more digits than Python converts
        why = "数字位数过多，请检查数值" if "digits" in str(exc) else "某个值无法按其 YAML 标签（!!int、!!float 等）读取，请删除该标签或改正取值"
        raise InputError([Problem(str(path), None, "", why)]) from None
    if parsed is None:
        raise InputError([Problem(str(path), 1, "", "评测套件文件为空")])
    if not isinstance(parsed[0], dict):
        raise InputError([Problem(str(path), 1, "", "评测套件应为映射（description、fixtures、variants 等键）")])
    return parsed


_UNION_TAGS = {"str", "bool", "int", "float", "FixtureSpec", "MutationSpec", "EndpointSpec"}


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
        specific = [e for e in errs if e["type"] not in TYPE_MISMATCH]
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
                for part in error_message(e).split("；"):
                    item = re.match(r"variants\[(\d+)\]", part)
                    at = ("variants", int(item.group(1))) if item else ("variants",)
                    out.append(Problem(name, lines.line(at), "", part))
                continue
            known = fields_at(loc[:-1], root, nested) if e["type"] == "extra_forbidden" else []
            out.append(Problem(name, lines.line(loc), where, error_message(e, known)))
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
