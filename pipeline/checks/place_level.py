"""The place's own name with the wrong level word, a town's own county, and records that
belong to another place.

- consistency.level: 云岭区 where the records say 云岭县 (or the reverse), in the title,
  the signature or the body; the stem is right, so consistency.place takes it for this
  place's own name.
- consistency.place, filtered: a town's summary may name the county it belongs to
  (先滩镇地处泸川县东部): that county is no “other place”.
- `foreign_records`: the draft's title names another place and the records' place is
  nowhere in it; check() then gives this one finding instead of a hundred facts that
  cannot match.
"""

from __future__ import annotations

import re

from pipeline.checks import consistency
from pipeline.checks.model import Context
from pipeline.checks.structure import finding, in_recorded, recorded_strings, title_index
from pipeline.model.report import Finding
from pipeline.text import places

FAMILY = "consistency.level"
# After these the level word starts another word: 云岭区域, 云岭市场, 云岭县城 is still 县.
_NOT_AFTER = {"区": "域间别分划", "市": "场容貌", "县": "", "旗": "帜袍舰", "镇": "静定", "乡": "村亲音愁土",
              "街道": "办", "自治县": "", "自治旗": ""}
_ALL = ("自治县", "自治旗", "街道", "县", "区", "市", "旗", "镇", "乡")


def _own(records) -> tuple[str, str] | None:
    hit = places.split_level(records.county, need_stem=True)
    if not hit or len(hit[0]) < 2:
        return None
    return hit


def check_level(ctx: Context) -> list[Finding]:
    own = _own(ctx.records)
    if own is None:
        return []
    stem, suffix = own
    level = places.LEVELS[suffix]
    wrong = [w for w in _ALL if places.LEVELS[w] != level]
    pattern = re.compile(rf"{re.escape(stem)}({'|'.join(wrong)})")
    strings = recorded_strings(ctx.records)
    out: list[Finding] = []
    for i, line in enumerate(ctx.lines):
        if stem not in line:
            continue
        for m in pattern.finditer(line):
            w = m.group(1)
            after = line[m.end():m.end() + 1]
            if after and after in _NOT_AFTER[w]:
                continue
            if in_recorded(line, m.start(), m.end(), strings):
                continue  # 云岭镇 is a town of 云岭县 when the records name it
            out.append(finding(FAMILY, "error", i, m.start() + 1, m.group(),
                               f"“{m.group()}”的级别与记录不符：记录为“{ctx.records.county}”（{level}级），"
                               f"此处写作{places.LEVELS[w]}"))
    return out


def _parent(ctx: Context, names: set[str]) -> set[str]:
    """The county a town's summary belongs to: written right before the town's name
    (泸川县先滩镇), in the records, or the only county the summary names. Without records
    the town is the one the title names."""
    town = ctx.records.county if ctx.records is not None else consistency.place_info(ctx).name or ""
    if places.level_of(town) not in places.TOWN_RANK:
        return set()
    strings = recorded_strings(ctx.records)
    out = {n for n in names if n + town in ctx.text or any(n in s for s in strings)}
    return out or (names if len(names) == 1 else set())


def check_place(ctx: Context) -> list[Finding]:
    found = consistency.check_place(ctx)
    counties = {f.excerpt for f in found if f.message.startswith("出现其他地方的名称")
                and places.level_of(f.excerpt) in places.COUNTY_RANK}
    parent = _parent(ctx, counties) if counties else set()
    return [f for f in found if not (f.excerpt in parent and f.message.startswith("出现其他地方的名称"))]


def foreign_records(ctx: Context) -> Finding | None:
    """One finding when the draft is about another place than its records."""
    if ctx.records is None:
        return None
    t = title_index(ctx.lines)
    if t is None:
        return None
    info = consistency.place_info(ctx)
    title = info.title_name
    own = places.stem_of(ctx.records.county)
    if not title or len(places.stem_of(title)) < 2 or len(own) < 2:
        return None
    other = places.stem_of(title)
    if own[:2] in ctx.text or other.endswith(own) or own.endswith(other):
        return None
    return finding("records.place", "error", t, info.title_col, title,
                   f"记录是“{ctx.records.county}”的，草稿写的是“{title}”：请换用{title}的记录，"
                   f"或检查草稿是否选错了文件（未逐项核对事实）")
