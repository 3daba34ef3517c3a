"""The codebook (docs/codebook.md), generated from the registry."""

from __future__ import annotations

import pyarrow as pa

from datapkg._version import __version__
from datapkg.errors import FAILURE_CODES, rule_code
from datapkg.registry import TABLES, Field
from datapkg.rules import RULES


def constraints(f: Field) -> str:
    parts = []
    if f.enum:
        parts.append("one of " + ", ".join(f"`{v}`" for v in f.enum))
    if f.pattern:
        parts.append(f"pattern `{f.pattern}`".replace("|", "\\|"))
    if f.minimum is not None:
        parts.append(f"≥ {f.minimum}")
    if f.maximum is not None:
        parts.append(f"≤ {f.maximum}")
    return "; ".join(parts)


def table_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def example(f: Field, table: pa.Table) -> str:
    """The first value of the column in the data, or the registry's example if it has none."""
    for value in table.column(f.name).to_pylist():
        if value is not None:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            return text if len(text) <= 60 else text[:57] + "…"
    return f.example or ""


# What a reader needs before counting: each note where the codebook's columns would mislead
# on their own (the two quote types, counts, tallies, Arrow strings, affiliations).
READING_NOTES = [
    "## Reading and counting",
    "",
    "- **Two quote types, side by side.** `statements.quote_type` is how the article gives "
    "the words of the source at depth 1 of the chain: the speaker, or the relay that reported "
    "the speaker. `statement_attributions.quote_type`, on each link, is how the source one "
    "step outward gives that link's words; at depth 1 it equals the statement's. They differ "
    "where a relay stands between: in 'Xinhua said Wang “stressed the need to …”' the "
    "statement is `direct` (the article quotes Xinhua) and Wang's link `indirect` (Xinhua "
    "reports Wang). A speaker's own words are quoted verbatim only where every link from "
    "depth 1 down to the speaker is `direct`: `datapkg.statements_with_speakers()` gives this "
    "as `verbatim`.",
    "- **Counts are integers, figures are numbers.** Every `integer` column (offsets, the "
    "counts of `coverage`, `items_stated`, `items_reported`, `depth`) loads as pandas' "
    "nullable `Int64`. A figure's `value`, `low` and `high` are `number` (`Float64`): one "
    "column holds counts, ordinals and the bounds of ranges, and a count may be a fraction "
    "of a larger unit ('2.5 million'), so a count of 7000 prints `7000.0`; "
    "`figures.loc[figures.kind.isin(['count', 'ordinal']), 'value'].astype('Int64')` gives "
    "whole numbers (and refuses a fraction).",
    "- **Tallies keep the nulls.** `value_counts()` leaves nulls out: an act with no PLOVER "
    "type (CAMEO 01 and 02) has `plover_event` null, so tally with "
    "`value_counts(dropna=False)`.",
    "- **Text is Arrow-backed.** Text columns load as pandas' `string` dtype; in pandas 3 "
    "`groupby(...).agg(set)` on them returns lists, not sets. Use `agg(frozenset)`, or join "
    "the values into one string (`agg(lambda s: ', '.join(sorted(s.unique())))`).",
    "- **Affiliations stop at the most specific body declared.** A person's "
    "`affiliation_id` is the most specific body the corpus declares the person to serve: a "
    "ministry where one is declared, else the government. It is not a fixed level, so compare "
    "people (and any actors) by the states they reach in `actor_closure` "
    "(`datapkg.persons_with_states()`), not by `affiliation_id`.",
    "",
]


def codebook(tables: dict[str, pa.Table]) -> str:
    lines = [
        "# Codebook",
        "",
        f"Version {__version__}. Generated from `datapkg/registry.py` by `datapkg build`; "
        "do not edit by hand.",
        "",
        "Spans (`span_start`, `span_end`, and `cue_start`, `cue_end`) are 0-based Unicode code point "
        "offsets into the source's seed text, end excluded; the `text` beside them is the "
        "seed's slice, verbatim. Every table but the corpus's own (`actors`, `actor_members`) "
        "has `source_id` as its first column, and every row id there starts with its "
        "source's serial (`000.`), so ids are unique across sources. An actor is declared "
        "once for the corpus and its id is a plain name (`wang_yi`), the same in every "
        "article; what an article calls it is in `actor_titles`. "
        "In CSV a null is an empty field; empty strings are not used. A pattern matches the "
        "whole value, as an XML Schema pattern does (which a Table Schema's `pattern` is), so "
        "it has no `^` or `$` and a value with a final newline does not match. No text cell "
        "holds a control character other than tab and newline (`control-character`).",
        "",
        *READING_NOTES,
        "## Tables",
        "",
    ]
    lines += [f"- [`{name}`](#{name}): {t.title} ({tables[name].num_rows} rows)"
              for name, t in TABLES.items()]
    for name, t in TABLES.items():
        lines += [
            "", f"## {name}", "", t.description, "",
            f"Primary key: ({', '.join(f'`{k}`' for k in t.primary_key)}).",
        ]
        if t.foreign_keys:
            lines.append("Foreign keys: " + "; ".join(
                f"({', '.join(k.fields)}) → `{k.table}` ({', '.join(k.reference)})"
                for k in t.foreign_keys) + ".")
        if t.joins:
            lines.append(f"Joins: {t.joins}")
        lines += ["", "| column | type | required | constraints | unit | description | "
                  "example (from the data) |",
                  "|---|---|---|---|---|---|---|"]
        for f in t.fields:
            lines.append(
                f"| `{f.name}` | {f.type} | {'yes' if f.required else 'no'} | "
                f"{constraints(f)} | {table_cell(f.unit)} | {table_cell(f.description)} | "
                f"{table_cell(example(f, tables[name]))} |"
            )
        lines += values(t.fields)
    return "\n".join(lines + failure_codes()) + "\n"


def values(fields) -> list[str]:
    """The definition of every value of every enum column, as the registry gives it."""
    lines = []
    for f in fields:
        if f.definitions:
            lines += ["", f"Values of `{f.name}`:", ""]
            lines += [f"- `{value}`: {definition}" for value, definition in f.definitions]
    return lines


def failure_codes() -> list[str]:
    """The codes validation reports, each with its layer and meaning: the rules' from their
    docstrings."""
    rows = [(code, layer, meaning) for code, (layer, meaning) in FAILURE_CODES.items()]
    rows += [(rule_code(rule.__name__), "rules", " ".join((rule.__doc__ or "").split()))
             for rule, _ in RULES]
    return ["", "## Failure codes", "",
            "`datapkg validate` reports each failure as `[layer:code] file | table | row key | "
            "column | value … | rule`. The code is stable: match it, not the words of the rule.",
            "", "| code | layer | meaning |", "|---|---|---|",
            *(f"| `{code}` | {layer} | {table_cell(meaning)} |" for code, layer, meaning in rows)]
