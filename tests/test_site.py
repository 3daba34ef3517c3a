"""The annotated-article site, tested in a real browser: Debian's Chromium, driven by
Playwright, loading the pages from file://."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from payloads import PAYLOADS, columns, hostile_package

import datapkg
from datapkg.registry import TABLES
from datapkg.render import pages as render_pages
from datapkg.render import script_json, site

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

    def opener(name: str, directory: Path = SITE):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.errors, page.requests = [], []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto((directory / name).as_uri())
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
    t = datapkg.load()
    figure = next(t["figures"].query("kind == 'range'").itertuples())
    page.click(f'mark[data-first][data-span="figure-{figure.start}-{figure.end}"]')
    details = page.locator("#details")
    assert details.is_visible()
    text = details.inner_text()
    assert figure.text in text and "figures" in text
    assert f"low\t{figure.low:g}" in text and f"high\t{figure.high:g}" in text
    assert "value" not in text.split("low")[0]
    # A statement with speakers at one depth, relayed: its chain reads innermost first.
    links = t["statement_attributions"]
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    relayed = links[links["role"] == "reporter"]["statement_id"]
    statement = next(t["statements"][t["statements"]["statement_id"].isin(relayed)].itertuples())
    chain = links[links["statement_id"] == statement.statement_id].sort_values(
        "depth", ascending=False, kind="stable")
    expected = " ← ".join(" + ".join(names[a] for a in level["actor_id"])
                          for _, level in chain.groupby("depth", sort=False))
    page.focus(f'mark[data-first][data-span="statement-{statement.start}-{statement.end}"]')
    page.keyboard.press("Enter")  # its words may hold other highlights: open it by keyboard
    text = page.locator("#details").inner_text()
    assert expected in text and f"quote type {statement.quote_type}" in text
    page.screenshot(path=str(SCREENSHOTS / "details.png"))


def test_hover_and_focus_show_a_summary(open_page):
    page = open_page("index.html")
    t = datapkg.load()
    mentions, names = t["mentions"], dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    alone = mentions.drop_duplicates(["start", "end"], keep=False)  # one actor on the span
    mention = alone[alone["sentence_id"].notna()].iloc[0]
    span = f'mark[data-first][data-span="mention-{mention.start}-{mention.end}"]'
    page.hover(span)
    assert page.locator("#summary").inner_text() == \
        f"Actor mention: {names[mention.actor_id]} ({mention.mention_type})"
    page.focus(span)
    page.hover("h1")
    statement = t["statements"].dropna(subset=["cue_start"]).iloc[0]
    page.focus(f'mark[data-first][data-span="cue-{statement.cue_start}-{statement.cue_end}"]')
    assert page.locator("#summary").inner_text().startswith(
        f"Reporting cue: introduces {statement.statement_id} (")


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


# --- hostile data ------------------------------------------------------------------------
# What the pages are made of; anything else in a page came from the data.
TAGS = {"html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer",
        "script", "a", "p", "strong", "h1", "h2", "div", "section", "article", "span", "mark",
        "ul", "li", "pre", "code", "button", "table", "thead", "tbody", "tr", "th", "td",
        "svg", "desc", "defs", "marker", "path", "line", "circle", "text"}
ATTRIBUTES = {"lang", "charset", "name", "content", "rel", "href", "src", "type", "id", "class",
              "title", "role", "tabindex", "hidden", "scope", "aria-label", "aria-live",
              "aria-labelledby", "data-kind", "data-span", "data-first", "data-copy",
              "xmlns", "viewbox", "refx", "refy", "markerwidth", "markerheight", "orient", "d",
              "fill", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "stroke",
              "stroke-opacity", "stroke-width", "stroke-dasharray", "marker-end",
              "text-anchor", "font-size"}
SCRIPTS = {"index.html": "article.js", "tables.html": "tables.js", "cite.html": "cite.js"}


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
    for name, script in SCRIPTS.items():
        parts = Parts(pages[name])
        assert set(parts.tags) <= TAGS, name
        assert {a for a, _ in parts.attributes} <= ATTRIBUTES, name
        assert parts.comments == [] and parts.tags.count("svg") <= 1, name
        inline = [] if name != "index.html" else [{"type": "application/json", "id": "span-data"}]
        assert parts.scripts == [*inline, {"src": script}], name
        assert payload in "".join(parts.text), name
    parts = Parts(pages["index.html"])
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
      "img, iframe, object, embed, frame, svg:not(.graph), svg svg"), e => e.outerHTML),
    comments: document.createTreeWalker(document, NodeFilter.SHOW_COMMENT).nextNode() !== null,
    urls: all.flatMap(e => urls.map(n => e.getAttribute(n))).filter(v => /^\\s*javascript:/i.test(v || "")),
  };
}"""
SORTED = """([v, sign]) => v.every((x, i) => !i || sign * v[i - 1].localeCompare(x) <= 0)"""
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
    assert page.eval_on_selector_all("script", "s => s.length") == (2 if "index" in page.url else 1)


def test_hostile_article_page_shows_the_data_as_text_and_works(open_page, hostile_site):
    page = open_page("index.html", hostile_site)
    assert_nothing_injected(page)
    text = page.evaluate(TEXT)
    assert all(p in text for p in PAYLOADS)
    passages = datapkg.load_table("passages", path=hostile_site.parent / "data")
    assert page.eval_on_selector_all("[data-kind]", "es => es.map(e => e.dataset.kind)") == \
        list(passages["kind"])
    mention = page.locator("mark[data-first].k-mention").first
    mention.hover()
    assert any(p in page.locator("#summary").text_content() for p in PAYLOADS)
    mention.click()
    assert page.locator("#details").is_visible()
    assert PAYLOADS[0] in page.locator("#details").text_content()  # in the actor id
    opened = page.eval_on_selector_all("mark[data-first]", """marks => marks.map(m => {
        m.click(); return document.querySelector("#details h3").textContent !== ""; })""")
    assert len(opened) == len(spans_in_the_data()) and all(opened)
    page.locator("mark[data-first]").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('mark[data-first].active')")
    assert_nothing_injected(page)


def test_hostile_tables_and_cite_pages_show_the_data_as_text_and_work(open_page, hostile_site):
    page = open_page("tables.html", hostile_site)
    assert_nothing_injected(page)
    assert all(p in page.evaluate(TEXT) for p in PAYLOADS)
    for name in TABLES:
        free = columns(name)[1]
        if not free:
            continue
        column = TABLES[name].columns.index(free[0])
        for sign in (1, -1):
            page.locator(f"#{name} + p + .table-wrap th button").nth(column).click()
            values = page.eval_on_selector_all(
                f"#{name} + p + .table-wrap tbody tr td:nth-child({column + 1})",
                "tds => tds.map(t => t.textContent)")
            assert page.evaluate(SORTED, [values, sign]), name
    assert_nothing_injected(page)
    page = open_page("cite.html", hostile_site)
    assert_nothing_injected(page)
    text = page.evaluate(TEXT)
    (source,) = datapkg.load_table("sources", path=hostile_site.parent / "data").to_dict("records")
    assert all(source[c] in text for c in ("title", "outlet", "blog", "wire_service", "url"))
    assert f"Version {PAYLOADS[-1]}, released {PAYLOADS[0][:10]}." in text
    page.click("button[data-copy=bibtex]")
    assert page.locator("#copy-status").inner_text() != ""
    assert_nothing_injected(page)
