"""How the key checks grow with one table's rows: near-linear, not with its square.

    uv run --locked python benchmarks/bench_keys.py [--rows 1 2 4 8] [--rounds 3]

A package may hold one source whose tables are as long as their files' cap allows (2 GiB a
file: tens of millions of rows), so the checks on a table's keys must grow with its rows, not
faster. For each size (millions of rows), a key column of ids like the corpus's (``001.m7``),
in chunks of 131,072 rows as Arrow's CSV reader leaves them, is checked as validation checks
it, on a worker thread as validation runs its checks, with validation's allocator
(``validate.returning_memory``):

- primary key: whether an id repeats (``validate.repeats_a_row``);
- foreign key: whether each of as many references, 7 in 10 of them to ids of the table,
  is among its ids (``validate.missing_from``).

Prints, for each check and size, the median thread CPU seconds over --rounds, the
nanoseconds a row, the growth from the size before (time over time, for twice the rows when
the sizes double: about 2 is linear; 4 would be the square), and what the check found: the
primary key no repeated id, the foreign key each reference past the table's ids. A check that
finds anything else is named on stderr, and the script exits 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from datapkg.validate import missing_from, repeats_a_row, returning_memory

CHUNK = 2**17  # rows in a chunk, as the CSV reader's blocks of validation give them


def ids(numbers: np.ndarray) -> pa.ChunkedArray:
    """One id a number, ``<serial>.m<n>`` with 114 ids a serial, in chunks of CHUNK rows."""
    text = pa.array([f"{n // 114:03d}.m{n % 114}" for n in numbers.tolist()], pa.large_string())
    return pa.chunked_array([text.slice(at, CHUNK) for at in range(0, len(text), CHUNK)])


class Check(NamedTuple):
    call: Callable[[], int]  # what the check found, as a number
    expected: int


def checks(rows: int) -> dict[str, Check]:
    """Each check on a table of ``rows`` rows, with what it must find."""
    keys = ids(np.arange(rows))
    # 7 references in 10 to ids of the table, the rest to ids past its end
    numbers = np.random.default_rng(0).integers(0, rows * 10 // 7, rows)
    key_table = pa.table({"id": keys})
    target = pd.Series(pd.arrays.ArrowStringArray(keys))
    referring = [pd.Series(pd.arrays.ArrowStringArray(ids(numbers)))]
    return {"primary key": Check(lambda: int(repeats_a_row(key_table)), 0),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1, 2, 4, 8],
                        help="sizes, in millions of rows")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'check':<12} {'rows':>11} {'cpu s':>7} {'ns/row':>7} {'growth':>7} {'found':>9}")
    before: dict[str, tuple[int, float]] = {}
    wrong = []
    with returning_memory:
        for millions in args.rows:
            rows = int(millions * 1_000_000)
            for name, check in checks(rows).items():
                runs = [thread_seconds(check.call) for _ in range(args.rounds)]
                seconds = statistics.median(cpu for cpu, _ in runs)
                wrong += [f"{name}, {rows:,} rows: found {found}, not {check.expected}"
                          for found in {found for _, found in runs} - {check.expected}]
                growth = ""
                if name in before:
                    rows_before, seconds_before = before[name]
                    growth = f"{seconds / seconds_before:.2f}"
                    if rows != 2 * rows_before:
                        growth += f" ({rows / rows_before:.2g}× rows)"
                before[name] = rows, seconds
                print(f"{name:<12} {rows:>11,} {seconds:>7.3f} {1e9 * seconds / rows:>7.0f} "
                      f"{growth:>7} {runs[0][1]:>9,}", flush=True)
    for line in wrong:
        print(line, file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
