"""Every check family reads numbers and years through escape sequences and invisible
characters, as facts.number does: a draft with ESC[31m or a zero-width space before or
inside each figure, year, date and ordinal gets the same findings as the clean draft, at the
columns of the draft as written (consistency.year no longer misses 20ESC[31m23年)."""

from __future__ import annotations

import re

import pytest

from pipeline.checks import FAMILIES, check
from pipeline.checks.facts import FACT_FAMILIES
from pipeline.checks.model import Context
from pipeline.checks.output import format_findings

# A copied 范文 with a finding of every family that reads a number: the title's, a cited
# document's, a paragraph's and the issue date's year (consistency.year), an ordinal
# (consistency.campaign), heading numbers and 一是…三是 (headings.numbering), a masked and an
# empty item (residue.masked), an echoed figure (style.echo), wrong figures and a wrong
# total (facts.number), the issue date (facts.date).
DRAFT = """# 云岭县2023年民族团结进步宣传月工作总结

根据《关于开展2022年全县民族团结进步宣传月活动的通知》要求，云岭县于2024年9月1日至30日扎实开展民族团结进步宣传月活动，共组织开展各类活动5项。

## 一、加强领导，压实责任

一是及时安排部署。9月2日，县委统战部召开宣传月任务部署会，参会单位35个。三是强化督导。今年5月是甘肃省第23个民族团结进步宣传月。

## 三、丰富载体，广泛宣传

2022年，城关镇在城关镇文化广场举办文艺汇演，观看群众900余人，发放民族团结宣传册1500份。9月24日，县教育体育局开展主题班会，主题班会42场，参与师生4600人次。示范点*个。

2、

## 四、存在的问题

部分乡镇宣传形式较为单一，群众参与面有待扩大。

中共云岭县委统战部
2026年10月15日
"""
NUMERALS = "0123456789〇一二三四五六七八九十"
UNSEEN = ["\x1b[31m", "\u200b", "\x1b[0m\u200b", "\x00", "\ufeff", "\u202e", "\x9b1m"]
READS_NUMBERS = {"consistency.year", "consistency.campaign", "headings.numbering", "residue.masked",
                 "style.echo", "facts.number", "facts.date"}


def _hide(text: str, esc: str) -> tuple[str, dict[int, list[int]]]:
    """`text` with `esc` before every numeral; per 0-based line, the column of each clean
    character (and the line's end) in the hidden line."""
    out, cols = [], {}
    for i, line in enumerate(text.split("\n")):
        hidden, where = [], []
        for ch in line:
            if ch in NUMERALS:
                hidden.append(esc)
            where.append(sum(map(len, hidden)))
            hidden.append(ch)
        where.append(sum(map(len, hidden)))
        out.append("".join(hidden))
        cols[i] = where
    return "\n".join(out), cols


def _key(f, with_excerpt: bool = True):
    return (f.check, f.severity, f.line, f.column, f.excerpt if with_excerpt else None, f.message)


def _expected(f, hidden_lines: list[str], cols: dict[int, list[int]]):
    where = cols[f.line - 1]
    s = f.column - 1
    start = where[s]
    if f.check in FACT_FAMILIES:  # their excerpt is a window around the claim: column only
        return (f.check, f.severity, f.line, start + 1, None, f.message)
    if not DRAFT.split("\n")[f.line - 1].startswith(f.excerpt, s):
        return (f.check, f.severity, f.line, start + 1, f.excerpt, f.message)  # text around it, as read
    end = where[s + len(f.excerpt) - 1] + 1
    return (f.check, f.severity, f.line, start + 1, hidden_lines[f.line - 1][start:end], f.message)


@pytest.mark.parametrize("with_records", [True, False])
@pytest.mark.parametrize("esc", UNSEEN)
def test_every_family_sees_through_what_hides_a_number(spec_records, esc, with_records):
    records = spec_records if with_records else None
    clean = check(DRAFT, records).findings
    # the draft exercises every family that reads numbers (else the comparison proves little)
    wanted = READS_NUMBERS if with_records else READS_NUMBERS - set(FACT_FAMILIES)
    assert wanted <= {f.check for f in clean}
    hidden, cols = _hide(DRAFT, esc)
    lines = hidden.split("\n")
    got = check(hidden, records).findings
    assert sorted(_key(f, f.check not in FACT_FAMILIES) for f in got) == \
        sorted(_expected(f, lines, cols) for f in clean)


@pytest.mark.parametrize("name", sorted(set(FAMILIES) - set(FACT_FAMILIES)))
def test_each_family_run_alone_sees_through(spec_records, name):
    # the FAMILIES table's own entries (what tests and the web page call one by one)
    family = FAMILIES[name]
    records = spec_records if family.needs_records else None
    clean = family.run(Context(text=DRAFT, records=records))
    assert clean or name not in READS_NUMBERS
    hidden, cols = _hide(DRAFT, "\x1b[31m")
    got = family.run(Context(text=hidden, records=records))
    lines = hidden.split("\n")
    assert sorted(map(_key, got)) == sorted(_expected(f, lines, cols) for f in clean)


@pytest.mark.parametrize("year", ["20\x1b[31m23", "\x1b[1;31m2023", "20\u200b23", "20\x0023"])
def test_a_stale_year_behind_an_escape_is_found_where_it_is_written(spec_records, year):
    line = f"扎实开展{year}年民族团结进步宣传月活动。"
    draft = "# 云岭县2024年民族团结进步宣传月工作总结\n\n" + line + "\n"
    [f] = [f for f in check(draft, spec_records).findings if f.check == "consistency.year"]
    assert "2023年民族团结进步宣传月" in f.message and f.line == 3
    # the column is the draft's: at the first visible digit; the excerpt is the text as written
    assert re.sub(r"\x1b\[[\d;]*m|[\u200b\x00]", "", line[f.column - 1:]).startswith("2023年")
    assert line[f.column - 1:].startswith(f.excerpt) and year.lstrip("\x1b[1;3m") in f.excerpt
    assert f.excerpt.endswith("宣传月")
    out = format_findings(check(draft, spec_records), "草稿.md", draft)
    assert "\x1b" not in out and "\x00" not in out


def test_a_clean_draft_is_read_as_it_is(spec_records):
    # nothing unseen: the families get the context itself, no copy of the draft
    from pipeline.checks.seen import seen

    ctx = Context(text=DRAFT, records=spec_records)
    assert seen(ctx).ctx is ctx and seen(ctx).cols == {}
    dirty = Context(text=DRAFT.replace("2022年，", "20\u200b22年，"), records=spec_records)
    view = seen(dirty)
    assert view.ctx.text == DRAFT and list(view.cols) == [10]
