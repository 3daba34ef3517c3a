"""Export then import gives back the same spans, labels, links and attributes: for any
annotations of any text (a property test), and for a text of Unicode traps (non-breaking
spaces, curly quotes, the ellipsis, characters outside the Basic Multilingual Plane), whose
offsets stay code points in both formats (brat: offsets into the .txt; W3C: the Web
Annotation Data Model counts code points, not UTF-16 code units)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from datapkg import formats
from datapkg.annotations import Attribute, Document, Link, Span

TRAP = Path(__file__).resolve().parent / "fixtures" / "unicode_trap.txt"
ALPHABET = "ab Z.,\u00a0\u201c\u201d\u2018\u2019\u2026\u2014\n\t😀\U00010330é"
LABELS = ("state", "person", "Statement", "Cue", "Commitment", "speaker", "committer")


def through_brat(doc: Document, tmp: Path) -> Document:
    formats.write_brat([doc], tmp)
    (back,) = formats.read_brat(tmp)
    return back


def through_webanno(doc: Document, tmp: Path) -> Document:
    formats.write_webanno([doc], tmp)
    (back,) = formats.read_webanno(tmp, {doc.source_id: doc.text})
    return back


@st.composite
def annotated(draw) -> Document:
    text = draw(st.text(alphabet=ALPHABET, min_size=2, max_size=60))
    bounds = st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
        lambda b: b[0] < b[1])
    spans = draw(st.sets(st.builds(lambda label, b: Span(label, *b), st.sampled_from(LABELS), bounds),
                         min_size=1, max_size=8))
    ordered = sorted(spans)
    links = draw(st.sets(st.builds(Link, st.sampled_from(LABELS), st.sampled_from(ordered),
                                   st.sampled_from(ordered)), max_size=6))
    targets = ordered + sorted(links)
    values = st.text(alphabet="abcXYZ019_-.", min_size=1, max_size=6)
    attributes = draw(st.sets(st.builds(Attribute, st.sampled_from(("Kind", "QuoteType", "Unit")),
                                        st.sampled_from(targets), values), max_size=6))
    return Document("900_0000000000000000", text, "urn:x-test", "t", spans, links, attributes)


@settings(max_examples=60, deadline=None)
@given(annotated())
def test_any_annotations_survive_brat_and_webanno(tmp_path_factory, doc):
    for through in (through_brat, through_webanno):
        back = through(doc, tmp_path_factory.mktemp(through.__name__))
        assert back.same_annotations(doc), through.__name__
        assert back.text == doc.text


def trap_document() -> Document:
    """Spans on each trap of the fixture, found by their words, never by fixed offsets."""
    text = TRAP.read_text(encoding="utf-8")
    words = ("minister\u00a0said", "\u201cWe will build it\u2026 soon.\u201d", "😀",
             "envoy\u00a0of \U00010330Gothia", "\u2018never\u2019", "line\u2014with")
    spans = {Span("Cue" if "said" in w else "Statement", text.index(w), text.index(w) + len(w))
             for w in words}
    first, *rest = sorted(spans, key=lambda s: s.start)
    links = {Link("speaker", first, s) for s in rest}
    attributes = {Attribute("QuoteType", link, "direct") for link in links}
    return Document("900_0000000000000000", text, "urn:x-test", "trap", spans, links, attributes)


def test_the_unicode_traps_survive_both_formats(tmp_path):
    doc = trap_document()
    assert through_brat(doc, tmp_path / "brat").same_annotations(doc)
    assert through_webanno(doc, tmp_path / "webanno").same_annotations(doc)


def utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def test_offsets_are_code_points_in_both_formats(tmp_path):
    doc = trap_document()
    text = doc.text
    beyond = [s for s in doc.spans if utf16_offset(text, s.start) != s.start]
    assert beyond, "the fixture must hold a span after a character outside the BMP"
    formats.write_brat([doc], tmp_path)
    ann = (tmp_path / f"{doc.source_id}.ann").read_text(encoding="utf-8")
    assert (tmp_path / f"{doc.source_id}.txt").read_bytes() == TRAP.read_bytes()
    for span in beyond:
        assert f"{span.label} {span.start} {span.end}\t" in ann
    formats.write_webanno([doc], tmp_path)
    page = json.loads((tmp_path / f"{doc.source_id}.jsonld").read_text(encoding="utf-8"))
    for item in page["first"]["items"]:
        quote, pos = item["target"]["selector"]
        assert text[pos["start"]:pos["end"]] == quote["exact"]
        assert text[:pos["start"]].endswith(quote["prefix"])
        assert text[pos["end"]:].startswith(quote["suffix"])
