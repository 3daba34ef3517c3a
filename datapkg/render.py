"""The annotated-article site: a static, self-contained view of everything the dataset says
about the article, written by `datapkg render` from the published package.

Pages: index.html (the article with every span highlighted, coverage, who-says-what graph),
tables.html (every table, sortable, with the codebook's descriptions), cite.html (citation
with copy buttons, downloads, version). No CDN, no server: it works from file://.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from datapkg import __version__, citation, metadata
from datapkg.files import MAX_SEED_BYTES, read_inside
from datapkg.loader import default_data_dir, load
from datapkg.paths import ASSETS
from datapkg.registry import CLAIMS, TABLES
from datapkg.validate import require_valid

# Span kinds, outermost first when two start together; label, and the second visual cue.
KINDS = {
    "statement": "Statement content",
    "commitment": "Commitment",
    "event": "Event",
    "cue": "Reporting cue",
    "figure": "Figure or date",
    "mention": "Actor mention",
}
ORDER = {kind: i for i, kind in enumerate(KINDS)}
# Every piece of HTML or SVG is a Markup template filled by .format() or Markup.join, which
# escape each value unless it is Markup made the same way; inline JSON goes through
# script_json. Nothing reaches a page any other way.
# In JSON inside <script>, these characters are written as escapes.
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class Span:
    """One highlight: a distinct (kind, start, end), with every row that rests on it."""

    kind: str
    start: int
    end: int
    rows: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.start}-{self.end}"


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


def chain_text(statement_id: str, links: pd.DataFrame, names: dict[str, str]) -> str:
    """speaker ← reporter ← article, innermost first."""
    chain = links[links["statement_id"] == statement_id].sort_values(
        "depth", ascending=False, kind="stable")
    levels = []
    for _, level in chain.groupby("depth", sort=False):
        levels.append(" + ".join(names[a] for a in level["actor_id"]))
    return " ← ".join(levels)


def summary(kind: str, row: dict, t: dict[str, pd.DataFrame], names: dict[str, str]) -> str:
    if kind == "mention":
        return f"{names[row['actor_id']]} ({row['mention_type']})"
    if kind == "statement":
        return (f"{row['quote_type']} statement: "
                f"{chain_text(row['statement_id'], t['statement_attributions'], names)}")
    if kind == "cue":
        chain = chain_text(row["statement_id"], t["statement_attributions"], names)
        if "depth" in row:
            return f"{names[row['actor_id']]} relays {row['statement_id']} ({chain})"
        return f"introduces {row['statement_id']} ({chain})"
    if kind == "commitment":
        return f"{row['kind']} ({row['domain']}): {row['commitment_id']}"
    if kind == "figure":
        amount = (f"{row['low']:g}–{row['high']:g}" if row["kind"] == "range"
                  else f"{row['value']:g}" if row["value"] is not None
                  else row["date_resolved"] or row["text"])
        return f"{row['kind']}: {amount} {row['unit'] or ''} — {row['counted']}".strip()
    return f"{row['kind']} ({row['status']}): {row['label']}"


def collect_spans(t: dict[str, pd.DataFrame]) -> list[Span]:
    """Every distinct span of the data, each with the rows behind it (table, row)."""
    spans: dict[tuple, Span] = {}

    def add(kind: str, start, end, table: str, row: dict) -> None:
        key = (kind, int(start), int(end))
        spans.setdefault(key, Span(kind, int(start), int(end))).rows.append(
            {"table": table, "row": row})

    for kind, table in (("mention", "mentions"), ("statement", "statements"),
                        ("commitment", "commitments"), ("figure", "figures"),
                        ("event", "events")):
        for row in records(t[table]):
            add(kind, row["start"], row["end"], table, row)
    for table in ("statements", "statement_attributions"):
        for row in records(t[table]):
            if row["cue_start"] is not None:
                add("cue", row["cue_start"], row["cue_end"], table, row)
    return sorted(spans.values(), key=lambda s: (s.start, -s.end, ORDER[s.kind]))


def mark(span: Span, first: bool, label: str) -> Markup:
    if not first:
        return Markup('<mark class="hl k-{}" data-span="{}">').format(span.kind, span.id)
    return Markup('<mark class="hl k-{}" data-span="{}" data-first tabindex="0" role="button" '
                  'aria-label="{}: {}">').format(span.kind, span.id, KINDS[span.kind], label)


def nest(text: str, start: int, end: int, spans: list[Span], labels: dict[str, str]) -> Markup:
    """HTML of text[start:end] with the spans as nested marks. A span that crosses the end
    of an enclosing one is split; only its first piece is focusable."""
    heap = [(s.start, -s.end, ORDER[s.kind], s.id, True, s) for s in spans
            if start <= s.start and s.end <= end]
    heapq.heapify(heap)
    out, stack, pos = [], [], start
    while heap or stack:
        next_start = heap[0][0] if heap else math.inf
        if stack and stack[-1] <= next_start:
            close = stack.pop()
            out.append(Markup("{}</mark>").format(text[pos:close]))
            pos = close
            continue
        piece_start, negative_end, order, span_id, first, span = heapq.heappop(heap)
        piece_end = -negative_end
        if stack and piece_end > stack[-1]:
            heapq.heappush(heap, (stack[-1], negative_end, order, span_id, False, span))
            piece_end = stack[-1]
        if piece_end <= piece_start:
            continue
        out.append(Markup("{}{}").format(text[pos:piece_start],
                                         mark(span, first, labels[span.id])))
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


def article_html(text: str, t: dict[str, pd.DataFrame], spans: list[Span],
                 labels: dict[str, str]) -> Markup:
    coverage = {r["sentence_id"]: r for r in records(t["coverage"])}
    sentences = records(t["sentences"])
    parts = []
    for passage in records(t["passages"]):
        inner = passage_html(text, passage, sentences, coverage, spans, labels)
        tag = "h2" if passage["kind"] == "headline" else "p"
        parts.append(Markup('<{0} class="passage p-{1}" data-kind="{1}">{2}</{0}>').format(
            tag, passage["kind"], inner))
    return Markup("\n").join(parts)


def passage_html(text, passage, sentences, coverage, spans, labels) -> Markup:
    inner = [s for s in sentences if s["passage_id"] == passage["passage_id"]]
    if not inner:
        return nest(text, passage["start"], passage["end"], spans, labels)
    out, pos = [], passage["start"]
    for s in inner:
        out.append(nest(text, pos, s["start"], spans, labels))
        out.append(coverage_badge(coverage[s["sentence_id"]]))
        out.append(nest(text, s["start"], s["end"], spans, labels))
        pos = s["end"]
    out.append(nest(text, pos, passage["end"], spans, labels))
    return Markup("").join(out)


def graph_svg(t: dict[str, pd.DataFrame], names: dict[str, str]) -> Markup:
    """Who says what to or about whom: speakers → actors named in their statements, and
    committers → the other parties of their commitments. Drawn once, as SVG."""
    mentions = t["mentions"]
    edges: dict[tuple[str, str, str], int] = {}
    links = t["statement_attributions"]
    for row in records(t["statements"]):
        speakers = links[(links["statement_id"] == row["statement_id"])
                         & (links["role"] == "speaker")]["actor_id"]
        inside = mentions[(mentions["start"] >= row["start"]) & (mentions["end"] <= row["end"])]
        for speaker in speakers:
            for about in sorted(set(inside["actor_id"]) - {speaker}):
                edges[(speaker, about, "says about")] = edges.get(
                    (speaker, about, "says about"), 0) + 1
    parties = t["commitment_parties"]
    for _, group in parties.groupby("commitment_id", sort=True):
        committers = group[group["role"] == "committer"]["actor_id"]
        others = group[group["role"] != "committer"]
        for committer in committers:
            for _, other in others.iterrows():
                key = (committer, other["actor_id"], f"commits ({other['role']})")
                edges[key] = edges.get(key, 0) + 1
    nodes = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges})
    size, radius = 760, 300
    position = {n: (size / 2 + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
                    size / 2 + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
                for i, n in enumerate(nodes)}
    lines = [Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" '
                    'role="img" aria-labelledby="graph-title graph-desc" class="graph">\n'
                    '<title id="graph-title">Who says what to or about whom</title>\n'
                    '<desc id="graph-desc">{1} actors; solid lines: a speaker names the actor '
                    'in a statement; dashed lines: a committing party and the other parties of '
                    'its commitment. Thicker lines stand for more rows.</desc>\n'
                    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
                    'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
                    '<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>'
                    ).format(size, len(nodes))]
    for (a, b, kind), count in sorted(edges.items()):
        (x1, y1), (x2, y2) = position[a], position[b]
        dash = Markup("" if kind == "says about" else ' stroke-dasharray="6 4"')
        lines.append(Markup(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#555" '
            'stroke-opacity="0.55" stroke-width="{}"{} marker-end="url(#arrow)">'
            '<title>{} {} {}: {}</title></line>').format(
                x1, y1, x2, y2, min(1 + count, 6), dash, names[a], kind, names[b], count))
    for n in nodes:
        x, y = position[n]
        anchor = "start" if x >= size / 2 else "end"
        dx = 10 if x >= size / 2 else -10
        lines.append(Markup(
            '<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="#1f4e79"/><text x="{:.1f}" y="{:.1f}" '
            'text-anchor="{}" font-size="12" fill="#111">{}</text>').format(
                x, y, x + dx, y + 4, anchor, names[n]))
    lines.append(Markup("</svg>"))
    return Markup("\n").join(lines)


def page(title: str, body: Markup, script: str = "") -> str:
    """One page; the style sheet and the page's script are files beside it."""
    document = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<title>{title}</title>\n<link rel="stylesheet" href="style.css">\n'
        '</head>\n<body>\n'
        '<header><p><strong>{name}</strong> · version {version}</p>'
        '<nav aria-label="Pages"><a href="index.html">Article</a>'
        '<a href="tables.html">Tables</a><a href="cite.html">Cite &amp; download</a></nav>'
        '</header>\n<main>\n{body}\n</main>\n'
        "<footer><p>Data CC-BY-4.0 · code MIT · the article text stays its publisher's. "
        'Version {version}.</p></footer>\n{script}</body>\n</html>\n').format(
            title=title, name=metadata.TITLE, version=__version__, body=body,
            script=Markup('<script src="{}"></script>\n').format(script) if script else "")
    # Quotes spelled as html.escape spells them, as the committed site has always had them.
    return str(document).replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


def script_json(data) -> Markup:
    """JSON safe inside a <script> element: no <, > or & and no line separators as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, code in SCRIPT_UNSAFE.items():
        text = text.replace(char, code)
    return Markup(text)


def index_page(text: str, t: dict[str, pd.DataFrame], names: dict[str, str]) -> str:
    spans = collect_spans(t)
    labels, data = {}, {}
    for s in spans:
        first = s.rows[0]["row"]
        labels[s.id] = summary(s.kind, first, t, names)
        data[s.id] = {"kind": s.kind, "label": KINDS[s.kind], "text": text[s.start:s.end],
                      "summary": f"{KINDS[s.kind]}: {labels[s.id]}", "rows": s.rows}
        if s.kind == "statement":
            row = first
            data[s.id]["extra"] = (
                f"Chain: {chain_text(row['statement_id'], t['statement_attributions'], names)}"
                f" · quote type {row['quote_type']} · CAMEO {row['cameo_code'] or '—'} · "
                f"PLOVER {row['plover_event'] or '—'} ({row['code_note']})")
    coverage = t["coverage"]
    status = coverage["status"].value_counts()
    legend = Markup("").join(Markup('<span><mark class="hl k-{}">{}</mark></span>').format(k, v)
                             for k, v in KINDS.items())
    excused = [r for r in records(coverage) if r["status"] == "excused"]
    reasons = ("." if not excused else
               ": " + "; ".join(f"{r['sentence_id']} — {r['reason']}" for r in excused))
    body = Markup("""
<div id="summary" aria-live="polite">Hover over or tab to a highlight for a summary; click or
press Enter to see the rows behind it.</div>
<h1>The article, annotated</h1>
<p class="legend" aria-label="Legend">{legend}
<span><span class="cov cov-covered">s01✓</span> sentence covered</span>
<span><span class="cov cov-excused">s01○</span> sentence excused</span></p>
<p>{spans} highlights. Body sentences: {sentences}, of which
{covered} covered and {excused} excused{reasons}</p>
<section id="details" hidden aria-live="polite"></section>
<article class="article" aria-label="The article">
{article}
</article>
<h2>Who says what to or about whom</h2>
{graph}
<script type="application/json" id="span-data">{data}</script>
""").format(legend=legend, spans=len(spans), sentences=len(coverage),
            covered=status.get("covered", 0), excused=status.get("excused", 0), reasons=reasons,
            article=article_html(text, t, spans, labels), graph=graph_svg(t, names),
            data=script_json(data))
    return page("The article, annotated", body, "article.js")


def tables_page(t: dict[str, pd.DataFrame]) -> str:
    join = Markup("").join
    sections = [Markup('<h1>Tables</h1><p>Click a column name to sort; hover over it for its '
                       'description from the <a href="../docs/codebook.md">codebook</a>.</p>'),
                Markup("<ul>{}</ul>").format(join(
                    Markup('<li><a href="#{0}">{0}</a> ({1} rows)</li>').format(n, len(t[n]))
                    for n in TABLES))]
    for name, table in TABLES.items():
        head = join(Markup('<th scope="col" title="{}"><button type="button">{}</button></th>')
                    .format(f.description, f.name) for f in table.fields)
        rows = join(Markup("<tr>{}</tr>").format(join(
            Markup("<td>{}</td>").format("" if row[c] is None else str(row[c]))
            for c in table.columns)) for row in records(t[name]))
        sections.append(Markup(
            '<h2 id="{0}">{0}</h2><p>{1}</p><div class="table-wrap"><table class="sortable">'
            '<thead><tr>{2}</tr></thead><tbody>{3}</tbody></table></div>').format(
                name, table.description, head, rows))
    return page("Tables", Markup("\n").join(sections), "tables.js")


def cite_page(c: citation.Citation) -> str:
    downloads = Markup("").join(
        Markup('<li>{0}: <a href="../data/{0}.csv">CSV</a> · <a href="../data/{0}.parquet">'
               'Parquet</a></li>').format(n) for n in TABLES)
    body = Markup("""
<h1>Cite and download</h1>
<p>Version {version}, released {date}.</p>
<h2>Plain text</h2>
<pre id="plain">{plain}</pre>
<button type="button" data-copy="plain">Copy plain text</button>
<h2>BibTeX</h2>
<pre id="bibtex">{bibtex}</pre>
<button type="button" data-copy="bibtex">Copy BibTeX</button>
<p id="copy-status" role="status"></p>
<h2>Downloads</h2>
<p>The files sit beside this site in the repository (<code>data/</code>).</p>
<ul>
<li><a href="../data/datapackage.json">Data Package descriptor</a> ·
<a href="../data/croissant.json">Croissant metadata</a> ·
<a href="../CITATION.cff">CITATION.cff</a></li>
{downloads}
</ul>
""").format(version=c.version, date=c.date, plain=citation.plain(c),
            bibtex=citation.bibtex(c), downloads=downloads)
    return page("Cite and download", body, "cite.js")


def site(directory: Path | None = None) -> dict[str, bytes]:
    """Every page of the site, from the package in ``directory`` once it passes validation
    (``InvalidPackage``, with every failure, when it does not)."""
    return pages(require_valid(Path(directory) if directory else default_data_dir()))


def pages(directory: Path) -> dict[str, bytes]:
    """Every page of the site from a package that has passed validation (the build renders
    the package it has just validated)."""
    everything = load(path=directory)
    cite = citation.from_package(directory)
    source = cite.sources[0]
    # One article per site: the first source (the package holds one).
    t = {name: frame[frame["source_id"] == source["source_id"]].reset_index(drop=True)
         if "source_id" in frame else frame for name, frame in everything.items()}
    text = read_inside(directory, source["seed_path"], MAX_SEED_BYTES).decode("utf-8")
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    pages = {"index.html": index_page(text, t, names), "tables.html": tables_page(t),
             "cite.html": cite_page(cite),
             **{name: (ASSETS / name).read_text(encoding="utf-8") for name in
                ("style.css", "article.js", "tables.js", "cite.js")}}
    return {name: content.encode("utf-8") for name, content in pages.items()}
