"""Ways to damage a copy of the published package, for the corruption tests."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datapkg.loader import read_arrow
from datapkg.publish import PARQUET_OPTIONS, write_csv, write_parquet
from datapkg.registry import TABLES
from datapkg.typemap import arrow_schema


def edit_text(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit_csv(package: Path, name: str, old: str, new: str, count: int = 1) -> None:
    edit_text(package / f"{name}.csv", old, new, count)


def edit_json(path: Path, change) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def digest(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def refresh_hashes(package: Path) -> None:
    """Make the descriptor and Croissant agree with the files, so only the intended layer fails."""
    def descriptor(d):
        for resource in d["resources"]:
            size, sha = digest(package / resource["path"])
            resource["hash"] = f"sha256:{sha}"
            if "bytes" in resource:
                resource["bytes"] = size

    def croissant(d):
        for entry in d["distribution"]:
            size, sha = digest(package / entry["contentUrl"])
            entry["sha256"], entry["contentSize"] = sha, f"{size} B"

    edit_json(package / "datapackage.json", descriptor)
    edit_json(package / "croissant.json", croissant)


def rows(package: Path, name: str) -> list[dict]:
    return read_arrow(package / f"{name}.parquet", name, "parquet").to_pylist()


def rewrite(package: Path, name: str, change, formats=("csv", "parquet")) -> None:
    """Change rows of one table (in both formats by default) and refresh the hashes."""
    table_rows = rows(package, name)
    change(table_rows)
    table = pa.Table.from_pylist(table_rows, schema=arrow_schema(TABLES[name]))
    if "parquet" in formats:
        write_parquet(table, package / f"{name}.parquet")
    if "csv" in formats:
        write_csv(table, package / f"{name}.csv")
    refresh_hashes(package)


def text_not_utf8(package: Path, name: str, column: str) -> None:
    """The second byte of the first row's ``column`` made 0xFF in the table's Parquet file only
    (its CSV untouched), written as the build writes Parquet; the hashes refreshed."""
    path = package / f"{name}.parquet"
    table = pq.read_table(path)
    texts = [text.encode() for text in table[column].to_pylist()]
    texts[0] = texts[0][:1] + b"\xff" + texts[0][2:]
    offsets = pa.array([0, *itertools.accumulate(map(len, texts))], pa.int32()).buffers()[1]
    damaged = pa.Array.from_buffers(pa.string(), len(texts),
                                    [None, offsets, pa.py_buffer(b"".join(texts))])
    at = table.schema.get_field_index(column)
    pq.write_table(table.set_column(at, table.schema.field(at), damaged), path, **PARQUET_OPTIONS)
    refresh_hashes(package)


def row_where(table_rows: list[dict], **match) -> dict:
    return next(r for r in table_rows if all(r[k] == v for k, v in match.items()))


def find(failures, **expected):
    """The first failure matching every field given (``code`` among them: failures are matched
    by their stable code, never by the words of their rule)."""
    suffix = expected.pop("file_endswith", "")
    hits = [f for f in failures if all(getattr(f, k) == v for k, v in expected.items())
            and f.file.endswith(suffix)]
    assert hits, (f"no failure with {expected}, file …{suffix} among:\n"
                  + "\n".join(map(str, failures)))
    return hits[0]


def edit_with_pandas(package: Path, name: str, fmt: str, column: str, value) -> dict:
    """What a user does: read one file with pandas, change the first row's cell, write the file
    back with pandas (its own types and metadata, and no new hashes). Returns that row."""
    import pandas as pd

    path = package / f"{name}.{fmt}"
    frame = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path)
    row = frame.iloc[0].to_dict()
    frame.loc[frame.index[0], column] = value
    if fmt == "parquet":
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return row
