"""The one way to open a file of a package: inside the package, no links, a regular file, its
size known and bounded before anything is read. Every reader (loader, validator, renderer,
diff) goes through here; pandas and pyarrow are given bytes, never a path.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from datapkg.errors import LoadError, UnsafeFile

# Documented caps for files whose size nothing declares (docs/security.md).
MAX_METADATA_BYTES = 16 * 2**20  # datapackage.json, croissant.json, a Table Schema
MAX_TABLE_BYTES = 2 * 2**30  # one CSV or Parquet file
MAX_SEED_BYTES = 64 * 2**20  # one article
CHUNK = 2**20
READ_AT_ONCE = 2**30  # below Linux's 2 GiB bound on one read


def inside(directory: Path, relative: object) -> Path:
    """``directory / relative``, refusing anything but a relative path, written with forward
    slashes, that stays inside ``directory`` and passes through no link."""
    if not isinstance(relative, str) or not relative:
        raise UnsafeFile(f"{directory}: a package path must be a non-empty string, "
                         f"not {relative!r}")
    if "\x00" in relative or "\\" in relative:
        raise UnsafeFile(f"{directory}: refusing the path {relative!r} (NUL or backslash)")
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if relative.startswith("/") or ".." in parts:
        raise UnsafeFile(f"{directory}: refusing the path {relative!r}: it must be relative and "
                         f"stay inside the package")
    path = os.fspath(directory)
    for part in parts:
        path = os.path.join(path, part)
        try:
            is_link = stat.S_ISLNK(os.lstat(path).st_mode)
        except FileNotFoundError:
            break  # reported when it is opened
        except OSError as exc:
            raise UnsafeFile(f"{path}: cannot be inspected: {exc.strerror}") from None
        if is_link:
            raise UnsafeFile(f"{path}: refusing a file that is a link")
    return Path(directory) / relative


def open_regular(path: Path, limit: int) -> tuple[int, int]:
    """An open descriptor of ``path`` and its size, refusing links, anything that is not a
    regular file (FIFOs, devices, directories) and sizes beyond ``limit``; opening never
    blocks."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise LoadError(f"{path}: file not found") from None
    except ValueError as exc:  # a NUL in the path
        raise UnsafeFile(f"{path!r}: {exc}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(f"{path}: refusing a file that is a link") from None
        raise LoadError(f"{path}: cannot be opened: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnsafeFile(f"{path}: not a regular file")
    if info.st_size > limit:
        os.close(fd)
        raise UnsafeFile(f"{path}: {info.st_size} bytes, more than the {limit} allowed")
    return fd, info.st_size


def chunks(fd: int, size: int, limit: int, read: int = 0):
    """The file's bytes in chunks, never more than ``limit`` in all, ``read`` bytes having
    been read before (a file that grows while it is read is refused)."""
    while True:
        block = os.read(fd, min(CHUNK, limit + 1 - read))
        if not block:
            return
        read += len(block)
        if read > limit:
            raise UnsafeFile(f"file grew beyond {limit} bytes while it was read")
        yield block


def read_bytes(path: Path, limit: int) -> bytes:
    """The whole file, bounded by ``limit`` (see ``open_regular``): read at once where it
    is the size it had when opened (one copy, not one per chunk and another to join them),
    then in chunks whatever more it holds."""
    fd, size = open_regular(path, limit)
    try:
        data = os.read(fd, min(size, READ_AT_ONCE))
        more = list(chunks(fd, size, limit, read=len(data)))
        return data + b"".join(more) if more else data
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def digest(path: Path, limit: int) -> tuple[int, str]:
    """Size and sha256 of the file, hashed in a stream (see ``open_regular``)."""
    fd, _ = open_regular(path, limit)
    sha, size = hashlib.sha256(), 0
    try:
        for block in chunks(fd, 0, limit):
            sha.update(block)
            size += len(block)
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
    return size, sha.hexdigest()


def utf8_text(data: bytes, where: object) -> str:
    """``data`` decoded as UTF-8, or ``LoadError`` naming ``where`` and the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{where}: not UTF-8: {exc}") from None


def utf8_file(path: Path) -> str:
    """A file of the checkout (the changelog, the citation files), read whole as UTF-8."""
    return utf8_text(path.read_bytes(), path)


def read_inside(directory: Path, relative: object, limit: int) -> bytes:
    """A package file by its relative path: ``inside`` then ``read_bytes``."""
    return read_bytes(inside(directory, relative), limit)


def read_promised(path: Path, sha256: str, size: int | None, limit: int) -> bytes:
    """The whole file, refused before anything parses it unless its size (where given) and
    its sha256 are the ones its package's descriptor states."""
    return b"".join(promised_blocks(path, sha256, size, limit))


def promised_blocks(path: Path, sha256: str, size: int | None, limit: int) -> Iterator[bytes]:
    """The file a block at a time, never held whole, refused (``LoadError``) unless its size
    (where given) and its sha256 are the ones its package's descriptor states."""
    fd, actual = open_promised(path, size, limit)
    try:
        yield from verified(path, chunks(fd, actual, limit if size is None else size), sha256)
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def open_promised(path: Path, size: int | None, limit: int) -> tuple[int, int]:
    """``open_regular``, refusing a file whose size is not the one its descriptor states
    (where it states one)."""
    fd, actual = open_regular(path, limit)
    if size is not None and actual != size:
        os.close(fd)
        raise LoadError(changed(path, f"it has {actual} bytes, the descriptor states {size}"))
    return fd, actual


def verified(path: Path, blocks: Iterable[bytes], sha256: str) -> Iterator[bytes]:
    """``blocks`` as they come, but the last held back until the sha256 of them all is the
    one the descriptor states (``LoadError`` otherwise): a changed file never arrives whole."""
    sha, held = hashlib.sha256(), None
    for block in blocks:
        sha.update(block)
        if held is not None:
            yield held
        held = block
    found = sha.hexdigest()
    if found != sha256:
        raise LoadError(changed(path, f"sha256 {found}, the descriptor states sha256:{sha256}"))
    if held is not None:
        yield held


def changed(path: Path, difference: str) -> str:
    return (f"{path}: not the published file ({difference}); get a fresh copy of the package, "
            f"or pass verify=False to load a file you changed on purpose")
