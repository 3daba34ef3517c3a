"""Curation → typed Arrow tables: check the seed, resolve every quote, derive ids and layout."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyarrow as pa

from datapkg.crosswalk import published
from datapkg.curation import (
    CORPUS_CURATED,
    NOT_YET,
    Corpus,
    Curation,
    Mention,
    Origin,
    reason,
    script_failure,
)
from datapkg.errors import CurationError, SeedError
from datapkg.evidence import Every, Quote, resolve, resolve_every
from datapkg.paths import CROSSWALK, SCRIPTS, SEEDS
from datapkg.registry import (
    ACT_RECORDS,
    CLAIMS,
    CORPUS_TABLES,
    ID_PATTERN,
    SOURCE_ID_PATTERN,
    TABLES,
    Table,
    act_role,
    serial,
    spans,
)
from datapkg.typemap import arrow_schema

# A sentence ends at . ? or ! (maybe followed by a closing quote), before a space and a
# capital or an opening quote; "U.S. and" therefore does not end one.
SENTENCE_END = re.compile(r"(?<=[.?!])[”\"’]?(?=\s+[“\"A-Z])")


def curation_scripts(scripts: Path = SCRIPTS) -> list[Path]:
    return sorted(scripts.glob("curate_*.py"))


def run_module(path: Path) -> ModuleType:
    """A script of scripts/ as a module; a failure in its own code is reported at its line."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the script's own code: reported at its line
        raise script_failure(exc, path) from exc
    return module


def import_script(path: Path) -> ModuleType:
    """A curation script as a module, once its name, SOURCE_ID and SEED agree:
    ``scripts/curate_<SOURCE_ID>.py`` curates ``seeds/<SOURCE_ID>.txt``."""
    module = run_module(path)
    for name in ("SOURCE_ID", "SEED", "SHA256", "curate"):
        if not hasattr(module, name):
            raise CurationError(f"{path.name}: a curation script must define {name}")
    source_id = module.SOURCE_ID
    if not isinstance(source_id, str) or not re.fullmatch(SOURCE_ID_PATTERN, source_id):
        raise CurationError(f"{path.name}: SOURCE_ID {source_id!r} must be a serial of three or "
                            "more digits, an underscore and 16 hex digits (see new-source)")
    if path.name != f"curate_{source_id}.py" or module.SEED != f"{source_id}.txt":
        raise CurationError(f"{path.name}: the script must be curate_{source_id}.py and its "
                            f"SEED {source_id}.txt (SEED is {module.SEED!r})")
    return module


def corpus_script(scripts: Path = SCRIPTS) -> Path:
    """The corpus-level curation: the actors shared by every article (``corpus.py``)."""
    return scripts / "corpus.py"


def curate_corpus(scripts: Path = SCRIPTS) -> tuple[dict[str, list[dict]], dict[str, list]]:
    """The rows ``scripts/corpus.py`` declares (none where there is no such file), with the
    line that declared each."""
    path = corpus_script(scripts)
    c = Corpus()
    if path.is_file():
        module = run_module(path)
        if not callable(getattr(module, "curate", None)):
            raise CurationError(f"{path.name}: the corpus curation must define curate(c)")
        try:
            module.curate(c)
        except Exception as exc:  # any failure while the script runs: reported at its lines
            raise script_failure(exc, path) from exc
    return ({name: c.records[name] for name in CORPUS_CURATED},
            {name: c.origins[name] for name in CORPUS_CURATED})


def read_seed(path: Path, sha256: str) -> str:
    """The seed text, refusing bytes that differ from the ones the curation was made from."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SeedError(
            f"{path}: sha256 is {digest}, the curation expects {sha256}; the seed must be the "
            "article byte for byte (restore it from version control)"
        )
    return data.decode("utf-8")


def lines_with_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, in code points."""
    found, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append((start, start + len(line)))
        start += len(line) + 1
    return found


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end], without surrounding whitespace."""
    bounds = [start, *(m.end() for m in SENTENCE_END.finditer(text, start, end)), end]
    found = []
    for s, e in zip(bounds, bounds[1:]):
        piece = text[s:e]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if trail > lead:
            found.append((s + lead, s + trail))
    return found


def layout_rows(c: Curation, text: str) -> tuple[list[dict], list[dict]]:
    """Passages from the seed's lines and the curated layout; sentences of the body."""
    lines = lines_with_offsets(text)
    if len(lines) != len(c.layout_lines):
        raise CurationError(
            f"layout: the seed has {len(lines)} non-blank lines, the curation names "
            f"{len(c.layout_lines)}"
        )
    passages, sentences = [], []
    for seq, ((start, end), (kind, opening)) in enumerate(zip(lines, c.layout_lines), 1):
        if not text.startswith(opening, start):
            raise CurationError(
                f"layout line {seq} ({kind}): expected it to open with {opening!r}, "
                f"found {text[start:start + len(opening)]!r}"
            )
        pid = f"p{seq:02d}"
        passages.append(dict(source_id=c.source_id, passage_id=pid, seq=seq, kind=kind,
                             span_start=start, span_end=end, text=text[start:end]))
        if kind == "body_paragraph":
            for s, e in sentence_spans(text, start, end):
                n = len(sentences) + 1
                sentences.append(dict(source_id=c.source_id, sentence_id=f"s{n:02d}",
                                      passage_id=pid, seq=n, span_start=s, span_end=e, text=text[s:e]))
    if c.expected_sentences is not None and len(sentences) != c.expected_sentences:
        raise CurationError(
            f"layout: the body splits into {len(sentences)} sentences, the curation "
            f"expects {c.expected_sentences}"
        )
    return passages, sentences


# Every failure while a record is resolved (a quote not found, a value no record can hold)
# names the script line that added the record, and the record.
@contextlib.contextmanager
def reported_at(origin: Origin, what: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        raise CurationError(f"{origin}: {what}: {reason(exc)}") from exc


def containing(rows: list[dict], start: int, end: int, key: str) -> str | None:
    for row in rows:
        if row["span_start"] <= start and end <= row["span_end"]:
            return row[key]
    return None


def resolve_record(table: Table, record: dict, text: str, sentences: list[dict]) -> dict:
    """Replace each Q(...) by the article's words, filling the start/end of span columns, the
    id of each Mention(...), and the sentence holding the record's span."""
    out = dict(record)
    for start_col, end_col, text_col in spans(table):
        quote = out.get(text_col)
        if isinstance(quote, Quote):
            out[start_col], out[end_col] = resolve(text, quote)
            out[text_col] = quote.words
    for column, value in out.items():
        if isinstance(value, Quote):
            resolve(text, value)
            out[column] = value.words
        elif isinstance(value, Mention):
            out[column] = f"{out['actor_id']}@{resolve(text, value.quote)[0]}"
    if "sentence_id" in table.columns and out.get("sentence_id") is None and "span_start" in out:
        out["sentence_id"] = containing(sentences, out["span_start"], out["span_end"], "sentence_id")
    return out


def mention_rows(c: Curation, text: str, passages: list[dict],
                 sentences: list[dict]) -> tuple[list[dict], list[Origin]]:
    """Every mention, in reading order, with the script line that named it."""
    rows = []
    for spec in c.mention_specs:
        with reported_at(spec.origin, f"mention of {spec.actor_id}"):
            found = (resolve_every(text, spec.quote) if isinstance(spec.quote, Every)
                     else [resolve(text, spec.quote)])
        for start, end in found:
            rows.append((dict(
                source_id=c.source_id, mention_id=f"{spec.actor_id}@{start}",
                actor_id=spec.actor_id, mention_type=spec.mention_type,
                passage_id=containing(passages, start, end, "passage_id"),
                sentence_id=containing(sentences, start, end, "sentence_id"),
                span_start=start, span_end=end, text=text[start:end],
            ), spec.origin))
    rows.sort(key=lambda pair: (pair[0]["span_start"], pair[0]["span_end"], pair[0]["actor_id"]))
    return [row for row, _ in rows], [origin for _, origin in rows]


def excuse_sentences(c: Curation, text: str, sentences: list[dict]) -> dict[str, Origin]:
    """Mark each excused sentence with its reason; the script line excusing each, by id."""
    excused = {}
    for quote, why, origin in c.excusals:
        with reported_at(origin, "excusal"):
            start, end = resolve(text, quote)
        sentence_id = containing(sentences, start, end, "sentence_id")
        if sentence_id is None:
            raise CurationError(f"{origin}: excusal {quote.words!r}: not inside one body "
                                "sentence")
        next(s for s in sentences if s["sentence_id"] == sentence_id)["not_curated_reason"] = why
        excused[sentence_id] = origin
    return excused


def coverage_rows(rows: dict[str, list[dict]]) -> list[dict]:
    """Per body sentence: the rows whose spans overlap it, and covered or excused."""
    out = []
    for sentence in rows["sentences"]:
        counts = {name: sum(r["span_start"] < sentence["span_end"] and r["span_end"] > sentence["span_start"]
                            for r in rows[name])
                  for name in (*CLAIMS, "mentions")}
        reason = sentence.get("not_curated_reason")
        covered = any(counts[name] for name in CLAIMS)
        if not covered and reason is None:
            raise CurationError(
                f"sentence {sentence['sentence_id']} is neither covered nor excused: "
                f"{sentence['text'][:70]!r}…; curate what it asserts, or "
                "c.excuse(Q(...), reason) it"
            )
        out.append(dict(source_id=sentence["source_id"], sentence_id=sentence["sentence_id"],
                        status="covered" if covered else "excused", **counts, reason=reason))
    return out


# The parties of each table an act can be, and the column naming the row.
PARTIES_OF = {"statements": ("statement_attributions", "statement_id"),
              "commitments": ("commitment_parties", "commitment_id"),
              "events": ("event_participants", "event_id")}


def act_rows(rows: dict[str, list[dict]]) -> list[dict]:
    """One act per row that states an event code; the code stays stated on that row only."""
    acts = []
    for record in ACT_RECORDS:
        for row in rows[record]:
            if row.get("cameo_code") is None and row.get("plover_event") is None:
                continue
            cameo = row.get("cameo_code")
            acts.append(dict(
                source_id=row["source_id"], act_id=row[PARTIES_OF[record][1]], record=record,
                statement_id=row.get("statement_id"), part_of=row.get("parent_id"),
                span_start=row["span_start"], span_end=row["span_end"], text=row["text"], cameo_code=cameo,
                cameo_root=cameo[:2] if isinstance(cameo, str) else None,
                plover_event=row.get("plover_event"), plover_mode=row.get("plover_mode"),
                plover_context=row.get("plover_context")))
    return sorted(acts, key=lambda a: (a["span_start"], a["span_end"], a["act_id"]))


def act_party_rows(rows: dict[str, list[dict]], acts: list[dict]) -> list[dict]:
    """Who acts and who receives, for every act, from the parties of its row."""
    found = {}
    for act in acts:
        table, column = PARTIES_OF[act["record"]]
        for party in rows[table]:
            role = act_role(table, party["role"], act["cameo_code"])
            if party[column] == act["act_id"] and role is not None:
                key = (act["act_id"], party["actor_id"], role)
                found[key] = dict(source_id=act["source_id"], act_id=act["act_id"],
                                  actor_id=party["actor_id"], role=role)
    return list(found.values())


def act_origins(rows: dict[str, list[dict]], origins: dict[str, list[Origin]]
                ) -> dict[str, list[Origin]]:
    """Where each act and each of its parties comes from: the script line of the statement,
    commitment or event stating the code, and of the party's own row."""
    of_row, of_party = {}, {}
    for record, (table, column) in PARTIES_OF.items():
        of_row.update((r[column], o) for r, o in zip(rows[record], origins[record]))
        for party, origin in zip(rows[table], origins[table]):
            of_party.setdefault((party[column], party["actor_id"]), origin)
    return {"acts": [of_row[a["act_id"]] for a in rows["acts"]],
            "act_parties": [of_party[p["act_id"], p["actor_id"]] for p in rows["act_parties"]]}


def closure_rows(actors: list[dict], members: list[dict]) -> list[dict]:
    """Every actor with every actor it reaches through members and affiliations, by the
    shortest path (breadth first), itself at depth 0."""
    steps: dict[str, list[tuple[str, str]]] = {a["actor_id"]: [] for a in actors}
    for m in members:
        steps[m["actor_id"]].append(("member", m["member_id"]))
    for a in actors:
        if a.get("affiliation_id"):
            steps[a["actor_id"]].append(("affiliation", a["affiliation_id"]))
    out = []
    for actor_id in steps:
        paths, frontier = {actor_id: "self"}, [actor_id]
        depth = 0
        while frontier:
            out += [dict(actor_id=actor_id, related_id=r, depth=depth, path=paths[r])
                    for r in frontier]
            depth, following = depth + 1, []
            for here in frontier:
                for kind, there in steps[here]:
                    if there not in paths:
                        prefix = "" if paths[here] == "self" else paths[here] + ">"
                        paths[there] = prefix + kind
                        following.append(there)
            frontier = following
    return out


def source_row(c: Curation, record: dict, seed_name: str, text: str, data: bytes) -> dict:
    return {**record, "seed_path": f"seeds/{seed_name}",
            "sha256": hashlib.sha256(data).hexdigest(),
            "length_chars": len(text), "length_bytes": len(data)}


def qualify_ids(table: Table, rows: list[dict], serial: str) -> list[dict]:
    """Prefix every id column with the source's serial, making ids unique in the corpus."""
    id_columns = [f.name for f in table.fields if f.pattern == ID_PATTERN]
    return [{k: f"{serial}.{v}" if k in id_columns and isinstance(v, str) else v
             for k, v in row.items()} for row in rows]


def as_date(value):
    """An ISO date string as a date; anything else as it is (``fits`` judges it)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def fits(value, kind: str) -> bool:
    expected = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
                "date": dt.date}[kind]
    return value is None or (isinstance(value, expected)
                             and not (kind in ("integer", "number") and isinstance(value, bool)))


def to_arrow(table: Table, rows: list[dict], origins: list | None = None) -> pa.Table:
    """Rows → Arrow with the registry's schema; a bad value names its record, the script
    and line that added it (``origins``, one per row), and the column."""
    schema = arrow_schema(table)
    columns = {}
    for f, arrow_field in zip(table.fields, schema):
        values = [row.get(f.name) for row in rows]
        if f.type == "date":
            values = [as_date(v) for v in values]
        missing = next((i for i, v in enumerate(values) if v is None), None) \
            if f.required else None
        if missing is not None:
            where = f"{origins[missing]}: " if origins else ""
            raise CurationError(f"{where}{table.name} {record_key(table, rows[missing])}: "
                                f"column {f.name!r} is required: {f.description}")
        bad = next((i for i, v in enumerate(values) if not fits(v, f.type)), None)
        if bad is not None:
            where = f"{origins[bad]}: " if origins else ""
            raise CurationError(
                f"{where}{table.name} {record_key(table, rows[bad])}: column {f.name!r} "
                f"expects {f.type}{' (an ISO date, YYYY-MM-DD)' if f.type == 'date' else ''}, "
                f"not {rows[bad].get(f.name)!r}")
        columns[f.name] = pa.array(values, type=arrow_field.type)
    return pa.Table.from_pydict(columns, schema=schema)


def record_key(table: Table, record: dict) -> str:
    """A record's key as the script wrote it (local ids), for messages."""
    return ", ".join(f"{k}={record.get(k)}" for k in table.primary_key if k != "source_id") \
        or ", ".join(f"{k}={record.get(k)}" for k in table.primary_key)


def resolve_records(c: Curation, name: str, text: str, sentences: list[dict]) -> list[dict]:
    table, rows = TABLES[name], []
    for record, origin in zip(c.records[name], c.origins[name]):
        with reported_at(origin, f"{name} {record_key(table, record)}"):
            rows.append(resolve_record(table, record, text, sentences))
    return rows


def curate_source(script: Path, seeds: Path = SEEDS) -> tuple[dict[str, list[dict]], dict]:
    """Run one curation script against its seed: every table's rows, resolved, and where
    each curated row was added (the script and line), by table."""
    module = import_script(script)
    seed_path = seeds / module.SEED
    text = read_seed(seed_path, module.SHA256)
    c = Curation(source_id=module.SOURCE_ID)
    try:
        module.curate(c)
    except Exception as exc:  # any failure while the script runs: reported at its lines
        raise script_failure(exc, script) from exc
    layout = c.layout_origin or Origin(str(script), 0)
    try:
        passages, sentences = layout_rows(c, text)
    except CurationError as exc:
        raise CurationError(f"{layout}: {exc}") from None
    excused = excuse_sentences(c, text, sentences)
    rows = {name: resolve_records(c, name, text, sentences) for name in TABLES}
    rows, curated_origins = in_reading_order(rows, c.origins)
    if len(rows["sources"]) != 1:
        raise CurationError(f"{script.name}: give exactly one sources record")
    rows["sources"] = [source_row(c, rows["sources"][0], module.SEED, text,
                                  seed_path.read_bytes())]
    rows["passages"], rows["sentences"] = passages, sentences
    rows["mentions"], mention_origins = mention_rows(c, text, passages, sentences)
    rows = {name: qualify_ids(TABLES[name], table_rows, serial(module.SOURCE_ID))
            for name, table_rows in rows.items()}
    try:
        rows["coverage"] = coverage_rows(rows)
    except CurationError as exc:
        raise CurationError(f"{script.name}: {exc}") from None
    rows["acts"] = act_rows(rows)
    rows["act_parties"] = act_party_rows(rows, rows["acts"])
    origins = {**curated_origins, "mentions": mention_origins,
               "passages": [layout] * len(passages), "sentences": [layout] * len(sentences),
               "coverage": [excused.get(s["sentence_id"], layout) for s in sentences],
               **act_origins(rows, curated_origins)}
    for name in TABLES:  # types first, so that a bad value names its record
        to_arrow(TABLES[name], rows[name], origins[name])
    return rows, origins


def in_reading_order(rows: dict[str, list[dict]], origins: dict[str, list]
                     ) -> tuple[dict[str, list[dict]], dict[str, list]]:
    """The claims (statements, commitments, figures, events) in the order the article reads,
    by where their words start, whatever order the script gave them in; each row keeps the
    script line that added it."""
    rows, origins = dict(rows), dict(origins)
    for name in CLAIMS:
        pairs = sorted(zip(rows[name], origins[name]), key=lambda pair: (pair[0]["span_start"],
                                                                          pair[0]["span_end"]))
        rows[name], origins[name] = [r for r, _ in pairs], [o for _, o in pairs]
    return rows, origins


def check_references(rows: dict[str, list[dict]], origins: dict[str, list]) -> None:
    """Every id a curated record refers to exists, or the error names the record, the
    script and line that added it, and the nearest ids."""
    for name, table in TABLES.items():
        for key in table.foreign_keys:
            if len(key.fields) != 1 or key.table == "sources":
                continue
            column, target = key.fields[0], key.reference[0]
            known = {r[target] for r in rows[key.table]}
            for record, origin in zip(rows[name], origins[name]):
                value = record.get(column)
                if value is not None and value not in known:
                    near = difflib.get_close_matches(value, sorted(known), n=3)
                    hint = f"; did you mean {', '.join(near)}?" if near else ""
                    raise CurationError(f"{origin}: {name} {record_key(table, record)}: "
                                        f"{column} {value!r} is not in {key.table}{hint}")


def check_serials(modules: list[tuple[Path, str]]) -> None:
    """Two scripts may not share a serial: ids would collide."""
    seen: dict[str, Path] = {}
    for path, source_id in modules:
        number = serial(source_id)
        if number in seen:
            raise CurationError(f"{path.name} and {seen[number].name} share the serial "
                                f"{number}; give one of them the next free serial "
                                "(`datapkg new-source` allocates it)")
        seen[number] = path


def merge_corpus_rows(rows: list[dict], origins: list, table: Table) -> tuple[list, list]:
    """The rows of a corpus table (actors, actor_members) that several scripts declare,
    once each: a second declaration must say the same, or both scripts are named."""
    first: dict[tuple, tuple[dict, object]] = {}
    for row, origin in zip(rows, origins):
        key = tuple(row.get(k) for k in table.primary_key)
        if key not in first:
            first[key] = (row, origin)
            continue
        earlier, where = first[key]
        differ = [c for c in table.columns if earlier.get(c) != row.get(c)]
        if differ:
            raise CurationError(
                f"{table.name} {record_key(table, row)} is declared twice, differently: at "
                f"{where} and at {origin}; they differ in {', '.join(differ)} "
                f"({', '.join(f'{earlier.get(c)!r} vs {row.get(c)!r}' for c in differ)}); "
                "declare it once, or the same way")
    # In key order: where an actor is declared (the corpus, an article) does not move its row.
    ordered = sorted(first.items(), key=lambda item: item[0])
    return [r for _, (r, _) in ordered], [o for _, (_, o) in ordered]


def assemble(scripts: Path = SCRIPTS, seeds: Path = SEEDS) -> tuple[dict[str, pa.Table], dict]:
    """Every table from every curation script, and each seed's file by source id."""
    tables, seed_files, _ = assemble_with_origins(scripts, seeds)
    return tables, seed_files


# (table, row key as validation reports it) → the script line that made the row.
Origins = dict[tuple[str, str], Origin]


def unfinished(rows: dict[str, list[dict]], origins: dict[str, list]) -> list[str]:
    """Each body sentence still excused as not yet curated: the line excusing it, its id and
    its opening words."""
    texts = {s["sentence_id"]: s["text"] for s in rows["sentences"]}
    return [f"{origin}: sentence {row['sentence_id']} is still excused as {NOT_YET!r} "
            f"({texts[row['sentence_id']][:60]!r}…)"
            for row, origin in zip(rows["coverage"], origins["coverage"])
            if row["reason"] == NOT_YET]


def assemble_with_origins(scripts: Path = SCRIPTS, seeds: Path = SEEDS, draft: bool = False
                          ) -> tuple[dict[str, pa.Table], dict, Origins]:
    """``assemble``, and where each row comes from, by table and row key: the script line of a
    curated row, of the row a derived one rests on (an act's statement, commitment or event,
    an act party's own party row, a closure's actor, a sentence's layout or excusal), or the
    line of the crosswalk file. Unless ``draft``, a sentence still excused as not yet curated
    stops it, naming every such sentence."""
    all_rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    all_origins: dict[str, list] = {name: [] for name in TABLES}
    corpus_rows, corpus_origins = curate_corpus(scripts)  # first: articles extend it
    all_rows.update(corpus_rows)
    all_origins.update(corpus_origins)
    seed_files, sources = {}, []
    for script in curation_scripts(scripts):
        rows, origins = curate_source(script, seeds)
        for name in TABLES:
            all_rows[name] += rows[name]
            all_origins[name] += origins[name]
        source = rows["sources"][0]
        sources.append((script, source["source_id"]))
        seed_files[source["source_id"]] = seeds / Path(source["seed_path"]).name
    if not seed_files:
        raise CurationError(f"no curation scripts (curate_*.py) under {scripts}")
    check_serials(sources)
    left = [] if draft else unfinished(all_rows, all_origins)
    if left:
        raise CurationError(
            f"{len(left)} sentence(s) not yet curated; curate each, or excuse it with its real "
            "reason (`datapkg build --draft` checks work in progress without publishing):\n  "
            + "\n  ".join(left))
    for name in CORPUS_TABLES:
        all_rows[name], all_origins[name] = merge_corpus_rows(all_rows[name], all_origins[name],
                                                              TABLES[name])
    check_references(all_rows, all_origins)  # before the closure follows them
    all_rows["actor_closure"] = closure_rows(all_rows["actors"], all_rows["actor_members"])
    declared = dict(zip((a["actor_id"] for a in all_rows["actors"]), all_origins["actors"]))
    all_origins["actor_closure"] = [declared[r["actor_id"]] for r in all_rows["actor_closure"]]
    all_rows["code_crosswalk"] = published(
        (a["cameo_code"], a["plover_event"], a["plover_mode"]) for a in all_rows["acts"])
    all_origins["code_crosswalk"] = [Origin(str(CROSSWALK), 0)] * len(all_rows["code_crosswalk"])
    tables = {name: to_arrow(TABLES[name], rows, all_origins[name])
              for name, rows in all_rows.items()}
    return tables, seed_files, {(name, TABLES[name].key_text(row)): origin
                                for name in TABLES
                                for row, origin in zip(all_rows[name], all_origins[name])}
