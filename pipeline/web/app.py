"""The review workbench's routes (FastAPI). Pages are Jinja2 templates with autoescaping on;
every file they load is served from the package (no CDN)."""

from __future__ import annotations

import hmac
import json
from pathlib import Path

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from pipeline.errors import InputError
from pipeline.web import batches as bt
from pipeline.web import drafts as dj
from pipeline.web import persist
from pipeline.web import review as rv
from pipeline.web.batches import batch_name
from pipeline.web.marks import script_json
from pipeline.web.state import Store, discard_upload, new_id, save_upload

HERE = Path(__file__).parent
COOKIE = "zongjie_token"
LLM_CACHE = "llm-cache.sqlite3"  # the LLM backend's call cache, inside the data folder
DRAFT_JOBS = 50  # LLM drafts remembered for their progress pages


def _line(p) -> str:  # 第6行第12列: a records file's problems carry their line, a ledger's their cell
    return (f"第{p.line}行" + (f"第{p.column}列" if p.column else "")) if p.line else ""


def _known(table, key: str):
    """The draft or batch job `key`, or 404 (an id from an old link or another server)."""
    job = table.get(key)
    if job is None:
        raise _NotFound()
    return job


def create_app(data_dir: str | Path, token: str | None = None, endpoint=None,
               keep_days: float = persist.KEEP_DAYS, keep_sessions: int = persist.KEEP_SESSIONS) -> FastAPI:
    """The app; with a token every request must carry it (?token=, a cookie set from it, or
    an `Authorization: Bearer` header). The endpoint (LLM backend) stays on the server.
    Reviews saved in the data folder by an earlier run open again; `keep_days` and
    `keep_sessions` are the retention rules (persist.py)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    store = Store(Path(data_dir), keep_days, keep_sessions)
    cache_path = store.data_dir / LLM_CACHE
    pages = Jinja2Templates(directory=HERE / "templates")
    pages.env.filters["tojson_safe"] = script_json
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def require_token(request: Request, call_next):
        if token is None:
            return await call_next(request)
        given = (request.query_params.get("token") or request.cookies.get(COOKIE)
                 or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return Response("需要访问令牌：请使用启动 zongjie serve 时打印的完整地址（含 ?token=…）",
                            status_code=401, media_type="text/plain; charset=utf-8")
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    def page(request: Request, name: str, status: int = 200, **ctx):
        return pages.TemplateResponse(request, name, {"llm": endpoint is not None, **ctx}, status_code=status)

    def invalid(request: Request, exc: InputError, what: str):
        rows = [{"file": p.file, "where": " ".join(filter(None, [_line(p), p.path])),
                 "severity": "错误" if p.severity == "error" else "警告", "message": p.message}
                for p in exc.problems]
        return page(request, "invalid.html", 422, rows=rows, what=what)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        return page(request, "index.html", examples=rv.examples())

    @app.post("/draft")
    async def draft(request: Request, file: UploadFile | None = File(None), example: str = Form(""),
                    backend: str = Form("template")):
        path = None
        try:
            if file is not None and file.filename:
                path = save_upload(store, file.filename, await file.read(), rv.RECORD_SUFFIXES)
            elif example in rv.examples():
                path = rv.EXAMPLES / example
            else:
                raise InputError("请上传台账或记录文件，或选择一个示例")
            loaded = rv.load(path)  # validated before anything is drafted
            if backend == "llm" and endpoint is not None:  # long: drafted in the background
                job = dj.DraftJob(new_id(), path.name)
                _remember(store.drafts, job)
                dj.start(job, path, loaded, endpoint, store, cache_path)
                return RedirectResponse(f"/draft/{job.id}", status_code=303)
            review = await rv.drafted(path, loaded=loaded)
        except InputError as exc:
            return invalid(request, exc, "记录有误，未起草")
        finally:
            discard_upload(path)
        store.add(review)
        return RedirectResponse(f"/review/{review.id}", status_code=303)

    def draft_job(jid: str) -> dj.DraftJob:
        return _known(store.drafts, jid)

    @app.get("/draft/{jid}", response_class=HTMLResponse)
    def draft_page(request: Request, jid: str):
        job = draft_job(jid)
        if job.review:
            return RedirectResponse(job.status()["review"], status_code=303)
        return page(request, "drafting.html", job=job)

    @app.get("/api/draft/{jid}")
    def draft_status(jid: str):
        return draft_job(jid).status()

    @app.post("/check")
    async def check_draft(request: Request, draft: UploadFile = File(...), records: UploadFile | None = File(None)):
        draft_path = records_path = None
        try:
            draft_path = save_upload(store, draft.filename or "", await draft.read(), rv.DRAFT_SUFFIXES)
            if records is not None and records.filename:
                records_path = save_upload(store, records.filename, await records.read(), rv.RECORD_SUFFIXES)
            review = rv.uploaded(draft_path, records_path)
        except InputError as exc:
            return invalid(request, exc, "文件有误，未核对")
        finally:
            discard_upload(draft_path)
            discard_upload(records_path)
        store.add(review)
        return RedirectResponse(f"/review/{review.id}", status_code=303)

    def find(rid: str):
        review = store.get(rid)
        if review is None:
            raise _NotFound()
        return review

    @app.exception_handler(_NotFound)
    async def not_found(request: Request, exc):
        return Response("找不到：稿件已按保留规则清理，或起草、批量任务未完成时服务已重启；请重新上传", status_code=404, media_type="text/plain; charset=utf-8")

    @app.get("/review/{rid}", response_class=HTMLResponse)
    def review_page(request: Request, rid: str):
        review = find(rid)
        return page(request, "review.html", review=review, v=rv.view(review), cards=rv.cards(review))

    @app.post("/api/review/{rid}/check")
    async def recheck(request: Request, rid: str):
        review = find(rid)
        body = await request.body()
        if len(body) > 1024 * 1024:
            return JSONResponse({"error": "稿件过长"}, status_code=413)
        text = _edited_text(body)
        if text is None:
            return JSONResponse({"error": "请求有误：应为 JSON 对象 {\"text\": \"稿件全文\"}，text 为字符串"},
                                status_code=400)
        review.text = text
        store.changed(review)
        v = rv.view(review)
        side = pages.get_template("side.html").render(v=v, review=review)
        return {"lines": str(v["lines"]), "side": side, "ok": v["report"].ok, "check_ms": v["check_ms"],
                "check_cpu_ms": v["check_cpu_ms"]}

    @app.post("/batch")
    async def batch(request: Request, files: list[UploadFile] = File(...), name: str = Form(""),
                    backend: str = Form("template")):
        files = [f for f in files if f.filename]
        try:
            if not files:
                raise InputError("请选择一个多地区台账（.xlsx）或多个记录文件")
            job = bt.BatchJob(new_id(), batch_name(name or files[0].filename), Path(), Path())
            base = store.data_dir / "batch" / job.name
            job.outdir = base / "out"
            for old in (base / "input").glob("*"):  # this upload's files are the batch's input
                old.unlink()
            saved = [await _save_into(f, base / "input") for f in files]
            ledgers = [p for p in saved if p.suffix.lower() == ".xlsx"]
            if ledgers and len(saved) > 1:
                raise InputError("台账请单独上传；多个记录文件（.yaml/.json）可一起上传")
            job.input = ledgers[0] if ledgers else base / "input"
        except InputError as exc:
            return invalid(request, exc, "文件有误，未起草")
        use_llm = backend == "llm" and endpoint is not None
        store.jobs[job.id] = job
        bt.start(job, "llm" if use_llm else "template", endpoint if use_llm else None, cache_path)
        return RedirectResponse(f"/batch/{job.id}", status_code=303)

    async def _save_into(f: UploadFile, folder: Path) -> Path:
        from pipeline.web.state import safe_name, write_upload

        return write_upload(folder, safe_name(f.filename or "", rv.RECORD_SUFFIXES), await f.read())

    def job_of(bid: str) -> bt.BatchJob:
        return _known(store.jobs, bid)

    @app.get("/batch/{bid}", response_class=HTMLResponse)
    def batch_page(request: Request, bid: str):
        return page(request, "batch.html", job=job_of(bid))

    @app.get("/api/batch/{bid}")
    def batch_status(bid: str):
        return job_of(bid).status()

    @app.get("/batch/{bid}/open/{file}")
    def batch_open(request: Request, bid: str, file: str):
        try:
            review = bt.open_place(job_of(bid), file)
        except InputError as exc:
            return invalid(request, exc, "无法打开")
        store.add(review)
        return RedirectResponse(f"/review/{review.id}", status_code=303)

    @app.get("/review/{rid}/download/{kind}")
    def download(rid: str, kind: str):
        review = find(rid)
        if kind not in rv.DOWNLOAD_KINDS:
            return Response(f"不支持的下载格式（可选：{'、'.join(rv.DOWNLOAD_KINDS)}）", status_code=404,
                            media_type="text/plain; charset=utf-8")
        data, media, name = rv.download(review, kind)
        return Response(data, media_type=media, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"})

    return app


class _NotFound(Exception):
    pass


def _remember(jobs: dict, job) -> None:
    """Bounded: beyond DRAFT_JOBS the oldest finished job is forgotten (its review stays)."""
    jobs[job.id] = job
    for old in [k for k, j in jobs.items() if j.done][:max(0, len(jobs) - DRAFT_JOBS)]:
        jobs.pop(old)


def _edited_text(body: bytes) -> str | None:
    """The edited draft a recheck posts ({"text": "…"}), or None when the body is not that:
    not UTF-8, not JSON, nested past what the parser takes, or another shape."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    text = data.get("text") if isinstance(data, dict) else None
    return text if isinstance(text, str) else None


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
