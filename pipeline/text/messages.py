"""pydantic's validation errors in Chinese, one wording for every file the tool reads
(records and evaluation suites), and field paths as people read them."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pydantic import BaseModel

_WANTED = {
    "missing": "缺少必填项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "finite_number": "应为有限的数字（不能是无穷大或 NaN）",
}
# the kinds whose message also quotes what was written
_QUOTED = {"string_type", "int_parsing", "float_parsing", "int_type", "float_type", "date_parsing",
           "date_from_datetime_parsing", "bool_parsing"}
# a value of the wrong type: noise beside another branch's error in a union
TYPE_MISMATCH = frozenset({"string_type", "int_type", "int_parsing", "float_type", "float_parsing",
                           "bool_type", "bool_parsing", "list_type", "dict_type", "model_type",
                           "model_attributes_type"})
_LIMITS = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}


def format_path(path: Sequence) -> str:
    """("activities", 2, "figures", 0, "value") → activities[2].figures[0].value"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def fields_at(path: tuple, root: type[BaseModel], nested: dict[str, type[BaseModel]]) -> list[str]:
    """The keys the mapping at `path` accepts, as written in a file (aliases); [] when the
    model there is not known. `nested` maps a field name to the model of its items."""
    model = root
    for part in path:
        if isinstance(part, int):
            continue
        if part not in nested:
            return []
        model = nested[part]
    return [f.alias or name for name, f in model.model_fields.items()]


def close_key(key: object, known: Sequence[str]) -> str | None:
    """The known key that `key` is probably a misspelling of."""
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def error_message(err: dict, known: Sequence[str] = ()) -> str:
    """One pydantic error (an item of ValidationError.errors()) in Chinese; `known` are the
    keys allowed where an unknown key was written."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        return _unknown_key(err["loc"][-1], known)
    if kind in _LIMITS:
        limit = next(iter(ctx.values()), "")
        if kind == "greater_than_equal" and limit == 0:
            return "不能为负数"
        return f"超出允许范围（应 {_LIMITS[kind]} {limit}），实际为“{got}”"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"取值“{got}”无效，应为 {expected} 之一"
    if kind == "value_error":
        return str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
    base = _WANTED.get(kind, err["msg"])
    return f"{base}，实际为“{got}”" if kind in _QUOTED else base


def _unknown_key(key: object, known: Sequence[str]) -> str:
    close = close_key(key, known)
    if close:
        return f"未知的键“{key}”，是否应为“{close}”？"
    return f"未知的键“{key}”" + (f"，允许的键：{'、'.join(known)}" if known else "")
