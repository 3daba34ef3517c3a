"""How to cite the dataset: CITATION.cff, .zenodo.json, BibTeX, CSL-JSON and plain text,
all from one ``Citation`` built from the metadata module and the sources table."""

from __future__ import annotations

import json
from dataclasses import dataclass

from datapkg import __version__, metadata


@dataclass(frozen=True)
class Citation:
    version: str
    date: str  # release date, ISO 8601
    sources: tuple[dict, ...]  # rows of the sources table

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def key(self) -> str:
        return f"{metadata.NAME.replace('-', '_')}_v{self.version.replace('.', '_')}"


def citation(sources: list[dict], date: str, version: str = __version__) -> Citation:
    return Citation(version=version, date=date, sources=tuple(sources))


def from_package(directory) -> Citation:
    """The citation of a published package: its descriptor's version and date, its sources."""
    from pathlib import Path

    from datapkg.errors import LoadError
    from datapkg.files import MAX_METADATA_BYTES, read_inside
    from datapkg.loader import read_arrow, table_path

    try:
        package = json.loads(read_inside(Path(directory), "datapackage.json",
                                         MAX_METADATA_BYTES))
    except (ValueError, RecursionError) as exc:
        raise LoadError(f"{directory}/datapackage.json: not a readable descriptor: "
                        f"{type(exc).__name__}") from None
    if not (isinstance(package, dict) and isinstance(package.get("created"), str)
            and isinstance(package.get("version"), str)):
        raise LoadError(f"{directory}/datapackage.json: needs a version and a created date")
    sources = read_arrow(table_path(Path(directory), "sources", "parquet"), "sources", "parquet")
    return citation(sources.to_pylist(), package["created"][:10], package["version"])


def yaml_string(value: str) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def source_line(source: dict) -> str:
    parts = [source.get("wire_service"), f"“{source['title']}”",
             " ".join(p for p in (source.get("outlet"), source.get("blog") and
                                  f"({source['blog']})") if p),
             str(source["published_date"]) if source.get("published_date") else None,
             source.get("url")]
    return ", ".join(p for p in parts if p)


def cff(c: Citation) -> str:
    """CITATION.cff (Citation File Format 1.2.0)."""
    q = yaml_string
    lines = [
        "# Generated from datapkg/metadata.py and the sources table by `datapkg build`.",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {q(metadata.TITLE)}",
        f"version: {q(c.version)}",
        f"date-released: {q(c.date)}",
        f"license: {metadata.DATA_LICENSE}",
        f"abstract: {q(metadata.description(list(c.sources)))}",
        "authors:",
        *(f"  - name: {q(name)}" for name in metadata.AUTHORS),
        "keywords:",
        *(f"  - {q(k)}" for k in metadata.KEYWORDS),
        "references:",
    ]
    for s in c.sources:
        lines += [
            f"  - type: {s['work_type']}",
            f"    title: {q(s['title'])}",
            "    authors:",
            f"      - name: {q(s.get('wire_service') or s.get('outlet'))}",
            f"    publisher:\n      name: {q(s['outlet'])}" if s.get("outlet") else None,
            f"    date-published: {q(str(s['published_date']))}"
            if s.get("published_date") else None,
            f"    url: {q(s['url'])}" if s.get("url") else None,
        ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def zenodo(c: Citation) -> dict:
    """.zenodo.json: the deposit's metadata."""
    return {
        "upload_type": "dataset",
        "title": metadata.TITLE,
        "description": metadata.description(list(c.sources)),
        "version": c.version,
        "publication_date": c.date,
        "creators": [{"name": name} for name in metadata.AUTHORS],
        "license": metadata.DATA_LICENSE.lower(),
        "access_right": "open",
        "keywords": list(metadata.KEYWORDS),
        "related_identifiers": [
            {"identifier": s["url"], "relation": "isDerivedFrom",
             "resource_type": "publication-article"}
            for s in c.sources if s.get("url")
        ],
    }


def bibtex_escape(text: str) -> str:
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def bibtex(c: Citation) -> str:
    fields = {
        "title": bibtex_escape(metadata.TITLE),
        "author": "{" + " and ".join(bibtex_escape(a) for a in metadata.AUTHORS) + "}",
        "year": c.year,
        "version": c.version,
        "date": c.date,
        "howpublished": f"Data package, version {c.version}",
        "note": bibtex_escape("Curated from: " + "; ".join(source_line(s) for s in c.sources)),
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{c.key},\n{body}\n}}"


def csl_json(c: Citation) -> list[dict]:
    year, month, day = (int(p) for p in c.date.split("-"))
    return [{
        "id": c.key,
        "type": "dataset",
        "title": metadata.TITLE,
        "author": [{"literal": name} for name in metadata.AUTHORS],
        "issued": {"date-parts": [[year, month, day]]},
        "version": c.version,
        "genre": "Data package",
        "note": "Curated from: " + "; ".join(source_line(s) for s in c.sources),
    }]


def plain(c: Citation) -> str:
    """APA-like: Author. (Year). Title (Version x) [Data set]. Source."""
    authors = ", ".join(metadata.AUTHORS)
    return (f"{authors}. ({c.year}). {metadata.TITLE} (Version {c.version}) [Data set]. "
            f"Curated from {'; '.join(source_line(s) for s in c.sources)}.")
