"""A synthetic corpus scaled from a real package, with consistent keys and spans: the
package's articles copied N times, each copy of an article under its own source id, serial
and seed. The actors, shared by the corpus, stay as they are. A package of several articles
gives N times as many.

    python benchmarks/corpus.py N OUTDIR [--from PACKAGE]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datapkg.loader import default_data_dir, read_arrow, table_path
from datapkg.metadata import release_date
from datapkg.publish import package_files, replace_directory, write_package
from datapkg.registry import ID_PATTERN, TABLES


def source_ids(n: int) -> list[str]:
    return [f"{i:03d}_{hashlib.sha256(str(i).encode()).hexdigest()[:16]}" for i in range(n)]


def scale_table(name: str, base: pa.Table, base_sources: list[str], copies: int,
                new_ids: list[str]) -> pa.Table:
    """``base`` repeated ``copies`` times; in copy c, the rows of the base's source i belong
    to ``new_ids[c * len(base_sources) + i]``: its source id, id prefixes and seed path."""
    if "source_id" not in base.column_names or base.num_rows == 0:
        return base  # the corpus's own tables are shared, not copied
    table = pa.concat_tables([base] * copies)
    copy = np.repeat(np.arange(copies), base.num_rows)
    position = pc.index_in(table["source_id"], value_set=pa.array(base_sources)).to_numpy()
    sources = np.asarray(new_ids)[copy * len(base_sources) + position]
    prefixes = pa.array(np.char.add(np.array([s.split("_")[0] for s in sources]), "."))
    columns = {}
    for f in TABLES[name].fields:
        column = table.column(f.name).combine_chunks()
        if f.name == "source_id":
            column = pa.array(sources)
        elif f.pattern == ID_PATTERN:
            local = pc.replace_substring_regex(column, r"^[0-9]+\.", "")
            column = pc.if_else(pc.is_null(column), column,
                                pc.binary_join_element_wise(prefixes, local, ""))
        elif name == "sources" and f.name == "seed_path":
            column = pa.array([f"seeds/{s}.txt" for s in sources])
        columns[f.name] = column
    return pa.Table.from_pydict(columns, schema=base.schema)


def build_corpus(copies: int, out: Path, base_dir: Path | None = None) -> int:
    """Write the base package's articles ``copies`` times over to ``out``; return the total
    row count."""
    base_dir = base_dir or default_data_dir()
    base = {name: read_arrow(table_path(base_dir, name, "parquet"), name, "parquet")
            for name in TABLES}
    base_sources = base["sources"]["source_id"].to_pylist()
    seed_paths = dict(zip(base_sources, base["sources"]["seed_path"].to_pylist()))
    new_ids = source_ids(copies * len(base_sources))
    tables = {name: scale_table(name, table, base_sources, copies, new_ids)
              for name, table in base.items()}
    with tempfile.TemporaryDirectory() as tmp:
        seeds = {}
        for i, source_id in enumerate(new_ids):
            seeds[source_id] = Path(tmp) / f"{source_id}.txt"
            original = base_sources[i % len(base_sources)]
            shutil.copyfile(base_dir / seed_paths[original], seeds[source_id])
        # A package there before is replaced; a folder holding anything else is refused.
        replace_directory(out, lambda d: write_package(tables, seeds, d, release_date()),
                          package_files, "build")
    return sum(t.num_rows for t in tables.values())


def built_apart(copies: int, out: Path) -> int:
    """``build_corpus`` in a process of its own; the total row count. A benchmark that reads
    its children's peak memory builds its corpora so: a child forked from a process that had
    grown to hold a corpus starts with that process's resident set, and its peak (wait4's
    ``ru_maxrss``) would report it."""
    done = subprocess.run([sys.executable, __file__, str(copies), str(out)], check=True,
                          stdout=subprocess.PIPE, text=True)  # its errors shown as they come
    return int(done.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many copies of the package's articles")
    parser.add_argument("out", type=Path, help="directory to write the package to")
    parser.add_argument("--from", dest="base", type=Path, help="package to scale (default: "
                                                               "the published one)")
    args = parser.parse_args()
    print(f"{build_corpus(args.n, args.out, args.base)} rows written to {args.out}")


if __name__ == "__main__":
    main()
