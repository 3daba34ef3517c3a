"""The annotated-article site, tested in a real browser: Debian's Chromium, driven by
Playwright, loading the pages from file:// at a wide (1400 px) and a narrow (390 px) width.
Expectations come from the data and the registry, never from constants of one article."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from damage import rows
from payloads import PAYLOADS, columns, hostile_package

import datapkg
from datapkg.build import build_package
from datapkg.graph import crossings, edges, layout
from datapkg.publish import with_manifest
from datapkg.registry import TABLES, spans
from datapkg.render import pages as render_pages
from datapkg.render import script_json, site, site_files
from datapkg.serve import server

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (1400, 390)
STRUCTURE = ("passages", "sentences")  # the article's shape, not highlights
REPEATED = ("acts",)  # an act's span is its statement's, commitment's or event's


def sources(path: Path | None = None) -> list[dict]:
    return datapkg.load_table("sources", path=path).to_dict("records")


def article(source_id: str) -> str:
    return f"article-{source_id}.html"


def first_article() -> str:
    return article(sources()[0]["source_id"])


def spans_in_the_data(t: dict, source_id: str) -> set[str]:
    """Every distinct span of one source, computed here from the data and the registry."""
    serial = source_id.split("_")[0]
    found = set()
    for name, table in TABLES.items():
        if name in STRUCTURE + REPEATED or "source_id" not in table.columns:
            continue
        rows = t[name][t[name]["source_id"] == source_id]
        for start, end, text in spans(table):
            kind = name if start == "span_start" else text.removesuffix("_text") + "s"
            spanned = rows.dropna(subset=[start])
            found |= {f"{serial}.{kind}-{s}-{e}" for s, e in zip(spanned[start], spanned[end])}
    return found


def natural(text: str) -> list[tuple]:
    """The natural order, written independently of the page's script: digit runs as numbers."""
    return [(0, int(part), len(part)) if part.isdigit() else (1, part)
            for part in re.findall(r"\d+|\D+", text.lower())]


def naturally(values, reverse: bool = False) -> list[str]:
    """Cells in natural order, empty cells last either way."""
    cells = ["" if pd.isna(v) else str(v) for v in values]
    return sorted((c for c in cells if c), key=natural, reverse=reverse) + [c for c in cells if not c]


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

    def opener(name: str, directory: Path = SITE, width: int = 1400, height: int = 900):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.errors, page.requests = [], []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto((directory / name.split("#")[0]).as_uri() + (
            "#" + name.split("#", 1)[1] if "#" in name else ""))
        pages.append(page)
        return page

    yield opener
    for page in pages:
        assert page.errors == [], page.errors
        assert all(u.startswith(("file://", "data:")) for u in page.requests), page.requests
        page.close()


def settles(page, condition: str) -> None:
    """Waits until ``condition`` (JavaScript) holds, failing after 5 s: focus and the panel
    follow a key, a click or a new address once its handlers have run (an address's only on
    the next turn of the event loop), later on a busy machine."""
    page.wait_for_function(condition, timeout=5000)


def focus_settles_on(page, element_id: str) -> None:
    settles(page, f"document.activeElement && document.activeElement.id === {json.dumps(element_id)}")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def in_viewport(page, selector: str, across: bool = True) -> bool:
    """Whether the element is on screen: from top to bottom, and across unless it is a table
    row (a wide table scrolls sideways)."""
    return page.eval_on_selector(selector, """(e, across) => { const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= -1 && r.bottom <= innerHeight + 1 &&
               (!across || (r.left >= -1 && r.right <= innerWidth + 1)); }""", across)


def all_layers_on(page) -> None:
    off = page.locator("button[data-layer][aria-pressed=false]")
    while off.count():
        off.first.click()


def test_the_committed_site_is_the_rendered_one():
    rendered = with_manifest(site())
    for name, data in rendered.items():
        assert (SITE / name).read_bytes() == data, name
    assert sorted(rendered) == sorted(p.name for p in SITE.iterdir())


# --- every source -----------------------------------------------------------------------

def test_the_index_lists_every_source_and_each_has_its_page(open_page):
    page = open_page("index.html")
    links = page.eval_on_selector_all("ul.sources a", "as => as.map(a => [a.getAttribute('href'), "
                                                      "a.textContent])")
    assert links == [[article(s["source_id"]), s["title"]] for s in sources()]
    screenshot(page, "index-1400.png")
    page.click("ul.sources a")
    assert page.locator("h1").inner_text() == sources()[0]["title"]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_span_in_the_data_has_exactly_one_highlight(open_page, width):
    t = datapkg.load()
    for source in sources():
        page = open_page(article(source["source_id"]), width=width)
        highlights = page.eval_on_selector_all("mark[data-first]", "els => els.map(e => e.id)")
        assert len(highlights) == len(set(highlights))
        assert set(highlights) == spans_in_the_data(t, source["source_id"])
        screenshot(page, f"article-{width}.png")
        page.screenshot(path=str(SCREENSHOTS / f"article-full-{width}.png"), full_page=True)


# --- details where you click -----------------------------------------------------------

def range_figure():
    figures = datapkg.load_table("figures")
    return figures[figures["kind"] == "range"].iloc[0]


def span_id(row, kind: str, start: str = "span_start", end: str = "span_end") -> str:
    return f"{row['source_id'].split('_')[0]}.{kind}-{row[start]}-{row[end]}"


def figure_page(open_page, width: int):
    """A range figure, its article's page at ``width``, and the selector of its highlight."""
    figure = range_figure()
    page = open_page(article(figure.source_id), width=width)
    return figure, page, f'[id="{span_id(figure, "figures")}"]'


@pytest.mark.parametrize("width", WIDTHS)
def test_clicking_a_highlight_opens_details_beside_it_in_codebook_order(open_page, width):
    figure, page, mark = figure_page(open_page, width)
    page.click(mark)
    details = page.locator("#details")
    assert details.is_visible() and in_viewport(page, "#details")
    assert in_viewport(page, mark)
    highlight, panel = (page.eval_on_selector(s, "e => e.getBoundingClientRect().toJSON()")
                        for s in (mark, "#details"))
    if width < 900:  # a bottom sheet: the highlight stays above it
        assert highlight["bottom"] <= panel["top"] and panel["width"] == width
    else:  # a side panel: the highlight stays beside it
        assert highlight["right"] <= panel["left"]
    table = TABLES["figures"]
    first = [*table.primary_key, "text"]
    expected = [table.field(c).description for c in
                [*first, *(c for c in table.columns if c not in first and c != "source_id")]
                if not pd.isna(figure[c])]
    titles = page.eval_on_selector_all("#details section.row > dl > dt",
                                       "dts => dts.map(d => d.getAttribute('title'))")
    assert titles == expected
    text = details.inner_text()
    assert figure.figure_id in text and figure.text in text
    assert f"{figure.low:g}" in text and f"{figure.high:g}" in text
    screenshot(page, f"details-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_escape_and_the_close_button_close_details_and_focus_returns(open_page, width):
    figure, page, mark = figure_page(open_page, width)
    place = f"{mark} .place"  # where the figure's words begin: a place, a tab stop
    back = f"document.activeElement === document.querySelector({json.dumps(place)})"
    page.focus(place)
    page.keyboard.press("Enter")
    assert page.locator("#details").is_visible()
    settles(page, "document.getElementById('details').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.locator("#details").is_hidden()
    settles(page, back)
    page.keyboard.press("Enter")
    page.click("#details button.close")
    assert page.locator("#details").is_hidden()
    settles(page, back)
    assert page.get_attribute("#details", "role") == "dialog"
    assert page.get_attribute("#details", "aria-labelledby") == "details-title"


def relayed_statement(t):
    links = t["statement_attributions"]
    relayed = links[links["role"] == "reporter"]["statement_id"]
    return t["statements"][t["statements"]["statement_id"].isin(relayed)].iloc[0]


def test_a_statement_shows_its_chain_and_links_to_its_rows(open_page):
    t = datapkg.load()
    statement = relayed_statement(t)
    links = t["statement_attributions"]
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    chain = links[links["statement_id"] == statement.statement_id].sort_values(
        "depth", ascending=False, kind="stable")
    expected = " ← ".join(" + ".join(names[a] for a in level["actor_id"])
                          for _, level in chain.groupby("depth", sort=False))
    page = open_page(article(statement.source_id))
    statement_span = span_id(statement, "statements")
    # its words may hold other highlights: open it by keyboard, from the place where its
    # words begin, and choose it in the list of the highlights there
    page.locator(f'[id="{statement_span}"] .place').first.focus()
    assert expected in page.locator("#summary").inner_text()
    page.keyboard.press("Enter")
    page.locator(f'#details .around a[data-span="{statement_span}"]').press("Enter")
    details = page.locator("#details")
    assert f"Attribution chains ({len(chain)} rows)" in details.inner_text()
    for actor in chain["actor_id"]:
        assert details.locator(f'a[href="tables.html#actors:{actor}"]').count()
    assert details.locator(
        f'a[href="tables.html#statements:{statement.statement_id}"]').count()
    details.locator("h4").first.scroll_into_view_if_needed()
    screenshot(page, "statement-details-1400.png")
    # a row the statement leads to, in the text: its link opens its own details
    commitments = t["commitments"][t["commitments"]["statement_id"] == statement.statement_id]
    figures = t["figures"][t["figures"]["statement_id"] == statement.statement_id]
    child = (commitments["commitment_id"].tolist() + figures["figure_id"].tolist())[0]
    details.locator(f'a[href="#{child}"]').first.click()
    # the panel follows the new address once its handler has run, on the next turn
    settles(page, "(document.querySelector('#details section.row h3 a') || {}).textContent"
                  f" === {json.dumps(child)}")
    assert page.locator("#details-title").is_visible()
    assert page.locator("#details section.row h3 a").first.inner_text() == child
    assert page.evaluate("location.hash") == f"#{child}"


def test_hover_and_focus_show_a_summary(open_page):
    t = datapkg.load()
    mentions, names = t["mentions"], dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    alone = mentions.drop_duplicates(["span_start", "span_end"], keep=False)  # one actor on the span
    mention = alone[alone["sentence_id"].notna()].iloc[0]
    page = open_page(article(mention.source_id))
    all_layers_on(page)
    span = f'[id="{span_id(mention, "mentions")}"]'
    page.hover(span)
    assert page.locator("#summary").inner_text() == \
        f"Actor mentions: {names[mention.actor_id]} ({mention.mention_type})"


def test_overlapping_spans_each_open_from_the_innermost(open_page):
    t = datapkg.load()
    statements, mentions = t["statements"], t["mentions"]
    statement = statements.iloc[0]
    start, end = mentions["span_start"], mentions["span_end"]
    inside = mentions[(mentions["source_id"] == statement.source_id)
                      & (start >= statement.span_start) & (end <= statement.span_end)
                      & ((start > statement.span_start) | (end < statement.span_end))]
    mention = inside.iloc[0]
    page = open_page(article(statement.source_id))
    page.click("button[data-layer=mentions]")
    page.click(f'[id="{span_id(mention, "mentions")}"]')
    around = page.locator("#details .around")
    assert statement.statement_id in around.inner_text()
    around.locator(f'a[href="#{span_id(statement, "statements")}"]').click()
    settles(page, "document.querySelector('mark.active') && document.querySelector("
                  f"'mark.active').id === {json.dumps(span_id(statement, 'statements'))}")
    assert page.locator("#details section.row h3 a").first.inner_text() == statement.statement_id


# --- layers -----------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_layers_switch_from_the_legend_and_the_default_is_quiet(open_page, width):
    page = open_page(first_article(), width=width)
    buttons = page.locator("button[data-layer]")
    pressed = page.eval_on_selector_all("button[data-layer]", "bs => bs.map(b => [b.dataset.layer, "
                                                              "b.getAttribute('aria-pressed')])")
    on = [k for k, p in pressed if p == "true"]
    assert on and len(on) <= len(pressed) / 2  # a quiet default
    style = """kind => Array.from(document.querySelectorAll('.article mark.k-' + kind)).map(m => {
        const s = getComputedStyle(m);
        return [s.backgroundColor, m.classList.contains('off'), m.getAttribute('tabindex')]; })"""
    for kind, state in pressed:
        before = page.evaluate(style, kind)
        assert all(off == (state != "true") for _, off, _ in before), kind
        buttons.filter(has=page.locator(f".k-{kind}")).click()
        after = page.evaluate(style, kind)
        if state == "true":  # switched off: plain text, out of the tab order
            assert all(bg == "rgba(0, 0, 0, 0)" and off for bg, off, _ in after), kind
            assert all(t in (None, "-1") for *_, t in after), kind
        else:
            assert all(bg != "rgba(0, 0, 0, 0)" and not off for bg, off, _ in after), kind
            assert all(t in (None, "0") for *_, t in after), kind
    screenshot(page, f"layers-switched-{width}.png")


def places_in_the_data(t: dict, source_id: str) -> list[tuple[str, list[str]]]:
    """Every place of one source with every layer shown, computed here from the data: each
    maximal run of the article's words (its passages) under the same set of spans, and not
    only spaces, as (its words, its spans outermost first: longest first, then in the
    legend's order)."""
    passages = t["passages"][t["passages"]["source_id"] == source_id]
    (seed,) = t["sources"][t["sources"]["source_id"] == source_id]["seed_path"]
    text = (datapkg.data_dir() / seed).read_text(encoding="utf-8")
    order = {kind: i for i, kind in enumerate(layer_kinds())}
    extents = []
    for span in spans_in_the_data(t, source_id):
        kind, start, end = re.fullmatch(r"[^.]+\.(.+)-(\d+)-(\d+)", span).groups()
        extents.append((int(start), int(end), kind, span))
    found, last = [], None
    for position in sorted({i for a, b in zip(passages["span_start"], passages["span_end"])
                            for i in range(a, b)}):
        over = sorted((s for s in extents if s[0] <= position < s[1]),
                      key=lambda s: (s[0], -s[1], order[s[2]]))
        ids = [s[3] for s in over]
        if ids and ids == last:
            found[-1][0].append(text[position])
        elif ids:
            found.append(([text[position]], ids))
        last = ids
    return [("".join(words), ids) for words, ids in found if "".join(words).strip()]


def layer_kinds() -> list[str]:
    """The kinds of highlight in the registry's order, as the page orders its legend."""
    from datapkg.render import LAYERS

    return list(LAYERS)


def rows_in_the_data(t: dict, source_id: str) -> set[tuple[str, str]]:
    """(table, key) of every row behind a highlight of one source."""
    found = set()
    for name, table in TABLES.items():
        if name in STRUCTURE + REPEATED or "source_id" not in table.columns:
            continue
        rows = t[name][t[name]["source_id"] == source_id]
        for start, _, _ in spans(table):
            for _, row in rows.dropna(subset=[start]).iterrows():
                found.add((name, ":".join(str(row[k]) for k in table.primary_key)))
    return found


FOCUSED = """() => { const e = document.activeElement;
  return {place: e.matches('.article .place'), label: e.getAttribute('aria-label'),
          link: e.matches('#details .around a') ? e.dataset.span : null,
          outline: getComputedStyle(e).outlineStyle}; }"""
SHOWN = """() => Array.from(document.querySelectorAll('#details section.row'),
    s => [s.dataset.table, s.querySelector('h3 a').textContent])"""


def test_the_keyboard_walks_every_place_and_every_row_behind_it(open_page):
    """Tab reaches every place once, in reading order, with a visible focus; Enter opens its
    details, which list every highlight over it, outermost first; Tab and Enter step through
    them, each showing its rows; Escape returns to the place, and Tab goes on to the next."""
    source_id = sources()[0]["source_id"]
    t = datapkg.load()
    expected = places_in_the_data(t, source_id)
    page = open_page(article(source_id))
    all_layers_on(page)
    page.locator("h1").click()
    reached, rows = [], set()
    for _ in range(len(expected) + 40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["place"]:
            if reached:
                break
            continue
        assert page.evaluate("document.activeElement.matches('.place.focused')")
        assert focused["outline"] != "none"  # a visible focus
        words, ids = expected[len(reached)]
        assert focused["label"] == words, len(reached)
        reached.append(words)
        page.keyboard.press("Enter")
        settles(page, "document.activeElement.id === 'details-title'")
        listed = page.eval_on_selector_all("#details .around a", "as => as.map(a => a.dataset.span)")
        assert listed == ids, words
        rows |= {tuple(r) for r in page.evaluate(SHOWN)}
        page.keyboard.press("Tab")  # the close button
        for span in ids:
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUSED)["link"] == span, words
            page.keyboard.press("Enter")
            assert page.evaluate(FOCUSED)["link"] == span, words
            assert page.get_attribute(f'#details .around a[data-span="{span}"]',
                                      "aria-current") == "true"
            rows |= {tuple(r) for r in page.evaluate(SHOWN)}
        page.keyboard.press("Escape")
        assert page.locator("#details").is_hidden()
        assert page.evaluate(FOCUSED)["label"] == words
    assert reached == [words for words, _ in expected]
    assert rows == rows_in_the_data(t, source_id)


def ax_node(page, selector: str) -> dict:
    """Chromium's own accessibility node of an element: role, name and description."""
    session = page.context.new_cdp_session(page)
    root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    (ax, *_) = session.send("Accessibility.getPartialAXTree", {"nodeId": node,
                                                              "fetchRelatives": False})["nodes"]
    session.detach()
    return {k: ax.get(k, {}).get("value") for k in ("role", "name", "description")}


def test_a_nested_place_reads_its_words_then_each_highlight_outermost_first(open_page):
    """A place inside several highlights (an actor's mention inside a statement): a button
    named by its words, described by each highlight's kind and summary, outermost first; its
    details are a dialog headed by those words, listing the highlights in the same order."""
    t = datapkg.load()
    source_id = sources()[0]["source_id"]
    mentions = t["mentions"]
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    places = places_in_the_data(t, source_id)
    nth, (words, ids) = next((n, p) for n, p in enumerate(places) if len(p[1]) >= 2
                             and ".statements-" in p[1][0] and ".mentions-" in p[1][-1])
    start, end = map(int, ids[-1].rsplit("-", 2)[1:])
    mention = mentions[(mentions["span_start"] == start) & (mentions["span_end"] == end)].iloc[0]
    page = open_page(article(source_id))
    all_layers_on(page)
    handle = page.locator(".article .place[tabindex='0']").nth(nth)
    handle.evaluate("e => e.setAttribute('data-probe', '')")
    node = ax_node(page, "[data-probe]")
    legend = dict(page.eval_on_selector_all("button[data-layer]", "bs => bs.map(b => "
                                            "[b.dataset.layer, b.querySelector('.swatch').textContent])"))
    kinds = [re.fullmatch(r"[^.]+\.(.+)-\d+-\d+", i).group(1) for i in ids]
    assert node["role"] == "button" and node["name"] == words
    described = node["description"]
    positions = [described.index(legend[k] + ": ") for k in kinds]
    assert positions == sorted(positions) and positions[0] == 0
    assert described.endswith(f"Actor mentions: {names[mention.actor_id]} ({mention.mention_type})")
    assert handle.aria_snapshot() == f'- button "{words}"'
    for kind, name in legend.items():  # the legend's toggles: buttons with a pressed state
        assert page.locator(f"button[data-layer={kind}]").aria_snapshot().startswith(
            f'- button "{name} ') and "[pressed]" in page.locator(
                f"button[data-layer={kind}]").aria_snapshot()
    handle.focus()
    page.keyboard.press("Enter")
    settles(page, "document.activeElement.id === 'details-title'")
    snapshot = page.locator("#details").aria_snapshot()
    lines = [line.strip() for line in snapshot.splitlines()]
    assert lines[0] == f'- dialog "“{words}”":'
    assert f'- heading "“{words}”" [level=2]' in lines
    assert '- navigation "Highlights on these words":' in lines
    links = re.findall(r'- link "([^"]+)"', page.locator("#details .around").aria_snapshot())
    assert len(links) == len(ids)
    assert all(link.startswith(legend[k] + " ") for link, k in zip(links, kinds)), (links, kinds)


AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Every rule of axe-core (shipped, pinned, by axe-playwright-python) that tests a WCAG 2.0 or
# 2.1 A or AA criterion, the experimental ones too (label-content-name-mismatch is one).
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'rule', values: axe.getRules()
    .filter(r => r.tags.some(t => tags.includes(t))).map(r => r.ruleId)}})
  .then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))"""


def axe_violations(page) -> list:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    return page.evaluate(AXE_RUN, list(AXE_TAGS))


@pytest.fixture(scope="module")
def plain_server():
    """The site over HTTP from 127.0.0.1, as a plain web server serves it: axe-core reads the
    style sheets (for css-orientation-lock), which a page from file:// may not."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(browser, plain_server, width):
    """Every page the site has, as it opens; the article page also with every layer shown
    and its details open on a nested place. A failure names each rule and its targets."""
    found, errors = {}, []
    names = [n for n in site_files(s["source_id"] for s in sources()) if n.endswith(".html")]
    for name in names:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(plain_server + name)
        found[name] = axe_violations(page)
        if name.startswith("article-"):
            all_layers_on(page)
            page.locator(".article .place[tabindex='0'][aria-describedby*=' ']").first.focus()
            page.keyboard.press("Enter")
            assert page.locator("#details").is_visible()
            found[name + " (every layer, details open)"] = axe_violations(page)
        page.close()
    assert errors == []
    assert {n: v for n, v in found.items() if v} == {}, "\n".join(
        f"{n}: {rule} at {', '.join(targets)}" for n, v in found.items() for rule, targets in v)


@pytest.mark.parametrize("name", ["article", "index.html", "tables.html", "codebook.html",
                                  "cite.html"])
def test_text_reflows_at_320_px_and_nothing_moves_for_reduced_motion(browser, name):
    """320 CSS px (1280 px at 400 %, 640 px at 200 %): the page never scrolls sideways, only a
    wide table inside its own scrolling region does; a reader who asks for reduced motion
    gets no animation or transition, and no smooth scrolling."""
    page = browser.new_page(viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    page.goto((SITE / (first_article() if name == "article" else name)).as_uri())
    if name == "article":
        all_layers_on(page)
        page.locator(".article .place[tabindex='0']").first.click()
        assert page.locator("#details").is_visible()
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('main *')).filter(e => {
        const r = e.getBoundingClientRect();
        return r.width && r.right > innerWidth + 1 && !e.closest('.table-wrap'); })
        .map(e => e.outerHTML.slice(0, 80))""")
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate("""() => Array.from(document.querySelectorAll('*')).every(e => {
        const s = getComputedStyle(e);
        return s.animationName === 'none' && parseFloat(s.transitionDuration) === 0 &&
               s.scrollBehavior === 'auto'; })""")
    page.close()


def luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3])
    return sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
               for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b)))


def test_highlight_colours_pass_wcag_aa_and_differ_by_more_than_colour(open_page):
    page = open_page(first_article())
    all_layers_on(page)
    styles = page.evaluate("""() => Array.from(new Set(Array.from(
        document.querySelectorAll('.article mark[data-first]')).map(e => e.classList[1]))).map(k => {
          const e = document.querySelector('.article mark[data-first].' + k);
          const s = getComputedStyle(e);
          return [k, s.color, s.backgroundColor, s.borderBottomStyle + s.borderLeftStyle +
                  s.outlineStyle + s.fontStyle + s.fontWeight + s.textDecorationStyle +
                  s.letterSpacing];
        })""")
    kinds = page.eval_on_selector_all("button[data-layer]", "bs => bs.map(b => b.dataset.layer)")
    assert sorted(k.removeprefix("k-") for k, *_ in styles) == sorted(kinds)
    for kind, color, background, _ in styles:
        lighter, darker = sorted((luminance(color), luminance(background)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, kind
    assert len({cue for *_, cue in styles}) == len(styles)  # each kind its non-colour cue


def test_coverage_is_shown_for_every_body_sentence(open_page):
    source_id = sources()[0]["source_id"]
    page = open_page(article(source_id))
    coverage = datapkg.load_table("coverage")
    badges = page.locator(".article .cov")
    assert badges.count() == (coverage["source_id"] == source_id).sum()


# --- links that can be shared -----------------------------------------------------------

def keyed_rows(t, source_id):
    """One row of each table with a span, as (key, layer)."""
    for name, table in TABLES.items():
        if name in STRUCTURE + REPEATED or "span_start" not in table.columns \
                or "source_id" not in table.columns:
            continue
        rows = t[name][(t[name]["source_id"] == source_id) & t[name]["span_start"].notna()]
        if len(rows) and len(table.primary_key) == 1:
            yield rows.iloc[-1][table.primary_key[0]], rows.iloc[-1], name


@pytest.mark.parametrize("width", WIDTHS)
def test_a_permalink_scrolls_to_its_highlight_and_opens_its_details(open_page, width):
    t = datapkg.load()
    source_id = sources()[0]["source_id"]
    for key, row, kind in keyed_rows(t, source_id):
        page = open_page(f"{article(source_id)}#{key}", width=width)
        mark = f'[id="{span_id(row, kind)}"]'
        assert page.locator("#details").is_visible(), key
        assert key in page.locator("#details section.row h3").first.inner_text(), key
        assert page.evaluate("document.querySelector('mark.active').id") == span_id(row, kind)
        assert in_viewport(page, mark) and in_viewport(page, "#details"), key
        assert page.eval_on_selector(mark, "e => e.getBoundingClientRect().top") >= \
            page.eval_on_selector("#summary", "e => e.getBoundingClientRect().bottom"), key
        assert page.get_attribute(f"button[data-layer={kind}]", "aria-pressed") == "true"
    screenshot(page, f"permalink-{width}.png")


def test_table_rows_are_anchors_and_lead_back_to_the_text(open_page):
    t = datapkg.load()
    statement = t["statements"].iloc[-1]
    page = open_page(f"tables.html#statements:{statement.statement_id}")
    row = page.locator(f'[id="statements:{statement.statement_id}"]')
    focus_settles_on(page, f"statements:{statement.statement_id}")
    assert in_viewport(page, f'[id="statements:{statement.statement_id}"]', across=False)
    row.locator(f'a[href="{article(statement.source_id)}#{statement.statement_id}"]').click()
    # the article page loads, then opens the row's details: wait for them, failing if they
    # never show
    page.locator("#details").wait_for(state="visible", timeout=10_000)
    assert statement.statement_id in page.locator("#details section.row h3").first.inner_text()
    # a foreign key leads to the row it names
    page = open_page("tables.html")
    mention = t["mentions"].iloc[0]
    page.locator(f'[id="mentions:{mention.mention_id}"] a[href="#actors:{mention.actor_id}"]').click()
    focus_settles_on(page, f"actors:{mention.actor_id}")


# --- tables -----------------------------------------------------------------------------

def column_values(page, table: str, column: str) -> list[str]:
    index = page.eval_on_selector_all(f"table[data-table={table}] thead th",
                                      "ths => ths.map(t => t.textContent)").index(column)
    return page.eval_on_selector_all(f"table[data-table={table}] tbody tr:not([hidden])",
                                     f"trs => trs.map(r => r.cells[{index}].textContent)")


def sort_by(page, table: str, column: str) -> list[str]:
    page.locator(f"table[data-table={table}] thead th button", has_text=re.compile(
        f"^{column}$")).click()
    return column_values(page, table, column)


def test_ids_sort_in_natural_order_numbers_as_numbers_dates_as_dates(open_page):
    t = datapkg.load()
    page = open_page("tables.html")
    ids = t["mentions"]["mention_id"].tolist()
    assert sort_by(page, "mentions", "mention_id") == naturally(ids)
    assert sort_by(page, "mentions", "mention_id") == naturally(ids, reverse=True)
    assert naturally(ids) != sorted(ids)  # the data has ids where the two orders differ
    numbers = [f"{v:g}" for v in sorted(t["figures"]["low"].dropna())]
    assert sort_by(page, "figures", "low")[:len(numbers)] == numbers
    dates = t["figures"]["date_resolved"].dropna()
    assert sort_by(page, "figures", "date_resolved")[:len(dates)] == \
        sorted(d.isoformat() for d in dates)
    screenshot(page, "tables-1400.png")


def test_a_filter_box_filters_each_table_and_counts_in_words(open_page):
    t = datapkg.load()
    page = open_page("tables.html")
    statements = t["statements"]
    query = statements["statement_id"].iloc[0][:-1]  # a prefix several ids share
    shown = [c for c in TABLES["statements"].columns if c != "source_id" or len(t["sources"]) > 1]
    matching = statements[statements[shown].astype(str).apply(
        lambda col: col.str.lower().str.contains(query.lower(), regex=False)).any(axis=1)]
    section = page.locator("section#statements")
    section.locator("input[data-filter]").fill(query)
    assert set(column_values(page, "statements", "statement_id")) == set(matching["statement_id"])
    words = "1 row" if len(matching) == 1 else f"{len(matching)} rows"
    assert section.locator(".count").inner_text() == f"{words} of {len(statements)}"
    section.scroll_into_view_if_needed()
    screenshot(page, "tables-filtered-1400.png")
    one = statements["statement_id"].iloc[-1]
    if statements["statement_id"].str.contains(one, regex=False).sum() == 1:
        section.locator("input[data-filter]").fill(one)
        assert section.locator(".count").inner_text().startswith("1 row of ")
    section.locator("input[data-filter]").fill("")
    assert section.locator(".count").inner_text() == f"{len(statements)} rows"
    counts = page.eval_on_selector_all("section.table .count", "cs => cs.map(c => c.textContent)")
    assert counts == [f"{len(t[n])} row{'' if len(t[n]) == 1 else 's'}" for n in TABLES]


def test_source_id_is_shown_only_when_there_are_several_sources(open_page, corpus_site):
    page = open_page("tables.html")
    heads = page.eval_on_selector_all("thead th", "ths => ths.map(t => t.textContent)")
    assert ("source_id" in heads) == (len(sources()) > 1)
    page = open_page("tables.html", corpus_site)
    heads = page.eval_on_selector_all("table[data-table=statements] thead th",
                                      "ths => ths.map(t => t.textContent)")
    assert "source_id" in heads
    listed = {s["source_id"] for s in sources(corpus_site.parent / "data")}
    assert set(sort_by(page, "statements", "source_id")) == listed


def test_the_codebook_is_a_page_of_the_site(open_page):
    page = open_page("codebook.html")
    for name, table in TABLES.items():
        section = page.locator(f"section#{name}")
        assert table.title in section.locator("h2").inner_text()
        rows = section.locator("tbody tr")
        assert rows.count() == len(table.fields), name
        for f in table.fields:
            assert f.description in section.locator(f'[id="{name}.{f.name}"]').inner_text()
    page = open_page("tables.html")
    assert page.locator('a[href$=".md"]').count() == 0
    page.click("section#actors a[href='codebook.html#actors']")
    assert page.url.endswith("codebook.html#actors")


def download_links(directory: Path = SITE) -> set[str]:
    found = set()
    for name in ("cite.html", "tables.html", "codebook.html"):
        found |= set(re.findall(r'href="(\.\./data/[^"]+)"', (directory / name).read_text()))
    return found


def test_every_table_has_downloads_that_resolve_in_a_checkout(open_page):
    links = download_links()
    for name in TABLES:
        assert {f"../data/{name}.csv", f"../data/{name}.parquet"} <= links
    for href in links:
        assert (SITE / href).resolve().is_file(), href
    page = open_page("cite.html")
    assert "Version " + datapkg.__version__ in page.inner_text("main")
    page.click("button[data-copy=bibtex]")
    assert page.locator("#copy-status").inner_text() != ""
    screenshot(page, "cite-1400.png")


def test_downloads_resolve_where_the_installed_package_is_served(tmp_path):
    """An installed wheel holds the site and the package under its own names (pyproject's
    force-include); `datapkg serve` lays them out as a checkout does."""
    import tomllib

    from datapkg import paths

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"]["wheel"]["force-include"]
    installed = tmp_path / "datapkg"
    for source, target in include.items():
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, tmp_path / target)
        else:
            (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / source, tmp_path / target)
    assert (installed / paths.SHIPPED_SITE.name).is_dir()
    assert (installed / paths.SHIPPED_DATA.name).is_dir()
    with server(installed / paths.SHIPPED_SITE.name, installed / paths.SHIPPED_DATA.name) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/site/cite.html"
        try:
            for href in download_links():
                url = urllib.parse.urljoin(base, href)
                with urllib.request.urlopen(url) as answer:
                    assert answer.read() == (ROOT / "data" / href.removeprefix("../data/")
                                             ).read_bytes(), href
            for bad in ("/site/%2e%2e/%2e%2e/pyproject.toml", "/other/x", "/data/"):
                with pytest.raises(urllib.error.HTTPError, match="404"):
                    urllib.request.urlopen(f"http://127.0.0.1:{httpd.server_address[1]}{bad}")
            with urllib.request.urlopen(f"http://127.0.0.1:{httpd.server_address[1]}/") as answer:
                assert answer.url.endswith("/site/index.html")
        finally:
            httpd.shutdown()


def test_python_m_datapkg_serve_serves_the_site_and_its_downloads():
    command = subprocess.Popen([sys.executable, "-m", "datapkg", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = re.search(r"open (http://\S+)", command.stdout.readline()).group(1)
        with urllib.request.urlopen(url) as answer:
            assert answer.read() == (SITE / "index.html").read_bytes()
        with urllib.request.urlopen(urllib.parse.urljoin(url, "../data/sources.csv")) as answer:
            assert answer.read() == (ROOT / "data" / "sources.csv").read_bytes()
    finally:
        command.terminate()
        command.wait(timeout=10)


def test_the_served_site_works_under_its_content_security_policy(browser):
    """`datapkg serve` sends a policy that runs only the site's own files: every page still
    loads its style sheet and runs its script, with no violation reported."""
    with server(SITE, ROOT / "data") as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/site/"
        try:
            for name in site_files(s["source_id"] for s in sources()):
                if not name.endswith(".html"):
                    continue
                page = browser.new_page()
                errors = []
                page.on("console", lambda m, errors=errors: m.type == "error" and
                        errors.append(m.text))
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                answer = page.goto(base + name)
                assert "default-src 'none'" in answer.headers["content-security-policy"]
                assert page.evaluate("document.styleSheets[0].cssRules.length") > 0, name
                if name.startswith("article-"):
                    page.click("mark.k-statements[data-first] >> nth=0")
                    assert page.locator("#details").is_visible()
                elif name == "tables.html":
                    page.locator("thead th button").first.click()
                    assert page.locator("th[aria-sort]").count() == 1
                elif name == "cite.html":
                    page.click("button[data-copy=bibtex]")
                    assert page.locator("#copy-status").inner_text() != ""
                assert errors == [], (name, errors)
                page.close()
        finally:
            httpd.shutdown()


# --- the graph --------------------------------------------------------------------------

def test_the_graph_layout_crosses_fewer_lines_than_alphabetical_order():
    t = datapkg.load()
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    lines = edges(t)
    left, right = layout(lines, names)
    alphabetical = (sorted({e.source for e in lines}, key=names.get),
                    sorted({e.target for e in lines}, key=names.get))
    assert crossings(lines, left, right) <= crossings(lines, *alphabetical)
    assert set(left) == {e.source for e in lines} and set(right) == {e.target for e in lines}


OVERLAPS = """() => {
  const svg = document.querySelector('svg.graph');
  const view = svg.viewBox.baseVal;
  const boxes = Array.from(svg.querySelectorAll('text')).map(t => t.getBBox());
  const outside = boxes.filter(b => b.x < view.x || b.y < view.y ||
      b.x + b.width > view.x + view.width || b.y + b.height > view.y + view.height).length;
  let overlaps = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
      overlaps++;
  }));
  const wrap = svg.parentElement.getBoundingClientRect(), drawn = svg.getBoundingClientRect();
  const size = parseFloat(getComputedStyle(svg.querySelector('text.node')).fontSize);
  return {outside, overlaps, labels: boxes.length,
          fits: drawn.left >= wrap.left - 1 && drawn.right <= wrap.right + 1,
          font: size * drawn.width / view.width};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_graph_labels_neither_overlap_nor_are_clipped(open_page, width):
    t = datapkg.load()
    source_id = sources()[0]["source_id"]
    lines = edges({n: f[f["source_id"] == source_id] if "source_id" in f else f
                   for n, f in t.items()})
    page = open_page(article(source_id), width=width)
    page.locator("#who-says-what").scroll_into_view_if_needed()
    measured = page.evaluate(OVERLAPS)
    nodes = len({e.source for e in lines}) + len({e.target for e in lines})
    assert measured["labels"] == nodes + 2  # every node's label and the two column headings
    assert measured["outside"] == 0 and measured["overlaps"] == 0 and measured["fits"]
    assert measured["font"] >= 10  # labels drawn at 10 px or more, even on a phone
    assert page.locator("ul.graph-legend li").count() >= 2
    assert page.locator("ul.graph-legend").is_visible()
    assert page.locator("details.graph-table tbody tr").count() == len(lines) \
        == page.locator("svg.graph path").count()
    screenshot(page, f"graph-{width}.png")


# --- two sources ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    """The site of a corpus of two articles: the real one and the tests' fictional one."""
    from test_corpus import corpus_checkout

    root = tmp_path_factory.mktemp("corpus-site")
    scripts, seeds = corpus_checkout(root)
    build_package(root / "data", scripts, seeds)
    (root / "site").mkdir()
    for name, content in render_pages(root / "data").items():
        (root / "site" / name).write_bytes(content)
    return root / "site"


def test_two_sources_have_two_pages_each_with_its_own_spans(open_page, corpus_site):
    data = corpus_site.parent / "data"
    t = datapkg.load(path=data)
    listed = sources(data)
    assert len(listed) >= 2
    page = open_page("index.html", corpus_site)
    assert page.eval_on_selector_all("ul.sources a", "as => as.map(a => a.getAttribute('href'))") \
        == [article(s["source_id"]) for s in listed]
    for source in listed:
        page = open_page(article(source["source_id"]), corpus_site)
        assert page.locator("h1").inner_text() == source["title"]
        ids = page.eval_on_selector_all("mark[data-first]", "els => els.map(e => e.id)")
        assert set(ids) == spans_in_the_data(t, source["source_id"])
        assert all(i.startswith(source["source_id"].split("_")[0] + ".") for i in ids)
        page.locator("mark[data-first]:not(.off)").first.click()
        assert page.locator("#details").is_visible()


# --- hostile data ------------------------------------------------------------------------
# What the pages are made of; anything else in a page came from the data.
TAGS = {"html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer",
        "script", "a", "p", "strong", "h1", "h2", "div", "section", "article", "span", "mark",
        "ul", "li", "pre", "code", "button", "table", "thead", "tbody", "tr", "th", "td",
        "svg", "path", "circle", "text", "tspan", "aside", "label", "input", "details", "summary", "br",
        "caption"}
ATTRIBUTES = {"lang", "charset", "name", "content", "rel", "href", "src", "type", "id", "class",
              "title", "role", "tabindex", "hidden", "scope", "aria-label", "aria-live",
              "aria-labelledby", "aria-modal", "aria-pressed", "aria-details", "aria-current",
              "aria-hidden", "data-kind",
              "data-span", "data-first", "data-copy", "data-layer", "data-source", "data-type",
              "data-table", "data-total", "data-filter", "download",
              "xmlns", "viewbox", "width", "height", "d", "fill", "x", "y", "cx", "cy", "r",
              "stroke", "stroke-opacity", "stroke-width", "stroke-dasharray", "text-anchor"}


def scripts_of(name: str) -> list[str]:
    return {"tables.html": ["tables.js"], "cite.html": ["cite.js"]}.get(
        name, ["article.js"] if name.startswith("article-") else [])


class Parts(HTMLParser):
    """A page taken apart: tags, attributes, comments, text, scripts and their contents."""

    def __init__(self, page: bytes):
        super().__init__()
        self.tags, self.attributes, self.comments, self.text = [], [], [], []
        self.scripts, self.script_text, self.in_script = [], [], False
        self.feed(page.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag == "script":
            self.scripts.append(dict(attrs))
            self.in_script = True

    def handle_endtag(self, tag):
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data):
        (self.script_text if self.in_script else self.text).append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def strings(value):
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


def test_inline_json_escapes_what_could_end_a_script():
    value = {"</script>": "<!--<script> & \u2028 \u2029 >"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_data_never_becomes_markup(package, payload):
    hostile_package(package, (payload,))
    pages = render_pages(package)  # the renderer alone: escaping holds without validation
    html = [n for n in pages if n.endswith(".html")]
    for name in html:
        parts = Parts(pages[name])
        assert set(parts.tags) <= TAGS, name
        assert {a for a, _ in parts.attributes} <= ATTRIBUTES, name
        assert parts.comments == [] and parts.tags.count("svg") <= 3, name
        inline = [{"type": "application/json", "id": "span-data"}] if scripts_of(name) == [
            "article.js"] else []
        assert parts.scripts == [*inline, *({"src": s} for s in scripts_of(name))], name
    assert all(any(payload in "".join(Parts(pages[n]).text) for n in html if n.startswith(p))
               for p in ("index", "article-", "tables", "cite"))  # the codebook shows no data
    source_id = rows(package, "sources")[0]["source_id"]  # the article the payload went into
    parts = Parts(pages[f"article-{source_id}.html"])
    assert any(v.startswith(payload) for a, v in parts.attributes if a == "data-kind")
    (data,) = parts.script_text
    assert not set("<>&") & set(data)
    assert any(payload in s for s in strings(json.loads(data)))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The site of a package with every payload in every column it shows, beside its data."""
    package = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", package)
    hostile_package(package)
    directory = package.parent / "site"
    directory.mkdir()
    for name, content in render_pages(package).items():
        (directory / name).write_bytes(content)
    return directory


INJECTED = """() => {
  const own = ["article.js", "tables.js", "cite.js"];
  const all = Array.from(document.querySelectorAll("*"));
  const urls = ["href", "src", "action", "formaction", "xlink:href"];
  return {
    pwned: typeof window.__pwned,
    handlers: all.flatMap(e => Array.from(e.attributes, a => a.name)).filter(n => /^on/i.test(n)),
    scripts: Array.from(document.scripts).filter(s => !own.includes(s.getAttribute("src")) &&
      !(s.id === "span-data" && s.type === "application/json")).map(s => s.outerHTML),
    embedded: Array.from(document.querySelectorAll(
      "img, iframe, object, embed, frame, svg svg, svg foreignObject"), e => e.outerHTML),
    comments: document.createTreeWalker(document, NodeFilter.SHOW_COMMENT).nextNode() !== null,
    urls: all.flatMap(e => urls.map(n => e.getAttribute(n))).filter(v => /^\\s*javascript:/i.test(v || "")),
  };
}"""
TEXT = """() => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const text = [];
  while (walk.nextNode()) {
    if (walk.currentNode.parentNode.nodeName !== "SCRIPT") text.push(walk.currentNode.data);
  }
  return text.join("\\n");
}"""


def assert_nothing_injected(page) -> None:
    assert page.evaluate(INJECTED) == {"pwned": "undefined", "handlers": [], "scripts": [],
                                       "embedded": [], "comments": False, "urls": []}
    name = page.url.split("#")[0].split("/")[-1]
    assert page.eval_on_selector_all("script", "s => s.length") == \
        len(scripts_of(name)) + (scripts_of(name) == ["article.js"])


def test_hostile_article_page_shows_the_data_as_text_and_works(open_page, hostile_site):
    source = sources(hostile_site.parent / "data")[0]  # the article the payloads went into
    page = open_page(article(source["source_id"]), hostile_site)
    assert_nothing_injected(page)
    page.click("button[data-layer=mentions]")
    text = page.evaluate(TEXT)
    assert all(p in text for p in PAYLOADS)
    passages = datapkg.load_table("passages", path=hostile_site.parent / "data")
    assert page.eval_on_selector_all("[data-kind]", "es => es.map(e => e.dataset.kind)") == \
        list(passages[passages["source_id"] == source["source_id"]]["kind"])
    mention = page.locator("mark[data-first].k-mentions").first
    mention.hover()
    assert any(p in page.locator("#summary").text_content() for p in PAYLOADS)
    mention.click()
    assert page.locator("#details").is_visible()
    assert PAYLOADS[0] in page.locator("#details").text_content()  # in the actor id
    all_layers_on(page)
    opened = page.eval_on_selector_all("mark[data-first]", """marks => marks.map(m => {
        m.click(); return document.querySelector("#details section.row") !== null &&
                          document.getElementById("details-title").textContent !== ""; })""")
    t = datapkg.load(path=hostile_site.parent / "data")
    assert len(opened) == len(spans_in_the_data(t, source["source_id"])) and all(opened)
    assert_nothing_injected(page)
    # every link the panels made leads inside the site
    hrefs = page.eval_on_selector_all("#details a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("#", "tables.html#")) for h in hrefs)
    page.locator("#details a[href^='#']").last.click()
    page.keyboard.press("Escape")
    settles(page, "document.activeElement.matches('.article .place[tabindex=\"0\"]')")
    for button in page.locator("button[data-layer]").all():
        button.click()
    assert_nothing_injected(page)
    for key in (PAYLOADS[0], source["source_id"].split("_")[0] + "." + PAYLOADS[1]):
        page = open_page(f"{article(source['source_id'])}#{key}", hostile_site)
        assert_nothing_injected(page)


def test_hostile_tables_codebook_and_cite_pages_show_the_data_as_text_and_work(open_page,
                                                                               hostile_site):
    page = open_page("tables.html", hostile_site)
    assert_nothing_injected(page)
    assert all(p in page.evaluate(TEXT) for p in PAYLOADS)
    t = datapkg.load(path=hostile_site.parent / "data")
    for name in TABLES:
        free = columns(name)[1]
        if not free:
            continue
        values = t[name][free[0]]
        assert sort_by(page, name, free[0]) == naturally(values), name
        assert sort_by(page, name, free[0]) == naturally(values, reverse=True), name
        page.locator(f"section#{name} input[data-filter]").fill(PAYLOADS[0])
    assert_nothing_injected(page)
    page = open_page(f"tables.html#statements:{t['statements']['statement_id'].iloc[0]}",
                     hostile_site)
    settles(page, "document.activeElement.tagName === 'TR'")
    assert_nothing_injected(page)
    for name in ("index.html", "codebook.html"):
        page = open_page(name, hostile_site)
        assert_nothing_injected(page)
    page = open_page("cite.html", hostile_site)
    assert_nothing_injected(page)
    text = page.evaluate(TEXT)
    for source in t["sources"].to_dict("records"):
        assert all(source[c] in text for c in ("title", "outlet", "blog", "wire_service", "url")
                   if not pd.isna(source[c]))
    released = json.loads((hostile_site.parent / "data" / "datapackage.json").read_text())["released"]
    assert (f"Version {PAYLOADS[-1]}, released {PAYLOADS[0][:10]}." if released
            else f"Version {PAYLOADS[-1]}, unreleased.") in text
    page.click("button[data-copy=bibtex]")
    assert page.locator("#copy-status").inner_text() != ""
    assert_nothing_injected(page)
