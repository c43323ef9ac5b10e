"""The LLM backend through the real openai + langchain-openai stack, talking HTTP to the
scripted server on 127.0.0.1. Nothing in the client is patched."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, FIXTURES, run_cli
from pipeline.errors import EndpointError, InputError
from pipeline.evals.scripted_model import USAGE, Writer
from pipeline.drafting.llm.config import Endpoint, resolve_endpoint
from pipeline.drafting.llm.prompts import Prompt, PromptError
from pipeline.outline import build_outline
from pipeline.inputs import load_records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import Reply, ScriptedServer

KEY = "sk-test-DO-NOT-PRINT-4f9a"

srv = ScriptedServer.pytest_fixture(name="srv")


def endpoint(srv, **kw) -> Endpoint:
    fields = dict(base_url=srv.base_url, model="scripted-model", api_key=KEY, timeout=5,
                  max_retries=2, price_input=2.0, price_output=8.0, currency="CNY")
    fields.update(kw)
    return Endpoint(**fields)


@pytest.fixture
def records():
    return load_records(DATA / "spec_example.yaml")[0]


def run(records, ep, tmp_path, **kw):
    return draft(records, "llm", ep, cache_path=tmp_path / "cache.sqlite3", **kw)


@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
def test_faithful_model_gives_a_clean_draft(srv, records, tmp_path, method):
    srv.responder = Writer("faithful")
    out = run(records, endpoint(srv, method=method), tmp_path, use_cache=False)
    assert out.report.ok, out.report.findings
    assert out.repairs == []
    assert out.document.backend == "llm"
    # headings and outline come from the records, never from the model
    assert [s.heading for s in out.document.sections] == [
        s.heading for s in draft(records).document.sections]
    calls = srv.chat_requests()
    assert len(calls) == 6  # the opening, three practice sections, problems, plans
    if method == "function_calling":
        assert all(c.body["tools"] for c in calls)


def test_usage_equals_the_servers_and_rerun_costs_nothing(srv, records, tmp_path):
    srv.responder = Writer("faithful")
    first = run(records, endpoint(srv), tmp_path)
    n = len(srv.chat_requests())
    usage = first.usage_json()
    assert usage["prompt_tokens"] == n * USAGE["prompt_tokens"]
    assert usage["completion_tokens"] == n * USAGE["completion_tokens"]
    assert usage["cost"] == pytest.approx(n * (100 * 2.0 + 7 * 8.0) / 1e6)
    assert usage["estimated"] is False
    second = run(records, endpoint(srv), tmp_path)
    assert len(srv.chat_requests()) == n  # zero HTTP requests the second time
    assert second.markdown == first.markdown
    assert second.usage.cached_calls == n and second.usage.cost == 0


def test_invented_facts_are_repaired(srv, records, tmp_path):
    srv.responder = Writer("invent")
    out = run(records, endpoint(srv), tmp_path, use_cache=False, trail_dir=tmp_path / "trail")
    assert out.errors_before_repair > 0
    assert out.report.ok, out.report.findings
    assert any(r.action == "rewritten" for r in out.repairs)
    assert "县文化馆" not in out.markdown
    before = json.loads((tmp_path / "trail" / "run.json").read_text(encoding="utf-8"))["check_before_repair"]
    assert not before["ok"]
    repair_prompts = [c for c in srv.chat_requests() if "核对程序发现" in c.body["messages"][-1]["content"]]
    assert repair_prompts and "县文化馆" in repair_prompts[0].body["messages"][-1]["content"]


@pytest.mark.slow
def test_trail_logs_every_call_once_and_a_rerun_starts_afresh(srv, records, tmp_path):
    srv.responder = Writer("invent")
    trail = tmp_path / "trail"
    for _ in range(2):  # the second run (a resumed batch redoing a place) must not append
        srv.reset()
        srv.responder = Writer("invent")
        run(records, endpoint(srv), tmp_path, use_cache=False, trail_dir=trail)
        lines = (trail / "calls.jsonl").read_text(encoding="utf-8").splitlines()
        calls = [json.loads(line) for line in lines]
        assert len(calls) == len(srv.chat_requests())
        assert sorted(c["n"] for c in calls) == list(range(1, len(calls) + 1))
        sent = sorted(r.body["messages"][-1]["content"] for r in srv.chat_requests())
        assert sorted(c["messages"][-1]["content"] for c in calls) == sent
        assert any("-repair" in c["label"] for c in calls) and all(c["reply"] for c in calls)


def test_stubborn_model_falls_back_to_template_sentences(srv, records, tmp_path):
    srv.responder = Writer("stubborn")
    out = run(records, endpoint(srv, repair_rounds=1), tmp_path, use_cache=False)
    assert out.report.ok, out.report.findings
    replaced = [r for r in out.repairs if r.action == "replaced_with_template"]
    assert replaced and all(r.before != r.after for r in replaced)
    assert "县文化馆" not in out.markdown and "1507份" not in out.markdown


def test_a_key_activity_left_out_is_added_from_the_template(srv, records, tmp_path):
    srv.responder = Writer("omit")
    out = run(records, endpoint(srv, repair_rounds=1), tmp_path, use_cache=False)
    assert out.report.ok, out.report.findings
    added = [r for r in out.repairs if r.action == "added_from_template"]
    assert added and "中华民族一家亲" in added[0].after  # a02, the highlight of the spec example
    assert out.markdown.count("中华民族一家亲 同心共筑中国梦") == 1


def test_invented_heading_is_reasked(srv, records, tmp_path):
    srv.responder = Writer("heading")
    out = run(records, endpoint(srv), tmp_path, use_cache=False)
    assert out.report.ok and "一、加强宣传，营造氛围" not in out.markdown
    reasks = [c for c in srv.chat_requests() if "无法使用" in c.body["messages"][-1]["content"]]
    assert reasks and "标题" in reasks[0].body["messages"][-1]["content"]


@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
# 429 and 500 wait out Retry-After and the client's backoff.
@pytest.mark.parametrize("fault", [pytest.param("429", marks=pytest.mark.slow),
                                   pytest.param("500", marks=pytest.mark.slow),
                                   "malformed", "fenced", "empty", "length"])
def test_faults_are_survived(srv, records, tmp_path, fault, method):
    writer = Writer("faithful")
    first = {"429": Reply(status=429, retry_after=0.3), "500": Reply(status=500),
             "malformed": Reply(malformed=True, json={"paragraphs": []}),
             "fenced": None, "empty": Reply(empty=True, json={}),
             "length": Reply(json={"paragraphs": []}, finish_reason="length")}[fault]
    if first is not None:
        srv.enqueue(first)
    srv.responder = Writer("faithful", fenced=True) if fault == "fenced" else writer
    out = run(records, endpoint(srv, method=method), tmp_path, use_cache=False)
    assert out.report.ok, out.report.findings
    assert not [r for r in out.repairs if r.action == "template_section"]
    if fault == "429":
        times = [c.time for c in srv.chat_requests()]
        assert max(times) - min(times) >= 0.3  # the retry waited for Retry-After


@pytest.mark.slow
def test_endpoint_failure_is_exit_3_without_the_key(srv, records, tmp_path):
    srv.responder = lambda body: Reply(status=500)
    with pytest.raises(EndpointError) as info:
        run(records, endpoint(srv, max_retries=1), tmp_path, use_cache=False)
    assert KEY not in str(info.value) and "重试后仍失败" in str(info.value)


@pytest.mark.slow
def test_timeout_is_always_set_and_fails_cleanly(srv, records, tmp_path):
    srv.responder = lambda body: Reply(hang=3)
    with pytest.raises(EndpointError):
        run(records, endpoint(srv, timeout=0.5, max_retries=0), tmp_path, use_cache=False)


def test_injected_note_changes_no_rule_heading_or_outline(srv, tmp_path):
    records = load_records(FIXTURES / "injection.yaml")[0]
    srv.responder = Writer("faithful")
    out = run(records, endpoint(srv), tmp_path, use_cache=False)
    template = draft(records)
    assert [s.heading_line for s in out.document.sections] == [s.heading_line for s in template.document.sections]
    assert out.document.title == template.document.title
    assert "关于表彰先进个人的决定" not in out.markdown and out.report.ok
    user = [m["content"] for c in srv.chat_requests() for m in c.body["messages"] if m["role"] == "user"]
    carrying = [u for u in user if "忽略以上要求" in u]
    assert carrying  # the note went in, as data inside the delimiters
    for u in carrying:
        inner = u.split("<records>", 1)[1].split("</records>", 1)[0]
        assert "忽略以上要求" in inner and "<" not in inner and ">" not in inner


@pytest.mark.slow
def test_over_budget_section_is_drafted_from_summaries(srv, tmp_path):
    records = load_records(FIXTURES / "scale_160.yaml")[0]
    srv.responder = Writer("faithful")
    out = run(records, endpoint(srv, section_token_budget=1500), tmp_path, use_cache=False,
              trail_dir=tmp_path / "trail")
    summaries = [c for c in srv.chat_requests() if "压缩为一句要点" in json.dumps(c.body, ensure_ascii=False)]
    assert len(summaries) >= 2
    assert out.report.ok, out.report.findings[:3]
    summarized = "".join(m["content"] for c in summaries for m in c.body["messages"])
    publicity = next(s for s in build_outline(records).sections if s.key == "publicity")
    for aid in publicity.activity_ids:  # the large section: chunked, not truncated
        assert f'"id": "{aid}"' in summarized


@pytest.mark.slow
def test_cli_llm_draft_writes_trail_and_never_the_key(srv, tmp_path):
    srv.responder = Writer("faithful")
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": srv.base_url, "ZONGJIE_MODEL": "scripted-model"}
    out = tmp_path / "总结.md"
    result = run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(out), "--cache",
                     str(tmp_path / "c.sqlite3"), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "调用" in result.stderr and KEY not in result.stderr + result.stdout
    report = json.loads((tmp_path / "总结.md.check.json").read_text(encoding="utf-8"))
    assert report["backend"] == "llm" and report["usage"]["calls"] == len(srv.chat_requests())
    for path in (tmp_path / "总结.md.trail").rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8"), path
    trail = json.loads((tmp_path / "总结.md.trail" / "run.json").read_text(encoding="utf-8"))
    assert trail["usage"]["total"]["calls"] == report["usage"]["calls"]
    assert trail["markdown"] == out.read_text(encoding="utf-8")
    cache = (tmp_path / "c.sqlite3").read_bytes()  # the cache stores replies, never the key
    assert cache and KEY.encode() not in cache
    for record in srv.requests:
        assert KEY not in json.dumps(record.headers)


@pytest.mark.slow
def test_cli_endpoint_down_exits_3(tmp_path):
    # Without retries: the default three wait out openai's backoff (seconds) and show nothing more.
    config = tmp_path / "zongjie.toml"
    config.write_text('default = "down"\n[profiles.down]\nmax_retries = 0\n', encoding="utf-8")
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    result = run_cli("draft", str(DATA / "spec_example.yaml"), "--no-cache", "--config", str(config),
                     env=env, cwd=tmp_path)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    # A refused connection is said to be one, not a timeout (port 9 has no server).
    assert "模型接口 down" in result.stderr and "连接被拒绝" in result.stderr and "期限" not in result.stderr.split("；")[0]
    assert KEY not in result.stderr + result.stdout


@pytest.mark.slow
def test_llm_without_endpoint_says_how_to_configure(tmp_path):
    result = run_cli("draft", str(DATA / "spec_example.yaml"), "--backend", "llm", cwd=tmp_path)
    assert result.returncode == 2
    assert "OPENAI_API_KEY" in result.stderr and "zongjie.toml" in result.stderr


def test_profiles_from_toml(tmp_path):
    (tmp_path / "zongjie.toml").write_text(
        'default = "mine"\n[profiles.mine]\nbase_url = "http://127.0.0.1:1/v1"\nmodel = "m"\n'
        'api_key_env = "MY_KEY"\nmethod = "json_mode"\ntimeout = 7\n', encoding="utf-8")
    ep = resolve_endpoint(config_file=tmp_path / "zongjie.toml", env={"MY_KEY": KEY})
    assert (ep.name, ep.model, ep.method, ep.timeout) == ("mine", "m", "json_mode", 7)
    assert KEY not in repr(ep) and KEY not in ep.model_dump_json()
    deepseek = resolve_endpoint(profile="deepseek", config_file=tmp_path / "none.toml",
                                env={"DEEPSEEK_API_KEY": "k"})
    assert deepseek.method == "json_mode" and deepseek.model == "deepseek-chat"
    with pytest.raises(InputError, match="DEEPSEEK_API_KEY"):
        resolve_endpoint(profile="deepseek", config_file=tmp_path / "none.toml", env={})
    assert resolve_endpoint(config_file=tmp_path / "none.toml", env={}) is None


def test_prompt_loader_is_strict():
    p = Prompt(name="t", text="写{county}的{year}年总结，JSON 示例 {{\"a\": 1}}")
    assert p.render(county="云岭县", year=2024) == '写云岭县的2024年总结，JSON 示例 {"a": 1}'
    with pytest.raises(PromptError, match="year"):
        p.render(county="云岭县")
    with pytest.raises(PromptError, match="extra"):
        p.render(county="云岭县", year=2024, extra=1)


def test_every_prompt_file_renders_for_a_fixture(records):
    from pipeline.drafting.llm.sections import build_parts, records_json
    from pipeline.outline import build_outline
    from pipeline.drafting import template

    outline = build_outline(records)
    parts = build_parts(records, outline, template.draft(records, outline))
    assert {p.kind for p in parts} == {"opening", "practice", "problems", "plans"}
    for part in parts:
        text = part.prompt(records_json(part.payload))
        assert "<records>" in text and "{" not in text.split("<records>")[0]
