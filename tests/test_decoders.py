"""Every decoder is bounded by the bytes it produces, never by what a header claims: the
Parquet skim (``datapkg/parquetbounds.py``) against files rewritten as an attacker would
rewrite them (with the tests' own Thrift codec), the loader's bound on expanded dictionaries,
and validation's spans and CSV headers. The hostile catalogue runs the same attacks as
commands, under its memory ceiling."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import thrift_compact as thrift

from datapkg.errors import ColumnCount, DecodeBomb, LoadError
from datapkg.loader import expanded_bytes, parse_table
from datapkg.parquetbounds import FOOTER_SLACK, check_parquet, footer_chunks, page_bytes
from datapkg.registry import TABLES
from datapkg.typemap import arrow_schema
from datapkg.validate import SHOWN, UTF8_CHUNK, Seeds, csv_header, utf8_error, wrong_spans

DATA = Path(__file__).resolve().parent.parent / "data"
PARQUET = sorted(DATA.glob("*.parquet"))
ACTORS = TABLES["actors"]


def check(data: bytes, name: str = "actors") -> pa.Table:
    """The file parsed as the loader parses it: checked from its bytes, then decoded."""
    return parse_table(data, name, "parquet", "t.parquet")


def edit_footer(data: bytes, change) -> bytes:
    body, footer = thrift.split_parquet(data)
    change(footer)
    return thrift.join_parquet(body, footer)


def written(table: pa.Table, **options) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def actors(**changes) -> pa.Table:
    rows = pq.read_table(DATA / "actors.parquet").to_pylist()
    for row in rows:
        row.update(changes)
    return pa.Table.from_pylist(rows, schema=arrow_schema(ACTORS))


# --- the footer and the pages, as Arrow reads them ----------------------------------------

@pytest.mark.parametrize("path", PARQUET, ids=lambda p: p.stem)
def test_the_skim_finds_the_pages_and_sizes_the_codec_finds(path):
    data = path.read_bytes()
    check(data, path.stem)
    body = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
    columns = TABLES[path.stem].columns
    rows, names, chunks = footer_chunks(data, body, len(data) - 8, len(columns))
    _, footer = thrift.split_parquet(data)
    metas = list(thrift.column_chunks(footer))
    assert rows == footer[3][1] and names == columns and len(chunks) == len(metas)
    for (start, end, values), meta in zip(chunks, metas):
        assert (start, end - start, values) == (thrift.chunk_start(meta), meta[7][1], meta[5][1])
        pages = [header for header, _, _ in thrift.page_headers(data, meta)]
        assert page_bytes(data, start, end, values) == (
            sum(header[2][1] for header in pages), any(header[1][1] == 2 for header in pages))


def understated_footer(data: bytes) -> bytes:
    """The file with every column chunk's total_uncompressed_size set to its compressed
    size."""
    def change(footer):
        for meta in thrift.column_chunks(footer):
            meta[6] = (thrift.I64, meta[7][1])
    return edit_footer(data, change)


def test_pages_beyond_the_cap_are_refused_whatever_the_footer_says():
    data = understated_footer(written(actors(note="a" * (4 * 2**20)), compression="zstd"))
    assert len(data) * 64 + 2**20 < 4 * 2**20  # the cap is below what one page holds
    with pytest.raises(DecodeBomb, match="pages decompress to more than"):
        check(data)


def test_the_footers_totals_are_never_read():
    data = (DATA / "actors.parquet").read_bytes()
    for total in (0, 2**62):
        lying = edit_footer(data, lambda f, t=total: [m.update({6: (thrift.I64, t)})
                                                      for m in thrift.column_chunks(f)])
        assert check(lying).equals(check(data))


def test_a_page_header_that_understates_leaves_arrow_a_buffer_too_small():
    """The buffer Arrow decompresses a page into is the size its header states: a header that
    understates gets a decompression error, never more memory."""
    data = written(actors(note="a" * (4 * 2**20)), compression="zstd")
    lying = thrift.rewrite_pages(understated_footer(data),
                                 lambda header: header.update({2: header[3]}))
    with pytest.raises(LoadError, match="cannot read table"):
        check(lying)


def dictionary_bomb(table: pa.Table, column: str, n: int = 2048) -> pa.Table:
    """``n`` copies of the table's first row, every one holding the same 64 KiB string in
    ``column``, stored once in a dictionary."""
    columns = [pa.repeat(table.column(i)[0], n) for i in range(table.num_columns)]
    columns[table.schema.get_field_index(column)] = pa.DictionaryArray.from_arrays(
        pa.array([0] * n, pa.int32()), pa.array(["a" * 2**16]))
    return pa.table(columns, names=table.column_names)


def test_values_expanded_from_a_dictionary_are_bounded():
    data = written(dictionary_bomb(actors(), "note"), compression="zstd")
    assert len(data) * 1024 + 2**20 < 2048 * 2**16
    with pytest.raises(DecodeBomb, match="values expand to"):
        check(data)


def test_a_dictionary_is_found_by_its_column_s_name_and_whatever_its_type():
    """Columns out of order (the loader reads them by name) and a dictionary of strings in
    a column the registry types as an integer: each is named as a column with a dictionary,
    so that it is read as one."""
    bomb = dictionary_bomb(actors(), "note")
    reordered = written(bomb.select(["note", *[c for c in bomb.column_names if c != "note"]]))
    assert "note" in check_parquet(reordered, len(ACTORS.fields), "t.parquet")
    with pytest.raises(DecodeBomb, match="values expand to"):
        check(reordered)
    passages = pq.read_table(DATA / "passages.parquet")
    passages = passages.set_column(passages.schema.get_field_index("seq"), "seq",
                                   passages.column("seq").cast(pa.string()))
    mistyped = written(dictionary_bomb(passages, "seq"))
    assert "seq" in check_parquet(mistyped, len(TABLES["passages"].fields), "t.parquet")
    with pytest.raises(DecodeBomb, match="values expand to"):
        check(mistyped, "passages")


def test_expanded_bytes_counts_each_row_s_string_once_per_row():
    entry = "é" * 50  # 100 bytes
    indices = pa.array([0, None, 0, 0], pa.int32())
    table = pa.table({"s": pa.DictionaryArray.from_arrays(indices, pa.array([entry])),
                      "n": pa.array([1, 2, 3, 4], pa.int64())})
    assert expanded_bytes(table) == 3 * 100 + 4 * 5 + table.column("n").nbytes


@pytest.mark.parametrize("options", [
    dict(data_page_version="2.0"), dict(row_group_size=7), dict(compression="snappy"),
    dict(use_dictionary=False), dict(data_page_size=64, write_batch_size=4),
    dict(column_encoding={"note": "DELTA_LENGTH_BYTE_ARRAY"}, use_dictionary=False),
], ids=str)
def test_files_that_arrow_writes_otherwise_pass(options):
    table = actors()
    assert check(written(table, **options)).equals(check(written(table)))


def test_an_empty_table_passes():
    assert check(written(actors().slice(0, 0))).num_rows == 0


def test_a_page_whose_values_may_outgrow_it_is_refused():
    data = written(actors(), use_dictionary=False, column_encoding={"note": "DELTA_BYTE_ARRAY"})
    with pytest.raises(LoadError, match="DELTA_BYTE_ARRAY"):
        check(data)


def schema_with_one_more_column(footer):
    footer[2][1][1].append(footer[2][1][1][-1])


def row_group_short_of_a_chunk(footer):
    footer[4][1][1][0][1][1][1].pop()


def empty_row_group(footer):
    footer[4][1][1].append({1: footer[4][1][1][0][1], 2: (thrift.I64, 0), 3: (thrift.I64, 0)})


def rows_not_their_sum(footer):
    footer[3] = (thrift.I64, footer[3][1] + 1)


def chunk_in_another_file(footer):
    chunk = footer[4][1][1][0][1][1][1][0]
    chunk.clear()
    chunk.update({1: (thrift.BINARY, b"elsewhere.parquet"), 2: (thrift.I64, 4)})


def chunk_past_the_pages(footer):
    next(thrift.column_chunks(footer))[7] = (thrift.I64, 2**40)


def chunk_with_too_few_values(footer):
    meta = next(thrift.column_chunks(footer))
    meta[5] = (thrift.I64, meta[5][1] - 1)


def pages_with_too_few_values(footer):
    """Every count says one row fewer, but the pages hold them all."""
    footer[3] = (thrift.I64, footer[3][1] - 1)
    footer[4][1][1][0][3] = (thrift.I64, footer[3][1])
    for meta in thrift.column_chunks(footer):
        meta[5] = (thrift.I64, footer[3][1])


def nested_column(footer):
    meta = next(thrift.column_chunks(footer))
    meta[3] = (thrift.LIST, (thrift.BINARY, [b"a", b"b"]))


def structs_nested_deep(footer):
    inner = {}
    for _ in range(200):  # deeper than the skim allows, within Python's recursion
        inner = {1: (thrift.STRUCT, inner)}
    footer[99] = (thrift.STRUCT, inner)


def lists_nested_deep(footer):
    """Lists of one list, 100,000 deep (written out: too deep for the codec's recursion)."""
    one_list = bytes([1 << 4 | thrift.LIST])
    footer[99] = (thrift.LIST, thrift.Encoded(one_list * 100_000 + bytes([thrift.I32])))


def rows_per_byte(footer):
    n = 2**40
    footer[3] = footer[4][1][1][0][3] = (thrift.I64, n)
    for meta in thrift.column_chunks(footer):
        meta[5] = (thrift.I64, n)


def footer_of_two_mib(footer):
    footer[5][1][1].append({1: (thrift.BINARY, b"padding"),
                            2: (thrift.BINARY, b" " * (2 * FOOTER_SLACK))})


@pytest.mark.parametrize("change, error, words", [
    (schema_with_one_more_column, ColumnCount, "its schema has"),
    (row_group_short_of_a_chunk, LoadError, "column chunks"),
    (empty_row_group, LoadError, "1 of them empty"),
    (rows_not_their_sum, LoadError, "its footer says"),
    (chunk_in_another_file, LoadError, "in another file"),
    (chunk_past_the_pages, LoadError, "outside the file's pages"),
    (chunk_with_too_few_values, LoadError, "one value per row"),
    (pages_with_too_few_values, LoadError, "pages hold"),
    (nested_column, LoadError, "top-level column"),
    (structs_nested_deep, LoadError, "nested more than"),
    (lists_nested_deep, LoadError, "nested more than"),
    (rows_per_byte, DecodeBomb, "per byte"),
    (footer_of_two_mib, DecodeBomb, "whose footer takes"),
], ids=lambda x: getattr(x, "__name__", ""))
def test_a_footer_out_of_shape_is_refused_before_arrow_parses_it(change, error, words):
    data = edit_footer((DATA / "actors.parquet").read_bytes(), change)
    with pytest.raises(error, match=words) as caught:
        check(data)
    assert not isinstance(caught.value, DecodeBomb) or error is DecodeBomb


# Thrift's C++ reader (Arrow's) reads a field id as 16 bits: 65,536 more is the same field.
WRAP = 2**16


def test_a_field_id_beyond_16_bits_is_read_as_arrow_reads_it():
    """Row groups hidden behind a field id that wraps to 4: Arrow reads them as the row
    groups, and so does the skim."""
    empty = {2: (thrift.I64, 0)}
    hidden = {1: (thrift.LIST, (thrift.STRUCT, [empty] * 1000)), 2: (thrift.I64, 0),
              3: (thrift.I64, 0)}
    data = edit_footer((DATA / "actors.parquet").read_bytes(), lambda footer: footer.update(
        {4 + WRAP: (thrift.LIST, (thrift.STRUCT, [hidden]))}))
    assert pq.read_metadata(pa.BufferReader(data)).row_group(0).num_columns == 1000
    with pytest.raises(LoadError, match="1000 column chunks"):
        check(data)


def test_a_repeated_field_counts_as_for_arrow():
    """A column chunk's metadata given twice, the first with a dictionary page at the file's
    first page: Thrift's C++ reader adds the second to the first, so Arrow reads the chunk
    from there, and the skim walks the pages it reads."""
    original = written(actors(), use_dictionary=False)

    def repeat(footer):
        chunk = footer[4][1][1][0][1][1][1][1]
        assert 11 not in chunk[3][1]
        real = chunk.pop(3)
        chunk[3] = (thrift.STRUCT, {**real[1], 11: (thrift.I64, 4)})
        chunk[3 + WRAP] = real  # after the first, read as field 3
    data = edit_footer(original, repeat)
    assert check(data).column(1).equals(check(original).column(0))
    body = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
    _, _, chunks = footer_chunks(data, body, len(data) - 8, len(ACTORS.fields))
    assert chunks[1][0] == 4


def test_a_field_of_another_type_than_arrow_reads_is_refused():
    """A dictionary page offset written as a 32-bit integer: Arrow would skip it."""
    def change(footer):
        meta = next(thrift.column_chunks(footer))
        meta[11] = (thrift.I32, meta[11][1])
    with pytest.raises(LoadError, match="Thrift type"):
        check(edit_footer((DATA / "actors.parquet").read_bytes(), change))


def test_a_page_s_count_is_read_from_the_header_of_its_type():
    """A data page that also carries a version 2 header claiming no values: Arrow counts the
    values of its version 1 header, and so does the skim."""
    data = (DATA / "actors.parquet").read_bytes()

    def change(header):
        if header[1][1] == 0:
            header[8] = (thrift.STRUCT, {n: (thrift.I32, 0) for n in range(1, 7)})
    assert check(thrift.rewrite_pages(data, change)).equals(check(data))


@pytest.mark.parametrize("data", [
    b"", b"PAR1", b"PAR1" + b"\0" * 8 + b"PAR1", (DATA / "actors.parquet").read_bytes()[:-1],
    (DATA / "actors.parquet").read_bytes()[:-8] + (2**31).to_bytes(4, "little") + b"PAR1",
], ids=["empty", "magic", "empty footer", "truncated", "footer longer than the file"])
def test_what_is_no_parquet_file_is_refused(data):
    with pytest.raises(LoadError) as caught:
        check(data)
    assert not isinstance(caught.value, DecodeBomb)


@pytest.mark.parametrize("path", [DATA / "actors.parquet", DATA / "statements.parquet"],
                         ids=lambda p: p.stem)
def test_any_byte_changed_gets_a_load_error_or_passes_the_skim(path):
    """A thousand random bytes changed, one at a time, in the footer and the page headers:
    the skim answers each with a LoadError or lets it through, never another exception."""
    original = path.read_bytes()
    rng = random.Random(path.stem)
    _, footer = thrift.split_parquet(original)
    headers = [range(at, after) for meta in thrift.column_chunks(footer)
               for _, at, after in thrift.page_headers(original, meta)]
    footer_start = len(original) - 8 - int.from_bytes(original[-8:-4], "little")
    places = [i for r in headers for i in r] + list(range(footer_start, len(original) - 8))
    name = path.stem
    for _ in range(1000):
        data = bytearray(original)
        data[rng.choice(places)] = rng.randrange(256)
        try:
            check_parquet(bytes(data), len(TABLES[name].fields), "t.parquet")
        except LoadError:
            pass


# --- spans and CSV headers ------------------------------------------------------------------

def test_a_span_is_measured_before_it_is_sliced():
    seed = "abcdef"
    spans = [(0, 3, "abc"), (4, 9, "ef"), (-2, 6, "ef"), (2, 4, "cde"), (1, 2, "b"),
             (3, 1, ""), (6, 6, "")]
    frame = pd.DataFrame({
        "source_id": pd.array(["s"] * len(spans), "string"),
        "span_start": pd.array([s for s, _, _ in spans], "Int64"),
        "span_end": pd.array([e for _, e, _ in spans], "Int64"),
        "text": pd.array([t for _, _, t in spans], "string")})
    wrong = wrong_spans(frame, "span_start", "span_end", "text", Seeds.of({"s": seed}))
    # past the seed's end, before its start, longer than its span, backwards
    assert sorted(wrong) == [1, 2, 3, 5]


def test_a_csv_header_is_looked_for_within_the_longest_header():
    columns = ACTORS.columns
    assert csv_header((",".join(columns) + "\nx,y\n").encode(), columns) == columns
    quoted = ",".join(f'"{c}"' for c in columns)
    assert csv_header(quoted.encode(), columns) == columns  # no line break: the file is one line
    longest = len(quoted) + 1 + SHOWN
    for endless in (b'"ab",' * 10**6, "é".encode() * 10**6):
        header = csv_header(endless, columns)
        assert len(",".join(header)) <= longest and header != columns


@pytest.mark.parametrize("position", [0, 7, UTF8_CHUNK - 1, UTF8_CHUNK, UTF8_CHUNK + 1,
                                      3 * UTF8_CHUNK + 5, -1])
def test_a_byte_that_is_not_utf8_is_named_as_python_names_it(position):
    data = bytearray(("aé€" * UTF8_CHUNK).encode())[:3 * UTF8_CHUNK + 10]
    data = bytes(data[:position] + b"\xff" + data[position + 1:] if position >= 0
                 else data[:-1] + "é".encode()[:1])
    with pytest.raises(UnicodeDecodeError) as python:
        data.decode("utf-8")
    assert utf8_error(data) == str(python.value)


def test_a_small_package_is_checked_on_one_thread():
    """Below PARALLEL_ROWS rows two checking threads only take turns at the GIL: one runs
    the checks; from there on, CHECKERS run at once."""
    from datapkg.validate import CHECKERS, PARALLEL_ROWS, checkers

    small = {"a": pd.DataFrame({"x": range(PARALLEL_ROWS - 2)}), "b": pd.DataFrame({"x": [1]})}
    assert checkers(small) == 1
    small["b"] = pd.DataFrame({"x": [1, 2]})
    assert checkers(small) == CHECKERS > 1


@pytest.mark.parametrize("part_bytes", [2**30, 1])
def test_a_long_span_is_compared_in_its_own_seeds_part(part_bytes, monkeypatch):
    """Spans longer than a string view holds point into the part of the seeds' bytes their
    seed lies in: right and wrong ones are told apart in every seed, whatever the parts."""
    monkeypatch.setattr("datapkg.validate.PART_BYTES", part_bytes)
    seeds = Seeds.of({"s1": "a" * 24 + "é", "s2": "“b" + "b" * 30 + "”", "s3": "c" * 40})
    spans = [("s2", 1, 21, "b" * 20), ("s2", 0, 20, "“" + "b" * 19), ("s3", 5, 30, "c" * 25),
             ("s1", 2, 25, "a" * 22 + "é"), ("s2", 1, 21, "b" * 19 + "c"),
             ("s3", 5, 30, "c" * 24 + "b"), ("s1", 0, 20, "b" * 20)]
    frame = pd.DataFrame({
        "source_id": pd.array([s for s, _, _, _ in spans], "string"),
        "span_start": pd.array([a for _, a, _, _ in spans], "Int64"),
        "span_end": pd.array([b for _, _, b, _ in spans], "Int64"),
        "text": pd.array([t for _, _, _, t in spans], "string")})
    assert wrong_spans(frame, "span_start", "span_end", "text", seeds) == [4, 5, 6]


@pytest.mark.parametrize("data", [b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xe2\x82",
                                  "é€😀".encode(), b""])
def test_a_seed_is_taken_as_it_is_only_where_python_would_decode_it(data):
    """Seed bytes are compared as they are where Arrow finds them UTF-8, else as Python
    decodes them (each bad byte a replacement character): the two agree on surrogates,
    overlong forms, code points past U+10FFFF and cut characters."""
    from datapkg.loader import is_utf8

    try:
        data.decode("utf-8")
        python = True
    except UnicodeDecodeError:
        python = False
    assert is_utf8(data) == python
