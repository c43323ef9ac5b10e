"""Stage: batch. Every place of a folder of records files or of a ledger workbook, one
result each, resumable.

Resume: each finished place leaves `.zongjie-batch/<name>.json` holding the key of what
produced it (its records, the output formats, the backend and model, the version of
every prompt and phrase file). It is written last, after the place's outputs, each write
atomic; a run skips a place whose marker carries the same key and whose outputs exist,
and redoes the rest. Killing a batch at any moment loses at most the places in flight.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.errors import EndpointError, InputError, Problem
from pipeline.io import safe_names
from pipeline.model.records import Records
from pipeline.inputs import load_records
from pipeline.io import write_atomic
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


@dataclass
class PlaceResult:
    place: str
    file: str
    status: str  # ok | findings | failed
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
    if path.is_file() and path.suffix.lower() == ".xlsx":
        from pipeline.inputs import load_workbook_records

        for lp in load_workbook_records(path):
            places.append(PlaceInput(lp.name, f"{path.name}!{lp.name}", lp.records,
                                     [p for p in lp.problems if p.severity == "error"]))
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES
                       and not p.name.endswith(".schema.json"))
        if not files:
            raise InputError([Problem(str(path), None, "", "文件夹中没有记录文件（.yaml/.yml/.json）")])
        for f in files:
            try:
                records, _warnings = load_records(f)
                places.append(PlaceInput(records.county, f.name, records))
            except InputError as exc:
                places.append(PlaceInput(f.stem, f.name, None, exc.problems))
    else:
        raise InputError([Problem(str(path), None, "", "应为记录文件夹或 .xlsx 台账")])
    for place, stem in zip(places, safe_names([p.name for p in places])):
        place.file = stem
    return places


def place_key(records: Records, formats: list[str], backend: str, model: str | None) -> str:
    payload = json.dumps({"records": records.model_dump(mode="json"), "formats": formats,
                          "backend": backend, "model": model, "data": data_version()},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Batch:
    def __init__(self, outdir: str | Path, formats: list[str], backend: str = "template",
                 endpoint=None, force: bool = False, use_cache: bool = True, cache_path=None,
                 via: str = "direct", poll_seconds: float = 30.0) -> None:
        self.outdir = Path(outdir)
        self.via = via
        self.poll_seconds = poll_seconds
        self.formats = formats
        self.backend = backend
        self.endpoint = endpoint
        self.force = force
        self.use_cache = use_cache
        self.cache_path = cache_path

    # -- resume ---------------------------------------------------------------------

    def _marker(self, place: PlaceInput) -> Path:
        return self.outdir / STATE / f"{place.file}.json"

    def _outputs(self, place: PlaceInput) -> list[Path]:
        return [self.outdir / f"{place.file}{suffix}" for suffix in self.formats] + [
            self.outdir / f"{place.file}.check.json"]

    def finished(self, place: PlaceInput, key: str) -> PlaceResult | None:
        marker = self._marker(place)
        if self.force or not marker.exists():
            return None
        try:
            state = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if state.get("key") != key or not all(p.exists() for p in self._outputs(place)):
            return None
        return PlaceResult(**state["result"], skipped=True)

    # -- one place ------------------------------------------------------------------

    def _write(self, place: PlaceInput, drafted, key: str, seconds: float) -> PlaceResult:
        from pipeline.render import render

        for suffix in self.formats:
            write_atomic(self.outdir / f"{place.file}{suffix}", render(drafted.document, suffix))
        write_atomic(self.outdir / f"{place.file}.check.json", drafted.report_json())
        findings = drafted.report.findings
        usage = drafted.extra.get("usage", {})
        errors = sum(f.severity == "error" for f in findings)
        result = PlaceResult(place=place.name, file=place.file, status="findings" if errors else "ok",
                             errors=errors, warnings=len(findings) - errors,
                             tokens=usage.get("total_tokens", 0), cost=usage.get("cost", 0.0),
                             seconds=seconds, exit_code=1 if errors else 0)
        # No fsync for the marker: the outputs above are on disk before it exists, so a
        # power cut can lose only the marker, and a lost marker means the place is redone.
        write_atomic(self._marker(place), json.dumps({"key": key, "source": place.source,
                                                      "result": result.persisted()},
                                                     ensure_ascii=False, indent=2) + "\n", durable=False)
        return result

    @staticmethod
    def failed(place: PlaceInput, problems: list, code: int) -> PlaceResult:
        text = "\n".join(str(p) for p in problems)
        return PlaceResult(place=place.name, file=place.file, status="failed", errors=len(problems),
                           message=text, exit_code=code)

    def run_template(self, places: list[PlaceInput], progress) -> list[PlaceResult]:
        from pipeline.orchestrator import draft

        results = []
        for place in places:
            results.append(self._one_sync(place, draft))
            progress(results[-1])
        return results

    def _one_sync(self, place: PlaceInput, draft) -> PlaceResult:
        if place.records is None:
            return self.failed(place, place.problems, 2)
        key = place_key(place.records, self.formats, self.backend, None)
        done = self.finished(place, key)
        if done:
            return done
        start = time.perf_counter()
        drafted = draft(place.records)
        return self._write(place, drafted, key, time.perf_counter() - start)

    async def run_llm(self, places: list[PlaceInput], progress) -> list[PlaceResult]:
        from pipeline.drafting.llm import build_chain, open_cache
        from pipeline.drafting.llm.client import ModelClient
        from pipeline.orchestrator import llm_drafted

        ep = self.endpoint
        transport = None
        if self.via == "openai-batch":
            from pipeline.drafting.llm.batch_api import BatchTransport, current_place

            transport = BatchTransport(ep, self.outdir / STATE, poll_seconds=self.poll_seconds)
            cache = None  # the Batch API answers later and cheaper; nothing to look up
            gate = asyncio.Semaphore(max(1, len(places)))  # every place in the same batches
        else:
            cache = open_cache(self.cache_path) if self.use_cache else None
            # Places in progress at once: a place asks several parts at a time, so half the
            # requests allowed in flight keeps every slot busy; more only makes a crowd of
            # calls preparing requests that then wait for a slot.
            gate = asyncio.Semaphore(max(2, ep.concurrency // 2))
        # One client for all places: one connection pool, one limit of requests in flight.
        client = ModelClient(ep, cache=cache, transport=transport)

        async def one(place: PlaceInput) -> PlaceResult:
            if place.records is None:
                return self.failed(place, place.problems, 2)
            key = place_key(place.records, self.formats, "llm", ep.model)
            done = self.finished(place, key)
            if done:
                return done
            async with gate:
                start = time.perf_counter()
                chain = build_chain(ep, trail_dir=self.outdir / f"{place.file}.trail", client=client)
                if transport:
                    current_place.set(place.file)
                    transport.started()
                try:
                    result = await chain.ainvoke(place.records)
                except EndpointError as exc:
                    return self.failed(place, [str(exc)], 3)
                finally:
                    if transport:
                        transport.finished()
                return self._write(place, llm_drafted(result, ep), key, time.perf_counter() - start)

        async def tracked(place: PlaceInput) -> PlaceResult:
            result = await one(place)
            progress(result)
            return result
        try:
            return list(await asyncio.gather(*(tracked(p) for p in places)))
        finally:
            await client.aclose()
            if cache is not None:
                cache.close()
            if transport is not None:
                await transport.close()

    # -- summary --------------------------------------------------------------------

    def write_summary(self, results: list[PlaceResult]) -> None:
        rows = [r.persisted() for r in results]
        write_atomic(self.outdir / f"{SUMMARY}.json",
                     json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["地区", "文件", "状态", "错误", "警告", "tokens", "费用", "说明"])
        for r in rows:
            writer.writerow([r["place"], r["file"], r["status"], r["errors"], r["warnings"],
                             r["tokens"], f"{r['cost']:.6f}", r["message"]])
        write_atomic(self.outdir / f"{SUMMARY}.csv", "\ufeff" + buf.getvalue())  # BOM: Excel reads UTF-8
