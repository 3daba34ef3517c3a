"""Validate a published package on its own: every layer, every failure, one report.

Layers: files (descriptor, paths, sizes, hashes, encoding, headers, generated schemas),
formats (CSV == Parquet, cell for cell and row for row), tables (pandera, per column and key),
keys (foreign keys), rules (across columns), provenance (seed hashes, every span equals the
seed's slice) and metadata (one version). Every file is read once, through
``datapkg.files``; nothing outside the package is read and nothing in it is run. The
checkout's own checks (curation, generated files, changelog) are in ``datapkg.checkout``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from datapkg import rules
from datapkg._version import __version__
from datapkg.descriptor import PARQUET_SUFFIX, schema_path, table_schema, to_json
from datapkg.errors import ColumnCount, DecodeBomb, Failure, InvalidPackage, LoadError, UnsafeFile
from datapkg.escape import SHOWN, cut, terminal
from datapkg.files import MAX_METADATA_BYTES, MAX_SEED_BYTES, MAX_TABLE_BYTES, read_inside
from datapkg.loader import decode_table, is_utf8, read_csv_text, texts_checked, to_pandas
from datapkg.metadata import NAME
from datapkg.parquetbounds import check_parquet
from datapkg.registry import CONTROL_CHARACTER, TABLES, Field, ForeignKey, Table, spans
from datapkg.rules import (
    among_each,
    applicable,
    value_bytes,
    violations_of,
)
from datapkg.tablediff import diff_frames
from datapkg.typemap import ARROW_TYPES, arrow_schema

CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

REBUILD = "rebuild with `datapkg build`"  # a fix for a checkout; where_fixable adapts it


def shown(value) -> str:
    """A value as a report shows it: Python's repr, NumPy scalars as plain numbers."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    text = "null" if value is None or value is pd.NA or (isinstance(value, float) and
                                                          value != value) else repr(value)
    return cut(text)


def key_text(value) -> str:
    """A key's value as a report shows it: as it is, or escaped where it holds a character
    that would break the report's one line (a newline, a control character)."""
    text = str(value)
    return text if text.isprintable() else repr(text)


# A check reads the cells its failures report (each row's key, the value at fault) for all of
# them at once: read a cell at a time, 110,000 failures took seconds more to report.
def row_positions(frame: pd.DataFrame, indexes) -> np.ndarray:
    """Where each of ``indexes`` (labels of ``frame``'s index, or None) is in ``frame``, -1
    for one it does not have. ``frame``'s index is unique: a RangeIndex, as every frame
    validation reads is made (``to_pandas``)."""
    return frame.index.get_indexer(pd.Index(list(indexes), dtype=object))


def cells(frame: pd.DataFrame, column: str, at: np.ndarray) -> list:
    """The values of ``column`` at positions ``at`` (each a row of ``frame``, none -1), as
    a cell at a time reads them (a null as pd.NA)."""
    return frame[column].iloc[at].tolist()


def row_keys(table: Table, frame: pd.DataFrame, at: np.ndarray) -> list[str]:
    """The primary key of each row at positions ``at`` as a report shows it
    (``Table.key_text``), "" for a position of -1 (``row_positions`` found no row)."""
    found = np.flatnonzero(at >= 0)
    columns = [cells(frame, k, at[found]) for k in table.primary_key]
    keys = [""] * len(at)
    for j, row in zip(found.tolist(), zip(*columns)):
        keys[j] = table.key_text({k: key_text(v) for k, v in zip(table.primary_key, row)})
    return keys


# --- files ---------------------------------------------------------------------------------

# Every value read from a metadata document (datapackage.json, croissant.json) is
# type-checked before use: a document or entry is read through ``typed``, which keeps only the
# keys of its shape whose values have the shape's JSON type (bool is not an integer) and
# reports the others, so no check downstream meets a list or an object where it reads a
# string.
class Shape(NamedTuple):
    what: str
    types: dict  # key → Python type of its JSON value
    required: tuple = ()


PACKAGE = Shape("descriptor", {"title": str, "version": str, "created": str, "resources": list},
                ("title", "version", "created", "resources"))
RESOURCE = Shape("resource", {"name": str, "path": str, "type": str, "format": str, "hash": str,
                              "bytes": int, "schema": str}, ("name", "path"))
CROISSANT = Shape("Croissant metadata", {"version": str, "distribution": list})
FILE_OBJECT = Shape("Croissant file object",
                    {"@id": str, "contentUrl": str, "sha256": str, "contentSize": str},
                    ("contentUrl",))
JSON_TYPES = {str: "a string", int: "an integer", list: "a list"}


def read_json(directory: Path, relative: str, what: str) -> tuple[object, list[Failure]]:
    """A JSON file of the package, bounded in size and depth; failures instead of errors."""
    path = directory / relative
    try:
        return json.loads(read_inside(directory, relative, MAX_METADATA_BYTES)), []
    except (LoadError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        return None, [Failure("metadata-unreadable", str(path), "", "", "", "",
                              f"{what} unreadable: {reason}", REBUILD)]


def typed(value: object, shape: Shape, file: str, row: str = ""
          ) -> tuple[dict | None, list[Failure]]:
    """``value``'s keys of ``shape`` whose values have the shape's types, and a failure for
    each required key missing or any key of another type; None when ``value`` is not a JSON
    object."""
    if not isinstance(value, dict):
        return None, [Failure("metadata-shape", file, "", row, "", shown(value),
                              f"{shape.what} must be a JSON object")]
    failures = [Failure("metadata-shape", file, "", row, key, "null",
                        f"{shape.what} must have {key!r}")
                for key in shape.required if key not in value]
    kept = {}
    for key, kind in shape.types.items():
        if key not in value:
            continue
        if isinstance(value[key], kind) and not (kind is int and isinstance(value[key], bool)):
            kept[key] = value[key]
        else:
            failures.append(Failure("metadata-shape", file, "", row, key, shown(value[key]),
                                    f"{shape.what} {key!r} must be {JSON_TYPES[kind]}"))
    return kept, failures


def check_created(package: dict, file: str) -> list[Failure]:
    created = package.get("created")
    try:
        if isinstance(created, str) and CREATED.fullmatch(created):
            dt.datetime.fromisoformat(created)
            return []
    except ValueError:
        pass
    return [] if not isinstance(created, str) else [
        Failure("created-format", file, "", "", "created", shown(created),
                "created must be an ISO 8601 date-time in UTC (YYYY-MM-DDThh:mm:ssZ)")]


def read_descriptor(directory: Path) -> tuple[dict | None, list[Failure]]:
    """The descriptor's values that validation reads, each of its type, with every failure of
    its shape; None when it has no list of resources."""
    file = str(directory / "datapackage.json")
    document, failures = read_json(directory, "datapackage.json", "descriptor")
    if failures:
        return None, failures
    package, failures = typed(document, PACKAGE, file)
    if package is None or "resources" not in package:
        return None, failures
    resources = []
    for i, entry in enumerate(package["resources"]):
        resource, resource_failures = typed(entry, RESOURCE, file, f"resources[{i}]")
        failures += resource_failures
        if resource is not None:
            resources.append(resource)
    package["resources"] = resources
    return package, failures + check_created(package, file)


def expected_paths() -> dict[str, str]:
    """Table resource name → the only path it may have: the table's CSV or Parquet file."""
    names = {name: f"{name}.csv" for name in TABLES}
    return names | {name + PARQUET_SUFFIX: f"{name}.parquet" for name in TABLES}


def is_seed_resource(resource: dict) -> bool:
    return resource.get("type") == "file" and resource.get("path", "").startswith("seeds/")


def check_resources(directory: Path, package: dict | None
                    ) -> tuple[dict, list[dict], list[Failure]]:
    """Table resources by name, each once, each at its expected path, every table present;
    and the seed resources, checked once the sources table says which seeds exist."""
    file = str(directory / "datapackage.json")
    if package is None:
        return {}, [], []
    expected, by_name, seeds, failures = expected_paths(), {}, [], []
    names = {r.get("name", "") for r in package["resources"]}
    for resource in package["resources"]:
        name = resource.get("name", "")
        path, table = resource.get("path"), name.removesuffix(PARQUET_SUFFIX)
        if name in by_name:
            failures.append(Failure("resource-duplicate", file, table, name, "name", shown(name),
                                    "resource names must be unique"))
        elif name in expected and path != expected[name]:
            failures.append(Failure("resource-path", file, table, name, "path", shown(path),
                                    f"resource path must be relative, inside the package, not "
                                    f"a link, and be {expected[name]!r}"))
        elif name in expected:
            by_name[name] = resource
        elif is_seed_resource(resource):
            seeds.append(resource)
        else:
            failures.append(unknown_resource(file, resource))
    for name in TABLES:
        for wanted in (name, name + PARQUET_SUFFIX):
            if wanted not in names:
                failures.append(Failure("resource-missing", file, name, "", "resources", wanted,
                                        "every table has a CSV and a Parquet resource"))
    return by_name, seeds, failures


def unknown_resource(file: str, resource: dict) -> Failure:
    return Failure("resource-unknown", file, "", resource.get("name", ""), "path",
                   shown(resource.get("path")),
                   "unknown resource: a package holds each table as CSV and Parquet and each "
                   "source's seed, once (nothing else is read)")


def check_declared(file: str, table: str, resource: dict | None, size: int,
                   sha: str) -> list[Failure]:
    """The descriptor's hash (and bytes, except for Parquet) against the file's."""
    if resource is None:
        return []
    failures, name = [], resource.get("name", "")
    if resource.get("hash") != f"sha256:{sha}":
        failures.append(Failure("hash-mismatch", file, table, name, "hash", shown(resource.get("hash")),
                                f"descriptor hash must equal the file's (sha256:{sha})"))
    if resource.get("format") != "parquet" and resource.get("bytes") != size:
        failures.append(Failure("bytes-mismatch", file, table, name, "bytes", shown(resource.get("bytes")),
                                f"descriptor bytes must equal the file's size ({size})"))
    if table in TABLES and resource.get("schema") != schema_path(table):
        failures.append(Failure("schema-path", file, table, name, "schema",
                                shown(resource.get("schema")), f"must be {schema_path(table)}"))
    return failures


def read_file(directory: Path, relative: str, resource: dict | None, limit: int,
              table: str) -> tuple[bytes | None, list[Failure]]:
    """A package file's bytes, read once: refused when it is a link, not a regular file, or
    larger than its declared ``bytes`` (or ``limit``)."""
    path, name = directory / relative, (resource or {}).get("name", "")
    declared = (resource or {}).get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and 0 <= declared < limit:
        limit = declared
    try:
        return read_inside(directory, relative, limit), []
    except UnsafeFile as exc:
        column = "bytes" if "bytes, more than" in str(exc) else "path"
        rule = (f"descriptor bytes must equal the file's size: {exc}" if column == "bytes"
                else f"resource path must be relative, inside the package, not a link, and a "
                     f"regular file: {exc}")
        return None, [Failure("bytes-mismatch" if column == "bytes" else "resource-path",
                              str(path), table, name, column,
                              shown(declared if column == "bytes" else relative), rule)]
    except LoadError as exc:
        missing = "file not found" in str(exc)
        return None, [Failure("file-missing" if missing else "file-unreadable", str(path), table,
                              name, "path", shown(relative),
                              "file is missing" if missing else str(exc),
                              REBUILD if missing else "")]


# The seeds read, by path: their bytes (a view into one buffer of them all) and their sha256.
SeedsRead = dict[str, tuple[bytes | memoryview, str]]


def check_seed_resources(directory: Path, seeds: list[dict], seed_paths: set[str],
                         digests: dict[str, tuple[int, str]]
                         ) -> tuple[SeedsRead, list[Failure]]:
    """Each source's seed resource: read once, its hash and size as declared; returns the
    bytes read (views into one buffer of them all) and their sha256, by path. A resource
    naming no source's seed, or a seed named twice, is reported and not read."""
    file, failures, read, seen = str(directory / "datapackage.json"), [], {}, set()
    for resource in seeds:
        relative = resource["path"]
        if relative not in seed_paths or relative in seen:
            failures.append(unknown_resource(file, resource))
            continue
        seen.add(relative)
        data, read_failures = read_file(directory, relative, resource, MAX_SEED_BYTES, "")
        failures += read_failures
        if data is not None:
            digests[relative] = (len(data), hashlib.sha256(data).hexdigest())
            read[relative] = (data, digests[relative][1])
            failures += check_declared(str(directory / relative), "", resource,
                                       *digests[relative])
    return in_one_buffer(read), failures


def in_one_buffer(read: SeedsRead) -> SeedsRead:
    """The seeds' bytes copied into one buffer, each a view of its part: the many small
    objects go while little else is held, and the buffer, one mapping, is given back whole
    once no view of it is left (small objects freed late stay in the allocator's heap)."""
    whole = memoryview(b"".join(data for data, _ in read.values()))
    ends = itertools.accumulate(len(data) for data, _ in read.values())
    return {path: (whole[end - len(data):end], digest)
            for (path, (data, digest)), end in zip(read.items(), ends)}


def check_csv_bytes(file: Path, name: str, data: bytes) -> list[Failure]:
    rule = None
    if data.startswith(b"\xef\xbb\xbf"):
        rule = "CSV must be UTF-8 without a byte-order mark"
    elif b"\r" in data:
        rule = "CSV lines must end in LF, not CRLF"
    elif not is_utf8(data):
        rule = f"CSV must be UTF-8: {utf8_error(data)}"
    if rule:
        return [Failure("csv-encoding", str(file), name, "", "", "", rule,
                        REBUILD)]
    expected = TABLES[name].columns
    header = csv_header(data, expected)
    if header != expected:
        return [Failure("column-order", str(file), name, "header", "", shown(",".join(header)),
                        f"columns must be, in order: {','.join(expected)}")]
    return []


def csv_header(data: bytes, columns: list[str]) -> list[str]:
    """The names in a CSV's first line, looked for only as far as the longest header of
    ``columns`` reaches (every name quoted), and as much more as a report shows: a longer
    first line is cut there, and is no header of them."""
    # Every decoder is bounded by the bytes it produces: only a header's length is decoded.
    longest = sum(len(c.encode()) + 3 for c in columns) + SHOWN  # "name", and the line's end
    first = data[:longest]
    end = first.find(b"\n")
    line = first[:end] if end >= 0 else first
    return line.decode("utf-8", errors="replace").replace('"', "").split(",")


UTF8_CHUNK = 2**20  # bytes decoded at a time to find the first that is not UTF-8


def utf8_error(data: bytes) -> str:
    """Python's error for the first bytes of ``data`` that are not UTF-8, found by decoding a
    chunk at a time (never the whole file at once)."""
    view, pos = memoryview(data), 0
    while pos < len(data):
        chunk = view[pos:pos + UTF8_CHUNK]
        try:
            pos += codecs.utf_8_decode(chunk, "strict", pos + len(chunk) >= len(data))[1]
        except UnicodeDecodeError as exc:
            return str(UnicodeDecodeError("utf-8", data, pos + exc.start, pos + exc.end,
                                          exc.reason))
    return "invalid UTF-8"


def check_croissant(directory: Path, digests: dict[str, tuple[int, str]]
                    ) -> tuple[dict | None, list[Failure]]:
    """Croissant's file objects: inside the package, and their sha256 and size match."""
    file = str(directory / "croissant.json")
    document, failures = read_json(directory, "croissant.json", "Croissant metadata")
    if failures:
        return None, failures
    croissant, failures = typed(document, CROISSANT, file)
    if croissant is None:
        return None, failures
    for i, value in enumerate(croissant.get("distribution", [])):
        entry, entry_failures = typed(value, FILE_OBJECT, file, f"distribution[{i}]")
        failures += entry_failures
        if entry is None or "contentUrl" not in entry:
            continue
        relative, entry_id = entry["contentUrl"], entry.get("@id", f"distribution[{i}]")
        table = relative.removesuffix(".parquet")
        if relative not in digests:
            failures.append(Failure("resource-path", file, table, entry_id, "contentUrl",
                                    shown(relative), "must name a file inside the package"))
            continue
        size, digest = digests[relative]
        if entry.get("sha256") != digest:
            failures.append(Failure("hash-mismatch", file, table, entry_id, "sha256",
                                    shown(entry.get("sha256")),
                                    f"Croissant sha256 must equal the file's ({digest})"))
        if entry.get("contentSize") != f"{size} B":
            failures.append(Failure("bytes-mismatch", file, table, entry_id, "contentSize",
                                    shown(entry.get("contentSize")),
                                    f"Croissant contentSize must equal the file's ({size} B)"))
    return croissant, failures


def check_generated_schemas(directory: Path) -> list[Failure]:
    failures = []
    for name, table in TABLES.items():
        path = directory / schema_path(name)
        try:
            current = read_inside(directory, schema_path(name), MAX_METADATA_BYTES)
        except LoadError:
            current = None
        if current != to_json(table_schema(table)):
            failures.append(Failure("schema-stale", str(path), name, "", "", "",
                                    "Table Schema is stale: it must equal the registry's",
                                    REBUILD))
    return failures


# --- reading and formats -------------------------------------------------------------------

def read_table(directory: Path, name: str, fmt: str, resource: dict | None,
               digests: dict[str, tuple[int, str]]) -> tuple[pa.Table | None, list[Failure]]:
    """One table file, read once: its bytes checked against the descriptor, then parsed."""
    relative = f"{name}.{fmt}"
    path = directory / relative
    data, failures = read_file(directory, relative, resource, MAX_TABLE_BYTES, name)
    if data is None:
        return None, failures
    digests[relative] = (len(data), hashlib.sha256(data).hexdigest())
    failures += check_declared(str(path), name, resource, *digests[relative])
    dictionaries: frozenset[str] = frozenset()
    schema_failures: list[Failure] = []
    if fmt == "csv":
        byte_failures = check_csv_bytes(path, name, data)
        if byte_failures:
            return None, failures + byte_failures
    else:
        dictionaries, schema_failures = check_parquet_file(data, path, name)
        failures += schema_failures
        if {f.code for f in schema_failures} - REREADABLE:
            return None, failures
    try:
        return decode_table(data, name, fmt, str(path), dictionaries), failures
    except LoadError as exc:
        if schema_failures:  # a foreign schema that will not cast: its failures say why
            return None, failures
        cells = locate_bad_cells(data, path, name) if fmt == "csv" else []
        return None, failures + (cells or [Failure("table-unreadable", str(path), name, "", "", "",
                                                   str(exc))])


# A Parquet file written by another writer (pandas' to_parquet: large_string columns, its own
# pandas metadata) is still read, bounded as any other, cast to the registry's types, so that
# the cells that changed can be named beside the type differences.
REREADABLE = {"parquet-type", "parquet-metadata"}


@functools.cache
def pandas_metadata_by_type() -> tuple[dict, dict[str, dict]]:
    """The pandas metadata `write_parquet` writes, made once for every registry type (one
    conversion, not one a table): the document, and each type's column entry."""
    schema = pa.schema([pa.field(kind, arrow_type) for kind, arrow_type in ARROW_TYPES.items()])
    empty = pa.Table.from_pandas(to_pandas(schema.empty_table()), schema=schema,
                                 preserve_index=False)
    document = pandas_metadata(empty.schema.metadata)
    return document, {column["name"]: column for column in document["columns"]}


@functools.cache
def expected_pandas_metadata(name: str) -> dict:
    """The pandas metadata a Parquet file of this table carries (what `write_parquet` writes),
    without the writer's versions: each column's entry is its type's, under its name."""
    document, by_type = pandas_metadata_by_type()
    return {**document, "columns": [{**by_type[f.type], "name": f.name, "field_name": f.name}
                                    for f in TABLES[name].fields]}


def pandas_metadata(metadata: dict | None) -> dict | None:
    try:
        found = json.loads((metadata or {})[b"pandas"])
    except (KeyError, ValueError, RecursionError):
        return None
    if isinstance(found, dict):
        found.pop("creator", None)
        found.pop("pandas_version", None)
        if found.get("attributes") == {}:  # written empty by newer pyarrow, absent before
            del found["attributes"]
    return found


def check_parquet_file(data: bytes, path: Path, name: str
                       ) -> tuple[frozenset[str], list[Failure]]:
    """A Parquet file's own bytes (its footer and page headers, before anything parses
    them), then its schema; and the columns ``check_parquet`` found dictionary pages in."""
    failure = functools.partial(Failure, file=str(path), table=name, row="", column="")
    try:
        dictionaries = check_parquet(data, len(TABLES[name].fields), str(path))
    except DecodeBomb as exc:
        return frozenset(), [failure("table-unreadable", value="", rule=str(exc))]
    except ColumnCount as exc:
        return frozenset(), [failure("column-order", value=f"{exc.found} columns",
                                     rule=f"columns must be, in order: "
                                          f"{','.join(TABLES[name].columns)}")]
    except LoadError as exc:
        return frozenset(), [failure("parquet-unreadable", value="", rule=str(exc))]
    return dictionaries, check_parquet_schema(data, path, name)


def check_parquet_schema(data: bytes, path: Path, name: str) -> list[Failure]:
    try:
        actual = pq.read_schema(pa.BufferReader(data))
    except (OSError, pa.ArrowException) as exc:
        return [Failure("parquet-unreadable", str(path), name, "", "", "",
                        f"not a readable Parquet file: {exc}")]
    expected = arrow_schema(TABLES[name])
    if actual.names != expected.names:
        return [Failure("column-order", str(path), name, "", "", shown(",".join(actual.names)),
                        f"columns must be, in order: {','.join(expected.names)}")]
    failures = [Failure("parquet-type", str(path), name, "", f.name, str(actual.field(f.name).type),
                        f"Parquet type must be {f.type}")
                for f in expected if actual.field(f.name).type != f.type]
    if pandas_metadata(actual.metadata) != expected_pandas_metadata(name):
        failures.append(Failure("parquet-metadata", str(path), name, "", "", "",
                                "Parquet pandas metadata must be what the build writes (no "
                                "index columns; the registry's columns and dtypes)",
                                REBUILD))
    return failures


def parse_integer(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(f"not an integer: {text!r}")
    return int(text)


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"not an ISO date: {text!r}")
    return dt.date.fromisoformat(text)


def locate_bad_cells(data: bytes, path: Path, name: str) -> list[Failure]:
    """Name each CSV cell that does not parse as its column's type."""
    table = TABLES[name]
    try:
        raw = read_csv_text(data, table.columns).to_pandas(use_threads=False)
    except (pa.ArrowException, OSError) as exc:
        return [Failure("table-unreadable", str(path), name, "", "", "", f"unreadable CSV: {exc}")]
    parsers = {"integer": parse_integer, "number": float, "date": parse_date,
               "boolean": lambda v: {"true": True, "false": False}[v]}
    failures = []
    for f in table.fields:
        if f.name not in raw or f.type not in parsers:
            continue
        for index, value in raw[f.name].items():
            if value is None or value != value:
                continue
            try:
                parsers[f.type](value)
            except (ValueError, KeyError):
                key = ", ".join(f"{k}={raw.at[index, k]}" for k in table.primary_key if k in raw)
                failures.append(Failure("cell-type", str(path), name, key, f.name, shown(value),
                                        f"type: must be {f.type}"))
    return failures


def compare_frames(left: pd.DataFrame, right: pd.DataFrame, table: Table, file: str,
                   kind: str, rule: str, versions: tuple[str, str]) -> list[Failure]:
    """A failure for every row or cell in which two versions of one table differ; ``kind``
    ("formats" or "rebuild") begins each failure's code."""
    if left.dtypes.to_dict() == right.dtypes.to_dict() and left.equals(right):
        return []
    diff = diff_frames(left, right, table)
    if diff.columns_differ:
        return [Failure(f"{kind}-columns", file, table.name, "", "", shown(list(right.columns)),
                        rule)]
    failures = [Failure(f"{kind}-row-unmatched", file, table.name, diff.key_text(k), "", "",
                        f"{rule}: row present in only one")
                for k in diff.removed + diff.added]
    failures += [Failure(f"{kind}-value", file, table.name, diff.key_text(k), column,
                         f"{shown(x)} vs {shown(y)}", rule)
                 for k, column, x, y in diff.changed]
    failures += [Failure(f"{kind}-key-duplicated", file, table.name, diff.key_text(k), "", "",
                         f"{rule}: key held by more than one row in the "
                         f"{versions[0] if which == 'old' else versions[1]}")
                 for which, k in diff.duplicated]
    if len(left) != len(right):
        failures.append(Failure(f"{kind}-row-count", file, table.name, "", "",
                                f"{len(left)} vs {len(right)}",
                                f"{rule}: the row counts differ ({' vs '.join(versions)})"))
    if not failures and left.dtypes.to_dict() != right.dtypes.to_dict():
        failures.append(Failure(f"{kind}-dtypes", file, table.name, "", "", "",
                                f"{rule}: dtypes differ"))
    return failures


# --- tables (pandera) ----------------------------------------------------------------------

def pandera_schema(table: Table):
    import pandera.pandas as pdr

    from datapkg.typemap import pandas_dtypes

    dtypes = pandas_dtypes(table)
    columns = {}
    for f in table.fields:
        checks = []
        if f.type == "string":
            checks.append(pdr.Check.str_length(min_value=1, error="not empty: use null"))
        if f.enum:
            checks.append(pdr.Check.isin(list(f.enum), error=f"enum: one of {list(f.enum)}"))
        if f.type == "string":
            checks.append(pdr.Check(has_no_control_character, error=CONTROL_RULE))
        if f.pattern:
            checks.append(pdr.Check(functools.partial(matches_whole, pattern=f.pattern),
                                    error=f"pattern: {f.pattern}"))
        if f.minimum is not None:
            checks.append(pdr.Check.ge(f.minimum, error=f"minimum: {f.minimum}"))
        if f.maximum is not None:
            checks.append(pdr.Check.le(f.maximum, error=f"maximum: {f.maximum}"))
        columns[f.name] = pdr.Column(dtypes[f.name], checks, nullable=not f.required)
    return pdr.DataFrameSchema(columns, unique=list(table.primary_key), strict=True,
                               ordered=True, name=table.name, report_duplicates="all")


# Every pattern is a whole-value match in every engine (see ``datapkg.registry``): in pandas
# (Python's re, or RE2 for Arrow-backed strings) by ``fullmatch`` of the pattern in a group;
# in the screen's RE2 between ``^`` and ``$``, which there mean the ends of the text.
def matches_whole(values: pd.Series, pattern: str) -> pd.Series:
    return values.str.fullmatch(f"(?:{pattern})")


def re2_whole(pattern: str) -> str:
    return f"^(?:{pattern})$"


CONTROL_RULE = ("control character: a text cell holds no control character but tab and newline "
                "(no NUL, escape, carriage return, DEL or C1 control)")


def has_no_control_character(values: pd.Series) -> pd.Series:
    return ~values.str.contains(CONTROL_CHARACTER, regex=True)


# The words each check of ``pandera_schema`` reports begin with, and its failure code.
PANDERA_CODES = (("not empty", "empty-string"), ("enum:", "enum"), ("pattern:", "pattern"),
                 ("control character:", "control-character"),
                 ("minimum:", "minimum"), ("maximum:", "maximum"), ("not_nullable", "required"),
                 ("field_uniqueness", "primary-key"), ("multiple_fields_uniqueness", "primary-key"),
                 ("dtype(", "cell-type"), ("column_in_", "column-order"),
                 ("column_ordered", "column-order"))


def pandera_code(check: str) -> str:
    return next((code for words, code in PANDERA_CODES if check.startswith(words)), "schema-check")


def passes_schema(frame: pd.DataFrame, table: Table) -> bool:
    """Whether ``pandera_schema`` would pass ``frame``, decided with plain pandas: never true
    when pandera could fail it (each test here is as strict as pandera's check or stricter),
    so pandera is imported and run only for a table with something to report."""
    from datapkg.typemap import pandas_dtypes

    if list(frame.columns) != table.columns or frame.dtypes.to_dict() != pandas_dtypes(table):
        return False
    key = key_columns(frame, table)
    if any(column.null_count for column in key.columns) or repeats_a_row(key):
        return False
    refers = {field for key in table.foreign_keys for field in key.fields}
    # one column in Arrow at a time (a copy, for a column pandas holds in NumPy); the key's
    # columns are in Arrow already
    return all(column_passes(key[f.name] if f.name in key.column_names
                             else pa.array(frame[f.name], from_pandas=True), f, f.name in refers)
               for f in table.fields)


def key_columns(frame: pd.DataFrame, table: Table) -> pa.Table:
    """The columns of ``frame``'s primary key, in Arrow."""
    return pa.table({name: pa.array(frame[name], from_pandas=True) for name in table.primary_key})


def repeats_a_row(rows: pa.Table) -> bool:
    """Whether a row of ``rows`` (without nulls) repeats another, as pandas'
    ``duplicated().any()`` decides it: sorted by every column, some row equals the one before
    it (a sort, not a hash table of Python strings: several times faster, and no copy of
    every string as a Python object). The columns are made one chunk each first: Arrow takes
    from several chunks by joining them all, at every take."""
    order = pc.sort_indices(rows, [(c, "ascending") for c in rows.column_names])
    rows = rows.combine_chunks()
    for at in range(0, rows.num_rows - 1, rules.ROW_BLOCK):  # a block of sorted rows at once
        block = rows.take(order.slice(at, rules.ROW_BLOCK + 1))  # and the next block's first
        same = functools.reduce(pc.and_, (pc.equal(column.slice(1),
                                                   column.slice(0, len(column) - 1))
                                          for column in block.columns))
        if pc.any(same).as_py() is True:
            return True
    return False


def column_passes(array: pa.Array | pa.ChunkedArray, f: Field, refers: bool = False) -> bool:
    """Whether pandera's checks of one column (its values in Arrow) pass (a null passes all
    but ``required``), decided in Arrow. A column that ``refers`` to another table's key
    repeats few values: its pattern and its control characters are looked for among its
    distinct values."""
    if f.required and array.null_count:
        return False
    if f.type == "string" and not every(pc.not_equal(pc.binary_length(array), 0)):
        return False
    if f.enum and not every(pc.is_in(array.drop_null(), value_set=pa.array(f.enum, array.type))):
        return False
    distinct = pc.unique(array) if refers else array
    # Every text cell: no control character but tab and newline. A column whose enum or
    # pattern check passed holds none: neither lets one through.
    if (f.type == "string" and not f.enum and not lists_its_characters(f.pattern)
            and holds_control_character(distinct)):
        return False
    if f.pattern and not every(pc.match_substring_regex(distinct, re2_whole(f.pattern))):
        return False
    return not ((f.minimum is not None and not every(pc.greater_equal(array, f.minimum)))
                or (f.maximum is not None and not every(pc.less_equal(array, f.maximum))))


def lists_its_characters(pattern: str | None) -> bool:
    """Whether a registry pattern names every character it matches (it has no negated
    class): written in printable ASCII, as every one is, it then matches no control
    character."""
    return pattern is not None and "[^" not in pattern


def holds_control_character(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a value of a string array holds a ``CONTROL_CHARACTER``. The regex looks, value
    by value, only at a chunk whose bytes hold one of the bytes such a character is made of
    in UTF-8 (found at once, several times faster than the regex); bytes that a null leaves
    in the buffer so decide nothing."""
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    return any(pc.any(pc.match_substring_regex(chunk, CONTROL_CHARACTER)).as_py()
               for chunk in chunks if not pa.types.is_string(chunk.type)
               and not pa.types.is_large_string(chunk.type)
               or has_control_bytes(value_bytes(chunk)))


def has_control_bytes(data: np.ndarray) -> bool:
    """Whether UTF-8 ``data`` holds a control character but tab and newline: a byte 0x00–0x1F
    but 0x09 and 0x0A, a byte 0x7F, or 0xC2 before 0x80–0x9F (U+0080–U+009F). In UTF-8 no
    other character has these bytes. Looked at BYTE_BLOCK bytes at a time (each block with
    the next one's first byte, which may end a pair), so the temporaries stay small."""
    for at in range(0, len(data), BYTE_BLOCK):
        block = data[at:at + BYTE_BLOCK + 1]
        low = block[np.flatnonzero(block < 0x20)]
        if (np.any((low != 0x09) & (low != 0x0A)) or np.any(block == 0x7F)
                or np.any(block[np.flatnonzero(block[:-1] == 0xC2) + 1] < 0xA0)):
            return True
    return False


def every(mask: pa.Array) -> bool:
    """Whether every non-null value of ``mask`` is true."""
    return pc.all(mask).as_py() is not False


def check_table(frame: pd.DataFrame, table: Table, file: str) -> list[Failure]:
    if passes_schema(frame, table):
        return []
    import pandera.errors

    try:
        pandera_schema(table).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    failures = []
    at = row_positions(frame, cases["index"])  # a case of no row (NaN) found at none
    for case, key in zip(cases.itertuples(index=False), row_keys(table, frame, at)):
        column = "" if pd.isna(case.column) else str(case.column)
        code, rule = pandera_code(str(case.check)), str(case.check)
        if code == "primary-key":
            rule = f"primary key must be unique: ({', '.join(table.primary_key)})"
        elif code == "required":
            rule = "required: must not be null"
        failures.append(Failure(code, file, table.name, key, column, shown(case.failure_case),
                                rule))
    return failures


# --- keys, rules, provenance ---------------------------------------------------------------

def found_in(local: pd.DataFrame, target: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``local`` is a row of ``target`` (same columns, more than one)."""
    return pd.MultiIndex.from_frame(local).isin(pd.MultiIndex.from_frame(target))


def missing_from(columns: list[pd.Series], target: pd.Series) -> list[np.ndarray]:
    """For each of ``columns``, whether each value is not null and not among ``target``'s:
    ``column.notna() & ~column.isin(target)``, the target hashed once (``rules.among_each``)."""
    return [column.notna().to_numpy() & ~found
            for column, found in zip(columns, among_each(columns, target))]


def foreign_keys(frames: dict[str, pd.DataFrame]) -> list[tuple[str, ForeignKey]]:
    """Every foreign key whose two tables both loaded: (table, key), in the registry's order."""
    return [(name, key) for name, table in TABLES.items() for key in table.foreign_keys
            if name in frames and key.table in frames]


def check_foreign_keys(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Failure]:
    """Every foreign key's values exist in the table it references, reported table by table.
    The keys that reference one column are checked together, so that column is hashed once."""
    keys = foreign_keys(frames)
    by_target: dict[tuple, list] = {}
    for name, key in keys:
        by_target.setdefault((key.table, key.reference), []).append((name, key))
    unmatched = {}  # (table, key): the positions of its rows whose values are not found
    for (target, reference), referring in by_target.items():
        if len(reference) == 1:  # in Arrow, no copy of the referring columns
            columns = [frames[name][key.fields[0]] for name, key in referring]
            for (name, key), missing in zip(referring,
                                            missing_from(columns, frames[target][reference[0]])):
                unmatched[name, key] = np.flatnonzero(missing)
            continue
        locals_ = [frames[name][list(key.fields)].dropna().set_axis(list(reference), axis=1)
                   for name, key in referring]
        found = found_in(pd.concat(locals_), frames[target][list(reference)])
        ends = np.cumsum([len(local) for local in locals_])
        for (name, key), local, matched in zip(referring, locals_, np.split(found, ends[:-1])):
            unmatched[name, key] = row_positions(frames[name], local.index[~matched])
    failures = []
    for name, key in keys:
        at, rule = unmatched[name, key], (f"foreign key: ({', '.join(key.fields)}) must exist "
                                          f"in {key.table} ({', '.join(key.reference)})")
        failures += [Failure("foreign-key", files[name], name, row, ", ".join(key.fields),
                             shown(value), rule)
                     for row, value in zip(row_keys(TABLES[name], frames[name], at),
                                           cells(frames[name], key.fields[-1], at))]
    return failures


def check_rule(rule, frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Failure]:
    """One rule across columns and tables (``datapkg.rules``)."""
    found = violations_of(rule, frames)
    places: dict[str, list[int]] = {}  # each table's violations, by their place in ``found``
    for place, v in enumerate(found):
        places.setdefault(v.table, []).append(place)
    keys = [""] * len(found)
    for name, mine in places.items():
        at = row_positions(frames[name], [found[place].index for place in mine])
        for place, key in zip(mine, row_keys(TABLES[name], frames[name], at)):
            keys[place] = key
    return [Failure(v.code, files[v.table], v.table, key, v.column, shown(v.value), v.rule)
            for v, key in zip(found, keys)]


class Seeds(NamedTuple):
    """The seeds that spans are compared with: each source's text as one UTF-8 Arrow array
    (its bytes: every text's, one after another), and where each code point begins in them."""
    ids: pa.Array  # source ids, one a seed (a null source id too)
    text: pa.LargeStringArray  # each one's text, valid UTF-8
    lengths: np.ndarray  # each text's length in code points
    windows: np.ndarray  # from each byte of the texts (one after another), the next VIEW_BYTES
    first_point: np.ndarray  # each text's first code point, counted through all of them
    wide: np.ndarray  # every character of more than one byte, by code point, in order
    before: np.ndarray  # the bytes beyond one each, of the characters before each of ``wide``
    part: np.ndarray  # the part of the bytes each text lies in
    base: np.ndarray  # where each part begins in the bytes
    parts: list  # each part's bytes, as an Arrow buffer (no copy)

    @classmethod
    def of(cls, texts: dict) -> Seeds:
        """The seeds of ``texts`` (source id → text, as str, or as UTF-8 bytes or a view of
        them)."""
        encoded = [t.encode() if isinstance(t, str) else t for t in texts.values()]
        starts = np.zeros(len(encoded) + 1, np.int64)
        np.cumsum([len(t) for t in encoded], out=starts[1:])
        # the bytes, then as many zeros as a string view holds (so that every slice's first
        # VIEW_BYTES can be read as one window)
        joined = pa.py_buffer(b"".join([*encoded, bytes(VIEW_BYTES)]))
        text = pa.Array.from_buffers(pa.large_string(), len(encoded),
                                     [None, pa.py_buffer(starts), joined])
        lengths = pc.utf8_length(text).to_numpy(zero_copy_only=False).astype(np.int64)
        data = np.frombuffer(joined, np.uint8)[:starts[-1]]
        follows, leads = multibyte_positions(data)
        extra = np.searchsorted(follows, leads)
        # A string view points into its buffer by a 32-bit offset: the seeds' bytes are cut,
        # at a seed's start, into parts of at most PART_BYTES and a seed.
        part = starts[:-1] // PART_BYTES
        bases = np.unique(part)
        base = np.array([starts[np.searchsorted(part, b)] for b in bases], np.int64)
        ends = [starts[np.searchsorted(part, b, "right")] for b in bases]
        part = np.searchsorted(bases, part)
        return cls(pa.array(list(texts), pa.string(), from_pandas=True), text, lengths,
                   np.lib.stride_tricks.sliding_window_view(np.frombuffer(joined, np.uint8),
                                                            VIEW_BYTES),
                   np.concatenate([[0], np.cumsum(lengths)]), leads - extra,
                   np.append(extra, len(follows)), part, base,
                   [pa.py_buffer(data[a:b]) for a, b in zip(base, ends)])

    def text_of(self, source_id) -> str | None:
        """One source's seed text (for a report), None where it has none."""
        at = pc.index_in(pa.array([source_id], self.ids.type, from_pandas=True),
                         value_set=self.ids)[0].as_py()
        return None if at is None else self.text[at].as_py()

    def byte_offsets(self, seed: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Where code point ``points[j]`` of seed ``seed[j]`` begins in the bytes (its end
        for a point just past the last): each point no more than its seed's length."""
        point = self.first_point[seed] + points
        return point + self.before[np.searchsorted(self.wide, point)]

    def slices(self, seed: np.ndarray, low: np.ndarray, high: np.ndarray) -> pa.Array:
        """Bytes ``low..high`` (within seed ``seed``) for each row, as Arrow string
        views: a slice of up to 12 bytes held in its view, a longer one pointing into its
        seed's part (its first 4 bytes beside); no byte of the seeds copied beyond those."""
        length = high - low
        views = np.zeros((len(low), 4 + VIEW_BYTES), np.uint8)
        words = views.view(np.int32)
        words[:, 0] = length
        held = np.flatnonzero(length <= VIEW_BYTES)
        views[held, 4:] = self.windows[low[held]] * (np.arange(VIEW_BYTES) < length[held, None])
        far = np.flatnonzero(length > VIEW_BYTES)
        views[far, 4:8] = self.windows[low[far], :4]
        words[far, 2] = self.part[seed[far]]
        words[far, 3] = low[far] - self.base[self.part[seed[far]]]
        return pa.Array.from_buffers(pa.string_view(), len(low),
                                     [None, pa.py_buffer(views), *self.parts])


# Bytes of seeds or text classified at once, so that each block's temporaries stay small
# whatever the seeds (its masks this size, its positions 8 bytes for each byte beyond ASCII).
# 2**19 matches a block of rows at 16 bytes a row (``rules.ROW_BLOCK``); at 10,000 articles,
# blocks of 4 MiB made the checks take 1.75 s against 1.66 s (docs/scaling_history.md).
BYTE_BLOCK = 2**19


def multibyte_positions(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where UTF-8 ``data`` has a continuation byte (10xxxxxx), and where a multi-byte
    character's first byte (11xxxxxx). A code point's byte is found from the multi-byte
    characters before it (few in a text of mostly ASCII), not from a table of every code
    point; the bytes are looked at a block at a time."""
    follows, leads = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for at in range(0, len(data), BYTE_BLOCK):
        block = data[at:at + BYTE_BLOCK]
        wide = np.flatnonzero(block >= 0x80)
        kind = block[wide]
        follows.append(wide[(kind & 0xC0) == 0x80] + at)
        leads.append(wide[kind >= 0xC0] + at)
    return np.concatenate(follows), np.concatenate(leads)


# The bytes an Arrow string view holds itself (a longer string's first 4, and where it lies).
VIEW_BYTES = 12
# The most bytes of seeds that begin in one part a string view points into (a part also holds
# the rest of its last seed, at most MAX_SEED_BYTES: within the views' 32-bit offsets).
PART_BYTES = 2**30


def seed_texts(directory: Path, sources: pd.DataFrame, seeds: SeedsRead,
               file: str, keep: bool = True) -> tuple[Seeds, list[Failure]]:
    """Each source's seed text, by source id, when its bytes hash to the row's sha256 (bytes
    that are not UTF-8 as Python decodes them, each bad byte a replacement character). The
    bytes and their hash are the ones the files layer read and computed; a seed it did not
    read is read here, to report why it cannot be. Unless ``keep``, ``seeds`` is emptied once
    the texts are taken from it, so that only the Seeds made of them hold the bytes."""
    failures, texts = [], {}
    rows = zip(sources["source_id"].tolist(), sources["seed_path"].tolist(),
               sources["sha256"].tolist())
    for source_id, seed_path, sha256 in rows:
        try:
            if seed_path in seeds:
                data, digest = seeds[seed_path]
            else:
                data = read_inside(directory, seed_path, MAX_SEED_BYTES)
                digest = hashlib.sha256(data).hexdigest()
        except LoadError as exc:
            failures.append(Failure("seed-path", file, "sources", f"source_id={source_id}",
                                    "seed_path", shown(seed_path),
                                    f"seed file must be a regular file in the package: {exc}"))
            continue
        if digest != sha256:
            failures.append(Failure("seed-hash", str(directory / str(seed_path)), "sources",
                                    f"source_id={source_id}", "sha256", shown(sha256),
                                    "seed bytes must hash to the sources row's sha256",
                                    "restore the seed byte for byte"))
            continue
        if is_utf8(data):
            texts[source_id] = data
            continue
        failures.append(Failure("seed-encoding", str(directory / str(seed_path)), "sources",
                                f"source_id={source_id}", "seed_path", shown(seed_path),
                                f"seed must be UTF-8: {utf8_error(data)}",
                                "restore the seed byte for byte"))
        texts[source_id] = str(data, "utf-8", errors="replace")  # its spans are still checked
    if not keep:
        seeds.clear()
    return Seeds.of(texts), failures


def wrong_spans(frame: pd.DataFrame, start: str, end: str, text: str, seeds: Seeds) -> list:
    """The index of each row whose span ``start..end`` has all three cells, a seed, and a
    text other than the seed's slice; or has some of the three cells but not all: the partial
    rows first, then the others, each in the frame's order. Looked at ``rules.ROW_BLOCK``
    rows at a time, so that the temporaries (a string view a row, its offsets) stay small."""
    columns = [frame[column] for column in ("source_id", start, end, text)]
    blocks = [wrong_spans_of_block(frame.index[at:at + rules.ROW_BLOCK],
                                   [column.iloc[at:at + rules.ROW_BLOCK] for column in columns],
                                   seeds)
              for at in range(0, len(frame), rules.ROW_BLOCK)]
    return [index for partial, _ in blocks for index in partial] + \
        [index for _, wrong in blocks for index in wrong]


def wrong_spans_of_block(index: pd.Index, columns: list[pd.Series],
                         seeds: Seeds) -> tuple[list, list]:
    """``wrong_spans`` of one block of rows (their index, and their source ids, starts, ends
    and texts): its partial rows, and its rows whose complete span differs from its seed's
    slice."""
    source, starts, ends, given = (pa.array(column, from_pandas=True) for column in columns)
    present = [pc.is_valid(cells).to_numpy(zero_copy_only=False)
               for cells in (starts, ends, given)]
    complete = present[0] & present[1] & present[2]
    partial = index[(present[0] | present[1] | present[2]) & ~complete].tolist()
    seed = pc.index_in(source, value_set=seeds.ids)
    checking = complete & pc.is_valid(seed).to_numpy(zero_copy_only=False)  # a seed too
    seed = pc.fill_null(seed, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    if not checking.all():  # no copy when all are checked
        index, seed, starts, ends, given = (
            index[checking], seed[checking],
            *(cells.filter(pa.array(checking)) for cells in (starts, ends, given)))
    starts, ends = (cells.to_numpy(zero_copy_only=False).astype(np.int64)
                    for cells in (starts, ends))
    # Every span is checked by its length before any byte: it lies within its seed and is as
    # long as its text (in code points); then its bytes are the text's, byte for byte (a
    # UTF-8 text equals another exactly when their bytes do), compared in Arrow with the
    # seed's bytes where they lie.
    fits = ((0 <= starts) & (starts <= ends) & (ends <= seeds.lengths[seed]) &
            (ends - starts == pc.utf8_length(given).to_numpy(zero_copy_only=False)))
    fitting = np.flatnonzero(fits)
    low, high = np.zeros(len(index), np.int64), np.zeros(len(index), np.int64)
    k = seed[fitting]
    low[fitting], high[fitting] = np.split(seeds.byte_offsets(
        np.concatenate([k, k]), np.concatenate([starts[fitting], ends[fitting]])), 2)
    slices = seeds.slices(np.where(fits, seed, 0), low, high)  # empty where it does not fit
    same = pc.equal(given.cast(pa.string_view()), slices).to_numpy(zero_copy_only=False) & fits
    return partial, index[~same].tolist()


def seed_slice(text: str, start: int, end: int) -> str:
    """The seed's slice ``start..end`` as far as a report shows it (``SHOWN``), or "" where
    the span does not lie within the seed."""
    return text[start:min(end, start + SHOWN)] if 0 <= start <= end <= len(text) else ""


def check_spans(frame: pd.DataFrame, name: str, seeds: Seeds, file: str) -> list[Failure]:
    """Every span of one table equals its seed's slice."""
    failures, table, texts = [], TABLES[name], {}
    for start, end, text in spans(table):
        wrong = wrong_spans(frame, start, end, text, seeds)
        at = row_positions(frame, wrong)
        for key, source_id, first, last, given in zip(
                row_keys(table, frame, at),
                *(cells(frame, column, at) for column in ("source_id", start, end, text))):
            if source_id not in texts:  # each seed made a Python string once
                texts[source_id] = seeds.text_of(source_id)
            seed = texts[source_id]
            actual = ("" if pd.isna(first) or pd.isna(last) or seed is None
                      else seed_slice(seed, int(first), int(last)))
            failures.append(Failure(
                "span-text", file, name, key, text,
                shown(given), f"span {start}..{end} must equal the seed's slice "
                              f"{shown(actual)}",
                "re-resolve the quote with `datapkg build`"))
    return failures


# --- metadata -------------------------------------------------------------------------------

def version_places(directory: Path, package: dict | None,
                   croissant: dict | None) -> dict[str, object]:
    """Every place in the package that states the version, and what it states."""
    import importlib.metadata

    places: dict[str, object] = {"datapkg/_version.py __version__": __version__}
    try:
        places["installed package metadata"] = importlib.metadata.version(NAME)
    except importlib.metadata.PackageNotFoundError:
        pass
    if package is not None:
        places[str(directory / "datapackage.json")] = package.get("version")
    if croissant is not None:
        places[str(directory / "croissant.json")] = croissant.get("version")
    return places


def check_versions(places: dict[str, object]) -> list[Failure]:
    return [Failure("version-mismatch", place, "", "", "version", shown(value),
                    f"version must be {__version__} everywhere",
                    "set the version once in datapkg/_version.py, add a CHANGELOG entry, "
                    "and run `datapkg build`")
            for place, value in places.items() if value != __version__]


# --- the report ----------------------------------------------------------------------------

class TableRead(NamedTuple):
    frame: pd.DataFrame | None  # the CSV's
    parquet: pd.DataFrame | None  # the Parquet's, where it is not the CSV's twin
    digests: dict[str, tuple[int, str]]
    failures: list[Failure]


def read_formats(directory: Path, name: str, resources: dict) -> TableRead:
    """One table in both formats, each file read, hashed and parsed once; the Parquet frame
    kept apart only where it is not the CSV's twin, cell for cell."""
    digests: dict[str, tuple[int, str]] = {}
    csv, failures = read_table(directory, name, "csv", resources.get(name), digests)
    parquet, parquet_failures = read_table(directory, name, "parquet",
                                           resources.get(name + PARQUET_SUFFIX), digests)
    failures += parquet_failures
    if csv is not None and parquet is not None and csv.equals(parquet):
        parquet = None  # let go before the frame is made: one table held, not two
        return TableRead(to_pandas(csv), None, digests, failures)  # one check covers both
    if parquet is not None:  # texts the CSV's UTF-8 does not vouch for
        try:
            parquet = texts_checked(parquet, name, str(directory / f"{name}.parquet"))
        except LoadError as exc:
            parquet = None
            failures.append(Failure("table-unreadable", str(directory / f"{name}.parquet"),
                                    name, "", "", "", str(exc)))
    frame = None if csv is None else to_pandas(csv)
    other = None if parquet is None else to_pandas(parquet)
    edited = edited_format(failures, directory, name)
    if frame is None and other is not None and edited == "csv":
        # a CSV written back by pandas (7.0 for 7, True for true) does not parse as its
        # types: its cells are compared with the Parquet twin's by value, as text
        failures = edited_csv_cells(directory, name, other) + failures
    if frame is not None and other is not None:
        if edited:
            failures = edited_cells(frame, other, TABLES[name], directory, edited) + failures
        else:
            failures += compare_frames(frame, other, TABLES[name],
                                       str(directory / f"{name}.parquet"), "formats",
                                       "CSV and Parquet must hold the same values",
                                       ("CSV", "Parquet"))
    return TableRead(frame, other, digests, failures)


def edited_format(failures: list[Failure], directory: Path, name: str) -> str | None:
    """The format of a table whose file no longer has the descriptor's hash while its twin
    still has it (a file edited after the build); None where both or neither do."""
    changed = {fmt for fmt in ("csv", "parquet")
               if any(f.code == "hash-mismatch" and f.file == str(directory / f"{name}.{fmt}")
                      for f in failures)}
    return changed.pop() if len(changed) == 1 else None


def edited_cells(csv: pd.DataFrame, parquet: pd.DataFrame, table: Table, directory: Path,
                 edited: str) -> list[Failure]:
    """Each cell of the edited file that differs from its unchanged twin: the file, the row's
    key, the column, the value the build wrote (the twin's) and the value there now."""
    old, new = (parquet, csv) if edited == "csv" else (csv, parquet)
    twin = "parquet" if edited == "csv" else "csv"
    file, twin_file = directory / f"{table.name}.{edited}", f"{table.name}.{twin}"
    diff = diff_frames(old, new, table)
    if diff.columns_differ:
        return []
    fix = restore_hint(directory)
    failures = [edited_cell(file, table.name, diff.key_text(k), column, was, now, twin_file, fix)
                for k, column, was, now in diff.changed]
    failures += [Failure("edited-cell", str(file), table.name, diff.key_text(k), "", "",
                         f"row {'added' if k in diff.added else 'removed'} since the build "
                         f"(the unchanged {twin_file} has {'no' if k in diff.added else 'this'} "
                         f"row)", fix)
                 for k in diff.removed + diff.added]
    return failures


def edited_csv_cells(directory: Path, name: str, twin: pd.DataFrame) -> list[Failure]:
    """``edited_cells`` for a CSV file that no longer parses as its types: each cell read as
    text and compared by value (``same_value``) with the unchanged Parquet twin's."""
    table = TABLES[name]
    try:
        data = read_inside(directory, f"{name}.csv", MAX_TABLE_BYTES)
        raw = to_pandas(read_csv_text(data, table.columns))
    except (pa.ArrowException, OSError, LoadError, UnsafeFile):
        return []
    if list(raw.columns) != table.columns:
        return []
    as_text = twin.astype(object).map(lambda v: None if v is pd.NA or v is None else str(v))
    diff = diff_frames(as_text.astype("string"), raw.astype("string"), table)
    changed = [(k, c, was, now) for k, c, was, now in diff.changed
               if not same_value(was, now, table.field(c).type)]
    fix = restore_hint(directory)
    file, twin_file = directory / f"{name}.csv", f"{name}.parquet"
    return [edited_cell(file, name, diff.key_text(k), column, was, now, twin_file, fix)
            for k, column, was, now in changed]


def edited_cell(file: Path, table: str, key: str, column: str, was, now, twin_file: str,
                fix: str) -> Failure:
    """One cell changed since the build: its value now, and the one its unchanged twin holds."""
    return Failure("edited-cell", str(file), table, key, column, f"{shown(now)} (was {shown(was)})",
                   f"changed since the build: the unchanged {twin_file} holds {shown(was)}", fix)


def same_value(built, found, kind: str) -> bool:
    """Whether two texts of one cell mean the same value of the column's type: '7' and '7.0'
    for a number, 'True' and 'true' for a boolean (what pandas writes back)."""
    if built is None or found is None or built is pd.NA or found is pd.NA:
        return (built is None or built is pd.NA) == (found is None or found is pd.NA)
    if kind in ("integer", "number"):
        try:
            return float(built) == float(found)
        except ValueError:
            return False
    if kind == "boolean":
        return built.lower() == found.lower()
    return built == found


def restore_hint(directory: Path) -> str:
    """A fix that works where the package is: the installed copy is restored by pip, the
    checkout's by git or a build, any other copy from the package it was copied from."""
    from datapkg.paths import SHIPPED_DATA, is_checkout

    here = Path(directory).resolve()
    if here == SHIPPED_DATA.resolve():
        return (f"restore the installed files: pip install --force-reinstall --no-deps "
                f"'{NAME}=={__version__}' (or the wheel file it was installed from); to read "
                f"a file you changed on purpose, datapkg.load(verify=False)")
    if is_checkout(here, here.parent):
        return "restore it with `git checkout -- data/`, or rebuild with `datapkg build`"
    return ("copy the file again from the package this copy was made from (or reinstall it); "
            "to read a file you changed on purpose, datapkg.load(verify=False)")


# Tables read at once: reading, hashing and Arrow's parsers let go of the GIL.
READERS = 2


def read_tables(directory: Path, package: dict | None
                ) -> tuple[dict, dict, dict, dict, list[Failure]]:
    """Every table in both formats and every seed, each file read once. Returns the CSV
    frames, the Parquet frames of the tables whose two formats differ, the digests of the
    files read, the seeds' bytes and sha256 by path, and the failures."""
    resources, seeds, failures = check_resources(directory, package)
    # the sources table first: it says which seeds exist, so they are read beside the rest
    sources = read_formats(directory, "sources", resources)
    seed_paths = set() if sources.frame is None else set(sources.frame["seed_path"].dropna())
    digests: dict[str, tuple[int, str]] = {}
    seed_digests: dict[str, tuple[int, str]] = {}
    frames, differing = {}, {}
    with ThreadPoolExecutor(READERS) as pool:
        seeds_read = pool.submit(check_seed_resources, directory, seeds, seed_paths, seed_digests)
        reads = {name: pool.submit(read_formats, directory, name, resources)
                 for name in largest_first(directory, [n for n in TABLES if n != "sources"])}
        for name in TABLES:
            read = sources if name == "sources" else reads[name].result()
            digests.update(read.digests)
            failures += read.failures
            if read.frame is not None:
                frames[name] = read.frame
            if read.parquet is not None:
                differing[name] = read.parquet
        seeds_found, seed_failures = seeds_read.result()
    return frames, differing, digests | seed_digests, seeds_found, failures + seed_failures


def largest_first(directory: Path, names: list[str]) -> list[str]:
    """Tables in the order they are read: the largest CSV first, while little else is held,
    so that a file's bytes and its two parsed formats are never held beside most of the
    package (the order in which they are reported is the registry's). A table without its
    CSV comes last: its failures say why, and its Parquet alone is read."""
    def size(name: str) -> int:
        try:
            return (directory / f"{name}.csv").stat().st_size
        except (OSError, ValueError):
            return 0  # missing or unreadable: reading it reports why

    return sorted(names, key=size, reverse=True)


# Checks run at once: Arrow's kernels let go of the GIL, so one check's Python runs beside
# another's Arrow. Below PARALLEL_ROWS rows (the tables together), pandas' and Arrow's fixed
# cost a call is most of a check's time, and that is Python: two threads only take turns at
# the GIL, and one runs the checks sooner (at 107,000 rows, 7% sooner; at 357,000, two are
# 12% sooner).
CHECKERS = 2
PARALLEL_ROWS = 200_000


def checkers(frames: dict[str, pd.DataFrame]) -> int:
    """How many checks run at once on these frames."""
    return CHECKERS if sum(len(frame) for frame in frames.values()) >= PARALLEL_ROWS else 1


def check_provenance(directory: Path, frames: dict[str, pd.DataFrame], files: dict[str, str],
                     seeds: SeedsRead, keep_seeds: bool) -> list[Failure]:
    """The seeds hash to their sources rows, and every table's spans equal their slices."""
    if "sources" not in frames:
        return []
    texts, failures = seed_texts(directory, frames["sources"], seeds, files["sources"],
                                 keep_seeds)
    for name, frame in frames.items():
        failures += check_spans(frame, name, texts, files[name])
    return failures


def check_frames(directory: Path, frames: dict[str, pd.DataFrame], fmt: str,
                 seeds: SeedsRead, keep_seeds: bool = True) -> list[Failure]:
    """Every check of the tables layer and across tables, on one format's frames, reported
    in this order: each table's schema, the foreign keys, each rule, provenance. Unless
    ``keep_seeds``, provenance empties ``seeds`` once it has their texts (and lets the bytes
    go once it has compared the spans)."""
    files = {name: str(directory / f"{name}.{fmt}") for name in TABLES}
    tables = [functools.partial(check_table, frame, TABLES[name], files[name])
              for name, frame in frames.items()]
    across = [functools.partial(check_foreign_keys, frames, files)]
    across += [functools.partial(check_rule, rule, frames, files) for rule in applicable(frames)]
    with ThreadPoolExecutor(checkers(frames)) as pool:
        # provenance, which runs in Python, takes one thread while the other runs each
        # table's own checks in Arrow, then the checks across tables. The largest tables'
        # checks so meet provenance, not the joins of the checks across tables, whose
        # temporaries beside theirs made the peak (at 10,000 articles, about 25 MiB higher)
        provenance = pool.submit(check_provenance, directory, frames, files, seeds, keep_seeds)
        tables_done = [pool.submit(check) for check in tables]
        across_done = [pool.submit(check) for check in across]
        return [failure for done in [*tables_done, *across_done, provenance]
                for failure in done.result()]


def can_validate() -> bool:
    """Whether pandera (the ``validate`` extra) is installed, found without importing it."""
    import importlib.util

    try:
        return importlib.util.find_spec("pandera") is not None
    except (ImportError, ValueError):  # a module that is no package, or one blocked
        return False


def require_pandera() -> None:
    """Validation needs pandera (the ``validate`` extra) whether or not a table gets as far as
    it: found here without importing it, so a valid package still never pays for the import."""
    if not can_validate():
        raise ModuleNotFoundError("No module named 'pandera'", name="pandera")


# How long jemalloc keeps pages freed, for reuse, before it gives them back to the system.
RETURN_AFTER_MS = 50


class ReturningMemory:
    """While a validation runs, Arrow allocates from jemalloc, where the wheel has it.
    Validation makes and drops whole columns one after another: mimalloc, Arrow's default,
    keeps the freed pages; jemalloc, told to, gives them back within RETURN_AFTER_MS (a block
    of 8 MiB or more at once, whatever the setting; at 10,000 articles, about a fifth less
    peak memory above the data's for 3% more time;
    benchmarks/bench_validate.py). Validations at once (threads) share the switch: the first
    in makes it, the last out restores the pool there was. A pool the user chose
    (ARROW_DEFAULT_MEMORY_POOL) is left alone."""

    def __init__(self):
        self.lock, self.users, self.previous = threading.Lock(), 0, None

    def __enter__(self):
        with self.lock:
            self.users += 1
            if self.users == 1 and "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
                self.previous = pa.default_memory_pool()
                try:
                    pa.jemalloc_set_decay_ms(RETURN_AFTER_MS)
                    pa.set_memory_pool(pa.jemalloc_memory_pool())
                except NotImplementedError:  # a pyarrow built without jemalloc
                    self.previous = None

    def __exit__(self, *_):
        with self.lock:
            self.users -= 1
            if self.users == 0 and self.previous is not None:
                pa.set_memory_pool(self.previous)
                self.previous = None


returning_memory = ReturningMemory()


def validate_package(directory: Path) -> list[Failure]:
    """Every failure of the package in ``directory``, a package on its own; empty when it
    is valid. Reads nothing outside ``directory`` and runs nothing from it."""
    require_pandera()
    with returning_memory:
        return package_failures(Path(directory))


def package_failures(directory: Path) -> list[Failure]:
    package, failures = read_descriptor(directory)
    failures += check_generated_schemas(directory)
    frames, differing, digests, seeds, table_failures = read_tables(directory, package)
    failures += table_failures
    # Of the descriptor (a resource a seed: 1 KB an article) only its version is read again:
    # its lists are let go before the checks make their temporaries.
    package = None if package is None else {"version": package.get("version")}
    croissant, croissant_failures = check_croissant(directory, digests)
    failures += croissant_failures
    # the seeds are kept for a second pass only where there is one
    failures += check_frames(directory, frames, "csv", seeds, keep_seeds=bool(differing))
    if differing:  # the Parquet files that are not the CSV's twins get every check too
        without_csv = {n: f for n, f in frames.items() if n not in differing}
        failures += check_frames(directory, {**without_csv, **differing}, "parquet", seeds)
    failures += check_versions(version_places(directory, package, croissant))
    return where_fixable(list(dict.fromkeys(failures)), directory)


def where_fixable(failures: list[Failure], directory: Path) -> list[Failure]:
    """The report as a user reads it: the cells changed since the build first, then the rest
    in the order found; and every fix one that works where the package is (`datapkg build`
    only in a checkout)."""
    from datapkg.paths import is_checkout

    here = Path(directory).resolve()
    if not is_checkout(here, here.parent):
        fix = restore_hint(directory)
        failures = [replace(f, hint=fix) if f.hint == REBUILD or f.code == "hash-mismatch"
                    else f for f in failures]
    return sorted(failures, key=lambda f: f.code != "edited-cell")


def require_valid(directory: Path) -> Path:
    """``directory``, once the package in it passes validation; ``InvalidPackage`` with
    every failure otherwise. Commands that read a package they did not build call this
    first."""
    failures = validate_package(directory)
    if failures:
        raise InvalidPackage(failures)
    return Path(directory)


def report(failures: list[Failure]) -> str:
    """One line per failure (and one for its hint), whatever its values and rule hold."""
    if not failures:
        return "valid: 0 failures"
    lines = [terminal(str(replace(f, hint="")), one_line=True)
             + (f"\n      fix: {terminal(f.hint, one_line=True)}" if f.hint else "")
             for f in failures]
    return "\n".join(lines + [f"invalid: {len(failures)} failure(s)"])
