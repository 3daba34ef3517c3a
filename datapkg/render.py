"""The annotated-article site: a static, self-contained view of everything the dataset says
about the article, written by `datapkg render` from the published package.

Pages: index.html (the article with every span highlighted, coverage, who-says-what graph),
tables.html (every table, sortable, with the codebook's descriptions), cite.html (citation
with copy buttons, downloads, version). No CDN, no server: it works from file://.
"""

from __future__ import annotations

import heapq
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from datapkg import __version__, citation, metadata
from datapkg.loader import default_data_dir, load
from datapkg.registry import TABLES

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
# The style sheet and the scripts, copied into the site as they are.
ASSETS = Path(__file__).resolve().parent / "assets"


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


def cell(value):
    """A cell as JSON can hold it: None for nulls, ISO dates, Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


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


def mark(span: Span, first: bool, label: str) -> str:
    attributes = f'class="hl k-{span.kind}" data-span="{span.id}"'
    if first:
        attributes += (f' data-first tabindex="0" role="button" '
                       f'aria-label="{html.escape(KINDS[span.kind] + ": " + label)}"')
    return f"<mark {attributes}>"


def nest(text: str, start: int, end: int, spans: list[Span], labels: dict[str, str]) -> str:
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
            out.append(html.escape(text[pos:close]) + "</mark>")
            pos = close
            continue
        piece_start, negative_end, order, span_id, first, span = heapq.heappop(heap)
        piece_end = -negative_end
        if stack and piece_end > stack[-1]:
            heapq.heappush(heap, (stack[-1], negative_end, order, span_id, False, span))
            piece_end = stack[-1]
        if piece_end <= piece_start:
            continue
        out.append(html.escape(text[pos:piece_start]) + mark(span, first, labels[span.id]))
        pos = piece_start
        stack.append(piece_end)
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def coverage_badge(row: dict) -> str:
    status = row["status"]
    sign = "✓" if status == "covered" else "○"
    claims = ", ".join(f"{row[k]} {k}" for k in ("statements", "commitments", "figures",
                                                   "events") if row[k])
    title = f"{row['sentence_id']}: {status}" + (f" ({claims})" if claims else
                                                   f" — {row['reason']}")
    return (f'<span class="cov cov-{status}" title="{html.escape(title)}">'
            f'{html.escape(row["sentence_id"].split(".", 1)[1])}{sign}</span>')


def article_html(text: str, t: dict[str, pd.DataFrame], spans: list[Span],
                 labels: dict[str, str]) -> str:
    coverage = {r["sentence_id"]: r for r in records(t["coverage"])}
    sentences = records(t["sentences"])
    parts = []
    for passage in records(t["passages"]):
        inner = passage_html(text, passage, sentences, coverage, spans, labels)
        tag = "h2" if passage["kind"] == "headline" else "p"
        parts.append(f'<{tag} class="passage p-{passage["kind"]}" '
                     f'data-kind="{passage["kind"]}">{inner}</{tag}>')
    return "\n".join(parts)


def passage_html(text, passage, sentences, coverage, spans, labels) -> str:
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
    return "".join(out)


def graph_svg(t: dict[str, pd.DataFrame], names: dict[str, str]) -> str:
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
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
             f'role="img" aria-labelledby="graph-title graph-desc" class="graph">',
             '<title id="graph-title">Who says what to or about whom</title>',
             f'<desc id="graph-desc">{len(nodes)} actors; solid lines: a speaker names the '
             f'actor in a statement; dashed lines: a committing party and the other parties '
             f'of its commitment. Thicker lines stand for more rows.</desc>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>']
    for (a, b, kind), count in sorted(edges.items()):
        (x1, y1), (x2, y2) = position[a], position[b]
        dash = "" if kind == "says about" else ' stroke-dasharray="6 4"'
        lines.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="#555" stroke-opacity="0.55" stroke-width="{min(1 + count, 6)}"'
                     f'{dash} marker-end="url(#arrow)"><title>{html.escape(names[a])} '
                     f'{kind} {html.escape(names[b])}: {count}</title></line>')
    for n in nodes:
        x, y = position[n]
        anchor = "start" if x >= size / 2 else "end"
        dx = 10 if x >= size / 2 else -10
        lines.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#1f4e79"/>'
                     f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" '
                     f'font-size="12" fill="#111">{html.escape(names[n])}</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def page(title: str, body: str, script: str = "") -> str:
    """One page; the style sheet and the page's script are files beside it."""
    nav = ('<nav aria-label="Pages"><a href="index.html">Article</a>'
           '<a href="tables.html">Tables</a><a href="cite.html">Cite &amp; download</a></nav>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{html.escape(title)}</title>\n<link rel="stylesheet" href="style.css">\n'
        "</head>\n<body>\n"
        f"<header><p><strong>{html.escape(metadata.TITLE)}</strong> · version "
        f"{__version__}</p>{nav}</header>\n<main>\n{body}\n</main>\n"
        f"<footer><p>Data CC-BY-4.0 · code MIT · the article text stays its publisher's. "
        f"Version {__version__}.</p></footer>\n"
        + (f'<script src="{script}"></script>\n' if script else "")
        + "</body>\n</html>\n"
    )


def script_json(data) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


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
    legend = "".join(f'<span><mark class="hl k-{k}">{v}</mark></span>' for k, v in KINDS.items())
    excused = [r for r in records(coverage) if r["status"] == "excused"]
    body = f"""
<div id="summary" aria-live="polite">Hover over or tab to a highlight for a summary; click or
press Enter to see the rows behind it.</div>
<h1>The article, annotated</h1>
<p class="legend" aria-label="Legend">{legend}
<span><span class="cov cov-covered">s01✓</span> sentence covered</span>
<span><span class="cov cov-excused">s01○</span> sentence excused</span></p>
<p>{len(spans)} highlights. Body sentences: {len(coverage)}, of which
{status.get("covered", 0)} covered and {status.get("excused", 0)} excused{"." if not excused
else ": " + "; ".join(html.escape(r["sentence_id"] + " — " + r["reason"]) for r in excused)}</p>
<section id="details" hidden aria-live="polite"></section>
<article class="article" aria-label="The article">
{article_html(text, t, spans, labels)}
</article>
<h2>Who says what to or about whom</h2>
{graph_svg(t, names)}
<script type="application/json" id="span-data">{script_json(data)}</script>
"""
    return page("The article, annotated", body, "article.js")


def tables_page(t: dict[str, pd.DataFrame]) -> str:
    sections = ['<h1>Tables</h1><p>Click a column name to sort; hover over it for its '
                'description from the <a href="../docs/codebook.md">codebook</a>.</p>',
                "<ul>" + "".join(f'<li><a href="#{n}">{n}</a> ({len(t[n])} rows)</li>'
                                 for n in TABLES) + "</ul>"]
    for name, table in TABLES.items():
        head = "".join(
            f'<th scope="col" title="{html.escape(f.description)}"><button type="button">'
            f"{html.escape(f.name)}</button></th>" for f in table.fields)
        rows = []
        for row in records(t[name]):
            cells = "".join("<td>" + ("" if row[c] is None else html.escape(str(row[c])))
                            + "</td>" for c in table.columns)
            rows.append(f"<tr>{cells}</tr>")
        sections.append(
            f'<h2 id="{name}">{name}</h2><p>{html.escape(table.description)}</p>'
            f'<div class="table-wrap"><table class="sortable"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
    return page("Tables", "\n".join(sections), "tables.js")


def cite_page(c: citation.Citation) -> str:
    downloads = "".join(
        f'<li>{n}: <a href="../data/{n}.csv">CSV</a> · <a href="../data/{n}.parquet">'
        f"Parquet</a></li>" for n in TABLES)
    body = f"""
<h1>Cite and download</h1>
<p>Version {c.version}, released {c.date}.</p>
<h2>Plain text</h2>
<pre id="plain">{html.escape(citation.plain(c))}</pre>
<button type="button" data-copy="plain">Copy plain text</button>
<h2>BibTeX</h2>
<pre id="bibtex">{html.escape(citation.bibtex(c))}</pre>
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
"""
    return page("Cite and download", body, "cite.js")


def site(directory: Path | None = None) -> dict[str, bytes]:
    """Every page of the site, from the published package in ``directory``."""
    directory = Path(directory) if directory else default_data_dir()
    everything = load(path=directory)
    cite = citation.from_package(directory)
    source = cite.sources[0]
    # One article per site: the first source (the package holds one).
    t = {name: frame[frame["source_id"] == source["source_id"]].reset_index(drop=True)
         for name, frame in everything.items()}
    text = (directory / source["seed_path"]).read_text(encoding="utf-8")
    names = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    pages = {"index.html": index_page(text, t, names), "tables.html": tables_page(t),
             "cite.html": cite_page(cite),
             **{name: (ASSETS / name).read_text(encoding="utf-8") for name in
                ("style.css", "article.js", "tables.js", "cite.js")}}
    return {name: content.encode("utf-8") for name, content in pages.items()}
