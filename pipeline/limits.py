"""The limits on every input, in one place (README: 输入上限). Each default fits real
records and ledgers with a wide margin; a user who needs more sets the environment
variable named beside it (a number; sizes in MB)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    env: str
    default: int
    scale: int = 1  # the env value is in these units (MB for sizes)

    @property
    def value(self) -> int:
        """The limit: the environment variable's value when it is a positive finite number,
        else the default (the CLI refuses a bad value before any command runs: `problem`)."""
        number = self._number()
        return self.default if number is None else number

    def _number(self) -> int | None:
        raw = os.environ.get(self.env, "").strip()
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number * self.scale) if math.isfinite(number) and number * self.scale >= 1 else None

    def problem(self) -> str | None:
        """What is wrong with the environment variable's value (inf, -5, abc, 1e400), in
        Chinese; None when it is unset or a valid limit."""
        raw = os.environ.get(self.env, "").strip()
        if not raw or self._number() is not None:
            return None
        unit = "（单位 MB）" if self.scale == _MB else ""
        shown = raw if raw.isprintable() and len(raw) <= 40 else repr(raw[:40])
        return (f"环境变量 {self.env} 的值“{shown}”不是有效的上限：请写一个正数{unit}，"
                f"或删除该变量以使用默认值 {self.default // self.scale}")

    def hint(self) -> str:
        """How a user raises this limit, for the end of a message."""
        return f"如确需更大，可设置环境变量 {self.env}"


# text files read whole: records (.yaml/.json) and drafts (.md/.txt)
FILE_BYTES = Limit("ZONGJIE_MAX_FILE_MB", 20 * _MB, _MB)
# zip packages (.xlsx, .docx): every entry's size once decompressed, summed
UNZIPPED_BYTES = Limit("ZONGJIE_MAX_UNZIPPED_MB", 200 * _MB, _MB)
# word/document.xml of a .docx, decompressed
DOCX_XML_BYTES = Limit("ZONGJIE_MAX_DOCX_XML_MB", 50 * _MB, _MB)
# XML elements in word/document.xml (a three-page summary: 152 written by zongjie, a few
# thousand by Word, which splits runs; a million
# paragraphs of one letter took 53 s and 1 GB in python-docx)
DOCX_ELEMENTS = Limit("ZONGJIE_MAX_DOCX_ELEMENTS", 500_000)
# YAML anchors reused (*alias): a few are normal, an alias bomb needs many
YAML_ALIASES = Limit("ZONGJIE_MAX_YAML_ALIASES", 100)
# nesting of mappings and lists in YAML and JSON (records need 4–5)
NESTING = Limit("ZONGJIE_MAX_NESTING", 64)
# a sheet's used range
SHEET_ROWS = Limit("ZONGJIE_MAX_SHEET_ROWS", 100_000)
SHEET_COLUMNS = Limit("ZONGJIE_MAX_SHEET_COLUMNS", 500)
# cells written in all sheets of a workbook, and its shared strings, counted in the
# decompressed XML before openpyxl builds an object for each (measured: 40,000 rows of
# 10 cells took 15 s and 570 MB)
WORKBOOK_CELLS = Limit("ZONGJIE_MAX_WORKBOOK_CELLS", 200_000)
SHARED_STRINGS = Limit("ZONGJIE_MAX_SHARED_STRINGS", 500_000)
# digits of one integer (Python refuses more than 4,300 when converting)
INT_DIGITS = 4000
# a figure's value: far above any count or sum a county reports, and small enough that
# every check's arithmetic stays inside a float (a 400-digit value overflowed it)
FIGURE_MAX = 10**18


def problems() -> list[str]:
    """Every limit set in the environment to something that is no limit."""
    return [p for limit in globals().values() if isinstance(limit, Limit) and (p := limit.problem())]
