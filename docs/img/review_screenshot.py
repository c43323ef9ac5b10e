"""Makes docs/img/review.png, the README's picture of the review page, from the real page.

Run: python docs/img/review_screenshot.py
Drafts the bundled 柏溪县 ledger, changes one figure the way a clerk might (28个 → 29个), waits
for the re-check, clicks the changed figure so the side panel shows its record, and
screenshots the page in headless Chromium.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    from playwright.sync_api import sync_playwright
    from web_server import running

    from pipeline.web import create_app

    out = ROOT / "docs" / "img" / "review.png"
    with tempfile.TemporaryDirectory() as tmp, running(create_app(Path(tmp))) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url + "/")
        page.select_option("select[name=example]", "柏溪县台账.xlsx")
        page.click("#draft-form button")
        page.wait_for_selector("#paper")
        fact = page.locator(".fact", has_text=re.compile(r"^28个$")).first
        box = fact.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
        page.keyboard.press("Delete")
        page.keyboard.type("9")
        page.wait_for_selector(".fd.error")
        page.locator(".fact.bad").first.click()
        page.mouse.move(5, 5)
        page.screenshot(path=str(out))
        browser.close()
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
