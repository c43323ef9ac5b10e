"""Stage 1: every input the tool reads. `load_records` takes any records file by its
suffix (.yaml/.yml/.json, or an .xlsx ledger of one place); `load_workbook_records` gives
every place of a ledger; `read_draft` reads a draft to check (.md/.txt/.docx)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.gcpause import paused_gc
from pipeline.inputs import records
from pipeline.inputs.drafts import read_draft
from pipeline.inputs.ledger import LedgerPlace, load_one_place, load_workbook_records
from pipeline.model.records import Records
from pipeline.text.files import require_file

__all__ = ["LedgerPlace", "load_records", "load_workbook_records", "read_draft", "signature_warnings"]

signature_warnings = records.signature_warnings

_ACCEPTED = "记录文件（.yaml/.yml/.json）或 .xlsx 台账"


def load_records(path: str | Path) -> tuple[Records, list[Problem]]:
    """The records of one place and the warnings about them, from a file of any accepted
    suffix; InputError with every problem found when the file is not usable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in records.SUFFIXES:
        with paused_gc():  # a large file is many live objects: see pipeline/gcpause.py
            return records.load_records(path)
    if suffix == ".xlsx":
        return load_one_place(path)
    require_file(path, _ACCEPTED)  # a missing file or a folder is said so first
    if suffix == ".xls":
        message = "不支持旧版 Excel 格式（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后重试"
    else:
        message = f"不支持的文件类型“{suffix or '（无后缀）'}”，请提供{_ACCEPTED}"
    raise InputError([Problem(path.name, None, "", message)])
