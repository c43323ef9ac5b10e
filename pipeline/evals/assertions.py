"""Typed assertions on one draft. Every assertion returns the same shape,
`{"assertion", "pass", "score", "reason"}` (promptfoo's GradingResult), whatever its kind.

Written in a suite as
    - fact_precision >= 1.0          # a comparison on any metric
    - no_errors                      # a named check
    - max_numbering_errors: 0        # a limit on a count
    - length_within: 0.5             # every practice section within 50% of its target
    - not_contains: 县文化馆          # a text the draft must not contain
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from pipeline.evals.metrics import METRICS, fmt, label

OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
_METRIC_ALT = "|".join(sorted(METRICS, key=len, reverse=True))
COMPARE_PATTERN = rf"^\s*({_METRIC_ALT})\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)\s*$"
_COMPARE = re.compile(COMPARE_PATTERN)

NAMED = {
    "no_errors": "没有错误项（核对报告 ok）",
    "required_headings": "记录规定的小标题齐全",
    "no_residue": "没有残留的占位符",
}
LIMITS = ("numbering_errors", "errors", "warnings", "residue", "register", "style_errors_per_k",
          "style_warnings_per_k", "tokens", "cost", "latency", "repairs")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _limit_model(metric: str) -> type[BaseModel]:
    name = "Max" + "".join(p.title() for p in metric.split("_"))
    field = Field(ge=0, description=f"{label(metric)}不超过此值")
    return create_model(name, __base__=_Strict, **{f"max_{metric}": (float, field)})


class LengthWithin(_Strict):
    length_within: float = Field(gt=0, le=1, description="每个实践部分的字数与目标之比在 1±此值 之内")


class Contains(_Strict):
    contains: str = Field(min_length=1, description="草稿必须包含的文字")


class NotContains(_Strict):
    not_contains: str = Field(min_length=1, description="草稿不得包含的文字")


_LIMIT_MODELS = tuple(_limit_model(m) for m in LIMITS)
CompareText = Annotated[str, Field(pattern=COMPARE_PATTERN,
                                   description="指标比较，例如 “fact_precision >= 1.0”")]
AssertionItem = Union[Literal[tuple(NAMED)], CompareText, LengthWithin, Contains, NotContains,  # type: ignore[valid-type]
                      *_LIMIT_MODELS]  # type: ignore[misc]
HELP = ("可用写法：“指标 >= 数值”（指标：" + "、".join(METRICS) + "）；" + "、".join(NAMED)
        + "；{max_<计数>: 数值}（" + "、".join(f"max_{m}" for m in LIMITS)
        + "）；{length_within: 0.5}；{contains: 文字}；{not_contains: 文字}")


@dataclass(frozen=True)
class Assertion:
    kind: str  # compare | named | limit | length_within | contains | not_contains
    metric: str | None
    op: str | None
    value: Any
    text: str  # as written, for the report

    def evaluate(self, row: dict) -> dict:
        return _EVALUATORS[self.kind](self, row)


def parse(item: Any) -> Assertion:
    """One suite item → an Assertion; a ValueError names what is wrong."""
    if isinstance(item, BaseModel):
        item = item.model_dump()
    if isinstance(item, str):
        text = item.strip()
        if text in NAMED:
            return Assertion("named", None, None, None, text)
        m = _COMPARE.match(text)
        if m:
            return Assertion("compare", m.group(1), m.group(2), float(m.group(3)), text)
        word = re.match(r"\s*([A-Za-z_]+)", text)
        if word and word.group(1) not in METRICS and word.group(1) not in NAMED:
            raise ValueError(f"“{text}”：未知的指标或断言“{word.group(1)}”{_did_you_mean(word.group(1))}")
        raise ValueError(f"“{text}”：无法识别")
    if isinstance(item, dict) and len(item) == 1:
        (key, value), = item.items()
        if key.startswith("max_") and key[4:] in LIMITS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{key}：应为不小于 0 的数值，收到“{value}”")
            return Assertion("limit", key[4:], "<=", value, f"{key}: {value:g}")
        if key == "length_within":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ValueError(f"length_within：应为 0 到 1 之间的数值，收到“{value}”")
            return Assertion("length_within", "length_ratio", None, float(value), f"length_within: {value:g}")
        if key in ("contains", "not_contains"):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{key}：应为非空文字")
            return Assertion(key, None, None, value, f"{key}: {value}")
        known = [f"max_{m}" for m in LIMITS] + ["length_within", "contains", "not_contains"]
        raise ValueError(f"“{key}”：未知的断言{_did_you_mean(key, known)}")
    raise ValueError(f"“{item}”：断言应为一行文字或只有一个键的映射")


def _did_you_mean(word: str, known=None) -> str:
    import difflib

    close = difflib.get_close_matches(word, known or [*METRICS, *NAMED], n=1, cutoff=0.75)
    return f"（是否为 {close[0]}？）" if close else ""


def check_items(items: Any) -> Any:
    """Before pydantic validates a list of assertions: one clear message per bad item."""
    if not isinstance(items, list):
        raise PydanticCustomError("assertions", "assertions 应为列表")
    problems = []
    for i, item in enumerate(items):
        try:
            parse(item)
        except ValueError as exc:
            problems.append(f"第{i + 1}条断言{exc}")
    if problems:
        raise PydanticCustomError("assertions", "；".join(problems) + "。" + HELP)
    return items


# ---------------------------------------------------------------- evaluation

def _result(a: Assertion, ok: bool, score: float, reason: str) -> dict:
    return {"assertion": a.text, "pass": bool(ok), "score": round(float(score), 4), "reason": reason}


def _compare(a: Assertion, row: dict) -> dict:
    value = row["metrics"].get(a.metric)
    if value is None:
        return _result(a, True, 1.0, f"{label(a.metric)}不适用于此草稿")
    ok = OPS[a.op](value, a.value)
    if ok:
        score = 1.0
    elif a.op in (">=", ">") and a.value > 0:
        score = max(0.0, min(1.0, value / a.value))
    else:
        score = 0.0
    return _result(a, ok, score, f"{label(a.metric)} {fmt(a.metric, value)}，要求 {a.op} {a.value:g}")


def _limit(a: Assertion, row: dict) -> dict:
    value = row["metrics"].get(a.metric) or 0
    ok = value <= a.value
    return _result(a, ok, 1.0 if ok else 0.0,
                   f"{label(a.metric)} {fmt(a.metric, value)}，上限 {a.value:g}")


def _errors_of(row: dict, prefix: str = "") -> list[dict]:
    return [f for f in row["findings"] if f["severity"] == "error"
            and (not prefix or f["check"] == prefix or f["check"].startswith(prefix + "."))]


def _named(a: Assertion, row: dict) -> dict:
    prefix, metric = {"no_errors": ("", None), "required_headings": ("headings.required", "heading_compliance"),
                      "no_residue": ("residue", None)}[a.text]
    found = _errors_of(row, prefix) if a.text != "no_residue" else [
        f for f in row["findings"] if f["check"].startswith("residue")]
    if not found:
        return _result(a, True, 1.0, NAMED[a.text])
    first = "；".join(f"第{f['line']}行[{f['check']}] {f['message']}" for f in found[:3])
    more = f"等 {len(found)} 项" if len(found) > 3 else ""
    score = row["metrics"].get(metric, 0.0) if metric else 0.0
    return _result(a, False, score, f"{first}{more}")


def _length_within(a: Assertion, row: dict) -> dict:
    sections = row.get("sections") or []
    if not sections:
        return _result(a, True, 1.0, "没有可计篇幅的实践部分（或草稿不是程序起草的）")
    low, high = 1 - a.value, 1 + a.value
    off = [s for s in sections if not low <= s["ratio"] <= high]
    score = 1 - len(off) / len(sections)
    if not off:
        return _result(a, True, 1.0, f"{len(sections)} 个部分的篇幅均在目标的 {low:.0%}～{high:.0%} 之内")
    detail = "；".join(f"“{s['heading']}”{s['chars']}字，目标{s['target']}字（{s['ratio']:.2f}）" for s in off[:3])
    return _result(a, False, score, f"{len(off)}/{len(sections)} 个部分超出 {low:.0%}～{high:.0%}：{detail}")


def _contains(a: Assertion, row: dict) -> dict:
    hit = a.value in (row.get("markdown") or "")
    ok = hit if a.kind == "contains" else not hit
    where = "包含" if hit else "不含"
    return _result(a, ok, 1.0 if ok else 0.0, f"草稿{where}“{a.value}”")


_EVALUATORS = {"compare": _compare, "limit": _limit, "named": _named,
               "length_within": _length_within, "contains": _contains, "not_contains": _contains}


def evaluate(assertions: list[Assertion], row: dict) -> list[dict]:
    return [a.evaluate(row) for a in assertions]
