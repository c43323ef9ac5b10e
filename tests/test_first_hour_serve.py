"""Issue 16: `zongjie serve` as a new user starts it, through the installed console script: its
help is Chinese (no HOST/PORT metavars), and it starts instead of failing with a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

import pytest

from test_first_hour_ledgers import ZONGJIE, zongjie


@pytest.mark.slow
def test_serve_help_is_chinese(tmp_path):
    result = zongjie("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for english in ("HOST", "PORT", "TOKEN", "DATA", "PROFILE", "CONFIG", "options:", "选项:"):
        assert english not in result.stdout, english
    assert "--host 地址" in result.stdout and "--profile 配置名" in result.stdout


@pytest.mark.slow
def test_serve_starts_and_answers(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))}
    env["XDG_CONFIG_HOME"] = str(tmp_path / ".no-config")
    proc = subprocess.Popen([str(ZONGJIE), "serve", "--port", str(port), "--data", str(tmp_path / "data")],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 30, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read()
        assert page and "zongjie" in page.lower()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err and "审阅台已启动" in out + err
