"""The loader: declared dtypes from Parquet and CSV alike, text kept as text, light imports."""

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from damage import text_not_utf8

import datapkg
from datapkg.errors import LoadError
from datapkg.publish import write_csv, write_parquet
from datapkg.registry import TABLES
from datapkg.typemap import arrow_schema, pandas_dtypes


def test_every_table_has_the_declared_dtypes_from_both_formats():
    from_parquet, from_csv = datapkg.load(), datapkg.load(format="csv")
    assert list(from_parquet) == list(TABLES)
    for name, table in TABLES.items():
        expected = pandas_dtypes(table)
        assert from_parquet[name].dtypes.to_dict() == expected, name
        pd.testing.assert_frame_equal(from_parquet[name], from_csv[name])


def test_types_survive_a_round_trip_through_csv_and_parquet(tmp_path):
    table = TABLES["figures"]
    row = {f.name: None for f in table.fields}
    row.update(source_id="999_0123456789abcdef", figure_id="999.f01", span_start=0, span_end=4,
               text="NA", kind="range", low=2500.0, high=3500.5, unit="null",
               counted="“curly” quotes… and\xa0a non-breaking space", approximate=False,
               date_resolved=dt.date(2021, 9, 11), note="None")
    arrow = pa.Table.from_pylist([row], schema=arrow_schema(table))
    write_csv(arrow, tmp_path / "figures.csv")
    write_parquet(arrow, tmp_path / "figures.parquet")
    frames = [datapkg.load_table("figures", format=f, path=tmp_path, verify=False)
              for f in ("csv", "parquet")]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    got = frames[0].iloc[0]
    assert (got["text"], got["unit"], got["note"]) == ("NA", "null", "None")
    assert got["counted"] == "“curly” quotes… and\xa0a non-breaking space"
    assert got["span_start"] == 0 and frames[0]["span_start"].dtype == "Int64"
    assert pd.isna(got["value"]) and got["low"] == 2500.0 and got["high"] == 3500.5
    assert frames[0]["approximate"].tolist() == [False]
    assert got["date_resolved"] == dt.date(2021, 9, 11)
    assert pd.isna(got["statement_id"])


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize("dictionaries", [False, True])
def test_a_parsed_table_is_given_its_schema_as_a_cast_gives_it(name, dictionaries):
    """``typed_as`` gives a parsed table the registry's schema as ``Table.cast`` does (the
    same columns, names, types, nullability and metadata), its text as parsed or read as
    dictionaries (as a Parquet file's are), which it casts; to a schema with a required
    field it casts the whole table, so that a null there is refused as a cast refuses it."""
    from datapkg.loader import nullable_schema, read_arrow, typed_as

    parsed = read_arrow(datapkg.data_dir() / f"{name}.csv", name, "csv")
    plain = pa.Table.from_arrays([column.dictionary_encode() if dictionaries and
                                  pa.types.is_string(column.type) else column
                                  for column in parsed.columns],
                                 names=parsed.column_names)  # as parsed: no metadata
    schema = nullable_schema(name)
    typed = typed_as(plain, schema)
    assert typed.equals(plain.cast(schema)) and typed.schema.equals(schema, check_metadata=True)
    encoded = any(pa.types.is_dictionary(column.type) for column in plain.columns)
    assert encoded == (dictionaries and any(f.type == "string" for f in TABLES[name].fields))
    required = arrow_schema(TABLES[name])
    column = next((f.name for f in TABLES[name].fields if f.required), None)
    if column is not None and len(plain):
        at = plain.column_names.index(column)
        holed = plain.set_column(at, column, pa.nulls(len(plain), plain.schema.field(at).type))
        with pytest.raises(ValueError, match="null"):
            typed_as(holed, required)


def test_unknown_table_lists_the_valid_names():
    with pytest.raises(KeyError, match="valid tables: sources, source_fields, passages"):
        datapkg.load_table("actor")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="valid formats: parquet, csv"):
        datapkg.load_table("actors", format="xlsx")


@pytest.mark.parametrize("folder", ["/some/dir", "data/", ".", Path("pkg")])
def test_a_folder_given_as_the_format_is_told_to_be_the_path(folder):
    """load's first argument is the format: a folder there is named back as path=."""
    with pytest.raises(ValueError, match=re.escape(f"pass it as path=: path={str(folder)!r}")):
        datapkg.load(folder)
    with pytest.raises(ValueError) as raised:
        datapkg.load("xlsx")
    assert "path=" not in str(raised.value)


def test_missing_file_is_a_clear_error(package):
    (package / "actors.parquet").unlink()
    with pytest.raises(LoadError, match="actors.parquet: file not found"):
        datapkg.load_table("actors", path=package)


def test_symlinked_file_is_refused(tmp_path, package):
    (tmp_path / "elsewhere").mkdir()
    (package / "actors.csv").rename(tmp_path / "elsewhere" / "actors.csv")
    (package / "actors.csv").symlink_to(tmp_path / "elsewhere" / "actors.csv")
    with pytest.raises(LoadError, match="refusing a file that is a link"):
        datapkg.load_table("actors", format="csv", path=package)


@pytest.mark.parametrize("change", [
    {"path": ["actors.parquet"]}, {"hash": {"sha256": "0"}}, {"bytes": "12"}, {"bytes": True},
], ids=["path a list", "hash an object", "bytes a string", "bytes a boolean"])
def test_a_resource_of_the_wrong_json_type_promises_nothing(package, change):
    """A resource whose path, hash or bytes is not of its JSON type is read as no promise at
    all: its file is refused with the reason, and the other tables still load."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["path"] == "actors.parquet").update(change)
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(LoadError, match="states no sha256 for actors.parquet"):
        datapkg.load_table("actors", path=package)
    assert len(datapkg.load_table("events", path=package))


@pytest.mark.parametrize("document", ["[]", '{"resources": {"a": 1}}', '{"resources": 1}'])
def test_a_descriptor_without_a_list_of_resources_is_unreadable(package, document):
    (package / "datapackage.json").write_text(document)
    with pytest.raises(LoadError, match="not a readable package descriptor"):
        datapkg.load_table("actors", path=package)


def test_a_csv_that_is_not_utf8_is_refused_whatever_cell_holds_the_byte(package):
    """The parser leaves the text cells unchecked: the file is checked as UTF-8 whole."""
    path = package / "actors.csv"
    header, first, rest = path.read_bytes().split(b"\n", 2)
    name = first.split(b",")[1]  # the first row's second cell, a quoted name
    path.write_bytes(b"\n".join([header, first.replace(name, name[:3] + b"\xff" + name[3:]),
                                 rest]))
    with pytest.raises(LoadError, match="actors.csv: cannot read table 'actors' as csv: it "
                                        "is not UTF-8"):
        datapkg.load_table("actors", format="csv", path=package, verify=False)


def test_a_parquet_text_that_is_not_utf8_is_refused(package):
    """Parquet's decoder leaves texts unchecked: the loader checks them before pandas reads
    them as Python strings (which raised UnicodeDecodeError)."""
    text_not_utf8(package, "actors", "name")
    with pytest.raises(LoadError, match="actors.parquet: cannot read table 'actors' as "
                                        "parquet: column 'name' holds text that is not UTF-8"):
        datapkg.load_table("actors", path=package)


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True).stdout


def test_import_reads_nothing_and_loads_lightly():
    out = run("import sys, datapkg; print(sorted(m for m in ('pandas', 'pyarrow', 'pandera', "
              "'frictionless') if m in sys.modules))")
    assert out.strip() == "[]"
    out = run("import sys, datapkg; datapkg.load(); datapkg.load(format='csv'); "
              "print(sorted(m for m in ('pandera', 'frictionless') if m in sys.modules))")
    assert out.strip() == "[]"


# A process that reads, validates and rebuilds the package, then prints how many threads it
# started that are still running: all but jemalloc's own (which no thread pool owns), with
# Arrow's I/O pool held to the one thread that any CSV read starts.
THREADS_LEFT = """
import os, time
from pathlib import Path
import pyarrow as pa, pyarrow.csv as pacsv
pa.set_io_thread_count(1)
pacsv.read_csv(pa.BufferReader(b"a\\n1\\n"), read_options=pacsv.ReadOptions(use_threads=False))
def threads():
    return {t for t in os.listdir("/proc/self/task")
            if Path(f"/proc/self/task/{t}/comm").read_text().strip() != "jemalloc_bg_thd"}
before = threads()
import datapkg
from datapkg.checkout import validate_checkout
datapkg.load(); datapkg.load(format="csv")
assert validate_checkout() == []
for _ in range(20):  # a thread joined a moment ago may still be listed; Arrow's never end
    left = threads() - before
    if not left:
        break
    time.sleep(0.1)
print(len(left))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads listed by Linux only")
def test_reading_validating_and_rebuilding_leave_no_worker_in_arrow_s_thread_pools():
    """A worker left in Arrow's pool of CPU threads can abort the interpreter at its exit
    ("terminate called without an active exception"), after `datapkg.load()` in about one
    run of 300: every parse and conversion runs on the caller's thread."""
    assert run(THREADS_LEFT).strip() == "0"


def test_commands_that_read_parquet_never_abort_the_interpreter_at_exit():
    """With Arrow's threaded Parquet reader, `datapkg cite` (validation, then one more read)
    aborted at exit in about three runs of ten ("terminate called without an active
    exception"); sixteen runs, two at a time."""
    command = [sys.executable, "-m", "datapkg", "cite", "--format", "plain"]
    codes = []
    for _ in range(8):
        pair = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(2)]
        codes += [child.wait() for child in pair]
    assert codes == [0] * 16


def test_an_article_that_is_not_utf8_is_refused_naming_its_file(package):
    source = datapkg.load_table("sources", path=package).iloc[0]
    seed = package / source["seed_path"]
    seed.write_bytes(seed.read_bytes() + b"\xff")
    with pytest.raises(LoadError, match=f"{seed}: not UTF-8: 'utf-8' codec can't decode byte "
                                        r"0xff in position \d+: invalid start byte"):
        datapkg.article(source["source_id"], path=package, verify=False)
