"""What a data user asks of the package beside its tables: where its files are, the tables
and their titles, a table's columns as the codebook describes them, the article's text and
the citation. Everything comes from the registry or from the package's own files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from datapkg.errors import LoadError, UsageError
from datapkg.files import MAX_SEED_BYTES, read_inside, utf8_text
from datapkg.loader import load_table
from datapkg.package import package_dir, promises, read_checked
from datapkg.registry import TABLES, table


def tables() -> dict[str, str]:
    """Table name → title, in package order."""
    return {name: t.title for name, t in TABLES.items()}


class Described(pd.DataFrame):
    """The columns of a table, as ``describe`` gives them: a DataFrame whose printed form is
    every column's description whole, wrapped, whatever pandas' display width (a DataFrame's
    own repr cuts a cell at 50 characters and drops columns past the terminal's width)."""

    @property
    def _constructor(self):
        return pd.DataFrame  # anything derived from it is a plain DataFrame

    def __repr__(self) -> str:
        import textwrap

        lines = []
        for row in self.itertuples(index=False):
            unit = f", {row.unit}" if isinstance(row.unit, str) else ""
            lines.append(f"{row.column} ({row.type}{', required' if row.required else ''}{unit})")
            lines += textwrap.wrap(row.description, width=88, initial_indent="    ",
                                   subsequent_indent="    ")
        return "\n".join(lines)

    __str__ = __repr__


def describe(name: str) -> pd.DataFrame:
    """One row per column of a table: name, type, whether required, unit and the codebook's
    description; printed, every description whole."""
    return Described(pd.DataFrame(
        [(f.name, f.type, f.required, f.unit, f.description) for f in table(name).fields],
        columns=["column", "type", "required", "unit", "description"],
    ).astype({"column": "string", "type": "string", "required": "boolean", "unit": "string",
              "description": "string"}))


def article(source_id: str | None = None, path: str | Path | None = None,
            verify: bool = True) -> str:
    """The text of one article, exactly as curated (spans index into it); ``source_id``
    may be left out while the package holds one article."""
    directory = package_dir(path, descriptor=verify)
    sources = load_table("sources", path=directory, verify=verify).set_index("source_id")
    if source_id is None and len(sources) == 1:
        source_id = sources.index[0]
    if source_id not in sources.index:
        what = ("the package holds several articles" if source_id is None
                else f"unknown source_id {source_id!r}")
        raise LoadError(f"{what}; give source_id, one of: {', '.join(sources.index)}")
    seed = sources.loc[source_id, "seed_path"]
    data = (read_checked(directory, seed, MAX_SEED_BYTES, promises(directory)) if verify
            else read_inside(directory, seed, MAX_SEED_BYTES))
    return utf8_text(data, directory / seed)


def cite(format: str = "plain", path: str | Path | None = None) -> str:
    """How to cite this version of the data: plain text, BibTeX, BibLaTeX or CSL-JSON."""
    from datapkg import citation as cite

    if format not in cite.FORMATS:
        raise UsageError(f"unknown citation format {format!r}; valid formats: "
                         f"{', '.join(cite.FORMATS)}")
    return cite.formatted(cite.from_package(package_dir(path), commit=True), format)
