"""The benchmark scripts keep working: run them at their smallest size (no timing asserted)."""

import subprocess
import sys
from pathlib import Path

import datapkg
from datapkg.registry import CORPUS_TABLES

ROOT = Path(__file__).resolve().parent.parent
TABLES = datapkg.load()
# Each copy repeats the articles' rows; the corpus's own tables (actors) stay as they are.
SHARED_ROWS = sum(len(TABLES[name]) for name in CORPUS_TABLES)
ROWS_PER_COPY = sum(len(frame) for frame in TABLES.values()) - SHARED_ROWS


def test_validation_benchmark_runs_at_the_smallest_size():
    out = subprocess.run([sys.executable, "benchmarks/bench_validate.py", "--sizes", "10",
                          "--frictionless-limit", "120"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert out[0].split()[:3] == ["N", "rows", "in-memory"]
    row = out[2].split()
    assert row[0] == "10" and int(row[1]) == 10 * ROWS_PER_COPY + SHARED_ROWS


def test_corpus_generator_keeps_keys_and_spans_consistent(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import build_corpus

    from datapkg.validate import validate_package

    assert build_corpus(3, tmp_path / "data") == 3 * ROWS_PER_COPY + SHARED_ROWS
    assert validate_package(tmp_path / "data") == []
