"""The benchmark scripts keep working: run them at their smallest size (no timing asserted)."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import datapkg
from datapkg import registry
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


def test_floor_benchmark_runs_at_the_smallest_sizes():
    """The floor and each validation are timed in pairs; every line names its size, rows,
    command, ratio to the floor (1 for the floor itself) and ratio to the floor run as the
    command runs its process (1 for that floor itself). Then each target of a size measured:
    the published package's time against the floor, met where its ratio is within the
    limit."""
    done = subprocess.run([sys.executable, "benchmarks/bench_floor.py", "--sizes", "1", "2",
                           "--pairs", "1", "--start-up-pairs", "1"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout.splitlines()
    assert out[0].split()[:4] == ["N", "rows", "arrow", "MiB"]
    blank = out.index("")
    lines = [line.split() for line in out[2:blank]]
    assert [(row[0], " ".join(row[4:-6])) for row in lines] == [
        ("1", "floor"), ("1", "floor, as the command"), ("1", "validate --no-curation"),
        ("1", "validate"), ("2", "floor"), ("2", "floor, as the command"),
        ("2", "validate --no-curation")]
    assert int(lines[0][1]) == ROWS_PER_COPY + SHARED_ROWS
    assert int(lines[4][1]) == 2 * ROWS_PER_COPY + SHARED_ROWS
    assert lines[0][-4] == lines[4][-4] == "1.00"  # the floor against itself
    assert lines[1][-1] == lines[5][-1] == "1.00"  # the floor as the command, against itself
    assert out[blank + 1].split() == ["N", "target", "limit", "found", "met"]
    targets = [line.split() for line in out[blank + 2:]]
    assert [(row[0], " ".join(row[1:-3])) for row in targets] == [
        ("1", "validate --no-curation / floor")]  # size 2 has none
    limit, found, met = targets[0][-3:]
    assert found == lines[2][-4]  # the published package's ratio, as its line gives it
    assert met == ("yes" if float(found) <= float(limit) else "no")


def test_corpus_generator_keeps_keys_and_spans_consistent(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import build_corpus

    from datapkg.validate import validate_package

    assert build_corpus(3, tmp_path / "data") == 3 * ROWS_PER_COPY + SHARED_ROWS
    assert validate_package(tmp_path / "data") == []


def test_engine_benchmark_runs_on_the_published_package():
    """Each check in each engine, one line a pair, each finding nothing wrong in the
    published package; the script exits 0 where the engines agree."""
    done = subprocess.run([sys.executable, "benchmarks/bench_engines.py", "--sizes", "1",
                           "--rounds", "1"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout.splitlines()
    assert out[0].split() == ["N", "rows", "check", "engine", "s", "cpu", "s", "found"]
    lines = [line.split() for line in out[2:]]
    assert [(" ".join(row[2:4]), " ".join(row[4:-3])) for row in lines] == [
        (check, engine) for engine in ("arrow (validation)", "duckdb, 1 thread",
                                       "duckdb, 2 threads")
        for check in ("foreign keys", "primary keys")]
    assert {int(row[1]) for row in lines} == {ROWS_PER_COPY + SHARED_ROWS}
    assert {row[-1] for row in lines} == {"0"}


def test_the_engines_find_the_same_broken_references_and_repeated_keys():
    """A reference to no key and a repeated key: validation's checks and DuckDB's queries
    each find both, so the benchmark compares engines doing the same work."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_engines import engines

    frames = datapkg.load()
    table, key = next((name, key) for name, table in registry.TABLES.items()
                      for key in table.foreign_keys
                      if len(frames[name]) and len(key.fields) == 1)
    broken = {name: frame.copy() for name, frame in frames.items()}
    broken[table].loc[broken[table].index[0], key.fields[0]] = "no such key"
    repeated = next(name for name, frame in frames.items()
                    if name != table and len(frame) and registry.TABLES[name].primary_key)
    broken[repeated] = pd.concat([broken[repeated], broken[repeated].iloc[:1]],
                                 ignore_index=True)
    found = {engine: {check: call() for check, call in checks.items()}
             for engine, checks in engines(broken).items()}
    assert len(found) == 3
    assert all(counts == {"foreign keys": 1, "primary keys": 1}
               for counts in found.values()), found


@pytest.mark.parametrize("order", [[], ["--shuffled"]])
def test_key_growth_benchmark_finds_what_its_columns_hold(order):
    """At two small sizes, ids in order or shuffled, each key check gives a line with its
    time, the power of the rows its time grew with (none for the first size) and what it
    found: the one repeated id, and the references past the table's ids (about 3 in 10),
    each checked by the script itself (exit 0)."""
    done = subprocess.run([sys.executable, "benchmarks/bench_keys.py", "--rows", "0.001",
                           "0.003", "--rounds", "1", *order], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout.splitlines()
    assert out[0].split() == ["check", "rows", "cpu", "s", "ns/row", "power", "found"]
    lines = [line.split() for line in out[1:]]
    assert [(" ".join(row[:2]), row[2]) for row in lines] == [
        ("primary key", "1,000"), ("foreign key", "1,000"),
        ("primary key", "3,000"), ("foreign key", "3,000")]
    assert [len(row) for row in lines] == [6, 6, 7, 7]  # a power from the second size on
    assert lines[0][-1] == lines[2][-1] == "1"
    for row in (lines[1], lines[3]):
        rows, missing = int(row[2].replace(",", "")), int(row[-1].replace(",", ""))
        assert 0.2 * rows < missing < 0.4 * rows


def test_key_growth_benchmark_fails_when_a_check_finds_otherwise(monkeypatch, capsys):
    """A key check that finds what the column does not hold makes the script exit 1,
    naming the check: its numbers are never printed as if all were well."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_keys

    monkeypatch.setattr(bench_keys, "repeats_a_row", lambda rows: False)
    monkeypatch.setattr(sys, "argv", ["bench_keys", "--rows", "0.001", "--rounds", "1"])
    assert bench_keys.main() == 1
    assert "primary key, 1,000 rows: found 0, not 1" in capsys.readouterr().err


def test_key_growth_is_the_power_of_the_rows():
    """The growth printed is the power of the rows the time grew with: 1 where both doubled,
    2 where the time grew as the square; none where the rows did not change."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_keys import grown

    assert grown((1000, 0.5), (2000, 1.0)) == "1.00"
    assert grown((1000, 0.5), (3000, 4.5)) == "2.00"
    assert grown((1000, 0.5), (1000, 0.7)) == grown((1000, 0.0), (2000, 1.0)) == ""
