"""Reading drafts (read_draft: .md, .txt, .docx) and printing the report (format_findings)."""

from __future__ import annotations

import pytest

from pipeline.checks import Finding, Report, Stats, check
from pipeline.checks.output import display_width, format_findings, tally
from pipeline.inputs import read_draft
from pipeline.errors import InputError

from conftest import DATA

TEXT = "# 云岭县2024年民族团结进步宣传月工作总结\n\n一、加强领导\n\nXX县开展活动。\n"


# ---------------------------------------------------------------- read_draft

@pytest.mark.parametrize("suffix", [".md", ".txt", ".MD"])
def test_reads_utf8_text(tmp_path, suffix):
    p = tmp_path / f"草稿{suffix}"
    p.write_text(TEXT, encoding="utf-8")
    assert read_draft(p) == TEXT


def test_bom_and_crlf(tmp_path):
    p = tmp_path / "草稿.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_draft(p) == TEXT
    p.write_bytes(TEXT.encode("utf-16"))  # Notepad's “Unicode”
    assert read_draft(p) == TEXT


def test_gbk_text_is_a_clear_input_error(tmp_path):
    p = tmp_path / "草稿.txt"
    p.write_bytes("第一行\n第二行是中文".encode("gbk"))
    with pytest.raises(InputError) as exc:
        read_draft(p)
    [problem] = exc.value.problems
    assert problem.file == "草稿.txt" and problem.line == 1
    assert "GBK" in problem.message and "UTF-8" in problem.message


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_draft(tmp_path / "没有.md")
    assert exc.value.problems[0].message == "文件不存在"


@pytest.mark.parametrize("name,word", [("草稿.pdf", ".pdf"), ("草稿.doc", ".docx"), ("草稿", "无后缀")])
def test_unsupported_suffix(tmp_path, name, word):
    p = tmp_path / name
    p.write_bytes(b"x")
    with pytest.raises(InputError) as exc:
        read_draft(p)
    assert word in exc.value.problems[0].message


def test_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        read_draft(tmp_path)


def test_docx_one_line_per_paragraph(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("云岭县2024年民族团结进步宣传月工作总结")
    document.add_paragraph("")
    document.add_paragraph("一、加强领导")
    p = document.add_paragraph("第一句。")
    p.add_run().add_break()  # a soft line break must not shift the numbering
    p.add_run("XX县开展活动。")
    document.add_paragraph("中共云岭县委统战部")
    path = tmp_path / "草稿.docx"
    document.save(path)
    text = read_draft(path)
    lines = text.split("\n")
    assert lines[0] == "云岭县2024年民族团结进步宣传月工作总结"
    assert lines[2] == "一、加强领导" and lines[4] == "中共云岭县委统战部"
    assert lines[3].startswith("第一句。") and lines[3].endswith("XX县开展活动。")
    # the checker's line is the paragraph number
    [f] = [f for f in check(text).findings if f.check == "residue.placeholder"]
    assert f.line == 4


def test_broken_docx(tmp_path):
    p = tmp_path / "草稿.docx"
    p.write_bytes(b"not a zip file")
    with pytest.raises(InputError) as exc:
        read_draft(p)
    assert "Word" in exc.value.problems[0].message


# ---------------------------------------------------------------- format_findings

def _report(findings, **stats):
    return Report(ok=not any(f.severity == "error" for f in findings), findings=findings,
                  stats=Stats(**stats))


def test_compiler_style_lines():
    text = "标题\n\n共摸出16户36人。\n"
    f = Finding(check="facts.number", severity="error", line=3, column=4, excerpt="16户",
                message="“16户”与记录不符：a07 记录为15户", records=["a07"])
    out = format_findings(_report([f], claims=41, supported=40), "草稿.md", text).split("\n")
    assert out[0] == "草稿.md:3:4 错误[facts.number] “16户”与记录不符：a07 记录为15户"
    assert out[1] == " 3 | 共摸出16户36人。"
    # 共摸出 is 6 columns wide; 16户 is 1+1+2 = 4
    assert out[2] == "   |       ^^^^"
    assert out[3] == "共 1 个错误、0 个警告；核对事实 41 项，有据 40 项"


def test_marker_under_the_span_by_display_width():
    text = "XX县于9月开展“石榴籽”活动"
    f = Finding(check="register", severity="warning", line=1, column=10, excerpt="石榴籽", message="m")
    _, source, marker = format_findings(_report([f]), "a.md", text).split("\n")[:3]
    src = source.split(" | ", 1)[1]
    col = marker.split(" | ", 1)[1]
    assert display_width(src[: src.index("石榴籽")]) == len(col) - len(col.lstrip(" "))
    assert col.strip() == "^" * 6


def test_long_lines_are_windowed():
    text = "甲" * 300 + "XX" + "乙" * 300
    f = Finding(check="residue.placeholder", severity="error", line=1, column=301, excerpt="XX", message="m")
    _, source, marker = format_findings(_report([f]), "a.md", text).split("\n")[:3]
    assert source.count("甲") < 60 and "..." in source and "XX" in source
    assert marker.endswith("^^")
    src = source.split(" | ", 1)[1]
    assert display_width(src[: src.index("XX")]) == len(marker.split(" | ", 1)[1]) - 2


def test_finding_past_the_end_prints_only_its_header():
    f = Finding(check="headings.required", severity="error", line=99, column=1, excerpt="", message="缺少")
    out = format_findings(_report([f]), "a.md", "一行\n").split("\n")
    assert out == ["a.md:99:1 错误[headings.required] 缺少", "共 1 个错误、0 个警告"]


def test_tally():
    assert tally(_report([])) == "未发现问题"
    w = Finding(check="register", severity="warning", line=1, column=1, excerpt="x", message="m")
    assert tally(_report([w, w], claims=3, supported=3, records_covered=2, records_total=4)) == \
        "共 0 个错误、2 个警告；核对事实 3 项，有据 3 项；覆盖记录 2/4 条"


def test_output_of_a_real_check(spec_records):
    text = (DATA / "spec_example_draft.md").read_text(encoding="utf-8").replace("云岭县将", "XX县将")
    report = check(text, spec_records)
    out = format_findings(report, "草稿.md", text)
    assert "草稿.md:23:" in out and "错误[residue.placeholder]" in out
