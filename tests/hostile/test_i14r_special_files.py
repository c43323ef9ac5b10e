"""Paths that are no regular file: a FIFO named like records (reading it waits for a
writer forever), a link to /dev/zero (never ends), /dev/null, a link loop, a dangling
link. Each is refused before it is opened, with the file named and exit 2."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli
from pipeline.drafting.llm.config import resolve_endpoint
from pipeline.errors import InputError
from pipeline.inputs import load_records, read_draft

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="本平台没有命名管道（FIFO），跳过")


def _special(tmp_path, kind: str, name: str):
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        other = tmp_path / f"other-{name}"
        path.symlink_to(other)
        other.symlink_to(path)
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere.yaml")
    return path


@pytest.mark.parametrize("name", ["县记录.yaml", "县记录.json", "台账.xlsx"])
@pytest.mark.parametrize("kind,said", [("fifo", "不是普通文件"), ("zero", "不是普通文件"),
                                       ("loop", "符号链接循环"), ("dangling", "符号链接指向的文件不存在")])
def test_records_that_are_no_regular_file_are_refused_by_name(tmp_path, kind, said, name):
    path = _special(tmp_path, kind, name)
    with pytest.raises(InputError) as err:
        load_records(path)
    assert said in str(err.value) and name in str(err.value)


@pytest.mark.parametrize("name", ["总结.md", "总结.docx"])
def test_a_draft_that_is_a_pipe_is_refused(tmp_path, name):
    with pytest.raises(InputError, match="不是普通文件"):
        read_draft(_special(tmp_path, "fifo", name))


def test_a_config_file_that_is_a_device_is_refused(tmp_path):
    with pytest.raises(InputError, match="配置文件"):
        resolve_endpoint(config_file=_special(tmp_path, "zero", "zongjie.toml"), env={})


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "draft", "check"])
def test_the_cli_ends_at_once_on_a_fifo_or_dev_zero(tmp_path, command):
    fifo, zero = _special(tmp_path, "fifo", "r.yaml"), _special(tmp_path, "zero", "z.yaml")
    for path in (fifo, zero, "/dev/null"):
        args = [str(path)] if command != "check" else [str(path), "--records", str(zero)]
        proc = run_cli(command, *args, cwd=tmp_path, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert "不是普通文件" in proc.stderr and "Traceback" not in proc.stderr
