"""The June 2021 China–Afghanistan–Pakistan dialogue, curated from one article into linked tables.

    >>> import datapkg
    >>> tables = datapkg.load()              # every table, typed, from Parquet
    >>> actors = datapkg.load_table("actors", format="csv")

Importing this package reads no file and imports neither pandas nor pyarrow;
they are imported when a table is first loaded.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "dtypes", "load", "load_table", "table_names"]


def load(format: str = "parquet", path=None):
    """Return every table as ``{name: DataFrame}`` with the declared dtypes."""
    from datapkg.loader import load as _load

    return _load(format=format, path=path)


def load_table(name: str, format: str = "parquet", path=None):
    """Return one table as a DataFrame with the declared dtypes."""
    from datapkg.loader import load_table as _load_table

    return _load_table(name, format=format, path=path)


def table_names() -> list[str]:
    """Names of the published tables, in package order."""
    from datapkg.registry import TABLES

    return list(TABLES)


def dtypes(name: str) -> dict:
    """Column → pandas dtype of one table, for reading its CSV with other tools:
    ``pd.read_csv(path, dtype=datapkg.dtypes(name), keep_default_na=False, na_values=[""])``."""
    from datapkg.registry import table
    from datapkg.typemap import pandas_dtypes

    return pandas_dtypes(table(name))
