"""A hostile evaluation suite, found on main after issue 14's fixes (reproductions in
notes/i14z.md): nesting past the limit, `!!int 云岭` and a 5,000-digit integer ended in a
traceback (LimitError, ValueError); an endpoint with `timeout: -1` passed the suite's
check and failed later in a pydantic traceback; thresholds of `.nan`, `.inf` or `true`
were taken (“低于 nan”, exit 1); a variant name with a line break and ESC reached the
terminal's table as an escape sequence. A price of `nan` in zongjie.toml was taken too.
Each is now a problem naming file, line and field (exit 2)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, run_cli
from pipeline.drafting.llm.config import Endpoint
from pipeline.errors import InputError
from pipeline.evals.suite import load_suite

HEAD = f"fixtures: [{FIXTURES / 'injection.yaml'}]\n"

SUITES = {
    "deep": (HEAD + "variants: " + "[" * 70 + "]" * 70, "嵌套超过"),
    "int_tag": (HEAD + "defaults: {concurrency: !!int 云岭}\nvariants: [{name: a}]", "YAML 标签"),
    "digits": (HEAD + f"defaults: {{concurrency: {'9' * 5000}}}\nvariants: [{{name: a}}]", "位数过多"),
    "timeout": (HEAD + 'variants: [{name: a, backend: llm, provider: "scripted:faithful", '
                       "endpoint: {timeout: -1}}]", "variants[0].endpoint.timeout"),
    "reply_cap": (HEAD + 'variants: [{name: a, backend: llm, provider: "scripted:faithful", '
                         "endpoint: {max_reply_bytes: 5}}]", "variants[0].endpoint.max_reply_bytes"),
    "price": (HEAD + 'variants: [{name: a, backend: llm, provider: "scripted:faithful", '
                     "endpoint: {price_input: .nan}}]", "有限的数字"),
    "nan_threshold": (HEAD + "variants: [{name: a, thresholds: {fact_precision: .nan}}]", "有限的数字"),
    "inf_threshold": (HEAD + "defaults: {thresholds: {coverage: .inf}}\nvariants: [{name: a}]", "有限的数字"),
    "bool_threshold": (HEAD + "variants: [{name: a, thresholds: {fact_precision: true}}]", "true/false"),
    "name_escape": (HEAD + 'variants: [{name: "模板\\n\\u001b[31m"}]', "variants[0].name"),
    "name_blank": (HEAD + 'variants: [{name: "   "}]', "空白"),
}


@pytest.mark.parametrize("case", SUITES)
def test_a_hostile_suite_is_one_problem_naming_the_file(tmp_path, case):
    text, words = SUITES[case]
    path = tmp_path / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_suite(path)
    shown = "\n".join(f"{p.file}:{p.line} {p.path}：{p.message}" for p in exc.value.problems)
    assert "suite.yaml" in shown and words in shown, shown
    assert "Input should" not in shown  # said in Chinese


def test_an_endpoint_within_its_bounds_still_loads(tmp_path):
    path = tmp_path / "suite.yaml"
    path.write_text(HEAD + 'variants: [{name: 忠实, backend: llm, provider: "scripted:faithful", '
                           "endpoint: {timeout: 30, price_input: 2.0}, thresholds: {fact_precision: 1}}]",
                    encoding="utf-8")
    plan = load_suite(path).plans[0]
    assert plan.thresholds == {"fact_precision": 1.0} and plan.variant.endpoint.timeout == 30


@pytest.mark.parametrize("field,value", [("price_input", float("nan")), ("price_output", float("inf")),
                                         ("price_input", -1.0), ("temperature", 9.0)])
def test_an_endpoint_price_or_temperature_out_of_range_is_refused(field, value):
    with pytest.raises(ValueError):
        Endpoint(**{field: value})


@pytest.mark.slow
def test_the_cli_says_so_with_exit_2_and_no_escape_reaches_the_terminal(tmp_path):
    (tmp_path / "s.yaml").write_text(SUITES["name_escape"][0], encoding="utf-8")
    out = run_cli("eval", "s.yaml", "--out", "runs", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "\x1b" not in out.stdout + out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "runs").exists()
    (tmp_path / "zongjie.toml").write_text('default = "x"\n[profiles.x]\nbase_url = "http://127.0.0.1:9/v1"\n'
                                           "price_input = nan\n", encoding="utf-8")
    out = run_cli("draft", str(FIXTURES / "injection.yaml"), "-o", "d.md", cwd=tmp_path,
                  env={"OPENAI_API_KEY": "sk-test-nan-price"})
    assert out.returncode == 2 and "price_input" in out.stderr and "有限的数字" in out.stderr, out.stderr
    assert not (tmp_path / "d.md").exists()
