"""The annotated-article site, tested in a real browser: Debian's Chromium, driven by
Playwright, loading the pages from file://."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import datapkg
from datapkg.render import site

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def spans_in_the_data() -> set[str]:
    """Every distinct span of the data, computed here independently of the renderer."""
    t = datapkg.load()
    found = set()
    for kind, table in (("mention", "mentions"), ("statement", "statements"),
                        ("commitment", "commitments"), ("figure", "figures"),
                        ("event", "events")):
        found |= {f"{kind}-{s}-{e}" for s, e in zip(t[table]["start"], t[table]["end"])}
    for table in ("statements", "statement_attributions"):
        cues = t[table].dropna(subset=["cue_start"])
        found |= {f"cue-{s}-{e}" for s, e in zip(cues["cue_start"], cues["cue_end"])}
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the site tests: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a page of the site; collect console errors and every request it makes."""
    pages = []

    def opener(name: str):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.errors, page.requests = [], []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto((SITE / name).as_uri())
        pages.append(page)
        return page

    yield opener
    for page in pages:
        assert page.errors == [], page.errors
        assert all(u.startswith(("file://", "data:")) for u in page.requests), page.requests
        page.close()


def test_the_committed_site_is_the_rendered_one():
    for name, data in site().items():
        assert (SITE / name).read_bytes() == data, name
    assert sorted(site()) == sorted(p.name for p in SITE.iterdir())


def test_every_span_in_the_data_has_exactly_one_highlight(open_page):
    page = open_page("index.html")
    highlights = page.eval_on_selector_all("mark[data-first]", "els => els.map(e => e.dataset.span)")
    assert len(highlights) == len(set(highlights))
    assert set(highlights) == spans_in_the_data()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)


def test_clicking_a_highlight_shows_the_rows_behind_it(open_page):
    page = open_page("index.html")
    figures = datapkg.load_table("figures").set_index("figure_id")
    start, end = figures.loc["000.f06", ["start", "end"]]
    page.click(f'mark[data-first][data-span="figure-{start}-{end}"]')
    details = page.locator("#details")
    assert details.is_visible()
    text = details.inner_text()
    assert "2,500-3,500" in text and "figures" in text
    assert "low\t2500" in text and "high\t3500" in text and "value" not in text.split("low")[0]
    statements = datapkg.load_table("statements").set_index("statement_id")
    start, end = statements.loc["000.st15", ["start", "end"]]
    page.focus(f'mark[data-first][data-span="statement-{start}-{end}"]')  # its words hold
    page.keyboard.press("Enter")  # other highlights, so open it from the keyboard
    text = page.locator("#details").inner_text()
    assert "Wang Yi + Mohammad Haneef Atmar + Shah Mahmood Qureshi ← Xinhua News Agency ← " \
           "The Associated Press" in text
    assert "quote type mixed" in text
    page.screenshot(path=str(SCREENSHOTS / "details.png"))


def test_hover_and_focus_show_a_summary(open_page):
    page = open_page("index.html")
    mentions = datapkg.load_table("mentions")
    wang = mentions[(mentions["actor_id"] == "000.wang_yi") & (mentions["text"] == "Wang")]
    start, end = wang.iloc[0][["start", "end"]]
    page.hover(f'mark[data-first][data-span="mention-{start}-{end}"]')
    assert page.locator("#summary").inner_text() == "Actor mention: Wang Yi (name)"
    page.focus(f'mark[data-first][data-span="mention-{start}-{end}"]')
    page.hover("h1")
    statements = datapkg.load_table("statements")
    start, end = statements.iloc[0][["cue_start", "cue_end"]]
    page.focus(f'mark[data-first][data-span="cue-{start}-{end}"]')
    assert page.locator("#summary").inner_text() == \
        "Reporting cue: introduces 000.st01 (China ← The Associated Press)"


def test_keyboard_reaches_every_highlight_and_enter_opens_it(open_page):
    page = open_page("index.html")
    expected = spans_in_the_data()
    reached = set()
    page.locator("body").focus()
    for _ in range(len(expected) + 40):
        page.keyboard.press("Tab")
        span = page.evaluate("document.activeElement.dataset.span || null")
        if span:
            reached.add(span)
        if reached == expected:
            break
    assert reached == expected
    page.keyboard.press("Enter")
    assert page.locator("#details").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus


def luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3])
    return sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
               for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b)))


def test_highlight_colours_pass_wcag_aa_and_differ_by_more_than_colour(open_page):
    page = open_page("index.html")
    styles = page.evaluate("""() => Array.from(new Set(Array.from(
        document.querySelectorAll('mark.hl')).map(e => e.classList[1]))).map(k => {
          const e = document.querySelector('mark.' + k); const s = getComputedStyle(e);
          return [k, s.color, s.backgroundColor, s.borderBottomStyle + s.outlineStyle +
                  s.fontStyle + s.fontWeight + s.textDecorationStyle];
        })""")
    assert len(styles) == 6
    for kind, color, background, _ in styles:
        lighter, darker = sorted((luminance(color), luminance(background)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, kind
    assert len({cue for *_, cue in styles}) == 6  # each kind has its own non-colour cue


def test_coverage_is_shown_for_every_body_sentence(open_page):
    page = open_page("index.html")
    badges = page.locator(".cov.cov-covered, .cov.cov-excused")
    coverage = datapkg.load_table("coverage")
    assert badges.count() - 2 == len(coverage)  # two badges are in the legend


def test_graph_is_inline_svg_drawn_at_build_time(open_page):
    page = open_page("index.html")
    assert page.locator("svg.graph circle").count() > 5
    assert page.locator("svg.graph title").first.text_content() == "Who says what to or about whom"


def test_tables_sort_and_carry_the_codebook_descriptions(open_page):
    page = open_page("tables.html")
    header = page.locator("#figures + p + .table-wrap th", has_text="low")
    assert header.get_attribute("title") == "Lower bound, for a range."
    header.locator("button").click()
    column = page.eval_on_selector_all(
        "#figures + p + .table-wrap tbody tr td:nth-child(11)", "tds => tds.map(t => t.textContent)")
    numbers = [float(x) for x in column if x]
    assert numbers == sorted(numbers)
    page.screenshot(path=str(SCREENSHOTS / "tables.png"))


def test_cite_page_copies_and_links_the_downloads(open_page):
    page = open_page("cite.html")
    assert "Version 0.1.0" in page.inner_text("main")
    page.click("button[data-copy=bibtex]")
    assert page.locator("#copy-status").inner_text() != ""
    for href in page.eval_on_selector_all("a[href^='../']", "as => as.map(a => a.getAttribute('href'))"):
        assert (SITE / href).resolve().is_file(), href
    page.screenshot(path=str(SCREENSHOTS / "cite.png"))
