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


def timed(command: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = [
        ("datapkg build", timed([str(BIN / "datapkg"), "build"], max(1, args.repeat // 3))),
        ("datapkg validate", timed([str(BIN / "datapkg"), "validate"], max(1, args.repeat // 3))),
    ]
    floor = timed([sys.executable, "-c", FLOOR], args.repeat)
    loader = timed([sys.executable, "-c", LOADER], args.repeat)
    rows += [("bare pandas + pyarrow read (floor)", floor), ("datapkg.load() cold", loader)]
    for name, seconds in rows:
        print(f"{name:<38} {seconds * 1000:8.0f} ms")
    print(f"{'loader overhead over the floor':<38} {100 * (loader / floor - 1):+8.1f} %")


if __name__ == "__main__":
    main()
