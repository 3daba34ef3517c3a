"""Facts about the dataset as a whole, written once: the descriptor, CITATION.cff,
.zenodo.json, the Croissant metadata and `datapkg cite` all read them from here."""

from __future__ import annotations

import re
from pathlib import Path

from datapkg._version import __version__
from datapkg.errors import UsageError
from datapkg.files import utf8_file
from datapkg.paths import CHANGELOG

CHANGELOG_ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})", re.M)

NAME = "china-afghanistan-pakistan-dialogue-2021"
TITLE = ("The China–Afghanistan–Pakistan dialogue in the news: "
         "a curated, evidence-anchored corpus of articles")
ABOUT = (
    "hand-curated into linked tables — sources, passages, sentences, actors, mentions, "
    "statements and their attribution chains, commitments, figures and events — each row tied "
    "to the exact characters of the article it rests on. The tables are licensed CC-BY-4.0; "
    "each article's text stays its publisher's (see its seed resource)."
)


def description(sources: list[dict]) -> str:
    """What the package holds, from its sources: how many articles, and which."""
    listed = "; ".join(
        "“" + s["title"] + "” (" + ", ".join(str(v) for v in (
            s.get("outlet"), s.get("published_date"), s.get("wire_service")) if v) + ")"
        for s in sources)
    count = "One news article" if len(sources) == 1 else f"{len(sources)} news articles"
    return f"{count} — {listed} — {ABOUT}"
# The authors: the group that curates the distribution, named by it (never by the import
# name, never as a person), cited as one corporate name.
AUTHORS = (f"Curators of {NAME}",)
# The distribution's page on the package index, for a version released there.
PACKAGE_INDEX = "https://pypi.org/project/{name}/{version}/"
# Where the dataset lives: its repository, and the DOI of the first archived release (see
# RELEASING.md). None until they exist; every citation writes them once they are set.
REPOSITORY: str | None = None
DOI: str | None = None
KEYWORDS = ("China", "Afghanistan", "Pakistan", "Taliban", "trilateral dialogue", "attribution",
            "event data", "CAMEO", "PLOVER", "news")
DATA_LICENSE = "CC-BY-4.0"
DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENSE = "MIT"


def release_date(changelog: Path = CHANGELOG) -> str:
    """Date of the changelog entry for this version: the release date everywhere."""
    for m in CHANGELOG_ENTRY.finditer(utf8_file(changelog)):
        if m["version"] == __version__:
            return m["date"]
    raise UsageError(f"{changelog}: no entry '## [{__version__}] - YYYY-MM-DD' for this version")


# A version is released when the changelog's first section is its dated entry (RELEASING.md,
# step 3): an "[Unreleased]" section above it, or no entry at all, means the files hold changes
# no release has published, and they are cited as unreleased, with no release date.
CHANGELOG_SECTION = re.compile(r"^## (?P<heading>.*)$", re.M)


def released(changelog: Path = CHANGELOG, version: str = __version__) -> bool:
    """Whether ``version`` as built now is a release: the changelog's first section is
    ``## [version] - YYYY-MM-DD``."""
    first = CHANGELOG_SECTION.search(utf8_file(changelog))
    entry = CHANGELOG_ENTRY.match(first[0]) if first else None
    return entry is not None and entry["version"] == version


def install_line(version: str) -> str:
    return f"pip install {NAME}=={version}"


def index_page(version: str) -> str:
    return PACKAGE_INDEX.format(name=NAME, version=version)


def latest_changelog_version(changelog: Path = CHANGELOG) -> str | None:
    m = CHANGELOG_ENTRY.search(utf8_file(changelog))
    return m["version"] if m else None
