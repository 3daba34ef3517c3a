"""Every file a command writes: the package (CSV, Parquet, seeds, schemas and descriptor, all
or nothing), the site, the exports, a new source's seed and script, and the files generated
beside the package.

Every output path is a plain file name checked against its folder (``plain_name``), written
to a new file and renamed into place within that folder, never through a link
(``write_files``); a folder is replaced whole only when it holds nothing but what an earlier
run wrote there (``replace_directory``). No command deletes what it did not write.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import itertools
import json
import os
import secrets
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from datapkg.citation import citation, dataset_bibtex
from datapkg.croissant import croissant
from datapkg.descriptor import descriptor, schema_path, table_schema, to_json
from datapkg.errors import DatapkgError, UnsafeOutput
from datapkg.files import MAX_METADATA_BYTES, read_bytes, read_inside
from datapkg.loader import to_pandas
from datapkg.registry import TABLES

PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, version="2.6",
                       use_dictionary=True, write_statistics=True)


# --- every file: a plain name in its folder, never written through a link -----------------

# Characters no output file name may hold: control characters (NUL among them), format
# characters (invisible, or reordering what is shown) and line and paragraph separators.
NOT_IN_A_NAME = ("Cc", "Cf", "Zl", "Zp")
Content = bytes | bytearray | memoryview | pa.Buffer


def plain_name(name: object, folder: Path) -> str:
    """``name`` if it is a plain file name, so that ``folder / name`` is a file directly
    inside ``folder``: a non-empty string, not ``.`` or ``..``, with no separator (``/`` or
    ``\\``, so nothing absolute either) and no character of ``NOT_IN_A_NAME``. Otherwise
    ``UnsafeOutput``, naming the folder and the name."""
    if not isinstance(name, str) or name in ("", ".", ".."):
        raise UnsafeOutput(f"{folder}: refusing to write a file named {name!r}: a file name "
                           f"must be a non-empty name, not . or ..")
    bad = next((c for c in name if c in "/\\" or unicodedata.category(c) in NOT_IN_A_NAME),
               None)
    if bad is not None:
        raise UnsafeOutput(f"{folder}: refusing to write a file named {name!r}: it holds "
                           f"{bad!r}; a file is written only by a plain name, inside its folder")
    return name


@contextlib.contextmanager
def opened_folder(folder: Path) -> Iterator[int]:
    """A descriptor of ``folder``, made if missing; a folder that is a link, or no folder,
    is refused. Files are renamed into place relative to it, so each lands in this folder
    even if its path is changed meanwhile."""
    folder = Path(folder)
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            raise UnsafeOutput(f"{folder}: refusing to write into a link; give the folder it "
                               f"points to")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise UnsafeOutput(f"{folder}: cannot write into it: {exc.strerror}") from None
    try:
        yield fd
    finally:
        os.close(fd)


def write_files(folder: Path, files: Iterable[tuple[str, Content | Callable[[], Content]]],
                replace: bool = True) -> list[Path]:
    """Write each (name, bytes) into ``folder`` (made if missing); bytes may be given as a
    function that makes them when the file is written. Every name is checked by
    ``plain_name``, and two files may not share one, before a byte is written. With
    ``replace``, each file is written whole to a new temporary file and renamed into place,
    which replaces a link of that name rather than following it; without, a file is created
    only where nothing has its name. Nothing else in the folder is touched. Returns the paths
    written."""
    # Every output path: a plain file name under the folder, never written through a link.
    folder = Path(folder)
    files = list(files)
    names = [plain_name(name, folder) for name, _ in files]
    repeated = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if repeated is not None:
        raise UnsafeOutput(f"{folder}: two files would be named {repeated!r}")
    with opened_folder(folder) as fd:
        for name, content in files:
            data = content() if callable(content) else content
            (put if replace else create)(fd, folder, name, data)
    return [folder / name for name in names]


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def put(fd: int, folder: Path, name: str, data: Content) -> None:
    """``data`` at ``name`` in the folder open as ``fd``: a new file, renamed over the name.
    The rename is made within ``fd``, so the file lands in that folder or nowhere."""
    temporary = f".tmp-{secrets.token_hex(8)}"
    handle = os.open(folder / temporary, NEW_FILE, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=fd)
        raise


def create(fd: int, folder: Path, name: str, data: Content) -> None:
    """``data`` in a new file ``name`` of the folder open as ``fd``; refused where anything,
    a link included, has that name already."""
    try:
        handle = os.open(folder / name, NEW_FILE, 0o644)
    except FileExistsError:
        raise UnsafeOutput(f"{folder / name}: exists already; nothing was replaced") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=fd)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Replace one file atomically (see ``write_files``)."""
    write_files(path.parent, [(path.name, data)])


# --- the package ------------------------------------------------------------------------------

def csv_bytes(table: pa.Table) -> pa.Buffer:
    """UTF-8, LF, header row, strings quoted, nulls empty, booleans true/false, ISO dates."""
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(
        include_header=True, quoting_style="needed", eol="\n"))
    return sink.getvalue()


def parquet_bytes(table: pa.Table) -> pa.Buffer:
    """Parquet with pandas metadata, so any pandas reader gets the declared dtypes back
    (nullable integers stay integers); the registry's Arrow schema is kept as is."""
    frame = to_pandas(table)
    table = pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False, nthreads=1)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_OPTIONS)
    return sink.getvalue()


def write_csv(table: pa.Table, path: Path) -> None:
    write_file(path, csv_bytes(table))


def write_parquet(table: pa.Table, path: Path) -> None:
    write_file(path, parquet_bytes(table))


def write_package(tables: dict[str, pa.Table], seeds: dict[str, Path], directory: Path,
                  created: str, released: bool = False) -> None:
    """Write every file of the package into ``directory`` (which must be empty); a package
    not ``released`` is cited with no release date."""
    files = {}

    def written(name: str, data: Content) -> tuple[str, Content]:
        files[name] = len(data), hashlib.sha256(data).hexdigest()
        return Path(name).name, data

    write_files(directory / "schemas", [(Path(schema_path(name)).name,
                                         to_json(table_schema(TABLES[name]))) for name in tables])
    for name, table in tables.items():
        write_files(directory, [written(f"{name}.csv", csv_bytes(table))])
        write_files(directory, [written(f"{name}.parquet", parquet_bytes(table))])
    for seed in seeds.values():
        write_files(directory / "seeds", [written(f"seeds/{seed.name}", seed.read_bytes())])
    sources = tables["sources"].to_pylist()
    cite_as = dataset_bibtex(citation(sources, created if released else None))
    write_files(directory, [
        ("datapackage.json", to_json(descriptor(files, sources, created, released))),
        ("croissant.json", to_json(croissant(files, cite_as, created, sources)))])


@contextlib.contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One build at a time per target directory's parent: a second waits for the first."""
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths in one atomic step (Linux)
AT_FDCWD = -100


# renameat2 failing with these means "not supported here" (old kernel, C library or file
# system); any other error is a real failure and is raised.
UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, f"cannot exchange {a} and {b}: {os.strerror(code)}")


def set_aside(staged: Path) -> Path:
    """Where the three-rename swap parks the old ``target`` inside the staging directory."""
    return staged.with_name(staged.name + ".old")


def swap_in(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``, at no moment leaving ``target`` missing or half-written
    where the system can exchange paths atomically; the old contents end up at ``new``.
    Elsewhere three renames do it, and a build killed between them leaves the old
    ``target`` set aside, where ``clear_leftovers`` puts it back."""
    if not target.exists():
        os.rename(new, target)
    elif not exchange(new, target):
        os.rename(target, set_aside(new))
        os.rename(new, target)
        os.rename(set_aside(new), new)


# --- whole folders: replaced only when everything in them is what an earlier run wrote -----

STAGING = ".datapkg-staging"  # marks a staging directory as this module's own
MANIFEST = ".written-by-datapkg"  # in a folder written whole (a site): the files it holds
MANIFEST_HEADER = ("Written by datapkg: the files below. `datapkg render` replaces this folder "
                   "whole only while it holds nothing else.\n")


def staging_directory(target: Path) -> Path:
    """A new directory beside ``target`` to write its replacement in, marked as ours."""
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
    (staging / STAGING).touch()
    return staging


def clear_leftovers(target: Path) -> None:
    """Undo what a killed build left beside ``target``: an old package set aside goes back
    to its place if nothing took it, and its staging directories are removed. A directory
    of that name without the mark is someone else's and is left alone (an empty one is ours,
    killed before it was marked)."""
    for leftover in sorted(target.parent.glob(f"{target.name}.tmp-*")):
        try:
            ours = stat.S_ISREG(os.lstat(leftover / STAGING).st_mode)
        except OSError:
            ours = False
        if not ours:
            with contextlib.suppress(OSError):
                leftover.rmdir()
            continue
        parked = set_aside(leftover / "package")
        if parked.is_dir() and not target.exists():
            os.rename(parked, target)
        shutil.rmtree(leftover, ignore_errors=True)


def with_manifest(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` and the manifest that lists them (itself included), for a folder written
    whole: a later run may replace what it lists, and nothing else."""
    listing = "".join(f"{name}\n" for name in sorted({*files, MANIFEST}))
    return {**files, MANIFEST: (MANIFEST_HEADER + listing).encode("utf-8")}


def manifest_files(directory: Path) -> set[str]:
    """The files a folder's manifest says a run wrote there; none without a readable one."""
    try:
        text = read_bytes(directory / MANIFEST, MAX_METADATA_BYTES).decode("utf-8")
    except (DatapkgError, OSError, UnicodeDecodeError):
        return set()
    header, _, listing = text.partition("\n")
    return set(listing.splitlines()) if f"{header}\n" == MANIFEST_HEADER else set()


def package_files(directory: Path) -> set[str]:
    """The files of the package in ``directory``: its descriptor, its Croissant metadata,
    and every file and schema its descriptor names; none without a readable descriptor."""
    try:
        document = json.loads(read_inside(directory, "datapackage.json", MAX_METADATA_BYTES))
    except (DatapkgError, OSError, ValueError, RecursionError):
        return set()
    resources = document.get("resources") if isinstance(document, dict) else None
    named = {resource.get(key) for resource in resources if isinstance(resource, dict)
             for key in ("path", "schema")} if isinstance(resources, list) else set()
    return {"datapackage.json", "croissant.json"} | {n for n in named if isinstance(n, str)}


def strangers(target: Path, declared: set[str]) -> Iterator[str]:
    """Everything below ``target`` (relative, with ``/``) that is neither a ``declared`` file
    nor a folder holding one; links are not followed. Lazily: the first is found at once."""
    allowed = set(declared) | {str(parent) for name in declared
                               for parent in PurePosixPath(name).parents}

    def unlistable(exc: OSError):
        raise UnsafeOutput(f"{exc.filename}: cannot be listed: {exc.strerror}")

    for folder, directories, files in os.walk(target, onerror=unlistable):
        for name in sorted(directories) + sorted(files):
            relative = PurePosixPath(os.path.relpath(os.path.join(folder, name), target))
            if str(relative) not in allowed:
                yield str(relative)


def check_replaceable(target: Path, declared: Callable[[Path], set[str]], what: str) -> None:
    """Refuse (``UnsafeOutput``) to replace ``target`` unless it is missing, an empty folder,
    or holds nothing but the files it declares an earlier run wrote (``declared``: a
    package's descriptor, a site's manifest)."""
    # No command deletes a folder, or a file, that it did not write.
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UnsafeOutput(f"{target}: refusing to replace a link; give the folder it points to")
    if not stat.S_ISDIR(mode):
        raise UnsafeOutput(f"{target}: refusing to replace something that is not a folder")
    found = list(itertools.islice(strangers(target, declared(target)), 4))
    if found:
        shown = ", ".join(map(repr, found[:3])) + (", …" if len(found) > 3 else "")
        raise UnsafeOutput(f"{target}: refusing to replace a folder that holds what no earlier "
                           f"{what} wrote there ({shown}); give a new or empty folder, or move "
                           f"those away; nothing was changed")


def replace_directory(target: Path, fill: Callable[[Path], None],
                      declared: Callable[[Path], set[str]], what: str) -> None:
    """Write a new ``target`` with ``fill`` beside it, then swap it in; on any failure, or if
    the process is killed, the old ``target`` stays exactly as it was. An existing ``target``
    is replaced only as ``check_replaceable`` allows, before anything is written."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(target):
        clear_leftovers(target)
        check_replaceable(target, declared, what)
        staging = staging_directory(target)
        try:
            fill(staging / "package")
            swap_in(staging / "package", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
