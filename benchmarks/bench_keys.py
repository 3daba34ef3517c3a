"""How the key checks grow with one table's rows.

    uv run --locked python benchmarks/bench_keys.py [--rows 1 2 4 8] [--rounds 3] [--shuffled]

A package may hold one source whose tables are as long as their files' cap allows (2 GiB a
file: tens of millions of rows), so the checks on a table's keys must grow with its rows, not
with their square. For each size (millions of rows), a key column of ids like the corpus's
(``001.m7``), in the order a package writes them (with --shuffled, in a random order, as a
hostile package may) and in chunks of 131,072 rows (any column of more than one chunk, as
Arrow's readers leave a long one, shows the cost of taking from it), is checked as
validation checks it, on a worker thread as validation runs its checks, with validation's
allocator (``validate.returning_memory``):

- primary key: whether an id repeats (``validate.repeats_a_row``), on a column whose one
  repeated id sorts last, so that the check looks at every block before it finds it;
- foreign key: whether each of as many references, 7 in 10 of them to ids of the table,
  is among its ids (``validate.missing_from``).

Prints, for each check and size, the median thread CPU seconds over --rounds, the
nanoseconds a row, the power of the rows that the time grew with since the size before
(``log(time / time before) / log(rows / rows before)``: 1 is linear, 2 the square), and what
the check found: the primary key its repeated id (1), the foreign key each reference past
the table's ids. A check that finds anything else is named on stderr, and the script exits 1.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from datapkg.validate import missing_from, repeats_a_row, returning_memory

CHUNK = 2**17  # rows in a chunk


def ids(numbers: np.ndarray) -> pa.ChunkedArray:
    """One id a number, ``<serial>.m<n>`` with 114 ids a serial, in chunks of CHUNK rows."""
    text = pa.array([f"{n // 114:03d}.m{n % 114}" for n in numbers.tolist()], pa.large_string())
    return pa.chunked_array([text.slice(at, CHUNK) for at in range(0, len(text), CHUNK)],
                            pa.large_string())


class Check(NamedTuple):
    call: Callable[[], int]  # what the check found, as a number
    expected: int


def checks(rows: int, shuffled: bool) -> dict[str, Check]:
    """Each check on a table of ``rows`` rows (two or more), its ids in order or
    ``shuffled``, with what it must find."""
    rng = np.random.default_rng(0)
    keys = ids(rng.permutation(rows) if shuffled else np.arange(rows))
    # the same ids but the last, and the one of them that sorts last twice
    unique = keys.slice(0, rows - 1)
    repeated = pa.chunked_array([*unique.chunks, pa.array([pc.max(unique).as_py()],
                                                          pa.large_string())])
    key_table = pa.table({"id": repeated})
    # 7 references in 10 to ids of the table, the rest to ids past its end
    numbers = rng.integers(0, rows * 10 // 7, rows)
    target = pd.Series(pd.arrays.ArrowStringArray(keys))
    referring = [pd.Series(pd.arrays.ArrowStringArray(ids(numbers)))]
    return {"primary key": Check(lambda: int(repeats_a_row(key_table)), 1),
            "foreign key": Check(lambda: int(missing_from(referring, target)[0].sum()),
                                 int((numbers >= rows).sum()))}


def thread_seconds(call: Callable[[], int]) -> tuple[float, int]:
    """The CPU seconds of ``call`` on a worker thread, and what it returned."""
    def timed() -> tuple[float, int]:
        start = time.thread_time()
        found = call()
        return time.thread_time() - start, found

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(timed).result()


def grown(before: tuple[int, float], now: tuple[int, float]) -> str:
    """The power of the rows that the time grew with from ``before`` to ``now`` (each rows
    and seconds), two decimals; empty where the rows or a time give none."""
    (rows_before, seconds_before), (rows, seconds) = before, now
    if rows == rows_before or seconds_before <= 0 or seconds <= 0:
        return ""
    return f"{math.log(seconds / seconds_before) / math.log(rows / rows_before):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1, 2, 4, 8],
                        help="sizes, in millions of rows")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shuffled", action="store_true", help="ids in a random order")
    args = parser.parse_args()
    print(f"{'check':<12} {'rows':>11} {'cpu s':>7} {'ns/row':>7} {'power':>6} {'found':>9}")
    before: dict[str, tuple[int, float]] = {}
    wrong = []
    with returning_memory:
        for millions in args.rows:
            rows = max(2, round(millions * 1_000_000))
            for name, check in checks(rows, args.shuffled).items():
                runs = [thread_seconds(check.call) for _ in range(args.rounds)]
                seconds = statistics.median(cpu for cpu, _ in runs)
                wrong += [f"{name}, {rows:,} rows: found {found}, not {check.expected}"
                          for found in {found for _, found in runs} - {check.expected}]
                power = grown(before[name], (rows, seconds)) if name in before else ""
                before[name] = rows, seconds
                print(f"{name:<12} {rows:>11,} {seconds:>7.3f} {1e9 * seconds / rows:>7.0f} "
                      f"{power:>6} {runs[0][1]:>9,}", flush=True)
    for line in wrong:
        print(line, file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
