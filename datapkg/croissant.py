"""Croissant 1.0 (MLCommons) JSON-LD metadata, generated from the registry and the metadata
module, beside the Frictionless descriptor. Record sets read the Parquet files."""

from __future__ import annotations

from datapkg import metadata
from datapkg._version import __version__
from datapkg.registry import TABLES, Table

# The context mlcroissant writes for Croissant 1.0; with fewer keys it warns that the context
# is not standard.
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float",
              "boolean": "sc:Boolean", "date": "sc:Date"}
# mlcroissant reads Parquet only under this media type.
PARQUET = "application/x-parquet"


def field_id(table: str, column: str) -> dict:
    return {"@id": f"{table}/{column}"}


def record_set(table: Table) -> dict:
    file = {"@id": f"{table.name}.parquet"}
    references = {k.fields[0]: k for k in table.foreign_keys if len(k.fields) == 1}
    fields = []
    for f in table.fields:
        entry = {"@type": "cr:Field", **field_id(table.name, f.name), "name": f.name,
                 "description": f.description, "dataType": DATA_TYPES[f.type],
                 "source": {"fileObject": file, "extract": {"column": f.name}}}
        if f.name in references and references[f.name].table != table.name:
            key = references[f.name]
            entry["references"] = {"field": field_id(key.table, key.reference[0])}
        fields.append(entry)
    keys = [field_id(table.name, k) for k in table.primary_key]
    return {"@type": "cr:RecordSet", "@id": table.name, "name": table.name,
            "description": table.description, "key": keys[0] if len(keys) == 1 else keys,
            "field": fields}


def croissant(files: dict[str, tuple[int, str]], cite_as: str, date: str,
              sources: list[dict]) -> dict:
    """The JSON-LD document; ``files`` maps each Parquet file to (bytes, sha256)."""
    distribution = [
        {"@type": "cr:FileObject", "@id": f"{name}.parquet", "name": f"{name}.parquet",
         "contentUrl": f"{name}.parquet", "contentSize": f"{files[name + '.parquet'][0]} B",
         "encodingFormat": PARQUET, "sha256": files[f"{name}.parquet"][1]}
        for name in TABLES
    ]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": metadata.NAME,
        "description": metadata.description(sources),
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": cite_as,
        "creator": [{"@type": "sc:Organization", "name": name} for name in metadata.AUTHORS],
        "datePublished": date,
        "license": metadata.DATA_LICENSE_URL,
        "version": __version__,
        "keywords": list(metadata.KEYWORDS),
        "distribution": distribution,
        "recordSet": [record_set(t) for t in TABLES.values()],
    }
