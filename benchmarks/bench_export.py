"""Export time: the package scaled to N copies of its articles (benchmarks/corpus.py), each
format written by ``datapkg.export`` in this process, load included; prints records and
seconds per format."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus import build_corpus

import datapkg
from datapkg.formats import FORMATS


def timed_export(fmt: str, package: Path, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    written = datapkg.export(fmt, out / fmt, path=package)
    return time.perf_counter() - start, len(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    print(f"{'N':>5} {'format':<8} {'files':>6} {'seconds':>8}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            package = Path(tmp) / "data"
            build_corpus(n, package)
            for fmt in FORMATS:
                seconds, files = timed_export(fmt, package, Path(tmp) / "out")
                print(f"{n:>5} {fmt:<8} {files:>6} {seconds:>8.3f}", flush=True)


if __name__ == "__main__":
    main()
