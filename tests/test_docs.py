"""The row counts that the README and the changelog state are the data's."""

import re
from pathlib import Path

import datapkg
from datapkg.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent


def test_the_codebook_and_the_changelog_count_the_data():
    """Counts are generated (the codebook's table list) or stated once per release (the
    changelog's newest entry, unless changes since are waiting under Unreleased); the README
    states none, so that adding an article edits no count by hand."""
    rows = {name: len(frame) for name, frame in datapkg.load().items()}
    codebook = (ROOT / "docs" / "codebook.md").read_text()
    for name, table in TABLES.items():
        assert f"- [`{name}`](#{name}): {table.title} ({rows[name]} rows)" in codebook, name
    readme = (ROOT / "README.md").read_text()
    assert not re.search(r"\b\d+ (actors|mentions|statements|commitments|events)\b", readme)
    newest = (ROOT / "CHANGELOG.md").read_text().split("\n## ")[1]
    if not newest.startswith("[Unreleased]"):
        for table, count in re.findall(r"(\w+) \((\d+)", newest):
            if table in rows:
                assert int(count) == rows[table], table
