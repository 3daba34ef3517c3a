"""The vocabulary of a curation script: records that carry the article's own words.

A script under ``scripts/`` defines ``SOURCE_ID``, ``SEED`` (the seed's file name), ``SHA256``
and ``curate(c: Curation)``, and tells the article's story top to bottom: ``c.add(...)`` for
a row of any table, and the helpers below for the rows that come together (``c.actor``,
``c.say`` for a statement with its attribution chain, ``c.commit`` for a commitment with its
parties, ``c.figure``, ``c.participants``), ``c.layout(...)``, ``c.mention(...)`` and
``c.excuse(...)``. Spans are never typed in by hand: a record gives ``Q("the article's
words")`` and the build finds them (``datapkg.evidence``). Every record remembers the line
of the script that added it, so that an error names the script, the line and the record.
"""

from __future__ import annotations

import linecache
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from datapkg.errors import CurationError
from datapkg.evidence import Every, Quote
from datapkg.registry import CORPUS_TABLES, PARTY_ROLES, TABLES, spans

Q = Quote

# Tables the build derives from the seed and the layout rather than from records.
DERIVED = ("passages", "sentences", "mentions", "coverage", "acts", "act_parties",
           "actor_closure", "code_crosswalk")
# The corpus tables a curation declares (the others are derived).
CORPUS_CURATED = tuple(name for name in CORPUS_TABLES if name not in DERIVED)
# The reason `datapkg new-source` excuses every body sentence with. A build refuses a package
# whose sentences still carry it (nothing half-curated publishes); `build --draft` checks
# the work in progress and publishes nothing.
NOT_YET = "not yet curated"
# code_note conventions shared by every article.
ASSESSMENT = "The article's own assessment: not an event between actors; not coded."
NO_PLOVER = ("PLOVER has no type for it: '01 & MAKE PUBLIC STATEMENT & dropped' "
             "(PLOVER_MANUAL.tex l. 1205).")


@dataclass(frozen=True)
class Mention:
    """In a mention_id column: the mention of the record's actor_id at these words."""

    quote: Quote


@dataclass(frozen=True)
class Origin:
    """Where a record was added: the script and the line."""

    script: str
    line: int

    def __str__(self) -> str:
        return Path(self.script).name + (f":{self.line}" if self.line else "")


def caller() -> Origin:
    """The first frame outside this module: the script's line that added the record."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return Origin(frame.f_code.co_filename, frame.f_lineno) if frame else Origin("?", 0)


# Every failure while a script runs (its import, its curate(), a helper of its own, a call into
# this module) is reported at the script's lines that led to it, never as a bare message.
def script_failure(exc: BaseException, script: Path) -> CurationError:
    """``exc``, raised while ``script`` ran, as an error naming every line of the script on
    the way to it, outermost first (the line that called a helper of the script's own, then
    the helper's), and the words of the innermost call (its record or arguments)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).resolve() == Path(script).resolve()]
    where = " → ".join(f"{Origin(f.filename, f.lineno)} in {f.name}" for f in frames)
    if isinstance(exc, SyntaxError) and Path(exc.filename or "").resolve() == \
            Path(script).resolve():
        where = str(Origin(exc.filename, exc.lineno or 0))
    call = f"; the call: {call_words(frames[-1])}" if frames else ""
    return CurationError(f"{where or Path(script).name}: {reason(exc)}{call}")


def reason(exc: BaseException) -> str:
    """What went wrong: a curation error's own words, any other error's kind and words."""
    return str(exc) if isinstance(exc, CurationError) else f"{type(exc).__name__}: {exc}"


def call_words(frame: traceback.FrameSummary, limit: int = 240) -> str:
    """The expression a frame was running (a call and its arguments), on one line."""
    lines = linecache.getlines(frame.filename)[frame.lineno - 1:frame.end_lineno or frame.lineno]
    if not lines:
        return repr(frame.line)
    if frame.colno is not None and frame.end_colno is not None:  # offsets count UTF-8 bytes
        last = lines[-1].encode()[:frame.end_colno].decode(errors="replace")
        lines = [*lines[:-1], last]
        lines[0] = lines[0].encode()[frame.colno:].decode(errors="replace")
    words = " ".join("".join(lines).split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def parts(item, names: tuple[str, ...], what: str) -> tuple:
    """``item`` as the tuple ``names`` it must be, or an error that gives the shape."""
    if not isinstance(item, tuple | list) or len(item) != len(names):
        shape = f"has {len(item)} parts" if isinstance(item, tuple | list) else "is not a tuple"
        raise CurationError(f"{what} {item!r} {shape}; give ({', '.join(names)})")
    return tuple(item)


PARTY = ("actor_id", "mention words or None")
RELAY = ("actor_id", "mention words or None", "cue words",
         "how it gives the next source's words: direct, indirect or mixed")


def codes(cameo=None, plover=None, mode=None, context=None, note=None) -> dict:
    """The event-code columns of a statement, commitment or event."""
    return dict(cameo_code=cameo, plover_event=plover, plover_mode=mode,
                plover_context=context, code_note=note)


@dataclass
class MentionSpec:
    actor_id: str
    mention_type: str
    quote: Quote | Every
    origin: Origin


@dataclass
class Curation:
    source_id: str
    author: str | None = None  # actor at depth 0 of every chain: who wrote the story
    records: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {t: [] for t in TABLES})
    layout_lines: list[tuple[str, str]] = field(default_factory=list)
    layout_origin: Origin | None = None
    expected_sentences: int | None = None
    mention_specs: list[MentionSpec] = field(default_factory=list)
    excusals: list[tuple[Quote, str, Origin]] = field(default_factory=list)

    def add(self, table: str, **values) -> None:
        """One row of ``table``; span columns take ``Q(...)`` in their text column."""
        if table not in TABLES or table in DERIVED:
            raise CurationError(f"cannot add records to table {table!r}")
        columns = TABLES[table].columns
        derived = {c for triple in spans(TABLES[table]) for c in triple[:2]}
        unknown = sorted(set(values) - set(columns))
        bad = unknown + sorted(set(values) & derived)
        if bad:
            raise CurationError(
                f"{table} record {values!r}: unknown or derived column(s) {bad}; "
                f"give spans as text=Q('...'); columns: {', '.join(columns)}"
            )
        source = {"source_id": self.source_id} if "source_id" in columns else {}
        self.records[table].append({**source, **values})
        self.origins[table].append(caller())

    def layout(self, lines: list[tuple[str, str]], sentences: int) -> None:
        """The kind of each non-blank line of the seed, in order, with its opening words."""
        self.layout_lines = list(lines)
        self.layout_origin = caller()
        self.expected_sentences = sentences

    def mention(self, actor_id: str, mention_type: str, *quotes: Quote | Every) -> None:
        """Surface forms of one actor: ``Q`` for one occurrence, ``Every`` for all of them."""
        self.mention_specs += [MentionSpec(actor_id, mention_type, q, caller()) for q in quotes]

    def excuse(self, sentence: Quote, reason: str) -> None:
        """Leave the sentence holding ``sentence`` uncurated, on purpose, for ``reason``."""
        self.excusals.append((sentence, reason, caller()))

    # --- rows that come together ----------------------------------------------------------

    def actor(self, actor_id: str, name: str, kind: str, *, title: Quote | None = None,
              **rest) -> None:
        """An actor of the corpus, and the title this article gives it (its words). Another
        script may declare the same actor again only with the same values."""
        self.add("actors", actor_id=actor_id, name=name, kind=kind, **rest)
        if title is not None:
            self.title(actor_id, title)

    def title(self, actor_id: str, title: Quote) -> None:
        """The title this article gives an actor of the corpus (its words)."""
        self.add("actor_titles", actor_id=actor_id, title=title)

    def members(self, group_id: str, *member_ids: str) -> None:
        """The members of a group actor."""
        for member_id in member_ids:
            self.add("actor_members", actor_id=group_id, member_id=member_id)

    def say(self, sid: str, content: Quote, quote_type: str, speakers=(), *, cue=None,
            relays=(), reporter_implicit=False, source_error=None, made_at=None, about=None,
            date=None, epistemic=None, hedge=None, coded=None, note=None) -> None:
        """A statement with its attribution chain: the author (depth 0) → each relay
        ``(actor_id, mention words, cue words, how it gives the next source's words)`` → the
        speakers ``(actor_id, mention words or None)``. The first link's quote type is the
        statement's. A relay or speaker whose mention is None is one the text implies without
        naming it here (``implicit``): "The statement said …" after the sentence naming the
        ministry. ``epistemic`` defaults to reported where there are speakers, asserted where
        there are none."""
        if self.author is None:
            raise CurationError("set c.author (who wrote the story) before c.say")
        relays = [parts(r, RELAY, f"statement {sid}: relay") for r in relays]
        speakers = [parts(s, PARTY, f"statement {sid}: speaker") for s in speakers]
        held = epistemic or ("reported" if speakers else "asserted")
        self.add("statements", statement_id=sid, quote_type=quote_type, text=content,
                 cue_text=cue, source_error=source_error is not None,
                 source_error_note=source_error, reporter_implicit=reporter_implicit,
                 epistemic=held, hedge_text=hedge, made_at_event_id=made_at,
                 about_event_id=about, note=note, **(date or {}),
                 **(coded or codes(note=ASSESSMENT)))
        self.add("statement_attributions", statement_id=sid, depth=0, actor_id=self.author,
                 role="author", implicit=True)
        given = quote_type
        for depth, (actor_id, mention, relay_cue, passes) in enumerate(relays, 1):
            self.add("statement_attributions", statement_id=sid, depth=depth,
                     actor_id=actor_id, role="reporter", mention_id=mention and Mention(mention),
                     implicit=mention is None, quote_type=given, cue_text=relay_cue)
            given = passes
        for actor_id, mention in speakers:
            self.add("statement_attributions", statement_id=sid, depth=len(relays) + 1,
                     actor_id=actor_id, role="speaker", mention_id=mention and Mention(mention),
                     implicit=mention is None, quote_type=given)

    def commit(self, cid: str, words: Quote, statement: str, kind: str, domain: str, *,
               committers, addressees=(), beneficiaries=(), targets=(), parent=None,
               made_at=None, about=None, deadline=None, items=None, negated=False, coded=None,
               note=None) -> None:
        """A commitment and its parties, each party ``(actor_id, mention words or None)``."""
        stated, reported = items or (None, None)
        self.add("commitments", commitment_id=cid, parent_id=parent, statement_id=statement,
                 kind=kind, domain=domain, text=words, is_future=True, is_conditional=False,
                 is_negated=negated, items_stated=stated, items_reported=reported,
                 made_at_event_id=made_at, about_event_id=about, note=note,
                 **(deadline or {}), **(coded or codes()))
        for role, parties in zip(PARTY_ROLES, (committers, addressees, beneficiaries, targets)):
            for actor_id, mention in (parts(p, PARTY, f"commitment {cid}: {role}")
                                      for p in parties):
                self.add("commitment_parties", commitment_id=cid, actor_id=actor_id, role=role,
                         mention_id=mention and Mention(mention))

    def figure(self, fid: str, words: Quote, kind: str, counted: str, *, statement,
               event=None, whose=None, value=None, low=None, high=None, unit=None, date=None,
               as_of=None, approximate=False, note=None) -> None:
        """A number or date the text states; a range has low and high, never a midpoint.
        ``approximate`` where the text marks it so ('some 3,000'); ``as_of``, when it holds:
        ``Q("as of June")``, or a dict like ``date``'s (as_of, as_of_resolved,
        as_of_precision, as_of_basis)."""
        held = as_of if isinstance(as_of, dict) else {"as_of": as_of}
        self.add("figures", figure_id=fid, text=words, kind=kind, counted=counted,
                 statement_id=statement, event_id=event, whose_id=whose, value=value, low=low,
                 high=high, unit=unit, approximate=approximate, note=note, **(date or {}),
                 **held)

    def participants(self, event: str, role: str, *actors) -> None:
        """Participants of an event in one role, each ``(actor_id, mention words or None)``:
        participant, or host and visitor of a visit, withdrawing_party, party, perpetrator,
        target."""
        for actor_id, mention in (parts(a, PARTY, f"event {event}: {role}") for a in actors):
            self.add("event_participants", event_id=event, actor_id=actor_id, role=role,
                     mention_id=mention and Mention(mention))


@dataclass
class Corpus(Curation):
    """``scripts/corpus.py``: what belongs to the whole corpus and to no one article — the
    actors every article may refer to, and their members. Its ``curate(c: Corpus)`` runs
    before any article's script; an article may declare more actors, and may declare one of
    these again only with the same values."""

    source_id: str | None = None

    def add(self, table: str, **values) -> None:
        if table not in CORPUS_TABLES:
            raise CurationError(
                f"the corpus declares only {', '.join(CORPUS_CURATED)}; a {table} "
                "row is what an article says: give it in that article's script")
        super().add(table, **values)

    def actor(self, actor_id: str, name: str, kind: str, *, title: Quote | None = None,
              **rest) -> None:
        if title is not None:
            raise CurationError(f"actor {actor_id}: a title is what an article "
                                "calls an actor; give it in that article's script "
                                f"(c.title({actor_id!r}, Q(...)))")
        super().actor(actor_id, name, kind, **rest)
