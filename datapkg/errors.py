"""Every error the package raises on purpose. Each derives from ``DatapkgError``; the command
line reports any of them as a message and exit code 1, never as a traceback. Imports nothing
from the package."""

from __future__ import annotations

from dataclasses import dataclass


class DatapkgError(Exception):
    """Base of the package's errors."""


class LoadError(DatapkgError):
    """A published file is missing, unreadable, unsafe or not what the registry declares."""


class UnsafeFile(LoadError):
    """A path or file that the package may not use: outside it, a link, not a regular file,
    or larger than allowed."""


class UnsafeOutput(DatapkgError):
    """A place no command may write: a file name that is not a plain name, a link, or a
    folder holding files the command did not write (which replacing it would delete)."""


class DecodeBomb(LoadError):
    """A file that would cost far more than its size to decode: a decompression, run-length or
    dictionary bomb, or a footer too large for its file."""


class ColumnCount(LoadError):
    """A table file with more or fewer columns than its table: ``found`` of them."""

    def __init__(self, message: str, found: int):
        super().__init__(message)
        self.found = found


class CurationError(DatapkgError, ValueError):
    """A curation script or one of its records breaks a rule; the message names the script
    and the record."""


class EvidenceError(CurationError):
    """A quote is missing from the seed, or ambiguous without a disambiguation."""


class SeedError(CurationError):
    """The seed's bytes are not the ones the curation was made from."""


class UsageError(DatapkgError, ValueError):
    """A value the package refuses: an unknown format given to a function or a command, a
    revision that names no package, a changelog without an entry for the version it builds.
    A ``ValueError``, as Python's own functions raise for such a value; a ``ValueError`` that
    is not one is a fault of the package's, which the command line reports as unexpected."""


class FormatError(DatapkgError):
    """A file in brat, Web Annotation or PLOVER format that cannot be read; the message names
    the file, the line (or the annotation or record) and what is wrong."""


class InvalidPackage(DatapkgError):
    """A package with validation failures, where a valid one is needed."""

    def __init__(self, failures: list):
        super().__init__(f"{len(failures)} validation failure(s)")
        self.failures = failures


# --- failures: what validation reports -----------------------------------------------------

# Every failure carries one of these codes: stable names that scripts and tests match (the
# message may be reworded; a code is not), each in the layer of checks it belongs to. A rule
# of ``datapkg.rules`` reports as ``rule-`` and its function's name with hyphens.
FAILURE_CODES: dict[str, tuple[str, str]] = {
    # files: the descriptor, Croissant and every file they name
    "metadata-unreadable": ("files", "a metadata file (descriptor, Croissant) cannot be read "
                                     "safely, or is not JSON"),
    "metadata-shape": ("files", "a metadata document or an entry of it lacks a key, or holds a "
                                "value of the wrong JSON type"),
    "created-format": ("files", "the descriptor's created is not an ISO 8601 date-time in UTC"),
    "resource-duplicate": ("files", "two resources share a name"),
    "resource-path": ("files", "a path is not the one its table must have, or leaves the "
                               "package, or is a link or not a regular file"),
    "resource-missing": ("files", "a table lacks its CSV or its Parquet resource"),
    "resource-unknown": ("files", "a resource that is neither a table's file nor a source's seed"),
    "file-missing": ("files", "a file the descriptor names does not exist"),
    "file-unreadable": ("files", "a file cannot be read as the package's files are read"),
    "hash-mismatch": ("files", "a declared sha256 differs from the file's"),
    "bytes-mismatch": ("files", "a declared size differs from the file's, or the file is "
                                "larger than declared"),
    "schema-path": ("files", "a resource does not name its table's Table Schema"),
    "schema-stale": ("files", "a Table Schema differs from the registry's"),
    "csv-encoding": ("files", "a CSV is not UTF-8 without a byte-order mark, with LF line ends"),
    "column-order": ("files", "a file's columns are not the registry's, in its order"),
    "parquet-unreadable": ("files", "a Parquet file cannot be read"),
    "parquet-type": ("files", "a Parquet column's type is not the registry's"),
    "parquet-metadata": ("files", "a Parquet file's pandas metadata is not what the build writes"),
    "table-unreadable": ("files", "a table file cannot be parsed, or would decode to far more "
                                  "than its size"),
    # formats: the Parquet file against the CSV of the same table
    "formats-columns": ("formats", "the two formats have different columns"),
    "formats-row-unmatched": ("formats", "a row's key is in one format only"),
    "formats-value": ("formats", "a cell differs between the formats"),
    "edited-cell": ("formats", "a cell of a file changed since the build, which its unchanged "
                               "twin in the other format shows"),
    "formats-key-duplicated": ("formats", "a key is held by more than one row of one format"),
    "formats-row-count": ("formats", "the formats have different numbers of rows"),
    "formats-dtypes": ("formats", "the formats load with different column types"),
    # tables: each table against its schema (pandera)
    "cell-type": ("tables", "a cell is not of its column's type"),
    "required": ("tables", "a required cell is null"),
    "empty-string": ("tables", "a text cell is empty (null is how a missing value is written)"),
    "enum": ("tables", "a cell is not one of its column's values"),
    "pattern": ("tables", "a cell does not match its column's pattern, whole (a final newline "
                          "is no match)"),
    "control-character": ("tables", "a text cell holds a control character other than tab and "
                                    "newline (NUL, escape, carriage return, DEL, a C1 control), "
                                    "which readers of CSV (R, C, a terminal) take differently"),
    "minimum": ("tables", "a number is below its column's minimum"),
    "maximum": ("tables", "a number is above its column's maximum"),
    "primary-key": ("tables", "two rows share a primary key"),
    "schema-check": ("tables", "any other check of the table's schema"),
    # keys
    "foreign-key": ("keys", "a reference names no row of the table it points to"),
    # provenance: the data against its article
    "seed-path": ("provenance", "a source's seed is not a file inside the package"),
    "seed-hash": ("provenance", "a seed's bytes do not hash to its source's sha256"),
    "seed-encoding": ("provenance", "a seed is not UTF-8"),
    "span-text": ("provenance", "a span's text is not the seed's slice at its offsets"),
    # metadata
    "version-mismatch": ("metadata", "the version is not the same in every place that states it"),
    # curation: a checkout against its own scripts
    "curation-fails": ("curation", "the curation scripts do not run"),
    "generated-stale": ("curation", "a generated file differs from a rebuild"),
    "rebuild-columns": ("curation", "a published table's columns differ from a rebuild's"),
    "rebuild-row-unmatched": ("curation", "a published row's key is not in a rebuild, or the "
                                          "reverse"),
    "rebuild-value": ("curation", "a published cell differs from a rebuild's"),
    "rebuild-key-duplicated": ("curation", "a key is held by more than one published row"),
    "rebuild-row-count": ("curation", "a published table has a different number of rows than a "
                                      "rebuild"),
    "rebuild-dtypes": ("curation", "a published table loads with other column types than a "
                                   "rebuild"),
}

RULE_PREFIX = "rule-"


def rule_code(name: str) -> str:
    """The failure code of a rule of ``datapkg.rules``, from its function's name."""
    return RULE_PREFIX + name.replace("_", "-")


def layer_of(code: str) -> str:
    return "rules" if code.startswith(RULE_PREFIX) else FAILURE_CODES[code][0]


@dataclass(frozen=True, order=True)
class Failure:
    """One thing wrong with a package, and where: a stable code, the file, the table, the row's
    key, the column, the value, and the rule in words (with a hint where one fix is known)."""
    code: str
    file: str
    table: str
    row: str
    column: str
    value: str
    rule: str
    hint: str = ""

    @property
    def layer(self) -> str:
        return layer_of(self.code)

    def __str__(self) -> str:
        where = " | ".join(x or "-" for x in (self.file, self.table, self.row, self.column))
        hint = f"\n      fix: {self.hint}" if self.hint else ""
        return f"[{self.layer}:{self.code}] {where} | value {self.value} | {self.rule}{hint}"
