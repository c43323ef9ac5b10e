"""Dates as official Chinese text writes them (GB/T 15835: Arabic numerals)."""

from __future__ import annotations

import datetime as dt


def cn_date(d: dt.date, with_year: bool = False) -> str:
    """2024-09-03 → 9月3日 (Arabic numerals without leading zeros, GB/T 15835)."""
    text = f"{d.month}月{d.day}日"
    return f"{d.year}年{text}" if with_year else text


def cn_date_range(start: dt.date, end: dt.date | None, with_year: bool = False) -> str:
    """9月15日至16日, 9月28日至10月3日; a single day when end is absent or equal."""
    if end is None or end == start:
        return cn_date(start, with_year)
    head = cn_date(start, with_year)
    if end.year != start.year:
        return f"{head}至{cn_date(end, True)}"
    if end.month != start.month:
        return f"{head}至{cn_date(end)}"
    return f"{head}至{end.day}日"


def cn_date_list(days: list[dt.date]) -> str:
    """9月4日、19日、10月8日: a day in the month of the day before it is written without
    the month, as a careful clerk writes a list of dates."""
    out: list[str] = []
    for i, d in enumerate(days):
        same = i and (days[i - 1].year, days[i - 1].month) == (d.year, d.month)
        out.append(f"{d.day}日" if same else cn_date(d))
    return "、".join(out)
