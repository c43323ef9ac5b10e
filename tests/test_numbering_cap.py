"""A line of many run-in items (一是…一是…, a pasted or hostile list) lists only the first
PER_LINE numbering findings of that line and one finding for the rest, with the worst
severity among them: the report stays readable and its memory bounded."""

from __future__ import annotations

from pipeline.checks import check
from pipeline.checks.numbering import PER_LINE


def _numbering(text: str):
    return [f for f in check(text).findings if f.check == "headings.numbering"]


def test_a_short_line_lists_every_finding():
    found = _numbering("# 标题\n\n" + "一是开展宣讲；" * 6 + "\n")
    assert len(found) == 5 and all(f.severity == "warning" for f in found)


def test_a_long_line_lists_the_first_findings_and_counts_the_rest():
    n = 1000
    found = _numbering("# 标题\n\n" + "一是开展宣讲；" * n + "\n")
    assert len(found) == PER_LINE + 1
    rest = found[-1]
    assert f"另有 {n - 1 - PER_LINE} 处" in rest.message and rest.severity == "warning"


def test_the_rest_keeps_the_worst_severity_and_other_lines_their_own_count():
    line = "一是开展宣讲；" * (PER_LINE + 1) + "三是走访慰问；"  # the error falls past the first PER_LINE
    found = _numbering(f"# 标题\n\n{line}\n\n一是组织培训；一是开展义诊。\n")
    first = [f for f in found if f.line == 3]
    assert len(first) == PER_LINE + 1 and first[-1].severity == "error" and "另有 1 处" in first[-1].message
    assert [f.line for f in found if f.line == 5] == [5]
