"""The package in the formats of its field, derived from ``datapkg.load()``: brat standoff and
W3C Web Annotation JSON-LD (span annotations, one spelling each of ``datapkg.annotations``),
and PLOVER event records (one per row of ``acts``). Readers for the two span formats give the
annotations back. Every file is read through ``datapkg.files`` and written through
``datapkg.publish.write_files``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from datapkg._version import __version__
from datapkg.about import article
from datapkg.annotations import (
    COMMITMENT,
    CUE,
    CUE_OF,
    EVENT,
    FIGURE,
    HEDGE,
    STATEMENT,
    Attribute,
    Document,
    Link,
    Span,
    documents,
    present,
)
from datapkg.errors import FormatError, UsageError
from datapkg.escape import LINE_BREAKS, SHOWN, cut, json_text
from datapkg.files import MAX_METADATA_BYTES, MAX_SEED_BYTES, read_bytes
from datapkg.loader import load
from datapkg.publish import write_files
from datapkg.registry import (
    ACTOR_KINDS,
    ATTRIBUTION_ROLES,
    COMMITMENT_KINDS,
    EPISTEMICS,
    EVENT_KINDS,
    EVENT_STATUSES,
    FIGURE_KINDS,
    HOSTING_CODES,
    LINK_QUOTE_TYPES,
    PARTICIPANT_ROLES,
    PARTY_ROLES,
    QUOTE_TYPES,
)

FORMATS = ("brat", "webanno", "plover")
CONTEXT_SIZE = 32  # characters of prefix and suffix in a TextQuoteSelector
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PLOVER_CODEBOOK = "plover-0.8 (openeventdata/PLOVER PLOVER_MANUAL.tex at 6b85b9a); CAMEO 1.1b3"
PLOVER_FILE = "events.plover.jsonl"
# The JSON Schema of a record, written from the manual's tables (shipped with the library).
PLOVER_SCHEMA = Path(__file__).with_name("plover_record.schema.json")
# Every file of predictions is bounded before it is scored (docs/formats.md): a
# file holding more is refused in one line.
MAX_PREDICTIONS = 100_000  # lines of a .ann or JSON Lines file; annotations of a .jsonld, records of a .json
MAX_LABELS = 1_000  # distinct span labels of one .ann or .jsonld file


# ---------------------------------------------------------------------------------------------
# brat standoff


def brat_ann(doc: Document) -> str:
    """The ``.ann`` file of one article: T entities, R relations, A attributes, in a stable
    order."""
    ids = {span: f"T{n}" for n, span in enumerate(sorted(doc.spans), 1)}
    ids.update({link: f"R{n}" for n, link in enumerate(sorted(doc.links), 1)})
    lines = [f"{ids[s]}\t{s.label} {s.start} {s.end}\t{ann_text(doc.text[s.start:s.end])}"
             for s in sorted(doc.spans)]
    lines += [f"{ids[r]}\t{r.label} Arg1:{ids[r.source]} Arg2:{ids[r.target]}\t" for r in sorted(doc.links)]
    lines += [f"A{n}\t{a.name} {ids[a.target]}" + ("" if a.value == "true" else f" {a.value}")
              for n, a in enumerate(sorted(doc.attributes, key=attribute_order), 1)]
    return "".join(line + "\n" for line in lines)


def ann_text(words: str) -> str:
    """The words of an entity on its ``.ann`` line: line breaks and tabs as spaces, as brat
    writes them."""
    return re.sub(f"[\t{LINE_BREAKS}]", " ", words)


def attribute_order(a: Attribute):
    return (a.name, isinstance(a.target, Link), a.target, a.value)


def conf_text(entities: list[str], relations: list[str],
              attributes: list[tuple[str, bool, list[str]]]) -> str:
    """A brat project configuration: the entity and relation labels, and each attribute (its
    name, whether it is a relation's, and its values, none for a flag or any value)."""
    lines = ["[entities]", *entities, "[relations]",
             *(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in relations), "[events]", "[attributes]"]
    lines += [f"{name}\tArg:{'<RELATION>' if on_link else '<ENTITY>'}"
              + (f", Value:{'|'.join(values)}" if values else "")
              for name, on_link, values in attributes]
    return "".join(line + "\n" for line in lines)


def brat_annotation_conf(docs: list[Document]) -> str:
    """The brat project configuration declaring every label the files use."""
    values = {}
    for d in docs:
        for a in d.attributes:
            values.setdefault((a.name, isinstance(a.target, Link)), set()).add(a.value)
    return conf_text(sorted({s.label for d in docs for s in d.spans}),
                     sorted({r.label for d in docs for r in d.links}),
                     [(name, on_link, sorted(values[name, on_link] - {"true"}))
                      for name, on_link in sorted(values)])


def brat_vocabulary_conf() -> str:
    """The brat project configuration of every label the registry allows, for a coder who
    starts from nothing: the enumerated attributes list the registry's values, and the figures'
    value, low, high and unit take any value."""
    enumerated = {"QuoteType": QUOTE_TYPES, "Epistemic": EPISTEMICS, "CommitmentKind":
                  COMMITMENT_KINDS, "EventKind": EVENT_KINDS, "Status": EVENT_STATUSES,
                  "FigureKind": FIGURE_KINDS}
    return conf_text(
        sorted({STATEMENT, CUE, HEDGE, COMMITMENT, FIGURE, EVENT} | set(ACTOR_KINDS)),
        sorted(({CUE_OF, HEDGE.lower()} | set(ATTRIBUTION_ROLES) - {"author"})
               | set(PARTY_ROLES) | set(PARTICIPANT_ROLES)),
        [*((name, False, sorted(v)) for name, v in enumerated.items()),
         ("LinkQuoteType", True, sorted(LINK_QUOTE_TYPES)),
         *((name, False, []) for name in ("Conditional", "Future", "Negated",
                                           "High", "Low", "Unit", "Value"))])


def parse_brat(text: str, ann: str, name: str = "<ann>") -> tuple[set, set, set]:
    """Spans, links and attributes of a ``.ann`` file; a FormatError names the line that
    cannot be read."""
    entities, links, attributes, pending = {}, {}, set(), []
    for number, line in enumerate(text_lines(ann, name), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        head = fields[0]
        try:
            if head.startswith("T"):
                entities[head] = brat_entity(fields, text)
            elif head.startswith("R"):
                label, arg1, arg2 = fields[1].split()
                links[head] = (label, arg1.removeprefix("Arg1:"), arg2.removeprefix("Arg2:"))
            elif head.startswith("A") or head.startswith("M"):
                pending.append(fields[1].split())
            else:
                raise ValueError(f"unknown annotation id {head!r}")
        except (ValueError, IndexError) as exc:
            raise FormatError(f"{name}: line {number}: {exc or 'malformed'}: {brief(line)}") from None
    try:
        resolved = {key: Link(label, entities[a], entities[b]) for key, (label, a, b) in links.items()}
        for parts in pending:
            target = entities.get(parts[1]) or resolved[parts[1]]
            attributes.add(Attribute(parts[0], target, parts[2] if len(parts) > 2 else "true"))
    except (KeyError, IndexError) as exc:
        raise FormatError(f"{name}: an annotation refers to an unknown id {exc}") from None
    spans = set(entities.values())
    few_labels(spans, name)
    return spans, set(resolved.values()), attributes


def brat_entity(fields: list[str], text: str) -> Span:
    """A text-bound annotation: ``label start end`` (discontinuous fragments are refused)."""
    label, start, end = fields[1].split(" ")
    span = Span(label, int(start), int(end))
    if not 0 <= span.start < span.end <= len(text):
        raise ValueError(f"offsets {span.start}-{span.end} outside the text of {len(text)} characters")
    if len(fields) > 2 and fields[2] != ann_text(text[span.start:span.end]):
        raise ValueError("the quoted text differs from the text at these offsets")
    return span


def brat_files(docs: list[Document]) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """``annotation.conf``, then each article's ``.txt`` and ``.ann``: names, and the bytes
    each is written with."""
    yield "annotation.conf", lambda: utf8(brat_annotation_conf(docs))
    for doc in docs:
        yield f"{doc.source_id}.txt", lambda doc=doc: utf8(doc.text)
        yield f"{doc.source_id}.ann", lambda doc=doc: utf8(brat_ann(doc))


def write_brat(docs: list[Document], out: Path) -> list[Path]:
    return write_files(out, brat_files(docs))


def read_brat(directory: Path, texts: dict[str, str] | None = None) -> list[Document]:
    """Every ``<name>.ann`` of a folder with its text: ``<name>.txt``, or, given ``texts``
    (source id → article), the article named ``<name>``, which a ``.txt`` beside must equal."""
    docs = []
    for ann in sorted(Path(directory).glob("*.ann")):
        text = brat_text(ann, texts)
        spans, links, attributes = parse_brat(text, read_text(ann, MAX_SEED_BYTES), str(ann))
        docs.append(Document(ann.stem, text, "", "", spans, links, attributes))
    if not docs:
        raise FormatError(f"{directory}: no .ann file")
    return docs


def brat_text(ann: Path, texts: dict[str, str] | None) -> str:
    txt = ann.with_suffix(".txt")
    if texts is None:
        return read_text(txt, MAX_SEED_BYTES)
    if ann.stem not in texts:
        raise FormatError(f"{ann}: no article {ann.stem!r} in the package (name the file <source_id>.ann)")
    if txt.exists() and read_text(txt, MAX_SEED_BYTES) != texts[ann.stem]:
        raise FormatError(f"{txt}: not the text of article {ann.stem}")
    return texts[ann.stem]


# ---------------------------------------------------------------------------------------------
# W3C Web Annotation


def iri(doc: Document, item: Span | Link) -> str:
    if isinstance(item, Span):
        return f"urn:x-datapkg:{doc.source_id}:{item.label}:{item.start}-{item.end}"
    return f"urn:x-datapkg:{doc.source_id}:{item.label}:{iri(doc, item.source)}>{iri(doc, item.target)}"


def selector_target(doc: Document, span: Span) -> dict:
    text = doc.text
    return {"source": doc.url, "selector": [
        {"type": "TextQuoteSelector", "exact": text[span.start:span.end],
         "prefix": text[max(0, span.start - CONTEXT_SIZE):span.start],
         "suffix": text[span.end:span.end + CONTEXT_SIZE]},
        {"type": "TextPositionSelector", "start": span.start, "end": span.end}]}


def classifying(attributes: list[Attribute]) -> list[dict]:
    return [{"type": "TextualBody", "purpose": "classifying", "value": f"{a.name}={a.value}"}
            for a in sorted(attributes, key=attribute_order)]


def attributes_by_target(doc: Document) -> dict:
    found = {}
    for a in doc.attributes:
        found.setdefault(a.target, []).append(a)
    return found


def tag(label: str) -> dict:
    return {"type": "TextualBody", "purpose": "tagging", "value": label}


def span_annotation(doc: Document, span: Span, attributes: list[Attribute]) -> dict:
    return {"id": iri(doc, span), "type": "Annotation", "motivation": "tagging",
            "body": [tag(span.label), *classifying(attributes)], "target": selector_target(doc, span)}


def link_annotation(doc: Document, link: Link, attributes: list[Attribute]) -> dict:
    """A link: it targets the words of its source span and its body names both annotations."""
    return {"id": iri(doc, link), "type": "Annotation", "motivation": "linking",
            "body": [tag(link.label),
                     {"type": "SpecificResource", "purpose": "identifying", "source": iri(doc, link.source)},
                     {"type": "SpecificResource", "purpose": "linking", "source": iri(doc, link.target)},
                     *classifying(attributes)],
            "target": selector_target(doc, link.source)}


def webanno_collection(doc: Document) -> dict:
    attributes = attributes_by_target(doc)
    items = [span_annotation(doc, s, attributes.get(s, [])) for s in sorted(doc.spans)]
    items += [link_annotation(doc, r, attributes.get(r, [])) for r in sorted(doc.links)]
    return {"@context": ANNO_CONTEXT, "id": f"urn:x-datapkg:{doc.source_id}:annotations",
            "type": "AnnotationCollection", "label": doc.title, "total": len(items),
            "first": {"id": f"urn:x-datapkg:{doc.source_id}:annotations:page1", "type": "AnnotationPage",
                      "startIndex": 0, "items": items}}


def write_webanno(docs: list[Document], out: Path) -> list[Path]:
    return write_files(out, ((f"{doc.source_id}.jsonld", lambda doc=doc: utf8(
        json_text(webanno_collection(doc), indent=1) + "\n"))
        for doc in docs))


def parse_webanno(collection: object, text: str, name: str, source_id: str = "") -> Document:
    """The annotations of one AnnotationCollection (or AnnotationPage, or list of annotations)
    over ``text``; a FormatError names the file and the annotation that cannot be read."""
    items = annotation_items(collection, name)
    if len(items) > MAX_PREDICTIONS:
        raise FormatError(too_many(name, len(items), "annotations"))
    doc = Document(source_id, text, "")
    spans, pending = {}, []
    for n, item in enumerate(items):
        where = f"{name}: annotation {n} ({brief(item.get('id'))})"
        try:
            label, attributes, refs = bodies(item.get("body"))
            start, end = position(item.get("target"), text)
            if item.get("motivation") == "linking":
                pending.append((where, label, attributes, refs))
            else:
                span = spans[string(item.get("id"), "id")] = Span(label, start, end)
                doc.spans.add(span)
                doc.attributes.update(Attribute(k, span, v) for k, v in attributes)
        except ValueError as exc:
            raise FormatError(f"{where}: {exc}") from None
    few_labels(doc.spans, name)
    for where, label, attributes, refs in pending:
        try:
            link = Link(label, spans[refs["identifying"]], spans[refs["linking"]])
        except KeyError as exc:
            raise FormatError(f"{where}: refers to an unknown annotation {brief(exc.args[0])}") from None
        doc.links.add(link)
        doc.attributes.update(Attribute(k, link, v) for k, v in attributes)
    return doc


def annotation_items(collection: object, name: str) -> list:
    if isinstance(collection, dict) and collection.get("type") == "AnnotationCollection":
        collection = collection.get("first")
    if isinstance(collection, dict) and collection.get("type") == "AnnotationPage":
        collection = collection.get("items")
    if not isinstance(collection, list) or not all(isinstance(i, dict) for i in collection):
        raise FormatError(f"{name}: not an AnnotationCollection, AnnotationPage or list of annotations")
    return collection


LINK_ENDS = ("identifying", "linking")  # the purposes of a link's two SpecificResource bodies


def bodies(body: object) -> tuple[str, list[tuple[str, str]], dict[str, str]]:
    """The tagging label, the classifying ``name=value`` pairs and the linked annotations
    (each a string, or a ValueError saying which is not)."""
    body = body if isinstance(body, list) else [body]
    if not all(isinstance(b, dict) for b in body):
        raise ValueError("every body must be an object")
    labels = [string(b.get("value"), "a tagging body's value") for b in body
              if b.get("purpose") == "tagging"]
    if len(labels) != 1:
        raise ValueError("an annotation needs exactly one tagging body")
    pairs = [tuple(string(b.get("value"), "a classifying body's value").split("=", 1))
             for b in body if b.get("purpose") == "classifying"]
    if any(len(p) != 2 for p in pairs):
        raise ValueError("a classifying body must read name=value")
    refs = {purpose: string(b.get("source"), "a SpecificResource's source") for b in body
            if b.get("type") == "SpecificResource" and (purpose := b.get("purpose")) in LINK_ENDS}
    return labels[0], pairs, refs


def position(target: object, text: str) -> tuple[int, int]:
    """The TextPositionSelector's offsets, checked against the TextQuoteSelector's words."""
    selectors = target.get("selector") if isinstance(target, dict) else None
    selectors = selectors if isinstance(selectors, list) else [selectors]
    by_type = {s["type"]: s for s in selectors if isinstance(s, dict) and isinstance(s.get("type"), str)}
    pos = by_type.get("TextPositionSelector")
    if pos is None or not all(integer(pos.get(k)) for k in ("start", "end")):
        raise ValueError("no TextPositionSelector with integer start and end")
    start, end = pos["start"], pos["end"]
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}-{end} outside the text of {len(text)} characters")
    quote = by_type.get("TextQuoteSelector")
    if quote is not None and quote.get("exact") != text[start:end]:
        raise ValueError("the TextQuoteSelector's exact words differ from the text at the position")
    return start, end


def read_webanno(path: Path, texts: dict[str, str], urls: dict[str, str] | None = None) -> list[Document]:
    """A ``.jsonld`` file, or a folder of them: each names its article by its file name
    (``<source_id>.jsonld``) or, given ``urls`` (article URL → source id), by the source its
    first annotation targets."""
    path = Path(path)
    files = sorted(path.glob("*.jsonld")) if path.is_dir() else [path]
    docs, named = [], {}
    for file in files:
        collection = read_json(file)
        source_id = webanno_source(file, collection, texts, urls or {})
        if source_id in named:  # one file per article: as many files as the package has articles
            raise FormatError(f"{file}: a second file for article {source_id}, after {named[source_id]}")
        named[source_id] = file.name
        docs.append(parse_webanno(collection, texts[source_id], str(file), source_id))
    if not docs:
        raise FormatError(f"{path}: no .jsonld file")
    return docs


def webanno_source(file: Path, collection: object, texts: dict[str, str], urls: dict[str, str]) -> str:
    """The article a Web Annotation file is about: its file name, else its target's source."""
    stem = file.name.removesuffix(".jsonld")
    if stem in texts:
        return stem
    items = annotation_items(collection, str(file))
    target = items[0].get("target") if items else None
    source = target.get("source") if isinstance(target, dict) else None
    if isinstance(source, str) and source in urls:
        return urls[source]
    raise FormatError(f"{file}: no article of the package: name the file <source_id>.jsonld or "
                      f"target the article's URL")


# ---------------------------------------------------------------------------------------------
# PLOVER event records


@dataclass
class Lookup:
    """The rows a PLOVER record draws on, indexed once for all records."""

    sources: dict[str, dict]
    coded: dict[str, dict]  # statement, commitment or event id → its row
    parties: dict[tuple[str, str], list[str]]  # (act id, role) → actor ids
    actors: dict[str, dict]
    titles: dict[tuple[str, str], str]  # (source id, actor id) → title
    states: dict[str, list[str]]  # actor id → the states it resolves to
    sentences: dict[str, list[dict]]  # source id → its body sentences


def lookup(tables: dict) -> Lookup:
    keys = {"statements": "statement_id", "commitments": "commitment_id", "events": "event_id"}
    actors = {a["actor_id"]: a for a in tables["actors"].to_dict("records")}
    state_ids = {a for a, row in actors.items() if row["kind"] == "state"}
    parties, states, sentences = {}, {}, {}
    for p in tables["act_parties"].to_dict("records"):
        parties.setdefault((p["act_id"], p["role"]), []).append(p["actor_id"])
    for c in tables["actor_closure"].to_dict("records"):
        states.setdefault(c["actor_id"], [])
        if c["related_id"] in state_ids:
            states[c["actor_id"]].append(c["related_id"])
    for s in tables["sentences"].to_dict("records"):
        sentences.setdefault(s["source_id"], []).append(s)
    return Lookup(
        sources={s["source_id"]: s for s in tables["sources"].to_dict("records")},
        coded={r[key]: r for name, key in keys.items() for r in tables[name].to_dict("records")},
        parties=parties, actors=actors,
        titles={(t["source_id"], t["actor_id"]): t["title"]
                for t in tables["actor_titles"].to_dict("records")},
        states={a: sorted(found) for a, found in states.items()}, sentences=sentences)


def plover_records(tables: dict) -> list[dict]:
    """One record per row of ``acts``, in the fields of the PLOVER manual's JSON table."""
    look = lookup(tables)
    return [plover_record(look, act) for act in tables["acts"].to_dict("records")]


def plover_record(look: Lookup, act: dict) -> dict:
    source, row = look.sources[act["source_id"]], look.coded[act["act_id"]]
    date, precision, basis = act_date(look, row, source)
    sentence = sentence_of(look, act)
    acting, receiving = actor_objects(look, act, "actor"), actor_objects(look, act, "recipient")
    if act["cameo_code"].startswith(HOSTING_CODES):  # CAMEO's host acts; PLOVER's visitor does
        acting, receiving = receiving, acting
    record = {
        "id": act["act_id"], "date": date, "source": acting, "recipient": receiving,
        "event": [act["plover_event"]] if present(act["plover_event"]) else [],
        "event_text": [act["text"]],
        "mode": [act["plover_mode"]] if present(act["plover_mode"]) else [],
        "context": contexts(act, row),
        "text": sentence["text"] if sentence else None,
        "text_info": {"start": int(act["span_start"]), "end": int(act["span_end"])}
        | ({"sequence": int(sentence["seq"])} if sentence else {}),
        "cite_info": cite_info(source),
        "comment": row.get("code_note") if present(row.get("code_note")) else None,
        # Extensions (the manual invites named fields beyond its own):
        "source_id": act["source_id"], "record": act["record"],
        "cameo_code": act["cameo_code"], "date_precision": precision, "date_basis": basis,
        "commitment_modality": commitment_modality(row),
    }
    # An absent fact is left out, never written as null; the date alone stays, as the manual
    # requires it: null where the article dates the act nowhere, ``date_basis`` saying so.
    return {k: v for k, v in record.items() if v is not None or k == "date"}


PUBLISHED_BASIS = "publication date of the article: the text dates the act no further"
UNDATED_BASIS = "undated: the text dates the act nowhere and the article has no publication date"


def act_date(look: Lookup, row: dict, source: dict) -> tuple[str | None, str | None, str]:
    """The act's date as resolved on its row, its statement or the event it was made at; else
    the article's publication date; else none (an article may have no publication date);
    ``date_basis`` says which."""
    candidates = [row]
    if present(row.get("statement_id")) and row["statement_id"] in look.coded:
        candidates.append(look.coded[row["statement_id"]])
    for holder in list(candidates):
        if present(holder.get("made_at_event_id")):
            candidates.append(look.coded[holder["made_at_event_id"]])
    for holder in candidates:
        if present(holder.get("date_resolved")):
            return str(holder["date_resolved"]), holder["date_precision"], holder["date_basis"]
    if present(source["published_date"]):
        return str(source["published_date"]), None, PUBLISHED_BASIS
    return None, None, UNDATED_BASIS


def contexts(act: dict, row: dict) -> list[str]:
    """The act's context, and the manual's special context ``future`` where the act has not
    happened: an event the text gives as planned. A commitment is the act of committing, which
    has happened; what it commits to is in ``commitment_modality``."""
    found = [act["plover_context"]] if present(act["plover_context"]) else []
    return found + (["future"] if row.get("status") == "planned" else [])


def commitment_modality(row: dict) -> list[str] | None:
    """What a commitment commits to: future, conditional or negated action (an extension)."""
    if "is_future" not in row:
        return None
    return [flag for flag in ("future", "conditional", "negated") if row[f"is_{flag}"] is True]


def actor_objects(look: Lookup, act: dict, role: str) -> list[dict]:
    return [actor_object(look, actor_id, act["source_id"])
            for actor_id in look.parties.get((act["act_id"], role), [])]


def actor_object(look: Lookup, actor_id: str, source_id: str) -> dict:
    """The manual's actor object: code, actor_text, identifier_id (Wikidata) and office; the
    actor's id, kind and the states it resolves to through actor_closure as extensions."""
    actor = look.actors[actor_id]
    obj = {"code": actor["cameo_code"] if present(actor["cameo_code"]) else None,
           "actor_text": actor["name"],
           "identifier_id": (f"https://www.wikidata.org/wiki/{actor['wikidata_qid']}"
                             if present(actor["wikidata_qid"]) else None),
           "office": look.titles.get((source_id, actor_id)),
           "actor_id": actor_id, "kind": actor["kind"], "states": look.states.get(actor_id, [])}
    return {k: v for k, v in obj.items() if v is not None}


def sentence_of(look: Lookup, act: dict) -> dict | None:
    """The body sentence holding the act's start (the manual's ``text``, whose rights the
    record's cite_info names)."""
    return next((s for s in look.sentences.get(act["source_id"], [])
                 if s["span_start"] <= act["span_start"] < s["span_end"]), None)


def cite_info(source: dict) -> dict:
    info = {"corpus": f"china-afghanistan-pakistan-dialogue-2021 {__version__}",
            "url": source["url"] if present(source["url"]) else None, "title": source["title"],
            "language": source["language"],
            "publication": source["outlet"] if present(source["outlet"]) else None,
            "license": "CC-BY-4.0 (the coding); the text stays its publisher's",
            "copyright": source["text_license"], "codebook": PLOVER_CODEBOOK, "version": __version__}
    return {k: v for k, v in info.items() if v is not None}


def write_plover(records: list[dict], out: Path) -> list[Path]:
    """JSON Lines: each record on one line, whatever line breaks its text holds (``json_text``
    escapes every character ``str.splitlines`` breaks at)."""
    return write_files(out, [(PLOVER_FILE, lambda: utf8(
        "".join(json_text(r, sort_keys=True) + "\n" for r in records)))])


def read_plover(path: Path) -> list[dict]:
    """PLOVER records: JSON Lines, one record a line, or one JSON list."""
    text = read_text(Path(path), MAX_METADATA_BYTES)
    if text.lstrip().startswith("["):
        records = parse_json(text, str(path))
        if not isinstance(records, list):
            raise FormatError(f"{path}: expected a list of records")
        if len(records) > MAX_PREDICTIONS:
            raise FormatError(too_many(str(path), len(records), "records"))
        return [checked_record(r, f"{path}: record {n}") for n, r in enumerate(records, 1)]
    return [checked_record(parse_json(line, str(path), n), f"{path}: line {n}")
            for n, line in enumerate(text_lines(text, str(path)), 1) if line.strip()]


# The fields of a record that scoring reads, with the JSON types the PLOVER schema gives them
# (datapkg/plover_record.schema.json; jsonschema is no dependency of the library, so these few
# are checked here): lists of strings, and lists of actor objects whose ids are strings and
# whose states are a list of strings.
STRING_LISTS = ("event", "mode", "context")
ACTOR_LISTS = ("source", "recipient")
ACTOR_KEYS = ("actor_id", "code")


def checked_record(record: object, where: str) -> dict:
    """A record whose every field that scoring reads has its schema's type, or a FormatError
    saying ``where`` it is and which field is wrong."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise FormatError(f"{where}: not an object with a string id")
    if not isinstance(record.get("source_id", ""), str):
        raise FormatError(f"{where}: source_id must be a string, not {brief(record['source_id'])}")
    for key in (*STRING_LISTS, *ACTOR_LISTS):
        if not isinstance(record.get(key, []), list):
            raise FormatError(f"{where}: {key} must be a list")
    for key in STRING_LISTS:
        if not all(isinstance(v, str) for v in record.get(key, [])):
            raise FormatError(f"{where}: {key} must be a list of strings")
    if not all(isinstance(a, dict) for key in ACTOR_LISTS for a in record.get(key, [])):
        raise FormatError(f"{where}: source and recipient must be lists of actor objects")
    for key in ACTOR_LISTS:
        for n, actor in enumerate(record.get(key, []), 1):
            for field in ACTOR_KEYS:
                if not isinstance(actor.get(field), str | None):
                    raise FormatError(f"{where}: {key} {n}: {field} must be a string, not "
                                      f"{brief(actor[field])}")
            states = actor.get("states", [])
            if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
                raise FormatError(f"{where}: {key} {n}: states must be a list of strings")
    info = record.get("text_info", {})
    if not isinstance(info, dict) or not all(integer(info.get(k, 0)) for k in ("start", "end")):
        raise FormatError(f"{where}: text_info must be an object with integer start and end")
    return record


# ---------------------------------------------------------------------------------------------
# files


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def read_text(path: Path, limit: int) -> str:
    try:
        return read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8 (byte {exc.start})") from None


def text_lines(text: str, name: str) -> list[str]:
    """The lines of a JSON Lines or brat file: split at "\n" only, as the JSON Lines format
    says (a trailing "\r" is dropped). U+2028, U+2029, U+0085 and the other breaks that
    ``str.splitlines`` also splits at are characters inside a line. A file of more than
    MAX_PREDICTIONS lines is refused before it is split."""
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_PREDICTIONS:
        raise FormatError(too_many(name, lines, "lines"))
    return [line.removesuffix("\r") for line in text.split("\n")]


def parse_json(text: str, name: str, line: int | None = None) -> object:
    """JSON, or a FormatError naming the file and the line (``line``: the line ``text`` is).
    Nesting deeper than the parser's recursion allows is that error too, never a crash."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        raise FormatError(f"{name}: line {where}: not JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # a number beyond int's digits; deep nesting
        fault = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise FormatError(f"{name}: {'' if line is None else f'line {line}: '}not JSON: {fault}") from None


def read_json(path: Path) -> object:
    return parse_json(read_text(path, MAX_METADATA_BYTES), str(path))


# Every value read from a file of predictions is checked for its type before it is used.
def string(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {brief(value)}")
    return value


def integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def brief(value: object) -> str:
    """A value as an error message quotes it: a string or a number cut to ``SHOWN`` characters, an
    object or a list by its type (never the whole of it, however large or deep)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return cut(repr(value[:SHOWN + 1] if isinstance(value, str) else value))


def too_many(name: str, count: int, what: str) -> str:
    return f"{name}: {count} {what}, more than the {MAX_PREDICTIONS} a prediction file may hold"


def few_labels(spans: set[Span], name: str) -> None:
    """A FormatError where ``spans`` carry more than MAX_LABELS distinct labels."""
    labels = {s.label for s in spans}
    if len(labels) > MAX_LABELS:
        raise FormatError(f"{name}: {len(labels)} distinct span labels, more than the {MAX_LABELS} "
                          f"a prediction file may use")


# ---------------------------------------------------------------------------------------------
# export


def package_texts(tables: dict, path=None, verify: bool = True) -> dict[str, str]:
    return {s: article(s, path=path, verify=verify) for s in tables["sources"]["source_id"]}


def export(format: str, out, path=None, verify: bool = True) -> list[Path]:
    """Write the package (the published one, or the one at ``path``) in ``format`` (brat,
    webanno or plover) into the folder ``out``; returns the files written. Each file is named
    by ``publish.write_files``' rule, all names checked before a byte is written: a source id
    that would name a file outside ``out`` is refused, and a link in ``out`` is replaced,
    never followed. Nothing else in ``out`` is touched."""
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; one of: {', '.join(FORMATS)}")
    tables = load(path=path, verify=verify)
    out = Path(out)
    if format == "plover":
        return write_plover(plover_records(tables), out)
    docs = documents(tables, package_texts(tables, path, verify))
    return (write_brat if format == "brat" else write_webanno)(docs, out)

