"""Property tests: any valid rows survive CSV and Parquet unchanged; any single-cell change is
caught."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
from damage import rewrite, rows
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import datapkg
from datapkg.publish import write_csv, write_parquet
from datapkg.registry import TABLES, Field
from datapkg.typemap import arrow_schema, types_mapper
from datapkg.validate import validate_package

# Text as curated text can be: curly quotes, ellipses, non-breaking spaces, commas, quotes,
# newlines, and words that other tools take for missing values.
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="\r\x00",
                          exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.sampled_from(["NA", "null", "None", "nan", "N/A", "“quoted”", "…", "a\xa0b", '"', ",",
                     "line\nbreak", " leading space", "trailing space "]),
)


def value_of(f: Field) -> st.SearchStrategy:
    base = {
        "string": TEXT,
        "integer": st.integers(-(2**62), 2**62),
        "number": st.floats(allow_nan=False, allow_infinity=False, width=64),
        "boolean": st.booleans(),
        "date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    }[f.type]
    return base if f.required else st.one_of(st.none(), base)


def rows_of(name: str) -> st.SearchStrategy:
    fields = {f.name: value_of(f) for f in TABLES[name].fields}
    return st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["figures", "events", "statements", "commitments"]).flatmap(
    lambda name: st.tuples(st.just(name), rows_of(name))))
def test_any_valid_rows_survive_csv_and_parquet_unchanged(case):
    name, table_rows = case
    arrow = pa.Table.from_pylist(table_rows, schema=arrow_schema(TABLES[name]))
    expected = arrow.to_pandas(types_mapper=types_mapper, ignore_metadata=True)
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(arrow, Path(tmp) / f"{name}.csv")
        write_parquet(arrow, Path(tmp) / f"{name}.parquet")
        for fmt in ("csv", "parquet"):
            pd.testing.assert_frame_equal(datapkg.load_table(name, format=fmt, path=tmp, verify=False),
                                          expected)


PUBLISHED = {name: rows(Path(datapkg.loader.default_data_dir()), name) for name in TABLES}
CELLS = [(name, i, f) for name, table_rows in PUBLISHED.items()
         for i in range(len(table_rows)) for f in TABLES[name].fields]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CELLS).flatmap(lambda cell: st.tuples(st.just(cell), value_of(cell[2]))))
def test_any_single_cell_change_is_caught(case):
    (name, index, f), new = case
    old = PUBLISHED[name][index][f.name]
    assume(new != old and not (isinstance(new, float) and isinstance(old, float)
                               and new == old))

    def change(table_rows):
        table_rows[index][f.name] = new

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "data"
        shutil.copytree(datapkg.loader.default_data_dir(), package)
        rewrite(package, name, change, formats=("csv",))
        failures = validate_package(package)
    assert any(x.table == name and x.column in (f.name, "") for x in failures), \
        f"{name}[{index}].{f.name}: {old!r} → {new!r} not caught"



LOADED = datapkg.load()


def any_cell_value(f: Field, column: pd.Series) -> st.SearchStrategy:
    """A value a damaged cell could hold: null, any of its type, an empty string, or another
    row's value (a repeated key)."""
    return st.one_of(st.none(), value_of(f), st.sampled_from(list(column.dropna()) or [None]),
                     st.just("") if f.type == "string" else st.none())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_pandas_screen_never_passes_what_pandera_fails(data):
    """Validation runs pandera only on a table the screen cannot pass: so the screen must
    never pass a table that pandera fails. Any one cell of any table, set to any value its
    column could be damaged to, is judged alike or more strictly by the screen."""
    import pandera.errors

    from datapkg.validate import pandera_schema, passes_schema

    name = data.draw(st.sampled_from(sorted(TABLES)))
    frame = LOADED[name].copy()
    assume(len(frame))
    f = data.draw(st.sampled_from(TABLES[name].fields))
    row = data.draw(st.integers(0, len(frame) - 1))
    frame.loc[frame.index[row], f.name] = data.draw(any_cell_value(f, frame[f.name]))
    try:
        pandera_schema(TABLES[name]).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors:
        assert not passes_schema(frame, TABLES[name])


def test_the_pandas_screen_passes_every_valid_table():
    """The other direction: a valid table passes the screen, so validating a valid package
    never runs pandera (a screen that failed every table would be correct and slow)."""
    from datapkg.validate import passes_schema

    assert [name for name, frame in LOADED.items() if not passes_schema(frame, TABLES[name])] == []


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(st.sampled_from("abcd"), max_size=8),
       pairs=st.lists(st.tuples(st.sampled_from("abce"), st.text(max_size=3)), max_size=8))
def test_looked_up_is_a_dict_lookup(keys, pairs):
    """The rules' Arrow lookup answers as ``map(dict(zip(index, values)))``: the last of
    repeated keys wins, and a key with no match is null."""
    from datapkg.rules import looked_up

    index = pd.Series([k for k, _ in pairs], dtype="string")
    values = pd.Series([v for _, v in pairs], dtype="string")
    found = looked_up(pd.Series(keys, dtype="string"), index, values)
    expected = dict(zip(index, values))
    assert [None if pd.isna(v) else v for v in found] == [expected.get(k) for k in keys]
