"""The check report as a compiler prints it: one header line per finding, the source line
and a marker under the offending span, then a one-line Chinese tally.

    草稿.md:12:8 错误[facts.number] “16户”与记录不符：a07 记录为15户
       12 | 共摸出16户36人
          |       ^^^^^^
    共 1 个错误、0 个警告；核对事实 41 项，有据 40 项

Columns are characters (1-based, as in the report); the marker is placed by display width
(a CJK character takes two columns of a terminal). Long paragraphs are shown as a window
around the span.
"""

from __future__ import annotations

import unicodedata
from itertools import accumulate

from pipeline.model.report import Finding, Report
from pipeline.text.chars import visible

SEVERITY_WORDS = {"error": "错误", "warning": "警告"}
_WINDOW_BEFORE = 24  # characters of context shown before the span in a long line
_WINDOW_AFTER = 24
_LONG = 100  # display columns above which a line is windowed


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def format_findings(report: Report, name: str, text: str) -> str:
    lines = text.split("\n")
    widths: dict[int, tuple[str, list[int]]] = {}  # line number -> (line shown, prefix widths)
    out: list[str] = []
    for f in report.findings:
        out += _one(f, name, lines, widths)
    out.append(tally(report))
    return "\n".join(out)


def _shown_width(ch: str) -> int:
    # A control character is shown as its code (visible): \u001b is six columns wide.
    return len(visible(ch)) if unicodedata.category(ch) == "Cc" else char_width(ch)


def _prefix_widths(line: str) -> list[int]:
    """w[i] is the display width of line[:i]: measured once per line, however many
    findings it has (a long line of a thousand findings stays linear)."""
    return [0, *accumulate(_shown_width(ch) for ch in line)]


def _one(f: Finding, name: str, lines: list[str], widths: dict[int, tuple[str, list[int]]]) -> list[str]:
    word = SEVERITY_WORDS.get(f.severity, f.severity)
    # Draft text is shown with its control characters as codes (visible): an ESC in a
    # draft or a record never reaches the terminal as an escape sequence.
    head = visible(f"{name}:{f.line}:{f.column} {word}[{f.check}] {f.message}")
    if not 1 <= f.line <= len(lines):
        return [head]
    hit = widths.get(f.line)  # each line is prepared once, however many findings it has
    if hit is None:
        raw = lines[f.line - 1]
        line = raw.replace("\t", " ") if raw.strip() else ""
        hit = widths[f.line] = (line, _prefix_widths(line) if line else [])
    line, w = hit
    if not line:
        return [head]
    start = min(max(f.column - 1, 0), len(line))
    length = len(f.excerpt) if line.startswith(f.excerpt, start) else 1
    end = min(start + max(length, 1), len(line))
    col = w[start]
    shown = line
    if w[-1] > _LONG:
        a = max(0, start - _WINDOW_BEFORE)
        b = min(len(line), max(end, start + 1) + _WINDOW_AFTER)
        shown = ("..." if a > 0 else "") + line[a:b] + ("..." if b < len(line) else "")
        col = (3 if a > 0 else 0) + w[start] - w[a]
    gutter = str(f.line)
    pad = " " * len(gutter)
    width = max(1, w[end] - w[start])
    return [head, f" {gutter} | {visible(shown)}", f" {pad} | {' ' * col}{'^' * width}"]


def tally(report: Report) -> str:
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = sum(f.severity == "warning" for f in report.findings)
    head = f"共 {errors} 个错误、{warnings} 个警告" if report.findings else "未发现问题"
    s = report.stats
    parts = [head]
    if s.claims:
        parts.append(f"核对事实 {s.claims} 项，有据 {s.supported} 项")
    if s.records_total:
        parts.append(f"覆盖记录 {s.records_covered}/{s.records_total} 条")
    return "；".join(parts)
