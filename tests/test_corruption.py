"""The corruption catalogue: each entry damages a copy of the published package in one way,
and `datapkg validate` must fail naming the place (file, table, row key, column) and the rule.

To add a kind: write a damage function and append one Corruption to CATALOGUE.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from damage import (
    edit_csv,
    edit_json,
    edit_text,
    find,
    refresh_hashes,
    rewrite,
    row_where,
)

from datapkg.checkout import validate_checkout


@dataclass
class Corruption:
    kind: str
    damage: Callable[[Path, Path], None]  # (package directory, checkout root)
    expect: dict  # fields of the failure that must be reported
    curation: bool = False  # also compare with a rebuild from the curation

    def __str__(self) -> str:
        return self.kind


# --- damages ---------------------------------------------------------------------------------

def csv_cell(name, old, new):
    def damage(package, _root):
        edit_csv(package, name, old, new)
        refresh_hashes(package)
    return damage


def both_formats(name, change):
    return lambda package, _root: rewrite(package, name, change)


def set_cell(key: dict, column: str, value):
    return lambda table_rows: row_where(table_rows, **key).update({column: value})


def parquet_only(name, change):
    return lambda package, _root: rewrite(package, name, change, formats=("parquet",))


def seed_byte(package, _root):
    seed = next((package / "seeds").iterdir())
    data = bytearray(seed.read_bytes())
    data[100] ^= 0x01
    seed.write_bytes(bytes(data))


def csv_bytes(name, change):
    def damage(package, _root):
        path = package / f"{name}.csv"
        path.write_bytes(change(path.read_bytes()))
        refresh_hashes(package)
    return damage


def csv_columns(name, change):
    """Rewrite a CSV's columns (drop, add, reorder) with the csv module."""
    import csv
    import io

    def damage(package, _root):
        path = package / f"{name}.csv"
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(change(table))
        path.write_text(out.getvalue(), encoding="utf-8")
        refresh_hashes(package)
    return damage


def truncated_parquet(package, _root):
    path = package / "figures.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refresh_hashes(package)


def descriptor_resource(name, change):
    def damage(package, _root):
        def apply(d):
            change(next(r for r in d["resources"] if r["name"] == name))
        edit_json(package / "datapackage.json", apply)
    return damage


def symlinked_resource(package, root):
    outside = root / "elsewhere.csv"
    shutil.move(package / "actors.csv", outside)
    (package / "actors.csv").symlink_to(outside)


def parquet_column_as_text(package, _root):
    path = package / "passages.parquet"
    table = pq.read_table(path)
    index = table.schema.get_field_index("seq")
    table = table.set_column(index, "seq", table.column("seq").cast(pa.string()))
    pq.write_table(table, path)
    refresh_hashes(package)


def missing_file(package, _root):
    (package / "events.parquet").unlink()


def add_looping_link(table_rows):
    last = max((r for r in table_rows if r["statement_id"] == "000.st06"),
               key=lambda r: r["depth"])
    last["role"] = "reporter"
    table_rows.append({**last, "depth": last["depth"] + 1, "actor_id": "xinhua",
                       "role": "speaker", "mention_id": None})


def duplicate_row(table_rows):
    table_rows.append(dict(table_rows[0]))


def extra_parquet_row(table_rows):
    table_rows.append({**table_rows[0], "actor_id": "ghost"})


M0 = dict(table="mentions", row="mention_id=000.the_pulse@0")
CHINA = dict(table="actors", row="actor_id=china")

CATALOGUE = [
    Corruption("wrong type", csv_cell("mentions", ',,0,9,"The Pulse"', ',,zero,9,"The Pulse"'),
               dict(layer="tables", **M0, column="start", rule="type: must be integer",
                    file_endswith="mentions.csv")),
    Corruption("null in a required column",
               csv_cell("actors", '"china","China"', '"china",'),
               dict(layer="tables", **CHINA, column="name", rule="required: must not be null",
                    file_endswith="actors.csv")),
    Corruption("duplicate primary key", both_formats("actors", duplicate_row),
               dict(layer="tables", **CHINA, column="actor_id",
                    rule="primary key must be unique", file_endswith="actors.csv")),
    Corruption("dangling foreign key",
               both_formats("actor_members", set_cell({"member_id": "china"}, "member_id",
                                                      "chinaa")),
               dict(layer="keys", table="actor_members", column="member_id",
                    value="'chinaa'", rule="must exist in actors (actor_id)",
                    file_endswith="actor_members.csv")),
    Corruption("span shifted by one",
               both_formats("mentions", lambda r: r[0].update(start=1, end=10)),
               dict(layer="provenance", **M0, column="text",
                    rule="span start..end must equal the seed's slice 'he Pulse\\n'")),
    Corruption("evidence altered by one character",
               both_formats("mentions", lambda r: r[0].update(text="The Pulsa")),
               dict(layer="provenance", **M0, column="text", value="'The Pulsa'",
                    rule="must equal the seed's slice 'The Pulse'")),
    Corruption("non-breaking space replaced by a space",
               both_formats("statements", lambda r: row_where(r, statement_id="000.st12")
                            .update(text=row_where(r, statement_id="000.st12")["text"]
                                    .replace("\xa0", " "))),
               dict(layer="provenance", table="statements", row="statement_id=000.st12",
                    column="text", rule="must equal the seed's slice")),
    Corruption("seed byte changed", seed_byte,
               dict(layer="provenance", table="sources",
                    row="source_id=000_3973c4e353543ee9", column="sha256",
                    rule="seed bytes must hash to the sources row's sha256")),
    Corruption("low above high",
               both_formats("figures", set_cell({"figure_id": "000.f06"}, "low", 4000.0)),
               dict(layer="rules", table="figures", row="figure_id=000.f06", column="low",
                    rule="low must not exceed high")),
    Corruption("date out of range",
               both_formats("events", set_cell({"event_id": "000.meeting"}, "date_resolved",
                                               dt.date(1821, 6, 3))),
               dict(layer="rules", table="events", row="event_id=000.meeting",
                    column="date_resolved", rule="date must lie between 1900 and 2100")),
    Corruption("malformed date", csv_cell("events", "2021-06-03", "2021-13-45"),
               dict(layer="tables", table="events", row="event_id=000.meeting",
                    column="date_resolved", value="'2021-13-45'", rule="type: must be date")),
    Corruption("unknown enum value",
               csv_cell("actors", '"china","China","state"', '"china","China","empire"'),
               dict(layer="tables", **CHINA, column="kind", value="'empire'", rule="enum")),
    Corruption("CSV and Parquet disagree in one cell",
               parquet_only("actors", set_cell({"actor_id": "china"}, "name", "Cathay")),
               dict(layer="formats", **CHINA, column="name", value="'China' vs 'Cathay'",
                    file_endswith="actors.parquet")),
    Corruption("extra row in Parquet only", parquet_only("actors", extra_parquet_row),
               dict(layer="formats", table="actors", row="actor_id=ghost",
                    rule="row present in only one", file_endswith="actors.parquet")),
    Corruption("column missing", csv_columns("actors", lambda t: [r[:-1] for r in t]),
               dict(layer="files", table="actors", row="header",
                    rule="columns must be, in order", file_endswith="actors.csv")),
    Corruption("extra column", csv_columns("actors", lambda t: [r + ["x"] for r in t]),
               dict(layer="files", table="actors", row="header",
                    rule="columns must be, in order", file_endswith="actors.csv")),
    Corruption("columns reordered",
               csv_columns("actors", lambda t: [[r[1], r[0], *r[2:]] for r in t]),
               dict(layer="files", table="actors", row="header",
                    rule="columns must be, in order", file_endswith="actors.csv")),
    Corruption("Parquet column of the wrong type", parquet_column_as_text,
               dict(layer="files", table="passages", column="seq",
                    rule="Parquet type must be int64", file_endswith="passages.parquet")),
    Corruption("truncated Parquet", truncated_parquet,
               dict(layer="files", table="figures", rule="not a readable Parquet file",
                    file_endswith="figures.parquet")),
    Corruption("CSV with a byte-order mark", csv_bytes("actors", lambda b: b"\xef\xbb\xbf" + b),
               dict(layer="files", table="actors",
                    rule="CSV must be UTF-8 without a byte-order mark",
                    file_endswith="actors.csv")),
    Corruption("CSV with CRLF line endings",
               csv_bytes("events", lambda b: b.replace(b"\n", b"\r\n")),
               dict(layer="files", table="events", rule="CSV lines must end in LF",
                    file_endswith="events.csv")),
    Corruption("CSV in the wrong encoding",
               csv_bytes("statements", lambda b: b.decode("utf-8").encode("cp1252",
                                                                          errors="replace")),
               dict(layer="files", table="statements", rule="CSV must be UTF-8",
                    file_endswith="statements.csv")),
    Corruption("descriptor hash wrong (CSV)",
               descriptor_resource("actors", lambda r: r.update(hash="sha256:" + "0" * 64)),
               dict(layer="files", table="actors", row="actors", column="hash",
                    rule="descriptor hash must equal the file's", file_endswith="actors.csv")),
    Corruption("descriptor hash wrong (Parquet)",
               descriptor_resource("mentions-parquet",
                                   lambda r: r.update(hash="sha256:" + "1" * 64)),
               dict(layer="files", table="mentions", row="mentions-parquet", column="hash",
                    rule="descriptor hash must equal the file's",
                    file_endswith="mentions.parquet")),
    Corruption("descriptor size wrong",
               descriptor_resource("figures", lambda r: r.update(bytes=r["bytes"] + 1)),
               dict(layer="files", table="figures", row="figures", column="bytes",
                    rule="descriptor bytes must equal the file's size")),
    Corruption("Croissant hash wrong",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d["distribution"][4]
                                       .update(sha256="2" * 64)),
               dict(layer="files", table="actors", column="sha256",
                    rule="Croissant sha256 must equal the file's")),
    Corruption("absolute resource path",
               descriptor_resource("sources", lambda r: r.update(path="/etc/passwd")),
               dict(layer="files", table="sources", row="sources", column="path",
                    value="'/etc/passwd'", rule="must be relative, inside the package")),
    Corruption("resource path climbing out",
               descriptor_resource("sources-parquet",
                                   lambda r: r.update(path="../sources.parquet")),
               dict(layer="files", table="sources", row="sources-parquet", column="path",
                    rule="must be relative, inside the package")),
    Corruption("resource behind a symlink", symlinked_resource,
               dict(layer="files", table="actors", row="actors", column="path",
                    rule="not a link")),
    Corruption("missing file", missing_file,
               dict(layer="files", table="events", row="events-parquet", rule="file is missing",
                    file_endswith="events.parquet")),
    Corruption("version strings disagree",
               lambda p, _r: edit_json(p / "datapackage.json", lambda d: d.update(version="9.9.9")),
               dict(layer="metadata", column="version", value="'9.9.9'",
                    rule="version must be 0.1.0 everywhere", file_endswith="datapackage.json")),
    Corruption("CITATION.cff version disagrees",
               lambda _p, r: edit_text(r / "CITATION.cff", 'version: "0.1.0"', 'version: "0.2.0"'),
               dict(layer="metadata", column="version", value="'0.2.0'",
                    rule="version must be 0.1.0 everywhere", file_endswith="CITATION.cff")),
    Corruption("changelog version disagrees",
               lambda _p, r: edit_text(r / "CHANGELOG.md", "## [0.1.0]", "## [0.1.1]"),
               dict(layer="metadata", column="version", value="'0.1.1'",
                    rule="version must be 0.1.0 everywhere", file_endswith="CHANGELOG.md")),
    Corruption("Croissant version disagrees",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d.update(version="1.0.0")),
               dict(layer="metadata", column="version", value="'1.0.0'",
                    file_endswith="croissant.json")),
    Corruption("stale generated schema",
               lambda p, _r: edit_text(p / "schemas" / "actors.json", "Canonical name.", "Name."),
               dict(layer="files", table="actors", rule="Table Schema is stale",
                    file_endswith="schemas/actors.json")),
    Corruption("stale codebook",
               lambda _p, r: edit_text(r / "docs" / "codebook.md", "Canonical name.", "Name."),
               dict(layer="curation", rule="generated file is stale",
                    file_endswith="docs/codebook.md"),
               curation=True),
    Corruption("stale site (a build killed after publishing data/)",
               lambda _p, r: edit_text(r / "site" / "tables.html", "<h1>Tables</h1>", "<h1>T</h1>"),
               dict(layer="curation", rule="generated file is stale",
                    file_endswith="site/tables.html"),
               curation=True),
    Corruption("published data differ from the curation",
               both_formats("actors", set_cell({"actor_id": "china"}, "name", "Cathay")),
               dict(layer="curation", **CHINA, column="name", value="'China' vs 'Cathay'"),
               curation=True),
    Corruption("id without its source's serial",
               both_formats("figures", set_cell({"figure_id": "000.f06"}, "figure_id",
                                                "001.f06")),
               dict(layer="rules", table="figures", column="figure_id",
                    rule="id convention")),
    Corruption("attribution chain that loops", both_formats("statement_attributions",
                                                             add_looping_link),
               dict(layer="rules", table="statement_attributions",
                    row="statement_id=000.st06, depth=3, actor_id=xinhua",
                    column="actor_id", rule="the chain loops")),
    Corruption("Croissant path outside the package",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d["distribution"][5]
                                       .update(contentUrl="../actors.parquet")),
               dict(layer="files", column="contentUrl", value="'../actors.parquet'",
                    rule="must name a file inside the package")),
    Corruption("uncoded row without a reason",
               both_formats("events", set_cell({"event_id": "000.crackdown"}, "code_note", None)),
               dict(layer="rules", table="events", row="event_id=000.crackdown",
                    column="code_note", rule="event codes need a code_note")),
    Corruption("items reported miscounted",
               both_formats("commitments", set_cell({"commitment_id": "000.c05"},
                                                    "items_reported", 5)),
               dict(layer="rules", table="commitments", row="commitment_id=000.c05",
                    column="items_reported", rule="must equal the items recorded under it (4)")),
]


def test_the_catalogue_has_at_least_25_kinds():
    assert len({c.kind for c in CATALOGUE}) == len(CATALOGUE) >= 25


def test_clean_package_has_zero_failures(checkout):
    assert validate_checkout(checkout) == []


@pytest.mark.parametrize("corruption", CATALOGUE, ids=str)
def test_corruption_is_caught_and_located(corruption, checkout):
    package = checkout / "data"
    corruption.damage(package, checkout)
    failures = validate_checkout(checkout, curation=corruption.curation)
    hit = find(failures, **dict(corruption.expect))
    assert hit.file and hit.rule


def test_every_failure_is_reported_not_just_the_first(checkout):
    package = checkout / "data"
    edit_csv(package, "actors", '"state"', '"empire"', count=3)
    refresh_hashes(package)
    failures = [f for f in validate_checkout(checkout, curation=False)
                if f.layer == "tables"]
    assert len(failures) == 3


def test_a_failure_reads_as_one_line_naming_every_place(checkout):
    package = checkout / "data"
    edit_csv(package, "actors", '"china","China","state"', '"china","China","empire"')
    refresh_hashes(package)
    hit = find(validate_checkout(checkout, curation=False), layer="tables", column="kind")
    assert str(hit).startswith(f"[tables] {package / 'actors.csv'} | actors | "
                               "actor_id=china | kind | value 'empire' | enum: one of [")
