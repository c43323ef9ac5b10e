"""The one-pass reading of a records file (yamlpos._stream_plain) gives exactly what the
node path gives: the same data, lines, repeated keys and errors, on real files, on odd
documents and on random damage to a real file."""

import random

import pytest

from conftest import ROOT
from pipeline.text import yamlpos


def _outcome(text: str):
    try:
        parsed = yamlpos.parse(text, dates_as_text=True)
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return ("error", type(exc).__name__, str(exc), getattr(exc, "line", None))
    if parsed is None:
        return None
    data, lines = parsed
    return repr(data), sorted(lines.lines.items(), key=repr), lines.dup_keys


def _node_path(text: str, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(yamlpos, "_stream_plain", lambda text, loader: yamlpos._UNUSUAL)
        return _outcome(text)


ODD = ["", "---\n", "# 只有注释\n", "a: 1\na: 2\n", "a:\n  b: 1\n  b: [1, 2]\na: {c: 3}\n",
       "- !!int 云岭县\n", "x: !!python/name:os.system\n", "a: &x 1\nb: *x\n", "? [a]\n: 1\n",
       "--- 1\n--- 2\n", "[" * 70 + "]" * 70, "a: 2024-09-31\n", "a: !foo bar\n",
       "a: .inf\nb: 1e309\nc: 0x1F\nd: ~\ne: yes\n", "1: a\nnull: b\n", "a: " + "9" * 5000 + "\n",
       "- [a, {b: c}]\n- - - x\n", "a: 1\n  b: 2\n", "<<: {a: 1}\nb: 2\n", "a: !!str 1\nb: ! 2\n",
       "&a a: b\n", "a: |\n  x\n  y\n"]


@pytest.mark.parametrize("text", ODD)
def test_odd_documents_read_the_same_both_ways(text, monkeypatch):
    assert _outcome(text) == _node_path(text, monkeypatch)


def test_fixtures_and_damaged_copies_read_the_same_both_ways(monkeypatch):
    files = sorted((ROOT / "fixtures").glob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    rnd = random.Random(14)
    base = texts[0]
    for _ in range(60):
        chars = list(base)
        for _ in range(rnd.randint(1, 4)):
            chars[rnd.randrange(len(chars))] = rnd.choice(["-", ":", " ", "\n", "[", "{", "&a", "*a",
                                                           "!", '"', "?", "#", "\t", "|"])
        texts.append("".join(chars))
    taken = 0
    for text in texts:
        assert _outcome(text) == _node_path(text, monkeypatch)
        taken += yamlpos._stream_plain(text, yamlpos.YAML_LOADER) is not yamlpos._UNUSUAL \
            if _outcome(text) is None or _outcome(text)[0] != "error" else 0
    assert taken > len(files)  # the one-pass reading really is the one used for usual files
