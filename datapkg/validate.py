"""Validate a published package: every layer, every failure, one report.

Layers: files (descriptor, paths, sizes, hashes, encoding, headers, generated schemas),
formats (CSV == Parquet), tables (pandera, per column and key), keys (foreign keys), rules
(across columns), provenance (seed hashes, every span equals the seed's slice), curation
(published == rebuilt from the curation scripts, in a checkout) and metadata (one version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg import __version__
from datapkg.compare import diff_frames
from datapkg.descriptor import PARQUET_SUFFIX, schema_path, table_schema, to_json
from datapkg.loader import LoadError, read_arrow, safe_path, to_pandas
from datapkg.metadata import (
    CHANGELOG,
    CITATION,
    CODEBOOK,
    ROOT,
    ZENODO,
    at,
    latest_changelog_version,
)
from datapkg.registry import TABLES, Table, spans
from datapkg.rules import violations
from datapkg.types import arrow_schema


@dataclass(frozen=True, order=True)
class Failure:
    layer: str
    file: str
    table: str
    row: str
    column: str
    value: str
    rule: str
    hint: str = ""

    def __str__(self) -> str:
        where = " | ".join(x or "-" for x in (self.file, self.table, self.row, self.column))
        hint = f"\n      fix: {self.hint}" if self.hint else ""
        return f"[{self.layer}] {where} | value {self.value} | {self.rule}{hint}"


def shown(value) -> str:
    """A value as a report shows it: Python's repr, NumPy scalars as plain numbers."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    text = "null" if value is None or value is pd.NA or (isinstance(value, float) and
                                                          value != value) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def row_key(table: Table, frame: pd.DataFrame, index) -> str:
    if index is None or index not in frame.index:
        return ""
    return ", ".join(f"{k}={frame.at[index, k]}" for k in table.primary_key)


# --- files ---------------------------------------------------------------------------------

def check_descriptor(directory: Path) -> tuple[dict | None, list[Failure]]:
    path = directory / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, [Failure("files", str(path), "", "", "", "", f"descriptor unreadable: {exc}",
                              "rebuild with `datapkg build`")]
    failures = []
    names = {r.get("name") for r in package.get("resources", [])}
    for name in TABLES:
        for expected in (name, name + PARQUET_SUFFIX):
            if expected not in names:
                failures.append(Failure("files", str(path), name, "", "resources", expected,
                                        "every table has a CSV and a Parquet resource"))
    for resource in package.get("resources", []):
        failures += check_resource(directory, path, resource)
    return package, failures


def check_resource(directory: Path, descriptor_path: Path, resource: dict) -> list[Failure]:
    name, relative = resource.get("name", "?"), resource.get("path", "")
    table = name.removesuffix(PARQUET_SUFFIX)
    file = safe_path(directory, relative) if isinstance(relative, str) else None
    if file is None:
        return [Failure("files", str(descriptor_path), table, name, "path", shown(relative),
                        "resource path must be relative, inside the package, and not a link")]
    if not file.is_file():
        return [Failure("files", str(file), table, name, "path", shown(relative),
                        "file is missing", "rebuild with `datapkg build`")]
    data = file.read_bytes()
    failures = []
    declared_hash = resource.get("hash")
    actual_hash = "sha256:" + hashlib.sha256(data).hexdigest()
    if declared_hash != actual_hash:
        failures.append(Failure("files", str(file), table, name, "hash", shown(declared_hash),
                                f"descriptor hash must equal the file's ({actual_hash})"))
    if resource.get("format") != "parquet" and resource.get("bytes") != len(data):
        failures.append(Failure("files", str(file), table, name, "bytes",
                                shown(resource.get("bytes")),
                                f"descriptor bytes must equal the file's size ({len(data)})"))
    if resource.get("format") == "csv":
        failures += check_csv_bytes(file, table, data)
    if "schema" in resource and resource["schema"] != schema_path(table):
        failures.append(Failure("files", str(descriptor_path), table, name, "schema",
                                shown(resource["schema"]), f"must be {schema_path(table)}"))
    return failures


def check_csv_bytes(file: Path, name: str, data: bytes) -> list[Failure]:
    rule = None
    if data.startswith(b"\xef\xbb\xbf"):
        rule = "CSV must be UTF-8 without a byte-order mark"
    elif b"\r" in data:
        rule = "CSV lines must end in LF, not CRLF"
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            rule = f"CSV must be UTF-8: {exc}"
    if rule:
        return [Failure("files", str(file), name, "", "", "", rule, "rebuild with `datapkg build`")]
    header = data.split(b"\n", 1)[0].decode("utf-8").replace('"', "").split(",")
    expected = TABLES[name].columns
    if header != expected:
        return [Failure("files", str(file), name, "header", "", shown(",".join(header)),
                        f"columns must be, in order: {','.join(expected)}")]
    return []


def check_croissant(directory: Path) -> list[Failure]:
    """Croissant's file objects: inside the package, and their sha256 and size match."""
    path = directory / "croissant.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Failure("files", str(path), "", "", "", "", f"Croissant metadata unreadable: {exc}",
                        "rebuild with `datapkg build`")]
    failures = []
    for entry in document.get("distribution", []):
        relative = entry.get("contentUrl", "")
        table = str(relative).removesuffix(".parquet")
        file = safe_path(directory, relative) if isinstance(relative, str) else None
        if file is None or not file.is_file():
            failures.append(Failure("files", str(path), table, entry.get("@id", ""), "contentUrl",
                                    shown(relative), "must name a file inside the package"))
            continue
        data = file.read_bytes()
        size, digest = len(data), hashlib.sha256(data).hexdigest()
        if entry.get("sha256") != digest:
            failures.append(Failure("files", str(path), table, entry.get("@id", ""), "sha256",
                                    shown(entry.get("sha256")),
                                    f"Croissant sha256 must equal the file's ({digest})"))
        if entry.get("contentSize") != f"{size} B":
            failures.append(Failure("files", str(path), table, entry.get("@id", ""),
                                    "contentSize", shown(entry.get("contentSize")),
                                    f"Croissant contentSize must equal the file's ({size} B)"))
    return failures


def check_generated_schemas(directory: Path) -> list[Failure]:
    failures = []
    for name, table in TABLES.items():
        path = directory / schema_path(name)
        if not path.is_file() or path.read_bytes() != to_json(table_schema(table)):
            failures.append(Failure("files", str(path), name, "", "", "",
                                    "Table Schema is stale: it must equal the registry's",
                                    "rebuild with `datapkg build`"))
    return failures


# --- reading and formats -------------------------------------------------------------------

def read_table(directory: Path, name: str, fmt: str) -> tuple[pd.DataFrame | None, list[Failure]]:
    path = directory / f"{name}.{fmt}"
    if fmt == "parquet":
        failures = check_parquet_schema(path, name)
        if failures:
            return None, failures
    try:
        return to_pandas(read_arrow(path, name, fmt)), []
    except LoadError as exc:
        cells = locate_bad_cells(path, name) if fmt == "csv" else []
        return None, cells or [Failure("files", str(path), name, "", "", "", str(exc))]


def check_parquet_schema(path: Path, name: str) -> list[Failure]:
    try:
        actual = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        return [Failure("files", str(path), name, "", "", "", f"not a readable Parquet file: {exc}")]
    expected = arrow_schema(TABLES[name])
    if actual.names != expected.names:
        return [Failure("files", str(path), name, "", "", shown(",".join(actual.names)),
                        f"columns must be, in order: {','.join(expected.names)}")]
    return [Failure("files", str(path), name, "", f.name, str(actual.field(f.name).type),
                    f"Parquet type must be {f.type}")
            for f in expected if actual.field(f.name).type != f.type]


def parse_integer(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(f"not an integer: {text!r}")
    return int(text)


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"not an ISO date: {text!r}")
    return dt.date.fromisoformat(text)


def locate_bad_cells(path: Path, name: str) -> list[Failure]:
    """Name each CSV cell that does not parse as its column's type."""
    table = TABLES[name]
    try:
        raw = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in table.columns}, null_values=[""],
            strings_can_be_null=True)).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        return [Failure("files", str(path), name, "", "", "", f"unreadable CSV: {exc}")]
    parsers = {"integer": parse_integer, "number": float, "date": parse_date,
               "boolean": lambda v: {"true": True, "false": False}[v]}
    failures = []
    for f in table.fields:
        if f.name not in raw or f.type not in parsers:
            continue
        for index, value in raw[f.name].items():
            if value is None or value != value:
                continue
            try:
                parsers[f.type](value)
            except (ValueError, KeyError):
                key = ", ".join(f"{k}={raw.at[index, k]}" for k in table.primary_key if k in raw)
                failures.append(Failure("tables", str(path), name, key, f.name, shown(value),
                                        f"type: must be {f.type}"))
    return failures


def compare_frames(left: pd.DataFrame, right: pd.DataFrame, table: Table, file: str,
                   layer: str, rule: str) -> list[Failure]:
    """A failure for every row or cell in which two versions of one table differ."""
    if left.dtypes.to_dict() == right.dtypes.to_dict() and left.equals(right):
        return []
    diff = diff_frames(left, right, table)
    if diff.columns_differ:
        return [Failure(layer, file, table.name, "", "", shown(list(right.columns)), rule)]
    failures = [Failure(layer, file, table.name, diff.key_text(k), "", "",
                        f"{rule}: row present in only one")
                for k in diff.removed + diff.added]
    failures += [Failure(layer, file, table.name, diff.key_text(k), column,
                         f"{shown(x)} vs {shown(y)}", rule)
                 for k, column, x, y in diff.changed]
    if not failures and left.dtypes.to_dict() != right.dtypes.to_dict():
        failures.append(Failure(layer, file, table.name, "", "", "", f"{rule}: dtypes differ"))
    return failures


# --- tables (pandera) ----------------------------------------------------------------------

def pandera_schema(table: Table):
    import pandera.pandas as pdr

    from datapkg.types import pandas_dtypes

    dtypes = pandas_dtypes(table)
    columns = {}
    for f in table.fields:
        checks = []
        if f.type == "string":
            checks.append(pdr.Check.str_length(min_value=1, error="not empty: use null"))
        if f.enum:
            checks.append(pdr.Check.isin(list(f.enum), error=f"enum: one of {list(f.enum)}"))
        if f.pattern:
            checks.append(pdr.Check.str_matches(f.pattern, error=f"pattern: {f.pattern}"))
        if f.minimum is not None:
            checks.append(pdr.Check.ge(f.minimum, error=f"minimum: {f.minimum}"))
        if f.maximum is not None:
            checks.append(pdr.Check.le(f.maximum, error=f"maximum: {f.maximum}"))
        columns[f.name] = pdr.Column(dtypes[f.name], checks, nullable=not f.required)
    return pdr.DataFrameSchema(columns, unique=list(table.primary_key), strict=True,
                               ordered=True, name=table.name, report_duplicates="all")


def check_table(frame: pd.DataFrame, table: Table, file: str) -> list[Failure]:
    import pandera.errors

    try:
        pandera_schema(table).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    failures = []
    for case in cases.itertuples(index=False):
        index = None if pd.isna(case.index) else case.index
        column = "" if pd.isna(case.column) else str(case.column)
        rule = str(case.check)
        if rule.startswith("field_uniqueness") or "multiple_fields_uniqueness" in rule:
            rule = f"primary key must be unique: ({', '.join(table.primary_key)})"
        elif rule == "not_nullable":
            rule = "required: must not be null"
        failures.append(Failure("tables", file, table.name, row_key(table, frame, index), column,
                                shown(case.failure_case), rule))
    return failures


# --- keys, rules, provenance ---------------------------------------------------------------

def check_foreign_keys(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Failure]:
    failures = []
    for name, table in TABLES.items():
        frame = frames.get(name)
        for key in table.foreign_keys:
            target = frames.get(key.table)
            if frame is None or target is None:
                continue
            local = frame[list(key.fields)].dropna()
            if len(key.fields) == 1:  # hashed set membership in Arrow
                found = pc.is_in(pa.array(local[key.fields[0]]),
                                 value_set=pa.array(target[key.reference[0]]))
                missing = ~found.to_numpy(zero_copy_only=False)
            else:
                known = pd.MultiIndex.from_frame(target[list(key.reference)])
                missing = ~pd.MultiIndex.from_frame(local).isin(known)
            for index in local.index[missing]:
                failures.append(Failure(
                    "keys", files[name], name, row_key(table, frame, index),
                    ", ".join(key.fields), shown(frame.at[index, key.fields[-1]]),
                    f"foreign key: ({', '.join(key.fields)}) must exist in "
                    f"{key.table} ({', '.join(key.reference)})"))
    return failures


def check_rules(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Failure]:
    """Rules across columns and tables (``datapkg.rules``)."""
    return [Failure("rules", files[v.table], v.table,
                    row_key(TABLES[v.table], frames[v.table], v.index), v.column, shown(v.value),
                    v.rule)
            for v in violations(frames)]


def check_provenance(directory: Path, frames: dict[str, pd.DataFrame],
                     files: dict[str, str]) -> list[Failure]:
    failures, texts = [], {}
    sources = frames.get("sources")
    if sources is None:
        return failures
    for _, row in sources.iterrows():
        path = safe_path(directory, row["seed_path"])
        if path is None or not path.is_file():
            failures.append(Failure("provenance", files["sources"], "sources",
                                    f"source_id={row['source_id']}", "seed_path",
                                    shown(row["seed_path"]), "seed file must exist in the package"))
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            failures.append(Failure("provenance", str(path), "sources",
                                    f"source_id={row['source_id']}", "sha256", shown(row["sha256"]),
                                    "seed bytes must hash to the sources row's sha256",
                                    "restore the seed byte for byte"))
            continue
        texts[row["source_id"]] = data.decode("utf-8")
    for name, frame in frames.items():
        table = TABLES[name]
        for start, end, text in spans(table):
            present = frame[[start, end, text]].notna()
            partial = present.any(axis=1) & ~present.all(axis=1)
            checked = frame.loc[present.all(axis=1) & frame["source_id"].isin(texts)]
            slices = [texts[sid][s:e] for sid, s, e in
                      zip(checked["source_id"], checked[start].to_numpy(int),
                          checked[end].to_numpy(int))]
            wrong = checked.index[(checked[text].to_numpy(object) != slices)]
            for index in [*frame.index[partial.to_numpy()], *wrong]:
                row = frame.loc[index]
                actual = ("" if pd.isna(row[start]) or pd.isna(row[end]) or
                          row["source_id"] not in texts
                          else texts[row["source_id"]][int(row[start]):int(row[end])])
                failures.append(Failure(
                    "provenance", files[name], name, row_key(table, frame, index), text,
                    shown(row[text]), f"span {start}..{end} must equal the seed's slice "
                                      f"{shown(actual)}",
                    "re-resolve the quote with `datapkg build`"))
    return failures


# --- metadata -------------------------------------------------------------------------------

def version_places(directory: Path, package: dict | None,
                   root: Path | None = ROOT) -> dict[str, str | None]:
    """Every place that states the version, and what it states: the package's own metadata,
    and with ``root`` the checkout's changelog, citation and codebook."""
    import importlib.metadata

    places: dict[str, str | None] = {"datapkg/__init__.py __version__": __version__}
    try:
        places["installed package metadata"] = importlib.metadata.version("datapkg")
    except importlib.metadata.PackageNotFoundError:
        pass
    if package is not None:
        places[str(directory / "datapackage.json")] = package.get("version")
    croissant = directory / "croissant.json"
    if croissant.is_file():
        places[str(croissant)] = json.loads(croissant.read_text(encoding="utf-8")).get("version")
    return places if root is None else {**places, **checkout_versions(root)}


def checkout_versions(root: Path) -> dict[str, str | None]:
    """The versions stated by the checkout's changelog, CITATION.cff, .zenodo.json, codebook."""
    def first(pattern: str, path: Path) -> str | None:
        m = re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)
        return m[1] if m else None

    readers = {
        CHANGELOG: latest_changelog_version,
        CITATION: lambda p: first(r"^version:\s*['\"]?([^'\"\s]+)", p),
        ZENODO: lambda p: json.loads(p.read_text(encoding="utf-8")).get("version"),
        CODEBOOK: lambda p: first(r"^Version (\S+)\.", p),
    }
    return {str(at(root, path)): read(at(root, path)) for path, read in readers.items()
            if at(root, path).is_file()}


def check_versions(directory: Path, package: dict | None,
                   root: Path | None = ROOT) -> list[Failure]:
    return [Failure("metadata", place, "", "", "version", shown(value),
                    f"version must be {__version__} everywhere",
                    "set the version once in datapkg/__init__.py, add a CHANGELOG entry, "
                    "and run `datapkg build`")
            for place, value in version_places(directory, package, root).items()
            if value != __version__]


# --- the report ----------------------------------------------------------------------------

def validate_package(directory: Path, curation: bool | None = None,
                     root: Path = ROOT) -> list[Failure]:
    """Every failure of the package in ``directory``; empty when it is valid.

    When ``directory`` is the data/ of the checkout ``root``, the checkout's own files are
    checked too: the versions in its changelog, citation and codebook, and (``curation``,
    on by default there) that the tables and every generated file equal a rebuild from its
    curation scripts. A package anywhere else is checked on its own.
    """
    directory = Path(directory)
    package, failures = check_descriptor(directory)
    failures += check_generated_schemas(directory) + check_croissant(directory)
    frames, files = {}, {}
    for name, table in TABLES.items():
        csv_frame, csv_failures = read_table(directory, name, "csv")
        parquet_frame, parquet_failures = read_table(directory, name, "parquet")
        failures += csv_failures + parquet_failures
        files[name] = str(directory / f"{name}.csv")
        if csv_frame is not None:
            failures += check_table(csv_frame, table, files[name])
            frames[name] = csv_frame
        if csv_frame is not None and parquet_frame is not None:
            failures += compare_frames(csv_frame, parquet_frame, table,
                                       str(directory / f"{name}.parquet"), "formats",
                                       "CSV and Parquet must hold the same values")
        elif parquet_frame is not None:
            frames[name] = parquet_frame
    failures += check_foreign_keys(frames, files)
    failures += check_rules(frames, files)
    failures += check_provenance(directory, frames, files)
    in_checkout = directory.resolve() == (root / "data").resolve() and \
        (root / "scripts").is_dir()
    failures += check_versions(directory, package, root if in_checkout else None)
    if curation if curation is not None else in_checkout:
        failures += check_curation(frames, files, root)
    return list(dict.fromkeys(failures))


def check_curation(frames: dict[str, pd.DataFrame], files: dict[str, str],
                   root: Path = ROOT) -> list[Failure]:
    """The published tables and the generated files in ``root`` equal a rebuild."""
    from datapkg.assemble import SeedError, assemble
    from datapkg.build import stale_generated
    from datapkg.curation import CurationError
    from datapkg.evidence import EvidenceError

    try:
        tables, _ = assemble(root / "scripts", root / "seeds")
    except (CurationError, EvidenceError, SeedError, OSError) as exc:
        return [Failure("curation", str(root / "scripts"), "", "", "", "",
                        f"curation fails: {exc}")]
    failures = []
    for name, table in tables.items():
        if name in frames:
            failures += compare_frames(to_pandas(table), frames[name], TABLES[name], files[name],
                                       "curation", "published data must equal the curation")
    failures += [Failure("curation", str(path), "", "", "", "",
                         "generated file is stale: it must equal a rebuild",
                         "run `datapkg build` and commit the result")
                 for path in stale_generated(tables, root)]
    return failures


def report(failures: list[Failure]) -> str:
    if not failures:
        return "valid: 0 failures"
    lines = [str(f) for f in failures]
    return "\n".join(lines + [f"invalid: {len(failures)} failure(s)"])
