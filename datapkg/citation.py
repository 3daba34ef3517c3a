"""How to cite the dataset: CITATION.cff, .zenodo.json, BibTeX, CSL-JSON and plain text,
all from one ``Citation`` built from the metadata module and the sources table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from datapkg import metadata
from datapkg.escape import LINE_BREAKS, json_text
from datapkg.version import __version__


@dataclass(frozen=True)
class Citation:
    version: str
    date: str  # release date, ISO 8601
    sources: tuple[dict, ...]  # rows of the sources table
    repository: str | None = metadata.REPOSITORY
    doi: str | None = metadata.DOI

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def key(self) -> str:
        return f"{metadata.NAME.replace('-', '_')}_v{self.version.replace('.', '_')}"

    @property
    def url(self) -> str | None:
        """Where the data is: its DOI once archived, else its repository."""
        return f"https://doi.org/{self.doi}" if self.doi else self.repository


def citation(sources: list[dict], date: str, version: str = __version__,
             repository: str | None = metadata.REPOSITORY,
             doi: str | None = metadata.DOI) -> Citation:
    return Citation(version=version, date=date, sources=tuple(sources), repository=repository,
                    doi=doi)


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
    """A YAML scalar: JSON's double-quoted string is valid YAML (with its line breaks and
    controls escaped, which YAML would otherwise read as breaks or refuse)."""
    return json_text(value)


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
        f"doi: {q(c.doi)}" if c.doi else None,
        f"repository: {q(c.repository)}" if c.repository else None,
        f"url: {q(c.url)}" if c.url else None,
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
        **({"doi": c.doi} if c.doi else {}),
        "related_identifiers": [
            *([{"identifier": c.repository, "relation": "isSupplementedBy",
                "resource_type": "dataset"}] if c.repository else []),
            *({"identifier": s["url"], "relation": "isDerivedFrom",
               "resource_type": "publication-article"} for s in c.sources if s.get("url")),
        ],
    }


# Every text written into BibTeX or BibLaTeX is TeX, and inert: each character that BibTeX
# or TeX reads as more than text becomes a command that typesets it. No brace reaches a
# field from the data (BibTeX counts braces even after a backslash, so "\}" would close
# the field), nor a backslash, nor a caret (TeX reads "^^5c" as a backslash).
TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
               "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
               **{char: "\\" + char for char in "%#&$_"}}
# Line breaks become spaces; other control characters are dropped (TeX refuses them).
TEX_TABLE = str.maketrans({**{chr(n): None for n in (*range(0x20), *range(0x7f, 0xa0))},
                           **dict.fromkeys(LINE_BREAKS + "\t", " "), **TEX_SPECIAL})


class TeX(str):
    """Text already written in TeX, from parts that went through ``tex``."""


def tex(text: str) -> TeX:
    """Plain text as TeX that BibTeX and TeX read back as that text, and as nothing more."""
    return text if isinstance(text, TeX) else TeX(text.translate(TEX_TABLE))


# RFC 3986's reserved characters and "%"; quote keeps letters, digits and "-._~" besides.
URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%"


def uri(url: str) -> str:
    """An address as a URI: every character RFC 3986 does not allow in one (braces,
    backslashes, carets, spaces, controls, non-ASCII) percent-encoded, so that it holds no
    brace or backslash for BibTeX or TeX to read; the characters it keeps (``%``, ``#``,
    ``&``, ``~``, ``_``) are plain in BibLaTeX's verbatim ``url`` field."""
    return quote(url, safe=URI_CHARACTERS)


def protect(title: str) -> TeX:
    """A title for BibTeX: escaped, and each run of words with capitals in braces, so that
    styles that lower-case titles keep the capitals of names ("{China Urges}", "{US}")."""
    runs: list[list[str]] = []
    for word in tex(title).split(" "):
        capital = any(ch.isupper() for ch in word)
        if runs and runs[-1][0] == capital:
            runs[-1].append(word)
        else:
            runs.append([capital, word])
    return TeX(" ".join(("{%s}" if run[0] else "%s") % " ".join(run[1:]) for run in runs))


def corporate(names: tuple[str, ...]) -> TeX:
    """Authors that are groups: each braced whole, so no style splits it into first and last."""
    return TeX(" and ".join("{" + tex(n) + "}" for n in names))


def bibtex_key(text: str) -> str:
    """A citation key: letters, digits and ``_:.-`` only, which BibTeX and Biber accept."""
    return re.sub(r"[^A-Za-z0-9_:.-]", "_", text)


def entry(kind: str, key: str, fields: dict[str, str | None]) -> str:
    """One entry; every value is written through ``tex`` unless it is TeX already."""
    body = ",\n".join(f"  {k} = {{{tex(v)}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{bibtex_key(key)},\n{body}\n}}"


def source_key(c: Citation, source: dict) -> str:
    return f"{c.key}_source_{source['source_id'].split('_')[0]}"


# Citation File Format reference types → BibTeX and CSL types of a source; a package not yet
# validated may hold another, cited as the most general type.
BIBTEX_TYPES = {"magazine-article": "article", "newspaper-article": "article",
                "article": "article", "blog": "misc"}
CSL_TYPES = {"magazine-article": "article-magazine", "newspaper-article": "article-newspaper",
             "article": "article-journal", "blog": "post-weblog"}


def source_entries(c: Citation, biblatex: bool) -> list[str]:
    """One entry per curated article: its wire service or outlet as author, its outlet as
    journal, its date and address."""
    entries = []
    for s in c.sources:
        published = str(s["published_date"]) if s.get("published_date") else None
        author = s.get("wire_service") or s.get("outlet")
        venue = " ".join(p for p in (s.get("outlet"), s.get("blog") and f"({s['blog']})") if p)
        kind = BIBTEX_TYPES.get(s["work_type"], "misc")
        fields = {"author": corporate((author,)) if author else None,
                  "title": protect(s["title"])}
        url = uri(s["url"]) if s.get("url") else None
        if biblatex:  # url is a verbatim field: the URI as it is
            fields |= {"journaltitle" if kind == "article" else "howpublished": venue,
                       "date": published, "url": url and TeX(url)}
        else:  # in a note, the URI is text
            fields |= {"journal" if kind == "article" else "howpublished": venue,
                       "year": published[:4] if published else None, "note": url}
        entries.append(entry(kind, source_key(c, s), fields))
    return entries


def curated_from(c: Citation) -> str:
    return "Curated from: " + "; ".join(source_line(s) for s in c.sources)


def dataset_bibtex(c: Citation) -> str:
    """The dataset as a BibTeX ``@misc``: version and address in ``howpublished``, release
    date and sources in ``note`` (fields every BibTeX style knows)."""
    where = f", \\url{{{uri(c.url)}}}" if c.url else ""
    return entry("misc", c.key, {
        "author": corporate(metadata.AUTHORS),
        "title": protect(metadata.TITLE),
        "howpublished": TeX(f"Data package, version {tex(c.version)}{where}"),
        "year": c.year,
        "note": f"Released {c.date}. {curated_from(c)}",
    })


def bibtex(c: Citation) -> str:
    """BibTeX: the dataset, then one entry per article it is curated from."""
    return "\n\n".join([dataset_bibtex(c), *source_entries(c, biblatex=False)])


def biblatex(c: Citation) -> str:
    """BibLaTeX: the dataset as ``@dataset``, then one entry per article."""
    dataset = entry("dataset", c.key, {
        "author": corporate(metadata.AUTHORS),
        "title": protect(metadata.TITLE),
        "version": c.version,
        "date": c.date,
        "doi": TeX(uri(c.doi)) if c.doi else None,  # doi and url are verbatim fields
        "url": TeX(uri(c.url)) if c.url else None,
        "note": curated_from(c),
    })
    return "\n\n".join([dataset, *source_entries(c, biblatex=True)])


def csl_json(c: Citation) -> list[dict]:
    """CSL-JSON: the dataset, then one item per article."""
    year, month, day = (int(p) for p in c.date.split("-"))
    dataset = {
        "id": c.key,
        "type": "dataset",
        "title": metadata.TITLE,
        "author": [{"literal": name} for name in metadata.AUTHORS],
        "issued": {"date-parts": [[year, month, day]]},
        "version": c.version,
        "genre": "Data set",
        "note": curated_from(c),
        **({"DOI": c.doi} if c.doi else {}),
        **({"URL": c.url} if c.url else {}),
    }
    return [dataset, *(source_item(c, s) for s in c.sources)]


def source_item(c: Citation, s: dict) -> dict:
    author = s.get("wire_service") or s.get("outlet")
    item = {"id": source_key(c, s), "type": CSL_TYPES.get(s["work_type"], "article"),
            "title": s["title"],
            "author": [{"literal": author}] if author else [],
            "container-title": s.get("outlet"), "URL": s.get("url")}
    if s.get("published_date"):
        d = s["published_date"]
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    return {k: v for k, v in item.items() if v}


def plain(c: Citation) -> str:
    """APA-like: Author. (Year). Title (Version x) [Data set]. Address. Source."""
    authors = ", ".join(metadata.AUTHORS)
    where = f" {c.url}." if c.url else ""
    return (f"{authors}. ({c.year}). {metadata.TITLE} (Version {c.version}) [Data set].{where} "
            f"Curated from {'; '.join(source_line(s) for s in c.sources)}.")


FORMATS = ("plain", "bibtex", "biblatex", "csl-json")


def formatted(c: Citation, format: str) -> str:
    """The citation in one of ``FORMATS``; CSL-JSON through ``json_text``, so it is plain
    text wherever it is printed."""
    if format == "csl-json":
        return json_text(csl_json(c), indent=2)
    return {"plain": plain, "bibtex": bibtex, "biblatex": biblatex}[format](c)
