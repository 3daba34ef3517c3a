"""How to cite the dataset: CITATION.cff, .zenodo.json, BibTeX, CSL-JSON and plain text,
all from one ``Citation`` built from the metadata module and the sources table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from datapkg import metadata
from datapkg._version import __version__
from datapkg.escape import LINE_BREAKS, cut, json_text

# The date a released package's descriptor begins its created date-time with.
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Citation:
    version: str
    date: str | None  # release date, ISO 8601; None: these files are no release
    sources: tuple[dict, ...]  # rows of the sources table
    repository: str | None = metadata.REPOSITORY
    doi: str | None = metadata.DOI
    commit: str | None = None  # the checkout commit an unreleased package was built from

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def released(self) -> bool:
        return self.date is not None

    @property
    def key(self) -> str:
        return f"{metadata.NAME.replace('-', '_')}_v{self.version.replace('.', '_')}"

    @property
    def url(self) -> str | None:
        """Where the data is: its DOI once archived, else its repository, else (a release
        only) the version's page on the package index."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.repository or self.index_page

    @property
    def index_page(self) -> str | None:
        """The version's page on the package index: a release only."""
        return metadata.index_page(self.version) if self.released else None

    @property
    def status(self) -> str:
        """The version, and whether it is a release: "version 1.0.0, released 2026-01-02", or
        "version 1.0.0, unreleased, built from commit …" (never a release date it has not)."""
        if self.released:
            return f"version {self.version}, released {self.date}"
        built = f", built from commit {self.commit}" if self.commit else ""
        return f"version {self.version}, unreleased{built}"

    @property
    def locator(self) -> str:
        """How to get exactly this version: the distribution on the package index and its
        install line for a release; for files no release published, that they are none."""
        if self.released:
            return (f"Python package {metadata.NAME}, {self.status}: "
                    f"{metadata.install_line(self.version)}")
        return (f"Python package {metadata.NAME}, {self.status}: not a release, so it has no "
                f"release date and no page on the package index")


def citation(sources: list[dict], date: str | None, version: str = __version__,
             repository: str | None = metadata.REPOSITORY,
             doi: str | None = metadata.DOI, commit: str | None = None) -> Citation:
    return Citation(version=version, date=date, sources=tuple(sources), repository=repository,
                    doi=doi, commit=None if date else commit)


def checkout_commit(root) -> str | None:
    """The commit a checkout's data/ was built from (marked when data/ differs from it);
    None where git or the commit cannot be read (an installed wheel has no git)."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                  text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit or not re.fullmatch(r"[0-9a-f]{4,64}", commit):
        return None
    changed = git("status", "--porcelain", "--", "data")
    return commit if changed == "" else f"{commit} with uncommitted changes to data/"


def from_package(directory, commit: bool = False) -> Citation:
    """The citation of a published package: its descriptor's version and date, its sources;
    with ``commit``, an unreleased checkout's commit too."""
    from pathlib import Path

    from datapkg.errors import LoadError
    from datapkg.files import MAX_METADATA_BYTES, read_inside
    from datapkg.loader import read_arrow, table_path
    from datapkg.paths import ROOT, is_checkout

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
    # Released only where the descriptor says so (a package written before it did is not).
    released = package.get("released") is True
    if released and not DATE.fullmatch(package["created"][:10]):
        raise LoadError(f"{directory}/datapackage.json: a released package's created date "
                        f"must begin YYYY-MM-DD, not {cut(repr(package['created']))}")
    # A generated file (the site, the citation files) never names the commit: committing it
    # would make it stale. Only what a command prints does.
    built = commit and not released and is_checkout(directory)
    return citation(sources.to_pylist(), package["created"][:10] if released else None,
                    package["version"], commit=checkout_commit(ROOT) if built else None)


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
        f"message: {q('If you use this dataset, please cite it as below. ' + c.locator + '.')}",
        "type: dataset",
        f"title: {q(metadata.TITLE)}",
        f"version: {q(c.version)}",
        f"date-released: {q(c.date)}" if c.date else None,
        f"license: {metadata.DATA_LICENSE}",
        f"doi: {q(c.doi)}" if c.doi else None,
        f"repository: {q(c.repository)}" if c.repository else None,
        f"repository-artifact: {q(c.index_page)}" if c.index_page else None,
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
            f"      - name: {q(source_author(s) or ANONYMOUS)}",
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
        **({"publication_date": c.date} if c.date else {}),
        "notes": c.locator + ".",
        "creators": [{"name": name} for name in metadata.AUTHORS],
        "license": metadata.DATA_LICENSE.lower(),
        "access_right": "open",
        "keywords": list(metadata.KEYWORDS),
        **({"doi": c.doi} if c.doi else {}),
        "related_identifiers": [
            *([{"identifier": c.repository, "relation": "isSupplementedBy",
                "resource_type": "dataset"}] if c.repository else []),
            *([{"identifier": c.index_page, "relation": "isIdenticalTo",
                "resource_type": "dataset"}] if c.index_page else []),
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


# CFF requires an author of every reference: an article whose source names no wire service or
# outlet is cited as CFF's own entities are where none is known.
ANONYMOUS = "anonymous"


def source_author(s: dict) -> str | None:
    """Who an article is cited as by: its wire service, else its outlet (None: neither)."""
    return s.get("wire_service") or s.get("outlet")


def source_entries(c: Citation, biblatex: bool) -> list[str]:
    """One entry per curated article: its wire service or outlet as author, its outlet as
    journal, its date and address. An article needs its outlet (BibTeX's journal); one
    without is a misc entry, and one with no author is cited without one."""
    entries = []
    for s in c.sources:
        published = str(s["published_date"]) if s.get("published_date") else None
        author = source_author(s)
        venue = " ".join(p for p in (s.get("outlet"), s.get("blog") and f"({s['blog']})")
                         if p) or None
        kind = BIBTEX_TYPES.get(s["work_type"], "misc") if s.get("outlet") else "misc"
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
    """The dataset as a BibTeX ``@misc``: the package, its version, whether it is released and
    its address in ``howpublished``; the install line and sources in ``note`` (fields every
    BibTeX style knows). No year for files no release published."""
    where = f", \\url{{{uri(c.url)}}}" if c.url else ""
    install = f"{metadata.install_line(c.version)}. " if c.released else ""
    return entry("misc", c.key, {
        "author": corporate(metadata.AUTHORS),
        "title": protect(metadata.TITLE),
        "howpublished": TeX(f"Python package {tex(metadata.NAME)}, {tex(c.status)}{where}"),
        "year": c.year,
        "note": f"{install}{curated_from(c)}",
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
        "note": f"{c.locator}. {curated_from(c)}",
    })
    return "\n\n".join([dataset, *source_entries(c, biblatex=True)])


def csl_json(c: Citation) -> list[dict]:
    """CSL-JSON: the dataset, then one item per article."""
    dataset = {
        "id": c.key,
        "type": "dataset",
        "title": metadata.TITLE,
        "author": [{"literal": name} for name in metadata.AUTHORS],
        **({"issued": {"date-parts": [[int(p) for p in c.date.split("-")]]}} if c.date else
           {"status": "unreleased"}),
        "version": c.version,
        "genre": "Data set",
        **({"publisher": "Python Package Index"} if c.released else {}),
        "note": f"{c.locator}. {curated_from(c)}",
        **({"DOI": c.doi} if c.doi else {}),
        **({"URL": c.url} if c.url else {}),
    }
    return [dataset, *(source_item(c, s) for s in c.sources)]


def source_item(c: Citation, s: dict) -> dict:
    author = source_author(s)
    item = {"id": source_key(c, s), "type": CSL_TYPES.get(s["work_type"], "article"),
            "title": s["title"],
            "author": [{"literal": author}] if author else [],
            "container-title": s.get("outlet"), "URL": s.get("url")}
    if s.get("published_date"):
        d = s["published_date"]
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    return {k: v for k, v in item.items() if v}


def plain(c: Citation) -> str:
    """APA-like: Author. (Year). Title (Version x) [Data set]. Address. How to get exactly
    this version. Sources. An unreleased version has no year: its status stands in the date's
    place ("(unreleased)"), as APA writes "(in press)" and citeproc renders the CSL-JSON."""
    authors = ", ".join(metadata.AUTHORS)
    where = f" {c.url}." if c.url else ""
    return (f"{authors}. ({c.year or 'unreleased'}). {metadata.TITLE} (Version {c.version}) "
            f"[Data set].{where} {c.locator}. "
            f"Curated from {'; '.join(source_line(s) for s in c.sources)}.")


FORMATS = ("plain", "bibtex", "biblatex", "csl-json")


def formatted(c: Citation, format: str) -> str:
    """The citation in one of ``FORMATS``; CSL-JSON through ``json_text``, so it is plain
    text wherever it is printed."""
    if format == "csl-json":
        return json_text(csl_json(c), indent=2)
    return {"plain": plain, "bibtex": bibtex, "biblatex": biblatex}[format](c)
