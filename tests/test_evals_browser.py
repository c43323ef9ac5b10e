"""report.html opened in headless Chromium: it renders, with the drill-down's marked spans.
Skipped where no Chromium is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest
from conftest import FIXTURES, run_cli
from eval_suites import HANDWRITTEN, write


def _chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit RGB/RGBA, non-interlaced): width, height, rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, colour = body[8], body[9]
            assert depth == 8 and colour in (2, 6) and body[12] == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def test_the_html_report_renders_in_headless_chromium(tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("没有安装 chromium（Debian：apt-get install chromium），跳过浏览器测试")
    # a hand-written draft with a planted error, so the drill-down has a marked span
    records = shutil.copy(HANDWRITTEN / "liuxi_county_2024.yaml", tmp_path / "liuxi.yaml")
    text = (HANDWRITTEN / "liuxi_county_2024.md").read_text(encoding="utf-8")
    planted = re.sub(r"(\d+)人", lambda m: f"{int(m.group(1)) + 7}人", text, count=1)
    assert planted != text
    write(tmp_path / "liuxi.md", planted)
    suite = write(tmp_path / "s.yaml", f"""
description: 浏览器测试
fixtures: [{records}, {FIXTURES / "lanshui_county.yaml"}]
defaults: {{assertions: [no_errors, fact_precision >= 1.0]}}
variants:
  - {{name: 模板, backend: template}}
  - {{name: 手写稿, backend: handwritten}}
""")
    out = tmp_path / "run"
    assert run_cli("eval", str(suite), "--out", str(out)).returncode == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<mark class="error"' in html
    page = (out / "report.html").as_uri()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1280,2000", page],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 20_000
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    colours = {row[x:x + 3] for row in rows[::40] for x in range(0, len(row), 3 * 37)}
    assert len(colours) > 20  # not a blank page
    dom = subprocess.run([browser, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120).stdout
    assert "<table" in dom and "变体对比" in dom and "<svg" in dom
    assert '<details class="place"' in dom and '<mark class="error"' in dom
    assert "与记录不符" in dom or "记录" in dom
