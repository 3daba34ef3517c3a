"""The codebook (docs/codebook.md), generated from the registry."""

from __future__ import annotations

import pyarrow as pa

from datapkg.errors import FAILURE_CODES, rule_code
from datapkg.registry import TABLES, Field
from datapkg.rules import RULES
from datapkg._version import __version__


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
