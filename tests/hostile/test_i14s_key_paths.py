"""Paths of the key the echo tests do not take: a server that puts the key into its
response headers (on a good reply and on 401/429/500), and a key the user wrote into the
endpoint address itself (user-info or query), which would otherwise be repeated in
messages, eval labels and trails. The real CLI against the scripted server on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import DATA, run_cli
from hostile.key_outputs import draft_llm, outputs
from pipeline.drafting.llm.config import base_url_fault, resolve_endpoint
from pipeline.errors import InputError
from pipeline.evals.scripted_model import Writer
from pipeline.testing.replies import ECHO_AUTH
from pipeline.testing.scripted_server import Reply, ScriptedServer

KEY = "sk-live-HEADERS-71c0e9a4d2bb"
srv = ScriptedServer.pytest_fixture(name="srv")
ECHO_HEADERS = {"x-echo-authorization": ECHO_AUTH, "x-debug": f"key={KEY}; auth={ECHO_AUTH}",
                "Retry-After": "0"}


def _replying(status: int):
    def reply(body: dict) -> Reply:
        if status == 200:
            return Reply(json=Writer("faithful")(body).json, headers=ECHO_HEADERS, echo_auth=True)
        return Reply(status=status, headers=ECHO_HEADERS, echo_auth=True, error_body={
            "error": {"message": f"denied for {ECHO_AUTH} ({KEY})", "type": "server_error"}})
    return reply


@pytest.mark.slow
@pytest.mark.parametrize("status", [200, 401, 429, 500])
def test_a_key_in_the_reply_headers_reaches_no_output(srv, tmp_path, status):
    srv.responder = _replying(status)
    proc, cache = draft_llm(srv, tmp_path, KEY)
    assert proc.returncode == (0 if status == 200 else 3), proc.stderr
    for where, data in outputs(proc, tmp_path, cache):
        assert KEY.encode() not in data and KEY[3:15].encode() not in data, where


@pytest.mark.parametrize("url", [
    f"https://user:{KEY}@api.example.com/v1", f"https://{KEY}@api.example.com/v1",
    f"https://api.example.com/v1?api_key={KEY}", f"https://api.example.com/v1#{KEY}",
    "https://api.example.com/v1?", "ftp://api.example.com/v1", "api.example.com/v1",
    "http://127.0.0.1:99999999/v1"])
def test_an_address_that_could_carry_a_key_is_refused(url):
    fault = base_url_fault(url)
    assert fault and KEY not in fault


@pytest.mark.parametrize("url", ["https://api.deepseek.com/v1", "http://127.0.0.1:8000/v1",
                                 "http://localhost:11434/v1/", "https://dashscope.aliyuncs.com/compatible-mode/v1"])
def test_a_plain_address_is_kept(url):
    assert base_url_fault(url) is None
    assert resolve_endpoint(env={"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "k"}).base_url == url


def test_the_environment_address_is_named_and_not_repeated():
    with pytest.raises(InputError) as err:
        resolve_endpoint(env={"OPENAI_BASE_URL": f"https://api.example.com/v1?key={KEY}", "OPENAI_API_KEY": "k"})
    message = str(err.value)
    assert "OPENAI_BASE_URL" in message and "查询参数" in message and KEY not in message


def test_a_profile_address_names_its_file_and_field(tmp_path):
    toml = tmp_path / "zongjie.toml"
    toml.write_text(f'[profiles.mine]\nbase_url = "https://u:{KEY}@api.example.com/v1"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        resolve_endpoint(profile="mine", config_file=toml, env={"OPENAI_API_KEY": "k"})
    message = str(err.value)
    assert str(toml) in message and "profiles.mine.base_url" in message and "用户名或密码" in message
    assert KEY not in message


@pytest.mark.slow
@pytest.mark.parametrize("url", [f"http://u:{KEY}@127.0.0.1:9/v1", f"http://127.0.0.1:9/v1?api-key={KEY}"])
def test_the_cli_refuses_such_an_address_with_exit_2(tmp_path, url):
    out = tmp_path / "总结.md"
    proc = run_cli("draft", str(DATA / "spec_example.yaml"), "-o", str(out), "--backend", "llm",
                   env={"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-other", "ZONGJIE_MODEL": "m"})
    assert proc.returncode == 2, proc.stderr
    assert "OPENAI_BASE_URL" in proc.stderr and "Traceback" not in proc.stderr
    assert KEY not in proc.stdout + proc.stderr and not out.exists()
