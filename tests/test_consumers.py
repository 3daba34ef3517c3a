"""The exported files read by tools that are not ours: brat's own annotation reader (the
``bratsubset`` copy that bratiaa ships) and bratiaa's agreement over a brat project; pyld
expanding the Web Annotation documents with the W3C context kept in tests/w3c/ (nothing is
fetched), then the model's required shape checked on the expanded graph."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import bratsubset.annotation as brat
import pandas as pd
import pytest
from bratiaa import compute_f1_agreement
from pyld import jsonld

import datapkg
from datapkg import formats
from datapkg.annotations import documents

CONTEXT = Path(__file__).resolve().parent / "w3c" / "anno.jsonld"
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"


@pytest.fixture(scope="module")
def gold():
    tables = datapkg.load()
    return documents(tables, formats.package_texts(tables))


@pytest.fixture(scope="module")
def brat_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brat")
    datapkg.export("brat", out)
    return out


def test_brat_reads_back_every_entity_relation_and_attribute(gold, brat_dir):
    for doc in gold:
        with brat.TextAnnotations(str(brat_dir / doc.source_id), read_only=True) as ann:
            spans = {(t.type, *t.spans[0]) for t in ann.get_textbounds()}
            by_id = {t.id: (t.type, *t.spans[0]) for t in ann.get_textbounds()}
            relations = {(r.type, by_id[r.arg1], by_id[r.arg2]) for r in ann.get_relations()}
            attributes = len(list(ann.get_attributes()))
        assert spans == {(s.label, s.start, s.end) for s in doc.spans}
        assert relations == {(r.label, (r.source.label, r.source.start, r.source.end),
                              (r.target.label, r.target.start, r.target.end)) for r in doc.links}
        assert attributes == len(doc.attributes)


def test_bratiaa_finds_full_agreement_with_a_copy_and_less_with_a_change(gold, brat_dir, tmp_path):
    for who in ("gold", "copy", "changed"):
        shutil.copytree(brat_dir, tmp_path / who)
    shutil.copy(brat_dir / "annotation.conf", tmp_path / "annotation.conf")
    changed = tmp_path / "changed" / f"{gold[0].source_id}.ann"
    lines = changed.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "T1" not in re.split(r"[\s:]", line.split("\t", 2)[0] + " "
                                                            + line.split("\t")[1])]
    changed.write_text("".join(kept), encoding="utf-8")
    agreement = compute_f1_agreement(str(tmp_path))
    matrix = agreement.compute_total_f1_matrix()
    index = {a: i for i, a in enumerate(agreement.annotators)}
    assert matrix[index["gold"]][index["copy"]] == 1.0
    assert matrix[index["gold"]][index["changed"]] < 1.0
    assert set(agreement.labels) == {s.label for d in gold for s in d.spans}


def local_context(url, options=None):
    """pyld's document loader: the W3C context from tests/w3c/, nothing else."""
    if url.rstrip("/") not in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"):
        raise jsonld.JsonLdError(f"refusing to load {url}", "loading document failed")
    return {"contextUrl": None, "documentUrl": url,
            "document": json.loads(CONTEXT.read_text(encoding="utf-8"))}


def expanded_items(path: Path) -> list[dict]:
    (collection,) = jsonld.expand(json.loads(path.read_text(encoding="utf-8")),
                                  {"documentLoader": local_context})
    assert collection["@type"] == [AS + "OrderedCollection"]
    (page,) = collection[AS + "first"]
    assert page["@type"] == [AS + "OrderedCollectionPage"]
    return page[AS + "items"][0]["@list"]


def value(node: dict, key: str):
    (found,) = node[key]
    return found.get("@value", found.get("@id"))


def test_pyld_expands_every_annotation_to_the_models_required_shape(gold, tmp_path):
    datapkg.export("webanno", tmp_path)
    sources = datapkg.load_table("sources").set_index("source_id")["url"]
    # an article without a confirmed URL is targeted by its source id (the README says how)
    sources = sources.fillna(pd.Series({i: f"urn:x-datapkg:source:{i}" for i in sources.index}))
    for doc in gold:
        raw = json.loads((tmp_path / f"{doc.source_id}.jsonld").read_text(encoding="utf-8"))
        assert raw["@context"] == "http://www.w3.org/ns/anno.jsonld"
        items = expanded_items(tmp_path / f"{doc.source_id}.jsonld")
        assert len(items) == len(doc.spans) + len(doc.links)
        for item in items:
            assert item["@id"].startswith("urn:") and item["@type"] == [OA + "Annotation"]
            (target,) = item[OA + "hasTarget"]
            assert value(target, OA + "hasSource") == sources[doc.source_id]
            selectors = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
            quote, pos = selectors[OA + "TextQuoteSelector"], selectors[OA + "TextPositionSelector"]
            start, end = int(value(pos, OA + "start")), int(value(pos, OA + "end"))
            assert doc.text[start:end] == value(quote, OA + "exact")
            assert pos[OA + "start"][0]["@type"].endswith("XMLSchema#nonNegativeInteger")
            assert any(value(b, OA + "hasPurpose") == OA + "tagging" for b in item[OA + "hasBody"])


def test_the_stored_context_maps_only_what_the_published_one_maps():
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))
    assert "subset" in context["comment"] and "http://www.w3.org/ns/anno.jsonld" in context["comment"]
    terms = context["@context"]
    assert terms["TextPositionSelector"] == "oa:TextPositionSelector"
    assert terms["start"] == {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"}
