"""Word output on machines without the 公文 fonts: East Asian font names and hints in the
XML, quotes in East Asian runs, the font table, the fontconfig alias file shipped in the
package, and (slow) LibreOffice's PDF with free CJK fonts: heading and body in different
faces, quotes in a CJK face."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx_samples import NS, Package, para, q, realistic
from lxml import etree

from pipeline.render.docx import to_docx
from pipeline.render.docx_fonts import FONT_TABLE, FONTCONFIG_FILE, east_asian_segments

QUOTED = "“十四五”规划实施以来，坚持“党委领导、政府负责”的机制，开展“2025”专项行动，落实‘一岗双责’要求。"


def quoted_document():
    doc = realistic()
    doc.opening.append(para(QUOTED))
    return doc


@pytest.fixture(scope="module")
def pkg() -> Package:
    return Package(to_docx(quoted_document()))


def test_segments_cover_text_and_isolate_shared_marks():
    segments = east_asian_segments(QUOTED)
    assert "".join(s for s, _ in segments) == QUOTED
    forced = [s for s, f in segments if f]
    assert forced == ["“", "”", "“", "”", "“", "”", "‘", "’"]
    assert east_asian_segments("县民族文化广场") == [("县民族文化广场", False)]
    assert east_asian_segments("……”") == [("……”", True)]


def test_styles_name_east_asian_fonts_with_hint(pkg):
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading1": "黑体",
                "Heading2": "楷体_GB2312", "Heading3": "仿宋_GB2312", "Footer": "宋体"}
    for sid, font in expected.items():
        fonts = pkg.by_id[sid].find("w:rPr/w:rFonts", NS)
        assert fonts.get(q("eastAsia")) == font, sid
        assert fonts.get(q("hint")) == "eastAsia", sid
        assert not [a for a in fonts.attrib if a.endswith("Theme")], sid


def test_quotes_sit_in_east_asian_runs(pkg):
    p = pkg.find(QUOTED)
    runs = [r for r in p.findall("w:r", NS) if r.find("w:t", NS) is not None]
    assert "".join(r.findtext("w:t", namespaces=NS) for r in runs) == QUOTED
    quote_runs = [r for r in runs if re.fullmatch("[“”‘’]+", r.findtext("w:t", namespaces=NS))]
    assert len(quote_runs) == 8
    for run in quote_runs:
        fonts = run.find("w:rPr/w:rFonts", NS)
        # Every slot names the CJK face: a quote Word or LibreOffice takes as Latin (at the
        # paragraph's start, after “2025”) is still drawn by it.
        assert {fonts.get(q(a)) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}
        assert fonts.get(q("hint")) == "eastAsia"
    # The text between keeps Times New Roman for digits and Latin letters.
    digits = next(r for r in runs if "2025" in r.findtext("w:t", namespaces=NS))
    assert digits.find("w:rPr/w:rFonts", NS).get(q("ascii")) == "Times New Roman"


def test_quotes_in_heading_take_the_heading_face():
    doc = realistic()
    doc.sections[0].heading = "落实“两个责任”，压实工作责任"
    p = Package(to_docx(doc)).find("一、落实“两个责任”，压实工作责任")
    quote = next(r for r in p.findall("w:r", NS) if r.findtext("w:t", namespaces=NS) == "“")
    assert quote.find("w:rPr/w:rFonts", NS).get(q("ascii")) == "黑体"


def test_font_table_declares_chinese_faces(pkg):
    table = pkg.xml("word/fontTable.xml")
    for name, (alt, panose, family, pitch) in FONT_TABLE.items():
        (font,) = table.findall(f"w:font[@w:name='{name}']", NS)
        children = [c.tag.rsplit("}", 1)[1] for c in font]
        assert children == ["altName", "panose1", "charset", "family", "pitch", "sig"]  # schema order
        assert font.find("w:charset", NS).get(q("val")) == "86"                         # GB2312
        assert font.find("w:altName", NS).get(q("val")) == alt
        assert re.fullmatch("[0-9A-F]{20}", font.find("w:panose1", NS).get(q("val")))
        assert int(font.find("w:sig", NS).get(q("csb0")), 16) & (1 << 18)               # GB2312 code page
    used = {f.get(q("eastAsia")) for f in pkg.document.iter(q("rFonts"))} - {None}
    assert used <= set(FONT_TABLE)


# Families the alias file may name, and the Debian package that ships each.
DEBIAN_FAMILIES = {
    "Noto Sans CJK SC": "fonts-noto-cjk", "Noto Serif CJK SC": "fonts-noto-cjk",
    "AR PL UMing CN": "fonts-arphic-uming", "AR PL UKai CN": "fonts-arphic-ukai",
    "WenQuanYi Zen Hei": "fonts-wqy-zenhei",
}


def _aliases() -> dict[str, list[str]]:
    root = etree.parse(str(FONTCONFIG_FILE)).getroot()
    out = {a.findtext("family"): [f.text for f in a.findall("prefer/family")] for a in root.iter("alias")}
    for match in root.iter("match"):
        out[match.findtext("test/string")] = [s.text for s in match.findall("edit[@name='family']/string")]
    return out


def test_alias_file_is_packaged_and_names_debian_families():
    assert FONTCONFIG_FILE.is_file()
    aliases = _aliases()
    for official in ("黑体", "仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "宋体", "SimHei", "FangSong"):
        assert aliases.get(official), official
        assert set(aliases[official]) <= set(DEBIAN_FAMILIES), official
    # 黑体 goes to a sans, the body's 仿宋 to a serif: the heading cannot look like the body.
    assert aliases["黑体"][0].startswith("Noto Sans") and "Serif" in aliases["仿宋_GB2312"][0]
    assert aliases["楷体_GB2312"][0] == "AR PL UKai CN"
    weight = etree.parse(str(FONTCONFIG_FILE)).getroot().find("match/edit[@name='weight']/const")
    assert weight.text == "bold"                                         # 小标宋 is a heavy face


# ---------------------------------------------------------------- LibreOffice (slow)


def _installed(family: str) -> bool:
    out = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True)
    return bool(out.stdout.strip())


@pytest.fixture(scope="module")
def lo_pdf(tmp_path_factory) -> Path:
    for tool in ("soffice", "pdffonts", "pdftohtml", "fc-list"):
        if shutil.which(tool) is None:
            pytest.skip(f"没有安装 {tool}（Debian：apt-get install libreoffice-writer-nogui "
                        "poppler-utils fontconfig），跳过字体回退测试")
    missing = [f for f in ("Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UKai CN") if not _installed(f)]
    if missing:
        pytest.skip(f"没有安装免费中文字体 {'、'.join(missing)}（Debian：apt-get install "
                    "fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming），跳过字体回退测试")
    tmp = tmp_path_factory.mktemp("fonts")
    # What the README tells a Linux user: the alias file in ~/.config/fontconfig/conf.d/.
    home = tmp / "home"
    conf_d = home / ".config" / "fontconfig" / "conf.d"
    conf_d.mkdir(parents=True)
    shutil.copy(FONTCONFIG_FILE, conf_d)
    src = tmp / "quoted.docx"
    src.write_bytes(to_docx(quoted_document()))
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    return tmp / "quoted.pdf"


def _faces(pdf: Path) -> list[tuple[str, str]]:
    """(text, font) for each text piece of page 1, the subset prefix (ABCDEF+) dropped."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, check=True).stdout
    page = etree.fromstring(xml, etree.XMLParser(recover=True)).find("page")
    fonts = {f.get("id"): f.get("family").split("+", 1)[-1] for f in page.iter("fontspec")}
    return [("".join(t.itertext()), fonts[t.get("font")]) for t in page.iter("text")]


@pytest.mark.slow
def test_pdf_heading_and_body_faces_differ(lo_pdf):
    listed = subprocess.run(["pdffonts", str(lo_pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+", 1)[-1] for line in listed.splitlines()[2:]}
    faces = _faces(lo_pdf)

    def face(start: str) -> str:
        return next(f for t, f in faces if t.startswith(start))

    body, heading, kai, title = face("根据州委"), face("一、"), face("（一）"), face("峨溪彝族")
    assert "Serif" in body and "Sans" in heading and "Kai" in kai, faces
    assert len({body, heading, kai}) == 3
    assert any("Bold" in n and "Serif" in n for n in names), listed     # 小标宋 → bold serif
    assert title.startswith("NotoSerif")


@pytest.mark.slow
def test_pdf_quotes_in_cjk_face(lo_pdf):
    faces = _faces(lo_pdf)
    pieces = [(t, f) for t, f in faces if re.search("[“”‘’]", t)]
    assert len("".join(t for t, _ in pieces).translate({ord(c): None for c in "“”‘’"})) > 10
    assert sum(len(re.findall("[“”‘’]", t)) for t, _ in pieces) == 8      # none lost
    for text, font in pieces:
        assert "CJK" in font, (text, font)       # not DejaVu / Liberation: a Latin face
