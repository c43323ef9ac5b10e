"""The limits on every input, in one place (README: 输入上限). Each default fits real
records and ledgers with a wide margin; a user who needs more sets the environment
variable named beside it (a number; sizes in MB)."""

from __future__ import annotations

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
        raw = os.environ.get(self.env, "").strip()
        try:
            return int(float(raw) * self.scale) if raw else self.default
        except ValueError:
            return self.default

    def hint(self) -> str:
        """How a user raises this limit, for the end of a message."""
        return f"如确需更大，可设置环境变量 {self.env}"


# text files read whole: records (.yaml/.json) and drafts (.md/.txt)
FILE_BYTES = Limit("ZONGJIE_MAX_FILE_MB", 20 * _MB, _MB)
# zip packages (.xlsx, .docx): every entry's size once decompressed, summed
UNZIPPED_BYTES = Limit("ZONGJIE_MAX_UNZIPPED_MB", 200 * _MB, _MB)
# word/document.xml of a .docx, decompressed
DOCX_XML_BYTES = Limit("ZONGJIE_MAX_DOCX_XML_MB", 50 * _MB, _MB)
# YAML anchors reused (*alias): a few are normal, an alias bomb needs many
YAML_ALIASES = Limit("ZONGJIE_MAX_YAML_ALIASES", 100)
# nesting of mappings and lists in YAML and JSON (records need 4–5)
NESTING = Limit("ZONGJIE_MAX_NESTING", 64)
# a sheet's used range
SHEET_ROWS = Limit("ZONGJIE_MAX_SHEET_ROWS", 100_000)
SHEET_COLUMNS = Limit("ZONGJIE_MAX_SHEET_COLUMNS", 500)
# digits of one integer (Python refuses more than 4,300 when converting)
INT_DIGITS = 4000
# a figure's value: far above any count or sum a county reports, and small enough that
# every check's arithmetic stays inside a float (a 400-digit value overflowed it)
FIGURE_MAX = 10**18
