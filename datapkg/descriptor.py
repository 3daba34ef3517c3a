"""Frictionless Data Package v2 metadata, generated from the registry: Table Schemas and descriptor."""

from __future__ import annotations

import json
import re
from pathlib import Path

from datapkg import __version__
from datapkg.registry import TABLES, Field, Table

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "china-afghanistan-pakistan-dialogue-2021"
PARQUET_SUFFIX = "-parquet"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 — the curated tables and their metadata",
}
TEXT_LICENSE = {
    "name": "LicenseRef-publisher-copyright",
    "title": "The article text is © its publisher and the wire service; it is included only "
             "so that every row can be checked against it and is not covered by CC-BY-4.0.",
}
CHANGELOG_ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})", re.MULTILINE)


def schema_path(name: str) -> str:
    """Path of a table's schema, relative to the package directory."""
    return f"schemas/{name}.json"


def field_schema(f: Field) -> dict:
    out: dict = {"name": f.name, "type": f.type, "description": f.description}
    if f.type == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    constraints = {
        key: value
        for key, value in (
            ("required", f.required or None), ("enum", list(f.enum) if f.enum else None),
            ("pattern", f.pattern), ("minimum", f.minimum), ("maximum", f.maximum),
        )
        if value is not None
    }
    if constraints:
        out["constraints"] = constraints
    if f.unit:
        out["unit"] = f.unit
    if f.example is not None:
        out["example"] = f.example
    return out


def table_schema(table: Table) -> dict:
    foreign_keys = []
    for key in table.foreign_keys:
        reference = {"fields": list(key.reference)}
        if key.table != table.name:
            reference = {"resource": key.table, **reference}
        foreign_keys.append({"fields": list(key.fields), "reference": reference})
    schema = {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [field_schema(f) for f in table.fields],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def to_json(obj: dict) -> bytes:
    """The one JSON form every generated file uses: sorted keys off, 2-space indent, LF."""
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def release_date(changelog: Path = CHANGELOG) -> str:
    """Date of the changelog entry for this version (the descriptor's `created`)."""
    for m in CHANGELOG_ENTRY.finditer(changelog.read_text(encoding="utf-8")):
        if m["version"] == __version__:
            return m["date"]
    raise ValueError(f"{changelog}: no entry '## [{__version__}] - YYYY-MM-DD' for this version")


def descriptor(files: dict[str, tuple[int, str]], seeds: list[dict], created: str) -> dict:
    """The package descriptor; ``files`` maps each written path to (bytes, sha256)."""
    resources = []
    for name, table in TABLES.items():
        size, digest = files[f"{name}.csv"]
        common = {"type": "table", "title": table.title, "description": table.description,
                  "schema": schema_path(name)}
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", **common,
                          "bytes": size, "hash": f"sha256:{digest}"})
        _, digest = files[f"{name}.parquet"]
        resources.append({"name": name + PARQUET_SUFFIX, "path": f"{name}.parquet",
                          "format": "parquet", "mediatype": PARQUET_MEDIATYPE, **common,
                          "hash": f"sha256:{digest}"})
    for seed in seeds:
        size, digest = files[seed["seed_path"]]
        resources.append({
            "name": f"seed-{seed['source_id']}".replace("_", "-"), "type": "file",
            "path": seed["seed_path"], "format": "txt", "mediatype": "text/plain",
            "encoding": "utf-8", "title": f"Article text: {seed['title']}",
            "description": "The article as captured, byte for byte; every span in the "
                           "tables indexes into it (0-based code points, end excluded).",
            "bytes": size, "hash": f"sha256:{digest}", "licenses": [TEXT_LICENSE],
        })
    return {
        "$schema": PACKAGE_PROFILE,
        "name": PACKAGE_NAME,
        "title": "China–Afghanistan–Pakistan foreign ministers' dialogue, June 2021: "
                 "a curated, evidence-anchored data package",
        "description": "One news article (The Diplomat, The Pulse, 2021-06-04, an AP story) "
                       "hand-curated into linked tables — sources, passages, sentences, actors, "
                       "mentions, statements and their attribution chains, commitments, "
                       "figures and events — each row tied to the exact characters of the "
                       "article it rests on. The tables are licensed CC-BY-4.0; the article "
                       "text stays its publisher's (see the seed resource).",
        "version": __version__,
        "created": f"{created}T00:00:00Z",
        "licenses": [DATA_LICENSE],
        "sources": [{"title": s["title"], **({"path": s["url"]} if s.get("url") else {})}
                    for s in seeds],
        "contributors": [{"title": "datapkg contributors", "roles": ["creator"]}],
        "keywords": ["China", "Afghanistan", "Pakistan", "Taliban", "trilateral dialogue",
                     "attribution", "event data", "CAMEO", "PLOVER", "news"],
        "resources": resources,
    }
