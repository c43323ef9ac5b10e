"""A batch run: every place drafted through the orchestrator into OUTDIR, resumable.

Resume: each finished place leaves `.zongjie-batch/<name>.json` holding the key of what
produced it (its records, the output formats, the backend and model, the version of
every prompt and phrase file). It is written last, after the place's outputs, each write
atomic; a run skips a place whose marker carries the same key and whose outputs exist,
and redoes the rest. Killing a batch at any moment loses at most the places in flight.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from pathlib import Path

from pipeline.batch.places import (
    STATE,
    STATUS_TEXT,
    SUMMARY,
    PlaceInput,
    PlaceResult,
    internal_error,
    place_key,
)
from pipeline.drafting import SessionOptions, open_session
from pipeline.errors import EndpointError, ZongjieError
from pipeline.io import write_atomic
from pipeline.model.run import Run
from pipeline.orchestrator import adraft
from pipeline.render import render
from pipeline.text.chars import visible


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

    def _write(self, place: PlaceInput, run: Run, key: str, seconds: float) -> PlaceResult:
        for suffix in self.formats:
            write_atomic(self.outdir / f"{place.file}{suffix}", render(run.document, suffix))
        write_atomic(self.outdir / f"{place.file}.check.json", run.report_json())
        findings = run.report.findings
        errors = sum(f.severity == "error" for f in findings)
        usage = run.usage
        result = PlaceResult(place=place.name, file=place.file, status="findings" if errors else "ok",
                             errors=errors, warnings=len(findings) - errors,
                             tokens=usage.total_tokens if usage else 0,
                             cost=round(usage.cost, 6) if usage else 0.0,
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

    async def run(self, places: list[PlaceInput], progress) -> list[PlaceResult]:
        """Every place, as many at once as the backend's session allows, in input order."""
        session = open_session(self.backend, SessionOptions(
            endpoint=self.endpoint, use_cache=self.use_cache, cache_path=self.cache_path,
            via=self.via, state_dir=self.outdir / STATE, poll_seconds=self.poll_seconds))
        gate = asyncio.Semaphore(session.places_at_once(len(places)))
        model = self.endpoint.model if self.endpoint else None

        async def one(place: PlaceInput) -> PlaceResult:
            if place.records is None:
                return self.failed(place, place.problems, 2)
            key = place_key(place.records, self.formats, self.backend, model)
            done = self.finished(place, key)
            if done:
                return done
            async with gate:
                start = time.perf_counter()
                trail = self.outdir / f"{place.file}.trail" if self.endpoint else None
                try:
                    run = await adraft(place.records, session.backend(place.file, trail), trail)
                    return self._write(place, run, key, time.perf_counter() - start)
                except EndpointError as exc:
                    return self.failed(place, [str(exc)], 3)
                except ZongjieError as exc:
                    return self.failed(place, [str(exc)], exc.exit_code)
                except OSError as exc:  # the output folder, not the place: full, read-only …
                    return self.failed(place, [f"{self.outdir}：写出 {place.file} 的结果失败（{exc.strerror or exc}）"], 2)
                except Exception as exc:  # noqa: BLE001 - a bug in one place must not cost the others
                    return self.failed(place, [internal_error(place.source, exc)], 3)

        async def tracked(place: PlaceInput) -> PlaceResult:
            result = await one(place)
            progress(result)
            return result
        try:
            return list(await asyncio.gather(*(tracked(p) for p in places)))
        finally:
            await session.aclose()

    # -- summary --------------------------------------------------------------------

    def write_summary(self, results: list[PlaceResult]) -> None:
        rows = [r.persisted() for r in results]
        write_atomic(self.outdir / f"{SUMMARY}.json",
                     json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["地区", "文件", "状态", "错误", "警告", "tokens", "费用", "说明"])
        priced = self.backend != "template"  # the template calls no model: no tokens, no cost
        for r in rows:
            writer.writerow([_cell(r["place"]), _cell(r["file"]), STATUS_TEXT[r["status"]], r["errors"],
                             r["warnings"], r["tokens"] if priced else "",
                             f"{r['cost']:.6f}" if priced else "", _cell(r["message"])])
        write_atomic(self.outdir / f"{SUMMARY}.csv", "\ufeff" + buf.getvalue())  # BOM: Excel reads UTF-8


def _cell(text: str) -> str:
    """A text cell of 汇总.csv as Excel and a terminal may show it: control characters as
    their code (a file named with ESC), and a leading = + - @ quoted so Excel and WPS never
    read a place or file name as a formula."""
    text = visible(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
