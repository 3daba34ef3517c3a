"""A corpus of two articles: the real one and a fictional one written for the tests
(tests/fixtures/), built together into a temporary package. The whole pipeline runs on it;
expectations come from the data and the fixtures, never from constants of one article."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import datapkg
from datapkg import assemble, paths
from datapkg.build import build_package, draft
from datapkg.errors import CurationError, LoadError
from datapkg.newsource import new_source, skeleton
from datapkg.registry import CORPUS_TABLES, TABLES
from datapkg.render import site
from datapkg.validate import validate_package

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent


def corpus_checkout(root: Path) -> tuple[Path, Path]:
    """scripts/ and seeds/ holding the real articles and the fictional one."""
    scripts, seeds = root / "scripts", root / "seeds"
    shutil.copytree(paths.SCRIPTS, scripts)
    shutil.copytree(paths.SEEDS, seeds)
    for script in (FIXTURES / "scripts").glob("curate_*.py"):
        shutil.copy(script, scripts)
    for seed in (FIXTURES / "seeds").glob("*.txt"):
        shutil.copy(seed, seeds)
    return scripts, seeds


def fixture_ids() -> set[str]:
    return {p.stem.removeprefix("curate_") for p in (FIXTURES / "scripts").glob("curate_*.py")}


def test_the_text_of_each_article_and_a_question_when_none_is_named(corpus):
    sentences = datapkg.load_table("sentences", path=corpus)
    for source_id, rows in sentences.groupby("source_id"):
        text = datapkg.article(source_id, path=corpus)
        spans = rows[["span_start", "span_end", "text"]].itertuples(index=False)
        assert all(text[s:e] == t for s, e, t in spans)
    ids = datapkg.load_table("sources", path=corpus)["source_id"]
    with pytest.raises(LoadError, match="the package holds several articles; give source_id, one of: "
                                        + ", ".join(ids)):
        datapkg.article(path=corpus)


def test_the_corpus_holds_every_article_and_validates(corpus):
    tables = datapkg.load(path=corpus)
    published = datapkg.load()
    assert set(tables["sources"]["source_id"]) == \
        set(published["sources"]["source_id"]) | fixture_ids()
    for name in TABLES:
        if name in CORPUS_TABLES:
            continue
        mine = tables[name][tables[name]["source_id"].isin(published["sources"]["source_id"])]
        assert len(mine) == len(published[name]), name  # the real rows are all there, as they were
    assert validate_package(corpus) == []


def test_actors_are_shared_by_the_articles(corpus):
    tables = datapkg.load(path=corpus)
    mentions = tables["mentions"]
    by_source = mentions.groupby("actor_id")["source_id"].nunique()
    shared = set(by_source[by_source > 1].index)
    assert shared, "no actor is named by both articles"
    actors = tables["actors"].set_index("actor_id")
    assert shared <= set(actors.index)
    assert actors.index.is_unique  # declared once, referred to by both


def test_every_command_runs_on_the_corpus(corpus, tmp_path):
    for args in (["validate", "--path", str(corpus)], ["coverage", "--path", str(corpus)],
                 ["info", "--path", str(corpus)], ["cite", "--path", str(corpus)],
                 ["diff", str(paths.DATA), str(corpus)],
                 ["render", "--path", str(corpus), "--out", str(tmp_path / "site")]):
        result = subprocess.run([sys.executable, "-m", "datapkg.cli", *args],
                                capture_output=True, text=True)
        assert result.returncode == 0, (args, result.stderr[-2000:])
    diff = subprocess.run([sys.executable, "-m", "datapkg.cli", "diff", str(paths.DATA),
                           str(corpus)], capture_output=True, text=True).stdout
    added = datapkg.load(path=corpus)["sources"]["source_id"]
    assert f"sources: {len(fixture_ids())} added" in diff and all(
        f"+ source_id={s}" in diff for s in fixture_ids() & set(added))
    assert site(corpus)["index.html"]


def test_frictionless_and_croissant_accept_the_corpus(corpus):
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json"],
                            cwd=corpus, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    import json
    croissant = json.loads((corpus / "croissant.json").read_text())
    assert {d["contentUrl"] for d in croissant["distribution"]} == \
        {f"{name}.parquet" for name in TABLES}


def test_the_scripts_of_today_build_unchanged_and_without_warnings(tmp_path):
    """Curation scripts are user code: the published ones and the fixtures, as they are, build
    a valid package, and nothing in the curation API warns them of a change."""
    scripts, seeds = corpus_checkout(tmp_path)
    for script in scripts.glob("curate_*.py"):
        original = (FIXTURES / "scripts" / script.name) if script.stem.removeprefix(
            "curate_") in fixture_ids() else paths.SCRIPTS / script.name
        assert script.read_bytes() == original.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_package(tmp_path / "data", scripts, seeds)
    assert validate_package(tmp_path / "data") == []


# --- declaring actors once ------------------------------------------------------------------

def edited_fixture(root: Path, old: str, new: str) -> tuple[Path, Path]:
    scripts, seeds = corpus_checkout(root)
    script = next(p for p in scripts.glob("curate_*.py") if p.stem.removeprefix("curate_")
                  in fixture_ids())
    text = script.read_text()
    assert old in text
    script.write_text(text.replace(old, new, 1))
    return scripts, seeds


def test_a_second_declaration_that_disagrees_names_both_scripts(tmp_path):
    actor = datapkg.load_table("actors").iloc[0]
    scripts, seeds = edited_fixture(
        tmp_path, "    c.mention(", f"    c.actor({actor.actor_id!r}, 'Another name', "
                                    f"{actor.kind!r})\n    c.mention(")
    with pytest.raises(CurationError, match="declared twice, differently") as err:
        build_package(tmp_path / "data", scripts, seeds)
    message = str(err.value)
    # both places: the fixture's line, and the line that declared it first (the corpus's
    # curation or another article's script)
    assert any(f"curate_{s}.py:" in message for s in fixture_ids())
    assert re.search(r"at (corpus|curate_[0-9]+_[0-9a-f]{16})\.py:\d+ and at curate_", message)
    assert "name" in message and not (tmp_path / "data").exists()


def corpus_curation(root: Path, body: str) -> tuple[Path, Path]:
    """The corpus checkout, its corpus-level curation extended by ``body``."""
    scripts, seeds = corpus_checkout(root)
    path = scripts / "corpus.py"
    path.write_text(path.read_text() + "\n\ndef curate(c):\n    declare(c)\n" + body)
    text = path.read_text().replace("def curate(c: Corpus) -> None:", "def declare(c):", 1)
    path.write_text(text)
    return scripts, seeds


def test_the_corpus_declares_actors_once_for_every_article(tmp_path):
    scripts, seeds = corpus_curation(
        tmp_path, "    c.actor('corpus_test_region', 'A region', 'region', valid_from='1900-01-01', "
                  "valid_basis='a test of the corpus curation')\n")
    build_package(tmp_path / "data", scripts, seeds)
    actors = datapkg.load_table("actors", path=tmp_path / "data").set_index("actor_id")
    assert actors.at["corpus_test_region", "valid_basis"] == "a test of the corpus curation"
    assert list(actors.index) == sorted(actors.index)  # where it is declared moves no row


@pytest.mark.parametrize("line, says", [
    ("    c.add('mentions', actor_id='china')\n", "the corpus declares only actors, actor_members"),
    ("    c.actor('someone', 'Someone', 'person', title=None)\n    c.actor('x', 'X', 'person', "
     "title='Minister')\n", "a title is what an article calls an actor"),
])
def test_the_corpus_refuses_what_an_article_says(tmp_path, line, says):
    scripts, seeds = corpus_curation(tmp_path, line)
    with pytest.raises(CurationError, match=says) as err:
        build_package(tmp_path / "data", scripts, seeds)
    assert re.match(r"corpus\.py:\d+ in curate: (the corpus|actor x)", str(err.value))


def test_an_unknown_actor_names_the_script_line_and_the_nearest_ids(tmp_path):
    fixture = next(p for p in (FIXTURES / "scripts").glob("curate_*.py"))
    actor_id = re.search(r'c\.mention\("([a-z0-9_]+)"', fixture.read_text())[1]
    misspelt = actor_id[:-1] + ("x" if actor_id[-1] != "x" else "y")
    scripts, seeds = edited_fixture(tmp_path, f'c.mention("{actor_id}"',
                                    f'c.mention("{misspelt}"')
    with pytest.raises(CurationError, match=rf"curate_.*\.py:\d+: mentions .* actor_id "
                                            rf"'{misspelt}' is not in actors; did you mean "
                                            rf".*{actor_id}"):
        build_package(tmp_path / "data", scripts, seeds)


def test_two_scripts_may_not_share_a_serial(tmp_path):
    scripts, seeds = corpus_checkout(tmp_path)
    fixture = next(iter(fixture_ids()))
    real = datapkg.load_table("sources")["source_id"][0]
    clash = real.split("_")[0] + "_" + fixture.split("_")[1]
    text = (scripts / f"curate_{fixture}.py").read_text().replace(fixture, clash)
    (scripts / f"curate_{fixture}.py").unlink()
    (scripts / f"curate_{clash}.py").write_text(text)
    shutil.move(seeds / f"{fixture}.txt", seeds / f"{clash}.txt")
    with pytest.raises(CurationError, match="share the serial"):
        build_package(tmp_path / "data", scripts, seeds)


# --- new-source ---------------------------------------------------------------------------------

def test_new_source_starts_an_article_that_builds_once_its_rights_are_given(tmp_path):
    scripts, seeds = tmp_path / "scripts", tmp_path / "seeds"
    shutil.copytree(paths.SCRIPTS, scripts)
    shutil.copytree(paths.SEEDS, seeds)
    seed = next((FIXTURES / "seeds").glob("*.txt"))
    copy, script = new_source(seed, scripts, seeds)
    serials = [int(p.stem.removeprefix("curate_").split("_")[0]) for p in paths.SCRIPTS.glob(
        "curate_*.py")]
    source_id = f"{max(serials) + 1:03d}_{seed.stem.split('_')[1]}"
    assert copy == seeds / f"{source_id}.txt" and copy.read_bytes() == seed.read_bytes()
    assert script == scripts / f"curate_{source_id}.py"
    with pytest.raises(CurationError, match="sources"):  # no rights given: nothing published
        build_package(tmp_path / "data", scripts, seeds)
    script.write_text(script.read_text().replace("text_license=None",
                                                 "text_license='Fictional; MIT.'"))
    # nothing half-curated publishes: every sentence still excused is named at its line
    excusals = [n for n, line in enumerate(script.read_text().splitlines(), 1)
                if line.rstrip().endswith("NOT_YET)")]
    with pytest.raises(CurationError, match="not yet curated") as err:
        build_package(tmp_path / "data", scripts, seeds)
    assert excusals and all(f"{script.name}:{n}:" in str(err.value) for n in excusals)
    assert not (tmp_path / "data").exists()
    # a draft build curates and validates all of it (the corpus's actors the skeleton found
    # by name among them), and publishes nothing
    assert len(draft(scripts, seeds)) == len(excusals)
    lint = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(script)],
                          capture_output=True, text=True, cwd=paths.ROOT)
    assert lint.returncode == 0, lint.stdout
    with pytest.raises(CurationError, match="already the seed"):
        new_source(seed, scripts, seeds)


# Headlines that would end, or change, a value written into Python source as it stands;
# MARKER is a file that code smuggled in would create.
HOSTILE_HEADLINES = (
    'Closing """; __import__("pathlib").Path("MARKER").touch(); """ the docstring',
    "Closing '''; __import__('pathlib').Path('MARKER').touch(); ''' the other quotes",
    "A backslash before the closing quote \\",
    "Escapes read as words: \\N{BULLET} \\N{NO SUCH NAME} \\x41 \\u2028 \\\\ {braces} %s",
    "Separators\u2028line\u2029paragraph\x85next\x0bvertical\x0cform\rreturn\x00NUL",
    "A headline far longer than any line of code may be, " * 6 + "and without a full stop",
)


@pytest.mark.parametrize("headline", HOSTILE_HEADLINES)
def test_new_source_writes_the_seeds_words_as_values_never_as_code(headline, tmp_path):
    scripts, seeds = tmp_path / "scripts", tmp_path / "seeds"
    shutil.copytree(paths.SCRIPTS, scripts)
    shutil.copytree(paths.SEEDS, seeds)
    marker = tmp_path / "smuggled-code-ran"
    headline = headline.replace("MARKER", str(marker))
    seed = tmp_path / "hostile.txt"
    seed.write_bytes(f"{headline}\n\nBody one here. Body two there.\n".encode())
    _, script = new_source(seed, scripts, seeds)
    source = script.read_text(encoding="utf-8")
    compile(source, str(script), "exec")  # whatever the headline, the skeleton is Python
    lint = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(script)],
                          capture_output=True, text=True, cwd=paths.ROOT)
    assert lint.returncode == 0, lint.stdout  # and it passes the project's own lint
    script.write_text(source.replace("text_license=None", "text_license='Fictional; MIT.'"),
                      encoding="utf-8")
    rows, _ = assemble.curate_source(script, seeds)  # imports the script, runs curate()
    assert not marker.exists()
    assert rows["sources"][0]["title"] == headline  # the words, as they are in the seed


def test_metadata_speaks_of_the_corpus_and_each_source_keeps_its_own_rights(corpus):
    import json

    sources = datapkg.load(path=corpus)["sources"]
    descriptor = json.loads((corpus / "datapackage.json").read_text())
    assert descriptor["description"].startswith(f"{len(sources)} news articles")
    assert all(f"“{title}”" in descriptor["description"] for title in sources["title"])
    seeds = {r["path"]: r for r in descriptor["resources"] if r.get("type") == "file"}
    for source in sources.itertuples():
        assert seeds[source.seed_path]["licenses"][0]["title"] == source.text_license
    from datapkg.citation import cff, citation

    text = cff(citation(sources.to_dict("records"), "2026-01-01"))
    for work_type in sources["work_type"]:
        assert f"  - type: {work_type}" in text


# Text that would end a Python string or line if it entered a script as it is.
PYTHON_BREAKERS = st.sampled_from(['"""', "'''", '"', "'", "\\", "\r", "\n", "\u2028", "\x0c",
                                   "\x00", "{", "}", "#", "\t", 'x"""; import os; """'])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(PYTHON_BREAKERS, st.text(max_size=6)), max_size=20).map("".join))
def test_a_seed_enters_its_script_skeleton_only_as_literals(text):
    """Whatever a seed says, its skeleton is the same Python statements: the seed's words
    are string literals in them, never code, and the docstring holds none of them."""
    source_id = "001_" + "0" * 16
    tree = ast.parse(skeleton(source_id, text.encode(), text))
    kinds = [type(node) for node in tree.body]
    assert kinds[0] is ast.Expr and kinds[-1] is ast.FunctionDef  # docstring … curate()
    assert set(kinds[1:-1]) == {ast.ImportFrom, ast.Assign} and kinds.count(ast.Assign) == 3
    # the docstring is the same whatever the seed: it holds none of its words
    assert ast.get_docstring(tree) == ast.get_docstring(ast.parse(skeleton(source_id, b"", "")))
    (curate,) = tree.body[-1:]
    assert all(isinstance(node, ast.Expr | ast.Assign) for node in curate.body)
