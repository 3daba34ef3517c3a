"""Row-by-row, cell-by-cell differences between two versions of one table, by primary key.

Used to check CSV against Parquet and the published data against the curation, and by
`datapkg diff` to show what a change does to the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from datapkg.registry import Table


@dataclass
class TableDiff:
    table: Table
    added: list[tuple] = field(default_factory=list)  # keys only in the new version
    removed: list[tuple] = field(default_factory=list)  # keys only in the old version
    changed: list[tuple[tuple, str, object, object]] = field(default_factory=list)
    # keys held by more than one row, in the old or the new version: ("old" | "new", key)
    duplicated: list[tuple[str, tuple]] = field(default_factory=list)
    columns_differ: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.duplicated
                    or self.columns_differ)

    def key_text(self, key: tuple) -> str:
        return ", ".join(f"{k}={v}" for k, v in zip(self.table.primary_key, key))


def by_key(frame: pd.DataFrame, table: Table) -> tuple[pd.DataFrame, list[tuple]]:
    """Rows indexed by their primary key as tuples, and the keys that more than one row
    holds (those rows are compared by their first; the duplicates are reported)."""
    key = list(table.primary_key)
    indexed = frame.set_index(pd.MultiIndex.from_frame(frame[key]), drop=False)
    repeated = indexed.index.duplicated()
    return indexed[~repeated], in_order(set(indexed.index[repeated]))


def same_cells(x: pd.Series, y: pd.Series) -> pd.Series:
    return (x == y).fillna(False).astype(bool) | (x.isna() & y.isna())


def diff_frames(old: pd.DataFrame, new: pd.DataFrame, table: Table) -> TableDiff:
    result = TableDiff(table)
    if list(old.columns) != list(new.columns):
        result.columns_differ = True
        return result
    (a, old_repeated), (b, new_repeated) = by_key(old, table), by_key(new, table)
    result.duplicated = [("old", k) for k in old_repeated] + [("new", k) for k in new_repeated]
    result.added = in_order(b.index.difference(a.index, sort=False))
    result.removed = in_order(a.index.difference(b.index, sort=False))
    common = a.index.intersection(b.index)
    for column in table.columns:
        x, y = a.loc[common, column], b.loc[common, column]
        differs = ~same_cells(x, y).to_numpy()
        for k, was, now in zip(x.index[differs], x[differs], y[differs]):
            result.changed.append((as_key(k), column, was, now))
    return result


def as_key(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def in_order(keys) -> list[tuple]:
    """Keys as tuples, in order, each column's values compared among themselves and a null
    after every value (a key with a null is compared with no other value)."""
    return sorted(map(as_key, keys),
                  key=lambda key: tuple((1, 0) if pd.isna(v) else (0, v) for v in key))
