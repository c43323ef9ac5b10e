"""Issue 16: a skipped test says why in Chinese. Every pytest.skip / importorskip / skipif / xfail
in the tests gives a reason, and the reason is Chinese, so `pytest -rs` reads as the rest of the
project does (pytest's own reason for a bare importorskip is English: “could not import …”)."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

SKIPPERS = {"skip", "importorskip", "skipif", "xfail"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _reason(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in ("reason", "msg"):
            return kw.value
    if name in ("skip", "xfail") and call.args:
        return call.args[0]
    return None


def _text(node: ast.expr | None) -> str:
    """The literal parts of a string or f-string ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) for v in node.values if isinstance(v, ast.Constant))
    return ""


def skip_reasons() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = path.relative_to(ROOT).as_posix()
            if isinstance(node, ast.FunctionDef):  # a bare @pytest.mark.skip has no reason at all
                out += [(where, d.lineno, "") for d in node.decorator_list
                        if isinstance(d, ast.Attribute) and d.attr in SKIPPERS]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SKIPPERS:
                out.append((where, node.lineno, _text(_reason(node, node.func.attr))))
    return out


def test_every_skip_reason_is_chinese():
    reasons = skip_reasons()
    assert len(reasons) >= 8  # the Chromium, LibreOffice, font, fastapi, playwright and fork skips
    assert [r for r in reasons if not CJK.search(r[2])] == []
