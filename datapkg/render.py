"""The annotated-article site: a static, self-contained view of everything the dataset says
about its articles, written by `datapkg render` from the published package.

Pages: index.html (the sources), one article page per source (every span highlighted, in
layers that can be switched on and off, details beside the text, coverage, who says what),
tables.html (every table: sortable, filterable, each row an anchor, downloads),
codebook.html (every column of the registry) and cite.html (citation, downloads, version).
No CDN, no server: it works from file://. What a page shows of a table is what the registry
declares, so a new table or column appears without a change here.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from datapkg import citation, metadata
from datapkg._version import __version__
from datapkg.codebook import constraints
from datapkg.files import MAX_SEED_BYTES, read_inside, utf8_text
from datapkg.graph import graph_section, rows_word, scroller
from datapkg.loader import default_data_dir, load
from datapkg.paths import ASSETS
from datapkg.registry import CLAIMS, TABLES, Table, serial, spans
from datapkg.validate import require_valid

# Tables that give the article its shape (paragraphs, sentences) rather than highlights.
STRUCTURE = ("passages", "sentences")
# Tables whose spans are another table's: an act's is its statement's, commitment's or event's.
REPEATED = ("acts",)
# Layers shown when a page opens: few enough that the text reads as text.
DEFAULT_LAYERS = ("statements", "figures")
# Every piece of HTML or SVG is a Markup template filled by .format() or Markup.join, which
# escape each value unless it is Markup made the same way; inline JSON goes through
# script_json. Nothing reaches a page any other way.
# In JSON inside <script>, these characters are written as escapes.
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
ASSET_FILES = ("style.css", "article.js", "tables.js", "cite.js")


@dataclass(frozen=True)
class Layer:
    """One kind of highlight: a table's span, or one of its extra spans (a cue)."""

    kind: str
    label: str
    table: str
    start: str
    end: str


def layers() -> dict[str, list[Layer]]:
    """Every kind of highlight the registry declares, in registry order, which is also the
    order from outermost to innermost when two spans have the same extent (a commitment
    inside the statement it comes from). A table's own span is its layer; an extra span
    (``cue_start``…) is a layer shared by every table that has it, named by its text
    column's description."""
    found: dict[str, list[Layer]] = {}
    for name, table in TABLES.items():
        if name in STRUCTURE + REPEATED or "source_id" not in table.columns:
            continue
        for start, end, text in spans(table):
            own = start == "span_start"
            kind = name if own else text.removesuffix("_text") + "s"
            label = table.title if own else re.split(r"[,;:.]", table.field(text).description)[0]
            found.setdefault(kind, []).append(Layer(kind, label, name, start, end))
    return found


LAYERS = layers()
ORDER = {kind: i for i, kind in enumerate(LAYERS)}  # outermost first


@dataclass
class Span:
    """One highlight: a distinct (kind, start, end), with every row that rests on it."""

    serial: str
    kind: str
    start: int
    end: int
    rows: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.serial}.{self.kind}-{self.start}-{self.end}"


def json_value(value):
    """A cell as JSON can hold it: None for nulls, ISO dates, Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def cell(value) -> str:
    """A cell as a page shows it: empty for a null, numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def row_key(table: Table, row: dict) -> str:
    """A row's primary key as one string: its values joined by ':'."""
    return ":".join(cell(row[k]) for k in table.primary_key)


def label(name: str) -> str:
    """A column's name as a label: words, capitalised, ids as ID."""
    words = ["ID" if w == "id" else w for w in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def article_file(source_id: str) -> str:
    return f"article-{source_id}.html"


# --- what a highlight says ---------------------------------------------------------------

def chain_texts(links: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """Each statement's chain: speaker ← reporter ← article, innermost first (the actors of
    one depth joined by +, in the table's order)."""
    depths: dict[str, dict[int, list[str]]] = {}
    for row in records(links):
        if None not in (row["statement_id"], row["depth"], row["actor_id"]):
            depths.setdefault(row["statement_id"], {}).setdefault(row["depth"], []).append(
                names.get(row["actor_id"], row["actor_id"]))
    return {statement: " ← ".join(" + ".join(actors[depth])
                                  for depth in sorted(actors, reverse=True))
            for statement, actors in depths.items()}


def figure_amount(row: dict) -> str:
    if row["kind"] == "range":
        return f"{row['low']:g}–{row['high']:g}"
    if row["value"] is not None:
        return f"{row['value']:g}"
    return row["date_resolved"] or row["text"]


def summary(kind: str, table: str, row: dict, chains: dict[str, str],
            names: dict[str, str]) -> str:
    """One line about the row behind a highlight; the row's key where nothing more is known.
    ``chains`` are the statements' chains (``chain_texts``)."""
    if kind == "mentions":
        return f"{names.get(row['actor_id'], row['actor_id'])} ({row['mention_type']})"
    if kind == "statements":
        return f"{row['quote_type']} statement: {chains.get(row['statement_id'], '')}"
    if kind == "cues":
        chain = chains.get(row["statement_id"], "")
        if table == "statement_attributions":
            return f"{names.get(row['actor_id'], row['actor_id'])} relays {row['statement_id']} ({chain})"
        return f"introduces {row['statement_id']} ({chain})"
    if kind == "commitments":
        return f"{row['kind']} ({row['domain']}): {row['commitment_id']}"
    if kind == "figures":
        return f"{row['kind']}: {figure_amount(row)} {row['unit'] or ''} — {row['counted']}".strip()
    if kind == "events":
        return f"{row['kind']} ({row['status']}): {row['label']}"
    return row_key(TABLES[table], row)


# --- highlights ------------------------------------------------------------------------

def children_index(t: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[dict]]]:
    """For each table, its rows grouped by the parent key each single-column foreign key
    names: {parent table: {parent key: [{table, key, row}, ...]}}."""
    index: dict[str, dict[str, list[dict]]] = {}
    for name, table in TABLES.items():
        rows = records(t[name])
        for fk in table.foreign_keys:
            parent = TABLES[fk.table]
            if len(fk.fields) != 1 or fk.reference != parent.primary_key or fk.table == "sources":
                continue
            for row in rows:
                if row[fk.fields[0]] is not None:
                    index.setdefault(fk.table, {}).setdefault(cell(row[fk.fields[0]]), []).append(
                        {"table": name, "key": row_key(table, row), "row": row})
    return index


def collect_spans(t: dict[str, pd.DataFrame], source_id: str) -> list[Span]:
    """Every distinct span of one source's tables ``t``, each with the rows behind it."""
    found: dict[tuple, Span] = {}
    for kind, members in LAYERS.items():
        for layer in members:
            table = TABLES[layer.table]
            for row in records(t[layer.table]):
                if row[layer.start] is None:
                    continue
                start, end = int(row[layer.start]), int(row[layer.end])
                found.setdefault((kind, start, end), Span(serial(source_id), kind, start, end)) \
                    .rows.append({"table": layer.table, "key": row_key(table, row), "row": row})
    return sorted(found.values(), key=lambda s: (s.start, -s.end, ORDER[s.kind]))


def panel_rows(spans: list[Span], t: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    """What the details panel shows, each row once and without its nulls (the panel leaves
    them out) or its source: {table: {key: row}} for the rows behind the spans and the rows
    that refer to them, and {table: {key: [[table, key], ...]}}, the
    rows that refer to each."""
    index = children_index(t)
    rows: dict[str, dict[str, dict]] = {}
    children: dict[str, dict[str, list]] = {}
    for s in spans:
        for r in s.rows:
            below = index.get(r["table"], {}).get(r["key"], [])
            if below:
                children.setdefault(r["table"], {})[r["key"]] = [[c["table"], c["key"]]
                                                                 for c in below]
            for shown in (r, *below):
                rows.setdefault(shown["table"], {})[shown["key"]] = {
                    k: v for k, v in shown["row"].items() if v is not None and k != "source_id"}
    return rows, children


def mark(span: Span, first: bool) -> Markup:
    """A highlight's mark: what it is and where its colour starts, never a control itself
    (the places inside it are: nothing interactive nests inside anything interactive)."""
    if not first:
        return Markup('<mark class="hl k-{}" data-span="{}">').format(span.kind, span.id)
    return Markup('<mark class="hl k-{}" id="{}" data-span="{}" data-first>').format(
        span.kind, span.id, span.id)


def place(words: str, inside: bool) -> Markup:
    """Words between two span boundaries. Inside a highlight they are a place's piece: the
    page's script makes each maximal run of pieces under the same shown highlights one
    control (one tab stop), named by its words."""
    if inside and words:
        return Markup('<span class="place">{}</span>').format(words)
    return Markup.escape(words)


def nest(text: str, start: int, end: int, spans: list[Span]) -> Markup:
    """HTML of text[start:end] with the spans as nested marks and the words between two
    boundaries as places. A span that crosses the end of an enclosing one is split; only its
    first piece carries its id."""
    heap = [(s.start, -s.end, ORDER[s.kind], s.id, True, s) for s in spans
            if start <= s.start and s.end <= end]
    heapq.heapify(heap)
    out, stack, pos = [], [], start
    while heap or stack:
        next_start = heap[0][0] if heap else math.inf
        if stack and stack[-1] <= next_start:
            close = stack.pop()
            out.append(Markup("{}</mark>").format(place(text[pos:close], True)))
            pos = close
            continue
        piece_start, negative_end, order, span_id, first, span = heapq.heappop(heap)
        piece_end = -negative_end
        if stack and piece_end > stack[-1]:
            heapq.heappush(heap, (stack[-1], negative_end, order, span_id, False, span))
            piece_end = stack[-1]
        if piece_end <= piece_start:
            continue
        out.append(Markup("{}{}").format(place(text[pos:piece_start], bool(stack)),
                                         mark(span, first)))
        pos = piece_start
        stack.append(piece_end)
    out.append(Markup.escape(text[pos:end]))
    return Markup("").join(out)


def coverage_badge(row: dict) -> Markup:
    status = row["status"]
    sign = "✓" if status == "covered" else "○"
    claims = ", ".join(f"{row[k]} {k}" for k in CLAIMS if row[k])
    title = f"{row['sentence_id']}: {status}" + (f" ({claims})" if claims else
                                                   f" — {row['reason']}")
    return Markup('<span class="cov cov-{}" title="{}">{}{}</span>').format(
        status, title, row["sentence_id"].split(".", 1)[1], sign)


def article_html(text: str, t: dict[str, pd.DataFrame], spans: list[Span]) -> Markup:
    coverage = {r["sentence_id"]: r for r in records(t["coverage"])}
    sentences = records(t["sentences"])
    parts = []
    for passage in records(t["passages"]):
        inner = passage_html(text, passage, sentences, coverage, spans)
        tag = "h2" if passage["kind"] == "headline" else "p"
        parts.append(Markup('<{0} class="passage p-{1}" data-kind="{1}">{2}</{0}>').format(
            tag, passage["kind"], inner))
    return Markup("\n").join(parts)


def passage_html(text, passage, sentences, coverage, spans) -> Markup:
    inner = [s for s in sentences if s["passage_id"] == passage["passage_id"]]
    if not inner:
        return nest(text, passage["span_start"], passage["span_end"], spans)
    out, pos = [], passage["span_start"]
    for s in inner:
        out.append(nest(text, pos, s["span_start"], spans))
        out.append(coverage_badge(coverage[s["sentence_id"]]))
        out.append(nest(text, s["span_start"], s["span_end"], spans))
        pos = s["span_end"]
    out.append(nest(text, pos, passage["span_end"], spans))
    return Markup("").join(out)


# --- pages -------------------------------------------------------------------------------

NAV = (("index.html", "Articles"), ("tables.html", "Tables"), ("codebook.html", "Codebook"),
       ("cite.html", "Cite & download"))


def nav(current: str) -> Markup:
    return Markup("").join(
        Markup('<a href="{}" aria-current="page">{}</a>' if href == current else
               '<a href="{}">{}</a>').format(href, text) for href, text in NAV)


def page(title: str, body: Markup, script: str = "", current: str = "") -> str:
    """One page; the style sheet and the page's script are files beside it; ``current`` is
    the page's entry in the navigation, if it has one."""
    document = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<title>{title}</title>\n<link rel="stylesheet" href="style.css">\n'
        '</head>\n<body>\n'
        '<header><p><strong>{name}</strong> · version {version}</p>'
        '<nav aria-label="Pages">{nav}</nav>'
        '</header>\n<main>\n{body}\n</main>\n'
        "<footer><p>Data CC-BY-4.0 · code MIT · the article text stays its publisher's. "
        'Version {version}.</p></footer>\n{script}</body>\n</html>\n').format(
            title=title, name=metadata.TITLE, version=__version__, body=body, nav=nav(current),
            script=Markup('<script src="{}"></script>\n').format(script) if script else "")
    # Quotes spelled as html.escape spells them, as the committed site has always had them.
    return str(document).replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


def script_json(data) -> Markup:
    """JSON safe inside a <script> element: no <, > or & and no line separators as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, code in SCRIPT_UNSAFE.items():
        text = text.replace(char, code)
    return Markup(text)


def shown_fields(table: Table, sources: int) -> list[str]:
    """A table's columns as a page shows them: source_id only where there are several
    sources."""
    return [c for c in table.columns if c != "source_id" or sources > 1]


def panel_schema() -> dict:
    """What the details panel needs of the registry: per table its title, its fields in
    codebook order with the key and the text first (label, description), and where each
    single-column foreign key leads."""
    schema = {}
    for name, table in TABLES.items():
        first = [*table.primary_key, *(["text"] if "text" in table.columns else [])]
        order = [*first, *(c for c in table.columns if c not in first and c != "source_id")]
        schema[name] = {
            "title": table.title,
            "fields": [[c, label(c), table.field(c).description] for c in order],
            "links": {fk.fields[0]: fk.table for fk in table.foreign_keys
                      if len(fk.fields) == 1 and fk.table != "sources"},
        }
    return schema


def source_line(source: dict) -> str:
    parts = (source.get("outlet"), source.get("blog"), cell(source.get("published_date")),
             source.get("wire_service"))
    return " · ".join(p for p in parts if p)


def layer_switches(spans: list[Span]) -> Markup:
    counts = {kind: 0 for kind in LAYERS}
    for s in spans:
        counts[s.kind] += 1
    return Markup("").join(
        Markup('<button type="button" class="layer" data-layer="{0}" aria-pressed="{1}">'
               '<span class="swatch k-{0}">{2}</span> <span class="n">{3}</span></button>')
        .format(kind, "true" if kind in DEFAULT_LAYERS else "false", members[0].label,
                counts[kind])
        for kind, members in LAYERS.items() if counts[kind])


def descriptions(labels: dict[str, str]) -> Markup:
    """Each highlight's kind and summary, once: what a place's description (and the summary
    shown on hover) is made of."""
    return Markup("").join(Markup('<span id="about-{}">{}</span>').format(span_id, text)
                           for span_id, text in labels.items())


def article_page(source: dict, text: str, t: dict[str, pd.DataFrame],
                 names: dict[str, str]) -> str:
    spans = collect_spans(t, source["source_id"])
    chains = chain_texts(t["statement_attributions"], names)
    labels, data, keys = {}, {}, {}
    for s in spans:
        first = s.rows[0]
        labels[s.id] = f"{LAYERS[s.kind][0].label}: " + summary(
            s.kind, first["table"], first["row"], chains, names)
        data[s.id] = {"kind": s.kind, "label": LAYERS[s.kind][0].label,
                      "text": text[s.start:s.end],
                      "rows": [[r["table"], r["key"]] for r in s.rows]}
    for own in (True, False):  # a row's key leads to its own span before an extra one
        for s in spans:
            if (LAYERS[s.kind][0].start == "span_start") == own:
                keys.update({r["key"]: s.id for r in s.rows if r["key"] not in keys})
    rows, children = panel_rows(spans, t)
    coverage = t["coverage"]
    status = coverage["status"].value_counts()
    excused = [r for r in records(coverage) if r["status"] == "excused"]
    reasons = ("." if not excused else
               ": " + "; ".join(f"{r['sentence_id']} — {r['reason']}" for r in excused))
    body = Markup("""
<div id="summary">Hover over or tab to highlighted words for a summary; click them or press
Enter for every row behind them, Tab through that list, and Escape to return to the text.</div>
<h1>{title}</h1>
<p class="byline">{byline}</p>
<div class="layers" role="group" aria-labelledby="layers-title">
<p id="layers-title">Highlights — click to show or hide a kind:</p>
{switches}
<span class="key"><span class="cov cov-covered">s01✓</span> sentence covered</span>
<span class="key"><span class="cov cov-excused">s01○</span> sentence excused</span></div>
<p>{spans} highlights. Body sentences: {sentences}, of which
{covered} covered and {excused} excused{reasons}</p>
<article class="article" aria-label="The article" data-source="{source_id}">
{article}
</article>
<aside id="details" role="dialog" aria-modal="false" aria-labelledby="details-title" hidden>
<div class="details-head"><h2 id="details-title" tabindex="-1"></h2>
<button type="button" class="close" aria-label="Close the details">×</button></div>
<div class="details-body"></div>
</aside>
{graph}
<div id="about" hidden>{about}</div>
<script type="application/json" id="span-data">{data}</script>
""").format(title=source["title"], byline=source_line(source), switches=layer_switches(spans),
            spans=len(spans), sentences=len(coverage), covered=status.get("covered", 0),
            excused=status.get("excused", 0), reasons=reasons, source_id=source["source_id"],
            article=article_html(text, t, spans), graph=graph_section(t, names),
            about=descriptions(labels),
            data=script_json({"spans": data, "keys": keys, "tables": panel_schema(),
                              "rows": rows, "children": children}))
    return page(source["title"], body, "article.js")


def index_page(sources: list[dict], t: dict[str, pd.DataFrame]) -> str:
    items = Markup("").join(
        Markup('<li><a href="{}">{}</a><br><span class="byline">{}</span><br>'
               '<span class="counts">{}</span></li>').format(
            article_file(s["source_id"]), s["title"], source_line(s),
            " · ".join(f"{n}: {rows_word(int((t[n]['source_id'] == s['source_id']).sum()))}"
                       for n in CLAIMS))
        for s in sources)
    body = Markup('<h1>The articles</h1><p>{} curated, each annotated with every row that rests '
                  'on its words.</p><ul class="sources">{}</ul>').format(
                      "1 article" if len(sources) == 1 else f"{len(sources)} articles", items)
    return page("The articles", body, current="index.html")


def downloads(name: str) -> Markup:
    return Markup('<a href="../data/{0}.csv" download>CSV</a> · '
                  '<a href="../data/{0}.parquet" download>Parquet</a>').format(name)


def table_cell(table: Table, column: str, row: dict) -> Markup:
    """One cell; a foreign key links to the row it names, a row with a span to the text."""
    value = cell(row[column])
    links = {fk.fields[0]: fk.table for fk in table.foreign_keys if len(fk.fields) == 1}
    if value and column in links:
        return Markup('<td><a href="#{}:{}">{}</a></td>').format(links[column], value, value)
    if value and column == table.primary_key[0] and "span_start" in table.columns \
            and "source_id" in table.columns and row["span_start"] is not None \
            and table.name not in STRUCTURE:
        return Markup('<td><a href="{}#{}" title="Show in the article">{}</a></td>').format(
            article_file(row["source_id"]), row_key(table, row), value)
    return Markup("<td>{}</td>").format(value)


def table_section(table: Table, frame: pd.DataFrame, sources: int) -> Markup:
    join = Markup("").join
    shown = shown_fields(table, sources)
    head = join(Markup('<th scope="col" title="{}" data-type="{}"><button type="button">{}'
                       '</button></th>').format(table.field(c).description,
                                                 table.field(c).type, c) for c in shown)
    rows = join(Markup('<tr id="{}:{}">{}</tr>').format(
        table.name, row_key(table, row), join(table_cell(table, c, row) for c in shown))
        for row in records(frame))
    return Markup(
        '<section class="table" id="{0}" aria-labelledby="{0}-title">'
        '<h2 id="{0}-title">{0}</h2><p>{1} <a href="codebook.html#{0}">Codebook</a> · '
        'download {2}</p>'
        '<p class="filter"><label>Filter {0}: <input type="search" data-filter></label> '
        '<span class="count" aria-live="polite" data-total="{3}">{4}</span></p>'
        '{5}</section>').format(
            table.name, table.description, downloads(table.name), len(frame),
            rows_word(len(frame)), scroller(f"{table.name}-title", Markup(
                '<table class="sortable" data-table="{}"><thead><tr>{}</tr></thead>'
                '<tbody>{}</tbody></table>').format(table.name, head, rows)))


def tables_page(t: dict[str, pd.DataFrame]) -> str:
    sources = len(t["sources"])
    listing = Markup("").join(
        Markup('<li><a href="#{0}">{0}</a> ({1})</li>').format(n, rows_word(len(t[n])))
        for n in TABLES)
    intro = Markup('<h1>Tables</h1><p>Click a column name to sort; hover over it for its '
                   'description from the <a href="codebook.html">codebook</a>. Each row is an '
                   'anchor: link to it by its key.</p><ul>{}</ul>').format(listing)
    return page("Tables", Markup("\n").join(
        [intro, *(table_section(table, t[n], sources) for n, table in TABLES.items())]),
        "tables.js", "tables.html")


def codebook_section(table: Table, rows: int) -> Markup:
    join = Markup("").join
    keys = [Markup("Primary key: {}.").format(", ".join(table.primary_key))]
    if table.foreign_keys:
        keys.append(Markup("Foreign keys: {}.").format("; ".join(
            f"({', '.join(k.fields)}) → {k.table} ({', '.join(k.reference)})"
            for k in table.foreign_keys)))
    if table.joins:
        keys.append(Markup("Joins: {}").format(table.joins))
    fields = join(Markup('<tr id="{}.{}"><td><code>{}</code></td><td>{}</td><td>{}</td>'
                         '<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>').format(
        table.name, f.name, f.name, label(f.name), f.type, "yes" if f.required else "no",
        constraints(f).replace("`", ""), f.unit or "", f.description) for f in table.fields)
    return Markup(
        '<section id="{0}" aria-labelledby="{0}-title"><h2 id="{0}-title">{0}: {1}</h2>'
        '<p>{2} ({3}; download {4})</p><p>{5}</p>{6}</section>').format(
            table.name, table.title, table.description, rows_word(rows), downloads(table.name),
            Markup(" ").join(keys), scroller(f"{table.name}-title", Markup(
                '<table><thead><tr><th scope="col">column</th>'
                '<th scope="col">label</th><th scope="col">type</th><th scope="col">required</th>'
                '<th scope="col">constraints</th><th scope="col">unit</th>'
                '<th scope="col">description</th></tr></thead><tbody>{}</tbody></table>').format(
                    fields)))


def codebook_page(t: dict[str, pd.DataFrame]) -> str:
    listing = Markup("").join(Markup('<li><a href="#{0}">{0}</a>: {1} ({2})</li>').format(
        n, table.title, rows_word(len(t[n]))) for n, table in TABLES.items())
    intro = Markup(
        '<h1>Codebook</h1><p>Version {}. Every column of every table, as the registry declares '
        'it. Spans (<code>start</code>, <code>end</code>, and <code>cue_start</code>, '
        '<code>cue_end</code>) are 0-based Unicode code point offsets into the source\'s seed '
        'text, end excluded; the <code>text</code> beside them is the seed\'s slice, verbatim. '
        'In CSV a null is an empty field.</p><ul>{}</ul>').format(__version__, listing)
    return page("Codebook", Markup("\n").join(
        [intro, *(codebook_section(table, len(t[n])) for n, table in TABLES.items())]),
        current="codebook.html")


def cite_page(c: citation.Citation) -> str:
    files = Markup("").join(Markup("<li>{}: {}</li>").format(n, downloads(n)) for n in TABLES)
    body = Markup("""
<h1>Cite and download</h1>
<p>{status}.</p>
<h2>Plain text</h2>
<pre id="plain">{plain}</pre>
<button type="button" data-copy="plain">Copy plain text</button>
<h2>BibTeX</h2>
<pre id="bibtex">{bibtex}</pre>
<button type="button" data-copy="bibtex">Copy BibTeX</button>
<p id="copy-status" role="status"></p>
<h2>Downloads</h2>
<p>The package sits beside this site: <code>data/</code> next to <code>site/</code> in a
checkout or on a web server, and both inside the installed package, which
<code>datapkg serve</code> serves.</p>
<ul>
<li><a href="../data/datapackage.json">Data Package descriptor</a> ·
<a href="../data/croissant.json">Croissant metadata</a></li>
{files}
</ul>
""").format(status=c.status.capitalize(), plain=citation.plain(c),
            bibtex=citation.bibtex(c), files=files)
    return page("Cite and download", body, "cite.js", "cite.html")


def site_files(source_ids) -> list[str]:
    """The name of every file ``pages`` writes for a package of these sources."""
    return [*(name for name, _ in NAV), *ASSET_FILES, *map(article_file, source_ids)]


def site(directory: Path | None = None) -> dict[str, bytes]:
    """Every page of the site, from the package in ``directory`` once it passes validation
    (``InvalidPackage``, with every failure, when it does not)."""
    return pages(require_valid(Path(directory) if directory else default_data_dir()))


def of_source(t: dict[str, pd.DataFrame], source_id: str) -> dict[str, pd.DataFrame]:
    """The rows of one source; the corpus's own tables whole."""
    return {name: frame[frame["source_id"] == source_id].reset_index(drop=True)
            if "source_id" in frame else frame for name, frame in t.items()}


def pages(directory: Path) -> dict[str, bytes]:
    """Every page of the site from a package that has passed validation (the build renders
    the package it has just validated)."""
    t = load(path=directory)
    cite = citation.from_package(directory)
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    sources = records(t["sources"])
    pages = {"index.html": index_page(sources, t), "tables.html": tables_page(t),
             "codebook.html": codebook_page(t), "cite.html": cite_page(cite),
             **{name: (ASSETS / name).read_text(encoding="utf-8") for name in ASSET_FILES}}
    for source in sources:
        text = utf8_text(read_inside(directory, source["seed_path"], MAX_SEED_BYTES),
                         directory / source["seed_path"])
        pages[article_file(source["source_id"])] = article_page(
            source, text, of_source(t, source["source_id"]), names)
    return {name: content.encode("utf-8") for name, content in pages.items()}
