"""The site's weight and time to interactive, page by page, in headless Chromium.

    .venv/bin/python benchmarks/bench_site.py [--site DIR] [--repeat N]

For each page of the site and each width (1400 and 390 px), prints the bytes the page loads
(its HTML and the style sheet and script beside it) and the median, over N fresh loads from
file://, of the Performance API's domInteractive and domContentLoadedEventEnd (the page's
script has run by then) and loadEventEnd, in milliseconds.
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1400, 390)
TIMING = """() => { const t = performance.getEntriesByType('navigation')[0];
  return [t.domInteractive, t.domContentLoadedEventEnd, t.loadEventEnd]; }"""


def weight(page: Path) -> int:
    """The page and the files it links with href= or src= beside it (style sheet, script)."""
    text = page.read_text(encoding="utf-8")
    linked = set(re.findall(r'<(?:link|script)[^>]* (?:href|src)="([^"#]+)"', text))
    return page.stat().st_size + sum((page.parent / name).stat().st_size for name in linked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{'page':<40} {'bytes':>9} {'width':>5} {'interactive':>11} {'ready':>7} {'load':>7}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for page_file in sorted(args.site.glob("*.html")):
            for width in WIDTHS:
                runs = []
                for _ in range(args.repeat):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(page_file.as_uri(), wait_until="load")
                    runs.append(page.evaluate(TIMING))
                    page.close()
                medians = [statistics.median(r[i] for r in runs) for i in range(3)]
                print(f"{page_file.name:<40} {weight(page_file):>9} {width:>5} "
                      + " ".join(f"{m:>{w}.0f}" for m, w in zip(medians, (11, 7, 7))))
        browser.close()


if __name__ == "__main__":
    main()
