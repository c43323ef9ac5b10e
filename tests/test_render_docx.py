"""Word output after GB/T 9704-2012: the XML read back property by property, then the
page as LibreOffice lays it out (22 lines of 28 characters, page count, folio position)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.render.docx import (
    heading_level,
    run_in_heading,
    signature_indents,
    title_lines,
    to_docx,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PNG = Path("/tmp/docx_page1.png")


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ---------------------------------------------------------------- documents


def para(*sentences: str) -> Paragraph:
    return Paragraph(sentences=[Sentence(text=s, sources=["a1"]) for s in sentences])


COUNTY = "峨溪彝族自治县"
TITLE = "峨溪彝族自治县2025年民族团结进步创建活动工作总结"   # 24 characters wide: two lines
ACTIVITY = ("9月15日，县委统战部、县民族宗教事务局在县民族文化广场举办民族团结进步宣传月启动仪式，"
            "发放宣传资料2.5万份，现场群众达3000余人。")


def realistic() -> Document:
    return Document(
        county=COUNTY, year=2025, title=TITLE,
        opening=[para("根据州委统战部《关于开展2025年民族团结进步创建活动的通知》要求，",
                      "我县以铸牢中华民族共同体意识为主线，深入开展民族团结进步创建活动，取得明显成效。",
                      "现将有关情况总结如下。")],
        sections=[
            Section(key="organisation", number=1, heading="加强组织领导，压实工作责任", paragraphs=[
                para("（一）健全工作机制"),
                para("县委高度重视，成立由县委副书记任组长的领导小组，", "制定工作方案，明确12项重点任务。"),
                para("（二）强化责任落实。", "各乡镇、各部门按照职责分工抓好落实，形成齐抓共管的工作格局。"),
                para("1.细化任务分工"),
                para("将任务分解到28个责任单位，建立工作台账，实行销号管理。"),
                para("（1）明确时间节点"),
                para("各单位于9月5日前报送工作计划，9月30日前报送总结。"),
            ]),
            Section(key="practice", number=2, heading="丰富活动载体，营造浓厚氛围",
                    paragraphs=[para(ACTIVITY), para("一是开展进机关活动。", ACTIVITY), para(ACTIVITY)]),
            Section(key="problems", number=3, heading="存在的问题",
                    paragraphs=[para("一是宣传覆盖面仍不够广；", "二是活动形式有待创新。")]),
            Section(key="plans", number=4, heading="下一步工作打算",
                    paragraphs=[para("一是持续深化宣传教育；", "二是推动创建活动常态化。")]),
        ],
        signature=["峨溪彝族自治县民族宗教事务局", "2025年9月3日"],
    )


# Pure Han text: its line breaks do not depend on how a substitute font sets digits.
HAN = "全县各族干部群众共同团结奋斗共同繁荣发展" * 5


def long_document(paragraphs: int) -> Document:
    """Every body paragraph is 80 Han characters and 。: 26 + 28 + 27 = 3 lines exactly."""
    body = HAN[:80] + "。"
    return Document(
        county=COUNTY, year=2025, title=TITLE,
        opening=[para(body)],
        sections=[Section(key="practice", number=1, heading="主要做法",
                          paragraphs=[para(body) for _ in range(paragraphs)])],
        signature=["峨溪彝族自治县民族宗教事务局", "2025年9月3日"],
    )


# ---------------------------------------------------------------- reading the package


class Package:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.by_id = {s.get(q("styleId")): s for s in self.styles.iterfind("w:style", NS)}
        self.paragraphs = self.document.findall("w:body/w:p", NS)

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def text(self, p) -> str:
        return "".join(t.text or "" for t in p.iterfind(".//w:t", NS))

    def style_chain(self, p) -> list:
        node = p.find("w:pPr/w:pStyle", NS)
        sid = node.get(q("val")) if node is not None else "Normal"
        chain = []
        while sid:
            style = self.by_id[sid]
            chain.append(style)
            based = style.find("w:basedOn", NS)
            sid = based.get(q("val")) if based is not None else None
        return chain

    def ppr(self, p, path: str, attr: str) -> str | None:
        """A paragraph property as Word resolves it: direct, style chain, docDefaults."""
        scopes = [p.find("w:pPr", NS)] + [s.find("w:pPr", NS) for s in self.style_chain(p)]
        scopes.append(self.styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS))
        return self._first(scopes, path, attr)

    def rpr(self, p, run, path: str, attr: str) -> str | None:
        scopes = [run.find("w:rPr", NS)] + [s.find("w:rPr", NS) for s in self.style_chain(p)]
        scopes.append(self.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS))
        return self._first(scopes, path, attr)

    @staticmethod
    def _first(scopes, path: str, attr: str):
        for scope in scopes:
            node = scope.find(path, NS) if scope is not None else None
            if node is not None and node.get(q(attr)) is not None:
                return node.get(q(attr))
        return None

    def find(self, text: str):
        return next(p for p in self.paragraphs if self.text(p) == text)

    def style_id(self, p) -> str:
        return self.style_chain(p)[0].get(q("styleId"))


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


@pytest.mark.parametrize("text, level", [
    ("（一）健全工作机制", 2), ("1.细化任务分工", 3), ("1．细化任务分工", 3), ("（1）明确时间节点", 4),
    ("1.5万人参加活动", None), ("1.全县开展活动36场。", None), ("（一）", None),
    ("一是加强组织领导", None), ("（一）加强组织领导。县委高度重视。", None),
    ("（一）" + "很长的一段文字" * 6, None),
])
def test_heading_detection_is_conservative(text, level):
    assert heading_level(text) == level


def test_run_in_detection():
    assert run_in_heading("（二）强化责任落实。各部门抓好落实。") == (2, "（二）强化责任落实。", "各部门抓好落实。")
    assert run_in_heading("1.5万人参加。群众反响好。") is None
    assert run_in_heading("（二）强化责任落实。") is None


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


# ---------------------------------------------------------------- LibreOffice layout


def _pdf(doc: Document, tmp_path: Path, name: str) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("没有安装 LibreOffice（soffice）（Debian：apt-get install "
                    "libreoffice-writer-nogui poppler-utils fonts-wqy-zenhei），跳过版式测试")
    src = tmp_path / f"{name}.docx"
    src.write_bytes(to_docx(doc))
    # A private profile: a second soffice (another test run) cannot block this one.
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    return tmp_path / f"{name}.pdf"


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


FOLIO = re.compile(r"^\s*—\s*(\d+)\s*—\s*$")


def _lines(pdf: Path, page: int) -> list[str]:
    """Text lines of one page, the folio excluded."""
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [l.strip() for l in out.splitlines() if l.strip() and not FOLIO.match(l)]


def test_pdf_22_lines_of_28_characters(tmp_path):
    # title 2 + blank 1 + opening 3 + heading 1 + 18 × 3 + blank 1 + unit + date = 64 lines
    pdf = _pdf(long_document(18), tmp_path, "long")
    assert _pages(pdf) == 3
    page1, page2, page3 = (_lines(pdf, n) for n in (1, 2, 3))
    assert len(page1) == 21                  # 22 minus the blank line under the title
    assert len(page2) == 22                  # a page of body text only
    assert len(page3) == 17 + 2              # the rest of the body, unit and date
    # Full body lines carry 28 characters, first lines 26 after the two-character indent.
    widths = [len(l.replace(" ", "")) for l in page2]
    assert max(widths) == 28 and widths.count(28) >= 7
    assert all(w in (26, 27, 28) for w in widths)
    assert [l.replace(" ", "") for l in page1[:2]] == ["峨溪彝族自治县2025年", "民族团结进步创建活动工作总结"]


def test_pdf_folios_and_first_page_png(tmp_path):
    pdf = _pdf(long_document(18), tmp_path, "folio")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = bbox.split("<page ")[1:]
    for number, page in enumerate(pages, 1):
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', page)
        dashes = [w for w in words if w[4] == "—" and float(w[1]) > (16838 - 1984) / 20]
        number_box = next(w for w in words if w[4] == str(number) and float(w[1]) > (16838 - 1984) / 20)
        assert len(dashes) == 2
        assert float(dashes[0][2]) < float(number_box[0]) < float(number_box[2]) < float(dashes[1][0])
        if number % 2:   # odd: right, the closing dash one 4号 character (14 pt) in
            assert abs(float(dashes[1][2]) - (595.3 - 1474 / 20 - 14)) < 2
        else:            # even: left, the opening dash one character in
            assert abs(float(dashes[0][0]) - (1587 / 20 + 14)) < 2
    # The 一字线 sits about 7 mm below the text block: measure its ink on page 1.
    dpi = 288
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1",
                    str(pdf), str(tmp_path / "ink")], check=True)
    raw = next(tmp_path.glob("ink*.pgm")).read_bytes()
    magic, dims, _, pixels = raw.split(b"\n", 3)
    width, height = map(int, dims.split())
    right = round((595.3 - 1474 / 20 - 14) * dpi / 72)   # the odd folio's closing dash
    block_bottom_pt = (16838 - 1984) / 20
    rows = [y for y in range(round(block_bottom_pt * dpi / 72) + 2, height)
            if sum(pixels[y * width + x] < 128 for x in range(right - 14 * dpi // 72 + 4, right - 4)) > 12]
    assert rows and rows[-1] - rows[0] < 8                     # one thin line of ink
    below_mm = ((rows[0] + rows[-1]) / 2 * 72 / dpi - block_bottom_pt) / 72 * 25.4
    assert 6 < below_mm < 8, below_mm
    # The picture to look at (kept for the reviewer).
    pdf = _pdf(realistic(), tmp_path, "page1")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(PNG.with_suffix(""))], check=True)
    assert PNG.stat().st_size > 10_000


def test_registered_for_docx_and_readable():
    import docx

    from pipeline.render import render

    data = render(realistic(), ".docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    # python-docx reads the title's w:br as "\n" (worth knowing for pipeline/checks/read.py).
    assert texts[0] == "峨溪彝族自治县2025年\n民族团结进步创建活动工作总结"
    assert texts[1] == "" and texts[-3:] == ["", "峨溪彝族自治县民族宗教事务局", "2025年9月3日"]


def test_same_document_same_bytes(tmp_path):
    """A batch resumed after a kill must write what an uninterrupted one writes."""
    import time

    from pipeline.drafting import draft_document
    from pipeline.inputs.records import load_records

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
    from pipeline.inputs.drafts import read_draft
    from pipeline.drafting import draft_document
    from pipeline.inputs.records import load_records
    from pipeline.render import to_markdown

    records = load_records(Path(__file__).parent.parent / "fixtures" / "yunling_county.yaml")[0]
    doc = draft_document(records)
    path = tmp_path / "总结.docx"
    path.write_bytes(to_docx(doc))
    word = python_docx.Document(str(path))
    edited = 0
    for para in word.paragraphs:
        for run in para.runs:
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
