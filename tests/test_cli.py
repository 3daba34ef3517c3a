import json
import subprocess
import sys

import pytest

import datapkg
from datapkg.citation import from_package
from datapkg.cli import main
from datapkg.metadata import NAME, TITLE


def test_validate_exits_0_on_the_published_package(capsys):
    assert main(["validate"]) == 0
    assert "valid: 0 failures" in capsys.readouterr().out


def test_validate_exits_1_and_names_the_failure(package, capsys):
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["version"] = "0.0.0"
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    assert main(["validate", "--path", str(package), "--no-curation"]) == 1
    err = capsys.readouterr().err
    assert "[metadata:version-mismatch]" in err and "'0.0.0'" in err and "invalid: 1 failure(s)" in err


def test_check_and_info(capsys):
    assert main(["check"]) == 0
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and "actors" in out and "version 0.1.0" in out
    # then the articles: one line each, its id, date, outlet and title
    sources = datapkg.load_table("sources")
    listed = out[out.index(f"\n{len(sources)} article"):].splitlines()[2:]
    blank = sources.astype(object).where(sources.notna(), "")  # a null cell printed blank
    assert listed == [f"  {s.source_id}  {s.published_date}  {s.outlet}: {s.title}"
                      for s in blank.itertuples()]


def test_info_lists_an_article_whose_date_and_outlet_are_null_with_blanks():
    from datapkg.cli import article_line

    sources = datapkg.load_table("sources").head(1)
    sources.loc[:, ["published_date", "outlet"]] = None
    (source,) = sources.itertuples(index=False)
    assert article_line(source) == f"  {source.source_id}    : {source.title}"


def test_coverage_lists_every_body_sentence(capsys):
    import datapkg

    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    coverage = datapkg.load_table("coverage")
    sentences = datapkg.load_table("sentences").set_index("sentence_id")["text"]
    header, *lines = out.splitlines()
    from datapkg.registry import CLAIMS

    assert header.split() == ["sentence", "status", *CLAIMS, "mentions", "text"]  # no name cut
    for row in coverage.itertuples():
        (line,) = [line for line in lines if line.split()[:1] == [row.sentence_id]]
        assert line.split()[1:7] == [row.status, *(str(getattr(row, c)) for c in (*CLAIMS, "mentions"))]
        assert sentences[row.sentence_id][:40] in line
    counts = coverage["status"].value_counts()
    assert out.rstrip().endswith(f"{len(coverage)} body sentences: {counts.get('covered', 0)} "
                                 f"covered, {counts.get('excused', 0)} excused")


def test_cite_prints_every_format_from_the_package_metadata(capsys):
    assert main(["cite", "--format", "csl-json"]) == 0
    entry, *articles = json.loads(capsys.readouterr().out)
    assert len(articles) == len(datapkg.load_table("sources"))
    c = from_package(datapkg.data_dir(), commit=True)
    assert entry["type"] == "dataset" and entry["version"] == c.version
    assert entry.get("issued") == ({"date-parts": [[int(p) for p in c.date.split("-")]]}
                                   if c.released else None)
    assert main(["cite", "--format", "bibtex"]) == 0
    bib = capsys.readouterr().out
    assert bib.startswith(f"@misc{{{c.key},")
    assert f"howpublished = {{Python package {NAME}, {c.status}" in bib and "thediplomat.com" in bib
    assert main(["cite", "--format", "plain"]) == 0
    plain = capsys.readouterr().out
    assert plain.startswith(f"Curators of {NAME}. ({c.year or 'unreleased'}). {TITLE}")
    assert f"(Version {c.version}) [Data set]" in plain and c.status in plain


def test_diff_reports_added_removed_and_changed_rows_by_key(package, capsys):
    from damage import rewrite

    removed, renamed = [], []

    def change(rows):
        renamed.append((rows[0]["actor_id"], rows[0]["name"]))
        rows[0]["name"] = "People's Republic of China"
        removed.append(rows.pop(1)["actor_id"])
        rows.append({**rows[1], "actor_id": "new_actor"})

    rewrite(package, "actors", change)
    removed = removed[0]
    assert main(["diff", "data", str(package)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "validation failure(s)" in captured.err  # the removed actor's rows now dangle
    assert "actors: 1 added, 1 removed, 1 changed" in out
    assert "  + actor_id=new_actor" in out and f"  - actor_id={removed}" in out
    (actor_id, name), = renamed
    assert f"  ~ actor_id={actor_id}: name: {name!r} → \"People's Republic of China\"" in out
    assert out.count(":") and "mentions" not in out  # unchanged tables are not listed


def test_diff_against_a_git_revision_and_a_bad_one(capsys):
    assert main(["diff", "HEAD", "data"]) == 0
    assert main(["diff", "no-such-revision", "data"]) == 2
    assert "datapkg diff: 'no-such-revision' is neither a package directory nor a git revision" \
        in capsys.readouterr().err


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as err:
        main(["frobnicate"])
    assert err.value.code == 2


def test_console_script_help_names_every_command():
    out = subprocess.run([sys.executable, "-m", "datapkg.cli", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("build", "validate", "check", "coverage", "cite", "diff", "info", "serve",
                    "export", "score", "exit codes"):
        assert command in out


def test_render_writes_the_site_where_asked(tmp_path, capsys):
    assert main(["render", "--out", str(tmp_path / "site")]) == 0
    import datapkg

    written = sorted(p.name for p in (tmp_path / "site").iterdir())
    articles = [f"article-{s}.html" for s in datapkg.load_table("sources")["source_id"]]
    assert written == sorted(["article.js", "cite.html", "cite.js", "codebook.html", "index.html",
                              "style.css", "tables.html", "tables.js", *articles,
                              ".written-by-datapkg"])
    out = capsys.readouterr().out
    assert f"rendered {len(written)} files" in out
    # no package beside it: the pages' downloads (../data/) would find nothing, and it says so
    assert f"its downloads link to {tmp_path.resolve() / 'data'}, which is not this package" in out


def test_a_site_rendered_beside_its_package_says_nothing_of_its_downloads(package, capsys):
    data = package.parent / "data"
    package.rename(data)
    assert main(["render", "--path", str(data), "--out", str(data.parent / "site")]) == 0
    out = capsys.readouterr().out
    assert "rendered" in out and "downloads" not in out


def test_cite_prints_the_plain_citation_only_by_default(capsys):
    assert main(["cite"]) == 0
    out = capsys.readouterr().out
    assert out == datapkg.cite() + "\n"
    assert out.startswith(f"Curators of {NAME}. (") and "@misc" not in out and "plain:" not in out


@pytest.mark.parametrize("args", [["cite", "--format", "all"], ["cite"], ["coverage"], ["info"],
                                  ["--help"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(args):
    """`datapkg cite | head -1`: the reader is gone before the command writes; it exits as a
    Unix filter does on SIGPIPE (141), with nothing on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "datapkg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader stops before the first line
    err = proc.stderr.read()
    assert proc.wait(timeout=120) in (0, 141) and err == b"", err.decode()


# --- an installed copy: the maintainer commands and defaults that only a checkout has -------

@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The library as an installed copy sees itself: no checkout around it."""
    import datapkg.paths

    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.setattr(datapkg.paths, "ROOT", root)
    monkeypatch.chdir(tmp_path)
    return root


@pytest.mark.parametrize("args", [["render", "--path", "{package}"], ["build"],
                                  ["build", "--draft"], ["check"], ["new-source", "seed.txt"]])
def test_an_installed_copy_refuses_what_needs_a_checkout_in_one_line(args, installed, package,
                                                                     capsys):
    (installed.parent / "seed.txt").write_text("An article.\n")
    before = sorted(installed.parent.rglob("*"))
    code = main([a.format(package=package) for a in args])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"datapkg {args[0]}: ")
    assert ("--out DIR" if args[0] == "render" else "needs a checkout") in line
    assert sorted(installed.parent.rglob("*")) == before  # nothing written anywhere


def test_an_installed_copy_renders_where_it_is_told(installed, package, capsys):
    assert main(["render", "--path", str(package), "--out", "out"]) == 0
    assert (installed.parent / "out" / "index.html").is_file()
    assert not (installed / "site").exists()


def test_help_lists_the_reading_commands_before_the_maintainer_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    listed = out[:out.index("options:")]
    order = ["info", "cite", "coverage", "export", "score", "render", "serve", "diff",
             "validate", "build", "check", "new-source"]
    positions = [listed.index(f"\n    {name}") for name in order]
    assert positions == sorted(positions)


MAPPED_BLOCKS = """
import ctypes, sys
import numpy as np

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks",
                "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Mallinfo2
if sys.argv[1] == "command":
    from datapkg.cli import map_large_allocations
    map_large_allocations()
freed = np.ones(2**21)  # 16 MiB, mapped; once freed, glibc alone raises its threshold past it
del freed
# glibc maps a block only where its heap cannot hold it: the heap's free top is given back
# first, so that the block's place depends on the threshold alone, not on what was freed
libc.malloc_trim(0)
before = libc.mallinfo2().hblks
kept = np.ones(3 * 2**18)  # 6 MiB: above the command's threshold, below glibc's raised one
mapped = libc.mallinfo2().hblks - before
small = np.ones(2**17)  # 1 MiB: below the command's threshold, taken from the heap
print(mapped, libc.mallinfo2().hblks - before - mapped)
"""


def test_the_command_gives_large_temporaries_their_own_mappings():
    """In a command's process, a NumPy temporary of 6 MiB gets its own mapping (given back
    when freed) even after a larger one was freed, and one of 1 MiB comes from the heap;
    without the command's setting, glibc keeps both in its heap; and where the user tunes
    glibc, the command leaves it alone."""
    import os

    from datapkg.cli import GLIBC_TUNING

    try:
        libc, version = os.confstr("CS_GNU_LIBC_VERSION").split()
    except (ValueError, OSError, AttributeError):
        libc, version = "", "0"
    if libc != "glibc" or tuple(map(int, version.split(".")[:2])) < (2, 33):
        pytest.skip("glibc's allocator only, from 2.33 (mallinfo2)")

    untuned = {k: v for k, v in os.environ.items() if k not in GLIBC_TUNING}

    def mapped(mode: str, **tuned: str) -> tuple[int, int]:
        done = subprocess.run([sys.executable, "-c", MAPPED_BLOCKS, mode], capture_output=True,
                              text=True, env={**untuned, **tuned})
        assert done.returncode == 0, done.stderr[-2000:]
        return tuple(map(int, done.stdout.split()))

    assert (mapped("default"), mapped("command")) == ((0, 0), (1, 0))
    assert mapped("command", GLIBC_TUNABLES="glibc.malloc.arena_max=2") == (0, 0)


def test_only_the_command_line_process_tunes_the_allocator(monkeypatch, capsys):
    """``main``, called by a program, leaves the program's allocator and collector as they
    are; ``run`` (the ``datapkg`` command and ``python -m datapkg``) tunes the allocator
    first, freezes what the command's imports made (``info``: its own, then validation's) and
    freezes the objects last."""
    import tomllib
    from pathlib import Path

    from datapkg import cli

    calls = []
    monkeypatch.setattr(cli, "map_large_allocations", lambda: calls.append("tuned"))
    monkeypatch.setattr(cli, "exit_without_collecting", lambda: calls.append("frozen"))
    monkeypatch.setattr(cli.gc, "freeze", lambda: calls.append("imported"))
    assert cli.main(["info"]) == 0 and calls == []
    monkeypatch.setattr(sys, "argv", ["datapkg", "info"])
    assert cli.run() == 0 and calls == ["tuned", "imported", "imported", "frozen"]
    assert not cli.collecting_waits  # a program calling main after run: as before
    root = Path(__file__).resolve().parent.parent
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"datapkg": "datapkg.cli:run"}
    assert "sys.exit(run())" in (root / "datapkg" / "__main__.py").read_text()


# The command run as its console script runs it, with a check at the very end of its exit.
FROZEN_AT_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen objects at exit:", gc.get_freeze_count()))
from datapkg.cli import run
sys.argv = ["datapkg", "info"]
sys.exit(run())
"""


def test_the_command_exits_without_collecting_its_objects(capsys):
    """The command's process freezes its objects once its work is done, so the
    interpreter's exit does not collect them: its output is still written in full, its
    ``atexit`` handlers still run, and its exit code is the command's."""
    from datapkg.cli import main

    assert main(["info"]) == 0
    report = capsys.readouterr().out
    done = subprocess.run([sys.executable, "-c", FROZEN_AT_EXIT], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(report)
    last = done.stdout[len(report):]
    assert last.startswith("frozen objects at exit: ") and int(last.split()[-1]) > 0


# `datapkg validate --no-curation` on the published package, through ``run`` (the command's
# own process) or ``main`` (a program calling it): the collector's runs that start while a
# command's imports (``cli.importing``) are under way.
COLLECTIONS = """
import contextlib, gc, sys
from datapkg import cli
importing, depth, during = cli.importing, [0], []

@contextlib.contextmanager
def counted():
    depth[0] += 1
    try:
        with importing():
            yield
    finally:
        depth[0] -= 1

cli.importing = counted
gc.callbacks.append(lambda phase, info: phase == "start" and depth[0] and during.append(1))
command = ["validate", "--no-curation"]
if sys.argv[1] == "run":
    sys.argv = ["datapkg", *command]
    cli.run()
else:
    cli.main(command)
print(len(during))
"""


def test_the_command_imports_its_libraries_without_collecting(capsys):
    """In the command's own process, no collection runs while ``validate`` imports pandas and
    pyarrow; called by a program, the same imports run the program's collector as usual
    (so they are where the libraries load)."""
    def collections_while_importing(how: str) -> int:
        done = subprocess.run([sys.executable, "-c", COLLECTIONS, how], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return int(done.stdout.splitlines()[-1])

    assert collections_while_importing("run") == 0 < collections_while_importing("main")


def test_importing_pauses_the_collector_only_in_the_command_s_own_process(monkeypatch):
    """``importing`` pauses the collector and freezes what its block made only where ``run``
    asked for it, and leaves a collector that was off, off."""
    import gc

    from datapkg import cli

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))

    def state_inside() -> bool:
        with cli.importing():
            return gc.isenabled()

    assert state_inside() and gc.isenabled() and not frozen  # a program calling main
    monkeypatch.setattr(cli, "collecting_waits", True)
    assert not state_inside() and gc.isenabled() and frozen == [1]
    gc.disable()
    try:
        assert not state_inside() and not gc.isenabled() and frozen == [1]
    finally:
        gc.enable()
    with pytest.raises(ImportError), cli.importing():  # a missing extra, say
        raise ImportError("no module named 'pandera'")
    assert gc.isenabled() and frozen == [1, 1]


def test_run_leaves_main_to_programs_as_it_found_it(monkeypatch):
    """After ``run``, however its command ended, ``main`` called by a program pauses nothing."""
    from datapkg import cli

    def fails(argv=None):
        raise RuntimeError("a command that failed past its own report")

    monkeypatch.setattr(cli, "main", fails)
    monkeypatch.setattr(cli, "map_large_allocations", lambda: None)  # this process's own
    with pytest.raises(RuntimeError):
        cli.run()
    assert not cli.collecting_waits



@pytest.mark.parametrize("raised, said", [
    (ValueError("Cannot mask with non-boolean array containing NA / NaN values"),
     "datapkg validate: unexpected ValueError: Cannot mask with non-boolean array containing "
     "NA / NaN values"),
    (datapkg.errors.UsageError("unknown format 'x'"), "datapkg validate: unknown format 'x'"),
])
def test_a_value_error_is_the_user_s_only_where_the_package_raised_it_on_purpose(
        monkeypatch, capsys, package, raised, said):
    """A ValueError from a library (pandas, here) is a fault of the package's, reported as
    unexpected; the package's own refusals (UsageError, a ValueError too) read as the user's."""
    def fails(directory):
        raise raised

    monkeypatch.setattr("datapkg.validate.validate_package", fails)
    assert main(["validate", "--path", str(package)]) == 1
    assert capsys.readouterr().err.strip() == said


def test_score_names_a_missing_prediction_file_as_missing(tmp_path, capsys):
    missing = tmp_path / "predictions.jsonl"
    assert main(["score", str(missing)]) != 0
    err = capsys.readouterr().err
    assert f"{missing}: no such file or folder of predictions" in err and "Traceback" not in err
