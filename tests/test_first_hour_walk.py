"""Issue 16, the README walked as a new user walks it: what a mistyped command line says.
argparse's own English (“expected 2 arguments”, “'draft', 'check'”) never reaches the user."""

from __future__ import annotations

import pytest

from test_first_hour_ledgers import zongjie

# (arguments, what stderr must say)
USAGE_ERRORS = [
    (("frobnicate",), "参数 命令 的值“frobnicate”无效，可选：draft、check、validate、batch、eval、serve、schema"),
    (("draft", "x.yaml", "--backend", "gpt"), "参数 --backend 的值“gpt”无效，可选：template、llm"),
    (("eval", "--compare", "a"), "参数 --compare 需要 2 个值"),
    (("check", "x.md", "--json=3"), "参数 --json 不需要值，却给了“3”"),
    (("draft", "x.yaml", "--c", "a"), "选项 --c 不完整，可能是：--config, --cache"),
    (("draft", "x.yaml", "--jobs", "2"), "无法识别的参数：--jobs 2"),
    (("check",), "缺少参数：草稿"),
]


@pytest.mark.slow
@pytest.mark.parametrize("args,said", USAGE_ERRORS, ids=lambda v: "_".join(v) if isinstance(v, tuple) else "")
def test_a_mistyped_command_line_is_told_in_chinese(tmp_path, args, said):
    result = zongjie(*args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert said in last and last.endswith("（--help 查看说明）"), last
    for english in ("argument", "expected", "invalid choice", "choose from", "could match", "'"):
        assert english not in last, english


@pytest.mark.slow
def test_an_output_that_cannot_be_written_is_said_not_a_traceback(tmp_path):
    from conftest import FIXTURES

    (tmp_path / "报告").write_text("", encoding="utf-8")  # a file where a folder is meant
    records = str(FIXTURES / "yunling_county.yaml")
    result = zongjie("draft", records, "-o", "报告/云岭县.md", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "报告/云岭县.md：无法读写该文件：路径中有一段不是文件夹；请换一个位置或检查权限后重试"
    result = zongjie("batch", records.rsplit("/", 1)[0] + "/ledger", "-o", "报告/批量", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "无法读写该文件" in result.stderr


@pytest.mark.slow
def test_no_help_names_an_english_placeholder(tmp_path):
    """The metavars are Chinese (记录, 文件, 输入 …): the descriptions say them the same way."""
    import re

    from pipeline.cli import COMMANDS

    for args in [("--help",), *((c, "--help") for c in COMMANDS)]:
        out = zongjie(*args, cwd=tmp_path).stdout
        assert not re.search(r"\b(OUT|OUTDIR|INPUT|RECORDS|DRAFT|SUITE|HOST|PORT|TOKEN|DATA|NAME|PATH)\b", out), (args, out)
