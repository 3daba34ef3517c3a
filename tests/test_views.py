"""The ready views (datapkg/views.py): each row of each view is what the published tables say,
worked out here another way (sets of tuples from the tables), on the published package and on
the corpus with the fictional article; a view reads the files through their hashes."""

from __future__ import annotations

import pandas as pd
import pytest

import datapkg
from datapkg.errors import LoadError


@pytest.fixture(params=["published", "corpus"])
def where(request):
    """The published package (None: the default), and the corpus with the fictional article."""
    return None if request.param == "published" else request.getfixturevalue("corpus")


def nulls(value):
    return None if value is pd.NA or value is None else value


def rows(frame: pd.DataFrame, columns: list[str]) -> set[tuple]:
    return {tuple(nulls(v) for v in r) for r in frame[columns].astype(object).itertuples(index=False)}


def states_of(tables: dict) -> dict[str, set[str]]:
    """actor → the states it reaches in actor_closure ({None} where none)."""
    actors = tables["actors"]
    kind = dict(zip(actors["actor_id"], actors["kind"]))
    reached: dict[str, set] = {a: set() for a in actors["actor_id"]}
    for actor, related in zip(tables["actor_closure"]["actor_id"], tables["actor_closure"]["related_id"]):
        if kind[related] == "state":
            reached[actor].add(related)
    return {a: s or {None} for a, s in reached.items()}


def test_commitments_by_state_resolves_every_committer_to_its_states(where):
    tables = datapkg.load(path=where)
    states = states_of(tables)
    parties = tables["commitment_parties"]
    committers = parties[parties["role"] == "committer"]
    expected = {(c, a, s) for c, a in zip(committers["commitment_id"], committers["actor_id"])
                for s in states[a]}
    view = datapkg.commitments_by_state(path=where)
    assert rows(view, ["commitment_id", "committer_id", "state_id"]) == expected
    assert len(view) == len(expected)
    # every commitment has a committer (a rule), so every commitment is in the view
    assert set(view["commitment_id"]) == set(tables["commitments"]["commitment_id"])
    names = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"]))
    for state, name in zip(view["state_id"], view["state_name"]):
        assert nulls(name) == (None if state is pd.NA else names[state])


def test_statements_with_speakers_give_each_chain_and_whether_the_speaker_is_quoted(where):
    tables = datapkg.load(path=where)
    links = tables["statement_attributions"]
    view = datapkg.statements_with_speakers(path=where)
    assert set(view["statement_id"]) == set(tables["statements"]["statement_id"])
    for statement_id, chain in links.groupby("statement_id"):
        got = view[view["statement_id"] == statement_id]
        speakers = chain[chain["role"] == "speaker"]
        assert len(got) == max(1, len(speakers)), statement_id
        if not len(speakers):
            assert got["speaker_id"].isna().all() and not got["verbatim"].any()
            continue
        for speaker in speakers.itertuples(index=False):
            (row,) = got[got["speaker_id"] == speaker.actor_id].itertuples(index=False)
            above = chain[(chain["depth"] > 0) & (chain["depth"] < speaker.depth)]
            quoted = list(above["quote_type"]) + [speaker.quote_type]
            assert row.verbatim == all(q == "direct" for q in quoted), (statement_id, speaker)
            assert row.speaker_quote_type == speaker.quote_type
            author = chain.loc[chain["depth"] == 0, "actor_id"].iloc[0]
            assert row.chain.split(" > ") == [author, *above.sort_values("depth")["actor_id"],
                                              speaker.actor_id]
            assert nulls(row.relays) == (" > ".join(above.sort_values("depth")["actor_id"]) or None)
    # a statement's own quote_type is the depth-1 link's, not the speaker's own
    statements = tables["statements"].set_index("statement_id")["quote_type"]
    assert (view["quote_type"] == view["statement_id"].map(statements)).all()
    assert not (view["verbatim"] & (view["speaker_quote_type"] != "direct").fillna(True)).any()


def test_acts_by_state_keeps_every_act_and_every_party(where):
    tables = datapkg.load(path=where)
    states = states_of(tables)
    parties = tables["act_parties"]
    expected = {(a, p, r, s) for a, p, r in zip(parties["act_id"], parties["actor_id"], parties["role"])
                for s in states[p]}
    expected |= {(a, None, None, None) for a in set(tables["acts"]["act_id"]) - set(parties["act_id"])}
    view = datapkg.acts_by_state(path=where)
    assert rows(view, ["act_id", "actor_id", "role", "state_id"]) == expected
    assert len(view) == len(expected)
    assert set(view["act_id"]) == set(tables["acts"]["act_id"])
    # untyped acts stay in the view, with plover_event null
    untyped = set(tables["acts"].loc[tables["acts"]["plover_event"].isna(), "act_id"])
    assert set(view.loc[view["plover_event"].isna(), "act_id"]) == untyped


def test_persons_with_states_list_every_person_once_per_state(where):
    tables = datapkg.load(path=where)
    states = states_of(tables)
    actors = tables["actors"]
    persons = actors[actors["kind"] == "person"]
    expected = {(p, a, s) for p, a in zip(persons["actor_id"], persons["affiliation_id"].astype(object))
                for s in states[p]}
    view = datapkg.persons_with_states(path=where)
    assert rows(view, ["actor_id", "affiliation_id", "state_id"]) == {
        (p, nulls(a), s) for p, a, s in expected}
    assert len(view) == len(expected)


@pytest.mark.parametrize("view", ["commitments_by_state", "statements_with_speakers",
                                  "acts_by_state", "persons_with_states"])
def test_each_view_is_a_plain_documented_frame_read_through_the_hashes(view, package):
    frame = getattr(datapkg, view)(path=package)
    assert type(frame) is pd.DataFrame and frame.index.equals(pd.RangeIndex(len(frame)))
    assert frame.attrs == {} and "One row per" in getattr(datapkg, view).__doc__
    assert view in datapkg.__all__
    (package / "actors.csv").unlink()
    parquet = package / "actors.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-1] + b"\0")
    with pytest.raises(LoadError, match="actors.parquet"):
        getattr(datapkg, view)(path=package)


# --- the small things a user meets -----------------------------------------------------------

def test_the_version_is_a_string():
    assert isinstance(datapkg.version, str) and datapkg.version == datapkg.__version__


def test_describe_prints_every_description_whole_at_any_display_width():
    with pd.option_context("display.width", 40, "display.max_colwidth", 10):
        for name in datapkg.table_names():
            described = datapkg.describe(name)
            shown = " ".join(str(described).split())
            for column, description in zip(described["column"], described["description"]):
                assert column in shown and " ".join(description.split()) in shown
            assert type(described.head()) is pd.DataFrame  # what is derived is plain


def test_the_user_documents_are_found_beside_the_codebook():
    for path in (datapkg.codebook_path(), datapkg.datasheet_path(), datapkg.scoring_example_path()):
        assert path.is_file() and path.read_text(encoding="utf-8").startswith("# ")
