"""Word output after GB/T 9704-2012: the XML read back property by property (page, title,
body and headings, signature, folios), and the file read back by python-docx and the checker.
The page as LibreOffice lays it out is in test_render_docx_layout.py."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx_samples import COUNTY, NS, TITLE, Package, para, q, realistic

from pipeline.render.docx import (
    signature_indents,
    title_lines,
    to_docx,
)


@pytest.fixture(scope="module")
def pkg() -> Package:
    return Package(to_docx(realistic()))


def twips(p, pkg, attr: str) -> int:
    return int(pkg.ppr(p, "w:ind", attr) or 0)


# ---------------------------------------------------------------- page


def test_page_size_margins_grid(pkg):
    sect = pkg.document.find("w:body/w:sectPr", NS)
    size, mar, grid = (sect.find(f"w:{t}", NS) for t in ("pgSz", "pgMar", "docGrid"))
    assert (size.get(q("w")), size.get(q("h"))) == ("11906", "16838")
    assert {k: mar.get(q(k)) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    assert grid.get(q("type")) == "linesAndChars" and grid.get(q("linePitch")) == "579"
    # Word's character pitch: the docDefaults size plus charSpace/4096 pt; 28 must fit.
    base = int(pkg.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS).get(q("val"))) / 2
    pitch = base + int(grid.get(q("charSpace"))) / 4096
    assert (11906 - 1587 - 1474) / 20 // pitch == 28
    # 22 lines of 579 twips fit the 225 mm block, 23 do not.
    assert 22 * 579 <= 16838 - 2098 - 1984 < 23 * 579
    # Footer distance puts the folio line below the block, inside the bottom margin.
    assert 1300 < int(mar.get(q("footer"))) < 1984 - 397  # ≥ 7 mm below the block


def test_language_and_theme_fonts(pkg):
    styles_xml = pkg.zip.read("word/styles.xml").decode()
    assert not re.search(r"w:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=", styles_xml)
    assert "word/stylesWithEffects.xml" not in pkg.zip.namelist() or \
        "stylesWithEffects" not in pkg.zip.read("word/_rels/document.xml.rels").decode()
    lang = pkg.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(q("eastAsia")) == "zh-CN"
    fonts = pkg.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(q("eastAsia")) == "仿宋_GB2312"
    settings = pkg.xml("word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(q("eastAsia")) == "zh-CN"
    # Every style a paragraph uses names its East Asian font itself.
    used = {pkg.style_id(p) for p in pkg.paragraphs} | {"Footer"}
    for sid in used:
        assert pkg.by_id[sid].find("w:rPr/w:rFonts", NS).get(q("eastAsia")), sid
    # And so does every run with text.
    for run in pkg.document.iterfind(".//w:r", NS):
        if run.find("w:t", NS) is not None:
            assert run.find("w:rPr/w:rFonts", NS).get(q("eastAsia"))


# ---------------------------------------------------------------- title


def test_title(pkg):
    title = pkg.paragraphs[0]
    assert pkg.style_id(title) == "Title"
    assert pkg.ppr(title, "w:jc", "val") == "center"
    assert twips(title, pkg, "firstLine") == 0 and pkg.ppr(title, "w:ind", "firstLineChars") == "0"
    runs = [r for r in title.iterfind("w:r", NS) if r.find("w:t", NS) is not None]
    for run in runs:
        assert pkg.rpr(title, run, "w:sz", "val") == "44"
        assert pkg.rpr(title, run, "w:rFonts", "eastAsia") == "方正小标宋简体"
        assert pkg.rpr(title, run, "w:spacing", "val") == "0"      # not Normal's condensing
    # Lines split by w:br inside the one paragraph, at the place/year boundary.
    lines, current = [], ""
    for node in title.iter(q("t"), q("br")):
        if node.tag == q("br"):
            lines.append(current)
            current = ""
        else:
            current += node.text
    lines.append(current)
    assert lines == ["峨溪彝族自治县2025年", "民族团结进步创建活动工作总结"]
    assert "".join(lines) == TITLE
    # One blank line, then the body.
    assert pkg.text(pkg.paragraphs[1]) == "" and pkg.ppr(pkg.paragraphs[1], "w:spacing", "line") == "579"


WORDS = {
    TITLE: ["峨溪彝族自治县", "2025年", "民族", "团结", "进步", "创建", "活动", "工作总结"],
    "石门区2023年民族团结进步宣传月暨铸牢中华民族共同体意识主题教育工作总结":
        ["石门区", "2023年", "民族", "团结", "进步", "宣传月", "暨", "铸牢", "中华民族", "共同体",
         "意识", "主题", "教育", "工作总结"],
    "某某县民族宗教事务局关于报送二〇二四年度民族团结进步宣传月活动开展情况及下一步工作打算的报告":
        ["某某县", "民族", "宗教", "事务局", "关于", "报送", "二〇二四年度", "民族", "团结", "进步",
         "宣传月", "活动", "开展", "情况", "及", "下一步", "工作", "打算", "的", "报告"],
    "关于峨溪彝族自治县2025年民族团结进步示范创建活动开展情况的报告":
        ["关于", "峨溪彝族自治县", "2025年", "民族", "团结", "进步", "示范", "创建", "活动", "开展",
         "情况", "的", "报告"],
}


@pytest.mark.parametrize("title", list(WORDS))
def test_title_never_split_inside_a_word(title):
    county = next((c for c in (COUNTY, "石门区", "某某县") if title.startswith(c)), "")
    lines = title_lines(title, county)
    assert "".join(lines) == title and len(lines) >= 2
    width = lambda s: sum(0.5 if ord(c) < 128 else 1 for c in s)   # noqa: E731
    assert all(width(line) <= 20 for line in lines)
    bounds = {sum(map(len, WORDS[title][:i])) for i in range(len(WORDS[title]) + 1)}
    cut = 0
    for line in lines[:-1]:
        cut += len(line)
        assert cut in bounds, (title, lines)
    assert not lines[0].endswith(("关于", "暨")) and not any(l.startswith("的") for l in lines)


def test_short_title_stays_one_line():
    assert title_lines("云岭县2024年民族团结进步宣传月工作总结", "云岭县") == [
        "云岭县2024年民族团结进步宣传月工作总结"]


# ---------------------------------------------------------------- body and headings


def body_paragraphs(pkg):
    return [p for p in pkg.paragraphs[2:] if pkg.style_id(p) == "Normal" and pkg.text(p)
            and pkg.ppr(p, "w:jc", "val") != "right"]


def test_body_paragraphs(pkg):
    body = body_paragraphs(pkg)
    assert len(body) >= 10
    for p in body:
        assert pkg.ppr(p, "w:spacing", "line") == "579"
        assert pkg.ppr(p, "w:spacing", "lineRule") == "exact"
        assert twips(p, pkg, "firstLine") == 640 and pkg.ppr(p, "w:ind", "firstLineChars") == "200"
        assert pkg.ppr(p, "w:jc", "val") == "both"
        run = p.findall("w:r", NS)[-1]
        assert pkg.rpr(p, run, "w:rFonts", "eastAsia") == "仿宋_GB2312"
        assert pkg.rpr(p, run, "w:rFonts", "ascii") == "Times New Roman"
        assert pkg.rpr(p, run, "w:rFonts", "hAnsi") == "Times New Roman"
        assert pkg.rpr(p, run, "w:sz", "val") == "32"
        assert int(pkg.rpr(p, run, "w:spacing", "val")) < 0       # 28 × 16 pt must fit 156 mm
    texts = [pkg.text(p) for p in body]
    assert any("2.5万份" in t for t in texts)        # numerals kept as written


@pytest.mark.parametrize("text, style, font, bold", [
    ("一、加强组织领导，压实工作责任", "Heading1", "黑体", False),
    ("（一）健全工作机制", "Heading2", "楷体_GB2312", False),
    ("1.细化任务分工", "Heading3", "仿宋_GB2312", True),
    ("（1）明确时间节点", "Heading4", "仿宋_GB2312", False),
])
def test_headings(pkg, text, style, font, bold):
    p = pkg.find(text)
    assert pkg.style_id(p) == style
    run = p.find("w:r", NS)
    assert pkg.rpr(p, run, "w:rFonts", "eastAsia") == font
    assert pkg.rpr(p, run, "w:rFonts", "ascii") == "Times New Roman"
    assert pkg.rpr(p, run, "w:sz", "val") == "32"
    scopes = [run.find("w:rPr", NS)] + [s.find("w:rPr", NS) for s in pkg.style_chain(p)]
    b = next((s.find("w:b", NS) for s in scopes if s is not None and s.find("w:b", NS) is not None), None)
    assert (b is not None and b.get(q("val"), "1") not in ("0", "false")) == bold
    assert twips(p, pkg, "firstLine") == 640
    assert pkg.ppr(p, "w:spacing", "line") == "579" and pkg.ppr(p, "w:spacing", "before") == "0"
    assert pkg.ppr(p, "w:outlineLvl", "val") == str(int(style[-1]) - 1)
    # No template colour survives on our headings.
    assert pkg.by_id[style].find("w:rPr/w:color", NS) is None


def test_run_in_heading_keeps_body_font(pkg):
    p = pkg.find("（二）强化责任落实。各乡镇、各部门按照职责分工抓好落实，形成齐抓共管的工作格局。")
    lead, rest = p.findall("w:r", NS)
    assert lead.findtext("w:t", namespaces=NS) == "（二）强化责任落实。"
    assert pkg.rpr(p, lead, "w:rFonts", "eastAsia") == "楷体_GB2312"
    assert pkg.rpr(p, rest, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert pkg.style_id(p) == "Normal"


def test_body_text_that_looks_like_a_heading_stays_body_text(pkg):
    # Structure comes from the Document, never from re-reading its text.
    doc = realistic()
    doc.sections[1].paragraphs.append(para("（三）这是正文中的一句话"))
    p = Package(to_docx(doc)).find("（三）这是正文中的一句话")
    assert pkg.style_id(p) == "Normal"
    assert pkg.rpr(p, p.find("w:r", NS), "w:rFonts", "eastAsia") == "仿宋_GB2312"


# ---------------------------------------------------------------- signature


def test_signature_block(pkg):
    unit, date = pkg.paragraphs[-2], pkg.paragraphs[-1]
    assert pkg.text(unit) == "峨溪彝族自治县民族宗教事务局"
    assert pkg.text(pkg.paragraphs[-3]) == ""                       # 正文下空一行
    assert re.fullmatch(r"[1-9]\d{3}年[1-9]\d?月[1-9]\d?日", pkg.text(date))
    for p in (unit, date):
        assert pkg.ppr(p, "w:jc", "val") == "right"
        assert twips(p, pkg, "firstLine") == 0 and pkg.ppr(p, "w:ind", "firstLineChars") == "0"
        assert pkg.ppr(p, "w:spacing", "line") == "579"
    # Unit two characters in from the right; the date's first character two to the right
    # of the unit's: 14-character unit, 6-character date → the date 8 characters in.
    assert pkg.ppr(unit, "w:ind", "rightChars") == "200" and twips(unit, pkg, "right") == 640
    assert pkg.ppr(date, "w:ind", "rightChars") == "800" and twips(date, pkg, "right") == 2560
    # Unit and date stay together, with the last body line.
    assert unit.find("w:pPr/w:keepNext", NS) is not None


def test_signature_longer_date_moves_the_unit_in():
    # §7.3.5.2: a date longer than the unit keeps the two characters; the unit moves in.
    unit_in, date_in = signature_indents("石门区", "2023年12月5日")   # 3 vs 6.5 characters
    assert date_in == 2 and unit_in + 3 - 2 == date_in + 6.5        # first characters 2 apart
    assert signature_indents("峨溪彝族自治县民族宗教事务局", "2025年9月3日") == (2, 8)


# ---------------------------------------------------------------- page numbers


def footer_xml(pkg, kind: str):
    sect = pkg.document.find("w:body/w:sectPr", NS)
    ref = next(r for r in sect.iterfind("w:footerReference", NS) if r.get(q("type")) == kind)
    rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = pkg.xml("word/_rels/document.xml.rels")
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return pkg.xml(f"word/{target}")


@pytest.mark.parametrize("kind, align, side", [("default", "right", "right"), ("even", "left", "left")])
def test_footers(pkg, kind, align, side):
    settings = pkg.xml("word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    (p,) = footer_xml(pkg, kind).findall("w:p", NS)
    assert pkg.ppr(p, "w:jc", "val") == align
    assert twips(p, pkg, "firstLine") == 0 and pkg.ppr(p, "w:ind", "firstLineChars") == "0"
    assert p.find("w:pPr/w:ind", NS).get(q(side)) == "280"          # one 4号 character
    assert p.find("w:pPr/w:ind", NS).get(q(f"{side}Chars")) == "100"
    runs = p.findall("w:r", NS)
    assert runs[0].findtext("w:t", namespaces=NS) == "— "
    assert runs[-1].findtext("w:t", namespaces=NS) == " —"
    kinds = [r.find("w:fldChar", NS).get(q("fldCharType")) for r in runs if r.find("w:fldChar", NS) is not None]
    assert kinds == ["begin", "separate", "end"]
    assert "".join(p.itertext()).count("PAGE") == 1
    for run in runs:
        assert pkg.rpr(p, run, "w:sz", "val") == "28"
        for attr in ("eastAsia", "ascii", "hAnsi"):
            assert pkg.rpr(p, run, "w:rFonts", attr) == "宋体"


def test_registered_for_docx_and_readable():
    import docx

    from pipeline.render import render

    data = render(realistic(), ".docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    # python-docx reads the title's w:br as "\n" (worth knowing for pipeline/checks/read.py).
    assert texts[0] == "峨溪彝族自治县2025年\n民族团结进步创建活动工作总结"
    assert texts[1] == "" and texts[-3:] == ["", "峨溪彝族自治县民族宗教事务局", "2025年9月3日"]


@pytest.mark.slow
def test_same_document_same_bytes(tmp_path):
    """A batch resumed after a kill must write what an uninterrupted one writes."""
    import time

    from pipeline.drafting import draft_document
    from pipeline.inputs import load_records

    doc = draft_document(load_records(Path(__file__).parent / "data" / "spec_example.yaml")[0])
    first = to_docx(doc)
    time.sleep(1.1)  # zip members and core properties would otherwise carry the time
    assert to_docx(doc) == first
    assert b"2024-10-15T00:00:00" in zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml")


def test_docx_check_gives_the_markdown_findings(tmp_path):
    """draft → .docx → check finds what the Markdown draft's check finds, at the paragraph
    of the Word file; a clerk's edit made in Word is caught the same way."""
    import docx as python_docx

    from pipeline.checks import check
    from pipeline.drafting import draft_document
    from pipeline.inputs import load_records, read_draft
    from pipeline.render import to_markdown

    records = load_records(Path(__file__).parent.parent / "fixtures" / "yunling_county.yaml")[0]
    doc = draft_document(records)
    path = tmp_path / "总结.docx"
    path.write_bytes(to_docx(doc))
    word = python_docx.Document(str(path))
    edited = 0
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            if "138场次" in run.text:
                run.text = run.text.replace("138场次", "183场次")
                edited += 1
    assert edited
    word.save(str(path))
    markdown = to_markdown(doc).replace("138场次", "183场次")
    from_md = check(markdown, records)
    text = read_draft(path)
    from_docx = check(text, records)
    key = lambda r: sorted((f.check, f.severity, f.message) for f in r.findings)  # noqa: E731
    assert key(from_docx) == key(from_md) and not from_md.ok
    (finding,) = [f for f in from_docx.findings if "183场次" in f.message]
    assert "183场次" in text.split("\n")[finding.line - 1]
