"""Stage 1: records files (YAML, JSON) → Records; workbooks go through ledger.py, which
hands each place's data to records_from_data.

The loader reports every problem of a file at once, each located by file, line and
field path, in Chinese; only then does it raise. Records are data: nothing in them is
ever read as an instruction.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pipeline import limits
from pipeline.errors import InputError, Problem
from pipeline.model.records import (
    CLOSING_SECTION_KEYS,
    DEFAULT_SECTION_KEYS,
    Activity,
    Basis,
    Figure,
    Period,
    SECTION_NAMES,
    Records,
    Section,
)
from pipeline.text import yamlpos
from pipeline.text.files import read_text_file, require_file
from pipeline.text.measure import common_units, unit_words
from pipeline.text.messages import close_key, error_message, fields_at, format_path
from pipeline.text.syntax import json_fault, syntax_problem, yaml_fault
from pipeline.text.yamlpos import Lines

_NESTED = {"activities": Activity, "figures": Figure, "totals": Figure, "outline": Section,
           "basis": Basis, "period": Period}
SUFFIXES = (".yaml", ".yml", ".json")


def load_records(path: str | Path) -> tuple[Records, list[Problem]]:
    """Load and validate a YAML or JSON records file. Returns the records and the warnings;
    raises InputError with every problem found when the file is not usable."""
    path = Path(path)
    require_file(path, "记录文件（.yaml/.yml/.json）")
    data, lines = _parse(path, read_text_file(path))
    return records_from_data(data, path.name, lines.line, lines.dup_keys)


def _parse(path: Path, text: str) -> tuple[Any, Lines]:
    if path.suffix.lower() == ".json":  # JSON's own words for its errors, before YAML's
        try:
            json.loads(text)
        except json.JSONDecodeError as jexc:
            raise InputError([syntax_problem(path.name, json_fault(jexc, text))]) from None
        except RecursionError:
            raise InputError([Problem(path.name, None, "", f"嵌套层数过多（上限 {limits.NESTING.value} 层）")]) from None
        except ValueError as vexc:  # an integer of more digits than Python converts
            raise InputError([Problem(path.name, None, "", _value_error(vexc))]) from None
    try:
        parsed = yamlpos.parse(text, dates_as_text=True)
    except yamlpos.LimitError as lexc:
        raise InputError([Problem(path.name, lexc.line, "", lexc.message)]) from None
    except yaml.constructor.ConstructorError as cexc:
        line = cexc.problem_mark.line + 1 if cexc.problem_mark else None
        raise InputError([Problem(path.name, line, "", "不支持的 YAML 标签（以 ! 开头）：记录文件只需普通的"
                                  "文字、数字、日期、列表和键值，请删除该标签")]) from None
    except yaml.YAMLError as exc:
        raise InputError([syntax_problem(path.name, yaml_fault(exc, text))]) from None
    except RecursionError:
        raise InputError([Problem(path.name, None, "", f"嵌套层数过多（上限 {limits.NESTING.value} 层）")]) from None
    except ValueError as vexc:  # a tag such as `!!int 云岭县`, or too many digits
        raise InputError([Problem(path.name, None, "", _value_error(vexc))]) from None
    if parsed is None:
        raise InputError([Problem(path.name, 1, "", "文件为空")])
    return parsed


def _value_error(exc: ValueError) -> str:
    if "digits" in str(exc):
        return f"数字位数过多（上限 {limits.INT_DIGITS} 位），请检查数值"
    return "某个值无法按其 YAML 标签（!!int、!!float 等）读取，请删除该标签或改正取值"


def records_from_data(data: Any, name: str, line_of=lambda path: None, dup_keys: list | None = None,
                      ledger: bool = False) -> tuple[Records, list[Problem]]:
    """Records from parsed data, or InputError with every problem; `ledger`: the data came from
    a workbook, so messages name 栏目 as the ledger's column is filled in (组织领导, not leadership)."""
    problems: list[Problem] = []
    for kpath, key in dup_keys or []:
        problems.append(Problem(name, line_of(kpath), format_path(kpath), f"键“{key}”重复出现"))
    if not isinstance(data, dict):
        colon = "；是否用了全角冒号“：”？键和值之间应为半角冒号加空格“: ”" if isinstance(data, str) and "：" in data else ""
        raise InputError([Problem(name, 1, "", f"顶层应为键值映射（county、year、activities …）{colon}")])
    try:
        records = Records.model_validate(data)
    except ValidationError as exc:
        misspelt: set[tuple] = set()  # missing keys explained by a misspelt one beside them
        found: list[Problem] = []
        errors = exc.errors()
        for err in errors:
            loc = tuple(err["loc"])
            known = fields_at(loc[:-1], Records, _NESTED) if err["type"] == "extra_forbidden" else []
            close = close_key(loc[-1], known) if known else None
            if close:
                misspelt.add(loc[:-1] + (close,))
            found.append(Problem(name, line_of(loc), format_path(loc), error_message(err, known)))
        problems += [p for p, err in zip(found, errors)
                     if not (err["type"] == "missing" and tuple(err["loc"]) in misspelt)]
        problems.extend(_semantic_problems_raw(data, name, line_of, ledger))
        raise InputError(_sorted(problems))
    sem = _semantic_problems(records, name, line_of, ledger)
    errors = [p for p in problems + sem if p.severity == "error"]
    if errors:
        raise InputError(_sorted(problems + sem))
    return records, _sorted([p for p in sem if p.severity == "warning"])


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.line or 0, p.path, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique, key=lambda k: k[0])]


def _semantic_problems_raw(data: dict, name: str, line_of, chinese: bool = False) -> list[Problem]:
    """Cross-field checks on the raw data, so they are reported even when a field
    elsewhere did not validate: duplicate ids and sections the outline lacks."""
    acts = data.get("activities")
    if not isinstance(acts, list):
        return []
    outline = data.get("outline")
    given = ([(str(s["key"]), s.get("heading")) for s in outline if isinstance(s, dict) and s.get("key") is not None]
             if isinstance(outline, list) else None)
    rows = ((i, str(a["id"]) if isinstance(a.get("id"), str | int) else None,
             a["section"] if isinstance(a.get("section"), str) else None)
            for i, a in enumerate(acts) if isinstance(a, dict))
    return _id_section_problems(rows, given, name, line_of, chinese)


def _id_section_problems(rows, outline: list[tuple[str, Any]] | None, name: str, line_of,
                         chinese: bool) -> list[Problem]:
    """Duplicate ids and unusable sections of `rows` (index, id, section; None where absent),
    given the outline's (key, heading) pairs or None for the default outline. The raw data
    and validated Records both feed it, so a valid file needs no copy of its records."""
    out: list[Problem] = []
    judge = _section_judge(outline, chinese)
    seen: dict[str, int] = {}
    for i, aid, section in rows:
        if aid is not None:
            if aid in seen:
                out.append(Problem(name, line_of(("activities", i, "id")), f"activities[{i}].id",
                                   f"编号“{aid}”重复，已用于 activities[{seen[aid]}]"))
            else:
                seen[aid] = i
        found = judge(section) if section is not None else None
        if found:
            out.append(Problem(name, line_of(("activities", i, "section")), f"activities[{i}].section", *found))
    return out


def _section_judge(outline: list[tuple[str, Any]] | None, chinese: bool):
    """What to say of an activity's 栏目 that no activity can go to, and the choices that apply:
    the outline's practice sections, never 存在的问题/下一步打算 (the records' own lists write
    those). A ledger (chinese=True) names them as its 栏目 column is filled in. The choices are
    worked out once per file, not once per activity."""
    if outline is not None:
        keys = {k for k, _ in outline}
        choices = {k: heading for k, heading in outline if k not in CLOSING_SECTION_KEYS}
        where = "提纲"
    else:
        keys = {*DEFAULT_SECTION_KEYS, *CLOSING_SECTION_KEYS}
        choices = {k: SECTION_NAMES[k] for k in DEFAULT_SECTION_KEYS}
        where = "默认提纲"
    if chinese:
        names = {k: v or k for k, v in choices.items()}
        listed = "、".join(names.values())
    else:
        names = {k: k for k in choices}
        listed = "、".join(f"{k}（{v}）" if v else k for k, v in choices.items())
    hints = list(names.values())

    def judge(section: str) -> tuple[str, str] | None:
        if section in choices:
            return None
        if section in CLOSING_SECTION_KEYS and section in keys:
            source = "概况表填写" if chinese else f"记录中的 {section} 列表写成"
            return (f"栏目“{SECTION_NAMES[section]}”部分由{source}，活动不能归入；"
                    f"这项活动将按关键词归入：{listed}", "warning")
        hint = difflib.get_close_matches(section, hints, n=1)
        extra = f"，是否应为“{hint[0]}”？" if hint else ""
        return f"栏目“{section}”不在{where}中，活动可填的栏目：{listed}{extra}", "error"
    return judge


def _semantic_problems(records: Records, name: str, line_of, chinese: bool = False) -> list[Problem]:
    given = None if records.outline is None else [(s.key, s.heading) for s in records.outline]
    out = _id_section_problems(((i, a.id, a.section) for i, a in enumerate(records.activities)),
                               given, name, line_of, chinese)
    if records.outline is not None:
        seen_keys: set[str] = set()
        for i, s in enumerate(records.outline):
            if s.key in seen_keys:
                out.append(Problem(name, line_of(("outline", i, "key")), f"outline[{i}].key",
                                   f"栏目“{s.key}”重复"))
            seen_keys.add(s.key)
    for i, a in enumerate(records.activities):
        base = ("activities", i)
        if a.end_date and a.end_date < a.date:
            out.append(Problem(name, line_of(base + ("end_date",)), format_path(base + ("end_date",)),
                               f"结束日期 {a.end_date} 早于开始日期 {a.date}"))
        if records.period:
            p = records.period
            for field, d in (("date", a.date), ("end_date", a.end_date)):
                if d and not (p.start <= d <= p.end):
                    out.append(Problem(name, line_of(base + (field,)), format_path(base + (field,)),
                                       f"日期 {d} 不在活动期间 {p.start} 至 {p.end} 内", "warning"))
        if a.date.year != records.year:
            out.append(Problem(name, line_of(base + ("date",)), format_path(base + ("date",)),
                               f"日期 {a.date} 不在 {records.year} 年", "warning"))
    out += _unknown_units(records, name, line_of)
    if records.period and records.period.end < records.period.start:
        out.append(Problem(name, line_of(("period", "end")), "period.end", "活动期间的结束日期早于开始日期"))
    return out


def _unknown_units(records: Records, name: str, line_of) -> list[Problem]:
    """A figure's unit the checker cannot read (it reads the measure words of
    prompts/lexicon/measure_words.yaml, the table the ledger accepts too): the draft's
    “1500摞” would not be found, so the figure goes unchecked. A warning: drafting still works."""
    known = set(unit_words())
    places = [(("activities", i, "figures", j, "unit"), f.unit)
              for i, a in enumerate(records.activities) for j, f in enumerate(a.figures)]
    places += [(("totals", j, "unit"), f.unit) for j, f in enumerate(records.totals)]
    return [Problem(name, line_of(path), format_path(path),
                    f"量词“{unit}”不在量词表（prompts/lexicon/measure_words.yaml）中：核对时读不出草稿中的这个数字，"
                    f"请改用表中的量词（如{'、'.join(common_units()[:6])}），或在表中补上", "warning")
            for path, unit in places if unit not in known]


def signature_warnings(records: Records, name: str) -> list[Problem]:
    """What `validate` says about a 落款 the records cannot give: no `author` (the draft is
    signed with the place name only) or no `date` (no 成文日期). Warnings: a draft can still
    be written."""
    out = []
    if not records.author:
        out.append(Problem(name, None, "author",
                           "未填写 author（落款单位）：草稿落款只能写地名，宜补上发文单位全称", "warning"))
    if records.date is None:
        out.append(Problem(name, None, "date",
                           "未填写 date（成文日期）：草稿落款将没有成文日期，宜补上，如 date: 2024-10-12", "warning"))
    return out
