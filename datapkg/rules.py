"""Rules across columns and tables, each a small function over the loaded tables.

Every rule yields ``Violation(table, index, column, value, rule)``; ``datapkg.validate`` turns
them into failures that name the file and the row key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from datapkg.assemble import act_role
from datapkg.crosswalk import published
from datapkg.errors import rule_code
from datapkg.registry import ID_PATTERN, TABLES, spans

Frames = dict[str, pd.DataFrame]


class Violation(NamedTuple):
    table: str
    index: object
    column: str
    value: object
    rule: str
    code: str = ""  # set by ``violations_of``: the rule's failure code


def where(frame: pd.DataFrame, mask: pd.Series) -> list:
    return list(frame.index[mask.fillna(False).astype(bool).to_numpy()])


def before_first(values: pd.Series | pa.ChunkedArray, separator: str) -> pa.Array:
    """Each string up to its first ``separator`` (the whole string where there is none)."""
    array = values if isinstance(values, pa.ChunkedArray) else pa.array(values, from_pandas=True)
    parts = pc.split_pattern(array, separator, max_splits=1)
    return pc.list_element(parts, 0)


# A check that runs the same kernels on many columns runs them once, on the columns joined:
# Arrow's calls cost more than their work on a small package.
def joined(columns: list, kind: pa.DataType | None = None) -> pa.ChunkedArray:
    """The columns (Series or Arrow arrays) one after another, as one Arrow array of their
    chunks, of type ``kind`` or else the first column's (a copy only of a chunk of another
    type, such as a column of nulls); ``split`` cuts an answer back."""
    arrays = [column if isinstance(column, pa.ChunkedArray | pa.Array)
              else pa.array(column, from_pandas=True) for column in columns]
    kind = kind or next((a.type for a in arrays if a.type != pa.null()), pa.large_string())
    return pa.chunked_array([chunk if chunk.type == kind else chunk.cast(kind)
                             for array in arrays for chunk in
                             (array.chunks if isinstance(array, pa.ChunkedArray) else [array])],
                            kind)


def split(values: np.ndarray, columns: list) -> list[np.ndarray]:
    """``values``, one per row of the ``joined`` columns, cut back into one part a column."""
    return np.split(values, np.cumsum([len(column) for column in columns])[:-1])


# Cells joined at most at a time: a kernel's answer for them is made and let go before the
# next group's, so a large package's memory never holds one for all its columns at once.
JOINED_CELLS = 2**21


def groups(columns: list) -> Iterator[list]:
    """The columns in order, in runs of at most ``JOINED_CELLS`` cells (a longer column
    alone)."""
    run: list = []
    for column in columns:
        if run and sum(map(len, run)) + len(column) > JOINED_CELLS:
            yield run
            run = []
        run.append(column)
    if run:
        yield run


def among(values: pd.Series, candidates) -> pd.Series:
    """``values.isin(candidates)``, with the candidates hashed in Arrow (pandas looks at a
    string column's candidates one by one, in Python)."""
    array = pa.array(values, from_pandas=True)
    if isinstance(candidates, set | frozenset | list | tuple):
        value_set = pa.array(list(candidates), type=array.type, from_pandas=True)
    else:  # a Series or an Index: handed over as Arrow, not value by value
        value_set = pa.array(pd.Series(candidates), from_pandas=True).cast(array.type)
    found = pc.is_in(array, value_set=value_set)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def looked_up(keys: pd.Series, index: pd.Series, values: pd.Series) -> pd.Series:
    """For each of ``keys``, the value beside its last match in ``index`` (null where there
    is none), in ``values``' dtype: ``keys.map(dict(zip(index, values)))``, hashed in Arrow."""
    return taken(values, last_match(keys, index), keys.index)


def last_match(keys: pd.Series, index: pd.Series) -> np.ndarray:
    """For each of ``keys``, the position of its last match in ``index``, -1 where there is
    none (Arrow finds the first match: so it looks through ``index`` backwards)."""
    array = pa.array(keys, from_pandas=True)
    backwards = pa.array(index.iloc[::-1], from_pandas=True).cast(array.type)
    position = pc.index_in(array, value_set=backwards).fill_null(-1).to_numpy()
    return np.where(position < 0, -1, len(index) - 1 - position)


def taken(values: pd.Series, position: np.ndarray, index: pd.Index) -> pd.Series:
    """``values`` at each ``position`` (null at -1), in their dtype, under ``index``."""
    return pd.Series(values.array.take(position, allow_fill=True), index=index)


def ordered_spans(frames: Frames) -> Iterator[Violation]:
    """Every span ends after it starts."""
    for name, frame in frames.items():
        for start, end, _ in spans(TABLES[name]):
            for i in where(frame, frame[end] <= frame[start]):
                yield Violation(name, i, end, frame.at[i, end], f"{end} must exceed {start}")


def id_convention(frames: Frames) -> Iterator[Violation]:
    """An id starts with its source's serial (`000.`), so ids are unique across sources."""
    for name, frame in frames.items():
        if "source_id" not in frame:
            continue  # a corpus table (actors): its ids carry no serial
        serial = before_first(frame["source_id"], "_")
        names = [f.name for f in TABLES[name].fields if f.pattern == ID_PATTERN]
        if not names:
            continue
        columns = [frame[column] for column in names]
        wrong = []
        for run in groups(columns):  # the table's id columns, joined
            values = joined(run)
            right = pc.and_(pc.match_substring(values, "."),
                            pc.equal(before_first(values, "."), joined([serial] * len(run),
                                                                       values.type)))
            wrong += split(pc.fill_null(pc.invert(right), False).to_numpy(zero_copy_only=False),
                           run)
        for column, values, mask in zip(names, columns, wrong):
            for i in frame.index[mask]:
                yield Violation(name, i, column, values[i],
                                "id convention: an id starts with its source's serial "
                                f"({serial[frame.index.get_loc(i)].as_py()}.)")


def dates_in_range(frames: Frames) -> Iterator[Violation]:
    """Every date lies between 1900 and 2100."""
    for name, frame in frames.items():
        for f in TABLES[name].fields:
            if f.type == "date":
                years = frame[f.name].dt.year
                for i in where(frame, (years < 1900) | (years > 2100)):
                    yield Violation(name, i, f.name, frame.at[i, f.name],
                                    "date must lie between 1900 and 2100")


def figure_values(frames: Frames) -> Iterator[Violation]:
    """A range has low ≤ high and no value; a count or ordinal has a value and no bounds."""
    figures = frames["figures"]
    for i in where(figures, figures["low"] > figures["high"]):
        yield Violation("figures", i, "low", figures.at[i, "low"], "low must not exceed high")
    is_range = figures["kind"] == "range"
    for i in where(figures, is_range & (figures["low"].isna() | figures["high"].isna()
                                        | figures["value"].notna())):
        yield Violation("figures", i, "value", figures.at[i, "value"],
                        "a range has low and high and no value (no invented midpoint)")
    numeric = figures["kind"].isin(["count", "ordinal"])
    for i in where(figures, numeric & (figures["value"].isna() | figures["low"].notna()
                                       | figures["high"].notna())):
        yield Violation("figures", i, "value", figures.at[i, "value"],
                        "a count or ordinal has a value and no low/high")
    dated = figures["kind"].isin(["date", "weekday"])
    for i in where(figures, dated & figures["date_stated"].isna()):
        yield Violation("figures", i, "date_stated", None, "a date figure states its date")


def actor_periods(frames: Frames) -> Iterator[Violation]:
    """An actor's period runs forward (valid_from ≤ valid_to), and a period states its basis."""
    actors = frames["actors"]
    for i in where(actors, actors["valid_from"] > actors["valid_to"]):
        yield Violation("actors", i, "valid_from", actors.at[i, "valid_from"],
                        "valid_from must not be after valid_to")
    bounded = actors["valid_from"].notna() | actors["valid_to"].notna()
    for i in where(actors, bounded & actors["valid_basis"].isna()):
        yield Violation("actors", i, "valid_basis", None,
                        "an actor with valid_from or valid_to says where they come from")


def known_to(precision: pd.Series) -> np.ndarray:
    """How much of each date is known, from its precision: 0 its year, 1 its month, 2 its day
    (a date with no precision is taken as exact)."""
    array = pa.array(precision, from_pandas=True)
    year, month = (pc.fill_null(pc.equal(array, value), False).to_numpy(zero_copy_only=False)
                   for value in ("year", "month"))
    return np.where(year, 0, np.where(month, 1, 2))


def period_before(left: pd.Series, left_precision: pd.Series, right: pd.Series,
                  right_precision: pd.Series) -> pd.Series:
    """Whether each ``left`` date lies wholly before ``right``, each known to its precision.

    A year- or month-precision date is stored as the first day of its period, so the two are
    compared by the coarser period of the pair: a deadline of 2021 (year) is not before a
    statement of 2021-06-04, and one of 2020 is."""
    # Every date comparison where a date may be a period: by period, never by its first day.
    known = np.minimum(known_to(left_precision), known_to(right_precision))

    def key(dates: pd.Series) -> pd.Series:
        return (dates.dt.year * 10000 + dates.dt.month.where(known >= 1, 0) * 100
                + dates.dt.day.where(known >= 2, 0))

    return key(left) < key(right)


def deadlines_after_statements(frames: Frames) -> Iterator[Violation]:
    """A commitment's deadline is not before the date of the statement (or event) making it;
    a deadline or date known only to its month or year is compared by that period."""
    commitments = frames["commitments"]
    statements, events = frames["statements"], frames["events"]

    def of(key: str, frame: pd.DataFrame, frame_key: str) -> tuple[pd.Series, pd.Series]:
        return tuple(looked_up(commitments[key], frame[frame_key], frame[column])
                     for column in ("date_resolved", "date_precision"))

    said, said_precision = of("statement_id", statements, "statement_id")
    held, held_precision = of("made_at_event_id", events, "event_id")
    # the statement's date with its precision; the event's where the statement has none
    reference = said.fillna(held)
    precision = said_precision.where(said.notna(), held_precision)
    late = period_before(commitments["deadline_resolved"], commitments["deadline_precision"],
                         reference, precision)
    for i in where(commitments, late):
        yield Violation("commitments", i, "deadline_resolved",
                        commitments.at[i, "deadline_resolved"],
                        f"deadline must not be before the date of its statement (or event) "
                        f"({reference[i]})")


def committed_by_someone(frames: Frames) -> Iterator[Violation]:
    """Every commitment has a committer among its parties."""
    commitments, parties = frames["commitments"], frames["commitment_parties"]
    committers = parties.loc[parties["role"] == "committer", "commitment_id"]
    for i in where(commitments, ~among(commitments["commitment_id"], committers)):
        yield Violation("commitments", i, "commitment_id", commitments.at[i, "commitment_id"],
                        "a commitment needs at least one committing party (commitment_parties "
                        "role 'committer')")


def agreement_items(frames: Frames) -> Iterator[Violation]:
    """items_reported counts the items recorded under a parent, and never exceeds items_stated."""
    commitments = frames["commitments"]
    children = commitments["parent_id"].value_counts()
    counted = commitments["commitment_id"].map(children).fillna(0).astype("Int64")
    reported = commitments["items_reported"]
    for i in where(commitments, reported.notna() & (reported != counted)):
        yield Violation("commitments", i, "items_reported", reported[i],
                        f"items_reported must equal the items recorded under it ({counted[i]})")
    for i in where(commitments, reported > commitments["items_stated"]):
        yield Violation("commitments", i, "items_reported", reported[i],
                        "items_reported must not exceed items_stated")


def attribution_chains(frames: Frames) -> Iterator[Violation]:
    """Each statement has one chain: the article at depth 0, relays, then speakers; no loops."""
    statements, links = frames["statements"], frames["statement_attributions"]
    for i in where(statements, ~among(statements["statement_id"], links["statement_id"])):
        yield Violation("statements", i, "statement_id", statements.at[i, "statement_id"],
                        "every statement needs an attribution chain")
    by_statement = links.groupby("statement_id")["depth"]
    deepest = by_statement.transform("max")
    gapless = (by_statement.transform("nunique") == deepest + 1) & \
        (by_statement.transform("min") == 0)
    first_of_chain = ~links["statement_id"].duplicated()
    for i in where(links, first_of_chain & ~gapless):
        yield Violation("statement_attributions", i, "depth",
                        sorted(links.loc[links["statement_id"] == links.at[i, "statement_id"],
                                         "depth"].unique().tolist()),
                        "depths of a chain run 0, 1, 2… without gaps")
    for i in where(links, links.duplicated(["statement_id", "actor_id"])):
        yield Violation("statement_attributions", i, "actor_id", links.at[i, "actor_id"],
                        "an actor appears twice in one chain: the chain loops")
    expected = pd.Series("reporter", index=links.index, dtype=object)
    expected[(links["depth"] == deepest).to_numpy()] = "speaker"
    expected[(links["depth"] == 0).to_numpy()] = "author"
    for i in where(links, links["role"] != expected):
        yield Violation("statement_attributions", i, "role", links.at[i, "role"],
                        f"role must be {expected[i]} (author at depth 0, speakers last, "
                        "reporters between)")


def coverage_consistent(frames: Frames) -> Iterator[Violation]:
    """A sentence's coverage status agrees with the rows that lie on it."""
    coverage = frames["coverage"]
    claims = coverage[["statements", "commitments", "figures", "events"]].sum(axis=1)
    covered = coverage["status"] == "covered"
    for i in where(coverage, covered & (claims == 0)):
        yield Violation("coverage", i, "status", "covered", "a covered sentence has rows on it")
    for i in where(coverage, ~covered & (claims > 0)):
        yield Violation("coverage", i, "status", "excused",
                        "an excused sentence has rows on it: drop the excusal")
    for i in where(coverage, covered == coverage["reason"].notna()):
        yield Violation("coverage", i, "reason", coverage.at[i, "reason"],
                        "an excused sentence, and only an excused one, gives a reason")
    sentences = frames["sentences"]["sentence_id"]
    missing = sentences[~among(sentences, coverage["sentence_id"])]
    for sentence_id in sorted(missing.unique()):
        yield Violation("coverage", None, "sentence_id", sentence_id,
                        "every body sentence has a coverage row")


def codes_explained(frames: Frames) -> Iterator[Violation]:
    """Every coded row says why its codes were chosen, or why none fits."""
    for name in ("statements", "commitments", "events"):
        frame = frames[name]
        for i in where(frame, frame["code_note"].isna()):
            yield Violation(name, i, "code_note", None,
                            "event codes need a code_note: the reason for the codes, or why "
                            "none fits")
        for i in where(frame, frame["plover_mode"].notna() & frame["plover_event"].isna()):
            yield Violation(name, i, "plover_mode", frame.at[i, "plover_mode"],
                            "a PLOVER mode needs a PLOVER event type")


# What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIRST_CHARACTERS = pa.array(FORMULA_STARTS, pa.string())


def begins_like_formula(columns: list[pd.Series]) -> list[np.ndarray]:
    """For each text column, whether each cell begins like a formula (a null does not):
    ``column.str.startswith(FORMULA_STARTS)``, decided in Arrow by each value's first
    character, which is all of every start: two kernels for many columns at once."""
    found = []
    for run in groups(columns):
        first = pc.utf8_slice_codeunits(joined(run), 0, 1)
        starts = pc.fill_null(pc.is_in(first, value_set=FIRST_CHARACTERS), False)
        found += split(starts.to_numpy(zero_copy_only=False), run)
    return found


def no_formulas(frames: Frames) -> Iterator[Violation]:
    """No text cell begins like a formula, so a spreadsheet opening the CSV runs nothing."""
    texts = [(name, f.name) for name, frame in frames.items() for f in TABLES[name].fields
             if f.type == "string"]
    columns = [frames[name][column] for name, column in texts]
    for (name, column), values, mask in zip(texts, columns, begins_like_formula(columns)):
        for i in frames[name].index[mask]:
            yield Violation(name, i, column, values.at[i],
                            "a text cell must not begin with =, +, -, @, tab or CR "
                            "(a spreadsheet would run it as a formula)")


# Each rule with the tables it reads (None: whichever loaded).
RULES = (
    (ordered_spans, None), (id_convention, None), (dates_in_range, None), (no_formulas, None),
    (figure_values, ("figures",)), (actor_periods, ("actors",)),
    (deadlines_after_statements, ("commitments", "statements", "events")),
    (committed_by_someone, ("commitments", "commitment_parties")),
    (agreement_items, ("commitments",)),
    (attribution_chains, ("statements", "statement_attributions")),
    (coverage_consistent, ("coverage", "sentences")),
    (codes_explained, ("statements", "commitments", "events")),
)


def applicable(frames: Frames) -> list:
    """The rules whose tables loaded (a table that failed to load is reported elsewhere)."""
    return [rule for rule, needs in RULES
            if needs is None or all(name in frames for name in needs)]


def violations_of(rule, frames: Frames) -> list[Violation]:
    """One rule's violations, each stamped with the rule's failure code."""
    code = rule_code(rule.__name__)
    return [v._replace(code=code) for v in rule(frames)]


# --- acts: each coded once --------------------------------------------------------------------

ACT_TABLES = {"statements": "statement_id", "commitments": "commitment_id", "events": "event_id"}
CODE_COLUMNS = ["cameo_code", "plover_event", "plover_mode", "plover_context"]


def coded_rows(frames: Frames) -> pd.DataFrame:
    """The rows of statements, commitments and events that state an event code: their ids,
    as ``act_id``, and their codes."""
    found = [frames[name].rename(columns={column: "act_id"})[["act_id", *CODE_COLUMNS]]
             for name, column in ACT_TABLES.items()]
    rows = pd.concat(found, ignore_index=True)
    return rows[(rows["cameo_code"].notna() | rows["plover_event"].notna()).to_numpy()]


def as_text(values: pd.Series) -> pa.ChunkedArray:
    """A text column with every null as "": how a code is compared, a missing code equal to
    an empty one."""
    return pc.fill_null(joined([values], pa.large_string()), "")


def acts_follow_codes(frames: Frames) -> Iterator[Violation]:
    """acts holds one row per coded row, with the codes stated there: no second truth."""
    acts, coded = frames["acts"], coded_rows(frames)
    coded_ids = coded["act_id"]
    known = among(acts["act_id"], coded_ids)
    for i in where(acts, ~known):
        yield Violation("acts", i, "act_id", acts.at[i, "act_id"],
                        "an act is a statement, commitment or event that states an event code")
    for act_id in sorted(coded_ids[~among(coded_ids, acts["act_id"])].unique()):
        yield Violation("acts", None, "act_id", act_id,
                        "every coded statement, commitment or event has its row in acts")
    position = last_match(acts["act_id"], coded_ids)  # looked up once for every column
    for column in CODE_COLUMNS:
        # compared in Arrow: no Python object per cell
        stated = taken(coded[column], position, acts.index)
        differs = pc.not_equal(as_text(stated), as_text(acts[column]))
        for i in acts.index[known.to_numpy() & differs.to_numpy(zero_copy_only=False)]:
            code = "" if pd.isna(stated[i]) else stated[i]
            yield Violation("acts", i, column, acts.at[i, column],
                            f"acts repeats the code of its row ({code or 'null'}), never "
                            "another")
    root = acts["cameo_code"].str[:2]
    for i in where(acts, acts["cameo_root"] != root):
        yield Violation("acts", i, "cameo_root", acts.at[i, "cameo_root"],
                        "cameo_root is the first two digits of cameo_code")


def act_links_resolve(frames: Frames) -> Iterator[Violation]:
    """Both ends of a link are a statement, commitment or event."""
    links = frames["act_links"]
    known = pd.concat([frames[name][column] for name, column in ACT_TABLES.items()])
    for column in ("from_id", "to_id"):
        for i in where(links, ~among(links[column], known)):
            yield Violation("act_links", i, column, links.at[i, column],
                            "a link joins a statement, commitment or event")


def coded_once(frames: Frames) -> Iterator[Violation]:
    """No act is counted twice: of two linked rows only one is coded, an agreement whose
    items are recorded (a container) is not coded beside them, and no two acts of a source
    share words."""
    links, acts = frames["act_links"], frames["acts"]["act_id"]
    for i in where(links, among(links["from_id"], acts) & among(links["to_id"], acts)):
        yield Violation("act_links", i, "from_id", links.at[i, "from_id"],
                        f"{links.at[i, 'from_id']} {links.at[i, 'relation']} "
                        f"{links.at[i, 'to_id']}, and both are coded: the act would be counted "
                        "twice; code one of them")
    commitments = frames["commitments"]
    container = among(commitments["commitment_id"], commitments["parent_id"].dropna()) & \
        commitments["items_stated"].notna()
    for i in where(commitments, container & commitments["cameo_code"].notna()):
        yield Violation("commitments", i, "cameo_code", commitments.at[i, "cameo_code"],
                        "an agreement whose items are recorded is a container: its items are "
                        "coded, not it (CAMEO 030 is residual)")
    acts = frames["acts"].sort_values(["source_id", "span_start", "span_end"])
    reached = acts.groupby("source_id")["span_end"].cummax().groupby(acts["source_id"]).shift()
    for i in where(acts, acts["span_start"] < reached):
        yield Violation("acts", i, "span_start", acts.at[i, "span_start"],
                        "words carry one act: this act's span shares words with an earlier "
                        "act's; trim the container to its own words")


def balanced_quotation_marks(frames: Frames) -> Iterator[Violation]:
    """A span never holds an unbalanced quotation mark: every “ it holds closes inside it."""
    for name in ("statements", "commitments", "acts"):
        frame = frames[name]
        # outside quotations, or inside one opened and then closed: one pass over the text
        balanced = frame["text"].str.fullmatch("[^“”]*(?:“[^“”]*”[^“”]*)*")
        for i in where(frame, ~balanced):
            yield Violation(name, i, "span_end", frame.at[i, "span_end"],
                            "span ending: a span holds whole quotations (“ and ” balanced); "
                            "punctuation inside a closing mark it reaches is kept")


RULES += (
    (acts_follow_codes, ("acts", "statements", "commitments", "events")),
    (act_links_resolve, ("act_links", "statements", "commitments", "events")),
    (coded_once, ("act_links", "acts", "commitments")),
    (balanced_quotation_marks, ("statements", "commitments", "acts")),
)


PAIR = ["cameo_code", "plover_event", "plover_mode"]


def codes_follow_crosswalk(frames: Frames) -> Iterator[Violation]:
    """Every act's (CAMEO code, PLOVER type, PLOVER mode) is the pair code_crosswalk gives
    its code."""
    acts, pairs = frames["acts"], frames["code_crosswalk"]
    code = acts["cameo_code"]
    known = among(code, pairs["cameo_code"]).to_numpy(dtype=bool)
    # values by position: a report line per act costs no pandas lookup
    codes = code.astype(object).to_numpy()
    expected, given = ({c: looked_up(code, pairs["cameo_code"], pairs[c]).astype(object)
                        .fillna("").to_numpy() for c in PAIR[1:]},
                       {c: acts[c].astype(object).fillna("").to_numpy() for c in PAIR[1:]})
    for p in np.flatnonzero(~known):
        yield Violation("acts", acts.index[p], "cameo_code", codes[p],
                        "CAMEO and PLOVER must agree with the crosswalk: no pair for this "
                        "CAMEO code (datapkg/cameo_plover.csv, the whole crosswalk, has no line "
                        "for it, nor a dropped root of it); check the code")
    wrong = known & ((expected["plover_event"] != given["plover_event"])
                     | (expected["plover_mode"] != given["plover_mode"]))
    for p in np.flatnonzero(wrong):
        event, mode = expected["plover_event"][p], expected["plover_mode"][p]
        yield Violation("acts", acts.index[p], "plover_event", given["plover_event"][p] or None,
                        f"CAMEO and PLOVER must agree with the crosswalk: {codes[p]} maps to "
                        f"{event or 'no PLOVER type'}{', mode ' + mode if mode else ''}")


def crosswalk_derived(frames: Frames) -> Iterator[Violation]:
    """code_crosswalk holds, for each CAMEO code the acts use, the row the shipped crosswalk
    gives it (datapkg/cameo_plover.csv with its departures), and nothing else."""
    # No article edits the crosswalk: a published row is the shipped one, or it is reported.
    acts, table = frames["acts"], frames["code_crosswalk"]
    used = acts[PAIR].drop_duplicates().astype(object)
    expected = {row["cameo_code"]: row for row in
                published(used.where(used.notna(), None).itertuples(index=False, name=None))}
    columns = ["cameo_code", "plover_event", "plover_mode", "basis"]
    present = table[columns].astype(object)
    present = present.where(present.notna(), None)
    for i, row in zip(table.index, present.itertuples(index=False, name=None)):
        shipped = expected.get(row[0])
        if shipped is None:
            yield Violation("code_crosswalk", i, "cameo_code", row[0],
                            "code_crosswalk holds the codes the acts use, each as the shipped "
                            "crosswalk gives it: no act uses this code, or the crosswalk lacks it")
            continue
        for column, value in zip(columns[1:], row[1:]):
            if value != shipped[column]:
                yield Violation("code_crosswalk", i, column, value,
                                f"code_crosswalk is derived from the shipped crosswalk, never "
                                f"edited: {column} of {row[0]} is {shipped[column]!r} there")
    for code in sorted(set(expected) - set(present["cameo_code"])):
        yield Violation("code_crosswalk", None, "cameo_code", code,
                        "an act uses this code and the shipped crosswalk has it: code_crosswalk "
                        "needs its row")


RULES += (
    (codes_follow_crosswalk, ("acts", "code_crosswalk")),
    (crosswalk_derived, ("acts", "code_crosswalk")),
)


# --- attribution per link ---------------------------------------------------------------------

def chain_links(frames: Frames) -> Iterator[Violation]:
    """Beyond depth 0 a link names its source (a mention) or is marked implicit, never both;
    a relay states its cue; every link beyond depth 0 has a quote type, and the first is the
    statement's own; a statement with no source beyond the writer is an assessment."""
    statements, links = frames["statements"], frames["statement_attributions"]
    beyond = links["depth"] > 0
    for i in where(links, beyond & (links["implicit"] != links["mention_id"].isna())):
        yield Violation("statement_attributions", i, "implicit", links.at[i, "implicit"],
                        "a link beyond depth 0 names its source (mention_id) or is implicit "
                        "(no mention): an implicit relay is a link, never dropped")
    for i in where(links, (links["role"] == "reporter") & links["cue_text"].isna()):
        yield Violation("statement_attributions", i, "cue_text", None,
                        "a relay states the cue by which the text attributes the report to it")
    for i in where(links, beyond == links["quote_type"].isna()):
        yield Violation("statement_attributions", i, "quote_type", links.at[i, "quote_type"],
                        "every link beyond depth 0, and only such a link, has a quote type")
    said = looked_up(links["statement_id"], statements["statement_id"],
                     statements["quote_type"]).astype(object)
    first = links["depth"] == 1
    for i in where(links, first & (links["quote_type"].astype(object) != said)):
        yield Violation("statement_attributions", i, "quote_type", links.at[i, "quote_type"],
                        f"the first link's quote type is the statement's ({said[i]})")
    sourced = among(statements["statement_id"], links.loc[beyond, "statement_id"])
    for i in where(statements, sourced == (statements["quote_type"] == "assessment")):
        yield Violation("statements", i, "quote_type", statements.at[i, "quote_type"],
                        "an assessment, and only an assessment, has no source beyond the writer")
    for i in where(statements, sourced != (statements["epistemic"] == "reported")):
        yield Violation("statements", i, "epistemic", statements.at[i, "epistemic"],
                        "a claim is reported exactly when its chain has a source beyond the "
                        "writer")


RULES += ((chain_links, ("statements", "statement_attributions")),)


# --- roles held to their definitions ------------------------------------------------------------

def party_roles_fit(frames: Frames) -> Iterator[Violation]:
    """An addressee is whom an appeal or pledge is addressed to; no actor is both served and
    opposed by one commitment (beneficiary and target)."""
    parties, commitments = frames["commitment_parties"], frames["commitments"]
    kind = looked_up(parties["commitment_id"], commitments["commitment_id"],
                     commitments["kind"]).astype(object)
    addressed = (parties["role"] == "addressee") & ~kind.isin(["appeal", "pledge"])
    for i in where(parties, addressed):
        yield Violation("commitment_parties", i, "role", "addressee",
                        f"an addressee is whom an appeal or pledge is addressed to, not a party "
                        f"to an {kind[i]} (see the codebook's definition of the roles)")
    sides = parties[parties["role"].isin(["beneficiary", "target"])]
    both = sides.duplicated(["commitment_id", "actor_id"], keep=False) & \
        (sides["role"] == "target")
    for i in where(sides, both):
        yield Violation("commitment_parties", i, "role", "target",
                        "an actor a commitment serves (beneficiary) is not also its target")


RULES += ((party_roles_fit, ("commitment_parties", "commitments")),)


# --- who acts: a call's kind and an act's parties follow the data ------------------------------

def reach(frames: Frames, actor_ids) -> dict[str, set[str]]:
    """Each of ``actor_ids`` with every actor it reaches in actor_closure (itself included)."""
    closure = frames["actor_closure"]
    wanted = closure[among(closure["actor_id"], list(set(actor_ids)))]
    reached = {a: {a} for a in actor_ids}
    for actor_id, related_id in zip(wanted["actor_id"], wanted["related_id"]):
        reached.setdefault(actor_id, {actor_id}).add(related_id)
    return reached


SELF_STATED = ("intention", "pledge")  # kinds a party states for itself alone


def self_inclusive_calls(frames: Frames) -> Iterator[Violation]:
    """A call on a group that includes the speaker is an appeal (the group its addressee), or
    the group itself commits: an intention or pledge is never one party's while its statement
    names, other than as a party of it, a group that includes that party."""
    # A self-inclusive call: an intention or pledge whose statement names, as no party of it,
    # a group (an actor with members) reaching an actor its committer reaches.
    commitments, parties = frames["commitments"], frames["commitment_parties"]
    statements, mentions = frames["statements"], frames["mentions"]
    stated = commitments[commitments["kind"].isin(SELF_STATED)]
    groups = set(frames["actor_members"]["actor_id"])
    grouped = mentions[among(mentions["actor_id"], groups)].sort_values("span_start") \
        if groups else mentions.iloc[:0]
    starts = grouped["span_start"].to_numpy()
    span = statements.set_index("statement_id")[["span_start", "span_end"]]
    span = span[~span.index.duplicated()]
    of = {cid: rows for cid, rows in parties.groupby("commitment_id")}
    named = {}
    for i, cid, sid in zip(stated.index, stated["commitment_id"], stated["statement_id"]):
        if sid not in span.index:
            continue  # a dangling statement is reported by the key checks
        start, end = span.at[sid, "span_start"], span.at[sid, "span_end"]
        inside = grouped.iloc[np.searchsorted(starts, start):np.searchsorted(starts, end)]
        found = set(inside.loc[inside["span_end"] <= end, "actor_id"])
        mine = of.get(cid, parties.iloc[:0])
        if found - set(mine["actor_id"]):
            named[i] = (found - set(mine["actor_id"]),
                        list(mine.loc[mine["role"] == "committer", "actor_id"]))
    reached = reach(frames, {a for found, committers in named.values()
                             for a in (*found, *committers)})
    for i, (found, committers) in named.items():
        for group in sorted(found):
            hit = [c for c in committers if c != group and reached[group] & reached[c]]
            if hit:
                yield Violation("commitments", i, "kind", commitments.at[i, "kind"],
                                f"a call on a group including its speaker: the statement names "
                                f"{group}, which includes {hit[0]}; make it an appeal "
                                f"addressed to {group}, or let {group} commit")


def realised_parties(frames: Frames) -> Iterator[Violation]:
    """An act that realises an event (the plan or intention coded in its stead) carries every
    party of that event in the matching role (the same actor, or one that reaches it or that
    it reaches through actor_closure), or the link's note names the party left out and why."""
    # The parties of an event and of the act coded in its stead never disagree unseen.
    links, acts, events = frames["act_links"], frames["acts"], frames["events"]
    coded = set(acts["act_id"])
    cameo = dict(zip(acts["act_id"], acts["cameo_code"]))
    realised = links[(links["relation"] == "realises") & among(links["from_id"], events["event_id"])
                     & among(links["to_id"], list(coded)) & ~among(links["from_id"], list(coded))]
    if realised.empty:
        return
    participants = frames["event_participants"]
    participants = participants[among(participants["event_id"], realised["from_id"])]
    act_parties = frames["act_parties"]
    act_parties = act_parties[among(act_parties["act_id"], realised["to_id"])]
    of_event = {e: rows for e, rows in participants.groupby("event_id")}
    of_act = {a: rows for a, rows in act_parties.groupby("act_id")}
    reached = reach(frames, set(participants["actor_id"]) | set(act_parties["actor_id"]))
    for i, event, act, note in zip(realised.index, realised["from_id"], realised["to_id"],
                                   realised["note"]):
        have = of_act.get(act, act_parties.iloc[:0])
        carried = {}
        for actor, role in zip(have["actor_id"], have["role"]):
            carried.setdefault(role, []).append(actor)
        for actor, role in zip(*(of_event.get(event, participants.iloc[:0])[c]
                                 for c in ("actor_id", "role"))):
            as_act = act_role("event_participants", role, cameo.get(act))
            if as_act is None or any(actor in reached[q] or q in reached[actor]
                                     for q in carried.get(as_act, ())):
                continue
            if isinstance(note, str) and re.search(rf"\b{re.escape(actor)}\b", note):
                continue  # the link states why the party is left out
            yield Violation("act_links", i, "to_id", act,
                            f"{event} realises {act}, which is coded in its stead but lacks "
                            f"its {role} {actor} as {as_act}: add the party to {act}, or name "
                            f"{actor} in the link's note with the reason")


def group_beside_member(frames: Frames) -> Iterator[Violation]:
    """Never a group beside its own member in one role (the codebook's decision rule g): no
    party of a commitment or act reaches, through actor_closure, another party of the same
    row in the same role."""
    # A group and an actor it reaches, side by side in one role: one of them is counted twice.
    closure = frames["actor_closure"]
    inner = closure[closure["depth"] > 0][["actor_id", "related_id"]]
    for table, key in (("commitment_parties", "commitment_id"), ("act_parties", "act_id")):
        parties = frames[table][[key, "actor_id", "role"]]
        shared = parties.assign(row=parties.index).merge(
            parties.rename(columns={"actor_id": "group_id"}), on=[key, "role"])
        hits = shared.merge(inner, left_on=["group_id", "actor_id"],
                            right_on=["actor_id", "related_id"], suffixes=("", "_closure"))
        for i, actor, group, row_id, role in zip(hits["row"], hits["actor_id"],
                                                 hits["group_id"], hits[key], hits["role"]):
            yield Violation(table, i, "actor_id", actor,
                            f"{group} reaches {actor} through actor_closure, and both are "
                            f"{role} of {row_id}: name the group or its member, not both "
                            f"(decision rule g)")

RULES += ((self_inclusive_calls, ("commitments", "commitment_parties", "statements",
                                  "mentions", "actor_members", "actor_closure")),
          (realised_parties, ("act_links", "acts", "act_parties", "events",
                              "event_participants", "actor_closure")),
          (group_beside_member, ("commitment_parties", "act_parties", "actor_closure")))
