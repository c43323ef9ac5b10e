"""The places of a batch: read from a folder of records files or a ledger workbook, each
with the safe file stem its outputs take, and the result each place ends with."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.errors import InputError, Problem
from pipeline.inputs import load_records
from pipeline.io import safe_names
from pipeline.model.records import Records
from pipeline.resources import data_version

STATE = ".zongjie-batch"
SUMMARY = "汇总"
RECORD_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class PlaceInput:
    name: str  # the place as the input names it
    source: str  # the file, or workbook!place
    records: Records | None
    problems: list[Problem] = field(default_factory=list)
    file: str = ""  # the safe output stem, set once all names are known


# How a status reads in the summary files and the result table.
STATUS_TEXT = {"ok": "通过", "findings": "有错误", "failed": "失败"}


@dataclass
class PlaceResult:
    place: str
    file: str
    status: Literal["ok", "findings", "failed"]
    errors: int = 0
    warnings: int = 0
    tokens: int = 0
    cost: float = 0.0
    seconds: float = 0.0
    message: str = ""
    exit_code: int = 0
    skipped: bool = False  # finished by an earlier run; status is what that run found

    def persisted(self) -> dict:
        """What goes into files: no timing and no skipping, so a resumed batch writes
        what an uninterrupted one writes."""
        data = asdict(self)
        del data["seconds"], data["skipped"]
        return data


def collect_inputs(path: str | Path) -> list[PlaceInput]:
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), None, "", "输入不存在（应为记录文件夹或 .xlsx 台账）")])
    places: list[PlaceInput] = []
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xls"):
        places += _workbook_places(path, one_input=True)
    elif path.is_dir():
        # ~$台账.xlsx is the lock file Excel and WPS leave beside a workbook that is open.
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("~$")
                       and p.suffix.lower() in (*RECORD_SUFFIXES, ".xlsx", ".xls")
                       and not p.name.endswith(".schema.json"))
        if not files:
            raise InputError([Problem(str(path), None, "", "文件夹中没有记录文件（.yaml/.yml/.json）或 .xlsx 台账")])
        for f in files:
            if f.suffix.lower() in (".xlsx", ".xls"):  # an .xls is one failed place: save as .xlsx
                places += _workbook_places(f)
                continue
            try:
                records, _warnings = load_records(f)
                places.append(PlaceInput(records.county, f.name, records))
            except InputError as exc:
                places.append(PlaceInput(f.stem, f.name, None, exc.problems))
            except Exception as exc:  # noqa: BLE001 - one unreadable file must not cost the others
                places.append(PlaceInput(f.stem, f.name, None, [internal_error(f.name, exc)]))
    else:
        raise InputError([Problem(str(path), None, "", "应为记录文件夹或 .xlsx 台账")])
    for place, stem in zip(places, safe_names([p.name for p in places])):
        place.file = stem
    return places


def internal_error(source: str, exc: Exception) -> str:
    """A place's row when zongjie itself failed on it (a bug, not the input's fault)."""
    return (f"{source}：处理时出现内部错误（{type(exc).__name__}: {str(exc)[:200]}），此地区未完成，"
            "其他地区不受影响；请把该文件和这条消息报告给维护者")


def _workbook_places(path: Path, one_input: bool = False) -> list[PlaceInput]:
    """Every place of one ledger workbook. A workbook that cannot be read stops the batch when
    it is the whole input, and is one failed place among a folder's."""
    from pipeline.inputs import load_workbook_records

    try:
        ledger = load_workbook_records(path)
    except InputError as exc:
        if one_input:
            raise
        return [PlaceInput(path.stem, path.name, None, exc.problems)]
    except Exception as exc:  # noqa: BLE001 - as for a records file above
        if one_input:
            raise
        return [PlaceInput(path.stem, path.name, None, [internal_error(path.name, exc)])]
    return [PlaceInput(lp.name, f"{path.name}!{lp.name}", lp.records,
                       [p for p in lp.problems if p.severity == "error"]) for lp in ledger]


def place_key(records: Records, formats: list[str], backend: str, model: str | None) -> str:
    payload = json.dumps({"records": records.model_dump(mode="json"), "formats": formats,
                          "backend": backend, "model": model, "data": data_version()},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
