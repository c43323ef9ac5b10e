"""Fonts of the Word output: the GB/T 9704 names, how Word, WPS and LibreOffice find a
stand-in when a machine lacks them, and which characters must be set in the East Asian
font whatever the application guesses.

The document keeps the official names (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体).
Word and WPS pick a substitute from the font table entry (charset 86 = GB2312, PANOSE,
family, code-page bits); LibreOffice on Linux asks fontconfig, which the alias file
`fontconfig/60-zongjie-gongwen.conf` beside this module answers with free CJK faces.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["LATIN", "FANGSONG", "KAITI", "HEITI", "XIAOBIAOSONG", "SONGTI", "FONT_TABLE",
           "THEME_ATTRS", "FONTCONFIG_FILE", "set_fonts", "east_asian_segments", "add_font_table"]

LATIN = "Times New Roman"
FANGSONG, KAITI, HEITI = "仿宋_GB2312", "楷体_GB2312", "黑体"
XIAOBIAOSONG, SONGTI = "方正小标宋简体", "宋体"

FONTCONFIG_FILE = Path(__file__).with_name("fontconfig") / "60-zongjie-gongwen.conf"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _qn(name: str) -> str:
    return _W + name


# name → (altName, PANOSE-1, w:family, w:pitch). altName is the face Windows ships under
# another name (仿宋 for 仿宋_GB2312 since Windows Vista); PANOSE, family and pitch are what
# Word writes for the Windows faces and what Word and WPS match on when neither name is
# installed. LibreOffice ignores them (measured: same fallback face with or without), hence
# the fontconfig alias file.
FONT_TABLE: dict[str, tuple[str, str, str, str]] = {
    FANGSONG: ("仿宋", "02010609060101010101", "modern", "fixed"),
    KAITI: ("楷体", "02010609060101010101", "modern", "fixed"),
    HEITI: ("SimHei", "02010609060101010101", "modern", "fixed"),
    XIAOBIAOSONG: ("宋体", "02000000000000000000", "auto", "variable"),
    SONGTI: ("SimSun", "02010600030101010101", "auto", "variable"),
}
# Code pages: bit 18 of csb0 is GB2312 (Simplified Chinese), bit 0 Latin 1; the Unicode
# ranges are those of SimSun (CJK ideographs, CJK punctuation, general punctuation).
_SIG = {"usb0": "00000003", "usb1": "288F0000", "usb2": "00000016", "usb3": "00000000",
        "csb0": "00040001", "csb1": "00000000"}

# Characters Unicode shares between Chinese and Latin text: Word sets them in the Latin
# font unless told otherwise, LibreOffice gives them the script of their neighbour (so a
# quote after a digit or at a paragraph's start goes Latin). In Chinese text they are
# full-width marks: “”‘’ quotes, —— dash, …… ellipsis, · 间隔号, and a few symbols.
_SHARED = "\u2018\u2019\u201c\u201d\u2014\u2015\u2026\u00b7\u2016\u2030\u2103\u00b0\u00d7\u00f7\u203b"
_SHARED_RUN = re.compile(f"[{_SHARED}]+")


def east_asian_segments(text: str) -> list[tuple[str, bool]]:
    """Split text into (segment, forced) where forced segments are runs of shared marks
    that must be set in the East Asian font. Concatenated, the segments give `text`."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _SHARED_RUN.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


def set_fonts(rPr, east_asia: str, latin: str = LATIN, *, forced: bool = False) -> None:
    """Explicit fonts on a run or style: theme fonts removed (they override explicit ones),
    w:hint="eastAsia" so that Word resolves shared characters to the East Asian slot. A
    forced run (shared marks only) names the East Asian font in every slot, so whichever
    script an application assigns, the mark is drawn by a CJK face."""
    fonts = rPr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        fonts.attrib.pop(_qn(attr), None)
    latin = east_asia if forced else latin
    for attr, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        fonts.set(_qn(attr), name)
    fonts.set(_qn("hint"), "eastAsia")


def add_font_table(word) -> None:
    """One w:font entry per GB/T 9704 face, children in schema order."""
    from lxml import etree

    part = next(p for p in word.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, (alt, panose, family, pitch) in FONT_TABLE.items():
        font = etree.SubElement(root, _qn("font"), {_qn("name"): name})
        for tag, val in (("altName", alt), ("panose1", panose), ("charset", "86"),
                         ("family", family), ("pitch", pitch)):
            etree.SubElement(font, _qn(tag), {_qn("val"): val})
        etree.SubElement(font, _qn("sig"), {_qn(k): v for k, v in _SIG.items()})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
