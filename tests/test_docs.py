"""The row counts that the README and the changelog state are the data's."""

import re
from pathlib import Path

import datapkg

ROOT = Path(__file__).resolve().parent.parent


def test_readme_and_changelog_counts_match_the_data():
    rows = {name: len(frame) for name, frame in datapkg.load().items()}
    readme = (ROOT / "README.md").read_text()
    stated = {
        "actors": r"(\d+) actors and \d+ mentions", "mentions": r"\d+ actors and (\d+) mentions",
        "statements": r"(\d+) statements, with", "statement_attributions": r"with (\d+) links",
        "commitments": r"(\d+) commitments, with", "commitment_parties": r"with (\d+) parties",
        "figures": r"(\d+) figures and dates", "events": r"(\d+) events, with",
        "event_participants": r"with (\d+) participants",
    }
    for table, pattern in stated.items():
        assert int(re.search(pattern, readme)[1]) == rows[table], table
    changelog = (ROOT / "CHANGELOG.md").read_text().split("\n## ")[1]
    for table, count in re.findall(r"(\w+) \((\d+)", changelog):
        if table in rows:
            assert int(count) == rows[table], table
