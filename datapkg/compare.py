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
    columns_differ: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.columns_differ)

    def key_text(self, key: tuple) -> str:
        return ", ".join(f"{k}={v}" for k, v in zip(self.table.primary_key, key))


def by_key(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Rows indexed by their primary key as tuples; duplicate keys keep their first row."""
    key = list(table.primary_key)
    indexed = frame.set_index(pd.MultiIndex.from_frame(frame[key]), drop=False)
    return indexed[~indexed.index.duplicated()]


def same_cells(x: pd.Series, y: pd.Series) -> pd.Series:
    return (x == y).fillna(False).astype(bool) | (x.isna() & y.isna())


def diff_frames(old: pd.DataFrame, new: pd.DataFrame, table: Table) -> TableDiff:
    result = TableDiff(table)
    if list(old.columns) != list(new.columns):
        result.columns_differ = True
        return result
    a, b = by_key(old, table), by_key(new, table)
    result.added = sorted(map(as_key, b.index.difference(a.index)))
    result.removed = sorted(map(as_key, a.index.difference(b.index)))
    common = a.index.intersection(b.index)
    for column in table.columns:
        x, y = a.loc[common, column], b.loc[common, column]
        differs = ~same_cells(x, y).to_numpy()
        for k, was, now in zip(x.index[differs], x[differs], y[differs]):
            result.changed.append((as_key(k), column, was, now))
    return result


def as_key(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)
