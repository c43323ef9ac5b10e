"""The scaling benchmark's steps are bounded: a step that does not finish is killed at its
budget of CPU seconds and reported as timed out, instead of hanging the benchmark."""

import os
import time

import pytest

from evals.bench.bounded import run_step
from evals.bench.hostile_scaling import main

pytestmark = pytest.mark.slow  # each step forks a child process


def _spin():
    while True:
        pass


def test_a_finished_step_reports_its_cpu_seconds():
    step = run_step(lambda: (lambda: sum(range(200_000))), repeat=3, budget=5)
    assert not step.timed_out
    assert 0 < step.seconds < 5
    assert step.runs > 3  # a short step repeats until its runs add up to bounded.MIN_TIMED


def test_an_endless_step_is_killed_at_its_budget():
    start = time.monotonic()
    step = run_step(lambda: _spin, repeat=3, budget=0.5)
    assert step.timed_out and step.seconds is None
    assert time.monotonic() - start < 10


def test_an_endless_input_build_is_killed_too():
    step = run_step(_spin, repeat=3, budget=0.5)
    assert step.timed_out


def test_a_child_that_dies_gives_no_figure():
    step = run_step(lambda: (lambda: os._exit(3)), repeat=3, budget=5)
    assert step.timed_out and step.seconds is None


def test_the_table_marks_a_killed_step_and_fails_the_gate(capsys):
    code = main(["--quick", "--only", "validate", "--budget", "0.001"])
    out = capsys.readouterr().out
    assert code == 1
    assert "超时" in out and "已终止" in out
    assert out.count("validate 大记录文件") == 2  # the killed step's row and its failure line
