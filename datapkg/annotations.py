"""The package's tables as span annotations of each article: labelled spans, labelled links
between spans and attributes of spans or links. brat standoff and W3C Web Annotation are two
spellings of this one model (``datapkg.formats``); the scorer compares two of them.

Offsets are 0-based Unicode code points into the article, the end excluded: the unit of the
tables, of brat (offsets into the ``.txt`` as read by its Python server) and of the W3C Web
Annotation Data Model (its TextQuoteSelector and TextPositionSelector count code points, not
UTF-16 code units; w3c/web-annotation issue 206). No conversion is needed for either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

# Labels of the spans that are not mentions (a mention's label is its actor's kind).
STATEMENT, CUE, HEDGE, COMMITMENT, FIGURE, EVENT = (
    "Statement", "Cue", "Hedge", "Commitment", "Figure", "Event")
NOT_MENTIONS = frozenset({STATEMENT, CUE, HEDGE, COMMITMENT, FIGURE, EVENT})
# Link labels: an attribution link is its role (speaker or reporter); a party link its role.
CUE_OF = "cue"
# The tables whose rows of one source make its annotations.
SPAN_TABLES = ("mentions", "statements", "statement_attributions", "commitments", "commitment_parties",
               "events", "event_participants", "figures")


@dataclass(frozen=True, order=True)
class Span:
    label: str
    start: int
    end: int


@dataclass(frozen=True, order=True)
class Link:
    label: str
    source: Span
    target: Span


@dataclass(frozen=True, order=True)
class Attribute:
    name: str
    target: Span | Link
    value: str


@dataclass
class Document:
    """The annotations of one article."""

    source_id: str
    text: str
    url: str
    title: str = ""
    spans: set[Span] = field(default_factory=set)
    links: set[Link] = field(default_factory=set)
    attributes: set[Attribute] = field(default_factory=set)

    def same_annotations(self, other: Document) -> bool:
        return (self.spans, self.links, self.attributes) == (other.spans, other.links,
                                                              other.attributes)


def token(value: object) -> str:
    """An attribute value as one token (brat separates fields by whitespace): a number without
    a trailing ``.0``, whitespace as ``_``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s", "_", str(value))


def present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def by_source(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """The rows of a table as dicts, grouped by source."""
    grouped = {}
    for row in frame.to_dict("records"):
        grouped.setdefault(row["source_id"], []).append(row)
    return grouped


def article_url(source: dict) -> str:
    """The article's address, or a URN naming the source where none is confirmed."""
    return source["url"] if present(source.get("url")) else f"urn:x-datapkg:source:{source['source_id']}"


def documents(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> list[Document]:
    """One Document per source of ``tables`` (as ``datapkg.load()`` gives them); ``texts``
    maps each source id to its article."""
    grouped = {name: by_source(tables[name]) for name in SPAN_TABLES}
    kinds = dict(zip(tables["actors"]["actor_id"], tables["actors"]["kind"], strict=True))
    return [document({name: rows.get(source["source_id"], []) for name, rows in grouped.items()},
                     kinds, source, texts[source["source_id"]])
            for source in tables["sources"].to_dict("records")]


def document(rows: dict[str, list[dict]], kinds: dict[str, str], source: dict, text: str) -> Document:
    """The annotations of one source from its rows of each table in SPAN_TABLES."""
    doc = Document(source["source_id"], text, article_url(source), source["title"])
    mentions = {m["mention_id"]: mention_span(m, kinds) for m in rows["mentions"]}
    doc.spans.update(mentions.values())
    statements = add_statements(doc, rows["statements"])
    add_attributions(doc, rows["statement_attributions"], statements, mentions)
    add_coded(doc, rows["commitments"], COMMITMENT, commitment_flags)
    add_coded(doc, rows["events"], EVENT, event_flags)
    add_parties(doc, rows["commitment_parties"], "commitment_id", COMMITMENT, rows["commitments"], mentions)
    add_parties(doc, rows["event_participants"], "event_id", EVENT, rows["events"], mentions)
    add_coded(doc, rows["figures"], FIGURE, figure_values)
    return doc


def mention_span(row: dict, kinds: dict[str, str]) -> Span:
    return Span(kinds[row["actor_id"]], int(row["span_start"]), int(row["span_end"]))


def span_of(row: dict, label: str, prefix: str = "span") -> Span | None:
    start, end = row[f"{prefix}_start"], row[f"{prefix}_end"]
    return Span(label, int(start), int(end)) if present(start) else None


def add_statements(doc: Document, statements: list[dict]) -> dict[str, Span]:
    """Statement contents with their quote type and epistemic status; cues and hedges linked to
    them."""
    spans = {}
    for row in statements:
        content = spans[row["statement_id"]] = span_of(row, STATEMENT)
        doc.spans.add(content)
        doc.attributes.add(Attribute("QuoteType", content, row["quote_type"]))
        doc.attributes.add(Attribute("Epistemic", content, row["epistemic"]))
        for label, prefix in ((CUE, "cue"), (HEDGE, "hedge")):
            part = span_of(row, label, prefix)
            if part is not None:
                doc.spans.add(part)
                doc.links.add(Link(label.lower(), content, part))
    return spans


def add_attributions(doc: Document, links: list[dict], statements: dict[str, Span],
                     mentions: dict[str, Span]) -> None:
    """Each link of a chain that the text names (a mention) → its statement, with the link's
    quote type; a relay's own cue is linked to the relay's link."""
    for row in links:
        if not present(row["mention_id"]):
            continue
        link = Link(row["role"], mentions[row["mention_id"]], statements[row["statement_id"]])
        doc.links.add(link)
        if present(row["quote_type"]):
            doc.attributes.add(Attribute("LinkQuoteType", link, row["quote_type"]))
        cue = span_of(row, CUE, "cue")
        if cue is not None:
            doc.spans.add(cue)
            doc.links.add(Link(CUE_OF, link.source, cue))


def commitment_flags(row: dict):
    yield "CommitmentKind", row["kind"]
    for flag in ("future", "conditional", "negated"):
        if row[f"is_{flag}"]:
            yield flag.capitalize(), "true"


def event_flags(row: dict):
    yield "EventKind", row["kind"]
    yield "Status", row["status"]


def figure_values(row: dict):
    yield "FigureKind", row["kind"]
    for name in ("value", "low", "high", "unit"):
        if present(row[name]):
            yield name.capitalize(), row[name]


def add_coded(doc: Document, records: list[dict], label: str, attributes) -> None:
    """Spans of commitments, events or figures with the attributes ``attributes(row)`` gives."""
    for row in records:
        span = span_of(row, label)
        doc.spans.add(span)
        doc.attributes.update(Attribute(name, span, token(value)) for name, value in attributes(row))


def add_parties(doc: Document, parties: list[dict], key: str, label: str, owners: list[dict],
                mentions: dict[str, Span]) -> None:
    """Each party the text names (a mention): the commitment or event → the mention, labelled
    by the party's role."""
    spans = {row[key]: span_of(row, label) for row in owners}
    for row in parties:
        if present(row["mention_id"]):
            doc.links.add(Link(row["role"], spans[row[key]], mentions[row["mention_id"]]))
