"""The vocabulary of a curation script: records that carry the article's own words.

A script under ``scripts/`` defines ``SOURCE_ID``, ``SEED`` (the seed's file name), ``SHA256``
and ``curate(c: Curation)``, and tells the article's story top to bottom with ``c.add(...)``,
``c.layout(...)``, ``c.mention(...)`` and ``c.excuse(...)``. Spans are never typed in by hand:
a record gives ``Q("the article's words")`` and the build finds them (``datapkg.evidence``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datapkg.errors import CurationError
from datapkg.evidence import Every, Quote
from datapkg.registry import TABLES, spans

Q = Quote


@dataclass(frozen=True)
class Mention:
    """In a mention_id column: the mention of the record's actor_id at these words."""

    quote: Quote

# Tables the build derives from the seed and the layout rather than from records.
DERIVED = ("passages", "sentences", "mentions", "coverage")


@dataclass
class MentionSpec:
    actor_id: str
    mention_type: str
    quote: Quote | Every


@dataclass
class Curation:
    source_id: str
    records: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    layout_lines: list[tuple[str, str]] = field(default_factory=list)
    expected_sentences: int | None = None
    mention_specs: list[MentionSpec] = field(default_factory=list)
    excusals: list[tuple[Quote, str]] = field(default_factory=list)

    def add(self, table: str, **values) -> None:
        """One row of ``table``; span columns take ``Q(...)`` in their text column."""
        if table not in TABLES or table in DERIVED:
            raise CurationError(f"cannot add records to table {table!r}")
        columns = TABLES[table].columns
        derived = {c for triple in spans(TABLES[table]) for c in triple[:2]}
        unknown = sorted(set(values) - set(columns))
        bad = unknown + sorted(set(values) & derived)
        if bad:
            raise CurationError(
                f"{table} record {values!r}: unknown or derived column(s) {bad}; "
                f"give spans as text=Q('...'); columns: {', '.join(columns)}"
            )
        self.records[table].append({"source_id": self.source_id, **values})

    def layout(self, lines: list[tuple[str, str]], sentences: int) -> None:
        """The kind of each non-blank line of the seed, in order, with its opening words."""
        self.layout_lines = list(lines)
        self.expected_sentences = sentences

    def mention(self, actor_id: str, mention_type: str, *quotes: Quote | Every) -> None:
        """Surface forms of one actor: ``Q`` for one occurrence, ``Every`` for all of them."""
        self.mention_specs += [MentionSpec(actor_id, mention_type, q) for q in quotes]

    def excuse(self, sentence: Quote, reason: str) -> None:
        """Leave the sentence holding ``sentence`` uncurated, on purpose, for ``reason``."""
        self.excusals.append((sentence, reason))
