"""`zongjie serve` as a user starts it: bound to every address it makes a token, prints the
address with it once, and answers 401 to a request without it; its help says how to start,
how to reach it from another machine, where it keeps data and for how long."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import ROOT, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.slow  # a server in a child process
def test_a_server_on_every_address_prints_a_token_once_and_refuses_requests_without_it(tmp_path):
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))},
           "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--host", "0.0.0.0", "--port", str(port),
                             "--data", str(tmp_path / "data"), "--keep-days", "3"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path)
    try:
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
        deadline = time.monotonic() + 30
        while "按 Ctrl+C 停止" not in "".join(lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        said = "".join(lines)
        token = re.search(r"\?token=([\w-]+)", said)[1]
        assert len(token) >= 20 and "令牌只显示这一次" in said
        assert str(tmp_path / "data") in said and "3 天未修改" in said
        base = f"http://127.0.0.1:{port}/"
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        assert _get(base) == 401
        assert _get(base + "static/app.css") == 401
        assert _get(base + "?token=" + token) == 200
    finally:
        proc.terminate()  # the child this test started, by its own handle
        proc.wait(10)
    assert not (tmp_path / "home").exists()  # everything went into --data


def test_the_help_says_how_to_start_reach_it_and_where_its_data_is_kept():
    out = run_cli("serve", "--help", env={"COLUMNS": "1000"}).stdout  # no wrapping inside a phrase
    for words in ("127.0.0.1", "--host 0.0.0.0", "token", "--data", "~/.local/share/zongjie/serve",
                  "重启后仍可打开", "--keep-days", "200"):
        assert words in out, words
