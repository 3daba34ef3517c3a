"""Time the build, the validation, and a cold load against a bare pandas + pyarrow read.

    .venv/bin/python benchmarks/bench_load.py [--repeat N]

Prints the median wall time of each, in fresh processes, and the loader's overhead over
the floor (reading the same Parquet files with pyarrow and converting them to pandas).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

FLOOR = (
    "import glob, pandas, pyarrow.parquet as pq; "
    f"[pq.read_table(p).to_pandas() for p in sorted(glob.glob('{ROOT}/data/*.parquet'))]"
)
LOADER = "import datapkg; datapkg.load()"
UNVERIFIED = "import datapkg; datapkg.load(verify=False)"


def once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def timed(command: list[str], repeat: int) -> float:
    return statistics.median(once(command) for _ in range(repeat))


def timed_together(commands: list[list[str]], repeat: int) -> list[float]:
    """Median of each command, run in turn, so that a busy machine slows them alike."""
    runs = [[once(c) for c in commands] for _ in range(repeat)]
    return [statistics.median(column) for column in zip(*runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--load-only", action="store_true", help="skip build and validate")
    args = parser.parse_args()
    rows = [] if args.load_only else [
        ("datapkg build", timed([str(BIN / "datapkg"), "build"], max(1, args.repeat // 3))),
        ("datapkg validate", timed([str(BIN / "datapkg"), "validate"], max(1, args.repeat // 3))),
    ]
    floor, loader, unverified = timed_together(
        [[sys.executable, "-c", code] for code in (FLOOR, LOADER, UNVERIFIED)], args.repeat)
    rows += [("bare pandas + pyarrow read (floor)", floor),
             ("datapkg.load() cold, hashes checked", loader),
             ("datapkg.load(verify=False) cold", unverified)]
    for name, seconds in rows:
        print(f"{name:<38} {seconds * 1000:8.0f} ms")
    print(f"{'loader over the floor':<38} {loader / floor:8.3f} ×")
    print(f"{'hash checks over verify=False':<38} {100 * (loader / unverified - 1):+8.1f} %")


if __name__ == "__main__":
    main()
