from datapkg.registry import ID_PATTERN, TABLES


def test_every_pattern_is_anchored_so_pandera_and_frictionless_agree():
    for table in TABLES.values():
        for f in table.fields:
            if f.pattern:
                for alternative in f.pattern.split("|"):
                    assert alternative.startswith("^") and alternative.endswith("$"), \
                        (table.name, f.name)


def test_keys_name_existing_columns():
    for table in TABLES.values():
        assert set(table.primary_key) <= set(table.columns), table.name
        for key in table.foreign_keys:
            assert set(key.fields) <= set(table.columns), (table.name, key)
            assert set(key.reference) <= set(TABLES[key.table].columns), (table.name, key)


def test_every_table_is_keyed_by_source():
    for table in TABLES.values():
        assert table.columns[0] == "source_id"
        if table.name != "sources":
            assert any(k.table == "sources" for k in table.foreign_keys), table.name


def test_id_columns_share_one_convention():
    ids = [f for t in TABLES.values() for f in t.fields if f.name.endswith("_id")
           and f.name != "source_id"]
    assert ids and all(f.pattern == ID_PATTERN for f in ids)
