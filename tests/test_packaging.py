"""A pip-installed zongjie (not only an editable one) finds its packages and data files."""

from __future__ import annotations

import fnmatch
import tomllib

from conftest import ROOT


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_subpackage_is_listed():
    listed = set(_config()["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")}
    assert found - {"pipeline.prompts"} <= listed
    assert "pipeline.prompts" in listed and _config()["package-dir"]["pipeline.prompts"] == "prompts"


def test_every_data_file_ships():
    globs = _config()["package-data"]["pipeline.prompts"]
    files = [p.relative_to(ROOT / "prompts").as_posix() for p in (ROOT / "prompts").rglob("*")
             if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts]
    assert files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/")
                                           for g in globs)]
    assert missing == []


def test_public_surface_resolves():
    import pipeline

    for name in pipeline.__all__:
        assert getattr(pipeline, name) is not None, name
    try:
        pipeline.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("unknown names must raise AttributeError")
