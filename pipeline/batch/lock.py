"""One batch per OUTDIR at a time, and the sweep of temporary files that only dead runs left.

Two ways to hold the lock, in a table; the first the platform has is used:

- flock (POSIX): an flock on `OUTDIR/.zongjie-batch/lock`, held for the whole run (worker
  processes inherit it); the kernel releases it when the run dies, so a killed batch never
  leaves a stale lock. The file holds the pid of the run that holds it, for the message.
- pidfile (no fcntl, e.g. Windows): `OUTDIR/.zongjie-batch/lock.pid`, created with O_EXCL
  and holding the holder's pid. A killed run leaves it behind: a file whose pid is dead (or
  that is still empty after 10 s) is stale, moved aside (one rename, so of two runs
  breaking it only one wins) and taken over.

Temporary files are named `.NAME.PID-N.tmp` by write_atomic: one whose PID is still alive
belongs to a live run (a `zongjie draft -o` into OUTDIR, say) and is left alone."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from pipeline.batch.places import STATE
from pipeline.errors import InputError

_TMP_PID = re.compile(r"\.(\d+)-\d+\.tmp$")
_STALE_TRIES = 3  # a stale lock broken this many times in a row: someone else keeps breaking it
_UNWRITTEN_SECONDS = 10.0  # a lock file still without its pid after this long: its writer died


def _busy(outdir: Path, holder: str, lock_file: Path | None = None) -> InputError:
    tail = f"；若该进程已不存在，可删除 {lock_file} 后重试" if lock_file else ""
    return InputError(f"另一个批量运行（进程 {holder or '未知'}）正在使用输出文件夹 {outdir}；"
                      f"请等它结束后再运行，或换一个输出文件夹{tail}")


class _Flock:
    def __init__(self, state: Path) -> None:
        self.path = state / "lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise _busy(self.path.parent.parent, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # an idle OUTDIR's files do not depend on who ran last
            os.close(self._fd)  # closing releases the flock
            self._fd = None


class _PidFile:
    def __init__(self, state: Path) -> None:
        self.path = state / "lock.pid"
        self._held = False

    def acquire(self) -> None:
        me = str(os.getpid())
        for _ in range(_STALE_TRIES):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                holder = _read_pid(self.path)
                if holder is None and _age(self.path) < _UNWRITTEN_SECONDS:
                    raise _busy(self.path.parent.parent, "", self.path) from None  # being written
                if holder is not None and _alive(holder):
                    raise _busy(self.path.parent.parent, str(holder), self.path) from None
                self._break_stale(holder)
                continue
            try:
                os.write(fd, me.encode())
            finally:
                os.close(fd)
            self._held = True
            return
        raise _busy(self.path.parent.parent, "", self.path)

    def _break_stale(self, dead: int | None) -> None:
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return  # another run broke it first
        if _read_pid(aside) != dead:  # a live run took it between our read and our rename
            try:
                os.link(aside, self.path)  # back, unless yet another run holds it now
            except OSError:
                pass
        aside.unlink(missing_ok=True)

    def release(self) -> None:
        if self._held:
            if _read_pid(self.path) == os.getpid():
                self.path.unlink(missing_ok=True)
            self._held = False


def _read_pid(path: Path) -> int | None:
    """The pid a lock file holds; None while its writer has not written it yet, or when it
    holds no pid."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return 0  # gone: nobody holds it
    return int(text) if text.isdigit() else None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _has_fcntl() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


MECHANISMS = {"flock": _Flock, "pidfile": _PidFile}


class OutdirLock:
    """`with OutdirLock(outdir):` one batch on OUTDIR at a time. `mechanism` picks a row of
    MECHANISMS (flock where fcntl exists, else pidfile)."""

    def __init__(self, outdir: Path, mechanism: str | None = None) -> None:
        self.mechanism = mechanism or ("flock" if _has_fcntl() else "pidfile")
        self._lock = MECHANISMS[self.mechanism](Path(outdir) / STATE)
        self.path = self._lock.path

    def __enter__(self) -> OutdirLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _alive_posix(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    return (_alive_windows if os.name == "nt" else _alive_posix)(pid)


def sweep_dead_temp_files(outdir: Path) -> int:
    """Delete the `.*.tmp` files under OUTDIR whose writer is dead; returns how many."""
    swept = 0
    for tmp in outdir.rglob(".*.tmp"):
        match = _TMP_PID.search(tmp.name)
        if match and _alive(int(match.group(1))):
            continue
        tmp.unlink(missing_ok=True)
        swept += 1
    return swept
