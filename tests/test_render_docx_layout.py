"""The Word page as LibreOffice lays it out after GB/T 9704-2012: 22 lines of 28 characters,
page count, folio position (soffice, pdftotext and pdftoppm in child processes)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx_samples import long_document, realistic

from pipeline.model.document import Document
from pipeline.render.docx import to_docx

pytestmark = pytest.mark.slow

PNG = Path("/tmp/docx_page1.png")


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
