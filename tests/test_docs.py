"""The README: its row counts are the data's, and every code block in it runs.

The shell blocks for users run in a fresh environment holding nothing but what they install
(the project's wheel is found by its distribution name, as the package index would find it);
the Python blocks run outside the checkout, the R block with Debian's R and its results are
compared with pandas, and the maintainers' block is what CI runs (`.ci/run`)."""

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import datapkg
from datapkg.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent
MAINTAINERS = "## For maintainers"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(language: str, maintainers: bool = False) -> list[str]:
    """The README's code blocks in one language, for users or for maintainers."""
    start = README.index(MAINTAINERS)
    section = README[start:README.index("\n## ", start + 1)] if maintainers else \
        README[:start] + README[README.index("\n## ", start + 1):]
    return [m[2] for m in BLOCK.finditer(section) if m[1] == language]


def test_every_code_block_has_a_language_this_file_runs():
    assert {m[1] for m in BLOCK.finditer(README)} == {"sh", "python", "r"}


def test_the_codebook_and_the_changelog_count_the_data():
    """Counts are generated (the codebook's table list) or stated once per release (the
    changelog's newest entry, unless changes since are waiting under Unreleased); the README
    states none, so that adding an article edits no count by hand."""
    rows = {name: len(frame) for name, frame in datapkg.load().items()}
    codebook = (ROOT / "docs" / "codebook.md").read_text()
    for name, table in TABLES.items():
        assert f"- [`{name}`](#{name}): {table.title} ({rows[name]} rows)" in codebook, name
    assert not re.search(r"\b\d+ (actors|mentions|statements|commitments|events)\b", README)
    newest = (ROOT / "CHANGELOG.md").read_text().split("\n## ")[1]
    if not newest.startswith("[Unreleased]"):
        for table, count in re.findall(r"(\w+) \((\d+)", newest):
            if table in rows:
                assert int(count) == rows[table], table


def test_the_maintainers_commands_are_what_ci_runs():
    (commands,) = blocks("sh", maintainers=True)
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    lines = commands.strip().splitlines()
    assert len(lines) == 2
    assert [line for line in ci if line in lines] == lines  # each once, in this order


def test_the_first_screen_says_what_how_to_install_load_and_cite():
    first = README[:README.index(MAINTAINERS)]
    assert README.index("## Install and load") < README.index("## Cite it") < \
        README.index(MAINTAINERS) < README.index("## What this is")
    assert f"pip install {datapkg_name()}\n" in first
    assert "datapkg.data_dir()" in first and "data/" not in first


def datapkg_name() -> str:
    from datapkg.metadata import NAME

    return NAME


@pytest.fixture(scope="module")
def fresh_env(wheel, tmp_path_factory) -> dict:
    """A new virtual environment with pip and nothing else; pip finds the project's wheel by
    its distribution name beside the package index."""
    venv = tmp_path_factory.mktemp("readme") / "venv"
    subprocess.run([str(BIN / "uv"), "venv", "-q", "--seed", "--python", sys.executable, str(venv)],
                   check=True, env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}:{env['PATH']}",
            "PIP_FIND_LINKS": f"{wheel.parent} {env.get('PIP_FIND_LINKS', '')}".strip()}


def run_sh(script: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=900)


def test_the_install_line_and_the_first_example_work_from_a_fresh_environment(fresh_env, tmp_path):
    install, *_ = blocks("sh")
    result = run_sh(install, fresh_env, tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    first_example = blocks("python")[0]
    result = subprocess.run(["python", "-c", first_example], env=fresh_env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "site-packages" in result.stdout.splitlines()[-1]  # data_dir() is the installed copy


def test_the_validate_and_frictionless_lines_pass_in_the_fresh_environment(fresh_env, tmp_path):
    check = next(b for b in blocks("sh") if "frictionless validate" in b)
    assert 'pip install "frictionless[parquet]"' in check
    result = run_sh(check, fresh_env, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "valid: 0 failures" in result.stdout and "INVALID" not in result.stdout


def test_the_export_lines_write_every_format(tmp_path):
    (export,) = [b for b in blocks("sh") if "datapkg export" in b]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", export], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"brat", "webanno", "plover"}


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_each_python_block_runs_outside_the_checkout(index, tmp_path):
    result = subprocess.run([sys.executable, "-c", blocks("python")[index]], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


# --- R: the README's lines read the CSVs with the Table Schemas' types, as pandas does -----

DUMP = """
for (name in strsplit(Sys.getenv("TABLES"), ",")[[1]]) {
  write_json(read_table(name), file.path(Sys.getenv("OUT"), paste0(name, ".json")),
             dataframe = "columns", na = "null", digits = NA, Date = "ISO8601")
}
"""


def plain(value):
    """A pandas cell as JSON gives it: None for a null, ISO text for a date."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else value


def test_r_reads_every_table_with_the_values_pandas_loads(tmp_path):
    rscript = shutil.which("Rscript")
    assert rscript, "R is needed: bash tools/bootstrap.sh installs it (as root), or apt-get " \
                    "install r-base-core r-cran-readr r-cran-jsonlite"
    (block,) = blocks("r")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "TABLES": ",".join(TABLES),
           "OUT": str(tmp_path)}
    result = subprocess.run([rscript, "-e", block + DUMP], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    for name, frame in datapkg.load(format="csv").items():
        from_r = json.loads((tmp_path / f"{name}.json").read_text())
        assert list(from_r) == list(frame.columns), name
        for column in frame.columns:
            expected = [plain(v) for v in frame[column].astype(object)]
            got = from_r[column]
            if TABLES[name].field(column).type == "number":  # R prints 15 significant digits
                assert [g is None for g in got] == [e is None for e in expected], (name, column)
                assert [g for g in got if g is not None] == pytest.approx(
                    [e for e in expected if e is not None], rel=1e-12), (name, column)
            else:
                assert got == expected, (name, column)


def test_the_codebook_has_a_decision_rule_for_each_choice():
    """Each of the decisions a to l has a rule, an example, and names only real rule codes."""
    from datapkg.codebook import DECISIONS
    from datapkg.errors import rule_code
    from datapkg.rules import RULES

    assert [d[0] for d in DECISIONS] == list("abcdefghijkl")
    codes = {rule_code(rule.__name__) for rule, _ in RULES}
    codebook = (ROOT / "docs" / "codebook.md").read_text()
    for letter, name, rule, example, held in DECISIONS:
        assert rule and example and f"### {letter}. {name}" in codebook
        assert set(re.findall(r"rule-[a-z-]+[a-z]", held)) <= codes, letter
