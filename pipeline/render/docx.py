"""Stage 5, Word: Document → .docx bytes laid out after GB/T 9704-2012 《党政机关公文格式》.

A4, 版心 156 × 225 mm, 22 lines of 28 characters; title in 2号方正小标宋简体, body in
3号仿宋_GB2312, headings 黑体 / 楷体_GB2312 / 仿宋_GB2312, signature and date per §7.3.5.2
(no seal), page numbers “— 1 —” in 4号宋体 on the outer side. python-docx is imported
inside `to_docx` so that the CLI starts fast when no Word output is asked for.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re

from pipeline.model.document import Document, Paragraph
from pipeline.render.docx_fonts import (
    FANGSONG,
    HEITI,
    KAITI,
    LATIN,
    SONGTI,
    THEME_ATTRS,
    XIAOBIAOSONG,
    add_font_table,
    east_asian_segments,
    set_fonts,
)
from pipeline.text.chars import xml_safe

__all__ = ["to_docx", "title_lines", "signature_indents"]

# ---------------------------------------------------------------- geometry (twips)

PAGE_W, PAGE_H = 11906, 16838                      # A4
TOP, BOTTOM, LEFT, RIGHT = 2098, 1984, 1587, 1474  # 37 / 35 / 28 / 26 mm
LINE = 579                 # 28.95 pt: 22 lines fill the 225 mm block (22 × 579 ≤ 12756)
CHARS = 28
BODY_PT, TITLE_PT, FOLIO_PT = 16, 22, 14           # 3号, 2号, 4号
TEXT_W = PAGE_W - LEFT - RIGHT                     # 8845 twips = 156 mm
# 28 characters of 16 pt (8960 twips) are wider than the 156 mm block, so the grid pitch is
# 8845/28 twips: charSpace is the difference in 1/4096 pt from the docDefaults size (set
# to 16 pt for that reason). Rounded down: -841 leaves 27.9996 characters, i.e. 27.
CHAR_SPACE = math.floor((TEXT_W / CHARS / 20 - BODY_PT) * 4096)   # -842
# Snapped to those 15.8 pt cells, LibreOffice 7.4 gives each 16 pt character two cells
# (14 a line). So paragraphs do not snap to the character grid; they condense by 0.3 pt
# (1/20 pt units): 28 × 15.7 = 439.6 pt fits the 442.25 pt line in any application, with
# room for rounding (-0.25 pt measured 27 a line in LibreOffice).
CONDENSE = -6
# The footer distance is measured from the page edge to the bottom of the footer line.
# The page number's 一字线 should sit 7 mm below the text block (GB/T 9704 §7.5): the
# bottom margin minus 7 mm minus the distance from the line's bottom to the dash's middle
# in a single-spaced 14 pt line (about 2.5 mm). Measured on LibreOffice output, see tests.
FOOTER = BOTTOM - round(7 / 25.4 * 1440) - round(2.5 / 25.4 * 1440)   # 1446 ≈ 25.5 mm
HEADER = 851                                       # unused (no 版头), kept inside the margin

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def qn(tag: str) -> str:
    """“w:sz” → Clark notation (the one namespace used here; no python-docx import)."""
    return _W + tag.split(":", 1)[1]

# ---------------------------------------------------------------- title lines

TITLE_MAX = TEXT_W // (TITLE_PT * 20)              # 20 characters of 2号 per line
_DOC_TYPES = ("工作总结", "情况报告", "情况汇报", "总结", "报告", "汇报")
_YEAR = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})年度?")


def _width(text: str) -> float:
    """Width in characters: ASCII (digits, Latin, set in Times New Roman) is half."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def _breaks(title: str, county: str) -> list[set[int]]:
    """Allowed break positions, most natural first: after the place and the year, before
    the document type, before 关于 / 暨 / 《, after 的 and punctuation. The second tier
    (after common words) is still a word boundary; no tier cuts inside a word."""
    first: set[int] = set()
    if county and title.startswith(county):
        first.add(len(county))
    first.update(m.end() for m in _YEAR.finditer(title))
    for suffix in _DOC_TYPES:
        if title.endswith(suffix):
            first.add(len(title) - len(suffix))
            break
    # 关于 and 暨 open the phrase that follows: they start a line, never end one.
    first.update(m.start() for m in re.finditer(r"关于|暨|《", title))
    first.update(m.end() for m in re.finditer(r"[、，：；》]|的(?=[\u4e00-\u9fff]{2})", title))
    second = {m.end() for m in re.finditer(
        r"(?:活动|工作|宣传月|宣传周|月|建设|创建|进步|团结|发展|会议|情况|专项|行动)(?=[\u4e00-\u9fff])", title)}
    return [first, first | second]


def title_lines(title: str, county: str = "") -> list[str]:
    """Break a long title into lines of at most TITLE_MAX characters at natural points,
    as evenly as possible (GB/T 9704 asks for a trapezoid or diamond, not a full line and
    a stub). A title no break can fit stays one line: Word wraps it, but never mid-word by
    our doing."""
    title = title.strip()
    # The search below looks for at most four lines: a longer title has no split to find
    # (and the search grows with the cube of its cut points).
    if _width(title) <= TITLE_MAX or _width(title) > 4 * TITLE_MAX:
        return [title]
    for allowed in _breaks(title, county):
        cuts = sorted(p for p in allowed if 0 < p < len(title))
        best = _best_split(title, cuts)
        if best:
            return best
    return [title]


def _best_split(title: str, cuts: list[int]) -> list[str] | None:
    """Fewest lines, then the smallest widest line; a few cut points, so plain search."""
    best: tuple[int, float, list[str]] | None = None

    def walk(start: int, lines: list[str]) -> None:
        nonlocal best
        rest = title[start:]
        if _width(rest) <= TITLE_MAX:
            done = lines + [rest]
            key = (len(done), max(map(_width, done)))
            if best is None or key < best[:2]:
                best = (*key, done)
            return
        if len(lines) >= 3:
            return
        for cut in cuts:
            if cut > start and _width(title[start:cut]) <= TITLE_MAX:
                walk(cut, lines + [title[start:cut]])

    walk(0, [])
    return best[2] if best else None


# ---------------------------------------------------------------- signature (§7.3.5.2)

_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def signature_indents(unit: str, date: str) -> tuple[float, float]:
    """Right indents in characters for the unit and the date: the unit two characters in
    from the right, the date's first character two to the right of the unit's first; when
    the date is the longer line the date keeps the two characters and the unit moves in."""
    u, d = _width(unit), _width(date)
    if d <= u - 2:
        return 2.0, u - d
    return 4.0 + d - u, 2.0


# ---------------------------------------------------------------- rendering


def to_docx(doc: Document) -> bytes:
    import docx  # lazy: python-docx and lxml cost start-up time

    word = docx.Document()
    _page_setup(word)
    _styles(word)
    add_font_table(word)
    _body(word, doc)
    _footers(word)
    package = word.part.package          # the template's thumbnail shows someone else's page
    for rId in [r for r, rel in package.rels.items() if rel.reltype.endswith("/thumbnail")]:
        del package.rels[rId]
    props = word.core_properties
    props.title, props.language = _property(doc.title), "zh-CN"
    # Same document, same bytes: a batch resumed after a kill writes what a whole run does.
    props.created = props.modified = _issue_time(doc)
    props.author = props.last_modified_by = _property(doc.signature[0]) if doc.signature else ""
    props.comments = props.subject = props.keywords = ""   # the template's, not ours
    props.revision = 1
    out = io.BytesIO()
    word.save(out)
    return _fixed_zip(out.getvalue())


def _property(text: str) -> str:
    """A core property: python-docx refuses more than 255 characters, and a place or unit
    name may be longer; the document itself keeps the whole text."""
    return xml_safe(text)[:255]


def _issue_time(doc: Document) -> dt.datetime:
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", doc.signature[-1]) if doc.signature else None
    return dt.datetime(*map(int, m.groups())) if m else dt.datetime(doc.year, 1, 1)


def _fixed_zip(data: bytes) -> bytes:
    """The package with every member's timestamp fixed (zip stores the time of writing)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    return OxmlElement(tag, {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


# Word rejects a pPr whose children are out of schema order; python-docx knows the order
# only for the children it has properties for.
_PPR_ORDER = ("keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
              "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
              "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
              "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
              "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _ppr(pPr, *elements) -> None:
    for el in elements:
        name = el.tag.rsplit("}", 1)[1]
        old = pPr.find(qn(f"w:{name}"))
        if old is not None:
            pPr.remove(old)
        pPr.insert_element_before(el, *(f"w:{t}" for t in _PPR_ORDER[_PPR_ORDER.index(name) + 1:]))


def _page_setup(word) -> None:
    from docx.shared import Twips

    sec = word.sections[0]
    sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sec.top_margin, sec.bottom_margin = Twips(TOP), Twips(BOTTOM)
    sec.left_margin, sec.right_margin = Twips(LEFT), Twips(RIGHT)
    sec.header_distance, sec.footer_distance, sec.gutter = Twips(HEADER), Twips(FOOTER), 0
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = sec._sectPr.insert_element_before(_el("w:docGrid"), "w:printerSettings")
    for attr, value in (("type", "linesAndChars"), ("linePitch", LINE), ("charSpace", CHAR_SPACE)):
        grid.set(qn(f"w:{attr}"), str(value))
    word.settings.odd_and_even_pages_header_footer = True
    for el in word.settings.element.findall(qn("w:themeFontLang")):
        el.set(qn("w:eastAsia"), "zh-CN")


def _styles(word) -> None:
    root = word.styles.element
    # Theme fonts override explicit ones wherever they sit: strip them from every style
    # (used or not) and from docDefaults, then give docDefaults explicit fonts.
    for fonts in root.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    rPr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rPr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        rPr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))   # charSpace is relative to it
    rPr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    pPr = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    _ppr(pPr, _el("w:spacing", before=0, after=0, line=LINE, lineRule="exact"))
    # stylesWithEffects.xml still carries the theme fonts and Word 2010 reads it.
    for rId, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            word.part.drop_rel(rId)

    normal = _style(word, "Normal", FANGSONG, BODY_PT, "both", first_line=2)
    _ppr(normal.pPr, _el("w:widowControl", val=0))    # every full page carries 22 lines
    _style(word, "Title", XIAOBIAOSONG, TITLE_PT, "center", condense=0)
    for level, (font, bold) in HEADING_FONTS.items():
        style = _style(word, f"Heading {level}", font, BODY_PT, "both", first_line=2, bold=bold)
        _ppr(style.pPr, _el("w:keepNext"), _el("w:outlineLvl", val=level - 1))
    _style(word, "Footer", SONGTI, FOLIO_PT, None, latin=SONGTI, condense=0, line=None)


def _style(word, name: str, east_asia: str, size: int, jc: str | None, *, first_line: int = 0,
           bold: bool = False, latin: str = LATIN, condense: int = CONDENSE,
           line: int | None = LINE):
    """Rebuild a template style from nothing: its colours, borders and spacing are not
    ours. Returns the style element."""
    style = word.styles[name].element
    for el in style.findall(qn("w:pPr")) + style.findall(qn("w:rPr")):
        style.remove(el)
    spacing = {"line": line, "lineRule": "exact"} if line else {"line": 240, "lineRule": "auto"}
    # Off the character grid (see CONDENSE); a 22 pt title would take two cells a character.
    # Chars: Word and WPS show “2 字符”; the twips serve readers that ignore *Chars. Zero is
    # written out too, or Title and Footer inherit Normal's indent and sit off-centre.
    _ppr(style.get_or_add_pPr(), _el("w:snapToGrid", val=0),
         _el("w:spacing", before=0, after=0, **spacing),
         _el("w:ind", firstLine=first_line * size * 20, firstLineChars=first_line * 100),
         *([_el("w:jc", val=jc)] if jc else []))
    rPr = style.get_or_add_rPr()
    set_fonts(rPr, east_asia, latin)
    # In schema order; spacing 0 written out too, or Title and Footer inherit Normal's.
    for el in (_el("w:b", val=int(bold)), _el("w:i", val=0), _el("w:spacing", val=condense),
               _el("w:sz", val=size * 2), _el("w:szCs", val=size * 2)):
        rPr.append(el)
    return style


def _run(par, text: str, east_asia: str, *, bold: bool = False, latin: str = LATIN):
    """Text in runs of the given fonts; quotes and other marks Chinese shares with Latin
    text get runs of their own in the East Asian font (see docx_fonts). Returns the last."""
    run = None
    text = xml_safe(text)  # a control character from a model reply would make lxml refuse the run
    segments = east_asian_segments(text) if latin != east_asia else [(text, False)]
    for segment, forced in segments:
        run = par.add_run(segment)
        set_fonts(run._r.get_or_add_rPr(), east_asia, latin, forced=forced)
        if bold:
            run.bold = True
    return run


HEADING_FONTS = {1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True), 4: (FANGSONG, False)}


def _body(word, doc: Document) -> None:
    title = word.add_paragraph(style="Title")
    for i, line in enumerate(title_lines(doc.title, doc.county)):
        if i:
            title.add_run()._r.append(_el("w:br"))
        _run(title, line, XIAOBIAOSONG)
    word.add_paragraph()                               # one blank line after the title
    for para in doc.opening:
        _paragraph(word, para)
    for section in doc.sections:
        _run(word.add_paragraph(style="Heading 1"), section.heading_line, HEITI)
        for para in section.paragraphs:
            _paragraph(word, para)
    if doc.signature:
        # The unit and date never stand on a page of their own, nor part from each other.
        if word.paragraphs:
            _ppr(word.paragraphs[-1]._p.get_or_add_pPr(), _el("w:keepNext"))
        _ppr(word.add_paragraph()._p.get_or_add_pPr(), _el("w:keepNext"))   # 正文下空一行
        _signature(word, doc.signature)


def _paragraph(word, para: Paragraph) -> None:
    heading = para.heading
    if heading is not None and not para.sentences:
        font, bold = HEADING_FONTS[heading.level]
        _run(word.add_paragraph(style=f"Heading {heading.level}"), para.heading_text, font, bold=bold)
        return
    par = word.add_paragraph()
    if heading is not None:  # run in: the heading's font for it, the body's for the rest
        font, bold = HEADING_FONTS[heading.level]
        _run(par, para.heading_text, font, bold=bold)
    _run(par, "".join(s.text for s in para.sentences), FANGSONG)


def _signature(word, lines: list[str]) -> None:
    dated = bool(_DATE.match(lines[-1]))
    units = lines[:-1] if dated else lines
    unit_in, date_in = signature_indents(max(units, key=_width, default=""), lines[-1]) \
        if dated else (2.0, 2.0)
    for i, line in enumerate(lines):
        chars = date_in if dated and i == len(lines) - 1 else unit_in
        par = word.add_paragraph()
        # No automatic space around digits: the indents assume the date's real width.
        _ppr(par._p.get_or_add_pPr(),
             *([_el("w:keepNext")] if i < len(lines) - 1 else []),
             _el("w:autoSpaceDE", val=0), _el("w:autoSpaceDN", val=0),
             _el("w:ind", firstLine=0, firstLineChars=0, right=round(chars * BODY_PT * 20),
                 rightChars=round(chars * 100)),
             _el("w:jc", val="right"))
        _run(par, line, FANGSONG)


def _footers(word) -> None:
    """“— 1 —”: odd pages right with one character in, even pages left likewise."""
    sec = word.sections[0]
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.style = "Footer"
        _ppr(par._p.get_or_add_pPr(), _el("w:ind", **{side: FOLIO_PT * 20, f"{side}Chars": 100}),
             _el("w:jc", val=side))
        code = _el("w:instrText")
        code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        code.text = " PAGE "
        folio = lambda text="": _run(par, text, SONGTI, latin=SONGTI)  # noqa: E731 半角宋体
        folio("— ")
        folio()._r.append(_el("w:fldChar", fldCharType="begin"))
        folio()._r.append(code)
        folio()._r.append(_el("w:fldChar", fldCharType="separate"))
        folio("1")                                     # shown until the field is updated
        folio()._r.append(_el("w:fldChar", fldCharType="end"))
        folio(" —")
