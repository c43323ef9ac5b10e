"""The consistency.campaign family: campaign ordinals. 2019年5月是全省第10个民族团结进步
宣传月: each province numbers its campaign from its own first year, so the ordinal fixes
the year (第N个 = year − first_year + 1). The campaigns are data,
prompts/lexicon/campaigns.yaml, holding only verified entries; the rule is silent for a
campaign or province not in it, and for 全省/全区 when the month does not tell which.

The ordinals are no record facts: facts.number leaves them to this family (`ordinal_spans`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.checks.consistency import document_year
from pipeline.checks.model import Context
from pipeline.checks.structure import finding
from pipeline.model.report import Finding
from pipeline.resources import load_yaml
from pipeline.text.numerals import cn_to_int

FAMILY = "consistency.campaign"
_NUM = r"\d{1,3}|[一二三四五六七八九十]{1,4}"
# Any campaign ordinal, listed or not: 第21个民族团结进步宣传月, 第十二个宣传教育月.
ORDINAL_RE = re.compile(rf"第({_NUM})个\s*([\u4e00-\u9fff]{{0,12}}?(?:宣传月|活动月|教育月|宣传周|活动周|宣传日))")
_GENERIC = {"全省": "省", "我省": "省", "本省": "省", "全区": "自治区", "我区": "自治区", "本区": "自治区",
            "全自治区": "自治区", "自治区": "自治区"}
_SENTENCE_END = "。；！？\n"


@dataclass(frozen=True)
class Campaign:
    region: str
    short: tuple[str, ...]
    campaign: str
    month: int
    first_year: int
    source: str

    def ordinal(self, year: int) -> int:
        return year - self.first_year + 1


def parse_campaigns(data: dict) -> tuple[Campaign, ...]:
    out = []
    for e in data.get("campaigns") or []:
        sources = e.get("sources") or [{"url": e.get("source", "")}]
        out.append(Campaign(e["region"], tuple(e.get("short") or ()), e["campaign"], int(e["month"]),
                            int(e["first_year"]), sources[0].get("url", "")))
    return tuple(out)


@cache
def campaigns() -> tuple[Campaign, ...]:
    return parse_campaigns(load_yaml("lexicon/campaigns.yaml"))


def load_campaigns(path: Path) -> tuple[Campaign, ...]:
    """Another campaigns file (tests pass their own data)."""
    return parse_campaigns(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def ordinal_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in ORDINAL_RE.finditer(text)]


def _sentence(line: str, s: int, e: int) -> tuple[int, int]:
    a = max((line.rfind(c, 0, s) for c in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (line.find(c, e) for c in _SENTENCE_END) if i >= 0]
    return a, min(ends) if ends else len(line)


def _region(before: str, name: str, table: tuple[Campaign, ...]) -> tuple[list[Campaign], bool]:
    """The entries the words before 第N个 point to, and whether they name the region."""
    entries = [c for c in table if c.campaign == name]
    named = [c for c in entries if c.region in before or any(s in before for s in c.short if s not in _GENERIC)]
    if named:
        return named, True
    for word, level in sorted(_GENERIC.items(), key=lambda kv: -len(kv[0])):
        if word in before:
            return [c for c in entries if c.region.endswith(level)], False
    return [], False


def _judge(ctx: Context, line: str, m: re.Match, table: tuple[Campaign, ...]) -> str | None:
    a, b = _sentence(line, m.start(), m.end())
    before = line[max(a, m.start() - 16):m.start()]
    entries, named = _region(before, m.group(2), table)
    head = line[a:m.start()]
    months = re.findall(r"(?<!\d)(\d{1,2})月", head)
    month = int(months[-1]) if months else None
    if month is None and ctx.records is not None and ctx.records.period is not None:
        month = ctx.records.period.start.month
    if month is not None:
        entries = [c for c in entries if c.month == month] if not named else entries
    elif not named:
        return None  # 全省第N个… with no month: which province's campaign is not known
    if len(entries) != 1:
        return None
    c = entries[0]
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)年", head)
    year = int(years[-1]) if years else document_year(ctx)
    n = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
    if year is None or n is None or n == c.ordinal(year):
        return None
    return (f"“第{m.group(1)}个{m.group(2)}”与年份不符：{c.region}{c.campaign}自{c.first_year}年起"
            f"每年{c.month}月开展，{year}年是第{c.ordinal(year)}个")


def check_campaign(ctx: Context, table: tuple[Campaign, ...] | None = None) -> list[Finding]:
    table = campaigns() if table is None else table
    if not table:
        return []
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if "第" not in line:
            continue
        for m in ORDINAL_RE.finditer(line):
            message = _judge(ctx, line, m, table)
            if message:
                out.append(finding(FAMILY, "error", i, m.start() + 1, m.group(), message))
    return out
