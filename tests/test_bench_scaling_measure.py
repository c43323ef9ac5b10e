"""How the scaling benchmark measures (evals/bench): short steps repeat until their runs add
up to a minimum of CPU time, and a step over the gate is measured again with the size before
it — which clears a slow moment but never a stage that really grows."""

from __future__ import annotations

import time

import pytest

from evals.bench import bounded, hostile_scaling
from evals.bench.bounded import Step


def test_a_short_step_repeats_until_its_runs_add_up(monkeypatch):
    monkeypatch.setattr(bounded, "MIN_TIMED", 0.05)
    calls = []

    def fn():
        calls.append(1)
        end = time.process_time() + 0.002
        while time.process_time() < end:
            pass

    best, runs = bounded._best(fn, repeat=5, within=8.0)
    assert runs == len(calls) and runs >= 20  # 0.05 s of 2 ms runs, not the five asked for
    assert 0.002 <= best < 0.05


def test_a_long_step_stops_at_its_allowance(monkeypatch):
    monkeypatch.setattr(bounded, "MIN_TIMED", 100.0)

    def fn():
        end = time.process_time() + 0.02
        while time.process_time() < end:
            pass

    _, runs = bounded._best(fn, repeat=5, within=0.1)
    assert 3 <= runs <= 5  # another run would have passed 0.1 s


def _scripted(monkeypatch, figures: dict[int, list[float]]):
    """The benchmark over one case whose steps take the given seconds, measurement by
    measurement; returns the sizes measured, in order."""
    asked: list[int] = []

    def run_step(make, repeat, budget):
        size = make()
        asked.append(size)
        return Step(figures[size].pop(0), runs=repeat)

    monkeypatch.setattr(hostile_scaling, "run_step", run_step)
    monkeypatch.setattr(hostile_scaling, "_cases",
                        lambda quick: [("case", "字符", (1_000, 4_000), lambda n: n)])
    return asked


def test_a_slow_moment_is_measured_again_and_cleared(monkeypatch, capsys):
    asked = _scripted(monkeypatch, {1_000: [0.10, 0.11], 4_000: [0.60, 0.42]})
    assert hostile_scaling.main([]) == 0
    assert asked == [1_000, 4_000, 1_000, 4_000]
    out = capsys.readouterr().out
    assert "4.20×" in out and "复测 1 次" in out and "超限" not in out


def test_real_growth_fails_however_often_it_is_measured(monkeypatch, capsys):
    rounds = hostile_scaling.CONFIRM
    asked = _scripted(monkeypatch, {1_000: [0.10] * (rounds + 1), 4_000: [0.60] * (rounds + 1)})
    assert hostile_scaling.main([]) == 1
    assert len(asked) == 2 * (rounds + 1)
    out = capsys.readouterr().out
    assert "6.00×" in out and "超限" in out and f"复测 {rounds} 次" in out


@pytest.mark.parametrize("before,after", [(0.10, 0.44), (0.001, 0.08)])
def test_a_step_within_the_gate_is_measured_once(monkeypatch, before, after):
    asked = _scripted(monkeypatch, {1_000: [before], 4_000: [after]})
    assert hostile_scaling.main([]) == 0  # 0.001 s counts as TINY: 0.08 / 0.02 = 4×
    assert asked == [1_000, 4_000]
