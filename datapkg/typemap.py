"""Registry types → pandas dtypes and Arrow types. Imported by the loader: pandas and pyarrow only."""

from __future__ import annotations

import functools

import pandas as pd
import pyarrow as pa

from datapkg.registry import Table

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}

PANDAS_DTYPES = {
    "string": pd.StringDtype(),
    "integer": pd.Int64Dtype(),
    "number": pd.Float64Dtype(),
    "boolean": pd.BooleanDtype(),
    "date": pd.ArrowDtype(pa.date32()),
}


def pandas_dtypes(table: Table) -> dict[str, object]:
    """Column → pandas dtype: nullable integers, booleans and strings; Arrow dates."""
    return {f.name: PANDAS_DTYPES[f.type] for f in table.fields}


@functools.cache
def arrow_schema(table: Table) -> pa.Schema:
    """The Parquet schema, with each column's description and unit in its field metadata
    (made once a table: a schema is immutable)."""
    fields = []
    for f in table.fields:
        meta = {"description": f.description}
        if f.unit:
            meta["unit"] = f.unit
        fields.append(pa.field(f.name, ARROW_TYPES[f.type], nullable=not f.required,
                               metadata=meta))
    return pa.schema(fields, metadata={"table": table.name, "description": table.description})


PANDAS_BY_ARROW = {ARROW_TYPES[kind]: dtype for kind, dtype in PANDAS_DTYPES.items()}


def types_mapper(arrow_type: pa.DataType):
    """Arrow → pandas dtype for ``Table.to_pandas`` (None: pyarrow's default)."""
    return PANDAS_BY_ARROW.get(arrow_type)
