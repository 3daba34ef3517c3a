"""News articles on the China–Afghanistan–Pakistan dialogue, curated into linked tables.

    >>> import datapkg
    >>> tables = datapkg.load()              # every table, typed, from Parquet
    >>> actors = datapkg.load_table("actors", format="csv")
    >>> datapkg.tables()                     # table name → title
    >>> datapkg.describe("actors")           # the codebook's columns of one table
    >>> datapkg.commitments_by_state()       # ready views: the joins most questions take

``datapkg.version`` and ``datapkg.__version__`` are the version, a string.

Importing this package reads no file and imports neither pandas nor pyarrow;
they are imported when a table is first loaded.
"""

from datapkg._version import __version__

version = __version__  # a string, as users expect; the module that states it is _version

__all__ = ["__version__", "acts_by_state", "article", "cite", "codebook_path",
           "commitments_by_state", "data_dir", "datasheet_path", "describe", "dtypes", "export",
           "load", "load_table", "persons_with_states", "scoring_example_path",
           "statements_with_speakers", "table_names", "tables", "version"]


def load(format: str = "parquet", path=None, verify: bool = True):
    """Return every table as ``{name: DataFrame}`` with the declared dtypes. Each file is
    checked against the sha256 (and size) its ``datapackage.json`` states before it is read;
    ``verify=False`` loads files changed on purpose."""
    from datapkg.loader import load as _load

    return _load(format=format, path=path, verify=verify)


def load_table(name: str, format: str = "parquet", path=None, verify: bool = True):
    """Return one table as a DataFrame with the declared dtypes; its ``attrs`` hold the
    table's title and the codebook's column descriptions."""
    from datapkg.loader import load_table as _load_table

    return _load_table(name, format=format, path=path, verify=verify)


def table_names() -> list[str]:
    """Names of the published tables, in package order."""
    from datapkg.registry import TABLES

    return list(TABLES)


def tables() -> dict[str, str]:
    """Table name → title, in package order."""
    from datapkg.about import tables as _tables

    return _tables()


def describe(name: str):
    """The columns of one table as a DataFrame: column, type, required, unit, description.
    Printed, it shows every description whole, whatever the display width."""
    from datapkg.about import describe as _describe

    return _describe(name)


def article(source_id: str | None = None, path=None, verify: bool = True) -> str:
    """The article's text, byte for byte as curated: ``text[start:end]`` is a row's span."""
    from datapkg.about import article as _article

    return _article(source_id, path=path, verify=verify)


def cite(format: str = "plain", path=None) -> str:
    """How to cite this version: ``plain``, ``bibtex``, ``biblatex`` or ``csl-json``."""
    from datapkg.about import cite as _cite

    return _cite(format, path=path)


def export(format: str, out, path=None, verify: bool = True) -> list:
    """Write the package in one of the formats of its field into the folder ``out``: ``brat``
    (standoff ``.txt`` + ``.ann`` per article), ``webanno`` (W3C Web Annotation JSON-LD, one
    AnnotationCollection per article) or ``plover`` (PLOVER event records, one per act, JSON
    Lines). Returns the paths written. Each file is a plain name inside ``out``: a source id
    that would name a file elsewhere is refused before anything is written, a link in ``out``
    is replaced rather than written through, and nothing else in ``out`` is touched."""
    from datapkg.formats import export as _export

    return _export(format, out, path=path, verify=verify)


def codebook_path():
    """The codebook (Markdown): every table and column, its type, constraints and meaning."""
    from datapkg.paths import CODEBOOK, shipped

    return shipped(CODEBOOK)


def datasheet_path():
    """The datasheet (Markdown): motivation, composition, curation, known gaps, maintenance."""
    from datapkg.paths import DATASHEET, shipped

    return shipped(DATASHEET)


def scoring_example_path():
    """The worked scoring example: a folder of brat predictions whose scores against the gold
    ``tests/test_score.py`` counts by hand (``datapkg score`` it to see the report)."""
    from datapkg.paths import SCORING_EXAMPLE, shipped

    return shipped(SCORING_EXAMPLE)


def data_dir():
    """The folder holding the published files (``datapackage.json``, CSV, Parquet, seeds)."""
    from datapkg.package import default_data_dir

    return default_data_dir()


def dtypes(name: str) -> dict:
    """Column → pandas dtype of one table, for reading its CSV with other tools:
    ``pd.read_csv(path, dtype=datapkg.dtypes(name), keep_default_na=False, na_values=[""])``."""
    from datapkg.registry import table
    from datapkg.typemap import pandas_dtypes

    return pandas_dtypes(table(name))


# --- ready views: plain DataFrames built from the published tables (datapkg/views.py) -------

def commitments_by_state(path=None, verify: bool = True):
    """One row per commitment, committing party and state that party resolves to (a group or
    a person resolved through ``actor_closure``; a party reaching no state: state null)."""
    from datapkg.views import commitments_by_state as _view

    return _view(path=path, verify=verify)


def statements_with_speakers(path=None, verify: bool = True):
    """One row per statement and speaker (one, speaker null, for the article's own
    assessment): the relay chain, each quote type, and whether the speaker's own words are
    quoted verbatim (``verbatim``: every link down to the speaker is direct)."""
    from datapkg.views import statements_with_speakers as _view

    return _view(path=path, verify=verify)


def acts_by_state(path=None, verify: bool = True):
    """One row per act, party (actor or recipient) and state that party resolves to; an act
    with no party, or a party reaching no state, keeps a row with nulls."""
    from datapkg.views import acts_by_state as _view

    return _view(path=path, verify=verify)


def persons_with_states(path=None, verify: bool = True):
    """One row per person and state the person resolves to through ``actor_closure``."""
    from datapkg.views import persons_with_states as _view

    return _view(path=path, verify=verify)
