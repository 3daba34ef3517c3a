"""A synthetic corpus of N articles, scaled from the real package, with consistent keys and
spans: every article is a copy of the curated one under its own source id, serial and seed.

    python benchmarks/corpus.py N OUTDIR
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datapkg.loader import default_data_dir, read_arrow, table_path
from datapkg.metadata import release_date
from datapkg.publish import write_package
from datapkg.registry import ID_PATTERN, TABLES

BASE_SERIAL = "000"


def source_ids(n: int) -> list[str]:
    return [f"{i:03d}_{hashlib.sha256(str(i).encode()).hexdigest()[:16]}" for i in range(n)]


def scale_table(name: str, base: pa.Table, ids: list[str]) -> pa.Table:
    """``base`` repeated once per source, with source ids, id prefixes and seed paths changed."""
    rows, n = base.num_rows, len(ids)
    if rows == 0:
        return base
    serials = pa.array(np.repeat([i.split("_")[0] + "." for i in ids], rows))
    sources = pa.array(np.repeat(ids, rows))
    table = pa.concat_tables([base] * n)
    columns = {}
    for f in TABLES[name].fields:
        column = table.column(f.name).combine_chunks()
        if f.name == "source_id":
            column = sources
        elif f.pattern == ID_PATTERN:
            local = pc.replace_substring_regex(column, f"^{BASE_SERIAL}\\.", "")
            column = pc.if_else(pc.is_null(column), column,
                                pc.binary_join_element_wise(serials, local, ""))
        elif name == "sources" and f.name == "seed_path":
            column = pa.array([f"seeds/{i}.txt" for i in ids])
        columns[f.name] = column
    return pa.Table.from_pydict(columns, schema=base.schema)


def build_corpus(n: int, out: Path, base_dir: Path | None = None) -> int:
    """Write an N-article package to ``out``; return its total row count."""
    base_dir = base_dir or default_data_dir()
    ids = source_ids(n)
    tables = {name: scale_table(name, read_arrow(table_path(base_dir, name, "parquet"), name,
                                                 "parquet"), ids)
              for name in TABLES}
    seed = next((base_dir / "seeds").iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        seeds = {}
        for source_id in ids:
            seeds[source_id] = Path(tmp) / f"{source_id}.txt"
            shutil.copyfile(seed, seeds[source_id])
        if out.exists():
            shutil.rmtree(out)
        write_package(tables, seeds, out, release_date())
    return sum(t.num_rows for t in tables.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="directory to write the package to")
    args = parser.parse_args()
    print(f"{build_corpus(args.n, args.out)} rows written to {args.out}")


if __name__ == "__main__":
    main()
