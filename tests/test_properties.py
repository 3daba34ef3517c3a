"""Property tests: any valid rows survive CSV and Parquet unchanged; any single-cell change is
caught."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from damage import rewrite, rows
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import datapkg
from datapkg.publish import write_csv, write_parquet
from datapkg.registry import TABLES, Field, act_role
from datapkg.rules import SELF_STATED, Frames, Violation, among
from datapkg.typemap import PANDAS_DTYPES, arrow_schema, types_mapper
from datapkg.validate import BYTE_BLOCK, validate_package

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
    """A value a damaged cell could hold: null, any of its type, an empty string, another
    row's value (a repeated key), or, in a text column, another row's value with a character
    put before, inside or after it (a final newline, NUL, a control, a Unicode space…)."""
    other = st.sampled_from(list(column.dropna()) or [None])
    damaged = st.none()
    if f.type == "string":
        damaged = st.builds(lambda v, c, at: None if v is None else v[:at] + c + v[at:],
                            other, st.sampled_from(TRICKY), st.sampled_from([0, 1, 10**6]))
    return st.one_of(st.none(), value_of(f), other, damaged,
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


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.none() | st.booleans(), max_size=10),
       dtype=st.sampled_from(["boolean", "bool[pyarrow]", "object", "float"]),
       labels=st.sampled_from(["range", "shuffled", "text"]))
def test_where_finds_the_rows_its_first_form_found(cells, dtype, labels):
    """``where`` gives the index of the rows where a rule's mask is true, nulls not true, as
    its first form (``fillna(False).astype(bool)``, then the index) did: for nullable, Arrow
    and NumPy booleans, objects and floats (a missing float filled with 0.0, which pandas
    warns of filling with False), and for a NumPy array of booleans, under any index."""
    from datapkg.rules import where

    index = {"range": pd.RangeIndex(len(cells)) * 2,
             "shuffled": pd.Index(list(range(len(cells)))[::-1]),
             "text": pd.Index([f"r{i}" for i in range(len(cells))])}[labels]
    frame = pd.DataFrame({"x": range(len(cells))}, index=index)
    if dtype == "float":
        mask = pd.Series([float("nan") if c is None else float(c) for c in cells], index=index)
    else:
        mask = pd.Series(cells, index=index, dtype=dtype)
    filled = mask.fillna(0.0 if dtype == "float" else False).astype(bool)  # NumPy booleans
    first = list(frame.index[filled.to_numpy()])
    assert where(frame, mask) == first
    assert where(frame, filled) == first
    assert where(frame, filled.to_numpy()) == first  # a mask made in NumPy


# --- every engine reads a pattern, and a control character, alike ------------------------------

# Characters that engines have been known to read differently: line ends (Python's ``$``
# matches before a final newline; U+0085, U+2028 and U+2029 end lines for some), NUL and
# other controls, Unicode spaces, digits and letters that a Unicode-aware class takes for
# ASCII ones (full-width and Arabic-Indic digits, the Kelvin sign, the long s), a combining mark.
TRICKY = ["\n", "\r\n", "\r", "\x00", "\t", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85",
          "\x9b", "\x9f", "\xa0", "\u2028", "\u2029", "\u0301", "\u200b", "\ufeff", " ",
          "\uff10", "\u0660", "\u212a", "\u017f", "^", "$", ".", "/", "\\", "|"]
PATTERNED = {f.pattern: (name, f) for name, t in TABLES.items() for f in t.fields if f.pattern}


def xsd_matches(pattern: str, values: list[str]) -> list[bool | None]:
    """Whether each value is valid under an XML Schema pattern facet, as libxml2 reads it; None
    for a value XML cannot hold (NUL and most controls)."""
    etree = pytest.importorskip("lxml.etree")
    xs = "http://www.w3.org/2001/XMLSchema"
    root = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    simple = etree.SubElement(etree.SubElement(root, f"{{{xs}}}element", name="v"),
                              f"{{{xs}}}simpleType")
    restriction = etree.SubElement(simple, f"{{{xs}}}restriction", base="xs:string")
    etree.SubElement(restriction, f"{{{xs}}}pattern", value=pattern)
    schema, verdicts = etree.XMLSchema(root), []
    for value in values:
        element = etree.Element("v")
        try:
            element.text = value
        except ValueError:
            verdicts.append(None)
            continue
        verdicts.append(schema.validate(element))
    return verdicts


def engines(pattern: str, values: list[str]) -> dict[str, list]:
    """Each engine's verdict on each value: Python's re.fullmatch (the meaning), the screen's
    RE2, pandas with either string storage (what the pandera check runs), XML Schema."""
    from datapkg.validate import matches_whole, re2_whole

    found = {"python": [re.fullmatch(pattern, v) is not None for v in values],
             "re2": pc.match_substring_regex(pa.array(values, pa.string()),
                                             re2_whole(pattern)).to_pylist()}
    for storage in ("python", "pyarrow"):
        series = pd.Series(values, dtype=pd.StringDtype(storage))
        found[f"pandas-{storage}"] = [bool(x) for x in matches_whole(series, pattern)]
    found["xsd"] = [found["python"][i] if x is None else x
                    for i, x in enumerate(xsd_matches(pattern, values))]
    return found


def variants(valid: str) -> list[str]:
    """``valid`` as it is, and with each tricky character before, inside and after it, and in
    place of its first character."""
    out = [valid, "", valid.upper(), valid.lower()]
    for c in TRICKY:
        middle = len(valid) // 2
        out += [valid + c, c + valid, valid[:middle] + c + valid[middle:], c + valid[1:], c]
    return out


def valid_values(name: str, f: Field) -> list[str]:
    """Values of the column from the published data, or the registry's example."""
    values = list(LOADED[name][f.name].dropna().unique()[:3]) or [f.example]
    assert all(v is not None and re.fullmatch(f.pattern, v) for v in values), (name, f.name)
    return values


def test_every_engine_reads_every_pattern_alike_on_tricky_values():
    """For every pattern of the registry, on values of its column with a final newline, CRLF,
    NUL, U+0085, U+2028, a combining mark, a space before or after, full-width digits…: the
    screen's RE2, pandas (either storage) and XML Schema all answer as re.fullmatch does."""
    for pattern, (name, f) in PATTERNED.items():
        values = [v for valid in valid_values(name, f) for v in variants(valid)]
        found = engines(pattern, values)
        for engine, verdicts in found.items():
            differ = [v for v, a, b in zip(values, verdicts, found["python"]) if a != b]
            assert differ == [], (name, f.name, engine)


def test_frictionless_reads_every_pattern_alike_but_for_a_final_newline():
    """frictionless writes ``^`` and ``$`` around a pattern for Python's re, whose ``$`` matches
    before a final newline: on the tricky values it agrees with every other engine, except that
    it lets a value followed by one newline through. Validation refuses that value."""
    from frictionless import fields

    for pattern, (name, f) in PATTERNED.items():
        field = fields.StringField(name=f.name, constraints={"pattern": pattern})
        # an empty cell is a null to frictionless, as the Table Schemas say (missingValues)
        for value in (v for valid in valid_values(name, f) for v in variants(valid) if v):
            whole = re.fullmatch(pattern, value) is not None
            passes = field.read_cell(value)[1] is None
            assert passes == whole or (passes and value.endswith("\n") and
                                       re.fullmatch(pattern, value[:-1])), (name, value)


def screen_and_pandera(name: str, f: Field, values: list[str]) -> tuple[list, list]:
    """The screen's and pandera's verdicts on each value as the only cell of its column."""
    import pandera.errors

    from datapkg.validate import column_passes, pandera_schema

    cells = pd.Series(values, dtype="string", name=f.name)
    screen = [column_passes(pa.array(cells.iloc[[i]], from_pandas=True), f)
              for i in range(len(values))]
    try:
        pandera_schema(TABLES[name]).columns[f.name].validate(cells.to_frame(), lazy=True)
        failing = set()
    except pandera.errors.SchemaErrors as exc:
        failing = set(exc.failure_cases["index"])
    return screen, [i not in failing for i in range(len(values))]


def test_the_screen_and_pandera_agree_on_tricky_values_in_every_kind_of_text_column():
    """Every patterned column, and a free-text one: the screen and pandera pass exactly the
    values that match whole and hold no control character but tab and newline."""
    from datapkg.registry import CONTROL_CHARACTER

    free = next((name, f) for name, t in TABLES.items() for f in t.fields
                if f.type == "string" and not f.pattern and not f.enum)
    for name, f in [*PATTERNED.values(), free]:
        samples = valid_values(name, f) if f.pattern else ["plain text"]
        values = [v for valid in samples for v in variants(valid) if v]
        meant = [(not f.pattern or re.fullmatch(f.pattern, v) is not None)
                 and re.search(CONTROL_CHARACTER, v) is None for v in values]
        screen, pandera = screen_and_pandera(name, f, values)
        assert [v for v, a, b in zip(values, screen, meant) if a != b] == [], (name, f.name)
        assert [v for v, a, b in zip(values, pandera, meant) if a != b] == [], (name, f.name)


def test_the_control_character_class_is_every_control_but_tab_and_newline():
    """The class that validation looks for, in Python's re and in RE2, is Unicode's Cc
    (control) category less tab and newline: nothing more, nothing less."""
    import unicodedata

    from datapkg.registry import CONTROL_CHARACTER

    everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    controls = {c for c in everything if unicodedata.category(c) == "Cc"} - {"\t", "\n"}
    assert {c for c in everything if re.fullmatch(CONTROL_CHARACTER, c)} == controls
    found = pc.match_substring_regex(pa.array(everything), CONTROL_CHARACTER).to_pylist()
    assert {c for c, hit in zip(everything, found) if hit} == controls


@pytest.mark.parametrize("byte_block", sorted({2**22, BYTE_BLOCK, 1, 2, 3}, reverse=True))
def test_the_screen_finds_a_control_character_by_its_bytes_exactly(byte_block, monkeypatch):
    """The screen looks for the bytes a control character is made of in UTF-8 before it runs
    the regex: every control but tab and newline has them, wherever it stands, and no other
    character has them, alone or beside any other, in whatever blocks the bytes are looked
    at (a two-byte control across two blocks too)."""
    import unicodedata

    from datapkg.validate import has_control_bytes, holds_control_character

    monkeypatch.setattr("datapkg.validate.BYTE_BLOCK", byte_block)

    def utf8(text: str):
        return np.frombuffer(text.encode("utf-8"), np.uint8)

    everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    controls = [c for c in everything if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    assert [c for c in controls if not (has_control_bytes(utf8(c)) and
                                        has_control_bytes(utf8(f"\xa0{c}\u2028")) and
                                        has_control_bytes(utf8(f"a{c}")))] == []
    if byte_block < 2**10:  # every character once, in few enough blocks to look at
        everything = everything[::997]
    assert not has_control_bytes(utf8("".join(c for c in everything if c not in controls)))
    values = pa.array(["a\xa0b", None, "c\td\ne", "\u0080"]).slice(0, 3)  # ends before U+0080
    assert not holds_control_character(values)
    assert holds_control_character(pa.chunked_array([values, pa.array(["x\x9fy"])]))


UNSURROGATE = st.characters(codec="utf-8")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_engine_reads_a_pattern_alike(data):
    """Any value matching a registry pattern, with any character (a tricky one or any at all)
    put anywhere in it: the screen's RE2, pandas and XML Schema answer as re.fullmatch does,
    and the screen and pandera agree on the cell."""
    pattern = data.draw(st.sampled_from(sorted(PATTERNED)))
    name, f = PATTERNED[pattern]
    valid = data.draw(st.from_regex(pattern, fullmatch=True, alphabet=UNSURROGATE))
    inserted = data.draw(st.one_of(st.sampled_from(TRICKY), st.text(UNSURROGATE, max_size=2)))
    at = data.draw(st.integers(0, len(valid)))
    value = data.draw(st.sampled_from([valid, valid[:at] + inserted + valid[at:],
                                       valid[:at] + inserted + valid[at + 1:]]))
    found = engines(pattern, [value])
    assert {engine: v[0] for engine, v in found.items()} == \
        dict.fromkeys(found, found["python"][0]), repr(value)
    if value:
        screen, pandera = screen_and_pandera(name, f, [value])
        assert screen == pandera, repr(value)


# --- rules rewritten for speed hold to their first form --------------------------------------

@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.none() | st.text(alphabet=st.sampled_from("=+-@\t\r\n a\xe9\u2028\x00"),
                                           max_size=4), max_size=12),
       cuts=st.lists(st.integers(0, 12), max_size=3))
def test_formula_starts_are_found_as_pandas_startswith_finds_them(values, cuts):
    """``begins_like_formula`` (each value's first byte, in NumPy) marks the cells that
    pandas' ``str.startswith(FORMULA_STARTS)`` marks, whatever the chunks, the nulls and the
    columns."""
    from datapkg.rules import FORMULA_STARTS, begins_like_formula

    bounds = sorted({0, len(values), *(c for c in cuts if c <= len(values))})
    chunks = [pa.array(values[a:b], pa.string()) for a, b in zip(bounds, bounds[1:])]
    series = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.string())))
    columns = [series, pd.Series([None] * len(cuts), dtype=object), series.iloc[::-1],
               series.astype("string")]  # pandas' own: large_string
    expected = [c.astype("string").str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
                .tolist() for c in columns]
    assert [found.tolist() for found in begins_like_formula(columns)] == expected


@settings(max_examples=300, deadline=None)
@given(sizes=st.lists(st.integers(0, 9), max_size=8), limit=st.integers(1, 12))
def test_groups_take_every_item_once_in_order_and_stay_within_their_limit(sizes, limit):
    """``grouped`` cuts the items into consecutive runs: every item once, in order, each run
    within the limit unless it is one item alone, and no run could take the next item."""
    from datapkg.rules import grouped

    groups = grouped(sizes, limit)
    assert [at for group in groups for at in range(len(sizes))[group]] == list(range(len(sizes)))
    for group, after in zip(groups, [*groups[1:], None]):
        assert sum(sizes[group]) <= limit or group.stop - group.start == 1
        if after is not None:
            assert sum(sizes[group]) + sizes[after.start] > limit


def test_formulas_are_found_alike_whatever_the_block_of_cells():
    """``no_formulas`` looks at a large package's text cells a group of columns at a time:
    it reports the same cells, in the same order, as when every column is looked at at once."""
    from datapkg.rules import no_formulas

    frames = {name: frame.copy() for name, frame in datapkg.load().items()}
    planted = []
    for name, frame in frames.items():
        text = next((f.name for f in TABLES[name].fields if f.type == "string"
                     and not f.enum and not f.pattern and len(frame)), None)
        if text is not None:
            frame.loc[frame.index[-1], text] = "=1+1"
            planted.append((name, frame.index[-1], text))
    assert len(planted) > 2
    found = {}
    for block in (2**30, 2**18, 7, 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("datapkg.rules.ROW_BLOCK", block)
            found[block] = [(v.table, v.index, v.column) for v in no_formulas(frames)]
    assert all(cells == planted for cells in found.values()), found


def id_convention_as_first_written(frames):
    """``rules.id_convention`` as it was written first, column by column."""
    from datapkg.registry import ID_PATTERN
    from datapkg.rules import Violation, before_first, where

    for name, frame in frames.items():
        serial = before_first(frame["source_id"], "_")
        for f in TABLES[name].fields:
            if f.pattern == ID_PATTERN:
                values = frame[f.name]
                dotted = pc.match_substring(pa.array(values, from_pandas=True), ".")
                right = pc.and_(dotted, pc.equal(before_first(values, "."), serial))
                wrong = pd.Series(pc.invert(right).to_numpy(zero_copy_only=False),
                                  index=frame.index)
                for i in where(frame, values.notna() & wrong):
                    yield Violation(name, i, f.name, values[i],
                                    "id convention: an id starts with its source's serial "
                                    f"({serial[frame.index.get_loc(i)].as_py()}.)")


# text made of what a serial, a source id and an id are cut at, and of bytes that are not ASCII
PIECES = st.lists(st.sampled_from(["1", "a", "_", ".", "é", "\x00", "123456789", "1" * 40]),
                  max_size=6).map("".join)


@st.composite
def id_rows(draw) -> tuple:
    """A source id and four ids: each id null, any text, or its source's serial (or a part of
    it) before a dot or not."""
    source = draw(st.none() | PIECES)

    def an_id():
        serial = (source or "").split("_", 1)[0]
        near = serial[:draw(st.integers(0, len(serial)))] if draw(st.booleans()) else serial
        return draw(st.none() | PIECES | st.tuples(st.sampled_from([".", "", "x."]), PIECES)
                    .map(lambda rest: near + rest[0] + rest[1]))

    return (source, *(an_id() for _ in range(4)))


def chunked(values: list, size: int) -> pd.Series:
    """``values`` as a string column whose Arrow array is in chunks of ``size`` rows, each a
    slice of a longer array (its offset not zero)."""
    chunks = [pa.array(["before", *values[at:at + size]], pa.large_string()).slice(1)
              for at in range(0, len(values), size)]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string())))


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(id_rows(), min_size=1, max_size=8),
       sizes=st.lists(st.integers(1, 9), min_size=5, max_size=5),
       block=st.sampled_from([2**18, 1, 3]))
def test_id_convention_reports_as_its_first_form(rows, sizes, block):
    """``id_convention``, which compares each id's first bytes with its source's serial and a
    dot eight bytes at a time, reports what its first form, column by column, reported: the
    same rows, columns, values and rules, nulls, serials with a dot or longer than a word,
    text that is not ASCII, columns in chunks of any length and in blocks of rows of any
    length included."""
    from datapkg.registry import ID_PATTERN
    from datapkg.rules import id_convention

    ids = [f.name for f in TABLES["statements"].fields if f.pattern == ID_PATTERN]
    assert len(ids) == 4
    frame = pd.DataFrame({column: chunked([r[i] for r in rows], size).array
                          for i, (column, size) in enumerate(zip(["source_id", *ids], sizes))},
                         index=pd.RangeIndex(len(rows)) * 3)
    frames = {"statements": frame}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.rules.ROW_BLOCK", block)
        found = list(id_convention(frames))
    assert found == list(id_convention_as_first_written(frames))


def test_one_long_serial_does_not_widen_every_rows_comparison():
    """A hostile package's one long source id (64 KiB), among hundreds of rows, costs
    ``id_convention`` about its own bytes, not its length in every row, and its ids are
    still held to it byte for byte."""
    import tracemalloc

    from datapkg.registry import ID_PATTERN
    from datapkg.rules import id_convention

    serial, rows = "1" * 2**16, 500
    sources = [f"{serial}_a"] * 2 + ["1_a"] * (rows - 2)
    ids = [f"{serial}.x", f"{serial[:-1]}2.x"] + ["1.x"] * (rows - 2)
    frame = pd.DataFrame({f.name: pd.array([None] * rows, dtype="string")
                          for f in TABLES["statements"].fields if f.pattern == ID_PATTERN})
    frame["source_id"] = pd.array(sources, dtype="string")
    frame["statement_id"] = pd.array(ids, dtype="string")
    tracemalloc.start()
    try:
        found = list(id_convention({"statements": frame}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(v.index, v.column) for v in found] == [(1, "statement_id")]
    assert peak < 32 * 2**20, f"{peak} bytes traced"  # a word of the serial a row: 100 MiB


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", "é", "a\x00", ""]),
                               st.integers(-2, 2)), max_size=10),
       width=st.sampled_from([1, 2]), cut=st.integers(0, 10),
       block=st.sampled_from([2**18, 1, 2, 3]))
def test_a_repeated_key_is_found_as_pandas_duplicated_finds_it(rows, width, cut, block):
    """The screen's key test (``repeats_a_row``, a sort in Arrow, its rows then compared a
    block at a time) answers as pandas' ``duplicated().any()`` on keys of one and of two
    columns, text and integers, in one chunk or two."""
    from datapkg.validate import repeats_a_row

    texts = [r[0] for r in rows]
    chunks = pa.chunked_array([texts[:cut], texts[cut:]], pa.string())
    frame = pd.DataFrame({"text": pd.arrays.ArrowStringArray(chunks),
                          "number": pd.array([r[1] for r in rows], dtype="Int64")})
    key = frame[["text", "number"][:width]]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.rules.ROW_BLOCK", block)
        assert repeats_a_row(pa.Table.from_pandas(key, preserve_index=False)) == \
            bool(key.duplicated().any())


@settings(max_examples=300, deadline=None)
@given(columns=st.lists(st.lists(st.none() | st.sampled_from(["a", "b", "c", "é"]), max_size=6),
                        min_size=1, max_size=3),
       target=st.lists(st.none() | st.sampled_from(["a", "b", "é"]), max_size=4),
       hashed=st.sampled_from([2**18, 1, 2]), most=st.sampled_from([8, 1, 2]))
def test_foreign_keys_are_looked_up_as_pandas_isin_looks_them_up(columns, target, hashed, most):
    """``missing_from`` (the referring columns joined as Arrow chunks, looked up in hashes of
    the target's keys a block at a time) marks the values that ``notna() & ~isin(target)``
    marks, column by column; a null is never missing."""
    from datapkg.validate import missing_from

    series = [pd.Series(column, dtype="string") for column in columns]
    wanted = pd.Series(target, dtype="string")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.rules.KEYS_HASHED", hashed)
        patch.setattr("datapkg.rules.MOST_HASHES", most)
        found = missing_from(series, wanted)
    assert [f.tolist() for f in found] == [(s.notna() & ~s.isin(wanted.dropna())).tolist()
                                           for s in series]


def test_the_expected_pandas_metadata_is_what_each_table_converts_to():
    """The pandas metadata a Parquet file must carry, assembled from each type's entry, is
    for every table what pyarrow writes for that table's empty frame (its first form)."""
    from datapkg.loader import to_pandas
    from datapkg.validate import expected_pandas_metadata, pandas_metadata

    for name, table in TABLES.items():
        schema = arrow_schema(table)
        empty = pa.Table.from_pandas(to_pandas(schema.empty_table()), schema=schema,
                                     preserve_index=False)
        assert expected_pandas_metadata(name) == pandas_metadata(empty.schema.metadata), name


def acts_follow_codes_as_first_written(frames):
    """``rules.acts_follow_codes`` as it was written first, with pandas object columns."""
    from datapkg.rules import ACT_TABLES, CODE_COLUMNS, Violation, among, looked_up, where

    found = [frames[name].rename(columns={column: "act_id"})[["act_id", *CODE_COLUMNS]]
             for name, column in ACT_TABLES.items()]
    rows = pd.concat(found, ignore_index=True)
    acts = frames["acts"]
    coded = rows[rows["cameo_code"].notna() | rows["plover_event"].notna()].set_index("act_id")
    known = among(acts["act_id"], coded.index)
    for i in where(acts, ~known):
        yield Violation("acts", i, "act_id", acts.at[i, "act_id"],
                        "an act is a statement, commitment or event that states an event code")
    coded_ids = coded.index.to_series()
    for act_id in sorted(coded_ids[~among(coded_ids, acts["act_id"])].unique()):
        yield Violation("acts", None, "act_id", act_id,
                        "every coded statement, commitment or event has its row in acts")
    for column in CODE_COLUMNS:
        stated = looked_up(acts["act_id"], coded_ids, coded[column]).astype(object).fillna("")
        for i in where(acts, known & (stated != acts[column].astype(object).fillna(""))):
            yield Violation("acts", i, column, acts.at[i, column],
                            f"acts repeats the code of its row ({stated[i] or 'null'}), never "
                            "another")
    root = acts["cameo_code"].str[:2]
    for i in where(acts, acts["cameo_root"] != root):
        yield Violation("acts", i, "cameo_root", acts.at[i, "cameo_root"],
                        "cameo_root is the first two digits of cameo_code")


CODE = st.none() | st.sampled_from(["", "01", "010", "AGREE"])
CODED_ROW = st.tuples(st.sampled_from(["a", "b", "c"]), CODE, CODE, CODE, CODE)


@settings(max_examples=150, deadline=None)
@given(acts=st.lists(st.tuples(st.sampled_from(["a", "b", "d"]), CODE, CODE, CODE, CODE, CODE),
                     min_size=1, max_size=6),
       rows=st.lists(st.lists(CODED_ROW, min_size=1, max_size=3), min_size=3, max_size=3))
def test_acts_follow_codes_reports_as_its_first_form(acts, rows):
    """``acts_follow_codes``, which compares the codes in Arrow, reports what its first form,
    with pandas object columns, reported: unknown acts, coded rows with no act, every code
    that differs (a null and an empty code alike) and a wrong root."""
    from datapkg.rules import ACT_TABLES, CODE_COLUMNS, acts_follow_codes

    def frame(columns, values):
        return pd.DataFrame({c: pd.array([v[i] for v in values], dtype="string")
                             for i, c in enumerate(columns)}, index=pd.RangeIndex(len(values)) * 2)

    frames = {name: frame([column, *CODE_COLUMNS], coded)
              for (name, column), coded in zip(ACT_TABLES.items(), rows)}
    frames["acts"] = frame(["act_id", *CODE_COLUMNS, "cameo_root"], acts)
    assert list(acts_follow_codes(frames)) == list(acts_follow_codes_as_first_written(frames))


# --- the rules of who acts, held to their first forms (a product of their tables) ------------

def reach_as_first_written(frames: Frames, actor_ids) -> dict[str, set[str]]:
    """Each of ``actor_ids`` with every actor it reaches in actor_closure (itself included)."""
    closure = frames["actor_closure"]
    wanted = closure[among(closure["actor_id"], list(set(actor_ids)))]
    reached = {a: {a} for a in actor_ids}
    for actor_id, related_id in zip(wanted["actor_id"], wanted["related_id"]):
        reached.setdefault(actor_id, {actor_id}).add(related_id)
    return reached




def self_inclusive_calls_as_first_written(frames: Frames) -> Iterator[Violation]:
    """A call on a group that includes the speaker is an appeal (the group its addressee), or
    the group itself commits: an intention or pledge is never one party's while its statement
    names, other than as a party of it, a group that includes that party."""
    # A self-inclusive call: an intention or pledge whose statement names, as no party of it,
    # a group (an actor with members) reaching an actor its committer reaches.
    commitments, parties = frames["commitments"], frames["commitment_parties"]
    statements, mentions = frames["statements"], frames["mentions"]
    stated = commitments[commitments["kind"].isin(SELF_STATED)]
    groups = set(frames["actor_members"]["actor_id"])
    grouped = mentions[among(mentions["actor_id"], groups)].sort_values("span_start") \
        if groups else mentions.iloc[:0]
    starts = grouped["span_start"].to_numpy()
    span = statements.set_index("statement_id")[["span_start", "span_end"]]
    span = span[~span.index.duplicated()]
    of = {cid: rows for cid, rows in parties.groupby("commitment_id")}
    named = {}
    for i, cid, sid in zip(stated.index, stated["commitment_id"], stated["statement_id"]):
        if sid not in span.index:
            continue  # a dangling statement is reported by the key checks
        start, end = span.at[sid, "span_start"], span.at[sid, "span_end"]
        inside = grouped.iloc[np.searchsorted(starts, start):np.searchsorted(starts, end)]
        found = set(inside.loc[inside["span_end"] <= end, "actor_id"])
        mine = of.get(cid, parties.iloc[:0])
        if found - set(mine["actor_id"]):
            named[i] = (found - set(mine["actor_id"]),
                        list(mine.loc[mine["role"] == "committer", "actor_id"]))
    reached = reach_as_first_written(frames, {a for found, committers in named.values()
                             for a in (*found, *committers)})
    for i, (found, committers) in named.items():
        for group in sorted(found):
            hit = [c for c in committers if c != group and reached[group] & reached[c]]
            if hit:
                yield Violation("commitments", i, "kind", commitments.at[i, "kind"],
                                f"a call on a group including its speaker: the statement names "
                                f"{group}, which includes {hit[0]}; make it an appeal "
                                f"addressed to {group}, or let {group} commit")


def realised_parties_as_first_written(frames: Frames) -> Iterator[Violation]:
    """An act that realises an event (the plan or intention coded in its stead) carries every
    party of that event in the matching role (the same actor, or one that reaches it or that
    it reaches through actor_closure), or the link's note names the party left out and why."""
    # The parties of an event and of the act coded in its stead never disagree unseen.
    links, acts, events = frames["act_links"], frames["acts"], frames["events"]
    coded = set(acts["act_id"])
    cameo = dict(zip(acts["act_id"], acts["cameo_code"]))
    realised = links[(links["relation"] == "realises") & among(links["from_id"], events["event_id"])
                     & among(links["to_id"], list(coded)) & ~among(links["from_id"], list(coded))]
    if realised.empty:
        return
    participants = frames["event_participants"]
    participants = participants[among(participants["event_id"], realised["from_id"])]
    act_parties = frames["act_parties"]
    act_parties = act_parties[among(act_parties["act_id"], realised["to_id"])]
    of_event = {e: rows for e, rows in participants.groupby("event_id")}
    of_act = {a: rows for a, rows in act_parties.groupby("act_id")}
    reached = reach_as_first_written(frames, set(participants["actor_id"]) | set(act_parties["actor_id"]))
    for i, event, act, note in zip(realised.index, realised["from_id"], realised["to_id"],
                                   realised["note"]):
        have = of_act.get(act, act_parties.iloc[:0])
        carried = {}
        for actor, role in zip(have["actor_id"], have["role"]):
            carried.setdefault(role, []).append(actor)
        for actor, role in zip(*(of_event.get(event, participants.iloc[:0])[c]
                                 for c in ("actor_id", "role"))):
            as_act = act_role("event_participants", role, cameo.get(act))
            if as_act is None or any(actor in reached[q] or q in reached[actor]
                                     for q in carried.get(as_act, ())):
                continue
            if isinstance(note, str) and re.search(rf"\b{re.escape(actor)}\b", note):
                continue  # the link states why the party is left out
            yield Violation("act_links", i, "to_id", act,
                            f"{event} realises {act}, which is coded in its stead but lacks "
                            f"its {role} {actor} as {as_act}: add the party to {act}, or name "
                            f"{actor} in the link's note with the reason")


def group_beside_member_as_first_written(frames: Frames) -> Iterator[Violation]:
    """Never a group beside its own member in one role (the codebook's decision rule g): no
    party of a commitment or act reaches, through actor_closure, another party of the same
    row in the same role."""
    # A group and an actor it reaches, side by side in one role: one of them is counted twice.
    closure = frames["actor_closure"]
    inner = closure[closure["depth"] > 0][["actor_id", "related_id"]]
    for table, key in (("commitment_parties", "commitment_id"), ("act_parties", "act_id")):
        parties = frames[table][[key, "actor_id", "role"]]
        shared = parties.assign(row=parties.index).merge(
            parties.rename(columns={"actor_id": "group_id"}), on=[key, "role"])
        hits = shared.merge(inner, left_on=["group_id", "actor_id"],
                            right_on=["actor_id", "related_id"], suffixes=("", "_closure"))
        for i, actor, group, row_id, role in zip(hits["row"], hits["actor_id"],
                                                 hits["group_id"], hits[key], hits["role"]):
            yield Violation(table, i, "actor_id", actor,
                            f"{group} reaches {actor} through actor_closure, and both are "
                            f"{role} of {row_id}: name the group or its member, not both "
                            f"(decision rule g)")


POOL = ["a", "b", "c", "d"]
ACTOR = st.sampled_from(POOL)
SPAN = st.integers(0, 12)
CAMEO = st.sampled_from(["036", "043", "032"])  # the first form failed on an act with none


def strings(columns: list[str], values: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.array([v[i] for v in values], dtype="string")
                         for i, c in enumerate(columns)},
                        index=pd.RangeIndex(len(values)) * 2)


def integers(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.astype({c: "Int64" for c in columns})


@st.composite
def who_acts(draw) -> dict:
    """Small tables of the rules of who acts: a few actors, groups, parties, spans, links."""
    closure = draw(st.lists(st.tuples(ACTOR, ACTOR, st.sampled_from(["0", "1", "2"])),
                            max_size=8, unique_by=lambda r: r[:2]))
    frames = {
        "actor_closure": integers(strings(["actor_id", "related_id", "depth"], closure), "depth"),
        "actor_members": strings(["actor_id"], [(a,) for a in draw(st.lists(ACTOR, max_size=3))]),
        "statements": integers(strings(["statement_id", "span_start", "span_end"], [
            ("s1", *map(str, draw(st.tuples(SPAN, SPAN)))),
            ("s2", *map(str, draw(st.tuples(SPAN, SPAN))))]), "span_start", "span_end"),
        "mentions": integers(strings(["actor_id", "span_start", "span_end"], [
            (a, str(s), str(e)) for a, s, e in draw(st.lists(st.tuples(ACTOR, SPAN, SPAN),
                                                             max_size=8))]),
            "span_start", "span_end"),
        "commitments": strings(["commitment_id", "kind", "statement_id"], draw(st.lists(
            st.tuples(st.sampled_from(["c1", "c2", "c3"]),
                      st.sampled_from(["intention", "pledge", "appeal"]),
                      st.sampled_from(["s1", "s2", "s9"])), max_size=4))),
        "commitment_parties": strings(["commitment_id", "actor_id", "role"], draw(st.lists(
            st.tuples(st.sampled_from(["c1", "c2", "c3"]), ACTOR,
                      st.sampled_from(["committer", "addressee"])),
            max_size=8, unique=True))),
        "act_parties": strings(["act_id", "actor_id", "role"], draw(st.lists(
            st.tuples(st.sampled_from(["x1", "x2"]), ACTOR, st.sampled_from(["actor", "recipient"])),
            max_size=8, unique=True))),
        "acts": strings(["act_id", "cameo_code"], [
            ("x1", draw(CAMEO)), ("x2", draw(CAMEO))]),
        "events": strings(["event_id"], [("e1",), ("e2",), ("x2",)]),
        "event_participants": strings(["event_id", "actor_id", "role"], draw(st.lists(
            st.tuples(st.sampled_from(["e1", "e2"]), ACTOR,
                      st.sampled_from(["withdrawing_party", "host", "visitor", "target"])),
            max_size=8, unique=True))),
        "act_links": strings(["from_id", "relation", "to_id", "note"], draw(st.lists(
            st.tuples(st.sampled_from(["e1", "e2", "x2", "e9"]),
                      st.sampled_from(["realises", "restates"]),
                      st.sampled_from(["x1", "x2", "x9"]),
                      st.sampled_from([None, "a is left out", "b, c: not party", "ab"])),
            max_size=4, unique_by=lambda r: r[:3]))),
    }
    return frames


@settings(max_examples=300, deadline=None)
@given(frames=who_acts())
def test_the_rules_of_who_acts_report_as_their_first_forms(frames):
    """``self_inclusive_calls``, ``realised_parties`` and ``group_beside_member``, which join
    each row to what it reaches instead of pairing rows of two tables, report what their first
    forms reported: the same rows, columns, values and messages, in the same order (a group
    beside its member: the same violations, in any order)."""
    from datapkg.rules import group_beside_member, realised_parties, self_inclusive_calls

    assert list(self_inclusive_calls(frames)) == \
        list(self_inclusive_calls_as_first_written(frames))
    assert list(realised_parties(frames)) == list(realised_parties_as_first_written(frames))
    assert sorted(group_beside_member(frames)) == \
        sorted(group_beside_member_as_first_written(frames))


# --- provenance rewritten for speed holds to its first form ----------------------------------

def wrong_spans_as_first_written(frame, start, end, text, texts):
    """``validate.wrong_spans`` as it was written first: a Python slice of the seed per span."""
    from datapkg.rules import among

    present = frame[[start, end, text]].notna()
    complete = present.all(axis=1)
    partial = frame.index[(present.any(axis=1) & ~complete).to_numpy()].tolist()
    seeds = pa.array(list(texts), pa.string(), from_pandas=True)
    checking = complete & among(frame["source_id"], seeds)
    checked = frame[["source_id", start, end, text]][checking]
    seed = pc.index_in(pa.array(checked["source_id"], from_pandas=True),
                       value_set=seeds).to_numpy()
    starts, ends = checked[start].to_numpy(np.int64), checked[end].to_numpy(np.int64)
    seed_texts = list(texts.values())
    seed_lengths = np.array([len(t) for t in seed_texts], np.int64)
    given = pa.array(checked[text], from_pandas=True)
    i, s, e = seed, starts, ends
    fits = ((0 <= s) & (s <= e) & (e <= seed_lengths[i]) &
            (e - s == pc.utf8_length(given).to_numpy(zero_copy_only=False)))
    slices = pa.array([seed_texts[k][a:b] for k, a, b in
                       zip(i.tolist(), s.tolist(), np.where(fits, e, s).tolist())], pa.string())
    same = pc.equal(given, slices).to_numpy(zero_copy_only=False) & fits
    return partial + checked.index[~same].tolist()


SEED_CHARACTERS = st.sampled_from("ab. é€😀“”\n")


@st.composite
def spans_on_seeds(draw):
    """Seeds of ASCII and wider characters, and spans on them: right, shifted, edited, out
    of their seed, of no seed, with missing cells; text columns cut into chunks."""
    texts = draw(st.dictionaries(st.sampled_from(["s1", "s2", "s3", "s4"]),
                                 st.text(SEED_CHARACTERS, max_size=6)
                                 | st.text(SEED_CHARACTERS, min_size=14, max_size=24),
                                 min_size=1))
    ids = [*texts, "none", None]
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        source = draw(st.sampled_from(ids))
        seed = texts.get(source, "abc")
        # any span, and long ones (more bytes than a string view holds)
        a = draw(st.integers(-1, len(seed) + 1) | st.integers(0, 1))
        b = draw(st.integers(-1, len(seed) + 1) | st.just(len(seed)))
        right = seed[max(a, 0):max(b, 0)]
        given = draw(st.sampled_from([right, right, right[:-1], right + "a", "é" + right[1:],
                                      right.replace("a", "b"), ""]))
        cells = [a, b, given]
        for gap in draw(st.sets(st.integers(0, 2), max_size=2)):
            cells[gap] = None
        rows.append((source, *cells))
    cuts = sorted({0, len(rows), *draw(st.lists(st.integers(0, len(rows)), max_size=3))})
    chunks = [pa.array([r[3] for r in rows[x:y]], pa.large_string())
              for x, y in zip(cuts, cuts[1:])]
    frame = pd.DataFrame({
        "source_id": pd.array([r[0] for r in rows], "string"),
        "span_start": pd.array([r[1] for r in rows], "Int64"),
        "span_end": pd.array([r[2] for r in rows], "Int64"),
        "text": pd.Series(pd.arrays.ArrowStringArray(
            pa.chunked_array(chunks, pa.large_string()))) if rows else pd.array([], "string")},
        index=pd.RangeIndex(len(rows)) * 2)
    as_bytes = draw(st.booleans())  # Seeds take the text or its UTF-8 bytes alike
    return frame, texts, {k: v.encode() if as_bytes else v for k, v in texts.items()}


@settings(max_examples=400, deadline=None)
@given(case=spans_on_seeds(), part_bytes=st.sampled_from([2**30, 1, 5]),
       row_block=st.sampled_from([2**18, 1, 3]), byte_block=st.sampled_from([2**22, 1, 5]))
def test_wrong_spans_are_found_as_their_first_form_finds_them(case, part_bytes, row_block,
                                                               byte_block):
    """``wrong_spans`` (code points mapped to bytes in NumPy, every span's bytes compared in
    Arrow with the seed's bytes where they lie) marks the rows its first form (a Python slice
    per span) marked, whatever the characters, the chunks, the seeds' parts and the blocks
    the rows and the seeds' bytes are looked at in."""
    from datapkg.validate import Seeds, wrong_spans

    frame, texts, given = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.validate.PART_BYTES", part_bytes)
        patch.setattr("datapkg.rules.ROW_BLOCK", row_block)
        patch.setattr("datapkg.validate.BYTE_BLOCK", byte_block)
        found = wrong_spans(frame, "span_start", "span_end", "text", Seeds.of(given))
    assert found == wrong_spans_as_first_written(frame, "span_start", "span_end", "text", texts)


def test_a_seed_that_is_not_utf8_is_compared_as_python_decodes_it(tmp_path):
    """A seed's bad byte is reported, and is a replacement character to the spans, as Python
    decodes it: the spans are still checked."""
    from datapkg.validate import seed_texts, wrong_spans

    data = b"ab\xffcd"
    sources = pd.DataFrame({"source_id": ["s"], "seed_path": ["seed.txt"],
                            "sha256": [__import__("hashlib").sha256(data).hexdigest()]})
    seeds, failures = seed_texts(tmp_path, sources, {"seed.txt": (data, sources.at[0, "sha256"])},
                                 "sources.csv")
    assert [(f.code, f.row, f.rule) for f in failures] == [
        ("seed-encoding", "source_id=s", "seed must be UTF-8: 'utf-8' codec can't decode byte "
                                         "0xff in position 2: invalid start byte")]
    assert seeds.text_of("s") == "ab\ufffdcd"
    frame = pd.DataFrame({"source_id": pd.array(["s", "s"], "string"),
                          "span_start": pd.array([1, 3], "Int64"),
                          "span_end": pd.array([4, 5], "Int64"),
                          "text": pd.array(["b\ufffdc", "\ufffdd"], "string")})
    assert wrong_spans(frame, "span_start", "span_end", "text", seeds) == [1]


@pytest.mark.parametrize("keep", [True, False])
def test_a_seed_named_by_two_sources_is_read_once_and_let_go_only_when_not_kept(tmp_path, keep):
    """Two sources rows may name one seed: each gets its text from the bytes already read
    (never the file again: it is gone here), and ``seeds`` is emptied only when not kept."""
    import hashlib

    from datapkg.validate import in_one_buffer, seed_texts

    good, bad = b"abc", b"ab\xffcd"
    digests = {"a.txt": hashlib.sha256(good).hexdigest(), "b.txt": hashlib.sha256(bad).hexdigest()}
    read = in_one_buffer({path: (data, digests[path])
                          for path, data in (("a.txt", good), ("b.txt", bad))})
    assert all(isinstance(data, memoryview) for data, _ in read.values())
    sources = pd.DataFrame({"source_id": ["s1", "s2", "s3"],
                            "seed_path": ["a.txt", "a.txt", "b.txt"],
                            "sha256": [digests["a.txt"], digests["a.txt"], digests["b.txt"]]})
    seeds, failures = seed_texts(tmp_path, sources, read, "sources.csv", keep=keep)
    assert [(f.code, f.row) for f in failures] == [("seed-encoding", "source_id=s3")]
    assert [seeds.text_of(s) for s in ("s1", "s2", "s3")] == ["abc", "abc", "ab\ufffdcd"]
    assert (read != {}) is keep


def test_tables_are_read_largest_csv_first_and_a_missing_csv_last(tmp_path):
    """Reading's order: by the CSV's size, largest first; a table whose CSV is missing last;
    the names given, each once."""
    from datapkg.validate import largest_first

    (tmp_path / "small.csv").write_bytes(b"a")
    (tmp_path / "large.csv").write_bytes(b"abc")
    (tmp_path / "middle.csv").write_bytes(b"ab")
    assert largest_first(tmp_path, ["small", "gone", "large", "middle"]) == \
        ["large", "middle", "small", "gone"]


@settings(max_examples=300, deadline=None)
@given(columns=st.lists(st.lists(st.none() | st.sampled_from(["a", "b", "c", "é"]), max_size=6),
                        min_size=1, max_size=3),
       candidates=st.lists(st.none() | st.sampled_from(["a", "b", "é"]), max_size=5),
       given_as=st.sampled_from(["list", "set", "series", "arrow"]),
       hashed=st.sampled_from([2**18, 1, 2]), most=st.sampled_from([8, 1, 2]))
def test_columns_looked_up_together_are_each_looked_up_as_pandas_isin(columns, candidates,
                                                                     given_as, hashed, most):
    """``among_each`` (the columns joined, the candidates hashed once, a block at a time,
    the blocks larger where there would be more than ``MOST_HASHES``) answers for each column
    what its ``isin`` answers, a null among nulls included."""
    from datapkg.rules import among_each

    series = [pd.Series(column, dtype="string") for column in columns]
    given_candidates = {"list": candidates, "set": set(candidates),
                        "series": pd.Series(candidates, dtype="string"),
                        "arrow": pa.chunked_array([candidates[:1], candidates[1:]],
                                                  pa.string())}[given_as]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.rules.KEYS_HASHED", hashed)
        patch.setattr("datapkg.rules.MOST_HASHES", most)
        found = among_each(series, given_candidates)
    assert [f.tolist() for f in found] == [s.isin(candidates).tolist() for s in series]


LABELS = (st.none() | st.integers(-1, 7) | st.integers(0, 7).map(float)
          | st.integers(0, 7).map(np.int64))  # as checks hold them, pandera's floats among them
TEXTS = st.none() | st.sampled_from(["s1", "a\nb", "é", ""])


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(st.tuples(TEXTS, st.none() | st.integers(0, 3), TEXTS), max_size=6),
       labels=st.lists(LABELS, max_size=8), start=st.sampled_from([0, 5]))
def test_row_keys_are_read_as_a_cell_at_a_time_reads_them(keys, labels, start):
    """``row_keys`` at ``row_positions`` (each key column read once for every label) gives
    each label the key a cell at a time gives it: ``column=value`` in the key's order, each
    value as ``key_text`` shows it (a null as <NA>, a newline escaped), and "" for None or a
    label the frame does not have."""
    from datapkg.validate import key_text, row_keys, row_positions

    table = TABLES["statement_attributions"]  # a key of a text, an integer and a text
    frame = pd.DataFrame({"statement_id": pd.array([k[0] for k in keys], dtype="string"),
                          "depth": pd.array([k[1] for k in keys], dtype="Int64"),
                          "actor_id": pd.array([k[2] for k in keys], dtype="string")},
                         index=pd.RangeIndex(start, start + len(keys)))
    expected = ["" if label is None or label not in frame.index else
                table.key_text({k: key_text(frame.at[label, k]) for k in table.primary_key})
                for label in labels]
    assert row_keys(table, frame, row_positions(frame, labels)) == expected


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(sorted(PANDAS_DTYPES)), data=st.data())
def test_cells_are_the_values_a_cell_at_a_time_reads(kind, data):
    """``cells`` (one column's values at many rows at once) gives, for each column type of
    the registry, what ``frame.at`` gives row by row, as a report shows it (``shown``) and as
    a key shows it (``key_text``): a null as pd.NA, a number as the same number."""
    from datapkg.validate import cells, key_text, row_positions, shown

    values = {"string": TEXTS, "integer": st.integers(-3, 3), "number": st.floats(-2, 2),
              "boolean": st.booleans(), "date": st.dates()}[kind]
    column = data.draw(st.lists(st.none() | values, min_size=1, max_size=6))
    frame = pd.DataFrame({"c": pd.array(column, dtype=PANDAS_DTYPES[kind])})
    labels = data.draw(st.lists(st.integers(0, len(column) - 1), max_size=6))
    read = cells(frame, "c", row_positions(frame, labels))
    one_by_one = [frame.at[label, "c"] for label in labels]
    assert [shown(v) for v in read] == [shown(v) for v in one_by_one]
    assert [key_text(v) for v in read] == [key_text(v) for v in one_by_one]


@pytest.mark.parametrize("candidates, hashed, most, sizes", [
    (10, 4, 8, [4, 4, 2]),  # below the bound: KEYS_HASHED each
    (10, 2, 2, [5, 5]),  # past it: MOST_HASHES hashes, larger
    (9, 2, 2, [5, 4]),  # the last one smaller
    (0, 4, 8, [0]),  # none: one lookup in nothing
])
def test_candidates_are_hashed_in_at_most_most_hashes_blocks(candidates, hashed, most, sizes):
    """``among_each`` hashes KEYS_HASHED candidates a block, in at most MOST_HASHES blocks:
    past that many, the blocks are larger, so that each value is looked up no more than
    MOST_HASHES times whatever the number of candidates."""
    from datapkg import rules

    hashed_sizes, look_up = [], pc.is_in

    def is_in(values, value_set):
        hashed_sizes.append(len(value_set))
        return look_up(values, value_set=value_set)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("datapkg.rules.KEYS_HASHED", hashed)
        patch.setattr("datapkg.rules.MOST_HASHES", most)
        patch.setattr(rules.pc, "is_in", is_in)
        found = rules.among_each([pd.Series(["0", "5", "x"], dtype="string")],
                                 [str(n) for n in range(candidates)])
    assert hashed_sizes == sizes
    assert found[0].tolist() == [candidates > 0, candidates > 5, False]


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.none() | st.sampled_from(["direct", "indirect", "é"]),
                                st.none() | st.sampled_from(["direct", "indirect", "é"])),
                      max_size=8),
       arrow=st.booleans())
def test_values_stated_alike_are_those_python_objects_find_not_different(pairs, arrow):
    """``stated_alike`` (compared in Arrow) is ``~(left != right)`` as object columns compare:
    a null is never alike, not even a null."""
    from datapkg.rules import stated_alike

    dtype = "string[pyarrow]" if arrow else "string"
    left, right = (pd.Series([pair[side] for pair in pairs], dtype=dtype) for side in (0, 1))
    expected = ~(left.astype(object) != right.astype(object))
    assert stated_alike(left, right).tolist() == expected.tolist()


def attribution_chains_as_first_written(frames):
    """``rules.attribution_chains`` as it was written first, with pandas' group-by (it raised
    on a null depth or statement id; its second form reports on)."""
    from datapkg.rules import Violation, among, where

    statements, links = frames["statements"], frames["statement_attributions"]
    for i in where(statements, ~among(statements["statement_id"], links["statement_id"])):
        yield Violation("statements", i, "statement_id", statements.at[i, "statement_id"],
                        "every statement needs an attribution chain")
    by_statement = links.groupby("statement_id")["depth"]
    deepest = by_statement.transform("max")
    gapless = (by_statement.transform("nunique") == deepest + 1) & \
        (by_statement.transform("min") == 0)
    first_of_chain = ~links["statement_id"].duplicated()
    for i in where(links, first_of_chain & ~gapless):
        yield Violation("statement_attributions", i, "depth",
                        sorted(links.loc[links["statement_id"] == links.at[i, "statement_id"],
                                         "depth"].unique().tolist()),
                        "depths of a chain run 0, 1, 2… without gaps")
    for i in where(links, links.duplicated(["statement_id", "actor_id"])):
        yield Violation("statement_attributions", i, "actor_id", links.at[i, "actor_id"],
                        "an actor appears twice in one chain: the chain loops")
    expected = pd.Series("reporter", index=links.index, dtype=object)
    expected[(links["depth"] == deepest).to_numpy()] = "speaker"
    expected[(links["depth"] == 0).to_numpy()] = "author"
    for i in where(links, links["role"] != expected):
        yield Violation("statement_attributions", i, "role", links.at[i, "role"],
                        f"role must be {expected[i]} (author at depth 0, speakers last, "
                        "reporters between)")


@settings(max_examples=400, deadline=None)
@given(links=st.lists(st.tuples(st.none() | st.sampled_from(["s1", "s2", "s3"]),
                                st.none() | st.integers(0, 3),
                                st.sampled_from(["ap", "wang", None]),
                                st.none() | st.sampled_from(["author", "speaker", "reporter"])),
                      max_size=9),
       statements=st.lists(st.sampled_from(["s1", "s2", "s4"]), max_size=3, unique=True),
       arrow=st.booleans())
def test_attribution_chains_report_as_their_first_form(links, statements, arrow):
    """The chains' depths and roles found in NumPy (one sort of each statement's depths) are
    reported as pandas' group-by found them; where the first form raised (a null depth or
    statement id), the second judges the links it can place as the first judges them alone
    (a chain's gap at its first placed link), and reports every loop."""
    from datapkg.rules import attribution_chains

    text = "string[pyarrow]" if arrow else "string"
    frame = pd.DataFrame(links, columns=["statement_id", "depth", "actor_id", "role"]).astype(
        {"statement_id": text, "depth": "Int64", "actor_id": text, "role": text})
    frame.index = pd.RangeIndex(10, 10 + len(frame))  # an index that is not the rows' places
    frames = {"statements": pd.DataFrame({"statement_id": pd.Series(statements, dtype=text)}),
              "statement_attributions": frame}
    got = list(attribution_chains(frames))
    try:
        assert got == list(attribution_chains_as_first_written(frames))
        return
    except (ValueError, TypeError):  # the first form met a null statement id or depth
        assert frame[["statement_id", "depth"]].isna().any(axis=None)
    # the links that have a place are judged as the first form judges them alone; a loop is
    # any repeated statement and actor
    placed = frame.dropna(subset=["statement_id", "depth"])
    alone = attribution_chains_as_first_written({**frames, "statement_attributions": placed})
    chains = [v for v in got if v.table == "statement_attributions" and v.column != "actor_id"]
    assert chains == [v for v in alone
                      if v.table == "statement_attributions" and v.column != "actor_id"]
    loops = frame.index[frame.duplicated(["statement_id", "actor_id"])].tolist()
    assert [v.index for v in got if v.column == "actor_id"] == loops


def edges_as_first_written(t):
    """``graph.edges`` as it was written first, in pandas: a mask over every mention for each
    statement, a group-by of the commitments' parties."""
    from datapkg.graph import SAYS, Edge

    counts = {}
    links, mentions = t["statement_attributions"], t["mentions"]
    speakers = links[links["role"] == "speaker"].groupby("statement_id")["actor_id"]
    spoken = dict(list(speakers))
    for row in t["statements"].itertuples():
        inside = mentions[(mentions["span_start"] >= row.span_start)
                          & (mentions["span_end"] <= row.span_end)]
        for speaker in spoken.get(row.statement_id, ()):
            for about in sorted(set(inside["actor_id"]) - {speaker}):
                counts[(speaker, about, SAYS)] = counts.get((speaker, about, SAYS), 0) + 1
    for _, group in t["commitment_parties"].groupby("commitment_id", sort=True):
        others = group[group["role"] != "committer"]
        for committer in group[group["role"] == "committer"]["actor_id"]:
            for other in others.itertuples():
                key = (committer, other.actor_id, f"commits, with it as {other.role}")
                counts[key] = counts.get(key, 0) + 1
    return [Edge(a, b, r, n) for (a, b, r), n in sorted(counts.items())]


ACTOR = st.sampled_from(["china", "pakistan", "ap", "wang"])
SPAN = st.integers(0, 40)


@settings(max_examples=300, deadline=None)
@given(statements=st.lists(st.tuples(st.none() | SPAN, st.none() | st.integers(0, 10),
                                     st.booleans()), max_size=5),
       speakers=st.lists(st.tuples(st.none() | st.integers(0, 5), st.none() | ACTOR,
                                   st.none() | st.sampled_from(["speaker", "author"])),
                         max_size=8),
       mentions=st.lists(st.tuples(st.none() | ACTOR, st.none() | SPAN, st.integers(0, 5)),
                         max_size=10),
       parties=st.lists(st.tuples(st.none() | st.sampled_from(["c1", "c2"]), st.none() | ACTOR,
                                  st.none() | st.sampled_from(["committer", "addressee"])),
                        max_size=8))
def test_the_graph_s_edges_are_its_first_form_s(statements, speakers, mentions, parties):
    """Who says what about whom, and who commits with whom, found row by row in Python, are
    the edges pandas' masks and group-by found; a null (which a valid package never holds)
    makes a row say nothing, where the first form raised on some."""
    from datapkg.graph import edges

    def ints(values):
        return pd.array(values, dtype="Int64")

    text = "string[pyarrow]"
    t = {"statements": pd.DataFrame({
            "statement_id": pd.Series([f"st{i}" if named else None
                                       for i, (_, _, named) in enumerate(statements)], dtype=text),
            "span_start": ints([s for s, _, _ in statements]),
            "span_end": ints([None if s is None or n is None else s + n
                              for s, n, _ in statements])}),
         "statement_attributions": pd.DataFrame(
             [(None if i is None else f"st{i}", actor, role) for i, actor, role in speakers],
             columns=["statement_id", "actor_id", "role"]).astype(text),
         "mentions": pd.DataFrame({
             "actor_id": pd.Series([a for a, _, _ in mentions], dtype=text),
             "span_start": ints([s for _, s, _ in mentions]),
             "span_end": ints([None if s is None else s + n for _, s, n in mentions])}),
         "commitment_parties": pd.DataFrame(
             parties, columns=["commitment_id", "actor_id", "role"]).astype(text)}
    found = edges(t)
    try:
        first = edges_as_first_written(t)
    except (TypeError, ValueError):  # a null it could not compare
        return
    if not any(e.source is pd.NA or e.target is pd.NA for e in first):  # a null actor's edge
        assert found == first


def chain_text_as_first_written(statement_id, links, names):
    """``render.chain_texts``'s first form, one statement at a time."""
    chain = links[links["statement_id"] == statement_id].sort_values(
        "depth", ascending=False, kind="stable")
    levels = []
    for _, level in chain.groupby("depth", sort=False):
        levels.append(" + ".join(names.get(a, a) for a in level["actor_id"]))
    return " ← ".join(levels)


@settings(max_examples=200, deadline=None)
@given(links=st.lists(st.tuples(st.none() | st.sampled_from(["s1", "s2"]),
                                st.none() | st.integers(0, 3), st.none() | ACTOR), max_size=8))
def test_each_statement_s_chain_is_its_first_form_s(links):
    """The chains of a page's statements, found in one pass, are each statement's chain as
    its own mask, sort and group-by found it; a link with a null says nothing (where the
    first form raised)."""
    from datapkg.render import chain_texts

    frame = pd.DataFrame(links, columns=["statement_id", "depth", "actor_id"]).astype(
        {"statement_id": "string", "depth": "Int64", "actor_id": "string"})
    names = {"china": "China", "ap": "AP"}
    chains = chain_texts(frame, names)
    complete = frame.dropna()
    for statement in ("s1", "s2"):
        assert chains.get(statement, "") == chain_text_as_first_written(statement, complete,
                                                                         names)
