"""Every command answers any input with exit 0, a report and exit 1, or usage and exit 2: never
a traceback, never an error it did not foresee. Hypothesis feeds each command damaged
packages (a mutated descriptor, typed cells and rows changed in both formats, raw CSV cells,
random bytes for a file, with or without hashes to match), odd arguments and paths, random
prediction files and random seeds, in process (``datapkg.cli.main``), and fails on any
outcome that is not one of those.

The commands' catch-all reports an unforeseen error as ``unexpected <Type>``: that is what a
traceback is here.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import functools
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from damage import refresh_hashes, rewrite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import datapkg.newsource
from datapkg.cli import main
from datapkg.escape import TERMINAL_UNSAFE
from datapkg.paths import DATA
from datapkg.registry import TABLES
from datapkg.rules import RULES, violations_of

# The folder each test runs in (function-scoped, shared by its examples) is only a place to
# write; every example starts from the module's package.
SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
# What a command may print on stderr: a report's lines, usage, and one line per failure.
STDERR_LINE = re.compile(
    r"\[\w+:[\w-]+\] .*"  # a validation failure
    r"|      fix: .*|invalid: \d+ failure\(s\)|package: .*"  # its hint; the report's end
    r"|usage: .*|\s+.*|datapkg(?: [\w-]+)?: .*"  # argparse; a command's one line
    r"|diff: .*")
UNFORESEEN = re.compile(r"^datapkg [\w-]+: unexpected \w+", re.M)
# Text that parsers, validators and printers take as more than text.
SPECIAL = st.sampled_from(["", "=1+1", "-", "@", "\t", "\r", "\n", "\r\n", '"', "'", ",", "\\",
                           "{", "}", "\x00", "\x1b[2J", "\u2028", "\x85", "\ufeff", "\ud800",
                           "NaN", "null", "1e400", "-0", "9" * 30, "000.x", "x" * 300])
TEXT = st.lists(st.one_of(SPECIAL, st.text(max_size=8)), max_size=5).map("".join)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: usage
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def check(argv: list[str]) -> tuple[int, str, str]:
    """Run a command line; fail unless it answers as every command must."""
    code, out, err = run(argv)
    where = f"{argv!r}: exit {code}\n{err[-3000:]}"
    assert code in (0, 1, 2), where
    assert "Traceback" not in out + err and not UNFORESEEN.search(err), where
    assert code == 0 or err.strip(), where
    assert all(STDERR_LINE.fullmatch(line) for line in err.splitlines() if line), where
    assert not TERMINAL_UNSAFE.search(out + err), where
    return code, out, err


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A copy of the published package, and a brat export of it to score."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(DATA, root / "package")
    assert run(["export", "--format", "brat", "--out", str(root / "brat"),
                "--path", str(root / "package")])[0] == 0
    assert run(["export", "--format", "plover", "--out", str(root / "plover"),
                "--path", str(root / "package")])[0] == 0
    return root


@pytest.fixture(autouse=True)
def nothing_written_into_the_checkout(monkeypatch, tmp_path):
    """Commands run in the test's folder, and those that write into the checkout by default
    write there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("datapkg.paths.SITE", tmp_path / "site")
    monkeypatch.setattr(datapkg.newsource, "new_source", functools.partial(
        datapkg.newsource.new_source, scripts=tmp_path / "scripts", seeds=tmp_path / "seeds"))
    (tmp_path / "scripts").mkdir()
    (tmp_path / "seeds").mkdir()


# --- damaged packages ----------------------------------------------------------------------

def cell_value(field) -> st.SearchStrategy:
    typed = {"string": TEXT, "integer": st.integers(-2**63, 2**63 - 1),
             "number": st.floats(), "boolean": st.booleans(),
             "date": st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))}[field.type]
    return st.none() | typed


@st.composite
def typed_cells(draw) -> callable:
    """Cells of one table changed, in CSV and Parquet alike, hashes refreshed: the package
    reaches every layer of validation."""
    name = draw(st.sampled_from(sorted(TABLES)))
    changes = draw(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(TABLES[name].fields)
                                      .flatmap(lambda f: st.tuples(st.just(f.name), cell_value(f)))),
                            min_size=1, max_size=3))
    action = draw(st.sampled_from(["set", "drop", "duplicate"]))

    def damage(package: Path) -> None:
        def change(rows):
            for index, (column, value) in changes:
                if not rows:
                    return
                row = rows[index % len(rows)]
                if action == "set":
                    row[column] = value
                elif action == "drop":
                    rows.remove(row)
                else:
                    rows.append(dict(row))
        rewrite(package, name, change)
    damage.__qualname__ = f"typed_cells({name}, {action}, {changes!r})"
    return damage


@st.composite
def csv_cells(draw) -> callable:
    """Raw text in cells of one CSV file (Parquet left alone), hashes refreshed or not."""
    name = draw(st.sampled_from(sorted(TABLES)))
    changes = draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 100), TEXT),
                            min_size=1, max_size=3))
    refresh = draw(st.booleans())

    def damage(package: Path) -> None:
        path = package / f"{name}.csv"
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        for r, c, value in changes:
            row = rows[r % len(rows)]
            row[c % len(row)] = value
        with open(path, "w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        if refresh:
            refresh_hashes(package)
    damage.__qualname__ = f"csv_cells({name}, {changes!r}, refresh={refresh})"
    return damage


@st.composite
def descriptor_values(draw) -> callable:
    """A value anywhere in datapackage.json or croissant.json replaced, or deleted."""
    name = draw(st.sampled_from(["datapackage.json", "croissant.json"]))
    steps = draw(st.lists(st.integers(0, 1000), min_size=0, max_size=4))
    value = draw(JSON | st.just(KeyError))

    def damage(package: Path) -> None:
        document = json.loads((package / name).read_text(encoding="utf-8"))
        parent, key = None, None
        node = document
        for step in steps:
            keys = list(node) if isinstance(node, dict) else range(len(node)) \
                if isinstance(node, list) else []
            if not keys:
                break
            parent, key = node, list(keys)[step % len(keys)]
            node = node[key]
        if parent is None:
            document = None if value is KeyError else value
        elif value is KeyError:
            del parent[key]
        else:
            parent[key] = value
        (package / name).write_text(json.dumps(document, ensure_ascii=False),
                                    encoding="utf-8", errors="surrogatepass")
    damage.__qualname__ = f"descriptor_values({name}, {steps}, {value!r})"
    return damage


@st.composite
def file_bytes(draw) -> callable:
    """A file of the package replaced by random bytes, or cut short, hashes refreshed or not."""
    names = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file())
    name = draw(st.sampled_from(names))
    data = draw(st.binary(max_size=64) | st.integers(0, 5000))
    refresh = draw(st.booleans())

    def damage(package: Path) -> None:
        path = package / name
        path.write_bytes(path.read_bytes()[:data] if isinstance(data, int) else data)
        if refresh and name not in ("datapackage.json", "croissant.json"):
            refresh_hashes(package)
    damage.__qualname__ = f"file_bytes({name}, {data!r}, refresh={refresh})"
    return damage


DAMAGES = st.one_of(typed_cells(), csv_cells(), descriptor_values(), file_bytes())
COMMANDS = {
    "validate": lambda p, root, out: ["validate", "--path", str(p)],
    "render": lambda p, root, out: ["render", "--path", str(p), "--out", str(out / "site")],
    "cite": lambda p, root, out: ["cite", "--path", str(p)],
    "info": lambda p, root, out: ["info", "--path", str(p)],
    "coverage": lambda p, root, out: ["coverage", "--path", str(p)],
    "diff": lambda p, root, out: ["diff", str(root / "package"), str(p)],
    "export": lambda p, root, out: ["export", "--format", "webanno", "--out", str(out / "x"),
                                    "--path", str(p)],
    "score brat": lambda p, root, out: ["score", str(root / "brat"), "--path", str(p)],
    "score plover": lambda p, root, out: ["score", str(root / "plover" / "events.plover.jsonl"),
                                          "--format", "json", "--path", str(p)],
}


@settings(SETTINGS, max_examples=24)
@given(damage=DAMAGES, command=st.sampled_from(sorted(COMMANDS)))
def test_every_command_reports_a_damaged_package(base, damage, command):
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "package"
        shutil.copytree(base / "package", package)
        try:
            damage(package)
        except (ValueError, OverflowError, UnicodeError):  # not writable as such: no package
            return
        check(COMMANDS[command](package, base, Path(tmp)))


# --- odd arguments -------------------------------------------------------------------------

def odd_paths(base: Path) -> st.SearchStrategy:
    """Paths to read from: the package, things that are not one, and any text."""
    package = base / "package"
    return st.sampled_from([
        str(base / "missing"), str(package / "datapackage.json"), str(package / "actors.csv"),
        str(base), "/", "/dev/null", "", ".", "-", "--", "-x", "x\x00y", "\udcff", "~",
        str(package / "seeds"), str(package), "HEAD", "HEAD~99999", "v0.0.0",
    ]) | TEXT


# Folders to write into: odd names, all inside the test's folder (the working directory).
OUT = st.sampled_from(["site", "a/b", "x.txt", "", ".", "-", "\udcff", "x\x00y"]) | TEXT.filter(
    lambda t: not t.startswith(("/", "~")) and ".." not in t)


@settings(SETTINGS, max_examples=100)
@given(data=st.data(), command=st.sampled_from(
    ["validate", "render", "cite", "info", "coverage", "diff", "export", "score", "new-source"]))
def test_every_command_reports_odd_arguments(base, data, command, tmp_path):
    (tmp_path / "x.txt").write_text("a file where a folder is expected\n")
    path = odd_paths(base)
    options = {
        "validate": st.tuples(st.just("--path"), path),
        "render": st.tuples(st.just("--path"), path, st.just("--out"), OUT),
        "cite": st.tuples(st.just("--format"), TEXT | st.sampled_from(["bibtex", "csl-json"]),
                          st.just("--path"), path),
        "info": st.tuples(st.just("--path"), path),
        "coverage": st.tuples(st.just("--path"), path),
        "diff": st.tuples(path, path),
        "export": st.tuples(st.just("--format"), TEXT | st.just("brat"), st.just("--out"), OUT,
                            st.just("--path"), path),
        "score": st.tuples(path, st.just("--format"), TEXT | st.just("json"), st.just("--path"),
                           path),
        "new-source": st.tuples(path),
    }[command]
    args = list(data.draw(options))
    args += data.draw(st.lists(TEXT, max_size=2))
    check([command, *args])


# --- random prediction files and seeds -----------------------------------------------------

PREDICTION = st.one_of(
    st.binary(max_size=200),
    JSON.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.lists(JSON.map(lambda v: json.dumps(v)), max_size=4).map(lambda lines: "\n".join(lines)
                                                                .encode()),
    st.lists(st.tuples(st.sampled_from(["T", "R", "A", "M", "#", "X"]), st.integers(-2, 10**9),
                       TEXT, st.integers(-5, 5000), st.integers(-5, 5000), TEXT),
             max_size=4).map(lambda lines: "".join(
                 f"{k}{n}\t{label} {s} {e}\t{words}\n" for k, n, label, s, e, words in lines)
                 .encode("utf-8", "surrogatepass")),
)


@st.composite
def mutated_export(draw, base: Path) -> tuple[str, bytes]:
    """The package's own brat or PLOVER export with one line or one value changed."""
    if draw(st.booleans()):
        ann = next((base / "brat").glob("*.ann"))
        lines = ann.read_text(encoding="utf-8").splitlines()
        n = draw(st.integers(0, len(lines) - 1))
        tokens = re.split(r"([\t ])", lines[n])
        k = draw(st.integers(0, len(tokens) - 1))
        tokens[k] = draw(TEXT | st.integers(-10, 10**6).map(str))
        lines[n] = "".join(tokens)
        return f"brat/{ann.name}", "\n".join(lines).encode("utf-8", "surrogatepass")
    records = [json.loads(line) for line in
               (base / "plover" / "events.plover.jsonl").read_text(encoding="utf-8").splitlines()]
    record = records[draw(st.integers(0, len(records) - 1))]
    node, key = record, draw(st.sampled_from(sorted(record)))
    while isinstance(node[key], dict) and node[key] and draw(st.booleans()):
        node, key = node[key], draw(st.sampled_from(sorted(node[key])))
    node[key] = draw(JSON)
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    # alone, or beside the export's .ann files as the same coding's records
    layout = draw(st.sampled_from(["x.jsonl", "brat/{id}.plover.jsonl"]))
    return layout, text.encode("utf-8", "surrogatepass")


LAYOUTS = st.sampled_from(["x.jsonl", "x.json", "x.jsonld", "x.ann", "x.txt", "brat/{id}.ann",
                           "webanno/{id}.jsonld", "webanno/x.jsonld", "brat/x.ann"])


@settings(SETTINGS, max_examples=20)
@given(data=st.data())
def test_score_reports_any_prediction_file(base, data):
    source_id = next((base / "package" / "seeds").glob("*.txt")).stem
    layout, content = data.draw(st.tuples(LAYOUTS, PREDICTION) | mutated_export(base))
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / layout.format(id=source_id)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)
        if file.name.endswith(".plover.jsonl"):
            for ann in (base / "brat").glob("*.ann"):
                (file.parent / ann.name).write_bytes(ann.read_bytes())
        check(["score", str(file.parent if "/" in layout else file),
               "--path", str(base / "package")])


@settings(SETTINGS, max_examples=30)
@given(content=st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       name=st.sampled_from(["seed.txt", "001_0123456789abcdef.txt", "x"]))
def test_new_source_reports_or_starts_any_seed(content, name):
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / name
        seed.write_bytes(content)
        code, out, _ = check(["new-source", str(seed)])
        if code == 0:
            script = Path(out.split("\nscript ")[1].split("\n")[0])
            ast.parse(script.read_text(encoding="utf-8"))


def test_each_failure_is_one_line_whatever_the_arguments_hold():
    """What the fuzz found: a line break in a path or an argument split a failure in two."""
    for argv in (["validate", "--path", "\n"], ["validate", "--path", "x", "\n=1+1"],
                 ["cite", "--format", "\x1b[2J\n"]):
        code, _, err = check(argv)
        assert code in (1, 2) and err.splitlines()[-1].startswith("datapkg")


@pytest.fixture(scope="module")
def published_frames() -> dict:
    return datapkg.load(format="csv", path=DATA)


@pytest.mark.parametrize("rule", [rule for rule, _ in RULES], ids=lambda rule: rule.__name__)
def test_every_rule_answers_a_null_in_any_cell(rule, published_frames):
    """A rule runs on whatever the tables hold, their screens failed or not: a null in one
    cell, or in every cell, of any column of the tables it reads is answered with violations,
    never an error (a pandas mask holding a null raised ValueError, which the command
    reported in place of every failure)."""
    import pandas as pd

    needs = dict(RULES)[rule] or list(published_frames)
    for name in needs:
        frame = published_frames[name]
        for column in frame.columns:
            one = frame.copy()
            one.loc[one.index[len(one) // 2:][:1], column] = pd.NA  # none in an empty table
            every = frame.assign(**{column: pd.Series(pd.NA, index=frame.index,
                                                      dtype=frame[column].dtype)})
            for changed in (one, every):
                violations_of(rule, {**published_frames, name: changed})
