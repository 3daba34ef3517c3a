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


def chunk_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A non-empty string array's value offsets (one more than its rows; 32- or 64-bit) and the
    bytes they point into (no copy)."""
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], kind)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = chunk.buffers()[2]
    return offsets, np.zeros(0, np.uint8) if data is None else np.frombuffer(data, np.uint8)


def value_bytes(array: pa.Array) -> np.ndarray:
    """The bytes of every value of a string array, one after another (no copy)."""
    if not len(array):
        return np.zeros(0, np.uint8)
    offsets, data = chunk_buffers(array)
    return data[int(offsets[0]):int(offsets[-1])]


def string_parts(array: pa.Array | pa.ChunkedArray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each chunk of a string array: its first row, its values' offsets and the bytes they
    point into (``chunk_buffers``)."""
    row = 0
    for chunk in (array.chunks if isinstance(array, pa.ChunkedArray) else [array]):
        if len(chunk):
            yield row, *chunk_buffers(chunk)
        row += len(chunk)


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


# Rows of a table looked at at a time: a kernel's answer for them is made and let go before
# the next block's, so a large package's memory never holds one for a whole table at once.
ROW_BLOCK = 2**18


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
        names = [f.name for f in TABLES[name].fields if f.pattern == ID_PATTERN]
        if not names:
            continue
        sources = pa.array(frame["source_id"], from_pandas=True)
        columns = [pa.array(frame[column], from_pandas=True) for column in names]
        wrong = [np.zeros(len(frame), dtype=bool) for _ in names]
        for at in range(0, len(frame), ROW_BLOCK):  # the block's id columns, joined
            block = [column.slice(at, ROW_BLOCK) for column in columns]
            values = joined(block)
            serial = before_first(sources.slice(at, ROW_BLOCK), "_")
            right = pc.and_(pc.match_substring(values, "."),
                            pc.equal(before_first(values, "."),
                                     joined([serial] * len(block), values.type)))
            found = split(pc.fill_null(pc.invert(right), False).to_numpy(zero_copy_only=False),
                          block)
            for mask, part in zip(wrong, found):
                mask[at:at + len(part)] = part
        for column, mask in zip(names, wrong):
            for i, position in zip(frame.index[mask], np.flatnonzero(mask)):
                serial = before_first(sources.slice(int(position), 1), "_")[0].as_py()
                yield Violation(name, i, column, frame.at[i, column],
                                "id convention: an id starts with its source's serial "
                                f"({serial}.)")


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


# What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection): each
# one ASCII character, so a cell begins like a formula exactly when its first byte is one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_BYTES = np.zeros(256, bool)
FORMULA_BYTES[np.frombuffer("".join(FORMULA_STARTS).encode("ascii"), np.uint8)] = True


def begins_like_formula(columns: list[pd.Series]) -> list[np.ndarray]:
    """For each text column, whether each cell begins like a formula (a null does not):
    ``column.str.startswith(FORMULA_STARTS)``, decided by each value's first byte, looked up
    in NumPy on Arrow's buffers (no copy of any string)."""
    found = []
    for column in columns:
        array = pa.array(column, from_pandas=True)
        starts = np.zeros(len(array), bool)
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            for row, offsets, data in string_parts(array):
                if len(data):
                    first = offsets[:-1]
                    starts[row:row + len(first)] = (FORMULA_BYTES[data[np.minimum(
                        first, len(data) - 1)]] & (offsets[1:] > first))
            starts &= pc.is_valid(array).to_numpy(zero_copy_only=False)
        found.append(starts)
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
    """A span never holds an unbalanced quotation mark: every “ it holds closes inside it; and
    a statement's content that is one whole quotation leaves its marks out. The marks read
    are the curly double ones the corpus's seeds use."""
    for name in ("statements", "commitments", "events", "acts"):
        frame = frames[name]
        # outside quotations, or inside one opened and then closed: one pass over the text
        balanced = frame["text"].str.fullmatch("[^“”]*(?:“[^“”]*”[^“”]*)*")
        for i in where(frame, ~balanced):
            yield Violation(name, i, "span_end", frame.at[i, "span_end"],
                            "span ending: a span holds whole quotations (“ and ” balanced); "
                            "punctuation inside a closing mark it reaches is kept")
        if name != "statements":
            continue
        # a content that is one whole quotation is its words, without the marks (rule l)
        whole = frame["text"].str.fullmatch("“[^“”]*”")
        for i in where(frame, whole & balanced):
            yield Violation(name, i, "span_start", frame.at[i, "span_start"],
                            "span edges: a content that is one whole quotation is its words, "
                            "without the marks and the comma that hands it to its cue")


# The words an action's span never starts with (decision rule l), in English: an article, a
# determiner, a possessive, a subject pronoun, a modal or the infinitive's 'to'. The span
# starts at the action's verb or noun.
LEADING_WORDS = (
    "a", "an", "the", "this", "that", "these", "those", "both", "any", "some",
    "its", "their", "his", "her", "our", "my", "your", "i", "we", "you", "he", "she", "it", "they",
    "will", "would", "shall", "should", "must", "may", "might", "can", "could", "to")
# Words that lead only before another verb: an auxiliary ('has met', 'is preparing'), and the
# 'need'/'aim' of 'need to', 'aim to'. As main verbs ('have talks', 'aim missiles') they are
# the action itself.
BEFORE_A_VERB = ("is", "are", "was", "were", "be", "been", "has", "have", "had", "need", "aim")
# Capitalised, these are names: May, the month; Will, a first name.
NAMES = ("May", "Will")


def spellings(words) -> frozenset:
    """Each word as written in lower case or capitalised at a sentence's start; a name
    (NAMES) only in lower case."""
    return frozenset(words) | {w.capitalize() for w in words} - set(NAMES)


LEADING, AUXILIARY = spellings(LEADING_WORDS), spellings(BEFORE_A_VERB)


def leading_word(words: pd.Series) -> pd.Series:
    """Whether each span's first word, past any opening punctuation, leads an action (a word
    of LEADING_WORDS, or of BEFORE_A_VERB with 'to' or a participle after it): as written in
    lower case, or capitalised at a sentence's start ('The', 'Its'), never in capitals ('IT')
    nor as a name (NAMES). A hyphenated word ('need-based') is one word."""
    words = words.astype("string")
    first = words.str.extract(r"^\W*([\w-]+)", expand=False)
    leads = among(first, LEADING).fillna(False)
    auxiliary = among(first, AUXILIARY).fillna(False)
    if auxiliary.any():  # few rows: only they are read for the verb after the word
        verb = words[auxiliary].str.match(r"\W*[\w-]+\s+(?:to|been|being|\w+(?:ed|en|ing))\b")
        leads[auxiliary] = verb.fillna(False).astype(bool)
    return leads


def action_span_start(frames: Frames) -> Iterator[Violation]:
    """A commitment's or event's span in an English article starts at the verb or noun of its
    action: never at an article, a determiner, a possessive, a subject pronoun, an auxiliary,
    a modal or 'to' (decision rule l)."""
    sources = frames["sources"]
    english = sources.loc[sources["language"].str.match(r"en(?:-|$)").fillna(False), "source_id"]
    for name in ("commitments", "events"):
        frame = frames[name]
        leading = leading_word(frame["text"]) & among(frame["source_id"], english)
        for i in where(frame, leading):
            yield Violation(name, i, "span_start", frame.at[i, "span_start"],
                            "span start: an action's words start at its verb or noun, without "
                            "article, possessive, subject, auxiliary, modal or 'to' (decision "
                            "rule l)")


RULES += (
    (action_span_start, ("sources", "commitments", "events")),
    (acts_follow_codes, ("acts", "statements", "commitments", "events")),
    (act_links_resolve, ("act_links", "statements", "commitments", "events")),
    (coded_once, ("act_links", "acts", "commitments")),
    (balanced_quotation_marks, ("statements", "commitments", "events", "acts")),
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

# Every cross-table rule: work near-linear in its tables, never a product of two of them.
# A rule joins each row to what it reaches (through actor_closure, or a span) and tests pairs
# by hashing or sorting; it never pairs every row of one table with every row of another
# (a package may hold 50,000 parties of one act, or 20,000 commitments on one statement).

# Keys that rows are joined on: text in Arrow, which pandas hashes in Arrow, never as Python
# objects one by one.
KEYS = pd.StringDtype("pyarrow")


def reaching(frames: Frames, actors: pd.Series) -> pd.DataFrame:
    """Pairs (actor_id, reached_id), once each: every pair of actor_closure, and each of
    ``actors`` reaching itself (as rows, for joins)."""
    closure = frames["actor_closure"]
    actors = actors.dropna().astype(KEYS)
    return pd.concat([pd.DataFrame({"actor_id": closure["actor_id"].astype(KEYS),
                                    "reached_id": closure["related_id"].astype(KEYS)}),
                      pd.DataFrame({"actor_id": actors, "reached_id": actors})],
                     ignore_index=True).dropna().drop_duplicates(ignore_index=True)


def range_minimum(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The least of ``values[lo:hi]`` for each pair (hi > lo), by a sparse table: n log n
    to build, one step a query."""
    levels = [values]
    while 2 ** len(levels) <= len(values):
        step, last = 2 ** (len(levels) - 1), levels[-1]
        levels.append(np.minimum(last[:-step], last[step:]))
    k = np.floor(np.log2(np.maximum(hi - lo, 1))).astype(np.int64)
    found = np.empty(len(lo), dtype=values.dtype)
    for level in np.unique(k):
        at = k == level
        found[at] = np.minimum(levels[level][lo[at]], levels[level][hi[at] - 2 ** level])
    return found


def named_within(mentions: pd.DataFrame, asked: pd.DataFrame) -> np.ndarray:
    """For each row (actor_id, span_start, span_end) of ``asked``: whether a mention of that
    actor lies within the span (starts at or after its start, before its end, and ends at or
    before its end) — sorted and searched, never a span against every mention."""
    mentions = mentions.dropna(subset=["actor_id", "span_start", "span_end"])
    named = pa.array(mentions["actor_id"], pa.large_string(), from_pandas=True)
    actors = pc.unique(named)  # each actor a number, in Arrow
    code = pc.index_in(named, value_set=actors).to_numpy(zero_copy_only=False).astype(np.int64)
    starts = mentions["span_start"].to_numpy(dtype=np.int64)
    order = np.lexsort((starts, code))
    code, starts = code[order], starts[order]
    ends = mentions["span_end"].to_numpy(dtype=np.int64)[order]
    wanted = pc.index_in(pa.array(asked["actor_id"], pa.large_string(), from_pandas=True),
                         value_set=actors).fill_null(-1).to_numpy(zero_copy_only=False) \
        .astype(np.int64)
    known = (wanted >= 0) & asked["span_start"].notna().to_numpy() & \
        asked["span_end"].notna().to_numpy()
    answer = np.zeros(len(asked), dtype=bool)
    if not known.any():
        return answer
    wanted = wanted[known]
    start = asked["span_start"].to_numpy()[known].astype(np.int64)
    end = asked["span_end"].to_numpy()[known].astype(np.int64)
    # (actor, start) pairs ranked together, so one search finds each actor's run of starts
    ranks = np.unique(np.concatenate([starts, start, end]))
    width = len(ranks) + 1
    keys = code * width + np.searchsorted(ranks, starts)
    lo = np.searchsorted(keys, wanted * width + np.searchsorted(ranks, start), "left")
    hi = np.searchsorted(keys, wanted * width + np.searchsorted(ranks, end), "left")
    inside = hi > lo
    found = np.zeros(len(lo), dtype=bool)
    if inside.any():
        found[inside] = range_minimum(ends, lo[inside], hi[inside]) <= end[inside]
    answer[known] = found
    return answer


SELF_STATED = ("intention", "pledge")  # kinds a party states for itself alone


def self_inclusive_calls(frames: Frames) -> Iterator[Violation]:
    """A call on a group that includes the speaker is an appeal (the group its addressee), or
    the group itself commits: an intention or pledge is never one party's while its statement
    names, other than as a party of it, a group that includes that party."""
    # A self-inclusive call: an intention or pledge whose statement names, as no party of it,
    # a group (an actor with members) reaching an actor its committer reaches.
    commitments, parties = frames["commitments"], frames["commitment_parties"]
    statements, mentions = frames["statements"], frames["mentions"]
    stated = commitments[commitments["kind"].isin(SELF_STATED).fillna(False).to_numpy()]
    groups = pd.unique(frames["actor_members"]["actor_id"].dropna().astype(KEYS))
    span = statements[["statement_id", "span_start", "span_end"]].astype(
        {"statement_id": KEYS}).drop_duplicates("statement_id")
    stated = pd.DataFrame({"row": stated.index, "order": np.arange(len(stated)),
                           "commitment_id": stated["commitment_id"].astype(KEYS),
                           "statement_id": stated["statement_id"].astype(KEYS)})
    stated = stated.merge(span, on="statement_id")  # a dangling statement: the key checks'
    if stated.empty or len(groups) == 0:
        return
    committers = parties.loc[(parties["role"] == "committer").fillna(False).to_numpy(),
                             ["commitment_id", "actor_id"]].astype(KEYS)
    committers = committers.assign(position=np.arange(len(committers))).dropna()
    # Candidates: each committer, the actors it reaches, and the groups reaching one of them.
    pairs = reaching(frames, pd.concat([pd.Series(groups), committers["actor_id"]]))
    by_group = pairs[pairs["actor_id"].isin(groups)].rename(
        columns={"actor_id": "group_id", "reached_id": "shared_id"})
    reached = pairs.rename(columns={"actor_id": "committer_id", "reached_id": "shared_id"})
    calls = stated[["commitment_id"]].drop_duplicates().merge(
        committers.rename(columns={"actor_id": "committer_id"}), on="commitment_id")
    calls = calls.merge(reached, on="committer_id")
    calls = calls[["commitment_id", "committer_id", "position", "shared_id"]].merge(
        by_group, on="shared_id")
    calls = calls[calls["group_id"] != calls["committer_id"]]
    # the first committer (in the parties' order) a group includes, per commitment and group
    calls = calls.sort_values("position", kind="stable").drop_duplicates(
        ["commitment_id", "group_id"])[["commitment_id", "group_id", "committer_id"]]
    own = parties[["commitment_id", "actor_id"]].astype(KEYS).dropna().drop_duplicates() \
        .rename(columns={"actor_id": "group_id"})
    calls = calls.merge(own, on=["commitment_id", "group_id"], how="left", indicator=True)
    calls = calls[(calls["_merge"] == "left_only").to_numpy()].drop(columns="_merge")
    calls = stated.merge(calls, on="commitment_id")
    # each (statement, group) tested once against the group's mentions
    asked = calls[["statement_id", "group_id", "span_start", "span_end"]].drop_duplicates(
        ["statement_id", "group_id"]).rename(columns={"group_id": "actor_id"})
    asked = asked.assign(named=named_within(mentions[["actor_id", "span_start", "span_end"]],
                                            asked)).rename(columns={"actor_id": "group_id"})
    calls = calls.merge(asked[["statement_id", "group_id", "named"]],
                        on=["statement_id", "group_id"])
    calls = calls[calls["named"].to_numpy(dtype=bool)].sort_values(["order", "group_id"])
    for i, group, member in zip(calls["row"], calls["group_id"], calls["committer_id"]):
        yield Violation("commitments", i, "kind", commitments.at[i, "kind"],
                        f"a call on a group including its speaker: the statement names "
                        f"{group}, which includes {member}; make it an appeal "
                        f"addressed to {group}, or let {group} commit")


def realised_parties(frames: Frames) -> Iterator[Violation]:
    """An act that realises an event (the plan or intention coded in its stead) carries every
    party of that event in the matching role (the same actor, or one that reaches it or that
    it reaches through actor_closure), or the link's note names the party left out and why."""
    # The parties of an event and of the act coded in its stead never disagree unseen.
    links, acts, events = frames["act_links"], frames["acts"], frames["events"]
    coded = acts["act_id"]  # hashed in Arrow by among, never as a set of Python strings
    realised = links[(links["relation"] == "realises") & among(links["from_id"], events["event_id"])
                     & among(links["to_id"], coded) & ~among(links["from_id"], coded)]
    if realised.empty:
        return
    cameo = acts[["act_id", "cameo_code"]].astype(KEYS).drop_duplicates("act_id", keep="last")
    link = pd.DataFrame({"row": realised.index, "order": np.arange(len(realised)),
                         "event_id": realised["from_id"].astype(KEYS),
                         "act": realised["to_id"].astype(KEYS),
                         "note": realised["note"].astype(object)})
    link = link.merge(cameo.rename(columns={"act_id": "act"}), on="act", how="left")
    participants = frames["event_participants"]
    participants = participants.loc[among(participants["event_id"], realised["from_id"]).to_numpy(),
                                    ["event_id", "actor_id", "role"]].astype(KEYS)
    participants = participants.assign(position=np.arange(len(participants)))
    # what each participant's role is to each act's code: one act_role call a distinct pair
    roles = link[["cameo_code"]].drop_duplicates().merge(
        participants[["role"]].drop_duplicates(), how="cross")
    roles["as_act"] = pd.Series([act_role("event_participants", role,
                                          code if isinstance(code, str) else None)
                                 for role, code in zip(roles["role"], roles["cameo_code"])],
                                index=roles.index, dtype=object)
    roles = roles[roles["as_act"].notna()]
    # Acts that carry the same parties under the same code answer alike: each such kind of
    # act is asked about an event's participants once, however many links share it.
    act_parties = frames["act_parties"]
    act_parties = act_parties.loc[among(act_parties["act_id"], realised["to_id"]).to_numpy(),
                                  ["act_id", "actor_id", "role"]].astype(KEYS)
    carries = act_parties.dropna().drop_duplicates().assign(
        entry=lambda f: f["role"] + "\x00" + f["actor_id"]).sort_values("entry")
    # each act's entries, in order, joined in Arrow (no Python call an act)
    listed = pa.table({"act_id": pa.array(carries["act_id"], pa.large_string()),
                       "entry": pa.array(carries["entry"], pa.large_string())}).group_by(
        "act_id", use_threads=False).aggregate([("entry", "list")])
    carries = pd.Series(pc.binary_join(listed["entry_list"], pa.scalar("\x01", pa.large_string()))
                        .to_pylist(),
                        index=listed["act_id"].to_pylist(), dtype=object)
    link["carries"] = link["act"].map(carries).astype(object).fillna("")
    link["kind"] = pd.factorize(pd.MultiIndex.from_arrays(
        [link["cameo_code"].fillna("\x02").astype(object), link["carries"]]))[0]
    kinds = link.drop_duplicates("kind")[["kind", "act"]]
    asked = link[["event_id", "kind", "cameo_code"]].drop_duplicates(["event_id", "kind"])
    asked = asked.merge(participants, on="event_id").merge(roles, on=["cameo_code", "role"])
    # carried: the act's party in that role, or an actor reaching it or reached by it
    pairs = reaching(frames, pd.concat([act_parties["actor_id"], participants["actor_id"]]))
    near = pd.concat([pairs, pairs.rename(columns={"actor_id": "reached_id",
                                                   "reached_id": "actor_id"})],
                     ignore_index=True).drop_duplicates()
    carried = kinds.rename(columns={"act": "act_id"}).merge(act_parties, on="act_id").rename(
        columns={"role": "as_act"}).merge(near, on="actor_id")[
        ["kind", "as_act", "reached_id"]].drop_duplicates().rename(
        columns={"reached_id": "actor_id"})
    asked = asked.merge(carried, on=["kind", "as_act", "actor_id"], how="left", indicator=True)
    missing = asked.loc[(asked["_merge"] == "left_only").to_numpy(),
                        ["event_id", "kind", "actor_id", "role", "as_act", "position"]]
    missing = missing.merge(link[["row", "order", "event_id", "kind", "act", "note"]],
                            on=["event_id", "kind"])
    missing = missing.sort_values(["order", "position"])
    for i, event, act, note, actor, role, as_act in zip(
            missing["row"], missing["event_id"], missing["act"], missing["note"],
            missing["actor_id"], missing["role"], missing["as_act"]):
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
    # Each party (a possible group) meets its possible members the cheaper way: through the
    # actors it reaches (its fan-out in actor_closure) where those are fewer than the parties
    # of its row and role, else through those parties, each looked up in actor_closure. The
    # work is the sum of the smaller of the two, at most the parties and the closure together.
    closure = frames["actor_closure"]
    inner = closure.loc[(closure["depth"] > 0).fillna(False).to_numpy(),
                        ["actor_id", "related_id"]].astype(KEYS).drop_duplicates().rename(
        columns={"actor_id": "group_id", "related_id": "actor_id"})
    fan_out = inner["group_id"].value_counts()
    for table, key in (("commitment_parties", "commitment_id"), ("act_parties", "act_id")):
        parties = frames[table][[key, "actor_id", "role"]].astype(KEYS)
        distinct = parties.dropna().drop_duplicates()
        size = distinct.groupby([key, "role"])["actor_id"].transform("size")
        fans = distinct["actor_id"].map(fan_out).fillna(0).to_numpy()
        as_group = distinct.rename(columns={"actor_id": "group_id"})
        by_closure = as_group[fans <= size.to_numpy()].merge(inner, on="group_id")
        by_row = as_group[fans > size.to_numpy()].merge(distinct, on=[key, "role"]).merge(
            inner, on=["group_id", "actor_id"])
        reached = pd.concat([by_closure, by_row], ignore_index=True)
        hits = parties.assign(row=parties.index, position=np.arange(len(parties))).merge(
            reached, on=[key, "role", "actor_id"]).sort_values("position", kind="stable")
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
