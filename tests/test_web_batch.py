"""批量 on the review page: a multi-place ledger or several records files → one row per place
with status and counts, each opening its review; the same upload again resumes."""

from __future__ import annotations

import time

import pytest
from conftest import FIXTURES

pytest.importorskip("fastapi", reason="未安装 fastapi（pip install -e '.[test]' 会装上），跳过审阅台测试")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.web import create_app  # noqa: E402


def _run(client, files, name=""):
    r = client.post("/batch", files=[("files", (p.name, p.read_bytes())) for p in files], data={"name": name},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    bid = r.headers["location"].rsplit("/", 1)[1]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/api/batch/{bid}").json()
        if status["done"]:
            return bid, status
        time.sleep(0.05)
    raise AssertionError("batch did not finish")


@pytest.mark.slow  # a thread drafts three places twice (~0.8 s)
def test_a_multi_place_ledger_gives_a_row_per_place_and_resumes(tmp_path):
    client = TestClient(create_app(tmp_path / "data"))
    ledger = FIXTURES / "ledger" / "有错的台账.xlsx"
    bid, status = _run(client, [ledger])
    rows = {r["place"]: r for r in status["rows"]}
    assert status["total"] == 3 and set(rows) == {"桐川县", "石湾区", "洛平县"}
    assert rows["桐川县"]["status"] == "通过" and rows["桐川县"]["errors"] == 0
    assert rows["石湾区"]["status"] == "失败" and "活动!C3" in rows["石湾区"]["message"]
    page = client.get(f"/batch/{bid}/open/{rows['桐川县']['file']}", follow_redirects=True)
    assert page.status_code == 200 and 'class="fact"' in page.text and "核对通过" in page.text
    assert client.get(f"/batch/{bid}/open/{rows['石湾区']['file']}").status_code == 422
    assert (tmp_path / "data" / "batch" / "有错的台账" / "out" / "桐川县.docx").is_file()
    _, again = _run(client, [ledger])
    skipped = {r["place"]: r["skipped"] for r in again["rows"]}
    assert skipped == {"桐川县": True, "石湾区": False, "洛平县": False}


def test_several_records_files_are_one_batch(tmp_path):
    client = TestClient(create_app(tmp_path / "data"))
    files = [FIXTURES / "xiantan_town.yaml", FIXTURES / "lanshui_county.yaml"]
    _, status = _run(client, files, name="两地")
    assert status["total"] == 2 and all(r["ok"] for r in status["rows"])
    assert sorted((tmp_path / "data" / "batch" / "两地" / "input").iterdir()) == sorted(
        tmp_path / "data" / "batch" / "两地" / "input" / f.name for f in files)


def test_a_ledger_with_other_files_is_refused(tmp_path):
    client = TestClient(create_app(tmp_path / "data"))
    files = [FIXTURES / "ledger" / "多地区台账.xlsx", FIXTURES / "xiantan_town.yaml"]
    r = client.post("/batch", files=[("files", (p.name, p.read_bytes())) for p in files])
    assert r.status_code == 422 and "台账请单独上传" in r.text
