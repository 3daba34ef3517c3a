"""`datapkg diff OLD NEW`: added, removed and changed rows per table, by key."""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from datapkg.compare import TableDiff, diff_frames
from datapkg.loader import load_table
from datapkg.metadata import ROOT
from datapkg.registry import TABLES


@contextlib.contextmanager
def package_dir(spec: str) -> Iterator[Path]:
    """A package directory as given, or the data/ of a git revision (tag, branch, commit)."""
    if Path(spec).is_dir():
        yield Path(spec)
        return
    archive = subprocess.run(["git", "archive", "--format=tar", spec, "data"], cwd=ROOT,
                             capture_output=True)
    if archive.returncode != 0:
        raise ValueError(f"{spec!r} is neither a package directory nor a git revision with "
                         f"data/: {archive.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "data"


def diff_packages(old: Path, new: Path) -> list[TableDiff]:
    """One TableDiff per table present in either package."""
    diffs = []
    for name, table in TABLES.items():
        frames = [load_table(name, path=p) if (p / f"{name}.parquet").is_file() else None
                  for p in (old, new)]
        if frames[0] is None or frames[1] is None:
            empty = frames[1] if frames[0] is None else frames[0]
            frames = [f if f is not None else empty.iloc[0:0] for f in frames]
        diffs.append(diff_frames(frames[0], frames[1], table))
    return diffs


def report(diffs: list[TableDiff]) -> str:
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
    return "\n".join(lines) if lines else "no differences"
