"""The reading helpers of pipeline/text every reader shares."""

from __future__ import annotations

import pytest
from conftest import DATA

from pipeline.errors import InputError
from pipeline.inputs.drafts import read_draft
from pipeline.inputs.records import load_records
from pipeline.text.files import read_text_file

SPEC = DATA / "spec_example.yaml"


def problems_of(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value.problems


# ---------------------------------------------------------------- reading text files

def test_a_gbk_file_gets_the_gbk_hint_at_its_first_chinese_line(tmp_path):
    path = tmp_path / "记录.yaml"
    path.write_bytes("year: 2024\ncampaign: x\ncounty: 云岭县\n".encode("gbk"))
    (problem,) = problems_of(load_records, path)
    assert problem.file == "记录.yaml" and problem.line == 3
    assert "GBK" in problem.message and "另存为 UTF-8" in problem.message
    draft = tmp_path / "草稿.txt"
    draft.write_bytes("标题\n".encode() + "第二行".encode("gbk"))
    (problem,) = problems_of(read_draft, draft)
    assert problem.line == 2 and "GBK" in problem.message


def test_bytes_that_are_no_chinese_encoding_get_no_gbk_hint(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"ok\n\x80\xff\xfe")
    (problem,) = problems_of(read_text_file, path)
    assert problem.line == 2 and "不是 UTF-8" in problem.message and "GBK" not in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_file_with_a_bom_is_read(tmp_path, encoding):
    path = tmp_path / "云岭县.yaml"
    raw = SPEC.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    assert read_text_file(path) == SPEC.read_text(encoding="utf-8")
    assert load_records(path)[0] == load_records(SPEC)[0]
