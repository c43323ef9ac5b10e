"""Syntax errors of the files clerks write (YAML, JSON, TOML) → one Chinese problem: the line
and column of the fault itself (an unclosed “[” is reported where it opens, a missing comma at
the end of the line that lacks it, not where the parser gave up), the field it is in, and how
to mend it. The parsers' own English never reaches the user.

Every loader of a user file (records, eval suites, zongjie.toml) goes through here."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from pipeline.errors import InputError, Problem
from pipeline.resources import YAML_LOADER
from pipeline.text.messages import format_path

_CLOSER = {"[": "]", "{": "}"}
_KEY = re.compile(r"\s*(?:-\s+)?([^\s:#'\"{}\[\],&*!|>%@`-][^:]*?):(?:\s|$)")


@dataclass(frozen=True)
class SyntaxFault:
    """Where a syntax error is (1-based line and column, if known), the field path it is in
    (may be empty) and the Chinese message, which starts with “YAML 语法错误：” or the like."""

    line: int | None
    column: int | None
    path: str
    message: str


def syntax_problem(file: str, fault: SyntaxFault) -> Problem:
    return Problem(file, fault.line, fault.path, fault.message, column=fault.column)


def _mark(mark) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


# YAML -------------------------------------------------------------------------------------

def yaml_fault(exc: yaml.YAMLError, text: str, loader=YAML_LOADER) -> SyntaxFault:
    """The fault behind PyYAML's (C or pure Python) syntax error."""
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    (pline, pcol), (cline, ccol) = _mark(getattr(exc, "problem_mark", None)), _mark(getattr(exc, "context_mark", None))
    line, col, why = pline or cline, pcol or ccol, ""
    if "flow sequence" in context or "flow mapping" in context:
        opener = "[" if "sequence" in context else "{"
        if cline == pline:
            why = f"“{opener} … {_CLOSER[opener]}”中的两项之间缺少逗号“,”（或逗号后缺少空格）"
        else:
            line, col = cline, ccol
            why = f"这里的“{opener}”没有配对的“{_CLOSER[opener]}”：请在这一项的末尾补上“{_CLOSER[opener]}”"
    elif "quoted scalar" in context:
        line, col = cline, ccol
        quote = _line_text(text, cline)[ccol - 1:ccol] if ccol else "\""
        why = f"这里的引号{quote}没有闭合：请在文字末尾补上同样的引号"
    elif "tab" in problem or "'\\t'" in problem or _line_text(text, pline)[(pcol or 1) - 1:pcol] == "\t":
        why = "这一行用了制表符（Tab）缩进：YAML 只能用空格缩进，请把 Tab 换成空格"
    elif "mapping values are not allowed" in problem:
        line, col, why = _stray_colon(text, pline, pcol, loader)
    elif "could not find expected ':'" in problem:
        line, col = cline, ccol
        why = _missing_colon(_line_text(text, cline))
    elif "expected '-' indicator" in problem or ("block collection" in context and "block end" in problem):
        why = "缩进与上文不一致：同一列表中的每一项应以“- ”开头并对齐，同一项中的键应与该项第一个键对齐"
    elif "expected key" in problem or ("block mapping" in context and "block end" in problem):
        line, col, why = _after_scalar(text, pline, pcol, loader)
    elif "cannot start any token" in problem:
        char = _line_text(text, pline)[pcol - 1:pcol] if pcol else ""
        why = f"“{char}”不能作为值的开头：请给整个值加引号，如 \"{char}…\""
    elif "undefined alias" in problem or "alias" in context or "anchor" in context:
        why = ("以 * 或 & 开头的值在 YAML 中是引用：请给整个值加引号" if "duplicate" not in context
               else "锚点（&名称）重复定义：请改用不同的名称")
    elif "escape" in problem:
        why = "双引号中的反斜杠“\\”转义无效：路径请改用单引号，或把“\\”写成“\\\\”"
    elif "unexpected end of stream" in problem:
        why = "文件在一个值的中间结束：请检查最后几行的引号和括号"
    if not why:
        why = "无法读取：请检查这一行的缩进（只用空格）、冒号后的空格和引号是否配对"
    return SyntaxFault(line, col, format_path(_yaml_path(text, line, col, loader)), "YAML 语法错误：" + why)


def _tokens_until_error(text: str, loader) -> list:
    tokens = []
    try:
        for token in yaml.scan(text, Loader=loader):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _last_scalar(text: str, line: int | None, col: int | None, loader):
    """The last scalar token that starts before (line, col)."""
    last = None
    for token in _tokens_until_error(text, loader):
        if line is None or (token.start_mark.line + 1, token.start_mark.column + 1) >= (line, col or 0):
            break
        if isinstance(token, yaml.ScalarToken):
            last = token
    return last


def _stray_colon(text: str, line, col, loader) -> tuple[int | None, int | None, str]:
    """`mapping values are not allowed`: a second colon on a line, a key that runs on from the
    line above (a full-width colon, no space after a colon, or a line indented too far)."""
    row = _line_text(text, line)
    first = re.search(r":(\s|$)", row)
    if first and col and first.start() + 1 < col:
        return line, col, "这一行有两个冒号“: ”：值中有冒号时请给整个值加引号，如 title: \"会议: 部署\""
    scalar = _last_scalar(text, line, col, loader)
    if scalar is not None and scalar.start_mark.line + 1 < (line or 0):
        start = scalar.start_mark.line + 1
        written = _line_text(text, start)
        for pattern, why in ((r"：", "用了全角冒号“：”：键和值之间应为半角冒号加空格“: ”"),
                             (r":(?=\S)", "冒号后缺少空格：键和值之间应为“: ”（冒号后加一个空格）")):
            found = re.search(pattern, written[scalar.start_mark.column:])
            if found:
                return start, scalar.start_mark.column + found.start() + 1, why
        if _indent(row) > _indent(_line_text(text, line - 1)):
            return line, _indent(row) + 1, "这一行缩进多了：同一层的键应与上一行的键对齐"
    return line, col, "这里不能有冒号：值中有冒号时请给整个值加引号；或检查这一行的缩进"


def _missing_colon(row: str) -> str:
    if "：" in row:
        return "用了全角冒号“：”：键和值之间应为半角冒号加空格“: ”"
    return "这一行缺少冒号：应写作“键: 值”（冒号后加一个空格）"


def _after_scalar(text: str, line, col, loader) -> tuple[int | None, int | None, str]:
    """`did not find expected key`: text after a closing quote, a quote that swallowed the
    lines below it, or a line that does not fit the mapping around it."""
    scalar = _last_scalar(text, line, col, loader)
    if scalar is not None and scalar.style in ('"', "'"):
        start, end = scalar.start_mark.line + 1, scalar.end_mark.line + 1
        if start < end:
            return start, scalar.start_mark.column + 1, (
                f"这里的引号{scalar.style}可能没有闭合：它一直延续到第{end}行，请在本行文字末尾补上引号")
        if end == line:
            return line, col, "引号结束后还有文字：请给整个值加引号，或去掉引号"
    row = _line_text(text, line)
    if row.lstrip().startswith("- "):
        return line, col, "这里出现了列表项“- ”：列表须写在某个键的下面，并比该键多缩进"
    if line and _indent(row) > _indent(_line_text(text, line - 1)):
        return line, _indent(row) + 1, "这一行缩进多了：同一层的键应与上一行的键对齐"
    return line, col, "这一行与上文的层级不一致：请检查缩进，这里应为“键: 值”"


def _yaml_path(text: str, line: int | None, col: int | None, loader) -> tuple:
    """The field the fault at (line, col) is in, from the parser's events up to there."""
    if line is None:
        return ()
    stack: list[list] = []  # ["map", key, expecting_key, key's line] or ["seq", index]
    try:
        for event in yaml.parse(text, Loader=loader):
            if (event.start_mark.line + 1, event.start_mark.column + 1) > (line, col or 1):
                break
            if isinstance(event, yaml.CollectionEndEvent):
                if stack:
                    stack.pop()
                if stack and stack[-1][0] == "map":
                    stack[-1][2] = True
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            top = stack[-1] if stack else None
            if top and top[0] == "map" and top[2] and isinstance(event, yaml.ScalarEvent):
                top[1], top[2], top[3] = event.value, False, event.start_mark.line + 1
                continue
            if top and top[0] == "seq":
                top[1] += 1
            if isinstance(event, yaml.MappingStartEvent):
                stack.append(["map", None, True, None])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append(["seq", -1])
            elif top and top[0] == "map":
                top[2] = True
    except yaml.YAMLError:
        pass
    if stack and stack[-1][0] == "map" and stack[-1][2]:  # between two keys: the mapping itself
        stack[-1][1] = None
    path = tuple(f[1] for f in stack if f[1] is not None and f[1] != -1)
    row = _line_text(text, line)
    key = _KEY.match(row)
    if key and (not path or path[-1] != key.group(1)):  # the parser stopped before this line's key
        last = stack[-1] if stack else None
        sibling = (last and last[0] == "map" and last[1] is not None and last[3] != line
                   and _indent(_line_text(text, last[3])) >= _indent(row))
        path = (path[:-1] if sibling else path) + (key.group(1),)
    return path


# JSON -------------------------------------------------------------------------------------

def json_fault(exc: json.JSONDecodeError, text: str) -> SyntaxFault:
    """The fault behind json's syntax error."""
    pos, msg = exc.pos, exc.msg
    at = text[pos:pos + 1]
    prev = len(text[:pos].rstrip()) - 1  # the last written character before the error
    opened, _ = _json_scan(text, pos)
    where = pos
    if not text.strip():
        why = "文件为空"
    elif msg.startswith(("Expecting ',' delimiter", "Expecting value", "Expecting property name")) and not at.strip():
        if opened:  # the file ends inside a { or [
            where = opened[-1][1]
            why = f"这里的“{opened[-1][0]}”没有配对的“{_CLOSER[opened[-1][0]]}”：文件在它结束之前就结束了"
        else:
            why = "文件不完整：在一个值的中间结束"
    elif msg.startswith("Expecting ',' delimiter") and at in "]}" and opened and _CLOSER[opened[-1][0]] != at:
        where = opened[-1][1]
        why = f"这里的“{opened[-1][0]}”没有配对的“{_CLOSER[opened[-1][0]]}”（第{_line_of(text, pos)}行先出现了“{at}”）"
    elif msg.startswith("Expecting ',' delimiter"):
        where = prev + 1
        why = "这一项后面缺少逗号“,”：同一层的两项之间须用逗号隔开"
    elif msg.startswith(("Expecting property name", "Expecting value")) and at in "]}" and text[prev:prev + 1] == ",":
        where = prev
        why = "多了一个逗号：最后一项后面不能有逗号"
    elif at == "'":
        why = "JSON 的键和文字须用双引号“\"”，不能用单引号"
    elif at in "/#":
        why = "JSON 文件中不能写注释"
    elif msg.startswith("Expecting property name"):
        why = "键名须用双引号括起来，如 \"county\": \"云岭县\""
    elif msg.startswith("Expecting value"):
        why = "这里应为一个值：文字须加双引号（如 \"云岭县\"），数字、true、false 直接写"
    elif msg.startswith("Expecting ':' delimiter"):
        why = "键后缺少冒号“:”，应写作 \"键\": 值"
    elif msg.startswith(("Invalid control character", "Unterminated string")):
        where = _string_start(text, pos)
        why = "这里的字符串没有结束的双引号（文字中的换行请写作 \\n）"
    elif "escape" in msg:
        why = "反斜杠“\\”的转义无效：路径请改用“/”，或把“\\”写成“\\\\”"
    elif msg.startswith("Extra data"):
        why = "完整的 JSON 之后还有内容：是否多了一个“}”或“]”，或少了包住多项的外层括号"
    else:
        why = "无法读取：请检查这一处的引号、逗号和括号"
    line, col = _line_of(text, where), where - text.rfind("\n", 0, where)
    path = format_path(_json_scan(text, where)[1])
    return SyntaxFault(line, col if text.strip() else None, path, "JSON 语法错误：" + why)


def parse_json(text: str, file: str) -> Any:
    """json.loads, or InputError with the fault in Chinese."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([syntax_problem(file, json_fault(exc, text))]) from None


def parse_json_lines(text: str, file: str) -> list[Any]:
    """One JSON value per non-blank line (JSONL), or InputError naming the line at fault."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                fault = json_fault(exc, line)
                raise InputError([Problem(file, number, fault.path, fault.message, column=fault.column)]) from None
    return rows


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _string_start(text: str, pos: int) -> int:
    return max(text.rfind("\"", 0, pos), 0)


def _json_scan(text: str, end: int) -> tuple[list[tuple[str, int]], tuple]:
    """The brackets still open at `end` (each with its offset) and the field path there."""
    opened: list[tuple[str, int]] = []
    keys: list = []  # per open bracket: the current key (object) or index (array)
    expecting_key = False
    i = 0
    while i < end:
        ch = text[i]
        if ch == "\"":
            j = i + 1
            while j < len(text) and text[j] != "\"" and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if expecting_key and opened and opened[-1][0] == "{":
                keys[-1], expecting_key = text[i + 1:j], False
            i = j + 1
            continue
        if ch in "[{":
            opened.append((ch, i))
            keys.append(0 if ch == "[" else None)
            expecting_key = ch == "{"
        elif ch in "]}" and opened:
            opened.pop()
            keys.pop()
        elif ch == "," and opened:
            if opened[-1][0] == "[":
                keys[-1] += 1
            else:
                expecting_key = True
        i += 1
    return opened, tuple(k for k in keys if k is not None)


# TOML -------------------------------------------------------------------------------------

_TOML = (("Expected '=' after a key", "键后缺少“=”，应写作 键 = 值"),
         ("Invalid value", "值无效：文字须加双引号（如 model = \"deepseek-chat\"），数字、true、false 直接写"),
         ("Unclosed array", "这里的“[”没有配对的“]”"),
         ("Unclosed inline table", "这里的“{”没有配对的“}”"),
         ("Unterminated string", "字符串没有结束的引号"),
         ("Cannot overwrite a value", "同一个键写了两次"),
         ("Cannot declare", "同一个表（[名称]）写了两次"),
         ("Illegal character", "字符串中有不允许的字符（如换行、制表符）"),
         ("Expected newline or end of document", "一行只能写一个“键 = 值”：这一行后面还有多余的内容"),
         ("Invalid initial character for a key part", "键名无效：键名只能用字母、数字、-、_，否则请加引号"),
         ("Unescaped '\\' in a string", "字符串中的反斜杠“\\”须写成“\\\\”"))


def toml_fault(exc: tomllib.TOMLDecodeError) -> SyntaxFault:
    """tomllib's error (its position is in the English text) → Chinese."""
    text = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line, col = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    why = next((zh for en, zh in _TOML if text.startswith(en)), "无法读取：请检查这一行的等号、引号和括号")
    return SyntaxFault(line, col, "", "TOML 语法错误：" + why)
