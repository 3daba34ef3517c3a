"""`datapkg diff OLD NEW`: added, removed and changed rows per table, by key."""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from datapkg.errors import Failure, UsageError
from datapkg.loader import load_table
from datapkg.paths import ROOT
from datapkg.registry import TABLES
from datapkg.tablediff import TableDiff, diff_frames
from datapkg.validate import validate_package


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True)


def revision(spec: str) -> str:
    """The commit a revision names, as a full hash; never read as an option."""
    if spec.startswith("-"):
        raise UsageError(f"{spec!r} is neither a package directory nor a git revision")
    found = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(f"{spec!r} is neither a package directory nor a git revision")
    return found.stdout.decode().strip()


@contextlib.contextmanager
def package_dir(spec: str) -> Iterator[Path]:
    """A package directory as given, or the data/ of a git revision (tag, branch, commit)."""
    if Path(spec).is_dir():
        yield Path(spec)
        return
    commit = revision(spec)
    archive = git("archive", "--format=tar", commit, "--", "data")
    if archive.returncode != 0:
        raise UsageError(f"{spec!r}: no data/ at that revision: "
                         f"{archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise UsageError(f"{spec!r}: its data/ cannot be extracted safely: {exc}") from None
        yield Path(tmp) / "data"


STRUCTURAL = ("files", "formats")  # a package failing these cannot be compared


def package_failures(directory: Path) -> tuple[list[Failure], list[Failure]]:
    """A package's failures that stop a comparison (its files are unsafe, unreadable, or
    its two formats disagree), and the others, which a work in progress may well have; a
    version differing is no failure here, since two releases differ in it by design."""
    failures = [f for f in validate_package(directory) if f.layer != "metadata"]
    return ([f for f in failures if f.layer in STRUCTURAL],
            [f for f in failures if f.layer not in STRUCTURAL])


def diff_packages(old: Path, new: Path) -> list[TableDiff]:
    """One TableDiff per table, between two packages that ``package_failures`` accepts."""
    return [diff_frames(load_table(name, path=old, verify=False),
                        load_table(name, path=new, verify=False), table)
            for name, table in TABLES.items()]


def diff_report(diffs: list[TableDiff]) -> str:
    lines = []
    for d in diffs:
        if not d:
            continue
        if d.columns_differ:
            lines.append(f"{d.table.name}: columns differ (a schema change)")
            continue
        rows_changed = len({k for k, *_ in d.changed})
        lines.append(f"{d.table.name}: {len(d.added)} added, {len(d.removed)} removed, "
                     f"{rows_changed} changed")
        lines += [f"  + {d.key_text(k)}" for k in d.added]
        lines += [f"  - {d.key_text(k)}" for k in d.removed]
        lines += [f"  ~ {d.key_text(k)}: {column}: {old!r} → {new!r}"
                  for k, column, old, new in d.changed]
        lines += [f"  ! {d.key_text(k)}: more than one row in the {which} package"
                  for which, k in d.duplicated]
    return "\n".join(lines) if lines else "no differences"
