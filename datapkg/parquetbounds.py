"""What a Parquet file may cost, read from its own bytes before Arrow parses any of them.

Arrow trusts a Parquet file: it parses the whole footer into objects, and it sizes the buffer
each page decompresses into by that page's header. A few megabytes of footer can describe
millions of column chunks, and a footer's totals can say anything. So every Parquet file is
checked here first, in place (Thrift's compact protocol, skimmed: nothing is kept but counts
and offsets):

- its footer: at most FOOTER_SLACK plus 1/FOOTER_SHARE of the file (and no more than a
  metadata file may take), and the shape of the table's schema (one leaf per column; every
  row group a chunk per column, each chunk's values one per row; no row group empty but the
  only one; at most ROWS_PER_BYTE rows per byte of the file);
- every page header of every column chunk, walked as Arrow walks them: together the pages
  decompress to at most MAX_EXPANSION times the file's size (plus MAX_DECODED_SLACK), and no
  page is in an encoding whose values may outgrow their page (DELTA_BYTE_ARRAY).

What the pages decode to is bounded where they are decoded (``datapkg.loader``).
"""

from __future__ import annotations

from datapkg.errors import ColumnCount, DecodeBomb, LoadError
from datapkg.files import MAX_METADATA_BYTES, MAX_TABLE_BYTES

MAGIC = b"PAR1"
# A footer takes at most this, plus 1/FOOTER_SHARE of its file (one row group of a wide table
# takes some 20 KB; an empty column chunk takes 3 bytes, and Arrow some 300 to parse it).
FOOTER_SLACK = 2**20
FOOTER_SHARE = 64
# A Parquet file's pages may decompress to at most MAX_EXPANSION times its size (plus
# MAX_DECODED_SLACK), and it may hold at most ROWS_PER_BYTE rows per byte.
MAX_EXPANSION = 64
MAX_DECODED_SLACK = 2**20
ROWS_PER_BYTE = 8
MAX_DEPTH = 32  # values within values; Parquet's deepest are six

# Thrift compact types, and the fields of parquet.thrift read here.
BOOL_TRUE, BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)
INTEGERS = (I16, I32, I64)
DATA_PAGE, INDEX_PAGE, DICTIONARY_PAGE, DATA_PAGE_V2 = range(4)
DELTA_BYTE_ARRAY = 7  # each value a prefix of the one before plus a suffix: unbounded


class OutOfSpec(ValueError):
    """Bytes that are not the Thrift structure they must be."""


# The skim reads ``data[pos:end]`` in place; each function takes a position and returns the
# one after what it read. Every value takes at least a byte, so a skim ends within its bytes.
# It reads what Thrift's C++ reader (Arrow's) reads: 16-bit field ids, integers cut to their
# type's width, a repeated field's last value (a repeated list replaces the first, a
# repeated struct adds to it); a field it reads must have its exact type.

def varint(data: bytes, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while pos < end and shift < 70:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise OutOfSpec(f"a malformed or truncated integer (byte {pos})")


def integer(data: bytes, pos: int, end: int, kind: int, expected: int = I64
            ) -> tuple[int, int]:
    """An integer field's value, which must be of the ``expected`` type."""
    if kind != expected:
        raise OutOfSpec(f"a field of Thrift type {kind}, not {expected} (byte {pos})")
    n, pos = varint(data, pos, end)
    return zigzag(n, 64 if expected == I64 else 32), pos


def zigzag(n: int, bits: int) -> int:
    n &= (1 << bits) - 1
    return (n >> 1) ^ -(n & 1)


def int16(n: int) -> int:
    return (n + 0x8000) % 0x10000 - 0x8000


def field_header(data: bytes, pos: int, end: int, last: int) -> tuple[int, int, int]:
    """The next field of a struct: (field id, type, position of its value); type 0 at the
    struct's stop."""
    if pos >= end:
        raise OutOfSpec(f"a struct runs past its end (byte {pos})")
    head = data[pos]
    if head & 0x0F == 0:
        return 0, 0, pos + 1
    if head >> 4:
        return int16(last + (head >> 4)), head & 0x0F, pos + 1
    n, pos = varint(data, pos + 1, end)
    return int16(zigzag(n, 32)), head & 0x0F, pos


def list_header(data: bytes, pos: int, end: int, kind: int, only_list: bool = False
                ) -> tuple[int, int, int]:
    """(size, element type, position of the first element) of a list or set (a list, where
    ``only_list``: a field the skim reads)."""
    if kind not in ((LIST,) if only_list else (LIST, SET)) or pos >= end:
        raise OutOfSpec(f"a list field of Thrift type {kind} (byte {pos})")
    head = data[pos]
    if head >> 4 == 15:
        size, pos = varint(data, pos + 1, end)
        return size, head & 0x0F, pos
    return head >> 4, head & 0x0F, pos + 1


def past_varint(data: bytes, pos: int, end: int) -> int:
    """Past one varint (an integer of any width), without decoding it."""
    while pos < end and data[pos] & 0x80:
        pos += 1
    return pos + 1


def skip(data: bytes, pos: int, end: int, kind: int, depth: int, element: bool = False) -> int:
    """Past one value of ``kind`` (a boolean field's value is in its type, an element's is a
    byte)."""
    if depth > MAX_DEPTH:
        raise OutOfSpec(f"values nested more than {MAX_DEPTH} deep")
    if kind in INTEGERS:
        pos = past_varint(data, pos, end)
    elif kind == BINARY:
        size, pos = varint(data, pos, end)
        pos += size
    elif kind == STRUCT:
        return skip_struct(data, pos, end, depth)
    elif kind in (LIST, SET):
        size, inner, pos = list_header(data, pos, end, kind)
        if inner in INTEGERS:  # encodings, histograms: the most common lists
            for _ in range(size):
                pos = past_varint(data, pos, end)
        else:
            for _ in range(size):
                pos = skip(data, pos, end, inner, depth + 1, element=True)
    elif kind in (BOOL_TRUE, BOOL_FALSE, BYTE, DOUBLE):
        pos += 8 if kind == DOUBLE else 1 if element or kind == BYTE else 0
    elif kind == MAP:
        size, pos = varint(data, pos, end)
        if size and pos < end:
            types, pos = data[pos], pos + 1
            for _ in range(size):
                pos = skip(data, pos, end, types >> 4, depth + 1, element=True)
                pos = skip(data, pos, end, types & 0x0F, depth + 1, element=True)
    else:
        raise OutOfSpec(f"unknown Thrift type {kind} (byte {pos})")
    if pos > end:
        raise OutOfSpec(f"a value runs past its end (byte {pos})")
    return pos


def skip_struct(data: bytes, pos: int, end: int, depth: int) -> int:
    """Past a struct, its integers and strings skipped in place (most of a footer)."""
    if depth > MAX_DEPTH:
        raise OutOfSpec(f"values nested more than {MAX_DEPTH} deep")
    while pos < end:
        head = data[pos]
        pos += 1
        if head & 0x0F == 0:
            return pos
        if head < 0x10:  # the field's id in full: a varint
            pos = past_varint(data, pos, end)
        kind = head & 0x0F
        if kind in INTEGERS:
            pos = past_varint(data, pos, end)
        elif kind == BINARY:
            size, pos = varint(data, pos, end)
            pos += size
        elif kind > BOOL_FALSE:
            pos = skip(data, pos, end, kind, depth + 1)
    raise OutOfSpec(f"a struct runs past its end (byte {pos})")


def struct_start(data: bytes, pos: int, kind: int) -> int:
    if kind != STRUCT:
        raise OutOfSpec(f"a struct field of Thrift type {kind} (byte {pos})")
    return pos


def check_parquet(data: bytes, columns: int, where: str) -> frozenset[str]:
    """Refuse, before anything parses it, a Parquet file whose footer is not the shape of a
    table of ``columns`` columns, or that would cost more than a file of its size may
    (``DecodeBomb``); ``where`` names the file in errors. Returns the names of the columns
    that have a dictionary page: only their values may outgrow their pages."""
    # Every decoder is bounded by the bytes it produces, never by what a footer claims.
    size = len(data)
    if size < 12 or data[:4] != MAGIC or data[-4:] != MAGIC:
        raise LoadError(f"{where}: not a Parquet file (it must begin and end with PAR1)")
    length = int.from_bytes(data[-8:-4], "little")
    body = size - 8 - length  # where the footer begins
    if body < 4:
        raise LoadError(f"{where}: its footer of {length} bytes does not fit in the file")
    allowed = min(FOOTER_SLACK + size // FOOTER_SHARE, MAX_METADATA_BYTES)
    if length > allowed:
        raise DecodeBomb(f"{where}: refusing a Parquet file of {size} bytes whose footer takes "
                         f"{length} (at most {allowed})")
    try:
        rows, names, chunks = footer_chunks(data, body, size - 8, columns)
        if rows > ROWS_PER_BYTE * size:
            raise DecodeBomb(f"{where}: refusing a Parquet file of {size} bytes that claims "
                             f"{rows} rows (at most {ROWS_PER_BYTE} per byte)")
        decoded, cap = 0, min(MAX_EXPANSION * size + MAX_DECODED_SLACK, MAX_TABLE_BYTES)
        dictionaries = set()
        for i, (start, end, values) in enumerate(chunks):
            if not 0 <= start <= end <= body:
                raise OutOfSpec("a column chunk lies outside the file's pages")
            pages, dictionary = page_bytes(data, start, end, values)
            decoded += pages
            if dictionary:
                dictionaries.add(names[i % columns])
            if decoded > cap:
                raise DecodeBomb(f"{where}: refusing a Parquet file of {size} bytes whose pages "
                                 f"decompress to more than {cap} bytes (at most "
                                 f"{MAX_EXPANSION}× its size)")
    except OutOfSpec as exc:
        raise LoadError(f"{where}: not a Parquet file of {columns} columns: {exc}") from None
    except ColumnCount as exc:
        raise ColumnCount(f"{where}: {exc}", exc.found) from None
    return frozenset(dictionaries)


def footer_chunks(data: bytes, pos: int, end: int, columns: int
                  ) -> tuple[int, list[str], list[tuple[int, int, int]]]:
    """The FileMetaData's row count, column names and column chunks, each (start, end,
    values), once its schema has ``columns`` leaves and every row group one chunk per
    column."""
    rows, names = None, []
    chunks, groups, field = [], [], 0
    while True:
        field, kind, pos = field_header(data, pos, end, field)
        if kind == 0:
            break
        if field == 2:  # schema: the root, then its leaves
            count, _, pos = list_header(data, pos, end, kind, only_list=True)
            if count != columns + 1:
                found = max(count - 1, 0)  # the root is no column
                raise ColumnCount(f"its schema has {found} columns, its table {columns}", found)
            names = []
            for position in range(count):
                name, children, pos = schema_element(data, pos, end)
                if children != columns if position == 0 else children:
                    raise OutOfSpec("its schema is not one flat row of columns")
                names.append(name)
            names = names[1:]
        elif field == 3:
            rows, pos = integer(data, pos, end, kind)
        elif field == 4:
            count, _, pos = list_header(data, pos, end, kind, only_list=True)
            chunks, groups = [], []
            for _ in range(count):
                group, pos = row_group(data, pos, end, columns, chunks)
                groups.append(group)
        else:
            pos = skip(data, pos, end, kind, 1)
    if not names or rows is None or rows < 0:
        raise OutOfSpec("its footer lacks its schema or its row count")
    if sum(groups) != rows or (len(groups) > 1 and min(groups) == 0):
        raise OutOfSpec(f"its row groups hold {sum(groups)} rows in {len(groups)} groups, "
                        f"{groups.count(0)} of them empty; its footer says {rows} rows")
    if any(values != groups[i // columns] for i, (_, _, values) in enumerate(chunks)):
        raise OutOfSpec("a column chunk does not hold one value per row")
    return rows, names, chunks


def schema_element(data: bytes, pos: int, end: int) -> tuple[str, int | None, int]:
    """A SchemaElement's name and num_children (None for a leaf)."""
    name, children, field = "", None, 0
    while True:
        field, kind, pos = field_header(data, pos, end, field)
        if kind == 0:
            return name, children, pos
        if field == 4 and kind == BINARY:
            size, start = varint(data, pos, end)
            pos = skip(data, pos, end, kind, 2)
            name = bytes(data[start:start + size]).decode("utf-8", errors="replace")
        elif field == 5:
            children, pos = integer(data, pos, end, kind, I32)
        else:
            pos = skip(data, pos, end, kind, 2)


def row_group(data: bytes, pos: int, end: int, columns: int, chunks: list) -> tuple[int, int]:
    """A RowGroup's row count; its column chunks are appended to ``chunks``."""
    rows, found, field, own = None, 0, 0, []
    while True:
        field, kind, pos = field_header(data, pos, end, field)
        if kind == 0:
            break
        if field == 1:
            found, _, pos = list_header(data, pos, end, kind, only_list=True)
            if found != columns:
                raise OutOfSpec(f"a row group has {found} column chunks")
            own = []
            for _ in range(found):
                chunk, pos = column_chunk(data, pos, end)
                own.append(chunk)
        elif field == 3:
            rows, pos = integer(data, pos, end, kind)
        else:
            pos = skip(data, pos, end, kind, 2)
    if rows is None or rows < 0 or found != columns:
        raise OutOfSpec("a row group lacks its row count or its column chunks")
    chunks += own
    return rows, pos


def column_chunk(data: bytes, pos: int, end: int) -> tuple[tuple[int, int, int], int]:
    """A ColumnChunk's byte range (from its dictionary page, if it has one, as Arrow computes
    it) and its count of values, from its ColumnMetaData; never the footer's sizes."""
    found, field, meta = {}, 0, False
    while True:
        field, kind, pos = field_header(data, pos, end, field)
        if kind == 0:
            break
        if field == 1:
            raise OutOfSpec("a column chunk is in another file")
        if field != 3:
            pos = skip(data, pos, end, kind, 3)
            continue
        meta, inner = True, 0  # a repeated struct adds to the first, as in Thrift's C++
        pos = struct_start(data, pos, kind)
        while True:
            inner, inner_kind, pos = field_header(data, pos, end, inner)
            if inner_kind == 0:
                break
            if inner in (5, 7, 9, 11):  # num_values, total_compressed_size, data and
                found[inner], pos = integer(data, pos, end, inner_kind)  # dictionary offsets
            elif inner == 3:  # path_in_schema: one name, a top-level column
                count, _, pos = list_header(data, pos, end, inner_kind, only_list=True)
                if count != 1:
                    raise OutOfSpec("a column chunk is not of a top-level column")
                pos = skip(data, pos, end, BINARY, 4)
            else:
                pos = skip(data, pos, end, inner_kind, 4)
    if not meta or not {5, 7, 9} <= found.keys():
        raise OutOfSpec("a column chunk lacks its offset, its size or its count of values")
    start, dictionary = found[9], found.get(11, 0)
    if 0 < dictionary < start:
        start = dictionary
    return (start, start + found[7], found[5]), pos


def page_bytes(data: bytes, pos: int, end: int, values: int) -> tuple[int, bool]:
    """What one column chunk's pages decompress to, by their own headers, read from its start
    until they hold ``values`` values (where Arrow stops); and whether one of them is a
    dictionary page."""
    seen = decoded = 0
    dictionary = False
    while seen < values:
        kind, uncompressed, compressed, count, encoding, pos = page_header(data, pos, end)
        if uncompressed < 0 or compressed < 0 or count < 0:
            raise OutOfSpec(f"a page header with a negative size or count (byte {pos})")
        pos += compressed
        if pos > end:
            raise OutOfSpec(f"a page runs past its column chunk (byte {pos})")
        decoded += uncompressed
        if kind in (DATA_PAGE, DATA_PAGE_V2):
            seen += count
            if encoding == DELTA_BYTE_ARRAY:
                raise OutOfSpec("a page in DELTA_BYTE_ARRAY, whose values may outgrow it")
        elif kind == DICTIONARY_PAGE:
            dictionary = True
            if count > uncompressed:
                raise OutOfSpec("a dictionary page holding more entries than bytes")
    if seen != values:
        raise OutOfSpec(f"a column chunk's pages hold {seen} values, its metadata {values}")
    return decoded, dictionary


# The header each type of page keeps its count of values and encoding in, and where.
PAGE_HEADERS = {DATA_PAGE: (5, 2), DICTIONARY_PAGE: (7, 2), DATA_PAGE_V2: (8, 4)}


def page_header(data: bytes, pos: int, end: int) -> tuple[int, int, int, int, int, int]:
    """A PageHeader's type, uncompressed and compressed sizes, its count of values and
    encoding (from the header of its type, as Arrow reads them), and the position after
    it."""
    found, inner_found, field = {}, {}, 0
    while True:
        field, kind, pos = field_header(data, pos, end, field)
        if kind == 0:
            break
        if field in (1, 2, 3):
            found[field], pos = integer(data, pos, end, kind, I32)
        elif field in (5, 7, 8):  # data page, dictionary page, data page v2 headers
            pos, inner = struct_start(data, pos, kind), 0
            values = inner_found.setdefault(field, {})  # a repeated struct adds to the first
            while True:
                inner, inner_kind, pos = field_header(data, pos, end, inner)
                if inner_kind == 0:
                    break
                if inner in (1, 2, 4):
                    values[inner], pos = integer(data, pos, end, inner_kind, I32)
                else:
                    pos = skip(data, pos, end, inner_kind, 2)
        else:
            pos = skip(data, pos, end, kind, 1)
    if len(found) != 3:
        raise OutOfSpec(f"a page header lacks its type or its sizes (byte {pos})")
    where, encoding = PAGE_HEADERS.get(found[1], (None, None))
    values = inner_found.get(where, {})
    if where is not None and 1 not in values:
        raise OutOfSpec(f"a page header lacks its count of values (byte {pos})")
    return found[1], found[2], found[3], values.get(1, 0), values.get(encoding, -1), pos
