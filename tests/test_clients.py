"""Independent readers: the frictionless CLI, and an installed wheel with no checkout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datapkg.metadata import NAME

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_frictionless_validate_passes_on_the_descriptor():
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json"],
                            cwd=ROOT / "data", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


def test_wheel_installs_and_loads_with_no_checkout(wheel, tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to make the throwaway environment (pip install uv)")
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=env)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), str(wheel)],
                   check=True, env=env)
    code = ("import datapkg, pathlib; t = datapkg.load(); c = datapkg.load(format='csv'); "
            "print(pathlib.Path(datapkg.__file__).parent); "
            "print(sum(len(f) for f in t.values()), sum(len(f) for f in c.values()))")
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    assert not out[0].startswith(str(ROOT))
    rows_parquet, rows_csv = map(int, out[1].split())
    assert rows_parquet == rows_csv > 0
    code = "import datapkg; print(datapkg.codebook_path().read_text().startswith('# '))"
    assert subprocess.run([str(python), "-c", code], cwd=tmp_path, check=True, capture_output=True,
                          text=True).stdout.strip() == "True"  # the codebook ships in the wheel
    # without the validate extra, validate says how to install it
    result = subprocess.run([str(venv / "bin" / "datapkg"), "validate"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (f"datapkg validate: needs pandera, which is not installed; install it "
                             f"with: pip install '{NAME}[validate]'\n")
    # the reading commands work from the plain install, and say which check they ran
    from datapkg.cli import HASHES_ONLY

    datapkg = str(venv / "bin" / "datapkg")
    result = subprocess.run([datapkg, "cite"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == HASHES_ONLY + "\n"
    assert result.stdout.startswith(f"Curators of {NAME}. (")
    assert "built from commit" not in result.stdout  # no git in an installed copy
    # what only a checkout has is refused in one line, and nothing is written into the install
    for args, says in ((["render"], "--out DIR"), (["build"], "needs a checkout"),
                       (["check"], "needs a checkout")):
        result = subprocess.run([datapkg, *args], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert says in result.stderr
    (site_packages,) = venv.glob("lib/python*/site-packages")
    assert not (site_packages / "site").exists() and not (site_packages / "scripts").exists()


# --- the tools people read the files with: the same answers as datapkg.load() ---------------

DATA = ROOT / "data"


def test_pandas_reads_parquet_and_csv_directly_with_the_declared_dtypes():
    import pandas as pd

    import datapkg

    for name, expected in datapkg.load().items():
        pd.testing.assert_frame_equal(pd.read_parquet(DATA / f"{name}.parquet"), expected)
        from_csv = pd.read_csv(DATA / f"{name}.csv", dtype=datapkg.dtypes(name),
                               keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(from_csv, expected)


SPEAKERS_SQL = """
SELECT s.statement_id, a.name AS speaker, s.text
FROM '{d}/statements.parquet' s
JOIN '{d}/statement_attributions.parquet' l USING (statement_id)
JOIN '{d}/actors.parquet' a ON a.actor_id = l.actor_id
WHERE l.role = 'speaker'
ORDER BY s.statement_id, speaker
"""


def speakers_with_pandas():
    import datapkg

    t = datapkg.load()
    links = t["statement_attributions"].query("role == 'speaker'")
    joined = (t["statements"][["statement_id", "text"]]
              .merge(links[["statement_id", "actor_id"]], on="statement_id")
              .merge(t["actors"][["actor_id", "name"]], on="actor_id"))
    rows = joined[["statement_id", "name", "text"]].sort_values(["statement_id", "name"])
    return [tuple(r) for r in rows.itertuples(index=False)]


def test_duckdb_joins_statements_to_their_speakers():
    import duckdb

    rows = duckdb.sql(SPEAKERS_SQL.format(d=DATA)).fetchall()
    assert rows and rows == speakers_with_pandas()
    csv_rows = duckdb.sql(SPEAKERS_SQL.format(d=DATA).replace(".parquet", ".csv")).fetchall()
    assert csv_rows == rows


def test_polars_reads_both_formats_alike():
    import polars as pl

    import datapkg

    for name, expected in datapkg.load().items():
        parquet = pl.read_parquet(DATA / f"{name}.parquet")
        csv = pl.read_csv(DATA / f"{name}.csv", schema=parquet.schema)
        assert parquet.equals(csv), name
        assert parquet.height == len(expected) and parquet.columns == list(expected.columns)
    mentions = pl.read_parquet(DATA / "mentions.parquet")
    actors = pl.read_parquet(DATA / "actors.parquet")
    people = mentions.join(actors, on="actor_id").filter(pl.col("kind") == "person")
    t = datapkg.load()
    named = t["mentions"].merge(t["actors"], on="actor_id").query("kind == 'person'")
    assert len(people) and set(people["name"]) == set(named["name"])
