"""One batch per OUTDIR at a time, and the sweep of temporary files that only dead runs left.

The lock is an flock on `OUTDIR/.zongjie-batch/lock`, held for the whole run (worker
processes inherit it); the kernel releases it when the run dies, so a killed batch never
leaves a stale lock. The file holds the pid of the run that holds it, for the message.

Temporary files are named `.NAME.PID-N.tmp` by write_atomic: one whose PID is still alive
belongs to a live run (a `zongjie draft -o` into OUTDIR, say) and is left alone."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pipeline.batch.places import STATE
from pipeline.errors import InputError

_TMP_PID = re.compile(r"\.(\d+)-\d+\.tmp$")


class OutdirLock:
    def __init__(self, outdir: Path) -> None:
        self.path = outdir / STATE / "lock"
        self._fd: int | None = None

    def __enter__(self) -> OutdirLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "未知"
            os.close(fd)
            raise InputError(f"另一个批量运行（进程 {holder}）正在使用输出文件夹 {self.path.parent.parent}；"
                             f"请等它结束后再运行，或换一个输出文件夹") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # an idle OUTDIR's files do not depend on who ran last
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


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
