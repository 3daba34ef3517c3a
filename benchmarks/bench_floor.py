"""Validation against the floor: what any validator must do at least.

    .venv/bin/python benchmarks/bench_floor.py [--sizes 1 300 10000] [--pairs 3]
        [--start-up-pairs 15] [--keep DIR]

The floor reads every file of a package, hashes it with sha256 (the descriptor's algorithm)
and parses every CSV and Parquet table with pyarrow, typed by the package's Table Schemas,
two files at a time (validation's READERS) on Arrow's two CPU threads: ``--floor DIR`` runs
it alone, in the interpreter given, and prints the tables' in-memory size.

For each size N, a package of N articles (benchmarks/corpus.py; 1 is the published package
itself) is validated with ``datapkg validate --no-curation`` (and, for the published package,
plain ``datapkg validate`` too, which also rebuilds it from the curation scripts). Each of
--pairs rounds (--start-up-pairs for the published package) runs the floor and then each
validation, every one a fresh process, so a busy machine slows both sides of a pair alike; a
ratio is the median, over the rounds, of validation's time divided by the same round's floor.
Each round also runs the floor in a process run as the datapkg command runs its own ("floor,
as the command"): its libraries imported with the cyclic collector paused and what they made
frozen (cli.importing), its objects frozen at the end so that the interpreter's exit does not
collect them (cli.exit_without_collecting); glibc's threshold for mapping
(cli.map_large_allocations) it leaves as it is, since the floor's tables are in Arrow's own
memory. "/cmd" is each line's ratio to that floor, which leaves the process's tuning out of
both sides of the ratio (on the published package, the collections while pandas and pyarrow
are imported take 30 to 40 ms, those of the exit about 60 ms). The package's own modules are
compiled to bytecode first, as an installed wheel has them, so that no round pays for
compiling them (where PYTHONDONTWRITEBYTECODE is set, a checkout's never are). Peak memory is
each child's maximum resident set (wait4), median over the rounds, given beside two sizes of
the tables in memory: "arrow", the sum of pyarrow's ``Table.nbytes`` over the CSV tables as
the floor parsed them, and "pandas", the sum of ``DataFrame.memory_usage(deep=True)`` over the
tables as ``datapkg.load`` gives them (the frames validation checks); "peak/pd" is peak /
pandas. Last, for each size measured that has targets (``TARGETS``: the published package's
time, and time and memory at 10,000 articles), one line gives the limit, what was found and
whether it is met.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The floor in a process run as the datapkg command runs its own (cli.run): its libraries
# imported with the collector paused (cli.importing), its objects frozen at the end
# (cli.exit_without_collecting).
AS_COMMAND = "floor, as the command"
THREADS = 2  # validation's readers and checkers (datapkg.validate.READERS, CHECKERS)
# What validation must reach, by package size: its time at most so many times the floor's,
# its peak memory at most so many times the tables in pandas (docs/scaling.md).
TARGETS = {1: {"time": 1.3}, 10000: {"time": 1.5, "peak": 1.5}}
MEASURES = {"time": "validate --no-curation / floor", "peak": "peak / tables in pandas"}
TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_",
         "date": "date32"}


def floor(directory: Path) -> tuple[int, int]:
    """Read, hash and parse every file of the package; its rows and the CSV tables' bytes
    in memory (pyarrow ``Table.nbytes``)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    pa.set_cpu_count(THREADS)
    descriptor = json.loads((directory / "datapackage.json").read_bytes())
    schemas = {r["path"]: r["schema"] for r in descriptor["resources"] if "schema" in r}

    def one(path: Path) -> tuple[int, int]:
        # Read into Arrow's own memory, not a Python bytes object: Arrow's threaded readers
        # may let go of their input on a worker thread after the interpreter began to exit,
        # and a Python object let go there aborts the process (datapkg.loader, apache/arrow#34314)
        with pa.OSFile(str(path)) as file:
            data = file.read_buffer()
        hashlib.sha256(data).hexdigest()
        relative = path.relative_to(directory).as_posix()
        if relative.endswith(".parquet"):
            return pq.read_table(pa.BufferReader(data)).num_rows, 0
        if relative.endswith(".csv"):
            fields = json.loads((directory / schemas[relative]).read_bytes())["fields"]
            types = {f["name"]: getattr(pa, TYPES[f["type"]])() for f in fields}
            table = pacsv.read_csv(pa.BufferReader(data), convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True))
            return table.num_rows, table.nbytes
        return 0, 0

    files = [Path(d) / f for d, _, names in os.walk(directory) for f in names]
    with ThreadPoolExecutor(THREADS) as pool:
        done = list(pool.map(one, files))
    return sum(rows for rows, size in done if size), sum(size for _, size in done)


IN_PANDAS = ("import sys, datapkg; print(sum(int(f.memory_usage(deep=True).sum()) "
             "for f in datapkg.load(path=sys.argv[1]).values()))")


def measured(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, the child's peak resident set in bytes (wait4) and its stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, f"{command} failed:\n{out}"
    return wall, usage.ru_maxrss * 1024, out


def package_of(n: int, keep: Path | None, tmp: Path) -> Path:
    """The package of ``n`` articles: the published one for 1, else a synthetic corpus, kept
    in ``keep`` between runs where given."""
    if n == 1:
        return ROOT / "data"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import built_apart

    package = (keep or tmp) / f"corpus-{n}"
    if not (package / "datapackage.json").is_file():
        built_apart(n, package)
    return package


def line_of(name: str, rounds: list[dict]) -> tuple[float, float, float, float]:
    """One command's medians over the rounds: seconds, peak bytes, ratio to the same round's
    floor and to the floor run as the command."""
    median = statistics.median
    return (median(timed[name][0] for timed in rounds),
            median(timed[name][1] for timed in rounds),
            median(timed[name][0] / timed["floor"][0] for timed in rounds),
            median(timed[name][0] / timed[AS_COMMAND][0] for timed in rounds))


def print_targets(found: dict[int, dict[str, float]]) -> None:
    """Each target of a size that was measured: its limit, what was found, whether met."""
    rows = [(n, measure, limit, found[n][measure]) for n, targets in TARGETS.items()
            if n in found for measure, limit in targets.items()]
    if not rows:
        return
    print()
    print(f"{'N':>6} {'target':<32} {'limit':>6} {'found':>6} met")
    for n, measure, limit, value in rows:
        print(f"{n:>6} {MEASURES[measure]:<32} {limit:>6.2f} {value:>6.2f} "
              f"{'yes' if round(value, 2) <= limit else 'no'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 300, 10000])
    parser.add_argument("--pairs", type=int, default=3,
                        help="rounds of floor and validation (but the published package's)")
    parser.add_argument("--start-up-pairs", type=int, default=15,
                        help="rounds for the published package (N = 1), where start-up is most of "
                             "each command's second or less, and a round's noise the most of "
                             "its ratio")
    parser.add_argument("--keep", type=Path, help="folder to keep the synthetic corpora in")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-command", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        if args.as_command:  # the libraries the floor imports, as cli.importing imports them
            gc.disable()
            import pyarrow.csv
            import pyarrow.dataset  # which its first read_table imports, and pandas with it
            import pyarrow.parquet  # noqa: F401
            gc.freeze()
            gc.enable()
        rows, size = floor(args.floor)
        print(rows, size, flush=True)
        if args.as_command:  # as the datapkg command ends its process (cli.run)
            gc.freeze()
        return
    header = (f"{'N':>6} {'rows':>9} {'arrow MiB':>9} {'pandas MiB':>10} {'command':<24} "
              f"{'s':>6} {'floor s':>7} {'ratio':>6} {'peak MiB':>8} {'peak/pd':>7} "
              f"{'/cmd':>7}")
    print(header)
    print("-" * len(header))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "datapkg")], check=True)
    found: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            package = package_of(n, args.keep, Path(tmp))
            commands = {"validate --no-curation": ["--no-curation"]}
            if n == 1:  # the checkout's own package: plain validate rebuilds it too
                commands["validate"] = []
            else:
                commands["validate --no-curation"] += ["--path", str(package)]
            in_pandas = int(measured([sys.executable, "-c", IN_PANDAS, str(package)])[2])
            floor_command = [sys.executable, __file__, "--floor", str(package)]
            rounds = []
            for _ in range(args.start_up_pairs if n == 1 else args.pairs):
                timed = {"floor": measured(floor_command),
                         AS_COMMAND: measured([*floor_command, "--as-command"])}
                timed |= {name: measured([str(BIN / "datapkg"), "validate", *extra])
                          for name, extra in commands.items()}
                rounds.append(timed)
            rows, in_arrow = map(int, rounds[0]["floor"][2].split())
            floor_s = line_of("floor", rounds)[0]
            sizes = f"{n:>6} {rows:>9} {in_arrow / 2**20:>9.1f} {in_pandas / 2**20:>10.1f}"
            for name in ["floor", AS_COMMAND, *commands]:
                wall, peak, ratio, to_command = line_of(name, rounds)
                print(f"{sizes} {name:<24} {wall:>6.2f} {floor_s:>7.2f} {ratio:>6.2f} "
                      f"{peak / 2**20:>8.0f} {peak / in_pandas:>7.2f} {to_command:>7.2f}",
                      flush=True)
            _, peak, ratio, _ = line_of("validate --no-curation", rounds)
            found[n] = {"time": ratio, "peak": peak / in_pandas}
    print_targets(found)


if __name__ == "__main__":
    main()
