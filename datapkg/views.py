"""Ready views: the joins most questions start from, as plain pandas DataFrames.

Each view is built only from the published tables, read through ``load_table`` (so every file
is checked against its descriptor first), and each is one documented join: nothing here is
curated or inferred. An actor's states are the actors of kind ``state`` that it reaches
through ``actor_closure`` (a group → its members, a person → a ministry → a government → a
state); an actor that reaches no state keeps its row, with the state null, so that a count
of the view leaves nothing out silently.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from datapkg.loader import load_table
from datapkg.package import package_dir

STATE = "state"  # the actor kind a view resolves actors to


class Tables:
    """The published tables a view reads, each loaded (and checked) once."""

    def __init__(self, path: str | Path | None, verify: bool) -> None:
        self.directory = package_dir(path, descriptor=verify)
        self.verify = verify
        self.loaded: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.loaded:
            self.loaded[name] = load_table(name, path=self.directory, verify=self.verify)
        return self.loaded[name]


def names(t: Tables, prefix: str) -> pd.DataFrame:
    """actor id → name, with both columns renamed ``<prefix>_id`` and ``<prefix>_name``."""
    return t["actors"][["actor_id", "name"]].rename(
        columns={"actor_id": f"{prefix}_id", "name": f"{prefix}_name"})


def states(t: Tables) -> pd.DataFrame:
    """Every actor with each state it reaches through actor_closure (itself, for a state):
    actor_id, state_id, state_name, state_path. An actor reaching no state has one row with
    the state null."""
    actors = t["actors"]
    state_ids = actors.loc[actors["kind"] == STATE, "actor_id"]
    closure = t["actor_closure"]
    reached = closure[closure["related_id"].isin(state_ids)].rename(
        columns={"related_id": "state_id", "path": "state_path"})[["actor_id", "state_id",
                                                                   "state_path"]]
    every = actors[["actor_id"]].merge(reached, on="actor_id", how="left")
    return every.merge(names(t, "state"), on="state_id", how="left")[
        ["actor_id", "state_id", "state_name", "state_path"]]


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A view as users get it: a fresh 0..n-1 index and no attrs of the tables joined."""
    frame = frame.reset_index(drop=True)
    frame.attrs = {}
    return frame


def commitments_by_state(path: str | Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per commitment, committing party and state that party resolves to.

    A committer is a party of ``commitment_parties`` with role ``committer``; a group (of
    states, or of ministers) or a person (a minister) is resolved to its states
    through ``actor_closure``. A committer that reaches no state has one row with
    ``state_id`` null. Columns: source_id, commitment_id, kind, domain, text, is_future,
    is_conditional, is_negated, committer_id, committer_name, state_id, state_name and
    state_path (the closure's path from the committer to the state; ``self`` for a state).
    Count commitments per state with ``nunique`` of ``commitment_id``: a commitment of a group
    of states has a row for each."""
    t = Tables(path, verify)
    parties = t["commitment_parties"]
    committers = parties.loc[parties["role"] == "committer", ["commitment_id", "actor_id"]]
    commitments = t["commitments"][["source_id", "commitment_id", "kind", "domain", "text",
                                    "is_future", "is_conditional", "is_negated"]]
    frame = (commitments.merge(committers, on="commitment_id")
             .merge(states(t), on="actor_id", how="left")
             .rename(columns={"actor_id": "committer_id"})
             .merge(names(t, "committer"), on="committer_id", how="left"))
    return plain(frame[["source_id", "commitment_id", "kind", "domain", "text", "is_future",
                        "is_conditional", "is_negated", "committer_id", "committer_name",
                        "state_id", "state_name", "state_path"]])


def statements_with_speakers(path: str | Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per statement and speaker; a statement with no speaker (the article's own
    assessment) has one row with ``speaker_id`` null.

    ``chain`` is the statement's attribution chain from the writer to the speaker (actor ids
    joined by " > ", as in ``statement_attributions``, depth 0 first); ``relays`` the sources
    between them (null where the writer heard the speaker directly). ``quote_type`` is the
    statement's: how the article gives the words of the source at depth 1 (a relay where
    there is one). ``speaker_quote_type`` is the speaker's own link: how the source one step
    outward gives the speaker's words. ``verbatim`` is true only where every link from the
    article down to the speaker is ``direct``, so the speaker's own words are in quotation
    marks: 'the agency said the minister “called for calm”' quotes the agency, not the
    minister. Columns: source_id,
    statement_id, sentence_id, text, quote_type, cue_text, epistemic, author_id, relays,
    speaker_id, speaker_name, speaker_depth, speaker_quote_type, verbatim, chain."""
    t = Tables(path, verify)
    links = t["statement_attributions"].sort_values(["statement_id", "depth"])
    statements = t["statements"][["source_id", "statement_id", "sentence_id", "text",
                                  "quote_type", "cue_text", "epistemic"]]
    rows = []
    for statement_id, chain in links.groupby("statement_id", sort=False):
        authors = chain.loc[chain["depth"] == 0, "actor_id"].tolist()
        speakers = chain[chain["role"] == "speaker"]
        for speaker in speakers.itertuples(index=False) if len(speakers) else [None]:
            depth = speaker.depth if speaker is not None else 0
            above = chain[(chain["depth"] > 0) & (chain["depth"] < depth)]
            relays = above.loc[above["role"] == "reporter", "actor_id"].tolist()
            # The speaker's words are verbatim only if each link down to it quotes the next.
            quoted = [*above["quote_type"], None if speaker is None else speaker.quote_type]
            verbatim = speaker is not None and all(q == "direct" for q in quoted)
            rows.append({
                "statement_id": statement_id,
                "author_id": authors[0] if authors else None,
                "relays": " > ".join(relays) or None,
                "speaker_id": None if speaker is None else speaker.actor_id,
                "speaker_depth": None if speaker is None else int(depth),
                "speaker_quote_type": None if speaker is None else speaker.quote_type,
                "verbatim": verbatim,
                "chain": " > ".join([*authors, *relays]
                                    + ([] if speaker is None else [speaker.actor_id])),
            })
    chains = pd.DataFrame(rows, columns=["statement_id", "author_id", "relays", "speaker_id",
                                         "speaker_depth", "speaker_quote_type", "verbatim",
                                         "chain"])
    chains = chains.astype({"statement_id": "string", "author_id": "string", "relays": "string",
                            "speaker_id": "string", "speaker_depth": "Int64",
                            "speaker_quote_type": "string", "verbatim": "boolean",
                            "chain": "string"})
    frame = (statements.merge(chains, on="statement_id", how="left")
             .merge(names(t, "speaker"), on="speaker_id", how="left"))
    return plain(frame[["source_id", "statement_id", "sentence_id", "text", "quote_type",
                        "cue_text", "epistemic", "author_id", "relays", "speaker_id",
                        "speaker_name", "speaker_depth", "speaker_quote_type", "verbatim",
                        "chain"]])


def acts_by_state(path: str | Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per act, party and state that party resolves to.

    The parties are ``act_parties`` (role ``actor`` or ``recipient``), each resolved to its
    states through ``actor_closure``; a party that reaches no state has one row with
    ``state_id`` null, and an act with no party one row with ``actor_id`` null. An act with no
    PLOVER type (CAMEO 01 and 02) has ``plover_event`` null: count with
    ``value_counts(dropna=False)``, or ``nunique`` of ``act_id``, to keep it. Columns:
    source_id, act_id, record, cameo_code, plover_event, plover_mode, plover_context, text,
    role, actor_id, actor_name, state_id, state_name, state_path."""
    t = Tables(path, verify)
    acts = t["acts"][["source_id", "act_id", "record", "cameo_code", "plover_event",
                      "plover_mode", "plover_context", "text"]]
    parties = t["act_parties"][["act_id", "actor_id", "role"]]
    frame = (acts.merge(parties, on="act_id", how="left")
             .merge(states(t), on="actor_id", how="left")
             .merge(names(t, "actor"), on="actor_id", how="left"))
    return plain(frame[["source_id", "act_id", "record", "cameo_code", "plover_event",
                        "plover_mode", "plover_context", "text", "role", "actor_id",
                        "actor_name", "state_id", "state_name", "state_path"]])


def persons_with_states(path: str | Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per person (an actor of kind ``person``) and state the person resolves to
    through ``actor_closure``; a person reaching no state has one row with ``state_id`` null.
    ``affiliation_id`` is the body the person is declared to serve, the most specific one the
    corpus declares (a ministry where one is, else a government): compare people by
    ``state_id``, not by ``affiliation_id``. Columns: actor_id, name, affiliation_id,
    affiliation_name, state_id, state_name, state_path."""
    t = Tables(path, verify)
    actors = t["actors"]
    persons = actors.loc[actors["kind"] == "person", ["actor_id", "name", "affiliation_id"]]
    frame = (persons.merge(names(t, "affiliation"), on="affiliation_id", how="left")
             .merge(states(t), on="actor_id", how="left"))
    return plain(frame[["actor_id", "name", "affiliation_id", "affiliation_name", "state_id",
                        "state_name", "state_path"]])


VIEWS = {view.__name__: view for view in (commitments_by_state, statements_with_speakers,
                                          acts_by_state, persons_with_states)}
