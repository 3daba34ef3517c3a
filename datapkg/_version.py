"""The package's version, written once, here: the package metadata, the descriptor, Croissant,
the citation files and the codebook take it from this module (RELEASING.md)."""

__version__ = "0.1.0"
