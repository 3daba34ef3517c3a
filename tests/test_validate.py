"""Each validation layer catches a deliberately broken copy, naming the place and the rule."""

import json

import pyarrow as pa
import pyarrow.parquet as pq

from datapkg.loader import read_arrow
from datapkg.publish import digest, write_csv, write_parquet
from datapkg.registry import TABLES
from datapkg.types import arrow_schema
from datapkg.validate import validate_package

CHINA = "actor_id=000.china"


def edit_csv(package, name, old, new, count=1):
    path = package / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refresh_hashes(package):
    """Make the descriptor agree with the files, so that only the intended layer fails."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    for resource in descriptor["resources"]:
        size, sha = digest(package / resource["path"])
        resource["hash"] = f"sha256:{sha}"
        if "bytes" in resource:
            resource["bytes"] = size
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    path = package / "croissant.json"
    croissant = json.loads(path.read_text())
    for entry in croissant["distribution"]:
        size, sha = digest(package / entry["contentUrl"])
        entry["sha256"], entry["contentSize"] = sha, f"{size} B"
    path.write_text(json.dumps(croissant, indent=2, ensure_ascii=False) + "\n")


def layers(failures):
    return {f.layer for f in failures}


def find(failures, **expected):
    hits = [f for f in failures if all(getattr(f, k) == v for k, v in expected.items())]
    assert hits, f"no failure with {expected} among:\n" + "\n".join(map(str, failures))
    return hits[0]


def test_clean_package_has_zero_failures(package):
    assert validate_package(package) == []


def test_unknown_enum_value_is_named_by_row_and_column(package):
    edit_csv(package, "actors", '"000.china","China","state"', '"000.china","China","empire"')
    refresh_hashes(package)
    failures = validate_package(package, curation=False)
    hit = find(failures, layer="tables", table="actors", row=CHINA, column="kind")
    assert hit.value == "'empire'" and hit.rule.startswith("enum")
    assert hit.file.endswith("actors.csv")
    assert layers(failures) == {"tables", "formats"}  # Parquet still says 'state'


def test_null_in_required_column(package):
    edit_csv(package, "actors", '"000.china","China"', '"000.china",')
    refresh_hashes(package)
    find(validate_package(package, curation=False), layer="tables", table="actors", row=CHINA,
         column="name", rule="required: must not be null")


def test_duplicate_primary_key(package):
    edit_csv(package, "actors", '"000.afghanistan","Afghanistan"', '"000.china","Afghanistan"')
    refresh_hashes(package)
    hit = find(validate_package(package, curation=False), layer="tables", table="actors",
               column="actor_id")
    assert "primary key must be unique" in hit.rule


def test_wrong_type_names_the_cell(package):
    edit_csv(package, "mentions", '"000.the_pulse","name","000.p01",,0,9',
             '"000.the_pulse","name","000.p01",,zero,9')
    refresh_hashes(package)
    find(validate_package(package, curation=False), layer="tables", table="mentions",
         row="mention_id=000.the_pulse@0", column="start", value="'zero'",
         rule="type: must be integer")


def test_dangling_foreign_key(package):
    edit_csv(package, "actor_members", '"000.three_sides","000.china"',
             '"000.three_sides","000.chinaa"')
    refresh_hashes(package)
    hit = find(validate_package(package, curation=False), layer="keys", table="actor_members",
               column="member_id")
    assert hit.value == "'000.chinaa'" and "must exist in actors (actor_id)" in hit.rule


def test_span_shifted_by_one(package):
    edit_csv(package, "mentions", '"000.the_pulse","name","000.p01",,0,9',
             '"000.the_pulse","name","000.p01",,1,10')
    refresh_hashes(package)
    hit = find(validate_package(package, curation=False), layer="provenance", table="mentions",
               row="mention_id=000.the_pulse@0", column="text")
    assert "must equal the seed's slice 'he Pulse\\n'" in hit.rule


def test_seed_byte_changed(package):
    seed = next((package / "seeds").iterdir())
    seed.write_bytes(seed.read_bytes().replace(b"Pulse", b"Pulsa", 1))
    failures = validate_package(package, curation=False)
    find(failures, layer="provenance", table="sources", column="sha256")
    find(failures, layer="files", column="hash")


def test_csv_and_parquet_disagree_in_one_cell(package):
    path = package / "actors.parquet"
    table = pq.read_table(path)
    names = table.column("name").to_pylist()
    names[0] = "Cathay"
    table = table.set_column(table.schema.get_field_index("name"), table.schema.field("name"),
                             [names])
    pq.write_table(table, path)
    refresh_hashes(package)
    hit = find(validate_package(package, curation=False), layer="formats", table="actors",
               column="name")
    assert hit.value == "'China' vs 'Cathay'" and hit.file.endswith("actors.parquet")


def test_descriptor_hash_and_size_are_checked_for_parquet_too(package):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    for resource in descriptor["resources"]:
        if resource["name"] in ("actors", "actors-parquet"):
            resource["hash"] = "sha256:" + "0" * 64
        if resource["name"] == "mentions":
            resource["bytes"] += 1
    path.write_text(json.dumps(descriptor))
    failures = validate_package(package, curation=False)
    find(failures, layer="files", table="actors", row="actors-parquet", column="hash")
    find(failures, layer="files", table="actors", row="actors", column="hash")
    find(failures, layer="files", table="mentions", row="mentions", column="bytes")


def test_resource_path_outside_the_package_is_refused(package):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["path"] = "../sources.csv"
    descriptor["resources"][1]["path"] = "/etc/passwd"
    path.write_text(json.dumps(descriptor))
    failures = validate_package(package, curation=False)
    assert sum("must be relative, inside the package" in f.rule for f in failures) == 2


def test_versions_must_agree(package):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["version"] = "9.9.9"
    path.write_text(json.dumps(descriptor))
    find(validate_package(package, curation=False), layer="metadata",
         file=str(package / "datapackage.json"), column="version", value="'9.9.9'")


def test_stale_schema_file(package):
    path = package / "schemas" / "actors.json"
    path.write_text(path.read_text().replace("Canonical name.", "Name."))
    find(validate_package(package, curation=False), layer="files", table="actors",
         rule="Table Schema is stale: it must equal the registry's")


def test_csv_with_bom_or_crlf(package):
    path = package / "actors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    path = package / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    refresh_hashes(package)
    failures = validate_package(package, curation=False)
    find(failures, table="actors", rule="CSV must be UTF-8 without a byte-order mark")
    find(failures, table="events", rule="CSV lines must end in LF, not CRLF")


def rewrite(package, name, change):
    """Change rows of one table in both formats alike, so only the data rules can object."""
    rows = read_arrow(package / f"{name}.parquet", name, "parquet").to_pylist()
    change(rows)
    table = pa.Table.from_pylist(rows, schema=arrow_schema(TABLES[name]))
    write_parquet(table, package / f"{name}.parquet")
    write_csv(table, package / f"{name}.csv")
    refresh_hashes(package)


def test_published_data_must_equal_the_curation(package):
    rewrite(package, "actors", lambda rows: rows[0].update(name="Cathay"))
    failures = validate_package(package, curation=True)
    hit = find(failures, layer="curation", table="actors", column="name")
    assert hit.value == "'China' vs 'Cathay'"
    assert layers(failures) == {"curation"}


def test_every_failure_is_reported_not_just_the_first(package):
    edit_csv(package, "actors", '"state"', '"empire"', count=3)
    refresh_hashes(package)
    failures = [f for f in validate_package(package, curation=False) if f.layer == "tables"]
    assert len(failures) == 3


def test_id_must_carry_its_sources_serial(package):
    edit_csv(package, "actor_members", '"000.three_sides","000.china"',
             '"000.three_sides","001.china"')
    refresh_hashes(package)
    failures = validate_package(package, curation=False)
    hit = find(failures, layer="rules", table="actor_members", column="member_id")
    assert hit.value == "'001.china'" and hit.rule.startswith("id convention")


def test_uncoded_row_must_say_why(package):
    def drop_note(rows):
        for row in rows:
            if row["event_id"] == "000.crackdown":
                assert row["cameo_code"] is None and row["code_note"]
                row["code_note"] = None

    rewrite(package, "events", drop_note)
    failures = validate_package(package, curation=False)
    hit = find(failures, layer="rules", table="events", row="event_id=000.crackdown",
               column="code_note")
    assert hit.rule.startswith("event codes need a code_note")


def test_croissant_file_objects_must_match_the_files(package):
    path = package / "croissant.json"
    document = json.loads(path.read_text())
    document["distribution"][4]["sha256"] = "0" * 64
    document["distribution"][5]["contentUrl"] = "../actors.parquet"
    path.write_text(json.dumps(document))
    failures = validate_package(package, curation=False)
    hit = find(failures, layer="files", table="actors", column="sha256")
    assert hit.rule.startswith("Croissant sha256 must equal the file's")
    find(failures, layer="files", column="contentUrl", rule="must name a file inside the package")
