from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".yml", ".json")
                  and not p.name.endswith(".schema.json"))


def bad_files() -> list[Path]:
    return sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """The real entry point in a child process, as a user runs it. No endpoint is
    configured unless `env` gives one; HOME is a scratch folder so no user config leaks in."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZONGJIE_"))}
    base["PYTHONPATH"] = str(ROOT)
    base["XDG_CONFIG_HOME"] = str(Path(cwd or ROOT) / ".no-config")
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env={**base, **(env or {})}, timeout=timeout)


@pytest.fixture
def spec_records():
    from pipeline.inputs import load_records

    return load_records(DATA / "spec_example.yaml")[0]


@pytest.fixture
def yunling():
    from pipeline.inputs import load_records

    return load_records(FIXTURES / "yunling_county.yaml")[0]


@pytest.fixture(scope="session")
def shared_server():
    """One scripted OpenAI-compatible server for the session; `srv` resets it per test.
    Modules that need a server of their own define `srv` with ScriptedServer.pytest_fixture."""
    from pipeline.testing.scripted_server import ScriptedServer

    with ScriptedServer() as server:
        yield server


@pytest.fixture
def srv(shared_server):
    shared_server.reset()
    return shared_server
