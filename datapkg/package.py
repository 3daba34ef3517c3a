"""Which package a reader means, and what its descriptor promises about each file.

A user names a package by its folder (or by its ``datapackage.json``); nothing named means the
published one: ``datapkg/_data`` in an installed wheel, ``data/`` in a checkout. The
descriptor's ``hash`` (and ``bytes``, where given) of every file is what ``datapkg.load``
checks before it parses a byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from datapkg.errors import LoadError
from datapkg.files import (
    MAX_METADATA_BYTES,
    MAX_SEED_BYTES,
    MAX_TABLE_BYTES,
    inside,
    promised_blocks,
    read_inside,
    read_promised,
)
from datapkg.paths import DATA, SHIPPED_DATA
from datapkg.registry import TABLES

DESCRIPTOR = "datapackage.json"
HASH_PREFIX = "sha256:"


def default_data_dir() -> Path:
    """The published package: shipped inside the wheel, or ``data/`` in a checkout."""
    return SHIPPED_DATA if SHIPPED_DATA.is_dir() else DATA


def package_dir(path: str | Path | None, descriptor: bool = True) -> Path:
    """The package folder a user names (a path to its descriptor names its folder), with
    an error that says what to give instead when it names none."""
    if path is None:
        return default_data_dir()
    given = Path(path)
    if given.name == DESCRIPTOR and given.is_file():
        return given.parent
    hint = (f"give the folder that holds a package's {DESCRIPTOR} (the published one is "
            f"{default_data_dir()})")
    if not given.exists():
        raise LoadError(f"{given}: no such folder; {hint}")
    if not given.is_dir():
        raise LoadError(f"{given}: a file, not a package folder; {hint}")
    if descriptor and not os.path.lexists(given / DESCRIPTOR):  # a link or FIFO: validation says
        raise LoadError(f"no {DESCRIPTOR} in {given}; {hint}")
    return given


def promises(directory: Path) -> dict[str, tuple[str, int | None]]:
    """Each file's path → (sha256, bytes or None), as the descriptor states them."""
    try:
        package = json.loads(read_inside(directory, DESCRIPTOR, MAX_METADATA_BYTES))
    except (ValueError, RecursionError):
        package = None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise LoadError(f"{directory / DESCRIPTOR}: not a readable package descriptor; "
                        f"check it with `datapkg validate --path {directory}`")
    # Every value read from the descriptor is type-checked before use: a resource whose path,
    # hash or bytes is of another JSON type promises nothing (and its file is refused).
    return {r["path"]: (r["hash"][len(HASH_PREFIX):], r.get("bytes")) for r in resources
            if isinstance(r, dict) and isinstance(r.get("path"), str)
            and isinstance(r.get("hash"), str) and r["hash"].startswith(HASH_PREFIX)
            and (r.get("bytes") is None or type(r.get("bytes")) is int)}


def read_checked(directory: Path, relative: str, limit: int,
                 stated: dict[str, tuple[str, int | None]]) -> bytes:
    """A package file, refused unless it matches what the descriptor states about it."""
    if relative not in stated:
        raise LoadError(f"{directory / DESCRIPTOR}: states no sha256 for {relative}, so it "
                        f"cannot be checked; pass verify=False to load it unchecked")
    return read_promised(inside(directory, relative), *stated[relative], limit)


def check_files(directory: Path) -> int:
    """Every table's CSV and Parquet and every other file the descriptor lists, each refused
    (``LoadError``) unless it has the sha256 and bytes the descriptor states: what ``load()``
    checks before it parses, for a reader without the ``validate`` extra. Each file is
    streamed through the hash, never held whole. Returns how many files were checked."""
    stated = promises(directory)
    tables = [f"{name}.{format}" for name in TABLES for format in ("csv", "parquet")]
    names = [*tables, *sorted(set(stated) - set(tables))]
    for name in names:
        if name not in stated:
            raise LoadError(f"{directory / DESCRIPTOR}: states no sha256 for {name}, so it "
                            f"cannot be checked")
        limit = MAX_TABLE_BYTES if name in tables else MAX_SEED_BYTES
        for _ in promised_blocks(inside(directory, name), *stated[name], limit):
            pass
    return len(names)
