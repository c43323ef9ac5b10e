"""The key tests' one run of the real CLI against the scripted server, and every place its
output lands (stdout, stderr, the draft with its trail and report, the SQLite cache)."""

from __future__ import annotations

from conftest import DATA, run_cli


def draft_llm(srv, tmp_path, key: str):
    """`zongjie draft --backend llm` of the spec example with `key`: (process, cache path)."""
    out = tmp_path / "out" / "总结.md"
    cache = tmp_path / "cache.sqlite3"
    env = {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": key, "ZONGJIE_MODEL": "scripted-model"}
    proc = run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(out), "--backend", "llm",
                   "--cache", str(cache), env=env)
    assert srv.chat_requests(), "the server was asked"
    assert "Traceback" not in proc.stderr
    return proc, cache


def outputs(proc, tmp_path, cache) -> list[tuple[str, bytes]]:
    written = b"\n".join(p.read_bytes() for p in sorted((tmp_path / "out").rglob("*")) if p.is_file())
    return [("stdout", proc.stdout.encode()), ("stderr", proc.stderr.encode()),
            ("draft, trail and report", written), ("cache", cache.read_bytes() if cache.exists() else b"")]
