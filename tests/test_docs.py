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
from datapkg.codebook import table_cell
from datapkg.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent
MAINTAINERS = "## For maintainers"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def section_end(start: int) -> int:
    after = README.find("\n## ", start + 1)
    return len(README) if after < 0 else after


def blocks(language: str, maintainers: bool = False, text: str | None = None) -> list[str]:
    """The README's code blocks in one language, for users or for maintainers (or those of
    ``text``, a part of the README)."""
    start = README.index(MAINTAINERS)
    section = README[start:section_end(start)] if maintainers else \
        README[:start] + README[section_end(start):]
    return [m[2] for m in BLOCK.finditer(section if text is None else text) if m[1] == language]


def cookbook() -> dict[str, str]:
    """The cookbook's questions, each with its one Python block."""
    start = README.index("## Cookbook")
    part = README[start:section_end(start)]
    questions = re.split(r"(?m)^### ", part)[1:]
    return {q.split("\n", 1)[0]: blocks("python", text=q)[0] for q in questions}


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


# The user part answers "what is it, how do I load it, how do I cite it" within a screenful.
FIRST_SCREEN = 60


def test_the_first_screen_says_what_how_to_install_load_and_cite():
    first = README[:README.index("## Cookbook")]
    assert len(first.splitlines()) <= FIRST_SCREEN
    assert README.index("## Install and load") < README.index("## Cite it") < \
        README.index("## Cookbook") < README.index("## Check it") < README.index(MAINTAINERS)
    assert README.index(MAINTAINERS) == README.rindex("\n## ") + 1  # the maintainers' part last
    assert f"pip install {datapkg_name()}\n" in first and "datapkg.cite()" in first
    assert "datapkg.data_dir()" in first and "data/" not in first


def test_every_link_of_the_readme_is_a_file_of_the_checkout_and_the_shipped_ones_have_accessors():
    linked = set(re.findall(r"\]\(([^)#]+)\)", README))
    assert all((ROOT / link).is_file() for link in linked), linked
    # the user documents the README links to are in the wheel, behind these accessors
    for accessor in ("codebook_path", "datasheet_path", "scoring_example_path"):
        assert f"datapkg.{accessor}()" in README
        assert getattr(datapkg, accessor)().name in {Path(link).name for link in linked}


def datapkg_name() -> str:
    from datapkg.metadata import NAME

    return NAME


@pytest.fixture
def fresh_env(wheel, tmp_path_factory) -> dict:
    """A new virtual environment with pip and nothing else, one per test (a test that installs
    an extra must not change what another finds); pip finds the project's wheel by its
    distribution name beside the package index."""
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


PASTE = "/path/printed/by/datapkg-info"  # where the README's R block takes the folder


def datapkg_command(bin_dir: Path) -> Path:
    return bin_dir / "datapkg"


def without(path: str, bin_dir: Path) -> str:
    """PATH without the folder of an environment's commands: R started as from RStudio."""
    return os.pathsep.join(p for p in path.split(os.pathsep)
                           if p and Path(p).resolve() != bin_dir.resolve())


def run_r(rscript: str, datapkg_exe: Path, out: Path) -> subprocess.CompletedProcess:
    """The README's R route as a user takes it: the folder printed once by the shell command,
    pasted into the R block, and R run with no Python environment on its PATH."""
    (printing,) = [b for b in blocks("sh") if "datapkg info --data-dir" in b]
    assert printing.strip() == "datapkg info --data-dir"
    folder = subprocess.run([str(datapkg_exe), "info", "--data-dir"], capture_output=True,
                            text=True, check=True).stdout.strip()
    (block,) = blocks("r")
    assert block.count(PASTE) == 1
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=without(os.environ["PATH"], datapkg_exe.parent), TABLES=",".join(TABLES),
               OUT=str(out))
    assert shutil.which("python", path=env["PATH"]) != str(datapkg_exe.parent / "python")
    return subprocess.run([rscript, "-e", block.replace(PASTE, folder) + DUMP], env=env,
                          cwd=out, capture_output=True, text=True, timeout=300)


def test_r_reads_every_table_with_the_values_pandas_loads(tmp_path):
    rscript = shutil.which("Rscript")
    assert rscript, "R is needed: bash tools/bootstrap.sh installs it (as root), or apt-get " \
                    "install r-base-core r-cran-readr r-cran-jsonlite"
    result = run_r(rscript, datapkg_command(BIN), tmp_path)
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

    assert [d.letter for d in DECISIONS] == list("abcdefghijkl")
    codes = {rule_code(rule.__name__) for rule, _ in RULES}
    codebook = (ROOT / "docs" / "codebook.md").read_text()
    for d in DECISIONS:
        assert d.rule and d.constructed and d.corpus
        assert f"### {d.letter}. {d.name}\n\n{d.rule}\n\nExample: {d.constructed}\n\n" \
               f"In the corpus: {d.corpus}" in codebook, d.letter
        assert set(re.findall(r"rule-[a-z-]+[a-z]", d.held)) <= codes, d.letter


# A quotation in a decision rule's example: opened after a space, a bracket or a mark, closed
# before a non-letter (so "writer's" is no quotation).
QUOTED = re.compile(r"(?:^|(?<=[\s(“]))'(.+?)'(?![A-Za-z])")


def test_the_decision_rules_examples_quote_their_article_and_name_its_rows():
    """Every quoted fragment of an example (its parts between '…') is the article's text, and
    every id in backticks a row of its tables: the examples quote the first source."""
    from datapkg.codebook import DECISIONS

    sources = datapkg.load_table("sources").sort_values("source_id")
    first = sources.iloc[0]
    article = (ROOT / first["seed_path"]).read_text(encoding="utf-8")
    serial = first["source_id"].split("_")[0]
    ids = set()
    for name in TABLES:
        table = datapkg.load_table(name)
        if "source_id" in table.columns:
            table = table[table["source_id"] == first["source_id"]]
        for column in (c for c in table.columns if c.endswith("_id") and c != "source_id"):
            ids |= {str(v).removeprefix(f"{serial}.") for v in table[column].dropna()}
    quoted = cited = 0
    for d in DECISIONS:
        for fragment in QUOTED.findall(d.corpus):
            for part in filter(None, (p.strip(" ,.") for p in fragment.split("…"))):
                assert part in article, (d.letter, part)
                quoted += 1
        for name in re.findall(r"`([^`]+)`", d.corpus):
            assert name in ids, (d.letter, name)
            cited += 1
    assert quoted and cited


def word_runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+(?:['’]\w+)*", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_the_blind_codebook_gives_nothing_of_the_coded_articles():
    """The blind edition, the one a second coder is given, shares no run of four words with any
    article of the package, names no actor of it, gives no row count or value from the data,
    and keeps every definition and decision rule of the full codebook."""
    from datapkg.codebook import DECISIONS, blind_codebook

    blind = blind_codebook()
    sources = datapkg.load_table("sources")
    for path in sources["seed_path"]:
        article = (ROOT / path).read_text(encoding="utf-8")
        shared = word_runs(blind, 4) & word_runs(article, 4)
        assert not shared, (path, sorted(shared)[:10])
    actors = datapkg.load_table("actors")
    figures = datapkg.load_table("figures")
    # a figure given in digits, or a date (a number word such as 'three' is any text's)
    figures = figures[figures["text"].str.contains(r"\d") | figures["kind"].isin(["date", "weekday"])]
    named = [n for n in [*actors["name"], *figures["text"]]
             if re.search(rf"(?<![\w,]){re.escape(n)}(?![\w,])", blind, re.IGNORECASE)]
    assert not named, named
    assert not re.search(r"\(\d+ rows\)", blind) and "In the corpus:" not in blind
    assert "(from the data)" not in blind
    for d in DECISIONS:
        assert f"### {d.letter}. {d.name}\n\n{d.rule}\n\nExample: {d.constructed}\n\n" in blind
    for t in TABLES.values():
        for f in t.fields:
            assert table_cell(f.description) in blind, (t.name, f.name)


# --- the cookbook: each question's printed answer is what the tables say -------------------

def answers(printed: str) -> dict:
    """A block's printed lines, ``key: count`` each, with a null key as None."""
    found = {}
    for line in printed.strip().splitlines():
        key, count = line.rsplit(": ", 1)
        for null in ("<NA>", "nan", "None"):
            key = key.replace(null, "\0")
        found[key] = int(count)
    return found


def expected_answers() -> dict[str, dict]:
    """Each cookbook question answered from the published tables directly, not the views."""
    from test_views import states_of

    t = datapkg.load()
    states = states_of(t)
    name = dict(zip(t["actors"]["actor_id"], t["actors"]["name"]))
    shown = lambda v: "\0" if v is None else str(v)  # noqa: E731
    tally = lambda pairs: {k: len(v) for k, v in pairs.items()}  # noqa: E731

    committed: dict = {}
    cp = t["commitment_parties"]
    for c, a in zip(cp.loc[cp.role == "committer", "commitment_id"],
                    cp.loc[cp.role == "committer", "actor_id"]):
        for s in states[a]:
            committed.setdefault(shown(name.get(s)), set()).add(c)

    quoted: dict = {}
    links = t["statement_attributions"]
    for _, chain in links.groupby("statement_id"):
        for sp in chain[chain.role == "speaker"].itertuples():
            above = chain[(chain.depth > 0) & (chain.depth < sp.depth)]
            if all(q == "direct" for q in [*above.quote_type, sp.quote_type]):
                quoted[name[sp.actor_id]] = quoted.get(name[sp.actor_id], 0) + 1

    plover = {}
    for v in t["acts"]["plover_event"].astype(object):
        key = shown(None if v is pd.NA else v)
        plover[key] = plover.get(key, 0) + 1

    acting: dict = {}
    ap = t["act_parties"]
    for act, a, role in zip(ap.act_id, ap.actor_id, ap.role):
        for s in states[a]:
            acting.setdefault(f"{role} {shown(name.get(s))}", set()).add(act)
    for act in set(t["acts"].act_id) - set(ap.act_id):
        acting.setdefault("\0 \0", set()).add(act)

    people = t["actors"][t["actors"].kind == "person"]
    speakers = links[links.role == "speaker"]
    spoken: dict = {}
    for p in people.actor_id:
        said = set(speakers.loc[speakers.actor_id == p, "statement_id"])
        if said:
            for s in states[p]:
                spoken[f"{name[p]} ({shown(name.get(s))})"] = said
    return {"Which state committed to what?": tally(committed),
            "Who is quoted directly?": quoted,
            "How many acts per PLOVER type, including untyped?": plover,
            "Which states act, and which receive?": tally(acting),
            "Which people speak, and for which state?": tally(spoken)}


def test_the_cookbook_asks_the_questions_this_file_answers():
    assert list(cookbook()) == list(expected_answers())


@pytest.mark.parametrize("question", list(cookbook()))
def test_each_cookbook_answer_is_what_the_tables_say(question, tmp_path):
    result = subprocess.run([sys.executable, "-c", cookbook()[question]], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert answers(result.stdout) == expected_answers()[question]


# --- a fresh trial from the wheel: what a new user meets, timed -----------------------------

def test_a_fresh_install_runs_every_user_block_the_cookbook_the_commands_and_r(fresh_env, tmp_path):
    """From the wheel, in a new environment, outside the checkout: the install line, every
    user Python block that needs only the package (DuckDB and polars are other installs; the
    dev environment runs that block), each cookbook answer, cite, info, export and score from
    the plain install, and R with the environment off its PATH. The times are printed (-s)."""
    import time

    times, started = {}, time.perf_counter()
    install, *_ = blocks("sh")
    result = run_sh(install, fresh_env, tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    times["install"] = time.perf_counter() - started

    def run(args: list[str], label: str) -> subprocess.CompletedProcess:
        began = time.perf_counter()
        done = subprocess.run(args, env=fresh_env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=600)
        times[label] = time.perf_counter() - began
        assert done.returncode == 0, (label, done.stderr[-3000:])
        return done

    cookbook_blocks = set(cookbook().values())
    for index, block in enumerate(blocks("python")):
        if block not in cookbook_blocks and not re.search(r"^import (duckdb|polars)", block, re.M):
            run(["python", "-c", block], f"README python block {index}")
    expected = expected_answers()
    for question, block in cookbook().items():
        done = run(["python", "-c", block], f"cookbook: {question}")
        times[f"fresh env to answer: {question}"] = time.perf_counter() - started
        assert answers(done.stdout) == expected[question], question
    cited = run(["datapkg", "cite"], "datapkg cite")
    assert "unreleased" in cited.stdout or "pip install" in cited.stdout
    info = run(["datapkg", "info"], "datapkg info")
    assert "site-packages" in info.stdout
    run(["datapkg", "export", "--format", "brat", "--out", "gold"], "datapkg export")
    scored = run(["datapkg", "score", "gold"], "datapkg score")
    assert "1.000" in scored.stdout
    # a plain install has no pandera: each reading command said which check it ran
    assert "hashes" in cited.stderr
    rscript = shutil.which("Rscript")
    assert rscript, "R is needed (tools/bootstrap.sh installs it)"
    venv_bin = Path(fresh_env["VIRTUAL_ENV"]) / "bin"
    began = time.perf_counter()
    r = run_r(rscript, venv_bin / "datapkg", tmp_path)
    times["R, every table"] = time.perf_counter() - began
    assert r.returncode == 0, r.stderr[-3000:]
    assert {p.stem for p in tmp_path.glob("*.json")} >= set(TABLES)
    print("\ncitation, as printed:\n" + cited.stdout)
    print("\n".join(f"{seconds:7.2f} s  {label}" for label, seconds in times.items()))


def test_the_wheel_states_each_licence_and_no_invented_address(wheel):
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        metadata = next(z.read(n).decode() for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        names = z.namelist()
    assert "License-Expression: MIT AND CC-BY-4.0 AND CC-BY-SA-4.0" in metadata
    assert {"License-File: LICENSE", "License-File: LICENSE-DATA.md"} <= set(metadata.splitlines())
    assert "Project-URL" not in metadata  # no repository or documentation site exists yet
    for document in ("codebook.md", "datasheet.md", "scoring_example.md"):
        assert f"datapkg/_docs/{document}" in names
