"""Command line. Reading a package: datapkg info | cite | coverage | export | score | render |
serve | diff | validate. Maintaining it, in a checkout: datapkg build | check | new-source."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

from datapkg._version import __version__
from datapkg.escape import terminal
from datapkg.metadata import NAME

EPILOG = """\
exit codes: 0 success; 1 invalid data, stale files or a failed build; 2 wrong usage
(a maintainer command, or render without --out, outside a checkout); 141 when the reader
of the output stops early (`datapkg cite | head -1`).

reading a package (the installed one, or --path DIR):
  datapkg info               tables, rows, version and folder of the package
  datapkg cite               how to cite this version (plain text; --format bibtex, ...)
  datapkg coverage           every body sentence: covered or excused, and by how many rows
  datapkg export --format brat --out DIR   brat, webanno (W3C Web Annotation) or plover
  datapkg score PREDICTIONS  score a system's brat, webanno or PLOVER output against the gold
  datapkg render --out DIR   the annotated-article site (in a checkout: site/ by default)
  datapkg serve --open       the site and its downloads at http://127.0.0.1:8000/
  datapkg diff HEAD data     what a change does to the data, table by table, by key
  datapkg validate           check the package, every layer, one report (validate extra)

maintaining it (in a checkout of the project):
  datapkg build              curate, validate and publish data/ (all or nothing)
  datapkg check              fail if committed files differ from a fresh build
  datapkg new-source FILE    add an article: its seed and a curation script skeleton
"""


def say(text: str, file=None, flush: bool = False) -> None:
    """Print a line for a person. Every text a command prints, to either stream, goes through
    here and so through ``terminal``: no control character from a package, a prediction file
    or a path reaches the terminal."""
    print(terminal(text), file=file or sys.stdout, flush=flush)


# A command that writes into the checkout (scripts/, seeds/, data/, site/) runs only from a
# checkout: from an installed wheel those paths would be inside site-packages.
class NeedsCheckout(Exception):
    """Wrong usage: a command, or a default, that only a checkout of the project has."""


def require_checkout(what: str = "it needs a checkout of the project (its scripts/, seeds/ "
                                  "and data/); this datapkg is an installed copy") -> None:
    from datapkg.paths import in_checkout

    if not in_checkout():
        raise NeedsCheckout(what)


def chosen_package(args) -> Path:
    """The package a command reads: ``--path`` (a folder, or its datapackage.json), else the
    published one; an error saying what to give when ``--path`` names no package."""
    from datapkg.package import package_dir

    return package_dir(args.path)


HASHES_ONLY = ("checked every file against datapackage.json's hashes and sizes; install the "
               f"validate extra for full validation: pip install '{NAME}[validate]'")


def checked_package(args) -> Path:
    """The package a command reads, once it passes validation (``InvalidPackage`` otherwise,
    which ``main`` reports). Every reading command works from the plain install: without
    pandera (the ``validate`` extra), its files are checked against the descriptor's hashes and
    sizes as ``datapkg.load()`` checks them, and one line on stderr says that was all."""
    with importing():
        from datapkg.validate import can_validate, require_valid

    directory = chosen_package(args)
    if can_validate():
        return require_valid(directory)
    from datapkg.package import check_files

    check_files(directory)
    say(HASHES_ONLY, file=sys.stderr)
    return directory


def which_package(directory: Path, given: str | None) -> str:
    """The line that says which package a command read."""
    from datapkg.paths import SHIPPED_DATA

    installed = (" (the copy installed with the library; `--path DIR` checks another)"
                 if given is None and directory == SHIPPED_DATA else "")
    return f"package: {directory}{installed}"


def cmd_build(args) -> int:
    require_checkout()
    with importing():
        from datapkg.build import build, draft
        from datapkg.errors import CurationError, InvalidPackage
        from datapkg.paths import DATA
        from datapkg.validate import report

    try:
        if args.draft:
            left = draft()
            say(f"draft: curated and validated; nothing was published; {len(left)} "
                  f"sentence(s) not yet curated{': ' + ', '.join(left) if left else ''}")
            return 0
        build(Path(args.path) if args.path else DATA)
    except InvalidPackage as exc:
        say(report(exc.failures), file=sys.stderr)
        say("build failed: the published files were left as they were", file=sys.stderr)
        return 1
    except CurationError as exc:
        say(f"build failed: {exc}", file=sys.stderr)
        say("the published files were left as they were", file=sys.stderr)
        return 1
    say(f"built and validated {args.path or DATA}")
    return 0


def cmd_validate(args) -> int:
    with importing():
        from datapkg.checkout import validate_checkout
        from datapkg.paths import ROOT, is_checkout
        from datapkg.validate import report, validate_package

    directory = chosen_package(args)
    if is_checkout(directory):
        failures = validate_checkout(ROOT, curation=not args.no_curation)
    else:
        failures = validate_package(directory)
    stream = sys.stderr if failures else sys.stdout
    say(report(failures), file=stream)
    say(which_package(directory, args.path), file=stream)
    return 1 if failures else 0


def cmd_check(args) -> int:
    require_checkout()
    with importing():
        from datapkg.checkout import stale_files

    stale = stale_files()
    if stale:
        say("stale: these committed files differ from a fresh build:", file=sys.stderr)
        say("\n".join(f"  {s}" for s in stale), file=sys.stderr)
        say("run `datapkg build` and commit the result", file=sys.stderr)
        return 1
    say("up to date: committed files equal a fresh build")
    return 0


def cmd_info(args) -> int:
    with importing():
        from datapkg.loader import load
        from datapkg.validate import read_descriptor

    directory = checked_package(args)
    if args.data_dir:  # the folder alone, to paste into R or another tool
        say(str(directory))
        return 0
    package, _ = read_descriptor(directory)  # its values type-checked, as validation read them
    say(f"{package['title']}\nversion {package['version']} · {directory}\n")
    tables = load(path=directory)
    for name, frame in tables.items():
        say(f"  {name:<24} {len(frame):>5} rows  {len(frame.columns):>3} columns")
    sources = tables["sources"]
    say(f"\n{len(sources)} article{'' if len(sources) == 1 else 's'}:")
    for source in sources.itertuples(index=False):
        say(article_line(source))
    return 0


def article_line(source) -> str:
    """One row of the sources table as `datapkg info` lists it: its id, date, outlet and
    title, a null cell left blank."""
    import pandas as pd

    date, outlet, title = ("" if pd.isna(value) else str(value)
                           for value in (source.published_date, source.outlet, source.title))
    return f"  {source.source_id}  {date}  {outlet}: {title}"


def cmd_export(args) -> int:
    with importing():
        from datapkg.formats import export

    written = export(args.format, Path(args.out), path=checked_package(args))
    say(f"wrote {len(written)} {args.format} files into {args.out}")
    return 0


def cmd_score(args) -> int:
    with importing():
        from datapkg.score import as_json, score, table

    report = score(Path(args.predictions), path=checked_package(args))
    say(as_json(report) if args.format == "json" else table(report))
    return 0


def cmd_coverage(args) -> int:
    with importing():
        from datapkg.loader import load_table
        from datapkg.registry import CLAIMS

    directory = checked_package(args)
    coverage = load_table("coverage", path=directory)
    sentences = load_table("sentences", path=directory).set_index("sentence_id")["text"]
    counts = (*CLAIMS, "mentions")
    # Every column as wide as its header and its widest value: no header or id is cut.
    widths = {c: max([len(c), *(len(str(v)) for v in coverage[c])]) for c in counts}
    id_width = max([len("sentence"), *(len(s) for s in coverage["sentence_id"])])
    say(f"{'sentence':<{id_width}} {'status':<8} " + " ".join(f"{c:>{widths[c]}}" for c in counts)
        + "  text")
    for row in coverage.itertuples(index=False):
        text = sentences[row.sentence_id]
        line = (f"{row.sentence_id:<{id_width}} {row.status:<8} "
                + " ".join(f"{getattr(row, c):>{widths[c]}}" for c in counts)
                + f"  {text[:60]}{'…' if len(text) > 60 else ''}")
        say(line + (f"\n{'':<{id_width + 10}}excused: {row.reason}"
                    if row.status == "excused" else ""))
    status = coverage["status"].value_counts()
    say(f"\n{len(coverage)} body sentences: {status.get('covered', 0)} covered, "
        f"{status.get('excused', 0)} excused")
    return 0


def cmd_cite(args) -> int:
    with importing():
        from datapkg import citation as cite

    c = cite.from_package(checked_package(args), commit=True)
    if args.format != "all":
        say(cite.formatted(c, args.format))
        return 0
    say("\n\n".join(f"{name}:\n{cite.formatted(c, name)}"
                     for name in ("bibtex", "biblatex", "csl-json", "plain")))
    return 0


def cmd_diff(args) -> int:
    with importing():
        from datapkg.diff import diff_packages, diff_report, package_dir, package_failures
        from datapkg.errors import UsageError
        from datapkg.validate import report

    try:
        with package_dir(args.old) as old, package_dir(args.new) as new:
            for spec, directory in ((args.old, old), (args.new, new)):
                structural, others = package_failures(directory)
                if structural:
                    say(report(structural), file=sys.stderr)
                    say(f"datapkg diff: {spec}: its files cannot be compared safely; nothing was "
                        f"compared", file=sys.stderr)
                    return 1
                if others:
                    say(f"datapkg diff: warning: {spec} has {len(others)} validation failure(s) "
                        f"(see `datapkg validate`)", file=sys.stderr)
            diffs = diff_packages(old, new)
    except UsageError as exc:
        say(f"datapkg diff: {terminal(str(exc), one_line=True)}", file=sys.stderr)
        return 2
    say(diff_report(diffs))
    return 0


def cmd_render(args) -> int:
    with importing():
        from datapkg.build import write_site
        from datapkg.paths import SITE
        from datapkg.render import pages

    if not args.out:  # the checkout's site/; an installed copy has none to write into
        require_checkout("give --out DIR, a new or empty folder to write the site into (an "
                         "installed copy has no site/ of its own; `datapkg serve` serves the "
                         "site it ships)")
    out = Path(args.out) if args.out else SITE
    data = checked_package(args)
    written = write_site(pages(data), out)
    say(f"rendered {len(written)} files into {out} (open {out / 'index.html'})")
    beside = out.resolve().parent / "data"
    if not same_folder(beside, data):  # the pages' downloads would find nothing there
        say(f"its downloads link to {beside}, which is not this package: copy the package's "
            f"files ({data}) there, or run `datapkg serve`")
    return 0


def same_folder(one: Path, other: Path) -> bool:
    import os

    try:
        return os.path.samefile(one, other)
    except OSError:  # missing, unreadable or a loop of links
        return False


def cmd_serve(args) -> int:
    with importing():
        import webbrowser

        from datapkg.serve import HOME, default_site_dir, server

    data = checked_package(args)
    site = Path(args.site) if args.site else default_site_dir()
    with server(site, data, args.port) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}{HOME}"
        say(f"serving {site} at /site/ and {data} at /data/: open {url} (Ctrl-C stops)",
            flush=True)
        if args.open:
            webbrowser.open(url)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            say("stopped")
    return 0


def cmd_new_source(args) -> int:
    require_checkout()
    with importing():
        from datapkg.newsource import new_source

    seed, script = new_source(Path(args.seed))
    say(f"seed {seed}\nscript {script}\nedit the script, then run `datapkg build`")
    return 0


class Parser(argparse.ArgumentParser):
    """argparse, whose usage errors repeat the arguments given, printing through ``terminal``
    too, each error one line (its subcommands' parsers are of the same class)."""

    def _print_message(self, message: str, file=None) -> None:
        super()._print_message(terminal(message), file)

    def error(self, message: str):
        super().error(terminal(message, one_line=True))


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="datapkg", description="Build, validate and inspect the curated data package.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"datapkg {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    i = sub.add_parser("info", help="list tables, rows and version")
    i.add_argument("--path", help="package directory (default: the published one)")
    i.add_argument("--data-dir", action="store_true",
                   help="print only the package's folder (to paste into R or another tool)")
    i.set_defaults(run=cmd_info)
    t = sub.add_parser("cite", help="print the citation: plain text, or BibTeX, BibLaTeX, "
                                    "CSL-JSON, or all of them")
    t.add_argument("--format", choices=("plain", "bibtex", "biblatex", "csl-json", "all"),
                   default="plain", help="default: plain text")
    t.add_argument("--path", help="package directory (default: the published one)")
    t.set_defaults(run=cmd_cite)
    g = sub.add_parser("coverage", help="list every body sentence with the rows resting on it")
    g.add_argument("--path", help="package directory (default: the published one)")
    g.set_defaults(run=cmd_coverage)
    e = sub.add_parser("export", help="write the package as brat standoff, W3C Web Annotation "
                                      "JSON-LD or PLOVER event records")
    e.add_argument("--format", choices=("brat", "webanno", "plover"), required=True)
    e.add_argument("--out", required=True, help="folder to write the files into")
    e.add_argument("--path", help="package directory (default: the published one)")
    e.set_defaults(run=cmd_export)
    o = sub.add_parser("score", help="score a system's output (brat folder, Web Annotation "
                                     "file or folder, PLOVER records) against the curated gold")
    o.add_argument("predictions", help="a folder of brat .ann files (with, beside them, the same "
                                       "coding's PLOVER records as <source_id>.plover.jsonl: acts "
                                       "are scored too, the coder's actor ids aligned to the "
                                       "gold's through the mentions), a .jsonld file or folder, "
                                       "or a .jsonl/.json file of PLOVER records (ids as written)")
    o.add_argument("--format", choices=("table", "json"), default="table",
                   help="a readable table (default) or the JSON report")
    o.add_argument("--path", help="package directory holding the gold (default: the published one)")
    o.set_defaults(run=cmd_score)
    r = sub.add_parser("render", help="write the annotated-article site (static, works from "
                                      "file://)")
    r.add_argument("--path", help="package directory (default: the published one)")
    r.add_argument("--out", help="site directory (default in a checkout: site/; an installed "
                                 "copy needs --out)")
    r.set_defaults(run=cmd_render)
    s = sub.add_parser("serve", help="serve the site and the package it links to on this "
                                     "machine (the installed copy, or the checkout's)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free one)")
    s.add_argument("--open", action="store_true", help="open the site in a web browser")
    s.add_argument("--site", help="site directory (default: the installed or checkout site)")
    s.add_argument("--path", help="package directory (default: the published one)")
    s.set_defaults(run=cmd_serve)
    d = sub.add_parser("diff", help="added, removed and changed rows per table between two "
                                    "packages (directories or git revisions)")
    d.add_argument("old", help="package directory or git revision (e.g. v0.1.0, HEAD~1)")
    d.add_argument("new", help="package directory or git revision (e.g. data)")
    d.set_defaults(run=cmd_diff)
    v = sub.add_parser("validate", help="validate a published package; exit 1 on any failure")
    v.add_argument("--path", help="package directory (default: the published one)")
    v.add_argument("--no-curation", action="store_true",
                   help="skip the comparison with a rebuild from scripts/")
    v.set_defaults(run=cmd_validate)
    b = sub.add_parser("build", help="in a checkout: curate, validate and publish the package "
                                     "(all or nothing)")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--path", help="package directory to write (default: data/, which also "
                                      "refreshes schemas/, docs/codebook.md, CITATION.cff, "
                                      ".zenodo.json and site/)")
    where.add_argument("--draft", action="store_true",
                       help="curate and validate work in progress, sentences still excused as "
                            "not yet curated included, and publish nothing")
    b.set_defaults(run=cmd_build)
    c = sub.add_parser("check", help="in a checkout: fail when committed files differ from a "
                                     "fresh build")
    c.set_defaults(run=cmd_check)
    n = sub.add_parser("new-source", help="in a checkout: add an article: copy its seed into "
                                          "seeds/ and write a curation script skeleton into "
                                          "scripts/")
    n.add_argument("seed", help="the article's text, UTF-8, as captured")
    n.set_defaults(run=cmd_new_source)
    return p


# Modules that only an extra installs → the extra.
EXTRAS = {"pandera": "validate"}


# glibc's M_MMAP_THRESHOLD, and the size from which an allocation gets its own mapping.
M_MMAP_THRESHOLD, MAPPED_FROM = -3, 4 * 1024 * 1024
# Where a user tunes glibc's allocator, the command leaves it as they set it.
GLIBC_TUNING = ("MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES")


def map_large_allocations() -> None:
    """In the command's own process, every allocation of MAPPED_FROM bytes or more (NumPy's
    and pandas' larger temporaries) gets its own mapping, given back when it is freed. By
    default glibc raises that threshold each time such a block is freed, up to 32 MiB, and
    keeps the later blocks in its heaps, which a validation of 10,000 articles then holds
    beside the tables (about 60 MiB more at the peak). A lower threshold keeps less still,
    but maps and faults in every smaller temporary afresh: at 128 KiB, 10% more time for
    20 MiB less (docs/scaling_history.md). Elsewhere than glibc, or where the user tunes glibc
    (GLIBC_TUNING), nothing changes; Arrow's own memory comes from jemalloc, which this does
    not touch. For the process the command runs in alone (``run``), never for a program that
    calls ``main``."""
    import os

    if any(name in os.environ for name in GLIBC_TUNING):
        return
    try:
        import ctypes

        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return
        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MAPPED_FROM)
    except (ImportError, ValueError, OSError, AttributeError):
        return  # no ctypes, no confstr name, no libc, no mallopt


def run() -> int:
    """The ``datapkg`` command and ``python -m datapkg``: ``main``, in a process of its own."""
    global collecting_waits
    map_large_allocations()
    collecting_waits = True
    try:
        code = main()
    finally:
        collecting_waits = False
    exit_without_collecting()
    return code


# In the command's own process (``run``), the cyclic garbage collector waits while a command
# imports the libraries it needs (``importing``): the modules' objects live as long as the
# process, and importing pandas and pyarrow otherwise runs about 170 collections, 30 to 40 ms
# of the command's start-up, each walking the objects made so far (docs/scaling_history.md).
# Only at a command's start, never on a path that repeats (a request ``serve`` answers): what
# a freeze keeps, it keeps for the life of the process.
collecting_waits = False


@contextlib.contextmanager
def importing() -> Iterator[None]:
    """Around a command's imports: in the command's own process (``run``), no collection
    while they run, and every object the collector tracks by their end (theirs, and the few
    made before them) is left out of every later collection (``gc.freeze``); the collector
    is on again after the block, however it ends. Elsewhere (a program that calls ``main``),
    or with the collector off, nothing changes."""
    if not collecting_waits or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def exit_without_collecting() -> None:
    """Once the command is done, its process only exits: every object is frozen
    (``gc.freeze``), so that the collections of the interpreter's exit no longer walk the
    objects of pandas, pyarrow and the tables, whose memory goes back with the process
    (about 60 ms of every command that loaded pandas; docs/scaling_history.md). Exit still flushes
    the output, runs the ``atexit`` handlers (a ``TemporaryDirectory``'s cleanup among them)
    and joins the threads. Only an object left in a reference cycle is not finalized; the
    commands leave none that holds a file, each closed by its ``with`` block. For the
    process the command runs in alone (``run``), never for a program that calls ``main``."""
    gc.freeze()


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure becomes a report on stderr and exit code 1."""
    # Every command and API: any failure is one report line and exit 1 (2 for usage), never a
    # traceback (tests/test_fuzz.py feeds every command fuzzed input to hold this).
    for stream in (sys.stdout, sys.stderr):  # paths that are not valid UTF-8 still print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parser().parse_args(argv)
    from datapkg.errors import InvalidPackage

    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe is found here, not at exit
        return code
    except BrokenPipeError:
        return closed_output()
    except NeedsCheckout as exc:
        say(f"datapkg {args.command}: {exc}", file=sys.stderr)
        return 2
    except InvalidPackage as exc:
        from datapkg.validate import report

        say(report(exc.failures), file=sys.stderr)
        say(f"datapkg {args.command}: the package is not valid; nothing was done",
            file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        say(f"datapkg {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a report, never a traceback
        say(f"datapkg {args.command}: {failure(exc)}", file=sys.stderr)
        return 1


# A reader that stops early (`datapkg cite | head -1`) ends the command quietly, as a Unix
# filter ends on SIGPIPE: exit 141 (128 + SIGPIPE), no report, no traceback at exit.
SIGPIPE_EXIT = 141


def closed_output() -> int:
    """Stdout's reader is gone: point stdout at /dev/null, so that Python's flush at exit
    meets no closed pipe (the recipe of Python's signal documentation)."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return SIGPIPE_EXIT


def failure(exc: Exception) -> str:
    """What went wrong, for a person: a missing extra names the line that installs it."""
    from datapkg.errors import DatapkgError

    if isinstance(exc, ModuleNotFoundError) and exc.name in EXTRAS:
        return (f"needs {exc.name}, which is not installed; install it with: "
                f"pip install '{NAME}[{EXTRAS[exc.name]}]'")
    kind = "" if isinstance(exc, DatapkgError | OSError) else \
        f"unexpected {type(exc).__name__}: "
    return terminal(f"{kind}{exc}", one_line=True)  # one failure, one line


if __name__ == "__main__":
    sys.exit(run())
