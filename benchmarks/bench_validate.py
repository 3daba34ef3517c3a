"""Validation at corpus scale: `datapkg validate` against `frictionless validate`.

    .venv/bin/python benchmarks/bench_validate.py [--sizes 10 100 1000 10000]

For each N, writes a synthetic package of N articles (benchmarks/corpus.py), then times, in
fresh processes: our full validation (every layer but the comparison with the curation
scripts, which exist for the real article only), and `frictionless validate` on the same
descriptor, which runs only while it finishes within --frictionless-limit seconds. Prints
rows, seconds, rows per second, time per row, peak memory, and the data's in-memory size.
Ours is the median of --repeat runs (seconds and peak memory each), so that one slow or one
lucky run on a busy machine does not move it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import built_apart  # noqa: E402

BIN = Path(sys.executable).parent
TIMED_VALIDATE = (
    "import sys, time; from datapkg.validate import validate_package; "
    "t = time.perf_counter(); f = validate_package(sys.argv[1]); "
    "print(time.perf_counter() - t, len(f))"
)
IN_MEMORY = (
    "import sys, datapkg; "
    "print(sum(int(f.memory_usage(deep=True).sum()) for f in datapkg.load(path=sys.argv[1]).values()))"
)


def measured(command: list[str], timeout: float | None = None) -> tuple[float, int, str, bool]:
    """Wall seconds, the child's peak RSS in bytes (wait4), its stdout, and whether it
    finished within ``timeout``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    deadline = None if timeout is None else start + timeout
    chunks = []
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return time.perf_counter() - start, 0, "", False
        time.sleep(0.05)
    wall = time.perf_counter() - start
    chunks.append(process.stdout.read())
    return wall, usage.ru_maxrss * 1024, "".join(chunks), True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--frictionless-limit", type=float, default=300.0,
                        help="seconds; larger N are skipped once frictionless exceeds it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of our validation per N; their median is printed")
    args = parser.parse_args()
    header = (f"{'N':>6} {'rows':>9} {'in-memory':>10} | {'ours s':>7} {'in-proc s':>9} "
              f"{'rows/s':>9} {'µs/row':>7} {'peak MB':>8} {'peak/data':>9} | "
              f"{'frictionless s':>14} {'rows/s':>8} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    frictionless_on = True
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            package = Path(tmp) / "data"
            rows = built_apart(n, package)
            size = int(subprocess.run([sys.executable, "-c", IN_MEMORY, str(package)],
                                      capture_output=True, text=True, check=True).stdout)
            runs = [measured([sys.executable, "-c", TIMED_VALIDATE, str(package)])
                    for _ in range(args.repeat)]
            assert all(out.split()[1] == "0" for _, _, out, _ in runs), \
                f"the synthetic package of {n} articles is invalid"
            wall = statistics.median(run[0] for run in runs)
            peak = statistics.median(run[1] for run in runs)
            inner = statistics.median(float(run[2].split()[0]) for run in runs)
            line = (f"{n:>6} {rows:>9} {size / 2**20:>8.1f}MB | {wall:>7.2f} "
                    f"{float(inner):>9.2f} {rows / wall:>9.0f} {1e6 * wall / rows:>7.1f} "
                    f"{peak / 2**20:>8.0f} {peak / size:>9.2f} | ")
            if frictionless_on:
                f_wall, _, _, finished = measured(
                    [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")],
                    timeout=args.frictionless_limit)
                if finished:
                    line += f"{f_wall:>14.1f} {rows / f_wall:>8.0f} {f_wall / wall:>6.1f}"
                else:
                    frictionless_on = False
                    line += f"{'> ' + str(int(args.frictionless_limit)):>14} {'':>8} {'':>6}"
            else:
                line += f"{'skipped':>14}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
