"""The tallies of the coded layer equal the hand count written in the third reading.

The expected values are read from the machine-readable table of docs/third_reading.md, not
written here; the data come from a fresh build of the curation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import datapkg
from datapkg import build
from datapkg.paths import DOCS

READING = DOCS / "third_reading.md"
ROW = re.compile(r"^\| (plover_event|cameo_root|committed_by_all|spoken_by) \| (\S+) \| (\d+) \|$")


def hand_count(path: Path = READING) -> tuple[str, dict[str, dict[str, int]]]:
    """The source the reading counts and its tallies, {tally: {value: count}}."""
    text = path.read_text(encoding="utf-8")
    source = re.search(r"of source `([0-9]{3,}_[0-9a-f]{16})`", text).group(1)
    tallies: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        if m := ROW.match(line):
            tallies.setdefault(m[1], {})[m[2]] = int(m[3])
    return source, tallies


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("tallies") / "out"
    build.build_package(out)
    return {name: datapkg.load_table(name, path=out) for name in
            ("acts", "actors", "actor_closure", "commitment_parties", "statement_attributions")}


def reach(tables, parties: pd.DataFrame, key: str) -> list[set[str]]:
    """For each row id, the set of actors its parties reach through actor_closure."""
    closure = tables["actor_closure"][["actor_id", "related_id"]]
    joined = parties.merge(closure, on="actor_id")
    return [set(group) for _, group in joined.groupby(key)["related_id"]]


def counted(tables, source: str) -> dict[str, dict[str, int]]:
    acts = tables["acts"][tables["acts"]["source_id"] == source]
    found = {"plover_event": acts["plover_event"].value_counts().to_dict(),
             "cameo_root": acts["cameo_root"].value_counts().to_dict()}
    parties = tables["commitment_parties"]
    committers = parties[(parties["source_id"] == source) & (parties["role"] == "committer")]
    links = tables["statement_attributions"]
    speakers = links[(links["source_id"] == source) & (links["role"] == "speaker")]
    found["committed_by"] = reach(tables, committers, "commitment_id")
    found["spoken_by"] = reach(tables, speakers, "statement_id")
    return found


def mismatches(found, tallies) -> list[str]:
    """Each tally of the reading that the data do not give, as 'tally value: expected, found'."""
    wrong = []
    for tally in ("plover_event", "cameo_root"):
        data = {k: int(v) for k, v in found[tally].items()}
        wrong += [f"{tally} {k}: {tallies[tally].get(k)}, {data.get(k)}"
                  for k in sorted(set(data) | set(tallies[tally]))
                  if data.get(k) != tallies[tally].get(k)]
    for value, expected in tallies["committed_by_all"].items():
        n = sum(set(value.split("+")) <= reached for reached in found["committed_by"])
        wrong += [f"committed_by_all {value}: {expected}, {n}"] if n != expected else []
    for actor, expected in tallies["spoken_by"].items():
        n = sum(actor in reached for reached in found["spoken_by"])
        wrong += [f"spoken_by {actor}: {expected}, {n}"] if n != expected else []
    return wrong


def test_the_reading_states_every_tally():
    _, tallies = hand_count()
    assert set(tallies) == {"plover_event", "cameo_root", "committed_by_all", "spoken_by"}


def test_the_data_tally_as_counted_by_hand(tables):
    source, tallies = hand_count()
    assert mismatches(counted(tables, source), tallies) == []


def test_a_count_off_by_one_is_caught(tables):
    """The comparison can fail: each tally with its first count raised by one."""
    source, tallies = hand_count()
    found = counted(tables, source)
    for tally, values in tallies.items():
        first = next(iter(values))
        wrong = {**tallies, tally: {**values, first: values[first] + 1}}
        assert [m for m in mismatches(found, wrong) if m.startswith(f"{tally} {first}:")], tally
