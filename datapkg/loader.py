"""Read the published tables into pandas with the declared dtypes (pandas and pyarrow only)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg.errors import DecodeBomb, UsageError
from datapkg.files import MAX_TABLE_BYTES, LoadError, inside, read_bytes
from datapkg.package import default_data_dir, package_dir, promises, read_checked
from datapkg.parquetbounds import MAX_DECODED_SLACK, check_parquet
from datapkg.registry import TABLES
from datapkg.registry import table as registry_table
from datapkg.typemap import arrow_schema, types_mapper

__all__ = ["LoadError", "decode_table", "default_data_dir", "load", "load_table", "parse_table",
           "read_arrow", "table_path"]

FORMATS = ("parquet", "csv")
# A Parquet file's values, every dictionary expanded into the rows that refer to it, may take
# at most this many times its size (plus MAX_DECODED_SLACK). Its pages are bounded more
# tightly (datapkg.parquetbounds), but one dictionary entry may be repeated in every row:
# a scaled corpus of 10,000 articles takes some 130 times its files' size.
MAX_VALUES_EXPANSION = 1024
# CSV bytes parsed as one block: each block becomes a chunk of every column, and checks pay a
# call per chunk, so a large table is read in a few large blocks.
CSV_BLOCK = 2**24
# Files are parsed, and tables made frames, on the calling thread, never on Arrow's pool of
# CPU threads: a worker left in that pool when the interpreter exits can abort it after its
# work is done ("terminate called without an active exception", apache/arrow#34314). Where
# tables are read side by side (validation), the caller's own threads read them.


def known_format(format: str) -> None:
    """Refuse an unknown format, naming the valid ones (and ``load_table`` for a table's name,
    ``path=`` for what looks like a folder: the first argument of ``load`` is the format)."""
    if format in FORMATS:
        return
    hint = ""
    if isinstance(format, str) and format in TABLES:
        hint = f"; to load the table {format!r}: datapkg.load_table({format!r})"
    elif isinstance(format, os.PathLike) or (isinstance(format, str) and (
            "/" in format or os.sep in format or format in (".", ".."))):
        hint = f"; to read the package in a folder, pass it as path=: path={str(format)!r}"
    raise UsageError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}{hint}")


def table_path(directory: Path, name: str, format: str) -> Path:
    """The file of one table, refusing a link or anything that leaves ``directory``."""
    known_format(format)
    return inside(Path(directory), f"{name}.{format}")


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, checked in place by Arrow (no decoded copy)."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def parse_table(data: bytes, name: str, format: str, where: str) -> pa.Table:
    """One table file's bytes as Arrow, typed by the registry's schema; ``where`` names the
    file in errors. The bytes are checked first: a Parquet file's structure from its own
    bytes (``check_parquet``), a CSV file's as UTF-8."""
    dictionaries: frozenset[str] = frozenset()
    if format == "parquet":
        dictionaries = check_parquet(data, len(registry_table(name).fields), where)
    elif not is_utf8(data):
        raise LoadError(f"{where}: cannot read table {name!r} as csv: it is not UTF-8")
    table = decode_table(data, name, format, where, dictionaries)
    return texts_checked(table, name, where) if format == "parquet" else table


def texts_checked(table: pa.Table, name: str, where: str) -> pa.Table:
    """A table decoded from Parquet, once every text of it is found UTF-8 (``LoadError``
    otherwise), which Parquet's decoder does not check."""
    for field in table.schema:
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            try:
                table[field.name].validate(full=True)
            except pa.ArrowInvalid:
                raise LoadError(f"{where}: cannot read table {name!r} as parquet: column "
                                f"{field.name!r} holds text that is not UTF-8") from None
    return table


def decode_table(data: bytes, name: str, format: str, where: str,
                 dictionaries: frozenset[str] = frozenset()) -> pa.Table:
    """``parse_table`` for a file whose bytes are checked already: a Parquet file's by
    ``check_parquet``, which found dictionary pages in the columns ``dictionaries``, a CSV
    file's as UTF-8 (``is_utf8``), so that its parser does not check each text cell again
    (whole, the file is checked in about a sixth of the time). A Parquet file's texts are left
    unchecked (``texts_checked``): validation finds most equal to its CSV's."""
    schema = nullable_schema(name)
    try:
        if format == "parquet":
            # Every decoder is bounded by the bytes it produces: strings stay in their
            # dictionaries until their expanded size is known (other pages decode to no more
            # than their bytes). On the calling thread, as every parse (above).
            table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=sorted(dictionaries)
                                   ).read(columns=schema.names, use_threads=False)
            expanded = expanded_bytes(table)
            if expanded > MAX_VALUES_EXPANSION * len(data) + MAX_DECODED_SLACK:
                raise DecodeBomb(f"{where}: refusing a Parquet file of {len(data)} bytes whose "
                                 f"values expand to {expanded} bytes (at most "
                                 f"{MAX_VALUES_EXPANSION}× its size)")
            return typed_as(table, schema)
        return typed_as(pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(encoding="utf8", block_size=CSV_BLOCK,
                                           use_threads=False),
            convert_options=pacsv.ConvertOptions(
                column_types=schema, include_columns=schema.names, null_values=[""],
                strings_can_be_null=True, true_values=["true"], false_values=["false"],
                check_utf8=False,
            ),
        ), schema)
    except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
        raise LoadError(f"{where}: cannot read table {name!r} as {format}: {exc}") from None


@functools.cache
def nullable_schema(name: str) -> pa.Schema:
    """The registry's Arrow schema of a table, every field nullable: what a file is read as
    (a missing required value is the checks' to report, not a parse error)."""
    schema = arrow_schema(registry_table(name))
    return pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)


def typed_as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema`` (its names, types and metadata), as ``table.cast(schema)``
    gives it: its own columns where their types are the schema's already, as a table parsed
    by the schema has them (no kernel call for them), the others cast (a Parquet file's
    dictionaries expanded). Only a schema of nullable fields takes columns as they are: a
    cast to a required field refuses its nulls."""
    if table.column_names != schema.names or not all(field.nullable for field in schema):
        return table.cast(schema)
    return pa.Table.from_arrays([column if column.type == field.type else column.cast(field.type)
                                 for column, field in zip(table.columns, schema)], schema=schema)


def expanded_bytes(table: pa.Table) -> int:
    """What a table's columns take once every dictionary is expanded into its rows: the
    values and offsets of each row's string, computed from the dictionary's lengths."""
    total = 0
    for column in table.columns:
        if not pa.types.is_dictionary(column.type):
            total += column.nbytes  # its chunks' bytes
            continue
        for chunk in column.chunks:
            lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
            total += (pc.sum(lengths).as_py() or 0) + 4 * (len(chunk) + 1)
    return total


def read_arrow(path: Path, name: str, format: str) -> pa.Table:
    """Read one table file as Arrow, typed by the registry's schema."""
    return parse_table(read_bytes(path, MAX_TABLE_BYTES), name, format, str(path))


def to_pandas(arrow: pa.Table) -> pd.DataFrame:
    """The table as a DataFrame with the registry's dtypes. Every dtype is an extension
    dtype, one block a column: ``split_blocks`` skips pandas' consolidating them (about 40%
    of the call on a small table)."""
    return arrow.to_pandas(types_mapper=types_mapper, ignore_metadata=True, split_blocks=True,
                           use_threads=False)


def read_csv_text(data: bytes, columns: list[str]) -> pa.Table:
    """A CSV's ``columns``, every cell as text (an empty cell null), whatever types they
    should have: what a file that does not parse as its types holds."""
    return pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(
        use_threads=False), convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, null_values=[""],
            strings_can_be_null=True))


def with_attrs(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame, carrying its table's title and the registry's column descriptions in
    ``DataFrame.attrs``."""
    table = registry_table(name)
    frame.attrs.update(table=name, title=table.title, description=table.description,
                       columns={f.name: f.description for f in table.fields})
    return frame


def read_table(directory: Path, name: str, format: str, stated: dict | None) -> pd.DataFrame:
    """One table of the package in ``directory``; checked against the descriptor's sha256
    and bytes before parsing, unless ``stated`` is None."""
    path = table_path(directory, name, format)
    data = (read_bytes(path, MAX_TABLE_BYTES) if stated is None
            else read_checked(directory, path.name, MAX_TABLE_BYTES, stated))
    return with_attrs(to_pandas(parse_table(data, name, format, str(path))), name)


def load_table(name: str, format: str = "parquet", path: str | Path | None = None,
               verify: bool = True) -> pd.DataFrame:
    """One table as a DataFrame with the registry's dtypes."""
    registry_table(name)  # unknown names: an error listing the valid ones
    known_format(format)
    directory = package_dir(path, descriptor=verify)
    return read_table(directory, name, format, promises(directory) if verify else None)


def load(format: str = "parquet", path: str | Path | None = None,
         verify: bool = True) -> dict[str, pd.DataFrame]:
    """Every table, ``{name: DataFrame}``, in package order."""
    known_format(format)
    directory = package_dir(path, descriptor=verify)
    stated = promises(directory) if verify else None
    return {name: read_table(directory, name, format, stated) for name in TABLES}
