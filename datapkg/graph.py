"""Who says what to or about whom: a two-column graph drawn as SVG at build time.

Speakers and committing parties stand in the left column, the actors they name or commit
towards in the right one; the order in each column comes from the barycentre heuristic of
layered graph drawing (Sugiyama, Tagawa and Toda 1981), which sweeps the columns in turn and
places each node at the mean position of its neighbours, so that few lines cross. Labels sit
outside the columns, each in a room of its own lines, so none can overlap another; the
drawing's width is made for its longest line, and it scales to the width of the page. A
legend and a table of the same lines go with it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
from markupsafe import Markup

SAYS = "names in a statement"
FONT = 15  # size of a label, in the drawing's units
LINE = 18  # distance between two lines of a label
SPACE = 12  # room between two labels
WRAP = 20  # characters per line of a label
CHAR = 8.4  # width allowed per character of a label (wider than the average glyph)
GAP = 110  # horizontal room for the lines between the columns
HEADINGS = ("speaks or commits →", "is named, or is a party")
PAD = 16
TOP = 44  # room for the column headings
SWEEPS = 8
STYLE = {True: ("#1f4e79", ""), False: ("#8c3b00", "6 4")}  # says: colour, dash


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    rows: int

    @property
    def says(self) -> bool:
        return self.relation == SAYS


def edges(t: dict[str, pd.DataFrame]) -> list[Edge]:
    """Speakers → actors named inside their statements; committers → the other parties of
    their commitments, by role."""
    counts: dict[tuple[str, str, str], int] = {}
    links, mentions = t["statement_attributions"], t["mentions"]
    # a row with a null where these are read says nothing (a valid package has none)
    spoken: dict[str, list[str]] = {}
    speakers = links[(links["role"] == "speaker").to_numpy(dtype=bool, na_value=False)]
    for statement_id, actor_id in speakers[["statement_id", "actor_id"]].dropna().itertuples(
            index=False):
        spoken.setdefault(statement_id, []).append(actor_id)
    mentions = mentions[["actor_id", "span_start", "span_end"]].dropna()
    starts, ends = (mentions[c].to_numpy(dtype=np.int64) for c in ("span_start", "span_end"))
    named = mentions["actor_id"].to_numpy(dtype=object)
    statements = t["statements"][["statement_id", "span_start", "span_end"]].dropna()
    for statement_id, start, end in statements.itertuples(index=False):
        if statement_id not in spoken:
            continue
        inside = set(named[(starts >= start) & (ends <= end)])
        for speaker in spoken[statement_id]:
            for about in sorted(inside - {speaker}):
                counts[(speaker, about, SAYS)] = counts.get((speaker, about, SAYS), 0) + 1
    parties: dict[str, list[tuple[str, str]]] = {}
    for commitment_id, actor_id, role in t["commitment_parties"][
            ["commitment_id", "actor_id", "role"]].dropna().itertuples(index=False):
        parties.setdefault(commitment_id, []).append((actor_id, role))
    for group in parties.values():
        for committer in (actor for actor, role in group if role == "committer"):
            for other, role in group:
                if role != "committer":
                    key = (committer, other, f"commits, with it as {role}")
                    counts[key] = counts.get(key, 0) + 1
    return [Edge(a, b, r, n) for (a, b, r), n in sorted(counts.items())]


def barycentre(nodes: list[str], fixed: list[str], neighbours: dict[str, list[str]]) -> list[str]:
    """``nodes`` ordered by the mean position of their neighbours in ``fixed``; a node with
    none keeps its place."""
    where = {n: i for i, n in enumerate(fixed)}

    def position(item):
        i, node = item
        around = [where[m] for m in neighbours.get(node, ()) if m in where]
        return (sum(around) / len(around) if around else i, i)

    return [node for _, node in sorted(enumerate(nodes), key=position)]


def crossings(lines: list[Edge], left: list[str], right: list[str]) -> int:
    """How many pairs of lines cross, with the columns in these orders."""
    at_l, at_r = {n: i for i, n in enumerate(left)}, {n: i for i, n in enumerate(right)}
    ends = [(at_l[e.source], at_r[e.target]) for e in lines]
    return sum(1 for i, (a, b) in enumerate(ends) for c, d in ends[i + 1:]
               if (a - c) * (b - d) < 0)


def layout(lines: list[Edge], names: dict[str, str]) -> tuple[list[str], list[str]]:
    """The two columns' orders: alphabetical to start, then barycentre sweeps, keeping the
    orders with the fewest crossings."""
    left = sorted({e.source for e in lines}, key=lambda a: names.get(a, a))
    right = sorted({e.target for e in lines}, key=lambda a: names.get(a, a))
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for e in lines:
        forward.setdefault(e.source, []).append(e.target)
        backward.setdefault(e.target, []).append(e.source)
    best = (crossings(lines, left, right), left, right)
    for _ in range(SWEEPS):
        right = barycentre(right, left, backward)
        left = barycentre(left, right, forward)
        best = min(best, (crossings(lines, left, right), left, right), key=lambda b: b[0])
    return best[1], best[2]


def wrapped(name: str) -> list[str]:
    return textwrap.wrap(name, WRAP) or [name]


def centres(column: list[str], labels: dict[str, list[str]], height: float) -> dict[str, float]:
    """The vertical centre of each node of a column: each takes the room of its label's
    lines, and the column is centred in ``height``."""
    rooms = [len(labels[n]) * LINE + SPACE for n in column]
    y = TOP + (height - sum(rooms)) / 2
    found = {}
    for n, room in zip(column, rooms):
        found[n] = y + room / 2
        y += room
    return found


def label_text(lines: list[str], x: float, y: float, anchor: str) -> Markup:
    first = y - (len(lines) - 1) * LINE / 2 + FONT / 3
    spans = Markup("").join(Markup('<tspan x="{:.1f}" y="{:.1f}">{}</tspan>').format(
        x, first + i * LINE, line) for i, line in enumerate(lines))
    return Markup('<text text-anchor="{}" class="node">{}</text>').format(anchor, spans)


def graph_svg(lines: list[Edge], names: dict[str, str]) -> Markup:
    left, right = layout(lines, names)
    labels = {n: wrapped(names.get(n, n)) for n in {*left, *right}}
    width_l, width_r = (max(len(line) for n in column for line in [*labels[n], heading]) * CHAR
                        for column, heading in zip((left, right), HEADINGS))
    x_l = PAD + width_l + 10
    x_r = x_l + GAP
    width = x_r + 10 + width_r + PAD
    inner = max(sum(len(labels[n]) * LINE + SPACE for n in column) for column in (left, right))
    height = TOP + inner + PAD
    y_l, y_r = centres(left, labels, inner), centres(right, labels, inner)
    out = [Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0:.0f} {1:.0f}" '
                  'width="{0:.0f}" height="{1:.0f}" role="img" aria-labelledby="graph-title" '
                  'aria-details="graph-lines" '
                  'class="graph"><title id="graph-title">Who says what to or about whom: '
                  '{2} lines between {3} actors; the table below lists them</title>'
                  '<text x="{4:.0f}" y="20" text-anchor="end" class="heading">{6}</text>'
                  '<text x="{5:.0f}" y="20" class="heading">{7}</text>').format(
                      width, height, len(lines), len(labels), x_l, x_r, *HEADINGS)]
    for e in lines:
        colour, dash = STYLE[e.says]
        shift = 0 if e.says else 3
        y1, y2 = y_l[e.source] + shift, y_r[e.target] + shift
        middle = (x_l + x_r) / 2
        out.append(Markup(
            '<path d="M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="none" '
            'stroke="{}" stroke-opacity="0.7" stroke-width="{:.1f}"{}>'
            '<title>{} → {}: {} ({})</title></path>').format(
                x_l + 6, y1, middle, y1, middle, y2, x_r - 6, y2, colour, 1 + 0.6 * min(e.rows, 5),
                Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
                names.get(e.source, e.source), names.get(e.target, e.target), e.relation,
                rows_word(e.rows)))
    for column, y, x, anchor, dx in ((left, y_l, x_l, "end", -10), (right, y_r, x_r, "start", 10)):
        for n in column:
            out.append(Markup('<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="#1f4e79"/>{}').format(
                x, y[n], label_text(labels[n], x + dx, y[n], anchor)))
    out.append(Markup("</svg>"))
    return Markup("\n").join(out)


def rows_word(n: int) -> str:
    """'1 row', '2 rows'."""
    return "1 row" if n == 1 else f"{n} rows"


def scroller(label_id: str, table: Markup) -> Markup:
    """A table too wide for a narrow screen, in a box that scrolls sideways."""
    # Every scrolling box: reachable by keyboard (a tab stop) and named, as a region, by the
    # heading of its section, so that it can be scrolled without a mouse.
    return Markup('<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{}">'
                  '{}</div>').format(label_id, table)


def legend() -> Markup:
    def sample(says: bool) -> Markup:
        colour, dash = STYLE[says]
        return Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10" width="40" '
                      'height="10" aria-hidden="true"><path d="M0,5 L40,5" stroke="{}" '
                      'stroke-width="2.5"{}/></svg>').format(
            colour, Markup(' stroke-dasharray="{}"').format(dash) if dash else "")

    return Markup('<ul class="graph-legend"><li>{} a speaker names the actor in a statement</li>'
                  '<li>{} a committing party and another party of its commitment '
                  '(addressee, beneficiary or target)</li><li>thicker lines: more rows</li>'
                  '</ul>').format(sample(True), sample(False))


def graph_table(lines: list[Edge], names: dict[str, str]) -> Markup:
    rows = Markup("").join(Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
        names.get(e.source, e.source), e.relation, names.get(e.target, e.target), e.rows)
        for e in lines)
    # The drawing's text equivalent: the same lines, a table named as such (aria-details
    # on the drawing leads to it).
    return Markup('<details class="graph-table" id="graph-lines"><summary>The same lines as a '
                  'table</summary>{}</details>').format(scroller("graph-lines-title", Markup(
                      '<table><caption id="graph-lines-title">Who says what to or about whom: '
                      'the lines of the graph as a table</caption><thead><tr>'
                      '<th scope="col">who</th><th scope="col">relation</th>'
                      '<th scope="col">whom</th><th scope="col">rows</th></tr></thead>'
                      '<tbody>{}</tbody></table>').format(rows)))


def graph_section(t: dict[str, pd.DataFrame], names: dict[str, str]) -> Markup:
    """The graph of one article's tables ``t``, its legend and its table."""
    lines = edges(t)
    heading = Markup('<h2 id="who-says-what">Who says what to or about whom</h2>')
    if not lines:
        return heading + Markup("<p>No statement names an actor other than its speaker, and "
                                "no commitment has a party besides its committers.</p>")
    return heading + Markup('{}<div class="graph-wrap">{}</div>{}').format(
        legend(), graph_svg(lines, names), graph_table(lines, names))
