"""The corruption catalogue: each entry damages a copy of the published package in one way,
and `datapkg validate` must fail naming the place (file, table, row key, column) and the failure's
stable code.

To add a kind: write a damage function and append one Corruption to CATALOGUE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
    text_not_utf8,
)

import datapkg
from datapkg import paths
from datapkg.checkout import validate_checkout
from datapkg.errors import FAILURE_CODES, rule_code
from datapkg.registry import TABLES
from datapkg.rules import RULES


@dataclass
class Corruption:
    kind: str
    damage: Callable[[Path, Path], None]  # (package directory, checkout root)
    expect: dict  # fields of the failure that must be reported
    curation: bool = False  # also compare with a rebuild from the curation

    def __str__(self) -> str:
        return self.kind


# --- damages ---------------------------------------------------------------------------------

def csv_cell(name, old, new, count=1, then=None):
    """Replace ``old`` by ``new`` in a table's CSV; with ``then`` = (a, b), replace the first
    a after ``old`` by b instead (a cell later in the row that ``old`` starts)."""
    def damage(package, _root):
        if then is None:
            edit_csv(package, name, old, new, count)
        else:
            path = package / f"{name}.csv"
            text = path.read_text(encoding="utf-8")
            at = text.index(old)
            after = text.index(then[0], at)
            path.write_text(text[:after] + then[1] + text[after + len(then[0]):], encoding="utf-8")
        refresh_hashes(package)
    return damage


def both_formats(name, change):
    return lambda package, _root: rewrite(package, name, change)


def set_cell(key: dict, column: str, value, **more):
    return lambda table_rows: row_where(table_rows, **key).update({column: value, **more})


def parquet_only(name, change):
    return lambda package, _root: rewrite(package, name, change, formats=("parquet",))


def seed_byte(package, _root):
    """A byte of the first source's seed (the one the expected failure names) flipped."""
    seed = package / pick("sources").seed_path
    data = bytearray(seed.read_bytes())
    data[min(100, len(data) - 1)] ^= 0x01
    seed.write_bytes(bytes(data))


def seed_not_utf8(package, _root):
    """A byte that is no UTF-8 appended to the first source's seed, past every span, with the
    seed's sha256 made the new bytes' in the sources table: only its encoding is wrong."""
    source = pick("sources")
    seed = package / source.seed_path
    data = seed.read_bytes() + b"\xff"
    seed.write_bytes(data)
    rewrite(package, "sources", set_cell({"source_id": source.source_id}, "sha256",
                                         hashlib.sha256(data).hexdigest()))


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


# --- the rows each case damages, picked from the published data (no constant of one article) --

T = datapkg.load()


def pick(name: str, mask=None):
    """The first row of a table (where ``mask`` holds), as a namedtuple."""
    frame = T[name] if mask is None else T[name][mask(T[name])]
    return next(frame.itertuples(index=False))


def key(name: str, row) -> str:
    return ", ".join(f"{k}={getattr(row, k)}" for k in TABLES[name].primary_key)


def seed_text(source_id: str) -> str:
    source = pick("sources", lambda f: f["source_id"] == source_id)
    return (paths.DATA / source.seed_path).read_text(encoding="utf-8")


ACTOR = pick("actors", lambda f: f["kind"] == "state")
A = dict(table="actors", row=key("actors", ACTOR))
ACTOR_CSV = f'"{ACTOR.actor_id}","{ACTOR.name}","{ACTOR.kind}"'
MENTION = pick("mentions", lambda f: f["text"].str.fullmatch(r"[A-Za-z ]+"))
M = dict(table="mentions", row=key("mentions", MENTION))
MENTION_CSV = f'{MENTION.span_start},{MENTION.span_end},"{MENTION.text}"'
SHIFTED = seed_text(MENTION.source_id)[MENTION.span_start + 1:MENTION.span_end + 1]
MEMBER = pick("actor_members")
NBSP = pick("statements", lambda f: f["text"].str.contains("\xa0"))
RANGE = pick("figures", lambda f: f["kind"] == "range")
DATED = pick("events", lambda f: f["date_resolved"].notna())
EVENT = pick("events")
AGREEMENT = pick("commitments", lambda f: f["items_reported"].notna())
LINKS = T["statement_attributions"]
RELAYED = pick("statement_attributions", lambda f: f["statement_id"].isin(
    f.loc[f["role"] == "reporter", "statement_id"]) & (f["role"] == "speaker"))
REPORTER = pick("statement_attributions", lambda f: (f["statement_id"] == RELAYED.statement_id)
                & (f["role"] == "reporter"))
TABLE_FILE = pick("figures")
PERIOD_ACTOR = pick("actors")  # any actor: its period is damaged
ACT, OTHER_ACT = T["acts"][T["acts"]["plover_mode"].notna()].iloc[0], T["acts"].iloc[-1]
ACT_ROW = dict(table="acts", row=f"act_id={ACT.act_id}")
RECORD_ID = {"statements": "statement_id", "commitments": "commitment_id", "events": "event_id"}
QID = pick("actors", lambda f: f["wikidata_qid"].notna())


def wrong_mode(package, _root):
    """An act and its row both give a PLOVER mode the crosswalk does not pair with its code."""
    for name, column in (("acts", "act_id"), (ACT.record, RECORD_ID[ACT.record])):
        rewrite(package, name, set_cell({column: ACT.act_id}, "plover_mode", "disarm"))


def crosswalk_fitted_to_an_act(package, _root):
    """An act gets a mode its code does not take, and the published crosswalk is edited to
    agree with it."""
    wrong_mode(package, _root)
    rewrite(package, "code_crosswalk",
            set_cell({"cameo_code": ACT.cameo_code}, "plover_mode", "disarm"))


def link_two_acts(table_rows):
    table_rows.append(dict(source_id=ACT.source_id, from_id=OTHER_ACT.act_id,
                           relation="restates", to_id=ACT.act_id, note=None))


def add_looping_link(table_rows):
    """The speaker of a relayed statement becomes a reporter and relays the statement back
    to its own reporter: a loop."""
    last = max((r for r in table_rows if r["statement_id"] == RELAYED.statement_id),
               key=lambda r: r["depth"])
    last["role"] = "reporter"
    table_rows.append({**last, "depth": last["depth"] + 1, "actor_id": REPORTER.actor_id,
                       "role": "speaker", "mention_id": None})


LOOP_ROW = (f"statement_id={RELAYED.statement_id}, depth={RELAYED.depth + 1}, "
            f"actor_id={REPORTER.actor_id}")


def extra_parquet_row(table_rows):
    table_rows.append({**table_rows[0], "actor_id": "ghost"})  # a key no article has



CATALOGUE = [
    Corruption("wrong type", csv_cell("mentions", MENTION_CSV,
                                      MENTION_CSV.replace(f"{MENTION.span_start},", "zero,", 1)),
               dict(code="cell-type", **M, column="span_start",
                    file_endswith="mentions.csv")),
    Corruption("null in a required column",
               csv_cell("actors", ACTOR_CSV, ACTOR_CSV.replace(f'"{ACTOR.name}"', "", 1)),
               dict(code="required", **A, column="name",
                    file_endswith="actors.csv")),
    Corruption("duplicate primary key", both_formats("actors", lambda rows: rows.append(
                   dict(row_where(rows, actor_id=ACTOR.actor_id)))),
               dict(code="primary-key", **A, column="actor_id", file_endswith="actors.csv")),
    Corruption("dangling foreign key",
               both_formats("actor_members", set_cell({"member_id": MEMBER.member_id},
                                                      "member_id", MEMBER.member_id + "x")),
               dict(code="foreign-key", table="actor_members", column="member_id",
                    value=repr(MEMBER.member_id + "x"),
                    file_endswith="actor_members.csv")),
    Corruption("span shifted by one",
               both_formats("mentions", set_cell({"mention_id": MENTION.mention_id}, "span_start",
                                                 MENTION.span_start + 1, span_end=MENTION.span_end + 1)),
               dict(code="span-text", **M, column="text")),
    Corruption("evidence altered by one character",
               both_formats("mentions", set_cell({"mention_id": MENTION.mention_id}, "text",
                                                 MENTION.text[:-1] + "#")),
               dict(code="span-text", **M, column="text", value=repr(MENTION.text[:-1] + "#"))),
    Corruption("non-breaking space replaced by a space",
               both_formats("statements", set_cell({"statement_id": NBSP.statement_id}, "text",
                                                   NBSP.text.replace("\xa0", " "))),
               dict(code="span-text", table="statements", row=key("statements", NBSP),
                    column="text")),
    Corruption("seed byte changed", seed_byte,
               dict(code="seed-hash", table="sources",
                    row=key("sources", pick("sources")), column="sha256")),
    Corruption("seed that is not UTF-8", seed_not_utf8,
               dict(code="seed-encoding", table="sources",
                    row=key("sources", pick("sources")), column="seed_path")),
    Corruption("low above high",
               both_formats("figures", set_cell({"figure_id": RANGE.figure_id}, "low",
                                                RANGE.high + 1)),
               dict(code="rule-figure-values", table="figures", row=key("figures", RANGE), column="low")),
    Corruption("actor period running backwards",
               both_formats("actors", set_cell({"actor_id": PERIOD_ACTOR.actor_id}, "valid_from",
                                               dt.date(2100, 1, 1), valid_to=dt.date(2000, 1, 1),
                                               valid_basis="a period")),
               dict(code="rule-actor-periods", table="actors", row=key("actors", PERIOD_ACTOR),
                    column="valid_from")),
    Corruption("actor period without its basis",
               both_formats("actors", set_cell({"actor_id": PERIOD_ACTOR.actor_id}, "valid_to",
                                               dt.date(2000, 1, 1), valid_basis=None)),
               dict(code="rule-actor-periods", table="actors", row=key("actors", PERIOD_ACTOR),
                    column="valid_basis")),
    Corruption("date out of range",
               both_formats("events", set_cell({"event_id": DATED.event_id}, "date_resolved",
                                               dt.date(1821, 6, 3))),
               dict(code="rule-dates-in-range", table="events", row=key("events", DATED),
                    column="date_resolved")),
    Corruption("malformed date",
               csv_cell("events", f'"{DATED.event_id}"', f'"{DATED.event_id}"', count=0,
                        then=(DATED.date_resolved.isoformat(), "2021-13-45")),
               dict(code="cell-type", table="events", row=key("events", DATED),
                    column="date_resolved", value="'2021-13-45'")),
    Corruption("unknown enum value",
               csv_cell("actors", ACTOR_CSV, ACTOR_CSV.replace(f'"{ACTOR.kind}"', '"empire"')),
               dict(code="enum", **A, column="kind", value="'empire'")),
    Corruption("CSV and Parquet disagree in one cell",
               parquet_only("actors", set_cell({"actor_id": ACTOR.actor_id}, "name", "Cathay")),
               dict(code="formats-value", **A, column="name", value=f"{ACTOR.name!r} vs 'Cathay'",
                    file_endswith="actors.parquet")),
    Corruption("extra row in Parquet only", parquet_only("actors", extra_parquet_row),
               dict(code="formats-row-unmatched", table="actors", row="actor_id=ghost",
                    file_endswith="actors.parquet")),
    Corruption("column missing", csv_columns("actors", lambda t: [r[:-1] for r in t]),
               dict(code="column-order", table="actors", row="header", file_endswith="actors.csv")),
    Corruption("extra column", csv_columns("actors", lambda t: [r + ["x"] for r in t]),
               dict(code="column-order", table="actors", row="header", file_endswith="actors.csv")),
    Corruption("columns reordered",
               csv_columns("actors", lambda t: [[r[1], r[0], *r[2:]] for r in t]),
               dict(code="column-order", table="actors", row="header", file_endswith="actors.csv")),
    Corruption("Parquet column of the wrong type", parquet_column_as_text,
               dict(code="parquet-type", table="passages", column="seq", file_endswith="passages.parquet")),
    Corruption("truncated Parquet", truncated_parquet,
               dict(code="parquet-unreadable", table="figures",
                    file_endswith="figures.parquet")),
    Corruption("CSV with a byte-order mark", csv_bytes("actors", lambda b: b"\xef\xbb\xbf" + b),
               dict(code="csv-encoding", table="actors",
                    file_endswith="actors.csv")),
    Corruption("CSV with CRLF line endings",
               csv_bytes("events", lambda b: b.replace(b"\n", b"\r\n")),
               dict(code="csv-encoding", table="events",
                    file_endswith="events.csv")),
    Corruption("CSV in the wrong encoding",
               csv_bytes("statements", lambda b: b.decode("utf-8").encode("cp1252",
                                                                          errors="replace")),
               dict(code="csv-encoding", table="statements",
                    file_endswith="statements.csv")),
    Corruption("descriptor hash wrong (CSV)",
               descriptor_resource("actors", lambda r: r.update(hash="sha256:" + "0" * 64)),
               dict(code="hash-mismatch", table="actors", row="actors", column="hash",
                    file_endswith="actors.csv")),
    Corruption("descriptor hash wrong (Parquet)",
               descriptor_resource("mentions-parquet",
                                   lambda r: r.update(hash="sha256:" + "1" * 64)),
               dict(code="hash-mismatch", table="mentions", row="mentions-parquet", column="hash",
                    file_endswith="mentions.parquet")),
    Corruption("descriptor size wrong",
               descriptor_resource("figures", lambda r: r.update(bytes=r["bytes"] + 1)),
               dict(code="bytes-mismatch", table="figures", row="figures", column="bytes")),
    Corruption("Croissant hash wrong",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d["distribution"][4]
                                       .update(sha256="2" * 64)),
               dict(code="hash-mismatch", table="actors", column="sha256")),
    Corruption("absolute resource path",
               descriptor_resource("sources", lambda r: r.update(path="/etc/passwd")),
               dict(code="resource-path", table="sources", row="sources", column="path",
                    value="'/etc/passwd'")),
    Corruption("resource path climbing out",
               descriptor_resource("sources-parquet",
                                   lambda r: r.update(path="../sources.parquet")),
               dict(code="resource-path", table="sources", row="sources-parquet", column="path")),
    Corruption("resource behind a symlink", symlinked_resource,
               dict(code="resource-path", table="actors", row="actors", column="path")),
    Corruption("missing file", missing_file,
               dict(code="file-missing", table="events", row="events-parquet",
                    file_endswith="events.parquet")),
    Corruption("version strings disagree",
               lambda p, _r: edit_json(p / "datapackage.json", lambda d: d.update(version="9.9.9")),
               dict(code="version-mismatch", column="version", value="'9.9.9'",
                    file_endswith="datapackage.json")),
    Corruption("CITATION.cff version disagrees",
               lambda _p, r: edit_text(r / "CITATION.cff", 'version: "0.1.0"', 'version: "0.2.0"'),
               dict(code="version-mismatch", column="version", value="'0.2.0'",
                    file_endswith="CITATION.cff")),
    Corruption(".zenodo.json that is a list, not an object",
               lambda _p, r: (r / ".zenodo.json").write_text("[]\n"),
               dict(code="version-mismatch", column="version", value="null",
                    file_endswith=".zenodo.json")),
    Corruption("changelog version disagrees",
               lambda _p, r: edit_text(r / "CHANGELOG.md", "## [0.1.0]", "## [0.1.1]"),
               dict(code="version-mismatch", column="version", value="'0.1.1'",
                    file_endswith="CHANGELOG.md")),
    Corruption("Croissant version disagrees",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d.update(version="1.0.0")),
               dict(code="version-mismatch", column="version", value="'1.0.0'",
                    file_endswith="croissant.json")),
    Corruption("stale generated schema",
               lambda p, _r: edit_text(p / "schemas" / "actors.json", "Canonical name.", "Name."),
               dict(code="schema-stale", table="actors",
                    file_endswith="schemas/actors.json")),
    Corruption("stale codebook",
               lambda _p, r: edit_text(r / "docs" / "codebook.md", "Canonical name.", "Name."),
               dict(code="generated-stale",
                    file_endswith="docs/codebook.md"),
               curation=True),
    Corruption("stale site (a build killed after publishing data/)",
               lambda _p, r: edit_text(r / "site" / "tables.html", "<h1>Tables</h1>", "<h1>T</h1>"),
               dict(code="generated-stale",
                    file_endswith="site/tables.html"),
               curation=True),
    Corruption("published data differ from the curation",
               both_formats("actors", set_cell({"actor_id": ACTOR.actor_id}, "name", "Cathay")),
               dict(code="rebuild-value", **A, column="name", value=f"{ACTOR.name!r} vs 'Cathay'"),
               curation=True),
    Corruption("id without its source's serial",
               both_formats("figures", set_cell({"figure_id": TABLE_FILE.figure_id}, "figure_id",
                                                "9" + TABLE_FILE.figure_id)),
               dict(code="rule-id-convention", table="figures", column="figure_id")),
    Corruption("attribution chain that loops", both_formats("statement_attributions",
                                                             add_looping_link),
               dict(code="rule-attribution-chains", table="statement_attributions",
                    row=LOOP_ROW,
                    column="actor_id")),
    Corruption("Croissant path outside the package",
               lambda p, _r: edit_json(p / "croissant.json", lambda d: d["distribution"][5]
                                       .update(contentUrl="../actors.parquet")),
               dict(code="resource-path", column="contentUrl", value="'../actors.parquet'")),
    Corruption("uncoded row without a reason",
               both_formats("events", set_cell({"event_id": EVENT.event_id}, "code_note", None)),
               dict(code="rule-codes-explained", table="events", row=key("events", EVENT),
                    column="code_note")),
    Corruption("CAMEO and PLOVER pair outside the crosswalk", wrong_mode,
               dict(code="rule-codes-follow-crosswalk", **ACT_ROW, column="plover_event")),
    Corruption("crosswalk row edited to fit an act", crosswalk_fitted_to_an_act,
               dict(code="rule-crosswalk-derived", table="code_crosswalk",
                    row=f"cameo_code={ACT.cameo_code}", column="plover_mode", value="'disarm'")),
    Corruption("one act linked to another act: counted twice",
               both_formats("act_links", link_two_acts),
               dict(code="rule-coded-once", table="act_links", column="from_id")),
    Corruption("Parquet text that is not UTF-8",
               lambda package, _root: text_not_utf8(package, "actors", "name"),
               dict(code="table-unreadable", table="actors", file_endswith="actors.parquet")),
    Corruption("NUL in a text cell",
               both_formats("actors", set_cell({"actor_id": ACTOR.actor_id}, "name",
                                               ACTOR.name[:1] + "\x00" + ACTOR.name[1:])),
               dict(code="control-character", **A, column="name",
                    value=repr(ACTOR.name[:1] + "\x00" + ACTOR.name[1:]),
                    file_endswith="actors.csv")),
    Corruption("terminal escape in a text cell",
               both_formats("statements", set_cell({"statement_id": NBSP.statement_id}, "note",
                                                   "\x1b[2Jcleared")),
               dict(code="control-character", table="statements", row=key("statements", NBSP),
                    column="note", value=repr("\x1b[2Jcleared"))),
    Corruption("patterned value with a final newline",
               both_formats("actors", set_cell({"actor_id": QID.actor_id}, "wikidata_qid",
                                               QID.wikidata_qid + "\n")),
               dict(code="pattern", table="actors", row=key("actors", QID),
                    column="wikidata_qid", value=repr(QID.wikidata_qid + "\n"))),
    Corruption("items reported miscounted",
               both_formats("commitments", set_cell({"commitment_id": AGREEMENT.commitment_id},
                                                    "items_reported", AGREEMENT.items_reported + 1)),
               dict(code="rule-agreement-items", table="commitments", row=key("commitments", AGREEMENT),
                    column="items_reported")),
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
    assert [f for f in failures if not known_code(f.code)] == []


def known_code(code: str) -> bool:
    rules = {rule_code(rule.__name__) for rule, _ in RULES}
    return code in FAILURE_CODES or code in rules


def test_every_failure_is_reported_not_just_the_first(checkout):
    package = checkout / "data"
    states = int((T["actors"]["kind"] == "state").sum())
    edit_csv(package, "actors", '"state"', '"empire"', count=states)
    refresh_hashes(package)
    failures = [f for f in validate_checkout(checkout, curation=False)
                if f.layer == "tables"]
    assert states > 1 and len(failures) == states


def test_a_failure_reads_as_one_line_naming_every_place(checkout):
    package = checkout / "data"
    edit_csv(package, "actors", ACTOR_CSV, ACTOR_CSV.replace(f'"{ACTOR.kind}"', '"empire"'))
    refresh_hashes(package)
    hit = find(validate_checkout(checkout, curation=False), layer="tables", column="kind")
    assert str(hit).startswith(f"[tables:enum] {package / 'actors.csv'} | actors | "
                               f"actor_id={ACTOR.actor_id} | kind | value 'empire' | enum: one of [")


def test_validation_allocates_from_jemalloc_and_then_gives_the_default_pool_back(monkeypatch):
    from datapkg.validate import returning_memory

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    try:
        pa.jemalloc_memory_pool()
        during = "jemalloc"
    except NotImplementedError:  # a pyarrow without jemalloc keeps its default
        during = pa.default_memory_pool().backend_name
    before = pa.default_memory_pool().backend_name
    switch = type(returning_memory)()
    with pytest.raises(RuntimeError), switch:
        assert pa.default_memory_pool().backend_name == during
        raise RuntimeError("a failure inside validation")
    assert pa.default_memory_pool().backend_name == before
    switch.__enter__()  # two validations at once (threads): the first to start ends first
    switch.__enter__()
    switch.__exit__()
    assert pa.default_memory_pool().backend_name == during
    switch.__exit__()
    assert pa.default_memory_pool().backend_name == before


def test_a_source_row_without_its_id_is_reported_not_a_crash(package):
    from datapkg.validate import validate_package

    source_id = datapkg.load_table("sources", path=package)["source_id"].iloc[0]
    edit_csv(package, "sources", f'\n"{source_id}",', "\n,")
    refresh_hashes(package)
    find(validate_package(package), code="required", table="sources", column="source_id")


def test_a_key_made_null_in_one_format_is_reported_not_a_crash(package):
    """CSV and Parquet are compared row by row by key: a key made null in the CSV alone,
    beside another key changed there, is two rows the Parquet does not match (a null key
    ordered after the others), not an error."""
    from datapkg.validate import validate_package

    def change(table_rows):
        table_rows[0]["mention_id"] = None
        table_rows[1]["mention_id"] += "x"

    rewrite(package, "mentions", change, formats=("csv",))
    failures = validate_package(package)
    unmatched = [f.row for f in failures
                 if f.code == "formats-row-unmatched" and f.table == "mentions"]
    assert len(unmatched) == 4 and "mention_id=<NA>" in unmatched
    find(failures, code="required", table="mentions", column="mention_id")


def test_foreign_key_failures_are_reported_table_by_table(package):
    from datapkg.validate import validate_package

    last = [name for name, table in TABLES.items() if table.foreign_keys][-1]
    key = TABLES[last].foreign_keys[0]
    rewrite(package, "mentions", lambda rs: rs[0].update(sentence_id="missing_sentence"))
    rewrite(package, last, lambda rs: rs[0].update({key.fields[0]: "missing_" + last}))
    tables = [f.table for f in validate_package(package) if f.code == "foreign-key"]
    assert set(tables) == {"mentions", last}
    assert tables == sorted(tables, key=list(TABLES).index)


def test_a_seed_resource_listed_twice_is_reported_even_when_the_seed_is_missing(package):
    from datapkg.validate import validate_package

    def twice(descriptor):
        seed = next(r for r in descriptor["resources"] if r["path"].startswith("seeds/"))
        descriptor["resources"].append(dict(seed))

    edit_json(package / "datapackage.json", twice)
    seed_path = datapkg.load_table("sources", path=package, verify=False)["seed_path"].iloc[0]
    (package / seed_path).unlink()
    failures = validate_package(package)
    find(failures, code="file-missing")
    find(failures, code="resource-unknown")
