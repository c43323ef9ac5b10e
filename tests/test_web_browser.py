"""The review workbench driven in real headless Chromium through Playwright: upload a ledger,
click a fact, edit a number, download the .docx, a bad ledger, a hostile note, the token, an
LLM draft's live progress (the scripted model server on 127.0.0.1, answering slowly)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURES, ROOT, run_cli
from web_server import running

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LEDGER = FIXTURES / "ledger" / "柏溪县台账.xlsx"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("未安装 Chromium（Debian：apt-get install chromium），跳过浏览器测试")
    sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 playwright，跳过浏览器测试")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def site(tmp_path):
    from pipeline.web import create_app

    with running(create_app(tmp_path / "data")) as url:
        yield url


def _upload(page, site, path):
    page.goto(site + "/")
    page.set_input_files("#draft-form input[name=file]", str(path))
    page.click("#draft-form button")
    page.wait_for_load_state()


def test_upload_click_edit_fix_and_download(browser, site, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _upload(page, site, LEDGER)
    assert "/review/" in page.url
    assert page.locator(".ln.h1").inner_text().startswith("柏溪县")
    assert page.locator(".fact").count() > 30
    page.locator(".fact", has_text=re.compile(r"^28个$")).first.click()
    panel = page.locator("#panel").inner_text()
    assert "活动 b01" in panel and "28个" in panel and "活动!第2行" in panel

    fact = page.locator(".fact", has_text=re.compile(r"^28个$")).first
    box = fact.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)  # between 2 and 8
    page.keyboard.press("Delete")
    page.keyboard.type("9")  # 28个 → 29个
    page.wait_for_selector(".fd.error", timeout=5000)
    assert page.locator(".fact.bad.fd.error").all_inner_texts() == ["29个"]
    assert page.locator(".findings li.error").count() >= 1
    assert "有错误" in page.locator("#status").inner_text()

    bad = page.locator(".fact.bad").first
    box = bad.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
    page.keyboard.press("Delete")
    page.keyboard.type("8")
    page.wait_for_function("!document.querySelector('.fd.error')", timeout=5000)
    assert "核对通过" in page.locator("#status").inner_text()

    with page.expect_download() as dl:
        page.click("#dl-docx")
    out = tmp_path / "总结.docx"
    dl.value.save_as(out)
    import docx

    assert any("柏溪县" in p.text for p in docx.Document(str(out)).paragraphs)
    records = ROOT / "fixtures" / "ledger" / "柏溪县台账.xlsx"
    result = run_cli("check", str(out), "--records", str(records))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_ledger_shows_the_cell_table(browser, site):
    page = browser.new_page()
    _upload(page, site, FIXTURES / "ledger" / "有错的台账.xlsx")
    cells = page.locator("table.problems td.cell").all_inner_texts()
    assert any(c.startswith("活动!C3") for c in cells) and any(c.startswith("活动!I5") for c in cells)
    assert page.locator("#paper").count() == 0


def test_a_script_in_a_record_note_shows_as_text(browser, site, tmp_path):
    src = (FIXTURES / "xiantan_town.yaml").read_text(encoding="utf-8")
    note = "<script>window.pwned=1</script><b>加粗</b>"
    path = tmp_path / "hostile.yaml"
    path.write_text(re.sub(r"\n    note: [^\n]*", f"\n    note: '{note}'", src, count=1), encoding="utf-8")
    page = browser.new_page()
    _upload(page, site, path)
    rid = next(r for r in page.evaluate("Object.keys(JSON.parse(document.getElementById('cards').textContent))")
               if not r.startswith(("totals", "basis", "period", "activities", "county", "campaign", "author",
                                    "date", "problems", "plans")))
    page.locator(f".fact[data-r~='{rid}']").first.click()
    assert note in page.locator("#panel").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#panel b", has_text="加粗").count() == 0


def test_without_the_token_a_non_local_bind_answers_401(browser, tmp_path):
    from pipeline.web import create_app

    with running(create_app(tmp_path, token="tok-123")) as url:
        page = browser.new_page()
        assert page.goto(url + "/").status == 401
        assert page.goto(url + "/?token=tok-123").status == 200
        assert page.goto(url + "/").status == 200  # the cookie carries it on


def test_an_llm_draft_shows_its_progress_part_by_part_before_the_draft(browser, tmp_path):
    from pipeline.drafting.llm.config import Endpoint
    from pipeline.evals.scripted_model import Writer
    from pipeline.testing.scripted_server import ScriptedServer
    from pipeline.web import create_app

    with ScriptedServer() as srv:
        srv.responder = Writer("invent", latency=0.3)  # slow, and wrong until asked to repair
        ep = Endpoint(base_url=srv.base_url, model="scripted-model", api_key="sk-test-browser", timeout=10,
                      concurrency=1)
        with running(create_app(tmp_path / "data", endpoint=ep)) as url:
            page = browser.new_page()
            page.goto(url + "/")
            page.set_input_files("#draft-form input[name=file]", str(LEDGER))
            page.select_option("#draft-form select[name=backend]", "llm")
            page.click("#draft-form button")
            page.wait_for_url("**/draft/*")
            page.wait_for_function(
                "/已完成 [1-9][0-9]*\\/[0-9]+ 个部分/.test(document.getElementById('progress').textContent)",
                timeout=15000)
            assert "/draft/" in page.url and page.locator("#paper").count() == 0  # no draft yet
            assert page.locator("#bar").evaluate("b => b.value > 0 && b.max > 1")
            assert page.locator("#steps li").first.inner_text().startswith("起草：")
            page.wait_for_selector("#steps li:has-text('第 1 轮修改')", timeout=15000)
            page.wait_for_url("**/review/*", timeout=30000)
            assert page.locator(".fact").count() > 30
            assert "sk-test-browser" not in page.content()
