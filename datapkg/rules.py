"""Rules across columns and tables, each a small function over the loaded tables.

Every rule yields ``Violation(table, index, column, value, rule)``; ``datapkg.validate`` turns
them into failures that name the file and the row key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from datapkg.crosswalk import published
from datapkg.errors import rule_code
from datapkg.registry import ID_PATTERN, TABLES, act_role, spans

Frames = dict[str, pd.DataFrame]


class Violation(NamedTuple):
    table: str
    index: object
    column: str
    value: object
    rule: str
    code: str = ""  # set by ``violations_of``: the rule's failure code


def where(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> list:
    """The index of each row of ``frame`` where ``mask`` (one value a row, a Series or NumPy
    booleans) is true; a null is not true. A rule's mask is false in every row of a valid
    package: no index is made then."""
    rows = np.flatnonzero(mask if isinstance(mask, np.ndarray)
                          else mask.to_numpy(dtype=bool, na_value=False))
    return list(frame.index[rows]) if len(rows) else []


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


def grouped(sizes: list[int], limit: int) -> list[slice]:
    """Consecutive runs of items whose sizes add up to at most ``limit`` (an item larger than
    that alone), as the slices of ``sizes`` they take, in order: columns to be ``joined`` a
    group at a time, so that a small package's go in one call and a large one's answers are
    never made for every column at once."""
    groups, start, total = [], 0, 0
    for at, size in enumerate(sizes):
        if at > start and total + size > limit:
            groups.append(slice(start, at))
            start, total = at, 0
        total += size
    return groups + [slice(start, len(sizes))] if sizes else groups


def split(values: np.ndarray, columns: list) -> list[np.ndarray]:
    """``values``, one per row of the ``joined`` columns, cut back into one part a column."""
    if not columns:
        return []
    return np.split(values, np.cumsum([len(column) for column in columns])[:-1])


# Rows of a table looked at at a time: a kernel's answer for them is made and let go before
# the next block's, so a large package's memory never holds one for a whole table at once.
# A block's temporaries are then small enough (mostly a few hundred KiB, far below the command's
# threshold for mapping, ``cli.map_large_allocations``) that the allocators hand out again the
# pages the block before let go, where larger ones were mapped or given back and then faulted
# in afresh: at 10,000 articles the checks took about half the page faults and 8% less wall
# time than with blocks of 2**18 rows, for the same user time and peak; 2**14 and 2**16 rows
# were slower (docs/scaling_history.md). A rule that joins whole columns (``grouped``) still
# takes a longer column alone, whole.
ROW_BLOCK = 2**15


# Candidates hashed at once: a hash of them all takes about 80 bytes a key (95 MiB for 1.14
# million mention ids); hashes of this many stay small and in the processor's caches, so that
# looking each value up in every one was faster, not slower (the references to those
# mentions: 0.38 s in one hash, 0.22 s in five; docs/scaling_history.md). Each value is looked
# up in every hash, so their number is bounded (MOST_HASHES, at least 1; larger hashes past
# MOST_HASHES * KEYS_HASHED = 2,097,152 candidates): the number of a value's lookups then does
# not grow with the candidates, and a table of tens of millions of keys is not looked up in a
# hundred hashes (each lookup still slows as the hashes outgrow the caches;
# benchmarks/bench_keys.py).
KEYS_HASHED = 2**18
MOST_HASHES = 8


def among(values: pd.Series, candidates) -> pd.Series:
    """``values.isin(candidates)``, with the candidates hashed in Arrow (pandas looks at a
    string column's candidates one by one, in Python)."""
    return pd.Series(among_each([values], candidates)[0], index=values.index)


def among_each(columns: list, candidates) -> list[np.ndarray]:
    """``among`` for each of ``columns`` (Series or Arrow arrays): the columns ``joined`` (no
    copy) and looked up in hashes of the candidates, KEYS_HASHED each (more, where that
    would make more than MOST_HASHES), so that several columns looked up in the same
    candidates hash them once. A column of nulls only, of no type, is compared as text."""
    values = joined(columns)
    if isinstance(candidates, set | frozenset | list | tuple):
        value_set = pa.array(list(candidates), type=values.type, from_pandas=True)
    elif isinstance(candidates, pa.Array | pa.ChunkedArray):
        value_set = candidates.cast(values.type)
    else:  # a Series or an Index: handed over as Arrow, not value by value
        value_set = pa.array(pd.Series(candidates), from_pandas=True).cast(values.type)
    size = max(KEYS_HASHED, -(-len(value_set) // MOST_HASHES))  # candidates a hash
    found = functools.reduce(pc.or_, (
        pc.is_in(values, value_set=value_set.slice(at, size))
        for at in range(0, max(len(value_set), 1), size)))  # one lookup, if none to hash
    return split(found.to_numpy(zero_copy_only=False), columns)


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
        which, prefixes = serial_prefixes(sources)
        columns = [frame[column] for column in names]
        wrong = np.concatenate([wrong_serials(columns[group], which, prefixes)
                                for group in grouped([len(frame)] * len(names), ROW_BLOCK)])
        if not wrong.any():
            continue
        for column, mask in zip(names, split(wrong, columns)):
            for i, position in zip(frame.index[mask], np.flatnonzero(mask)):
                serial = before_first(sources.slice(int(position), 1), "_")[0].as_py()
                yield Violation(name, i, column, frame.at[i, column],
                                "id convention: an id starts with its source's serial "
                                f"({serial}.)")


# The most 64-bit words of a prefix compared at once (a serial of up to 31 bytes): a longer
# prefix is compared again by Arrow, one call for each, so that one long serial in a hostile
# package does not widen every row's words.
PREFIX_WORDS = 4


class Prefixes(NamedTuple):
    """Strings that values may start with: each one's first bytes as 64-bit words
    (``leading_words``, at most PREFIX_WORDS), masks that keep its own bytes of each word, its
    length in bytes (-1: no value starts with it) and its text. A last row stands for none."""
    words: np.ndarray
    masks: np.ndarray
    lengths: np.ndarray
    texts: pa.Array


def serial_prefixes(sources: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, Prefixes]:
    """What each row's ids start with: the number of its source's serial and a dot (`000.`)
    among the prefixes (-1 for a null source), and the prefixes. A serial that holds a dot
    is a prefix of no id: an id's text before its first dot never equals it."""
    distinct = pc.unique(sources).drop_null()
    serials = before_first(distinct, "_")
    prefixes = pc.binary_join_element_wise(serials, pa.scalar("", serials.type),
                                           pa.scalar(".", serials.type))
    width = min(-(-(pc.max(pc.binary_length(prefixes)).as_py() or 0) // 8), PREFIX_WORDS)
    words, lengths = leading_words(prefixes, width)
    lengths = np.where(pc.match_substring(serials, ".").to_numpy(zero_copy_only=False), -1,
                       lengths)
    kept = np.clip(lengths[:, None] - 8 * np.arange(width), 0, 8).astype(np.uint64)
    masks = np.where(kept == 8, np.uint64(2**64 - 1),
                     (np.uint64(1) << (np.uint64(8) * kept)) - np.uint64(1))
    which = pc.fill_null(pc.index_in(sources, value_set=distinct), -1)
    return (np.asarray(which.to_numpy(zero_copy_only=False), np.int64),
            Prefixes(np.vstack([words, np.zeros((1, width), np.uint64)]),
                     np.vstack([masks, np.zeros((1, width), np.uint64)]), np.append(lengths, -1),
                     prefixes))


def leading_words(chunk: pa.Array, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each value's first ``width`` * 8 bytes, as ``width`` little-endian 64-bit words a row
    (bytes past a value's end are the next values' or zero), and each value's length in
    bytes."""
    if not len(chunk):
        return np.zeros((0, width), np.uint64), np.zeros(0, np.int64)
    offsets, data = chunk_buffers(chunk)
    low, high = int(offsets[0]), int(offsets[-1])
    padded = np.zeros(high - low + 8 * max(width, 1), np.uint8)  # reads past the last value
    padded[:high - low] = data[low:high]
    # the word that begins at each byte (one a byte, overlapping)
    at_each_byte = np.ndarray((len(padded) - 7,), "<u8", padded, strides=(1,))
    begins = offsets[:-1].astype(np.int64) - low
    words = np.empty((len(begins), width), np.uint64)
    for word in range(width):
        words[:, word] = at_each_byte[begins + 8 * word]
    return words, np.diff(offsets).astype(np.int64)


def starts_with_prefix(values: pa.Array | pa.ChunkedArray, which: np.ndarray,
                       prefixes: Prefixes) -> np.ndarray:
    """Whether each string of ``values`` starts with ``prefixes``' ``which[row]`` (false
    for -1, meaningless for a null value), compared eight bytes at a time with no Python a
    row; only a prefix longer than its words is compared again, whole, one call a prefix."""
    starts = np.zeros(len(values), bool)
    width = prefixes.words.shape[1]
    row = 0
    for chunk in blocks_of(values):
        chosen = which[row:row + len(chunk)]
        words, lengths = leading_words(chunk, width)
        wanted = prefixes.lengths[chosen]
        ok = ((wanted >= 0) & (lengths >= wanted) & np.all(
            (words ^ prefixes.words[chosen]) & prefixes.masks[chosen] == 0, axis=1))
        longer = np.flatnonzero(ok & (wanted > 8 * width))
        for prefix in np.unique(chosen[longer]):  # the rest of a long prefix, one call each
            at = longer[chosen[longer] == prefix]
            ok[at] = pc.starts_with(chunk.take(pa.array(at)),
                                    prefixes.texts[int(prefix)].as_py()).to_numpy(
                                        zero_copy_only=False)
        starts[row:row + len(chunk)] = ok
        row += len(chunk)
    return starts


def wrong_serials(columns: list[pd.Series], which: np.ndarray,
                  prefixes: Prefixes) -> np.ndarray:
    """Whether each id of ``columns`` (the columns one after another, each a row of its
    table) is not null, its row has a source, and it does not start with that source's
    prefix (``serial_prefixes``)."""
    values = joined(columns, pa.large_string())
    return (~starts_with_prefix(values, np.tile(which, len(columns)), prefixes)
            & np.tile(which >= 0, len(columns))
            & pc.is_valid(values).to_numpy(zero_copy_only=False))


def blocks_of(values: pa.Array | pa.ChunkedArray) -> Iterator[pa.Array]:
    """Each chunk of ``values`` in slices of at most ROW_BLOCK rows (no copy), in order."""
    for chunk in (values.chunks if isinstance(values, pa.ChunkedArray) else [values]):
        for at in range(0, len(chunk), ROW_BLOCK):
            yield chunk.slice(at, ROW_BLOCK)


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


class Chains(NamedTuple):
    """Each attribution link's place in its statement's chain, from its stated depth; where a
    link's statement or depth is null, it has none (and its chain is judged by the others)."""
    placed: np.ndarray  # the link has a statement and a depth, and so a place
    deepest: np.ndarray  # its chain's deepest depth stated (where placed)
    # each chain whose depths stated do not run 0, 1, 2… without gaps, at its first placed
    # link's position in the table: its depths stated, in order
    gaps: dict[int, list[int]]


def chains_of(statement_ids: pd.Series, depths: pd.Series) -> Chains:
    """The chains of ``statement_ids``' links: each statement's depths stated (a null depth
    is none) sorted once, in NumPy."""
    chain = pd.factorize(statement_ids)[0]  # -1 for a null statement
    placed = (chain >= 0) & depths.notna().to_numpy()
    depth = depths.to_numpy(dtype=np.int64, na_value=0)
    order = np.flatnonzero(placed)
    order = order[np.lexsort((depth[order], chain[order]))]  # stable: by chain, depth, row
    ids, stated = chain[order], depth[order]
    if not len(ids):  # no link placed
        return Chains(placed, np.zeros(len(placed), np.int64), {})
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)] - 1
    new = np.r_[True, (ids[1:] != ids[:-1]) | (stated[1:] != stated[:-1])]
    distinct = np.add.reduceat(new, starts)
    gapless = (distinct == stated[ends] + 1) & (stated[starts] == 0)  # by chain, in order
    deepest = np.zeros(max(chain.max(initial=-1) + 1, 1), np.int64)  # by chain number
    deepest[ids[starts]] = stated[ends]
    chain = np.maximum(chain, 0)  # a link without a statement is not placed: any chain will do
    # the depths of the chains with gaps, each once: one pass, however many chains have one
    gappy = np.zeros(len(deepest), bool)
    gappy[ids[starts]] = ~gapless
    once = np.flatnonzero(new & gappy[ids])
    lists = np.split(stated[once], np.flatnonzero(np.diff(ids[once])) + 1) if len(once) else []
    firsts = np.minimum.reduceat(order, starts)[~gapless]
    return Chains(placed, np.where(placed, deepest[chain], 0),
                  dict(zip(firsts.tolist(), (part.tolist() for part in lists))))


# the role of a link between the ends of its chain, at its deepest, and at depth 0
ROLES_BY_PLACE = pa.array(["reporter", "speaker", "author"], pa.large_string())


def attribution_chains(frames: Frames) -> Iterator[Violation]:
    """Each statement has one chain: the article at depth 0, relays, then speakers; no loops."""
    statements, links = frames["statements"], frames["statement_attributions"]
    for i in where(statements, ~among(statements["statement_id"], links["statement_id"])):
        yield Violation("statements", i, "statement_id", statements.at[i, "statement_id"],
                        "every statement needs an attribution chain")
    chains = chains_of(links["statement_id"], links["depth"])
    for at in sorted(chains.gaps):
        yield Violation("statement_attributions", links.index[at], "depth", chains.gaps[at],
                        "depths of a chain run 0, 1, 2… without gaps")
    for i in where(links, links.duplicated(["statement_id", "actor_id"])):
        yield Violation("statement_attributions", i, "actor_id", links.at[i, "actor_id"],
                        "an actor appears twice in one chain: the chain loops")
    depth = links["depth"].to_numpy(dtype=np.int64, na_value=-1)
    place = np.where(depth == 0, 2, (depth == chains.deepest).astype(np.int64))
    expected = ROLES_BY_PLACE.take(place)
    differs = pc.not_equal(joined([links["role"]], pa.large_string()), expected)
    differs = pc.fill_null(differs, False).to_numpy(zero_copy_only=False) & chains.placed
    for at in np.flatnonzero(differs):
        i = links.index[at]
        yield Violation("statement_attributions", i, "role", links.at[i, "role"],
                        f"role must be {expected[at]} (author at depth 0, speakers last, "
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
    in NumPy on Arrow's buffers, the columns ``joined`` (a copy only of a column that is not
    large_string, which no loaded frame has)."""
    values = joined(columns, pa.large_string())
    starts = np.zeros(len(values), bool)
    for row, offsets, data in string_parts(values):
        if len(data):
            first = offsets[:-1]
            starts[row:row + len(first)] = (FORMULA_BYTES[data[np.minimum(
                first, len(data) - 1)]] & (offsets[1:] > first))
    return split(starts & pc.is_valid(values).to_numpy(zero_copy_only=False), columns)


def no_formulas(frames: Frames) -> Iterator[Violation]:
    """No text cell begins like a formula, so a spreadsheet opening the CSV runs nothing."""
    texts = [(name, f.name) for name, frame in frames.items() for f in TABLES[name].fields
             if f.type == "string"]
    columns = [frames[name][column] for name, column in texts]
    # the cells of ROW_BLOCK rows at a time, as near as whole columns allow: every text cell
    # of a large package at once made about 80 MiB of answers at 10,000 articles
    for group in grouped([len(column) for column in columns], ROW_BLOCK):
        for (name, column), values, mask in zip(texts[group], columns[group],
                                                begins_like_formula(columns[group])):
            for i in where(frames[name], mask):
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
    known = joined([frames[name][column] for name, column in ACT_TABLES.items()])
    ends = among_each([links["from_id"], links["to_id"]], known)
    for column, found in zip(("from_id", "to_id"), ends):
        for i in where(links, ~found):
            yield Violation("act_links", i, column, links.at[i, column],
                            "a link joins a statement, commitment or event")


def coded_once(frames: Frames) -> Iterator[Violation]:
    """No act is counted twice: of two linked rows only one is coded, an agreement whose
    items are recorded (a container) is not coded beside them, and no two acts of a source
    share words."""
    links, acts = frames["act_links"], frames["acts"]["act_id"]
    for i in where(links, np.logical_and(*among_each([links["from_id"], links["to_id"]], acts))):
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
# A text whose first word is one of LEADING or AUXILIARY starts, past characters that are no
# ASCII letter, digit or "_", with that word, then a character that is none of those nor "-",
# or ends: every such text matches this (in Arrow's RE2), and few others do.
MAYBE_LEADING = ("^[^A-Za-z0-9_]*(?:" + "|".join(sorted(LEADING | AUXILIARY)) +
                 ")(?:[^A-Za-z0-9_-]|$)")


def leading_word(words: pd.Series) -> pd.Series:
    """Whether each span's first word, past any opening punctuation, leads an action (a word
    of LEADING_WORDS, or of BEFORE_A_VERB with 'to' or a participle after it): as written in
    lower case, or capitalised at a sentence's start ('The', 'Its'), never in capitals ('IT')
    nor as a name (NAMES). A hyphenated word ('need-based') is one word. Only the texts that
    match MAYBE_LEADING are read word by word, in Python."""
    maybe = pc.fill_null(pc.match_substring_regex(joined([words], pa.large_string()),
                                                  MAYBE_LEADING), False)
    maybe = maybe.to_numpy(zero_copy_only=False)
    leads = np.zeros(len(words), bool)
    if maybe.any():
        leads[maybe] = leads_word_by_word(words[maybe]).to_numpy(dtype=bool)
    return pd.Series(leads, index=words.index)


def leads_word_by_word(words: pd.Series) -> pd.Series:
    """``leading_word`` of each text, read in Python's regular expressions."""
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

def stated_alike(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Whether each row's two values are stated and equal: ``~(left != right)`` as Python
    objects compare them (a null differs from every value, from a null too), in Arrow."""
    same = pc.equal(*(joined([column], pa.large_string()) for column in (left, right)))
    return pc.fill_null(same, False).to_numpy(zero_copy_only=False)


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
    said = looked_up(links["statement_id"], statements["statement_id"], statements["quote_type"])
    first = (links["depth"] == 1).to_numpy(dtype=bool, na_value=False)
    for i in where(links, first & ~stated_alike(links["quote_type"], said)):
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

# Ids that rows are joined on are numbered first, every column of a rule by one list of
# texts: Arrow joins and groups numbers several times faster than text, at a small fixed cost
# a call (a pandas merge costs about a millisecond even on ten rows). Text is taken back only
# for what a violation names.

class Numbered(NamedTuple):
    """Columns of text as numbers: each value as its position (int32, null where null) in
    ``words``, the distinct texts of every column, so a text is one number in all of them."""
    words: pa.Array
    columns: list[pa.ChunkedArray]


def numbered(*columns: pd.Series) -> Numbered:
    """``columns`` as numbers into one list of their distinct texts."""
    together = pc.dictionary_encode(joined(list(columns), pa.large_string()))
    words = together.chunk(0).dictionary if together.num_chunks else \
        pa.array([], pa.large_string())
    numbers = pa.chunked_array([chunk.indices for chunk in together.chunks], pa.int32())
    ends = np.cumsum([0, *(len(column) for column in columns)])
    return Numbered(words, [numbers.slice(a, b - a) for a, b in zip(ends[:-1], ends[1:])])


def positions(rows: int) -> pa.Array:
    """0, 1, … for each of ``rows`` rows: where a row was, once its table is joined."""
    return pa.array(np.arange(rows))


def matched(left: pa.Table, right: pa.Table, keys, how: str = "inner") -> pa.Table:
    """Rows of ``left`` beside the rows of ``right`` equal to them on ``keys`` (Arrow's hash
    join, on one thread: its rows in no set order, and a null key equal to nothing)."""
    return left.join(right, keys, join_type=how, use_threads=False)


def distinct(table: pa.Table) -> pa.Table:
    """Each row of ``table`` once (in no set order)."""
    return table.group_by(table.column_names, use_threads=False).aggregate([])


def counted(table: pa.Table, keys: list[str], name: str) -> pa.Table:
    """Each distinct ``keys`` of ``table`` with its number of rows, as ``name``."""
    return table.group_by(keys, use_threads=False).aggregate([([], "count_all")]) \
        .rename_columns({"count_all": name})


def first_rows(table: pa.Table, keys: list[str], last: bool = False) -> pa.Table:
    """The first (or ``last``) row of ``table`` for each distinct ``keys`` (nulls one key, as
    in pandas' ``drop_duplicates``)."""
    which = "max" if last else "min"
    first = table.append_column("at", positions(len(table))).group_by(
        keys, use_threads=False).aggregate([("at", which)])
    return table.take(first[f"at_{which}"])


def reaching(closure: pa.Table, actors: pa.ChunkedArray) -> pa.Table:
    """Numbered pairs (actor_id, reached_id), once each: every pair of actor_closure (numbered
    as ``closure``), and each of ``actors`` reaching itself."""
    selves = pa.table({"actor_id": actors, "reached_id": actors})
    return distinct(pa.concat_tables([closure, selves]).drop_null())


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
    before its end) — sorted and searched, never a span against every mention. Only the
    mentions of the actors asked about are looked at."""
    mentions = mentions[among(mentions["actor_id"], asked["actor_id"]).to_numpy()].dropna(
        subset=["actor_id", "span_start", "span_end"])
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
    statements, closure = frames["statements"], frames["actor_closure"]
    stated = commitments[["commitment_id", "statement_id"]][
        commitments["kind"].isin(SELF_STATED).fillna(False).to_numpy()]
    rows = stated.index
    # only the statements and parties of these commitments: fewer ids to number and join
    statements = statements[["statement_id", "span_start", "span_end"]][
        among(statements["statement_id"], stated["statement_id"]).to_numpy()]
    parties = parties[["commitment_id", "actor_id", "role"]][
        among(parties["commitment_id"], stated["commitment_id"]).to_numpy()]
    ids = numbered(stated["commitment_id"], stated["statement_id"], statements["statement_id"],
                   parties["commitment_id"], parties["actor_id"],
                   frames["actor_members"]["actor_id"], closure["actor_id"],
                   closure["related_id"])
    stated_id, stated_in, statement_id, party_of, party, group, actor, related = ids.columns
    span = first_rows(pa.table({"statement_id": statement_id,
                                "span_start": joined([statements["span_start"]], pa.int64()),
                                "span_end": joined([statements["span_end"]], pa.int64())}),
                      ["statement_id"])
    stated = matched(pa.table({"order": positions(len(stated)), "commitment_id": stated_id,
                               "statement_id": stated_in}), span, "statement_id")
    groups = distinct(pa.table({"group_id": group}).drop_null())
    if not stated.num_rows or not groups.num_rows:  # a dangling statement: the key checks'
        return
    committer = (parties["role"] == "committer").fillna(False).to_numpy()
    committers = pa.table({"commitment_id": party_of, "committer_id": party,
                           "position": positions(len(parties))}).filter(committer).drop_null()
    # Candidates: each committer, the actors it reaches, and the groups reaching one of them.
    pairs = reaching(pa.table({"actor_id": actor, "reached_id": related}),
                     pa.chunked_array([*groups["group_id"].chunks,
                                       *committers["committer_id"].chunks], pa.int32()))
    by_group = matched(pairs.rename_columns(["group_id", "shared_id"]), groups, "group_id",
                       "left semi")
    calls = matched(distinct(stated.select(["commitment_id"])), committers, "commitment_id")
    calls = matched(matched(calls, pairs.rename_columns(["committer_id", "shared_id"]),
                            "committer_id"), by_group, "shared_id")
    calls = calls.filter(pc.not_equal(calls["group_id"], calls["committer_id"]))
    # the first committer (in the parties' order) a group includes, per commitment and group
    first = calls.group_by(["commitment_id", "group_id"], use_threads=False).aggregate(
        [("position", "min")])
    calls = pa.table({"commitment_id": first["commitment_id"], "group_id": first["group_id"],
                      "committer_id": party.take(first["position_min"])})
    own = distinct(pa.table({"commitment_id": party_of, "group_id": party}).drop_null())
    calls = matched(stated, matched(calls, own, ["commitment_id", "group_id"], "left anti"),
                    "commitment_id")
    # each (statement, group) tested once against the group's mentions
    asked = first_rows(calls.select(["statement_id", "group_id", "span_start", "span_end"]),
                       ["statement_id", "group_id"])
    named = named_within(frames["mentions"][["actor_id", "span_start", "span_end"]],
                         pd.DataFrame({"actor_id": ids.words.take(asked["group_id"]).to_pandas(),
                                       "span_start": asked["span_start"].to_pandas(),
                                       "span_end": asked["span_end"].to_pandas()}))
    asked = asked.select(["statement_id", "group_id"]).append_column("named", pa.array(named))
    calls = matched(calls, asked, ["statement_id", "group_id"])
    calls = calls.filter(calls["named"])  # a mask: an expression would run on Arrow's threads
    calls = pa.table({"order": calls["order"], "group": ids.words.take(calls["group_id"]),
                      "member": ids.words.take(calls["committer_id"])}).sort_by(
        [("order", "ascending"), ("group", "ascending")])
    for i, group, member in zip(rows[calls["order"].to_numpy()], calls["group"].to_pylist(),
                                calls["member"].to_pylist()):
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
    from_coded, to_coded = among_each([links["from_id"], links["to_id"]], coded)
    realised = links[(links["relation"] == "realises").to_numpy(dtype=bool, na_value=False)
                     & among(links["from_id"], events["event_id"]).to_numpy() & to_coded
                     & ~from_coded]
    if realised.empty:
        return
    participants = frames["event_participants"]
    participants = participants[among(participants["event_id"], realised["from_id"]).to_numpy()]
    act_parties = frames["act_parties"]
    act_parties = act_parties[among(act_parties["act_id"], realised["to_id"]).to_numpy()]
    closure = frames["actor_closure"]
    ids = numbered(realised["from_id"], realised["to_id"], acts["act_id"], acts["cameo_code"],
                   participants["event_id"], participants["actor_id"], participants["role"],
                   act_parties["act_id"], act_parties["actor_id"], act_parties["role"],
                   closure["actor_id"], closure["related_id"])
    (event_of, act_of, act_id, cameo_code, event_id, participant, role, party_of, party,
     party_role, actor, related) = ids.columns
    cameo = first_rows(pa.table({"act": act_id, "cameo_code": cameo_code}), ["act"], last=True)
    link = matched(pa.table({"order": positions(len(realised)), "event_id": event_of,
                             "act": act_of}), cameo, "act", "left outer").sort_by("order")
    # Acts that carry the same parties under the same code answer alike: each such kind of
    # act is asked about an event's participants once, however many links share it.
    parties = pa.table({"act": party_of, "actor_id": party, "as_act": party_role})
    link = link.append_column("kind", kind_of_act(link, parties, len(ids.words)))
    kinds = first_rows(link.select(["kind", "act"]), ["kind"])
    asked = matched(first_rows(link.select(["event_id", "kind", "cameo_code"]),
                               ["event_id", "kind"]),
                    pa.table({"event_id": event_id, "actor_id": participant, "role": role,
                              "position": positions(len(participants))}), "event_id")
    # what each participant's role is to each act's code: one act_role call a distinct pair
    pair = pair_number(asked["cameo_code"], asked["role"], len(ids.words))
    asked = asked.append_column("pair", pair)
    as_act = {}
    for number in pc.unique(pair).to_numpy():
        code, role_name = pair_of(int(number), ids)
        role_as_act = act_role("event_participants", role_name, code)
        if role_as_act is not None:
            as_act[int(number)] = role_as_act
    roles = pa.table({"pair": pa.array(list(as_act), pa.int64()), "as_act": pc.fill_null(
        pc.index_in(pa.array(list(as_act.values()), pa.large_string()), value_set=ids.words),
        -1).cast(pa.int32())})  # a role no party holds: -1, equal to none
    asked = matched(asked, roles, "pair")
    # carried: the act's party in that role, or an actor reaching it or reached by it
    pairs = reaching(pa.table({"actor_id": actor, "reached_id": related}),
                     pa.chunked_array([*party.chunks, *participant.chunks], pa.int32()))
    near = distinct(pa.concat_tables([pairs, pairs.rename_columns(["reached_id", "actor_id"])
                                      .select(["actor_id", "reached_id"])]))
    carried = matched(matched(kinds, parties, "act"), near, "actor_id")
    carried = distinct(carried.select(["kind", "as_act", "reached_id"])).rename_columns(
        ["kind", "as_act", "actor_id"])
    missing = matched(asked, carried, ["kind", "as_act", "actor_id"], "left anti")
    missing = matched(missing.select(["event_id", "kind", "actor_id", "role", "pair",
                                      "position"]),
                      link.select(["order", "event_id", "kind", "act"]), ["event_id", "kind"])
    missing = missing.sort_by([("order", "ascending"), ("position", "ascending")])
    order = missing["order"].to_numpy()
    for i, note, as_act_name, event, act, actor_id, role_name in zip(
            realised.index[order], realised["note"].to_numpy(dtype=object)[order],
            [as_act[p] for p in missing["pair"].to_numpy()],
            *(ids.words.take(missing[c]).to_pylist()
              for c in ("event_id", "act", "actor_id", "role"))):
        if (isinstance(note, str) and actor_id is not None
                and re.search(rf"\b{re.escape(actor_id)}\b", note)):
            continue  # the link states why the party is left out
        yield Violation("act_links", i, "to_id", act,
                        f"{event} realises {act}, which is coded in its stead but lacks "
                        f"its {role_name} {actor_id} as {as_act_name}: add the party to {act}, "
                        f"or name {actor_id} in the link's note with the reason")


def pair_number(first: pa.ChunkedArray, second: pa.ChunkedArray, words: int) -> pa.ChunkedArray:
    """Two columns of numbers below ``words`` as one number a pair, a null as one value (as
    pandas joins it): (first + 1) × (words + 1) + second + 1, a null's part 0."""
    def shifted(column):
        return pc.add(pc.fill_null(column.cast(pa.int64()), -1), 1)
    return pc.add(pc.multiply(shifted(first), words + 1), shifted(second))


def pair_of(number: int, words: Numbered) -> tuple[str | None, str | None]:
    """The two texts (None for a null) of a ``pair_number`` of ``words``' numbers."""
    return tuple(None if n == 0 else words.words[n - 1].as_py()
                 for n in divmod(number, len(words.words) + 1))


def kind_of_act(link: pa.Table, parties: pa.Table, words: int) -> pa.ChunkedArray:
    """A number for each link's kind of act: its act's code and the distinct parties (role and
    actor) that act carries, so that two links share a number just where both are alike."""
    entries = distinct(pa.table({"act": parties["act"], "entry": pair_number(
        parties["as_act"], parties["actor_id"], words)}).drop_null()).sort_by(
        [("act", "ascending"), ("entry", "ascending")])
    acts = entries["act"].to_numpy()
    starts = np.flatnonzero(np.r_[True, acts[1:] != acts[:-1]]) if len(acts) else \
        np.zeros(0, np.int64)
    # each act's entries, in order, as the bytes of one value: equal just where equal
    lists = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(starts),
        [None, pa.py_buffer((np.r_[starts, len(acts)] * 8).astype(np.int64)),
         pa.py_buffer(entries["entry"].to_numpy().astype(np.int64).tobytes())])
    carries = pa.table({"act": pa.array(acts[starts], pa.int32()),
                        "carries": pc.dictionary_encode(lists).indices})
    link = matched(link.select(["order", "act", "cameo_code"]), carries, "act", "left outer") \
        .sort_by("order")
    return pair_number(link["cameo_code"], link["carries"], 2**31)


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
    deep = closure[(closure["depth"] > 0).fillna(False).to_numpy()]
    for table, key in (("commitment_parties", "commitment_id"), ("act_parties", "act_id")):
        frame = frames[table]
        ids = numbered(deep["actor_id"], deep["related_id"], frame[key], frame["actor_id"],
                       frame["role"])
        group, member, row_id, actor, role = ids.columns
        inner = distinct(pa.table({"group_id": group, "actor_id": member}).drop_null())
        parties = pa.table({key: row_id, "actor_id": actor, "role": role,
                            "position": positions(len(frame))})
        present = distinct(parties.select([key, "actor_id", "role"]).drop_null())
        as_group = matched(present.rename_columns([key, "group_id", "role"]),
                           counted(present, [key, "role"], "size"), [key, "role"])
        as_group = matched(as_group, counted(inner, ["group_id"], "fan_out"), "group_id",
                           "left outer")
        few = pc.less_equal(pc.fill_null(as_group["fan_out"], 0), as_group["size"])
        pair = [key, "group_id", "role"]
        by_closure = matched(as_group.filter(few).select(pair), inner, "group_id")
        by_row = matched(matched(as_group.filter(pc.invert(few)).select(pair), present,
                                 [key, "role"]), inner, ["group_id", "actor_id"], "left semi")
        reached = pa.concat_tables([found.select([*pair, "actor_id"])
                                    for found in (by_closure, by_row)])
        hits = matched(parties, reached, [key, "role", "actor_id"])
        hits = hits.append_column("group", ids.words.take(hits["group_id"])).sort_by(
            [("position", "ascending"), ("group", "ascending")])  # groups by name
        for i, group_id, actor_id, row_key, role_name in zip(
                frame.index[hits["position"].to_numpy()], hits["group"].to_pylist(),
                *(ids.words.take(hits[c]).to_pylist() for c in ("actor_id", key, "role"))):
            yield Violation(table, i, "actor_id", actor_id,
                            f"{group_id} reaches {actor_id} through actor_closure, and both are "
                            f"{role_name} of {row_key}: name the group or its member, not both "
                            f"(decision rule g)")


RULES += ((self_inclusive_calls, ("commitments", "commitment_parties", "statements",
                                  "mentions", "actor_members", "actor_closure")),
          (realised_parties, ("act_links", "acts", "act_parties", "events",
                              "event_participants", "actor_closure")),
          (group_beside_member, ("commitment_parties", "act_parties", "actor_closure")))
