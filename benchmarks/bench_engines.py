"""The key checks in validation's Arrow against the same checks in DuckDB.

    uv run --locked python benchmarks/bench_engines.py [--sizes 1 10000] [--rounds 3] [--keep DIR]

Validation checks the keys in Arrow, each check on one thread (two checks at a time). DuckDB,
a development dependency, is the engine the package would move to beyond one process
(docs/scaling.md). For each size N (1 is the published package, larger a synthetic corpus of
N articles, kept in --keep as ``bench_floor.py`` keeps it), the tables are read once, as
validation reads them, and each engine then checks the same tables in memory:

- foreign keys: every reference that is not null and not among its table's keys (validation's
  ``check_foreign_keys``; in DuckDB, one anti join a key);
- primary keys: the tables where a key repeats, among those whose key has no null
  (validation's ``repeats_a_row``, as ``passes_schema`` calls it; in DuckDB, a group by the
  key's columns).

DuckDB reads the Arrow columns without copying them (the nullable integers of pandas are
handed over as Arrow first, outside the timing). For each check and engine, the median over
--rounds of the wall seconds and of the CPU seconds (every thread of the process), and what
it found: the engines must find the same, or the script says where they differ and exits 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_floor import package_of  # noqa: E402

from datapkg.registry import TABLES  # noqa: E402
from datapkg.validate import (  # noqa: E402
    check_foreign_keys,
    foreign_keys,
    key_columns,
    read_descriptor,
    read_tables,
    repeats_a_row,
)

Frames = dict[str, pd.DataFrame]


def checked_keys(frames: Frames) -> list[str]:
    """The tables whose primary key has no null: the ones whose repeats a check looks for."""
    return [name for name, frame in frames.items() if TABLES[name].primary_key
            and not frame[list(TABLES[name].primary_key)].isna().any().any()]


def arrow_foreign_keys(frames: Frames) -> int:
    return len(check_foreign_keys(frames, {name: name for name in frames}))


def arrow_primary_keys(frames: Frames) -> int:
    return sum(repeats_a_row(key_columns(frames[name], TABLES[name]))
               for name in checked_keys(frames))


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_foreign_keys(con, frames: Frames) -> int:
    found = 0
    for name, key in foreign_keys(frames):
        on = " AND ".join(f"r.{quoted(f)} = t.{quoted(g)}"
                          for f, g in zip(key.fields, key.reference))
        present = " AND ".join(f"r.{quoted(f)} IS NOT NULL" for f in key.fields)
        found += con.execute(f"SELECT count(*) FROM {quoted(name)} r ANTI JOIN "
                             f"{quoted(key.table)} t ON {on} WHERE {present}").fetchall()[0][0]
    return found


def duckdb_primary_keys(con, frames: Frames) -> int:
    found = 0
    for name in checked_keys(frames):
        columns = ", ".join(quoted(c) for c in TABLES[name].primary_key)
        found += con.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted(name)} GROUP BY {columns} "
                             "HAVING count(*) > 1)").fetchall()[0][0]
    return found


def as_arrow(frames: Frames) -> dict[str, pa.Table]:
    """Each table as DuckDB reads it: Arrow columns (no copy of the text columns)."""
    return {name: pa.table({c: pa.array(frame[c], from_pandas=True) for c in frame.columns})
            for name, frame in frames.items()}


def connected(tables: dict[str, pa.Table], threads: int):
    import duckdb

    con = duckdb.connect(config={"threads": threads})
    for name, table in tables.items():
        con.register(name, table)
    return con


def engines(frames: Frames) -> dict[str, dict[str, Callable[[], int]]]:
    """For each engine, each check as a call that returns what it found."""
    tables = as_arrow(frames)
    ducks = {f"duckdb, {n} thread{'s' * (n > 1)}": connected(tables, n) for n in (1, 2)}
    return {"arrow (validation)": {"foreign keys": lambda: arrow_foreign_keys(frames),
                                   "primary keys": lambda: arrow_primary_keys(frames)}} | {
        engine: {"foreign keys": lambda con=con: duckdb_foreign_keys(con, frames),
                 "primary keys": lambda con=con: duckdb_primary_keys(con, frames)}
        for engine, con in ducks.items()}


def timed(check: Callable[[], int], rounds: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds over ``rounds``, and what the check found."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        found = check()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the synthetic corpora in")
    args = parser.parse_args()
    header = f"{'N':>6} {'rows':>9} {'check':<13} {'engine':<19} {'s':>6} {'cpu s':>6} {'found':>6}"
    print(header)
    print("-" * len(header))
    disagree = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            package = package_of(n, args.keep, Path(tmp))
            frames = read_tables(package, read_descriptor(package)[0])[0]
            rows = sum(len(frame) for frame in frames.values())
            found: dict[str, set[int]] = {}
            for engine, checks in engines(frames).items():
                for check, call in checks.items():
                    wall, cpu, count = timed(call, args.rounds)
                    found.setdefault(check, set()).add(count)
                    print(f"{n:>6} {rows:>9} {check:<13} {engine:<19} {wall:>6.2f} {cpu:>6.2f} "
                          f"{count:>6}", flush=True)
            disagree += [f"{n} articles, {check}: the engines found {sorted(counts)}"
                         for check, counts in found.items() if len(counts) > 1]
    for line in disagree:
        print(line, file=sys.stderr)
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
