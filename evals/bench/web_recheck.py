"""Benchmark: the review page's re-check round trip, measured from the browser.

Run: python -m evals.bench.web_recheck
     (the template draft of the largest fixture cut to its first 3,000 characters, checked
     against all of that fixture's records, on a uvicorn server on 127.0.0.1, in headless
     Chromium)
Target (issue 15): re-check of a 3,000-character draft well under 100 ms server-side.

Makes 20 edits (each changes one figure in the text, as a clerk would), and for each one
times the browser's round trip: the request, the server's check, the new marks and findings
put in the page. Prints the median and worst round trip and the server's own check time.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

EDITS = 20

_EDIT = """async (i) => {
  const lines = [...document.querySelectorAll('#paper .ln')].filter(l => /\\d/.test(l.textContent));
  const line = lines[i % lines.length];
  const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  let n; while ((n = walk.nextNode())) { if (/\\d/.test(n.data)) { n.data = n.data.replace(/\\d/, d => String((+d + 1) % 10)); break; } }
  return await new Promise(ok => {
    document.addEventListener('rechecked', e => ok(e.detail), {once: true});
    window.zongjieRecheck();
  });
}"""


def main() -> int:
    from playwright.sync_api import sync_playwright
    from web_server import running

    from pipeline import draft, load_records
    from pipeline.web import create_app

    records_path = ROOT / "fixtures" / "scale_160.yaml"
    text = draft(load_records(records_path)[0]).markdown
    cut = text[:text.index("\n", 3000) + 1]  # whole lines, at least 3,000 characters
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("未安装 Chromium，无法测量")
        return 2
    with tempfile.TemporaryDirectory() as tmp, running(create_app(Path(tmp))) as url, sync_playwright() as p:
        draft_path = Path(tmp) / "draft.md"
        draft_path.write_text(cut, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url + "/")
        page.set_input_files("input[name=draft]", str(draft_path))
        page.set_input_files("form[action='/check'] input[name=records]", str(records_path))
        page.click("form[action='/check'] button")
        page.wait_for_selector("#paper")
        page.evaluate(_EDIT, 0)  # warm-up: the first request opens the connection
        results = [page.evaluate(_EDIT, i + 1) for i in range(EDITS)]
        browser.close()
    trips = sorted(r["ms"] for r in results)
    server = sorted(r["server"] for r in results)
    cpu = sorted(r["cpu"] for r in results)
    print(f"web re-check, {len(cut)}-character draft, {EDITS} edits ({platform.python_version()}, "
          f"{platform.machine()})")
    print(f"browser round trip   median {statistics.median(trips):7.1f} ms   max {trips[-1]:7.1f} ms")
    print(f"server check (wall)  median {statistics.median(server):7.1f} ms   max {server[-1]:7.1f} ms")
    print(f"server check (CPU)   median {statistics.median(cpu):7.1f} ms   max {cpu[-1]:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
