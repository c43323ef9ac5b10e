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

from .errors import EndpointError, InputError, Problem
from .names import safe_names
from .records import Records, load_records
from .render import write_atomic
from .resources import data_version

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
        from .ledger import load_workbook_records

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
        from .render import render

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
        from .run import draft

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
        from .llm import build_chain, open_cache
        from .llm.client import ModelClient
        from .run import llm_drafted

        ep = self.endpoint
        transport = None
        if self.via == "openai-batch":
            from .llm.batch_api import BatchTransport, current_place

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


def exit_code(results: list[PlaceResult]) -> int:
    codes = [r.exit_code for r in results] or [0]
    for code in (3, 2, 1):
        if code in codes:
            return code
    return 0


def run_batch(input_path: str | Path, outdir: str | Path, formats: list[str], backend: str = "template",
              endpoint=None, force: bool = False, use_cache: bool = True, cache_path=None,
              progress=lambda result: None, via: str = "direct",
              poll_seconds: float = 30.0, jobs: int | None = None) -> list[PlaceResult]:
    """Draft every place of INPUT into OUTDIR; returns one result per place, in input order.

    `progress(result)` is called as each place ends (and `progress.start(total)`, if it
    has one, once the run is under way). `jobs`: worker processes for the LLM backend (None:
    as many as cores, at most 4; see batch_workers)."""
    places = collect_inputs(input_path)
    outdir = Path(outdir)
    if outdir.is_dir():  # temporary files of a killed run: never a result, always safe to drop
        for tmp in outdir.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
    if via == "openai-batch" and backend != "llm":
        raise InputError("--via openai-batch 需要模型接口（llm 后端）；请先配置 OPENAI_API_KEY 等")
    batch = Batch(outdir, formats, backend, endpoint, force, use_cache, cache_path, via, poll_seconds)
    # A terminal progress bar refreshes from a thread: start it after any fork.
    start = getattr(progress, "start", None)

    def started() -> None:
        if start is not None:
            start(len(places))
    if backend == "llm":
        from .batch_workers import job_count, run_in_workers

        # The Batch API path stays in one process: all places go into the same batches.
        jobs = 1 if via != "direct" else job_count(
            jobs, len(places), endpoint.concurrency, endpoint.requests_per_minute,
            endpoint.tokens_per_minute)
        if jobs > 1:
            results = run_in_workers(batch, places, progress, jobs, started)
        else:
            started()
            results = asyncio.run(batch.run_llm(places, progress))
    else:
        started()
        results = batch.run_template(places, progress)
    batch.write_summary(results)
    return results
