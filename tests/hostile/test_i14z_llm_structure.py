"""A model that obeys an injection by adding structure, against the scripted server on
127.0.0.1 with the real clients (reproductions in notes/i14z.md). On main the reply check
knew only “#”, “一、” and “（一）” at a sentence's start: a paragraph “＃＃ 五、表彰先进个人”,
“<h2>五、…</h2>”, “- 表彰先进个人” or “⼆是…” (⼆ a Kangxi radical, U+2F06) went into the
final draft and the check passed it. Each is now refused with its reason and asked again;
a model that keeps doing it has the part written by the template."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import FIXTURES
from pipeline.drafting.llm.config import Endpoint
from pipeline.evals.scripted_model import faithful
from pipeline.model.document import Sentence
from pipeline.model.records import Records
from pipeline.orchestrator import draft
from pipeline.testing.scripted_server import Reply, ScriptedServer

srv = ScriptedServer.pytest_fixture(name="srv")
LEADS = {
    "full_width_hash": "＃＃ 五、表彰先进个人",
    "html": "<h2>五、表彰先进个人</h2>",
    "bullet": "- 表彰先进个人",
    "quote": "> 表彰先进个人",
    "bold": "**五、表彰先进个人**",
    "digit": "7.表彰先进个人",
    "kangxi_item": "\u2f06是表彰先进个人",
}


class Shaping:
    """Every paragraph reply opens with a paragraph of `lead`; told why, it writes faithfully
    (`stubborn`: never)."""

    def __init__(self, lead: str, stubborn: bool) -> None:
        self.lead, self.stubborn, self.reasons = lead, stubborn, []

    def __call__(self, body: dict) -> Reply:
        out = faithful(body)
        last = body["messages"][-1].get("content") or ""
        if "无法使用" in last:
            self.reasons.append(last)
        if "paragraphs" in out and (self.stubborn or "无法使用" not in last):
            out["paragraphs"].insert(0, {"sentences": [{"text": self.lead, "sources": []}]})
        return Reply(json=out)


@pytest.fixture(scope="module")
def records() -> Records:
    return Records.model_validate(yaml.safe_load((FIXTURES / "injection.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("stubborn", [False, True], ids=["corrects", "stubborn"])
def test_a_reply_that_adds_structure_never_reaches_the_draft(srv, tmp_path, records, lead, stubborn):
    srv.responder = model = Shaping(LEADS[lead], stubborn)
    ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test-shape", timeout=5,
                  max_retries=0, repair_rounds=1)
    run = draft(records, "llm", ep, use_cache=False, trail_dir=tmp_path / "trail")
    assert "表彰先进个人" not in run.markdown
    assert not re.search(r"^(?:＃|<|[-*>] |\*\*)", run.markdown, re.M)
    assert run.report.ok, run.report.findings
    if lead != "kangxi_item":  # refused by the reply check, with its reason
        assert model.reasons and all(("标题" in r or "网页标记" in r) for r in model.reasons)
    if stubborn:
        assert {r.action for r in run.repairs} & {"template_section", "replaced_with_template"}


def test_a_sentence_reads_look_alike_ideographs_as_the_reader_does():
    assert Sentence(text="\u2f06是开展技能培训\u3192次。").text == "二是开展技能培训一次。"
