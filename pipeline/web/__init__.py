"""`zongjie serve`: the review workbench, a local web page where a clerk drafts, sees the
record behind every fact, edits and re-checks (FastAPI + Jinja2; scripts and styles ship in
the package). `create_app` builds the app; `serve` runs it with uvicorn."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "zongjie" / "serve"


def create_app(data_dir, token=None, endpoint=None, **retention):
    """The app (pipeline.web.app.create_app); `keep_days`, `keep_sessions`: persist.py."""
    from pipeline.web.app import create_app as make

    return make(data_dir, token, endpoint, **retention)


def serve(host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          data_dir: str | Path | None = None, endpoint=None, keep_days: float | None = None) -> None:
    """Run until interrupted. Any bind other than this machine's own address needs a token:
    the one given, else a new one printed once."""
    from pipeline.web.persist import KEEP_DAYS, KEEP_SESSIONS

    import uvicorn

    data = Path(data_dir) if data_dir else default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    _can_listen(host, port)
    if host not in LOCAL_HOSTS and not token:
        token = secrets.token_urlsafe(18)
    shown = _this_machine() if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"审阅台已启动：{address}", file=sys.stderr)
    if token:
        print("其他电脑访问时请使用上面含 token 的完整地址（令牌只显示这一次）", file=sys.stderr)
    days = KEEP_DAYS if keep_days is None else keep_days
    print(f"数据文件夹：{data}（稿件与修改保存在这里，重启后仍可打开；{days:g} 天未修改或超过 "
          f"{KEEP_SESSIONS} 份时清理最旧的）；按 Ctrl+C 停止", file=sys.stderr)
    uvicorn.run(create_app(data, token, endpoint, keep_days=days), host=host, port=port, log_level="warning",
                access_log=False)  # the access log would show ?token=


def _can_listen(host: str, port: int) -> None:
    """Refuse, before anything is printed as started, an address this machine cannot listen
    on (a port in use, a name that does not resolve, another machine's address): uvicorn
    would say so in English and exit 3, the code of a failed model call."""
    import socket

    from pipeline.errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"--host {host}：无法解析这个地址（{exc}）；本机用 127.0.0.1，供其他电脑访问用 0.0.0.0") from None
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            s.bind(address)
    except OSError as exc:
        why = {98: "端口已被占用（可能已有一个审阅台在运行）", 99: "这不是本机的地址",
               13: "没有权限使用这个端口（1024 以下的端口需要管理员权限）"}.get(exc.errno, exc.strerror or str(exc))
        raise InputError(f"无法在 {host}:{port} 上启动审阅台：{why}；请用 --port 换一个端口或检查 --host") from None


def _this_machine() -> str:
    """This machine's address on the office network (no packet is sent), for the printed link."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


__all__ = ["LOCAL_HOSTS", "create_app", "default_data_dir", "serve"]
