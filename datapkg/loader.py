"""Read the published tables into pandas with the declared dtypes (pandas and pyarrow only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg.registry import TABLES
from datapkg.registry import table as registry_table
from datapkg.types import arrow_schema, types_mapper

FORMATS = ("parquet", "csv")
PACKAGE_DIR = Path(__file__).resolve().parent


class LoadError(Exception):
    """A published file is missing, unreadable or not what the registry declares."""


def default_data_dir() -> Path:
    """The package directory: shipped inside the wheel, or ``data/`` in a checkout."""
    shipped = PACKAGE_DIR / "_data"
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / "data"


def safe_path(directory: Path, relative: str) -> Path | None:
    """``directory / relative``, or None if the path is absolute, climbs out or is a link."""
    if not relative or Path(relative).is_absolute() or ".." in Path(relative).parts:
        return None
    path = directory / relative
    # Resolving changes nothing only when no part of the path below the package is a link.
    return path if path.resolve() == directory.resolve() / relative else None


def table_path(directory: Path, name: str, format: str) -> Path:
    """The file of one table, refusing anything that resolves outside ``directory``."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}")
    path = safe_path(Path(directory), f"{name}.{format}")
    if path is None:
        raise LoadError(f"{directory / f'{name}.{format}'}: refusing a file that is a link or "
                        f"lies outside {directory}")
    if path.exists() and not path.is_file():
        raise LoadError(f"{path}: not a regular file (table {name!r})")
    return path


def read_arrow(path: Path, name: str, format: str) -> pa.Table:
    """Read one table file as Arrow, typed by the registry's schema."""
    schema = arrow_schema(registry_table(name))
    try:
        if format == "parquet":
            return pq.read_table(path, schema=schema)
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            convert_options=pacsv.ConvertOptions(
                column_types=schema, include_columns=schema.names, null_values=[""],
                strings_can_be_null=True, true_values=["true"], false_values=["false"],
            ),
        ).cast(pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata))
    except FileNotFoundError:
        raise LoadError(f"{path}: file not found (table {name!r}); rebuild with `datapkg build`") \
            from None
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise LoadError(f"{path}: cannot read table {name!r} as {format}: {exc}") from None


def to_pandas(arrow: pa.Table) -> pd.DataFrame:
    return arrow.to_pandas(types_mapper=types_mapper, ignore_metadata=True)


def load_table(name: str, format: str = "parquet", path: str | Path | None = None) -> pd.DataFrame:
    """One table as a DataFrame with the registry's dtypes."""
    registry_table(name)  # unknown names: an error listing the valid ones
    directory = Path(path) if path is not None else default_data_dir()
    return to_pandas(read_arrow(table_path(directory, name, format), name, format))


def load(format: str = "parquet", path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, ``{name: DataFrame}``, in package order."""
    return {name: load_table(name, format=format, path=path) for name in TABLES}
