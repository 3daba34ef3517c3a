import re

from datapkg.registry import ACTOR_ID_PATTERN, CORPUS_TABLES, ID_PATTERN, TABLES

# What a pattern may be made of, so that Python's re, RE2 and XML Schema read it alike: an
# escaped metacharacter, a class of literal characters and ranges, a counted repeat, a repeat,
# a group, an alternation, or a literal character (never ``^``, ``$``, ``.`` or a ``\d``,
# ``\s`` or ``\w`` class, whose meanings differ between them).
PORTABLE = re.compile(r"""(?:
    \\[.\-\[\]]
  | \[\^?(?:\\[.\-\[\]]|[^\\\[\]])+\]
  | \{[0-9]+(?:,[0-9]*)?\}
  | [?*+()|]
  | [A-Za-z0-9_@>/:%&'!,;=~\#-]
)*""", re.X)


def top_level_alternation(pattern: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return True
    return False


def test_every_pattern_is_written_as_xml_schema_writes_it():
    """Whole-value patterns, as a Table Schema's ``pattern`` is read (XML Schema's implicit
    anchoring): no ``^`` or ``$``, no alternation outside a group (a reader that anchors by
    writing ``^…$`` around it must anchor every branch), and only syntax that Python, RE2 and
    XML Schema read alike. tests/test_properties.py holds the engines to one answer."""
    patterns = {f.pattern for t in TABLES.values() for f in t.fields if f.pattern}
    assert patterns
    assert sorted(p for p in patterns if not PORTABLE.fullmatch(p)) == []
    assert sorted(p for p in patterns if not (p.isascii() and p.isprintable())) == []
    assert sorted(p for p in patterns if top_level_alternation(p)) == []
    assert all(re.compile(p) for p in patterns)


def test_keys_name_existing_columns():
    for table in TABLES.values():
        assert set(table.primary_key) <= set(table.columns), table.name
        for key in table.foreign_keys:
            assert set(key.fields) <= set(table.columns), (table.name, key)
            assert set(key.reference) <= set(TABLES[key.table].columns), (table.name, key)


def test_every_table_but_the_corpus_tables_is_keyed_by_source():
    assert set(CORPUS_TABLES) == {"actors", "actor_members", "actor_closure", "code_crosswalk"}
    for table in TABLES.values():
        if table.name in CORPUS_TABLES:
            assert not any(k.table == "sources" for k in table.foreign_keys), table.name
            continue
        assert table.columns[0] == "source_id"
        if table.name != "sources":
            assert any(k.table == "sources" for k in table.foreign_keys), table.name


def test_id_columns_share_two_conventions_actors_and_the_rest():
    """An id that joins to actors is a corpus-wide name; every other id carries its source's
    serial."""
    for t in TABLES.values():
        for f in t.fields:
            if not f.name.endswith("_id") or f.name == "source_id":
                continue
            to_actors = f.name in ("affiliation_id", "member_id", "whose_id", "actor_id") or any(
                k.table == "actors" and f.name in k.fields for k in t.foreign_keys)
            assert f.pattern == (ACTOR_ID_PATTERN if to_actors else ID_PATTERN), (t.name, f.name)


def test_every_rule_says_what_it_holds():
    """The codebook's failure codes take each rule's meaning from its docstring."""
    from datapkg.rules import RULES

    assert [rule.__name__ for rule, _ in RULES if not (rule.__doc__ or "").strip()] == []


def test_failure_codes_are_kebab_case_in_known_layers():
    from datapkg.errors import FAILURE_CODES

    layers = {"files", "formats", "tables", "keys", "provenance", "metadata", "curation"}
    assert {layer for layer, _ in FAILURE_CODES.values()} <= layers
    assert [c for c in FAILURE_CODES if not re.fullmatch(r"[a-z]+(-[a-z]+)*", c)
            or c.startswith("rule-")] == []


def test_every_enum_value_is_defined():
    """The codebook defines every value of every vocabulary, from the registry."""
    for table in TABLES.values():
        for f in table.fields:
            if f.enum:
                defined = dict(f.definitions)
                assert tuple(defined) == f.enum, (table.name, f.name)
                assert all(d.strip() for d in defined.values()), (table.name, f.name)


def test_every_column_name_is_taken_unquoted_by_duckdb_and_sqlite():
    """A column name never needs quoting in SQL: every table is created and queried with its
    names bare, in DuckDB and in SQLite, and none is a reserved DuckDB keyword."""
    import sqlite3

    import duckdb

    reserved = {k for (k,) in duckdb.sql("SELECT keyword_name FROM duckdb_keywords() "
                                         "WHERE keyword_category = 'reserved'").fetchall()}
    sqlite = sqlite3.connect(":memory:")
    for table in TABLES.values():
        assert [c for c in table.columns if c.lower() in reserved] == [], table.name
        columns = ", ".join(table.columns)
        definition = ", ".join(f"{c} INTEGER" for c in table.columns)
        for run in (duckdb.connect().execute, sqlite.execute):
            run(f"CREATE TABLE {table.name} ({definition})")
            run(f"SELECT {columns} FROM {table.name} WHERE {table.columns[-1]} IS NULL "
                f"ORDER BY {columns}")


def test_a_column_name_means_one_thing_wherever_it_appears():
    """The same name has the same type in every table that has it (``role`` is an actor's
    part in a link, never a title)."""
    types: dict[str, set[str]] = {}
    for table in TABLES.values():
        for f in table.fields:
            types.setdefault(f.name, set()).add(f.type)
    assert {name: kinds for name, kinds in types.items() if len(kinds) > 1} == {}
