"""Thrift's compact protocol, decoded into editable values and encoded back, so that the tests
can rewrite a Parquet file's footer and page headers as an attacker would. Written from the
protocol's specification, independently of the library's own reader (datapkg/parquetbounds.py).

A struct is a dict {field id: (type, value)} in the order of its fields; a list or set is
(element type, [values]); a map is (key type, value type, [(key, value)]).
"""

from __future__ import annotations

import struct

BOOL_TRUE, BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)
INTEGERS = (I16, I32, I64)


class Encoded(bytes):
    """A value already encoded, written as it is (thousands of copies of one row group cost
    one encoding)."""


def varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def unzigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def read_value(data: bytes, pos: int, kind: int) -> tuple[object, int]:
    if kind in (BOOL_TRUE, BOOL_FALSE):  # an element of a list: one byte
        return data[pos] == 1, pos + 1
    if kind == BYTE:
        return data[pos], pos + 1
    if kind in INTEGERS:
        n, pos = varint(data, pos)
        return unzigzag(n), pos
    if kind == DOUBLE:
        return struct.unpack_from("<d", data, pos)[0], pos + 8
    if kind == BINARY:
        n, pos = varint(data, pos)
        return bytes(data[pos:pos + n]), pos + n
    if kind in (LIST, SET):
        head = data[pos]
        pos += 1
        size, element = head >> 4, head & 0x0F
        if size == 15:
            size, pos = varint(data, pos)
        items = []
        for _ in range(size):
            item, pos = read_value(data, pos, element)
            items.append(item)
        return (element, items), pos
    if kind == MAP:
        size, pos = varint(data, pos)
        if not size:
            return (0, 0, []), pos
        key_kind, value_kind = data[pos] >> 4, data[pos] & 0x0F
        pos += 1
        pairs = []
        for _ in range(size):
            key, pos = read_value(data, pos, key_kind)
            value, pos = read_value(data, pos, value_kind)
            pairs.append((key, value))
        return (key_kind, value_kind, pairs), pos
    if kind == STRUCT:
        return read_struct(data, pos)
    raise ValueError(f"unknown compact type {kind}")


def read_struct(data: bytes, pos: int = 0) -> tuple[dict, int]:
    """A struct at ``pos`` and the position after it."""
    fields, last = {}, 0
    while True:
        head = data[pos]
        pos += 1
        if head == 0:
            return fields, pos
        kind, delta = head & 0x0F, head >> 4
        if delta:
            field = last + delta
        else:
            n, pos = varint(data, pos)
            field = unzigzag(n)
        if kind in (BOOL_TRUE, BOOL_FALSE):
            fields[field] = (kind, kind == BOOL_TRUE)
        else:
            value, pos = read_value(data, pos, kind)
            fields[field] = (kind, value)
        last = field


def write_varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


def write_value(kind: int, value) -> bytes:
    if isinstance(value, Encoded):
        return value
    if kind in (BOOL_TRUE, BOOL_FALSE):
        return bytes([1 if value else 2])
    if kind == BYTE:
        return bytes([value & 0xFF])
    if kind in INTEGERS:
        return write_varint(zigzag(value))
    if kind == DOUBLE:
        return struct.pack("<d", value)
    if kind == BINARY:
        return write_varint(len(value)) + value
    if kind in (LIST, SET):
        element, items = value
        head = (bytes([len(items) << 4 | element]) if len(items) < 15
                else bytes([0xF0 | element]) + write_varint(len(items)))
        return head + b"".join(write_value(element, item) for item in items)
    if kind == MAP:
        key_kind, value_kind, pairs = value
        if not pairs:
            return b"\x00"
        return (write_varint(len(pairs)) + bytes([key_kind << 4 | value_kind])
                + b"".join(write_value(key_kind, k) + write_value(value_kind, v)
                           for k, v in pairs))
    if kind == STRUCT:
        return write_struct(value)
    raise ValueError(f"unknown compact type {kind}")


def write_struct(fields: dict) -> bytes:
    out, last = bytearray(), 0
    for field, (kind, value) in fields.items():
        if kind in (BOOL_TRUE, BOOL_FALSE):
            kind = BOOL_TRUE if value else BOOL_FALSE
        out += (bytes([(field - last) << 4 | kind]) if 0 < field - last <= 15
                else bytes([kind]) + write_varint(zigzag(field)))
        if kind not in (BOOL_TRUE, BOOL_FALSE):
            out += write_value(kind, value)
        last = field
    return bytes(out + b"\x00")


# --- Parquet ---------------------------------------------------------------------------------

MAGIC = b"PAR1"


def split_parquet(data: bytes) -> tuple[bytes, dict]:
    """A Parquet file's bytes before its footer, and its footer (FileMetaData) decoded."""
    length = int.from_bytes(data[-8:-4], "little")
    footer, end = read_struct(data[-8 - length:-8])
    assert end == length and data[-4:] == MAGIC
    return data[:-8 - length], footer


def join_parquet(body: bytes, footer: dict) -> bytes:
    encoded = write_struct(footer)
    return body + encoded + len(encoded).to_bytes(4, "little") + MAGIC


def column_chunks(footer: dict):
    """Each column chunk's ColumnMetaData (field 3 of ColumnChunk), in file order."""
    for row_group in footer[4][1][1]:
        for chunk in row_group[1][1][1]:
            yield chunk[3][1]


def chunk_start(meta: dict) -> int:
    """Where a column chunk begins: its dictionary page, if it has one, else its first data
    page."""
    data_page = meta[9][1]
    dictionary = meta.get(11, (I64, 0))[1]
    return dictionary if 0 < dictionary < data_page else data_page


def page_headers(data: bytes, meta: dict):
    """Each page of a column chunk: (its header decoded, where its header begins, where its
    page data begins)."""
    pos = chunk_start(meta)
    end = pos + meta[7][1]
    while pos < end:
        header, after = read_struct(data, pos)
        yield header, pos, after
        pos = after + header[3][1]


def rewrite_pages(data: bytes, change) -> bytes:
    """The Parquet file with ``change(header)`` applied to every page header, its pages laid
    out anew and the footer's offsets and sizes moved to match."""
    _, footer = split_parquet(data)
    out = bytearray(MAGIC)
    for row_group in footer[4][1][1]:
        for chunk in row_group[1][1][1]:
            meta, start, first_data = chunk[3][1], len(out), None
            for header, _, after in page_headers(data, meta):
                page = data[after:after + header[3][1]]
                if header[1][1] == 2:  # a dictionary page
                    meta[11] = (I64, len(out))
                elif first_data is None:
                    first_data = meta[9] = (I64, len(out))
                change(header)
                out += write_struct(header) + page
            meta[7] = (I64, len(out) - start)
    return join_parquet(bytes(out), footer)
