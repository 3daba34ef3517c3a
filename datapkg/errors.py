"""Every error the package raises on purpose. Each derives from ``DatapkgError``; the command
line reports any of them as a message and exit code 1, never as a traceback. Imports nothing
from the package."""

from __future__ import annotations


class DatapkgError(Exception):
    """Base of the package's errors."""


class LoadError(DatapkgError):
    """A published file is missing, unreadable, unsafe or not what the registry declares."""


class UnsafeFile(LoadError):
    """A path or file that the package may not use: outside it, a link, not a regular file,
    or larger than allowed."""


class CurationError(DatapkgError, ValueError):
    """A curation script or one of its records breaks a rule; the message names the script
    and the record."""


class EvidenceError(CurationError):
    """A quote is missing from the seed, or ambiguous without a disambiguation."""


class SeedError(CurationError):
    """The seed's bytes are not the ones the curation was made from."""


class InvalidPackage(DatapkgError):
    """A package with validation failures, where a valid one is needed."""

    def __init__(self, failures: list):
        super().__init__(f"{len(failures)} validation failure(s)")
        self.failures = failures
