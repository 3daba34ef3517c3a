"""Write the package: CSV, Parquet, seeds, schemas and descriptor — all or nothing."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg.citation import citation, dataset_bibtex
from datapkg.croissant import croissant
from datapkg.descriptor import descriptor, schema_path, table_schema, to_json
from datapkg.registry import TABLES
from datapkg.typemap import types_mapper

PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, version="2.6",
                       use_dictionary=True, write_statistics=True)


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8, LF, header row, strings quoted, nulls empty, booleans true/false, ISO dates."""
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(
        include_header=True, quoting_style="needed", eol="\n"))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with pandas metadata, so any pandas reader gets the declared dtypes back
    (nullable integers stay integers); the registry's Arrow schema is kept as is."""
    frame = table.to_pandas(types_mapper=types_mapper, ignore_metadata=True)
    table = pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def digest(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def write_package(tables: dict[str, pa.Table], seeds: dict[str, Path], directory: Path,
                  created: str) -> None:
    """Write every file of the package into ``directory`` (which must be empty)."""
    (directory / "schemas").mkdir(parents=True)
    (directory / "seeds").mkdir()
    files = {}
    for name, table in tables.items():
        (directory / schema_path(name)).write_bytes(to_json(table_schema(TABLES[name])))
        write_csv(table, directory / f"{name}.csv")
        write_parquet(table, directory / f"{name}.parquet")
        files[f"{name}.csv"] = digest(directory / f"{name}.csv")
        files[f"{name}.parquet"] = digest(directory / f"{name}.parquet")
    for seed in seeds.values():
        shutil.copyfile(seed, directory / "seeds" / seed.name)
        files[f"seeds/{seed.name}"] = digest(directory / "seeds" / seed.name)
    sources = tables["sources"].to_pylist()
    (directory / "datapackage.json").write_bytes(to_json(descriptor(files, sources, created)))
    cite_as = dataset_bibtex(citation(sources, created))
    (directory / "croissant.json").write_bytes(to_json(croissant(files, cite_as, created, sources)))


@contextlib.contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One build at a time per target directory's parent: a second waits for the first."""
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths in one atomic step (Linux)
AT_FDCWD = -100


# renameat2 failing with these means "not supported here" (old kernel, C library or file
# system); any other error is a real failure and is raised.
UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, f"cannot exchange {a} and {b}: {os.strerror(code)}")


def set_aside(staged: Path) -> Path:
    """Where the three-rename swap parks the old ``target`` inside the staging directory."""
    return staged.with_name(staged.name + ".old")


def swap_in(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``, at no moment leaving ``target`` missing or half-written
    where the system can exchange paths atomically; the old contents end up at ``new``.
    Elsewhere three renames do it, and a build killed between them leaves the old
    ``target`` set aside, where ``clear_leftovers`` puts it back."""
    if not target.exists():
        os.rename(new, target)
    elif not exchange(new, target):
        os.rename(target, set_aside(new))
        os.rename(new, target)
        os.rename(set_aside(new), new)


def clear_leftovers(target: Path) -> None:
    """Undo what a killed build left beside ``target``: an old package set aside goes back
    to its place if nothing took it, and staging directories are removed."""
    for leftover in sorted(target.parent.glob(f"{target.name}.tmp-*")):
        parked = set_aside(leftover / "package")
        if parked.is_dir() and not target.exists():
            os.rename(parked, target)
        shutil.rmtree(leftover, ignore_errors=True)


def replace_directory(target: Path, fill: Callable[[Path], None]) -> None:
    """Write a new ``target`` with ``fill`` beside it, then swap it in; on any failure, or if
    the process is killed, the old ``target`` stays exactly as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(target):
        clear_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
        try:
            fill(staging / "package")
            swap_in(staging / "package", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def write_file(path: Path, data: bytes) -> None:
    """Replace one file atomically (write beside it, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as handle:
        handle.write(data)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)
