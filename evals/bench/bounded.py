"""One benchmark step in a child process, killed once it has used its budget of CPU time.

A step's own clock cannot stop it: a quadratic stage checked only after it returns hangs
the benchmark for minutes, and a signal waits for a long C call (a regex, a join) to end.
So the step runs in a forked child; the parent watches the child's CPU seconds (from
/proc, or wall seconds where there is none) and kills it at the budget. Forking keeps the
case's closures and whatever the parent has already loaded, so nothing is pickled.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

POLL = 0.05  # seconds between looks at the child
WALL_FACTOR = 6  # a child that sleeps or waits is also killed, after this many budgets of wall time


@dataclass(frozen=True)
class Step:
    seconds: float | None  # best CPU seconds of the timed runs; None when it was killed
    timed_out: bool = False
    runs: int = 0  # how many timed runs the best was taken from


def run_step(make: Callable[[], Callable[[], object]], repeat: int, budget: float) -> Step:
    """make() builds the input and returns the callable to time, inside the child; the
    child warms it up once (word lists, regexes and caches load once per process), then
    times it at least `repeat` times and until the timed runs add up to MIN_TIMED CPU
    seconds (fewer runs when another would pass _REPEAT_WITHIN seconds, or half the
    budget), and sends the best."""
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    within = min(_REPEAT_WITHIN, budget / 2)
    child = ctx.Process(target=_child, args=(make, repeat, within, send), daemon=True)
    child.start()
    send.close()
    try:
        return _watch(child, receive, budget)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()


def _watch(child, receive, budget: float) -> Step:
    """The child's result, or a timeout once either phase (build and warm-up, then the timed
    runs) has used `budget` CPU seconds: each phase is about one run of the step."""
    wall0, cpu0 = time.monotonic(), _cpu(child.pid)
    while True:
        if receive.poll(POLL):
            try:
                message = receive.recv()
            except EOFError:  # the child died (out of memory, a crash): no figure
                return Step(None, timed_out=True)
            if message == "warm":
                wall0, cpu0 = time.monotonic(), _cpu(child.pid)
                continue
            best, runs = message
            return Step(float(best), runs=int(runs))
        wall, cpu = time.monotonic() - wall0, _cpu(child.pid)
        used = cpu - cpu0 if cpu is not None and cpu0 is not None else wall
        if (used > budget or wall > budget * WALL_FACTOR or not child.is_alive()) and not receive.poll():
            return Step(None, timed_out=True)


def _child(make, repeat: int, within: float, send) -> None:
    fn = make()
    fn()
    gc.collect()  # the build's and warm-up's garbage is not charged to the first timed run
    send.send("warm")
    send.send(_best(fn, repeat, within))
    send.close()


def _best(fn: Callable[[], object], repeat: int, within: float = 8.0) -> tuple[float, int]:
    """The best CPU seconds of the timed runs, and how many there were.

    One run of a short step (a few hundredths of a second) is at the mercy of whatever else
    the shared machine does in that instant: a 16,000-character step read 4.65× one run and
    3.9× the next. So a step repeats until its runs add up to MIN_TIMED seconds (a 4 ms step
    runs some 250 times) and the best is kept: noise only ever adds time, so the best of
    many runs is the step's own cost, and real growth stays (every run of a quadratic step
    is slow). The collector runs as it would in the command, within and between runs."""
    best, spent, runs = float("inf"), 0.0, 0
    while runs < MAX_RUNS:
        start = time.process_time()
        fn()
        took = time.process_time() - start
        best, spent, runs = min(best, took), spent + took, runs + 1
        if runs >= repeat and spent >= MIN_TIMED:
            break
        # A single run of a multi-second step still varies by ±20 % on a shared machine,
        # enough to push a 4.1× step over the gate; repeat while the step stays affordable.
        if spent + took > within:  # another run would take it past
            break
    return best, runs


MIN_TIMED = 1.0  # CPU seconds of timed runs a step adds up to at least (short steps repeat)
MAX_RUNS = 1_000  # however short the step
_REPEAT_WITHIN = 8.0  # CPU seconds of timed runs per step, well inside the kill budget


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float | None:
    """CPU seconds (user + system) the process has used; None where /proc does not tell."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime after the command name
