"""The hostile-package catalogue: packages built to attack whoever validates, renders, diffs,
cites or inspects them. Each case damages a copy of the published package and runs real
commands in a child process, which must finish in seconds, stay under a memory ceiling,
answer with a report (exit code and message, never a traceback), and open nothing outside
the package but the library itself.

To add a case: write a damage function and append one Hostile to CATALOGUE.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import thrift_compact as thrift
from damage import edit_json, refresh_hashes, rewrite, rows
from pybtex.database import parse_string

from datapkg.escape import TERMINAL_UNSAFE
from datapkg.publish import write_parquet
from datapkg.registry import TABLES
from datapkg.typemap import arrow_schema

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 60  # a hang is anything slower; a normal run takes a few seconds
MEMORY_CEILING = 1024 * 2**20  # peak RSS of the child; validating the real package needs ~300 MB
# The child records every file it opens (Python's audit hook sees builtins.open and os.open;
# pyarrow is only ever given bytes), then runs the command line.
RUNNER = """
import json, os, sys
opened = []
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        opened.append([os.path.abspath(os.fsdecode(args[0])), args[1], args[2]])
sys.addaudithook(hook)
from datapkg.cli import main
try:
    code = main(sys.argv[2:])
finally:
    # the high-water mark of this process's own memory (ru_maxrss survives exec; VmHWM not)
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
    with open(sys.argv[1], "w") as log:
        json.dump({"opened": opened, "peak": peak}, log)
sys.exit(code)
"""
# What the child may open outside the package: the library, the interpreter, time zones,
# and its own status (read by RUNNER for its peak memory).
LIBRARY = (str(ROOT / "datapkg"), sys.prefix, sys.base_prefix, sys.exec_prefix,
           "/usr/share/zoneinfo", "/proc/self/status")


@dataclass
class Run:
    code: int
    out: str
    err: str
    opened: list
    seconds: float
    peak: int


def run(args: list[str], log: Path, cwd: Path = ROOT) -> Run:
    """The command line in a child process, with its exit code, output, opened files, time
    and peak memory; killed (and the test failed) after SECONDS."""
    start = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", RUNNER, str(log), *args], cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail(f"{args} hung: still running after {SECONDS} s")
    record = json.loads(log.read_text())  # a child that dies before writing it fails here
    return Run(child.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
               record["opened"], time.monotonic() - start, record["peak"])


@dataclass
class Hostile:
    kind: str
    damage: Callable[[Path, Path], None]  # (package directory, a directory outside it)
    failure: str  # the code of a failure in the report of every command
    commands: tuple[str, ...] = ("validate", "render")
    code: int = 1

    def __str__(self) -> str:
        return self.kind


COMMANDS = {
    "validate": lambda p, out: ["validate", "--path", str(p)],
    "render": lambda p, out: ["render", "--path", str(p), "--out", str(out)],
    "diff": lambda p, out: ["diff", str(ROOT / "data"), str(p)],
    "cite": lambda p, out: ["cite", "--path", str(p)],
    "info": lambda p, out: ["info", "--path", str(p)],
    "serve": lambda p, out: ["serve", "--path", str(p), "--port", "0"],
    "export": lambda p, out: ["export", "--format", "brat", "--out", str(out), "--path", str(p)],
}


# --- damages ---------------------------------------------------------------------------------

def parquet_duplicate_key(package, _outside):
    rewrite(package, "actors", lambda rows: rows.append({**rows[0], "name": "Ghost"}),
            formats=("parquet",))


def script_in_an_enum(package, _outside):
    rewrite(package, "passages", lambda rows: rows[0].update(kind='"><script>alert(1)</script>'))


def seed_path(value):
    def damage(package, _outside):
        rewrite(package, "sources", lambda rows: rows[0].update(seed_path=value))
    return damage


def seed_linked_outside(package, outside):
    seed = next((package / "seeds").iterdir())
    seed.unlink()
    seed.symlink_to(outside / "secret.txt")


def a_seed(package: Path) -> str:
    """The path of the first source's seed, as the sources table names it."""
    return pq.read_table(package / "sources.parquet", columns=["seed_path"])[0][0].as_py()


def fifo(relative: str | Callable[[Path], str]):
    """A FIFO in place of a file: ``relative`` to the package, or a function that names it."""
    def damage(package, _outside):
        path = package / (relative(package) if callable(relative) else relative)
        path.unlink()
        os.mkfifo(path)
    return damage


def linked_to(relative, target):
    def damage(package, _outside):
        (package / relative).unlink()
        (package / relative).symlink_to(target)
    return damage


def csv_grown_beyond_its_bytes(package, _outside):
    with open(package / "actors.csv", "ab") as handle:
        handle.write(b"x" * (64 * 2**20))


def huge_descriptor(package, _outside):
    (package / "datapackage.json").write_bytes(b" " * (20 * 2**20) + b"{}")


def descriptor(document: str):
    return lambda package, _outside: (package / "datapackage.json").write_text(document)


def descriptor_field(key, value):
    return lambda package, _outside: edit_json(package / "datapackage.json",
                                                lambda d: d.update({key: value}))


def zstd_bomb(package, _outside):
    """One actors cell of 400 MB, zstd-compressed into a small file."""
    rows = pq.read_table(package / "actors.parquet").to_pylist()[:1]
    rows[0]["name"] = "a" * (400 * 2**20)
    write_parquet(pa.Table.from_pylist(rows, schema=arrow_schema(TABLES["actors"])),
                  package / "actors.parquet")
    refresh_hashes(package)


def run_length_bomb(package, _outside):
    """3×10⁷ identical rows, run-length encoded into a small file with honest metadata."""
    path = package / "event_participants.parquet"
    real = pq.read_table(path)
    n = 30_000_000
    columns = [pa.repeat(real.column(i)[0], n) for i in range(real.num_columns)]
    table = pa.Table.from_arrays(columns, schema=real.schema)
    pq.write_table(table, path, compression="zstd", use_dictionary=True)
    refresh_hashes(package)


def footer_understating_a_cell(package, _outside):
    """One actors cell of 320 MB, zstd-compressed into a small file whose footer claims that
    every column chunk decodes to its compressed size; the page headers tell the truth."""
    path = package / "actors.parquet"
    row = pq.read_table(path).to_pylist()[0]
    row["name"] = "a" * (320 * 2**20)
    write_parquet(pa.Table.from_pylist([row], schema=arrow_schema(TABLES["actors"])), path)
    body, footer = thrift.split_parquet(path.read_bytes())
    for meta in thrift.column_chunks(footer):
        meta[6] = (thrift.I64, meta[7][1])  # total_uncompressed_size = total_compressed_size
    for row_group in footer[4][1][1]:
        row_group[2] = (thrift.I64, sum(chunk[3][1][7][1] for chunk in row_group[1][1][1]))
    path.write_bytes(thrift.join_parquet(body, footer))
    refresh_hashes(package)


def dictionary_bomb(package, _outside):
    """A 1 MiB name, stored once in a dictionary page and referenced by 2,048 rows: a small
    file, honest in every header, whose names expand to 2 GiB."""
    path = package / "actors.parquet"
    real = pq.read_table(path)
    n = 2048
    columns = [pa.repeat(real.column(i)[0], n) for i in range(real.num_columns)]
    columns[real.schema.get_field_index("name")] = pa.DictionaryArray.from_arrays(
        pa.array([0] * n, pa.int32()), pa.array(["a" * 2**20]))
    pq.write_table(pa.table(columns, names=real.column_names), path, compression="zstd",
                   store_schema=False)
    # the Arrow and pandas metadata of the real file, so that the schema checks pass
    body, footer = thrift.split_parquet(path.read_bytes())
    footer[5] = thrift.split_parquet((ROOT / "data" / "actors.parquet").read_bytes())[1][5]
    path.write_bytes(thrift.join_parquet(body, footer))
    refresh_hashes(package)


def empty_row_groups(count: int, chunks: int):
    """``count`` row groups of ``chunks`` empty column chunks each, after the real one: a
    footer out of specification (the schema has far fewer columns), cheap on disk."""
    def damage(package, _outside):
        path = package / "actors.parquet"
        body, footer = thrift.split_parquet(path.read_bytes())
        chunk = thrift.Encoded(thrift.write_struct({2: (thrift.I64, 0)}))  # file_offset 0
        empty = {1: (thrift.LIST, (thrift.STRUCT, [chunk] * chunks)),  # columns
                 2: (thrift.I64, 0), 3: (thrift.I64, 0)}  # total_byte_size, num_rows
        footer[4][1][1].extend([thrift.Encoded(thrift.write_struct(empty))] * count)
        path.write_bytes(thrift.join_parquet(body, footer))
        refresh_hashes(package)
    return damage


def spans_over_a_huge_seed(package, _outside):
    """A seed grown to 16 MiB (its article kept at its start) and 100 mentions spanning all of
    it, each with a short text."""
    source = rows(package, "sources")[0]
    seed = package / source["seed_path"]
    data = seed.read_bytes()
    data += b"x" * (16 * 2**20 - len(data))
    seed.write_bytes(data)
    text = data.decode("utf-8")
    rewrite(package, "sources", lambda table: table[0].update(
        sha256=hashlib.sha256(data).hexdigest(), length_bytes=len(data),
        length_chars=len(text)))
    mention = next(m for m in rows(package, "mentions") if m["source_id"] == source["source_id"])
    rewrite(package, "mentions", lambda table: table.extend(
        {**mention, "mention_id": f"{mention['mention_id']}_{i}", "span_start": 0,
         "span_end": len(text)} for i in range(100)))


def csv_without_a_newline(package, _outside):
    """An actors CSV of 128 MiB without a line break: its header never ends, and splits into
    millions of quoted names."""
    (package / "actors.csv").write_bytes(b'"ab",' * (128 * 2**20 // 5))
    refresh_hashes(package)


def many_resources_one_file(package, _outside):
    (package / "seeds" / "big.bin").write_bytes(os.urandom(4 * 2**20))
    edit_json(package / "datapackage.json", lambda d: d["resources"].extend(
        {"name": f"seed-{i}", "type": "file", "path": "seeds/big.bin", "bytes": 4 * 2**20,
         "hash": "sha256:" + "0" * 64} for i in range(1000)))


def deep_json(package, _outside):
    (package / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)


def dangling_mention(package, _outside):
    rewrite(package, "mentions", lambda rows: rows[0].update(actor_id="nobody"))


def forged_pandas_index(package, _outside):
    path = package / "actors.parquet"
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"pandas"])
    meta["index_columns"] = ["actor_id"]
    table = table.replace_schema_metadata({**table.schema.metadata,
                                           b"pandas": json.dumps(meta).encode()})
    pq.write_table(table, path, compression="zstd")
    refresh_hashes(package)


def resource_path_with_nul(package, _outside):
    edit_json(package / "datapackage.json",
              lambda d: next(r for r in d["resources"] if r["name"] == "events")
              .update(path="events\x00.csv"))


def source_id(value: str | Callable[[Path], str]):
    """Every row of the first source under another source id, given or made from the
    directory outside (keys still join, so export, which does not validate, reads it)."""
    def damage(package, outside):
        new = value(outside) if callable(value) else value
        old = pq.read_table(package / "sources.parquet", columns=["source_id"])[0][0].as_py()
        for name, table in TABLES.items():
            if any(f.name == "source_id" for f in table.fields):
                rewrite(package, name, lambda rows: [r.update(source_id=new) for r in rows
                                                     if r["source_id"] == old])
    return damage


def formula_cell(package, _outside):
    rewrite(package, "actors", lambda rows: rows[0].update(
        note='=HYPERLINK("http://example.invalid","click")'))


def croissant_entry(key, value):
    """One of Croissant's file objects with ``key`` set to ``value``."""
    return lambda package, _outside: edit_json(package / "croissant.json",
                                               lambda d: d["distribution"][0].update({key: value}))


def croissant_field(key, value):
    return lambda package, _outside: edit_json(package / "croissant.json",
                                               lambda d: d.update({key: value}))


def seed_resource_misnamed(package, _outside):
    """A seed resource whose name is a list and whose hash is wrong: the failure that names
    the resource must not carry the list."""
    def change(d):
        seed = next(r for r in d["resources"] if r["path"].startswith("seeds/"))
        seed.update(name=["seed"], hash="sha256:" + "0" * 64)
    edit_json(package / "datapackage.json", change)


def control_characters_in_cells(package, _outside):
    rewrite(package, "actors", lambda rows: (rows[0].update(name="A\x00B"),
                                             rows[1].update(note="\x1b]0;title\x07\x1b[2J")))


# Every command that reads a package's metadata; each refuses a wrong-typed value with a report.
METADATA_READERS = ("validate", "cite", "render", "info", "diff")

# Every cross-table rule: work near-linear in its tables, never a product of two of them.
def parties_of_one_act_in_one_role(package, _outside):
    """50,000 committers of one commitment (actors that do not exist)."""
    party = rows(package, "commitment_parties")[0]
    rewrite(package, "commitment_parties", lambda table: table.extend(
        {**party, "actor_id": f"ghost_{i}"} for i in range(50_000)))


def calls_on_one_statement(package, _outside):
    """20,000 intentions on one statement, each by a member of a group the statement names
    20,000 times."""
    member = rows(package, "actor_members")[0]
    statement = rows(package, "statements")[0]
    commitment = rows(package, "commitments")[0]
    mention = rows(package, "mentions")[0]
    party = rows(package, "commitment_parties")[0]
    ids = [f"{commitment['commitment_id']}_{i}" for i in range(20_000)]
    rewrite(package, "commitments", lambda table: table.extend(
        {**commitment, "commitment_id": c, "kind": "intention",
         "statement_id": statement["statement_id"]} for c in ids))
    rewrite(package, "commitment_parties", lambda table: table.extend(
        {**party, "commitment_id": c, "actor_id": member["member_id"], "role": "committer"}
        for c in ids))
    rewrite(package, "mentions", lambda table: table.extend(
        {**mention, "mention_id": f"{mention['mention_id']}_{i}", "actor_id": member["actor_id"],
         "span_start": statement["span_start"], "span_end": statement["span_end"],
         "text": statement["text"]} for i in range(20_000)))


def links_realising_one_event(package, _outside):
    """One event of 20,000 participants, realised by 20,000 acts, each carrying a group that
    reaches every participant."""
    event = rows(package, "events")[0]
    act = rows(package, "acts")[0]
    group = rows(package, "actor_members")[0]["actor_id"]
    event_id, acts = f"{event['event_id']}_far", [f"{act['act_id']}_{i}" for i in range(20_000)]
    participant = rows(package, "event_participants")[0]
    actors = [f"ghost_{i}" for i in range(20_000)]
    rewrite(package, "events", lambda table: table.append({**event, "event_id": event_id}))
    rewrite(package, "event_participants", lambda table: table.extend(
        {**participant, "event_id": event_id, "actor_id": a, "role": "withdrawing_party"}
        for a in actors))
    rewrite(package, "actor_closure", lambda table: table.extend(
        {**table[0], "actor_id": group, "related_id": a, "depth": 1} for a in actors))
    rewrite(package, "acts", lambda table: table.extend({**act, "act_id": a} for a in acts))
    rewrite(package, "act_parties", lambda table: table.extend(
        {**table[0], "act_id": a, "actor_id": group, "role": "actor"} for a in acts))
    link = rows(package, "act_links")[0]
    rewrite(package, "act_links", lambda table: table.extend(
        {**link, "from_id": event_id, "relation": "realises", "to_id": a, "note": None}
        for a in acts))


CATALOGUE = [
    Hostile("Parquet rows that repeat a CSV row's key", parquet_duplicate_key,
            "formats-key-duplicated",
            ("validate", "render", "diff")),
    Hostile("markup in an enum column", script_in_an_enum, "enum", ("validate", "render", "serve")),
    Hostile("seed path to a file outside", seed_path("/etc/passwd"),
            "seed-path", ("validate", "render", "cite")),
    Hostile("seed path climbing out", seed_path("seeds/../../outside/secret.txt"),
            "seed-path"),
    Hostile("seed linked to a file outside", seed_linked_outside, "seed-path",
            ("validate", "render", "serve")),
    Hostile("table file that is a FIFO", fifo("actors.csv"), "resource-path",
            ("validate", "render", "info", "serve")),
    Hostile("descriptor that is a FIFO", fifo("datapackage.json"), "metadata-unreadable",
            ("validate", "render", "cite")),
    Hostile("Croissant metadata that is a FIFO", fifo("croissant.json"), "metadata-unreadable"),
    Hostile("seed that is a FIFO", fifo(a_seed),
            "seed-path"),
    Hostile("table file linked to /dev/urandom", linked_to("figures.csv", "/dev/urandom"),
            "resource-path", ("validate", "render", "info")),
    Hostile("descriptor linked to /dev/zero", linked_to("datapackage.json", "/dev/zero"),
            "metadata-unreadable", ("validate", "render", "cite")),
    Hostile("CSV larger than its declared bytes", csv_grown_beyond_its_bytes,
            "bytes-mismatch"),
    Hostile("descriptor beyond the size cap", huge_descriptor, "metadata-unreadable"),
    Hostile("Parquet cell that decompresses to 400 MB", zstd_bomb,
            "table-unreadable", ("validate", "render", "info")),
    Hostile("3×10⁷ run-length rows in a small Parquet", run_length_bomb,
            "table-unreadable", ("validate", "render", "info")),
    Hostile("Parquet footer understating a 320 MB cell", footer_understating_a_cell,
            "table-unreadable", ("validate", "render", "info")),
    Hostile("1 MiB dictionary entry repeated over 2,048 Parquet rows", dictionary_bomb,
            "table-unreadable", ("validate", "render", "info")),
    Hostile("Parquet footer of 2,000 row groups of 1,000 empty column chunks",
            empty_row_groups(2000, 1000), "table-unreadable", ("validate", "render", "info")),
    Hostile("Parquet footer of 100 row groups of 1,000 empty column chunks",
            empty_row_groups(100, 1000), "parquet-unreadable", ("validate", "render", "info")),
    Hostile("100 spans over all of a 16 MiB seed", spans_over_a_huge_seed, "span-text"),
    Hostile("CSV of 128 MiB without a line break", csv_without_a_newline, "column-order",
            ("validate", "render", "info")),
    Hostile("1,000 resources naming one 4 MB file", many_resources_one_file,
            "resource-unknown"),
    Hostile("descriptor that is a list", descriptor("[]"), "metadata-shape",
            ("validate", "render", "cite", "serve")),
    Hostile("descriptor that is a string", descriptor('"package"'),
            "metadata-shape"),
    Hostile("descriptor that is a number", descriptor("42"), "metadata-shape"),
    Hostile("resources that are not a list", descriptor_field("resources", {"a": 1}),
            "metadata-shape"),
    Hostile("descriptor nested 100,000 deep", deep_json, "metadata-unreadable",
            ("validate", "render", "cite")),
    Hostile("created that is not a string", descriptor_field("created", 42),
            "metadata-shape", ("validate", "render", "cite")),
    Hostile("created that is no date", descriptor_field("created", "2021-99-99T00:00:00Z"),
            "created-format"),
    Hostile("mention of an actor that does not exist", dangling_mention,
            "foreign-key"),
    Hostile("forged pandas metadata moving a key into the index", forged_pandas_index,
            "parquet-metadata", ("validate", "render", "diff")),
    Hostile("NUL in a resource path", resource_path_with_nul, "resource-path"),
    Hostile("cell a spreadsheet would run as a formula", formula_cell,
            "rule-no-formulas"),
    Hostile("source id that is an absolute path", source_id(lambda o: str(o / "victim")),
            "pattern", ("validate", "export")),
    Hostile("source id climbing out", source_id("../victim"), "pattern", ("validate", "export")),
    Hostile("Croissant contentUrl that is a list", croissant_entry("contentUrl", ["a.parquet"]),
            "metadata-shape", METADATA_READERS),
    Hostile("Croissant contentUrl that is an object",
            croissant_entry("contentUrl", {"@id": "actors.parquet"}), "metadata-shape",
            METADATA_READERS),
    Hostile("Croissant @id and sha256 that are lists",
            lambda p, o: (croissant_entry("@id", [1])(p, o), croissant_entry("sha256", [])(p, o)),
            "metadata-shape", METADATA_READERS),
    Hostile("Croissant version that is an object", croissant_field("version", {"v": 1}),
            "metadata-shape", METADATA_READERS),
    Hostile("Croissant distribution that is an object", croissant_field("distribution", {}),
            "metadata-shape", METADATA_READERS),
    Hostile("descriptor title that is a list", descriptor_field("title", ["a", "b"]),
            "metadata-shape", METADATA_READERS),
    Hostile("seed resource named by a list, with a wrong hash", seed_resource_misnamed,
            "metadata-shape", METADATA_READERS),
    Hostile("NUL and terminal escapes in text cells", control_characters_in_cells,
            "control-character", ("validate", "render", "cite", "info")),
    Hostile("50,000 parties of one act in one role", parties_of_one_act_in_one_role,
            "foreign-key", ("validate",)),
    Hostile("20,000 intentions on one statement naming a group 20,000 times",
            calls_on_one_statement, "rule-self-inclusive-calls", ("validate",)),
    Hostile("one event of 20,000 participants realised by 20,000 links",
            links_realising_one_event, "foreign-key", ("validate",)),
]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the package, holding a secret no command may open."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("secret\n")
    return directory


def opened_outside(result: Run, *trees: Path) -> list:
    """Files the child opened outside the library and the ``trees``."""
    roots = (*LIBRARY, *map(str, trees))
    return [entry for entry in result.opened
            if not any(entry[0] == r or entry[0].startswith(r.rstrip("/") + "/") for r in roots)]


def test_the_catalogue_has_a_case_for_every_class():
    assert len({c.kind for c in CATALOGUE}) == len(CATALOGUE) >= 29


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_hostile_package_gets_a_report_and_harms_nothing(case, package, outside, tmp_path):
    case.damage(package, outside)
    # The commands are independent child processes: they run side by side, each measured on
    # its own (its exit, output, files opened, time and peak memory).
    with ThreadPoolExecutor(max_workers=len(case.commands)) as pool:
        results = list(pool.map(lambda c: run(COMMANDS[c](package, tmp_path / f"site-{c}"),
                                               tmp_path / f"{c}.json"), case.commands))
    for command, result in zip(case.commands, results):
        site = tmp_path / f"site-{command}"
        where = f"{command}: exit {result.code}\n{result.err[-3000:]}"
        assert result.code == case.code, where
        assert "Traceback" not in result.err + result.out, where
        assert f":{case.failure}]" in result.err, where
        assert 0 < result.peak < MEMORY_CEILING, f"{command}: peak {result.peak >> 20} MB"
        compared = ROOT / "data" if command == "diff" else package
        assert opened_outside(result, package, compared, tmp_path / f"{command}.json") == [], \
            where
        assert not site.exists(), f"{command} wrote a site from a hostile package"
    assert (outside / "secret.txt").read_text() == "secret\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_a_clean_copy_opens_nothing_outside_and_renders(package, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    site = out / "site"
    for command in ("validate", "render", "cite", "info"):
        result = run(COMMANDS[command](package, site), tmp_path / f"{command}.json")
        assert result.code == 0, result.err
        assert result.peak < MEMORY_CEILING
        # the site is staged beside itself, in out/, which is opened only to lock it
        assert opened_outside(result, package, out, tmp_path / f"{command}.json") == []
    assert (site / "index.html").is_file()


def test_serve_refuses_a_folder_that_is_not_a_package(tmp_path):
    """`serve --path ~` would have served ~/.ssh: a folder with no package is refused before
    anything listens, in one line, and nothing in it is opened."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("private key\n")
    (home / "index.html").write_text("<script>alert(1)</script>\n")
    result = run(["serve", "--path", str(home), "--port", "0"], tmp_path / "log.json")
    assert result.code == 1 and result.out == "", result.err
    assert result.err.count("\n") == 1 and f"no datapackage.json in {home}" in result.err
    assert opened_outside(result, tmp_path / "log.json") == []


def test_a_package_whose_directory_name_is_not_utf8_is_validated(package, tmp_path):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/pak\xff\xfe"))
    package.rename(odd)
    (odd / "events.csv").write_text("broken\n")
    result = run(["validate", "--path", os.fsdecode(odd)], tmp_path / "log.json")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "pak\\udcff\\udcfe" in result.err or "pak\\xff\\xfe" in result.err, result.err[-2000:]
    assert "columns must be, in order" in result.err


# --- every output path: a plain name in its folder, never through a link; nothing deleted ---

@pytest.mark.parametrize("fmt", ["brat", "webanno"])
@pytest.mark.parametrize("value", [lambda o: str(o / "victim"), lambda o: "../victim"],
                         ids=["absolute", "climbing"])
def test_export_without_validation_writes_nothing_a_source_id_names(value, fmt, package,
                                                                    outside, tmp_path):
    import datapkg
    from datapkg.errors import UnsafeOutput

    source_id(value)(package, outside)
    out = tmp_path / "out"
    with pytest.raises(UnsafeOutput, match="plain name"):
        datapkg.export(fmt, out, path=package, verify=False)
    assert not out.exists()  # every name is checked before a byte is written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "package"]
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


@pytest.mark.parametrize("fmt", ["brat", "webanno", "plover"])
def test_export_replaces_a_link_in_its_folder_and_never_writes_through_it(fmt, package,
                                                                         outside, tmp_path):
    import datapkg

    names = [p.name for p in datapkg.export(fmt, tmp_path / "first", path=package)]
    out = tmp_path / "out"
    out.mkdir()
    # One link to the secret, the others to files outside that do not exist yet.
    for n, name in enumerate(names):
        (out / name).symlink_to(outside / ("secret.txt" if n == 0 else f"made-{n}"))
    (out / "mine.txt").write_text("mine\n")
    log = tmp_path / "log.json"
    result = run(["export", "--format", fmt, "--out", str(out), "--path", str(package)], log)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert (outside / "secret.txt").read_text() == "secret\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    for name in names:
        assert not (out / name).is_symlink()
        assert (out / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, "mine.txt"])
    assert (out / "mine.txt").read_text() == "mine\n"
    assert opened_outside(result, package, out, log) == []


def test_render_into_a_folder_holding_other_files_refuses_and_deletes_nothing(package,
                                                                               tmp_path):
    folder = tmp_path / "folder"
    (folder / "notes").mkdir(parents=True)
    (folder / "index.html").write_text("my own page\n")
    (folder / "notes" / "a.txt").write_text("a\n")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = run(COMMANDS["render"](package, folder), tmp_path / "log.json")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "refusing to replace a folder" in result.err and "no earlier render" in result.err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "log.json", "package"]


def test_render_replaces_a_site_it_wrote_but_not_one_given_a_file_since(package, tmp_path):
    site = tmp_path / "site"
    assert run(COMMANDS["render"](package, site), tmp_path / "1.json").code == 0
    assert run(COMMANDS["render"](package, site), tmp_path / "2.json").code == 0
    (site / "added.txt").write_text("added\n")
    result = run(COMMANDS["render"](package, site), tmp_path / "3.json")
    assert result.code == 1 and "'added.txt'" in result.err, result.err
    assert (site / "added.txt").read_text() == "added\n" and (site / "index.html").is_file()


def test_render_into_a_link_is_refused(package, outside, tmp_path):
    link = tmp_path / "site"
    link.symlink_to(outside)
    result = run(COMMANDS["render"](package, link), tmp_path / "log.json")
    assert result.code == 1 and "refusing to replace a link" in result.err, result.err
    assert link.is_symlink() and sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_build_into_a_folder_holding_other_files_refuses_and_deletes_nothing(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work\n")
    result = run(["build", "--path", str(folder)], tmp_path / "log.json")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "refusing to replace a folder" in result.err and "'thesis.tex'" in result.err
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.tex"]
    assert (folder / "thesis.tex").read_text() == "years of work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "log.json"]


# --- git revisions are never options, and their trees are extracted safely ----------------

@pytest.mark.parametrize("args", [
    ["diff", "--", "--output={target}", "data"],
    ["diff", "--", "-o{target}", "data"],
    ["diff", "data", "--", "--output={target}"],
])
def test_a_revision_is_never_taken_as_an_option(args, tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("keep me\n")
    result = run([a.format(target=target) for a in args], tmp_path / "log.json")
    assert result.code == 2 and "Traceback" not in result.err, result.err
    assert "neither a package directory nor a git revision" in result.err
    assert target.read_text() == "keep me\n"


def test_a_revision_whose_data_holds_a_link_is_refused(tmp_path, monkeypatch):
    import datapkg.diff as diff

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "datapackage.json").symlink_to("/etc/passwd")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "data"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "link"], cwd=repo, check=True)
    monkeypatch.setattr(diff, "ROOT", repo)
    with pytest.raises(ValueError, match="cannot be extracted safely"):
        with diff.package_dir("HEAD"):
            pass


# --- text leaving the package is escaped for where it goes ---------------------------------

# Escape sequences a terminal acts on: OSC 52 (writes the clipboard), OSC 0 (the window's
# title), CSI 2J (clears the screen), the same CSI as one C1 character, a bidi override.
TERMINAL_ATTACK = "\x1b]52;c;SGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J\x9b2J\u202eevil"
# Characters str.splitlines breaks a line at that JSON leaves as they are.
LINE_BREAKS = "\u2028\x85\u2029\x0b\x1c"


def test_package_and_prediction_text_reaches_the_terminal_as_text(package, tmp_path):
    """info, cite (every format) and score show control characters from a package, a
    prediction file or a path as escapes, never as the characters (every command prints
    through one escape: tests/test_escape.py). A text cell holding them makes the package
    invalid, and the report that says so shows them escaped too."""
    predictions = tmp_path / "brat"
    assert run(["export", "--format", "brat", "--out", str(predictions), "--path", str(package)],
               tmp_path / "export.json").code == 0
    records = tmp_path / "plover"
    assert run(["export", "--format", "plover", "--out", str(records), "--path", str(package)],
               tmp_path / "export-plover.json").code == 0
    first = next(predictions.glob("*.ann"))
    # The same coding's records beside the .ann: the coder's actor ids are printed too.
    mine = [line for line in (records / "events.plover.jsonl").read_text().splitlines()
            if json.loads(line)["source_id"] == first.stem]  # the .ann's article's records
    first.with_suffix(".plover.jsonl").write_text("".join(f"{line}\n" for line in mine))
    with open(first, "a") as ann:
        ann.write(f"T9999\tlabel{TERMINAL_ATTACK} 0 5\nA9999\tactor_id T9999 coder{TERMINAL_ATTACK}\n")
    edit_json(package / "datapackage.json", lambda d: d.update(title="Package" + TERMINAL_ATTACK))
    cells = tmp_path / "cells"
    shutil.copytree(package, cells)
    rewrite(cells, "sources", lambda rows: rows[0].update(
        title="Headline" + TERMINAL_ATTACK, outlet="Outlet" + TERMINAL_ATTACK))
    # (cite prints no descriptor value; on the cells it refuses, it prints the report)
    commands = [(["info"], package, 0), (["score", str(predictions)], package, 0),
                (["score", str(tmp_path / f"missing{TERMINAL_ATTACK}.jsonl")], package, 1),
                (["info"], cells, 1), (["cite"], cells, 1)]
    for n, (args, path, code) in enumerate(commands):
        result = run([*args, "--path", str(path)], tmp_path / f"{n}.json")
        shown = result.out + result.err
        assert result.code == code, (args, result.err[-2000:])
        assert "\\x1b]52;c;SGVsbG8=\\x07" in shown and "\\u202eevil" in shown, (args, shown[-2000:])
        assert not TERMINAL_UNSAFE.search(shown), (args, shown[-2000:])
        if args[0] == "score" and code == 0:
            assert "coder\\x1b]52;c;SGVsbG8=\\x07" in shown, shown[-2000:]


def test_bibtex_of_a_hostile_source_is_its_two_entries(package, tmp_path):
    """An address with the characters TeX and BibTeX read as syntax that a URL may hold (a
    comment's %, #, &, $, ~), a brace that a backslash does not protect from BibTeX, and a TeX
    ^^5c (a backslash) stay text in the entries. (An address holding braces, which would close
    its field and open an @preamble, is not a URL: validation refuses it.)"""
    injected = tmp_path / "braces"
    shutil.copytree(package, injected)
    rewrite(injected, "sources", lambda rows: rows[0].update(
        url='https://x.invalid/},title={Injected}}@preamble{"\\input{/etc/passwd}"}@misc{evil,note={'))
    refused = run(["cite", "--format", "bibtex", "--path", str(injected)], tmp_path / "refused.json")
    assert refused.code == 1 and "[tables:pattern]" in refused.err and "| url |" in refused.err
    rewrite(package, "sources", lambda rows: rows[0].update(
        url="https://x.invalid/a%7D%20b?c=1&d=$2#~frag%",
        title="Headline \\} ^^5cinput^^7b/etc/passwd^^7d } {"))
    for style in ("bibtex", "biblatex"):
        result = run(["cite", "--format", style, "--path", str(package)], tmp_path / f"{style}.json")
        assert result.code == 0, result.err
        data = parse_string(result.out, "bibtex")  # strict: any syntax error raises
        # the dataset, then one entry per article, the damaged one first
        assert len(data.entries) == 1 + len(rows(package, "sources")), result.out
        assert data.preamble_list == [] and "evil" not in data.entries, result.out
        assert "^" not in result.out, result.out
        article = list(data.entries.values())[1]
        assert "/etc/passwd" in article.fields["title"] and "Injected" not in article.fields


def test_plover_export_keeps_one_record_a_line_and_scores(package, tmp_path):
    """A text cell holding the characters str.splitlines breaks at that a text cell may hold
    (the line and paragraph separators; the others are control characters, which validation
    refuses) is exported as JSON Lines whose every line is one record, and the export scores."""
    breaks = "\u2028\u2029"
    rewrite(package, "sources", lambda rows: rows[0].update(title=f"Head{breaks}line"))
    out = tmp_path / "plover"
    result = run(["export", "--format", "plover", "--out", str(out), "--path", str(package)],
                 tmp_path / "export.json")
    assert result.code == 0, result.err
    text = (out / "events.plover.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == len(rows(package, "acts")) == text.count("\n")
    damaged = rows(package, "sources")[0]["source_id"]
    assert {r["cite_info"]["title"] for r in records if r["source_id"] == damaged} == \
        {f"Head{breaks}line"}
    result = run(["score", str(out / "events.plover.jsonl"), "--path", str(package)],
                 tmp_path / "score.json")
    assert result.code == 0 and "acts detected" in result.out, result.err
