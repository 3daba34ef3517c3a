"""The package in the formats of its field: PLOVER event records checked against the JSON
Schema written from the pinned manual, brat standoff and W3C Web Annotation files that give
back every span, label and link, on the real article and on the two-article corpus. Every
expectation is derived from the tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import datapkg
from datapkg import formats
from datapkg.annotations import documents
from datapkg.paths import ROOT

SCHEMA = formats.PLOVER_SCHEMA
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def tables(corpus):
    return datapkg.load(path=corpus)


@pytest.fixture(scope="module")
def texts(tables, corpus):
    return formats.package_texts(tables, corpus)


def plover_validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_plover_schema_is_pinned_to_the_manual_the_codebook_names():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    codebook = datapkg.codebook_path().read_text(encoding="utf-8")
    assert "6b85b9a" in schema["$comment"] and "PLOVER_MANUAL.tex at 6b85b9a" in codebook
    assert schema["required"] == ["id", "date", "source", "event"]


def test_one_plover_record_per_act_each_valid_against_the_schema(tables, tmp_path, corpus):
    written = datapkg.export("plover", tmp_path, path=corpus)
    records = formats.read_plover(written[0])
    acts = tables["acts"]
    assert [r["id"] for r in records] == list(acts["act_id"])
    assert set(acts["source_id"]) == {r["source_id"] for r in records}
    validator = plover_validator()
    errors = [f"{r['id']}: {e.message}" for r in records for e in validator.iter_errors(r)]
    assert errors == []


def test_an_article_without_publication_date_url_or_outlet_gives_valid_records(tables):
    """The sources stripped of their optional facts: an act its text dates no further has a
    null date, date_basis saying the article dates it nowhere; an act the text dates keeps its
    date; the record leaves out the URL and publication; every record passes the schema."""
    before = formats.plover_records(tables)
    stripped = {**tables, "sources": tables["sources"].assign(published_date=None, url=None,
                                                               outlet=None)}
    after = formats.plover_records(stripped)
    assert [r["id"] for r in after] == [r["id"] for r in before]
    fell_back = [r["date_basis"] == formats.PUBLISHED_BASIS for r in before]
    assert any(fell_back) and not all(fell_back), "the data no longer holds both kinds of act"
    for was, now, undated in zip(before, after, fell_back, strict=True):
        assert "date" in now
        if undated:
            assert now["date"] is None and now["date_basis"] == formats.UNDATED_BASIS
            assert "date_precision" not in now
        else:
            assert (now["date"], now["date_basis"]) == (was["date"], was["date_basis"])
        assert "url" not in now["cite_info"] and "publication" not in now["cite_info"]
    validator = plover_validator()
    assert [f"{r['id']}: {e.message}" for r in after for e in validator.iter_errors(r)] == []


def test_no_record_holds_a_null_but_the_date(tables):
    """An absent fact is left out, at every depth; only the manual's required date may be null."""
    def nulls(value, where):
        if isinstance(value, dict):
            return [n for k, v in value.items() for n in nulls(v, f"{where}.{k}")]
        if isinstance(value, list):
            return [n for i, v in enumerate(value) for n in nulls(v, f"{where}[{i}]")]
        return [where] if value is None else []
    sentences = tables["sentences"].iloc[:0]  # no sentence: no text and no sequence
    for record in formats.plover_records({**tables, "sentences": sentences}):
        assert "text" not in record and "sequence" not in record["text_info"]
        assert [n for n in nulls(record, record["id"]) if n != f"{record['id']}.date"] == []


def test_the_schema_refuses_a_record_the_manual_refuses(tables):
    validator = plover_validator()
    record = formats.plover_records(tables)[0]
    for broken in ({k: v for k, v in record.items() if k != "date"},
                   {**record, "date": "3 June 2021"}, {**record, "source": "CHN"},
                   {**record, "quad_code": 5}):
        assert not validator.is_valid(broken)


def test_plover_records_carry_types_parties_offsets_and_citation(tables, texts):
    parties, actors = tables["act_parties"], tables["actors"].set_index("actor_id")
    sources = tables["sources"].set_index("source_id")
    for record, act in zip(formats.plover_records(tables), tables["acts"].to_dict("records"), strict=True):
        text = texts[act["source_id"]]
        assert text[record["text_info"]["start"]:record["text_info"]["end"]] == act["text"]
        assert record["text"] in text and act["text"] in text
        assert record["event"] == ([act["plover_event"]] if isinstance(act["plover_event"], str) else [])
        mine = parties[parties["act_id"] == act["act_id"]]
        for field, role in (("source", "actor"), ("recipient", "recipient")):
            assert [a["actor_id"] for a in record[field]] == list(mine[mine["role"] == role]["actor_id"])
            for obj in record[field]:
                qid = actors.loc[obj["actor_id"], "wikidata_qid"]
                assert obj.get("identifier_id", "").endswith(qid if isinstance(qid, str) else "")
        url = sources.loc[act["source_id"], "url"]
        assert record["cite_info"].get("url") == (url if isinstance(url, str) else None)
        assert record["cite_info"]["title"] == sources.loc[act["source_id"], "title"]


def test_resolved_states_come_from_the_closure(tables):
    closure, actors = tables["actor_closure"], tables["actors"]
    state = set(actors[actors["kind"] == "state"]["actor_id"])
    for record in formats.plover_records(tables):
        for obj in record["source"] + record["recipient"]:
            reached = set(closure[closure["actor_id"] == obj["actor_id"]]["related_id"])
            assert obj["states"] == sorted(reached & state)


def test_a_planned_event_is_marked_future_as_the_manual_says(tables):
    events = tables["events"].to_dict("records")
    planned = {**events[0], "status": "planned"}
    done = {**events[0], "status": "occurred"}
    act = {"plover_context": "diplomatic"}
    assert formats.contexts(act, planned) == ["diplomatic", "future"]
    assert formats.contexts(act, done) == ["diplomatic"]


@pytest.mark.parametrize("fmt", ["brat", "webanno"])
def test_span_formats_give_back_every_span_label_and_link(fmt, tables, texts, corpus, tmp_path):
    gold = documents(tables, texts)
    datapkg.export(fmt, tmp_path, path=corpus)
    back = (formats.read_brat(tmp_path) if fmt == "brat" else formats.read_webanno(tmp_path, texts))
    assert [d.source_id for d in back] == [d.source_id for d in gold]
    for mine, theirs in zip(gold, back, strict=True):
        assert (theirs.spans, theirs.links, theirs.attributes) == (mine.spans, mine.links, mine.attributes)


def test_every_row_with_a_span_is_annotated(tables, texts):
    """Each mention, statement, commitment, event and figure row is a span of its article."""
    docs = {d.source_id: d for d in documents(tables, texts)}
    for name in ("mentions", "statements", "commitments", "events", "figures"):
        for row in tables[name].to_dict("records"):
            spans = {(s.start, s.end) for s in docs[row["source_id"]].spans}
            assert (row["span_start"], row["span_end"]) in spans, (name, row)
    links = tables["statement_attributions"]
    named = links[links["mention_id"].notna()]
    assert sum(len({r for r in d.links if r.label in {"speaker", "reporter", "author"}})
               for d in docs.values()) == len(named)


def test_export_on_the_command_line(tmp_path, corpus, tables):
    for fmt in formats.FORMATS:
        done = subprocess.run([str(BIN / "datapkg"), "export", "--format", fmt, "--out",
                               str(tmp_path / fmt), "--path", str(corpus)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "brat").glob("*.ann"))) == len(tables["sources"])
    assert len(list((tmp_path / "webanno").glob("*.jsonld"))) == len(tables["sources"])


def test_the_export_benchmark_runs_at_its_smallest_size():
    out = subprocess.run([sys.executable, "benchmarks/bench_export.py", "--sizes", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=True).stdout.splitlines()
    assert out[0].split() == ["N", "format", "files", "seconds"]
    assert [line.split()[1] for line in out[1:]] == list(formats.FORMATS)


def conf_labels(conf: str) -> dict[str, dict[str, set[str] | None]]:
    """A brat configuration's labels by section; an attribute's listed values (None: any)."""
    sections, section = {}, None
    for line in conf.splitlines():
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), {})
        elif line:
            name, _, rest = line.partition("\t")
            values = rest.partition("Value:")[2]
            section[name] = set(values.split("|")) if values else None
    return sections


def test_the_vocabulary_conf_declares_every_label_the_package_uses_and_lists_no_data(tables, texts):
    """A coder's configuration (the registry's labels) declares every label and attribute value
    the package's own files use, and lists no figure value: those take any value."""
    vocabulary = conf_labels(formats.brat_vocabulary_conf())
    used = conf_labels(formats.brat_annotation_conf(documents(tables, texts)))
    for section, labels in used.items():
        for name, values in labels.items():
            assert name in vocabulary[section], (section, name)
            declared = vocabulary[section][name]
            if declared is not None and values is not None:
                assert values <= declared, (section, name, values - declared)
    for free in ("Value", "Low", "High", "Unit"):
        assert vocabulary["attributes"][free] is None
