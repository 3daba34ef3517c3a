"""Frictionless Data Package v2 metadata, generated from the registry: Table Schemas and descriptor."""

from __future__ import annotations

import json

from datapkg import metadata
from datapkg._version import __version__
from datapkg.registry import TABLES, Field, Table

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_SUFFIX = "-parquet"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

DATA_LICENSE = {
    "name": metadata.DATA_LICENSE,
    "path": metadata.DATA_LICENSE_URL,
    "title": "Creative Commons Attribution 4.0 — the curated tables and their metadata",
}
def text_license(source: dict) -> dict:
    """The licence of one article's text, as its sources row states it."""
    return {"name": "LicenseRef-text-license", "title": source["text_license"]}


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
    """The one JSON form of every generated file: keys in order, 2-space indent, UTF-8, LF."""
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def descriptor(files: dict[str, tuple[int, str]], seeds: list[dict], created: str,
               released: bool = False) -> dict:
    """The package descriptor; ``files`` maps each written path to (bytes, sha256).
    ``released``: whether these files are the release of their version (the changelog's first
    section is its dated entry); the citation of an unreleased package has no release date."""
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
            "bytes": size, "hash": f"sha256:{digest}", "licenses": [text_license(seed)],
        })
    return {
        "$schema": PACKAGE_PROFILE,
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.description(seeds),
        "version": __version__,
        "created": f"{created}T00:00:00Z",
        "released": released,
        "licenses": [DATA_LICENSE],
        "sources": [{"title": s["title"], **({"path": s["url"]} if s.get("url") else {})}
                    for s in seeds],
        "contributors": [{"title": name, "roles": ["creator"]} for name in metadata.AUTHORS],
        "keywords": list(metadata.KEYWORDS),
        "resources": resources,
    }
