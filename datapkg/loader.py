"""Read the published tables into pandas with the declared dtypes (pandas and pyarrow only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg.files import MAX_TABLE_BYTES, LoadError, inside, read_bytes
from datapkg.package import default_data_dir, package_dir, promises, read_checked
from datapkg.registry import TABLES
from datapkg.registry import table as registry_table
from datapkg.typemap import arrow_schema, types_mapper

__all__ = ["LoadError", "default_data_dir", "load", "load_table", "parse_table", "read_arrow",
           "table_path"]

FORMATS = ("parquet", "csv")
# A Parquet file may decode to at most this many times its size (plus MAX_DECODED_SLACK),
# and hold at most ROWS_PER_BYTE rows per byte: a bound on what a small file can cost.
MAX_EXPANSION = 64
MAX_DECODED_SLACK = 2**20
ROWS_PER_BYTE = 8


def known_format(format: str) -> None:
    """Refuse an unknown format, naming the valid ones (and load_table for a table's name)."""
    if format not in FORMATS:
        hint = f"; to load the table {format!r}: datapkg.load_table({format!r})" \
            if format in TABLES else ""
        raise ValueError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}{hint}")


def table_path(directory: Path, name: str, format: str) -> Path:
    """The file of one table, refusing a link or anything that leaves ``directory``."""
    known_format(format)
    return inside(Path(directory), f"{name}.{format}")


def parquet_bounds(file: pq.ParquetFile, size: int, where: str) -> None:
    """Refuse a Parquet file whose footer promises more rows or decoded bytes than a file
    of its size may hold (a decompression or run-length bomb), before decoding anything."""
    meta = file.metadata
    decoded = sum(meta.row_group(g).column(c).total_uncompressed_size
                  for g in range(meta.num_row_groups) for c in range(meta.num_columns))
    if decoded > min(MAX_EXPANSION * size + MAX_DECODED_SLACK, MAX_TABLE_BYTES):
        raise LoadError(f"{where}: refusing a Parquet file of {size} bytes that decodes to "
                        f"{decoded} bytes (at most {MAX_EXPANSION}× its size)")
    if meta.num_rows > ROWS_PER_BYTE * size:
        raise LoadError(f"{where}: refusing a Parquet file of {size} bytes that claims "
                        f"{meta.num_rows} rows (at most {ROWS_PER_BYTE} per byte)")


def parse_table(data: bytes, name: str, format: str, where: str) -> pa.Table:
    """One table file's bytes as Arrow, typed by the registry's schema; ``where`` names the
    file in errors."""
    schema = arrow_schema(registry_table(name))
    nullable = pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)
    try:
        if format == "parquet":
            parquet_bounds(pq.ParquetFile(pa.BufferReader(data)), len(data), where)
            # one thread: Arrow's threaded Parquet reader can leave work behind that aborts
            # the interpreter at exit ("terminate called", apache/arrow#34314, #33975)
            return pq.read_table(pa.BufferReader(data), schema=schema,
                                 use_threads=False).cast(nullable)
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(encoding="utf8"),
            convert_options=pacsv.ConvertOptions(
                column_types=schema, include_columns=schema.names, null_values=[""],
                strings_can_be_null=True, true_values=["true"], false_values=["false"],
            ),
        ).cast(nullable)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise LoadError(f"{where}: cannot read table {name!r} as {format}: {exc}") from None


def read_arrow(path: Path, name: str, format: str) -> pa.Table:
    """Read one table file as Arrow, typed by the registry's schema."""
    return parse_table(read_bytes(path, MAX_TABLE_BYTES), name, format, str(path))


def to_pandas(arrow: pa.Table) -> pd.DataFrame:
    return arrow.to_pandas(types_mapper=types_mapper, ignore_metadata=True)


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
