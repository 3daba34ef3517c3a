"""The field registry: every column of every table, written once.

Everything else is derived from here: the pandera schemas (``datapkg.validate``), the Table
Schemas in ``schemas/`` and the descriptor (``datapkg.descriptor``), the Croissant metadata
(``datapkg.croissant``), the Arrow schema and the loader's pandas dtypes (``datapkg.typemap``)
and the codebook (``datapkg.codebook``).

This module is plain Python with no third-party imports, so the loader can use it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Types are Table Schema types; ``datapkg.typemap`` maps them to pandas and Arrow.
TYPES = ("string", "integer", "number", "boolean", "date")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    unit: str | None = None
    example: str | None = None
    definitions: tuple[tuple[str, str], ...] = ()  # (value, definition) for each enum value

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name!r}: unknown type {self.type!r}")
        if isinstance(self.enum, dict):  # a vocabulary: its values and their definitions
            object.__setattr__(self, "definitions", tuple(self.enum.items()))
            object.__setattr__(self, "enum", tuple(self.enum))


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    joins: str = ""

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def key_text(self, row) -> str:
        """A row's primary key as reports show it: ``column=value, …`` (``row`` maps each
        column of the key to its value)."""
        return ", ".join(f"{k}={row[k]}" for k in self.primary_key)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")


# --- vocabularies -----------------------------------------------------------------------

# Each vocabulary maps its values to their definitions; a Field given one as ``enum`` keeps
# the values as its enum and the definitions for the codebook.
PASSAGE_KINDS = {
    "blog_name": "the name of the blog atop the page ('Grand Tour')",
    "page_title": "the title of the web page, often the headline and the site's name",
    "navigation": "a navigation label of the site ('Recent Features')",
    "breadcrumb": "the trail of sections leading to the article ('Grand Tour | Security | "
                  "Europe')",
    "byline": "the line naming who wrote the story, on a line of its own ('By Jane Doe', "
              "'Associated Press')",
    "dateline": "the place (and date) the story was filed from, on a line of its own "
                "('STRELSAU (AP) —'); the place is an actor of kind place, mentioned here",
    "headline": "the article's headline",
    "deck": "the line under the headline that sums up the article",
    "image_caption": "the caption of an image",
    "image_credit": "the credit line of an image ('Credit: Stock Photos')",
    "body_paragraph": "a paragraph of the article's text, split into body sentences",
}
ACTOR_KINDS = {
    "state": "a sovereign country ('Ruritania', 'Graustark')",
    "government": "the government of a state ('the Graustark government')",
    "ministry": "a ministry or department of a government ('the Ruritanian Ministry of "
                "Defence')",
    "person": "a named individual ('Rudolf Rassendyll')",
    "organisation": "a named organisation that is none of the other kinds ('the Red Cross')",
    "armed_group": "a non-state armed or militant group ('the Black Hand')",
    "media": "a news agency, outlet or blog ('the Ruritanian News Agency')",
    "ethnic_group": "a people or ethnic group ('the Vlachs')",
    "region": "a geographic region or a subdivision of a state ('the Balkans', 'the "
              "northern region')",
    "place": "a city, town or site named as a location ('Strelsau' in a dateline, 'talks in "
             "Zenda'), with its state as affiliation_id. A place is where, not who: it is "
             "never a party to an act, and PLOVER records carry no location for it (their "
             "event_loc is a Geonames object, which the package does not confirm). A city "
             "standing for a government ('the Kremlin says') is a metonym mention of that "
             "government or state, not a place",
    "alliance": "a standing alliance of states ('the Northern League')",
    "military_force": "troops or forces, of one state or several ('2,000 allied "
                      "peacekeepers')",
    "group_of_states": "several states the text refers to together ('the two sides', 'its "
                       "allies')",
    "group_of_persons": "several named persons the text refers to together ('the foreign "
                        "ministers of Ruritania and Graustark')",
    "generic_group": "an unnamed, open class of actors ('armed groups', 'militias')",
}
MENTION_TYPES = {
    "name": "a proper name ('Rudolf Rassendyll', 'Ruritania')",
    "nominal": "a common noun phrase ('the country', 'the two sides')",
    "pronoun": "a pronoun or possessive ('its', 'they', 'their')",
    "adjectival": "an adjective of the name ('Ruritanian', 'Graustarkian')",
    "metonym": "a place or group standing for the actor ('the Kremlin', 'the Ruritanians')",
}
QUOTE_TYPES = {
    "direct": "all of the content inside quotation marks, even where the marks open before "
              "the speaker's verb",
    "indirect": "reported in the reporter's words, nothing quoted",
    "mixed": "partly quoted",
    "assessment": "the article's own claim: no source beyond the writer",
}
# How one link of a chain gives the words of the next (an assessment has no such link).
LINK_QUOTE_TYPES = {k: v for k, v in QUOTE_TYPES.items() if k != "assessment"}
EPISTEMICS = {
    "asserted": "the article states it as fact, in its own voice",
    "reported": "the article attributes it to a source (its chain has a source beyond the "
                "writer)",
    "inferred": "the article's own reading of a motive, attitude or likelihood, which no one is "
                "reported to have said ('apparent effort', 'has long resented')",
}
ATTRIBUTION_ROLES = {
    "author": "depth 0: the writer of the text (the wire service where syndicated)",
    "reporter": "a relay between the writer and the speaker (an agency that reported, quoted or "
                "said; a body according to which)",
    "speaker": "the origin: whose words the statement gives. Of a report that an event other "
               "than a speech act happened (a meeting, a clash), the source that reports it: the "
               "event's participants are its parties, not its speakers; of a report of what "
               "parties said or agreed, those parties",
}
COMMITMENT_KINDS = {
    "agreement": "a position or undertaking that several parties reach or state together "
                 "(the callers are the whole group called on: decision rule b)",
    "pledge": "an undertaking one party gives",
    "intention": "an aim a party states for itself ('aim to')",
    "appeal": "a call on others, or on a group including oneself, to act, where the callers "
              "are not the whole group called on (decision rule b)",
    "plan": "a course of action the text says a party is preparing, with no declaration "
            "reported",
}
DOMAINS = {
    "security": "security and stability, without a narrower domain",
    "counterterrorism": "action against terrorist groups or their use of territory",
    "political": "political relations, trust and peace processes",
    "economic": "trade, investment, development and infrastructure",
    "diplomatic": "meetings, dialogue and mediation between governments",
    "military": "troops and their deployment or withdrawal",
}
PARTY_ROLES = {
    "committer": "who commits; for an appeal, who makes it; for a joint agreement, the states "
                 "whose ministers agreed",
    "addressee": "to whom an appeal or pledge is addressed",
    "beneficiary": "for whose sake, including a party welcomed, supported or protected (the "
                   "neighbours a ban on cross-border raids protects), also by the commitment's "
                   "aim, which its words leave out (whose situation 'to prevent …' protects)",
    "target": "an actor the committed action, or its aim, is directed against (what 'to "
              "prevent the return of …' prevents)",
}
COVERAGE_STATUSES = {
    "covered": "at least one statement, commitment, figure or event rests on the sentence",
    "excused": "the curation leaves the sentence out on purpose, with a reason",
}
FIGURE_KINDS = {
    "count": "a number of things, with a value",
    "ordinal": "a position in a series ('second'), with a value",
    "range": "two bounds ('1,000-1,200'), with low and high and no value",
    "date": "a calendar date ('March 5')",
    "weekday": "a day of the week ('Tuesday'), resolved to a date",
}
EVENT_KINDS = {
    "meeting": "a meeting, talks or a conference, held or planned",
    "withdrawal": "a withdrawal of forces",
    "armed_conflict": "fighting between armed parties",
    "repression": "coercion of a population by a government",
}
EVENT_STATUSES = {
    "occurred": "it has happened, as the text tells, where the text does not say whether it "
                "goes on (a thing a party 'has justified' or 'carried out')",
    "planned": "it has not happened; the text reports an aim or plan for it",
    "ongoing": "the text says it is under way, or names it as lasting ('constant', 'continuing', "
               "'is under way')",
}
PARTICIPANT_ROLES = {
    "participant": "takes part in a meeting where no side hosts the other ('the foreign "
                   "ministers of Ruritania and Graustark met by video link')",
    "host": "receives the others at its residence, office or country ('Graustark hosted the talks', "
            "'the minister received his counterpart in Strelsau'). In act_parties the host is the actor"
            " of CAMEO 043 'Host a visit' ('Host or receive a visitor at residence, office or home "
            "country'), the visitor its recipient; under any other code (042 'Make a visit', 04 "
            "consult) the host is the recipient. PLOVER records (CONSULT, mode visit: 'Source actor is "
            "visiting, recipient is hosting') give the host as recipient under either code",
    "visitor": "travels to the host for the meeting ('the minister visited Zenda'). In act_parties "
               "the visitor is the actor of CAMEO 042 'Make a visit' ('Travel to another "
               "location for a meeting or other event') and of any other meeting code, the "
               "recipient of 043 'Host a visit'. PLOVER records give the visitor as source "
               "under either code",
    "withdrawing_party": "withdraws forces ('Ruritania is getting ready to pull "
                         "its troops out')",
    "party": "one side of a conflict ('clashes between the army and the "
             "rebels')",
    "perpetrator": "carries out a repression ('the Graustark government' of 'its campaign "
                   "against the hill peoples')",
    "target": "the group a repression is directed at ('the hill peoples of the north')",
}
# CAMEO 1.1b3 codes that are the host's act (043 'Host a visit'): under them a host acts and a
# visitor receives; under every other code the visitor acts and the host receives. PLOVER codes
# the visitor as source whatever the CAMEO code (PLOVER_MANUAL.tex at 6b85b9a, CONSULT: 'the
# visitor will always be coded as the source actor and the host will be the recipient').
HOSTING_CODES = ("043",)
PRECISIONS = {
    "day": "the resolved date is exact to the day",
    "month": "only the month is known (day set to the first)",
    "year": "only the year is known (month and day set to the first)",
}
# The rows an act can be: a statement (a speech act), a commitment, an event.
ACT_RECORDS = {
    "statements": "a speech act coded on the statement (a comment, a justification)",
    "commitments": "what an actor agrees, pledges, intends, asks or plans",
    "events": "what happens (a meeting, a withdrawal, fighting, a crackdown)",
}
ACT_PARTY_ROLES = {
    "actor": "who performs the act, CAMEO's source and PLOVER's (the two sides, who agree "
             "to 'welcome the rebels back into politics'); of a hosted visit "
             "(CAMEO 043) the host, whom PLOVER records give as recipient",
    "recipient": "towards, for or against whom, CAMEO's target and PLOVER's recipient (the "
                 "rebels, there); of a hosted visit (CAMEO 043) the visitor, whom PLOVER "
                 "records give as source",
}
# Which parties of a row act and which receive, by table and role. A commitment's target (what
# the committed action is directed against) never receives the act: CAMEO's target of an
# appeal or an expression of intent is whom it is addressed to (020: "the source asks that the
# target does something either for self or for a third party").
ACTING = {"statement_attributions": {"speaker": "actor"},
          "commitment_parties": {"committer": "actor", "addressee": "recipient",
                                 "beneficiary": "recipient"},
          "event_participants": {"participant": "actor", "withdrawing_party": "actor",
                                 "party": "actor", "perpetrator": "actor", "target": "recipient",
                                 "visitor": "actor", "host": "recipient"}}
# The CAMEO codes whose target is the one the commitment serves (032: "The target should be
# the recipient of the potential support"; 033 aid; 039 mediation between the parties): only
# for these is a beneficiary a recipient.
SERVED_RECEIVE = ("032", "033", "039")
SWAPPED = {"actor": "recipient", "recipient": "actor"}


def act_role(table: str, role: str, cameo: str | None) -> str | None:
    """What a party of a row is to the row's act (actor, recipient or nothing), by its role and
    the act's CAMEO code: a beneficiary receives only where the code serves it; a host acts
    and a visitor receives only under a hosting code (043), the reverse under any other."""
    cameo = cameo or ""
    if role == "beneficiary" and not cameo.startswith(SERVED_RECEIVE):
        return None
    acting = ACTING[table].get(role)
    return SWAPPED[acting] if role in ("host", "visitor") and cameo.startswith(HOSTING_CODES) \
        else acting


ACT_RELATIONS = {
    "restates": "from_id summarises what to_id reports in full; only to_id is coded",
    "realises": "from_id, an event, is what to_id plans or intends (done where the event has "
                "occurred or is ongoing, still to come where it is planned); one of them is "
                "coded",
    "same_point_as": "from_id reports to_id's point through another source; one of them is "
                     "coded",
}
PROVENANCES = {
    "article": "stated in the article: the span gives the words",
    "external": "from outside the article: basis says from where",
    "computed": "computed by the build from the seed",
}
# Citation File Format 1.2.0 reference types that a news article can be.
WORK_TYPES = {
    "magazine-article": "an article in a magazine (CFF 1.2.0 type)",
    "newspaper-article": "an article in a newspaper (CFF 1.2.0 type)",
    "article": "an article of another sort (CFF 1.2.0 type)",
    "blog": "a blog post (CFF 1.2.0 type)",
}

# Every pattern is a whole-value match in every engine that checks it. A pattern is written
# as XML Schema writes it, which is what a Table Schema's ``pattern`` means: anchored at both
# ends implicitly, so it has no ``^`` or ``$`` (XML Schema reads them as the characters), and
# an alternation sits inside parentheses (a reader that anchors by writing ``^`` and ``$``
# around it anchors every branch). It uses only what Python's re, RE2 (Arrow) and XML Schema
# read alike: literal characters, ASCII classes and ranges, groups and counted repeats; never
# ``.``, ``\d``, ``\s``, ``\w`` or their negations, whose sets differ between them. Each engine
# anchors it as its own syntax needs (``datapkg.validate``: ``re.fullmatch``; ``^(?:…)$`` in
# RE2, where ``$`` is only the end of the text), so a value with a final newline matches none.
# (frictionless writes ``^`` and ``$`` around it for Python's re, whose ``$`` also matches
# before a final newline: it lets such a value through, and ``datapkg validate`` refuses it.)
# A source id is the seed's serial (three digits or more), an underscore and 16 hex digits.
# Row ids are unique across the whole corpus: the source's serial, a dot, and a local name.
# Curation scripts write the local name; the build adds the serial.
SOURCE_ID_PATTERN = r"[0-9]{3,}_[0-9a-f]{16}"
ID_PATTERN = r"[0-9]{3,}\.[a-z0-9][a-z0-9_@-]*"
# Actors belong to the corpus, not to one article: an actor id is a plain name (``pakistan``,
# ``rudolf_rassendyll``), declared once and referred to by every article that names the actor.
ACTOR_ID_PATTERN = r"[a-z][a-z0-9_]*"


# Every text cell holds only what every documented reader reads the same way: no control
# character (Unicode category Cc) but tab and newline. A NUL ends a cell in R and C readers,
# a carriage return or U+0085 ends a line for some and not others, an escape (ESC, CSI) drives
# a terminal. Validation finds one with this class, in Python's re and in RE2 alike.
CONTROL_CHARACTER = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"


def serial(source_id: str) -> str:
    """The serial of a source: the digits before the underscore."""
    return source_id.split("_", 1)[0]

# --- shared fields ----------------------------------------------------------------------
# Written once, reused by every table that has the column; ``about`` rewrites the
# description for one table without restating the rest.


def about(f: Field, description: str, **changes) -> Field:
    return replace(f, description=description, **changes)


SOURCE_ID = Field(
    "source_id", "string", "Source (article) the row comes from; joins to sources.source_id.",
    required=True, pattern=SOURCE_ID_PATTERN, example="000_3973c4e353543ee9",
)
START = Field(
    "span_start", "integer",
    "Start of the evidence span: 0-based Unicode code point offset into the source's seed text.",
    required=True, minimum=0, unit="code points", example="986",
)
END = Field(
    "span_end", "integer",
    "End of the evidence span (exclusive): 0-based code point offset into the seed text.",
    required=True, minimum=1, unit="code points", example="1018",
)
TEXT = Field(
    "text", "string",
    "The evidence, verbatim: exactly the seed's characters from span_start to span_end.",
    required=True, example="Ruritanian Foreign Minister Rudolf Rassendyll",
)
SENTENCE_ID = Field(
    "sentence_id", "string", "Body sentence holding the span; joins to sentences.sentence_id.",
    pattern=ID_PATTERN, example="000.s07",
)
ACTOR_ID = Field(
    "actor_id", "string", "Actor, shared by the corpus; joins to actors.actor_id.",
    required=True, pattern=ACTOR_ID_PATTERN, example="rudolf_rassendyll",
)
MENTION_ID = Field(
    "mention_id", "string",
    "Mention naming the actor here, where the text names it; joins to mentions.mention_id.",
    pattern=ID_PATTERN, example="000.rudolf_rassendyll@986",
)
STATEMENT_ID = Field(
    "statement_id", "string", "Statement; joins to statements.statement_id.",
    required=True, pattern=ID_PATTERN, example="000.st03",
)
COMMITMENT_ID = Field(
    "commitment_id", "string", "Commitment; joins to commitments.commitment_id.",
    required=True, pattern=ID_PATTERN, example="000.c01",
)
EVENT_ID = Field(
    "event_id", "string", "Event; joins to events.event_id.",
    required=True, pattern=ID_PATTERN, example="000.meeting",
)
NOTE = Field("note", "string", "Curator's note: reasons, ambiguities, decisions.")
# The PLOVER this package follows, pinned to one commit of the manual.
PLOVER_MANUAL = "openeventdata/PLOVER PLOVER_MANUAL.tex at 6b85b9a (2021-08-02, version 0.8)"
CAMEO_CODE = Field(
    "cameo_code", "string",
    "CAMEO event code (external codebook: CAMEO 1.1b3), confirmed against its manual; null "
    "where none fits.",
    pattern=r"[0-9]{2,4}", example="036",
)
PLOVER_EVENT = Field(
    "plover_event", "string",
    f"PLOVER event type (external codebook: {PLOVER_MANUAL}), confirmed against the manual; "
    "null where none fits (PLOVER drops CAMEO's comments and appeals).",
    pattern=r"[A-Z_]+", example="AGREE",
)
PLOVER_MODE = Field(
    "plover_mode", "string", "PLOVER mode of the event type, where the codebook defines one.",
    pattern=r"[A-Za-z_]+(-[A-Za-z_]+)*",  # as the manual spells them: third-party, sideAB
)
# PLOVER 0.8 contexts (general and special), with the manual's own words for each:
# PLOVER_MANUAL.tex at openeventdata/PLOVER 6b85b9a (2021-08-02), "General contexts" (table
# tab:context) and "Special contexts" (their examples).
PLOVER_CONTEXTS = {
    "military": "military, including military assistance",
    "intelligence": "intelligence or information",
    "peacekeeping": "peacekeeping–typically multilateral operations",
    "economic": "trade, finance and economic development",
    "diplomatic": "diplomacy",
    "resource": "territory and natural resources",
    "disease": "disease outbreaks and epidemics",
    "enviro_disaster": "environment, climate change; disasters including both \"natural\" and "
                       "accidents/spills etc.",
    "migration": "migration, refugees, and displaced people",
    "humanitarian": "humanitarian assistance generally",
    "asylum": "discussions of seeking or granting asylum",
    "legal": "courts and judiciary; national and international law, not including human rights",
    "human_rights": "explicit mentions of the term human rights",
    "rights_freedoms": "discussions of political rights and freedoms, restrictions on civil "
                       "rights, movement, gathering etc.",
    "gender": "mentions of gender, women's issues, gender equality, etc.",
    "lgbt": "LGBTQ",
    "terrorism": "terrorism",
    "human_security": "access to water, food, housing, energy, land tenure, etc.",
    "religion_ethnicity": "mentions of specific religions or ethnic groups, or religion and "
                          "ethnicity more broadly",
    "executive": "executive agencies and bureaucracies; governmental issues other than "
                 "elections and legislative",
    "election": "elections and campaigns",
    "legislative": "legislative debate, parliamentary coalition formation",
    "cbrn": "chemical, biological, radiation, and nuclear weapons or attacks",
    "cyber": "cyber attacks and crime",
    "political_institutions": "Mentions of norms, political institutions, democratic "
                              "backsliding, political parties, etc.",
    "corruption": "anything relating to mentions of corruption, i.e. illegally using public "
                  "office for private gain",
    "crime": "Any discussion of crimes or criminals",
    "illegal_drugs": "criminal possession, distribution, sale, or manufacturing of illegal drugs",
    "historical": "special context, e.g. \"During the decolonization struggle, Angolan forces...\"",
    "future": "special context, e.g. \"Members of the G-7 will meet in Ottawa next month...\"",
    "hypothetical": "special context, e.g. \"If Russian forces were to cross the border, that "
                    "would represent a major...\"",
    "negation": "special context, e.g. \"Thus far, fighting has not re-emerged in the tense "
                "region.\"",
}
PLOVER_CONTEXT = Field(
    "plover_context", "string",
    f"PLOVER context of the event, where one applies; its values defined in {PLOVER_MANUAL}.",
    enum=PLOVER_CONTEXTS, example="military",
)
CODE_NOTE = Field(
    "code_note", "string", "Why these event codes were chosen, or why none fits.",
)


def date_fields(prefix: str, what: str, stated_name: str = "", **examples: str
                ) -> tuple[Field, ...]:
    """The four columns of a date as the text states it (``<prefix>_stated``, or
    ``stated_name``) and as resolved; ``examples`` by column (stated, resolved, precision,
    basis)."""
    stated = stated_name or f"{prefix}_stated"
    example = {"stated": "Tuesday", "resolved": "2019-03-05", "precision": "day",
               "basis": "weekday before the publication date 2019-03-07 (external)", **examples}
    return (
        Field(stated, "string", f"{what}, verbatim as the article states it.",
              example=example["stated"]),
        Field(f"{prefix}_resolved", "date", f"{what}, resolved to a calendar date (ISO 8601).",
              example=example["resolved"]),
        Field(f"{prefix}_precision", "string", f"Precision of {prefix}_resolved.",
              enum=PRECISIONS, example=example["precision"]),
        Field(f"{prefix}_basis", "string",
              f"How {prefix}_resolved was obtained from {stated}, and from which "
              "facts (marked external where they are not in the article).",
              example=example["basis"]),
    )


def span_fields(what: str) -> tuple[Field, ...]:
    return (
        about(START, f"Start of {what}: 0-based code point offset into the seed text."),
        about(END, f"End (exclusive) of {what}: 0-based code point offset into the seed text."),
        about(TEXT, f"{what[0].upper()}{what[1:]}, verbatim: the seed's characters span_start..span_end."),
    )


def fk(fields: str | tuple[str, ...], table: str, reference: str | tuple[str, ...]) -> ForeignKey:
    def as_tuple(v):
        return (v,) if isinstance(v, str) else tuple(v)

    return ForeignKey(as_tuple(fields), table, as_tuple(reference))


def source_fk() -> ForeignKey:
    return fk("source_id", "sources", "source_id")


def keyed(column: str, table: str) -> ForeignKey:
    """A foreign key on ``column`` to the column of the same name in ``table``."""
    return fk(column, table, column)


# --- tables -----------------------------------------------------------------------------

SOURCES = Table(
    "sources", "Sources",
    "One row per curated article: its bibliographic facts, its seed file and the seed's "
    "fingerprint. Which values come from the article and which from outside is in source_fields.",
    (
        SOURCE_ID,
        Field("title", "string", "Headline of the article, verbatim.", required=True,
              example="Ruritania Urges Closer Trade Ties as Border Talks Resume"),
        Field("outlet", "string", "Publication that ran the article.", example="The Strelsau Courier"),
        Field("blog", "string", "Blog or section of the outlet.", example="Grand Tour"),
        Field("wire_service", "string", "News agency that wrote the story, where syndicated.",
              example="Associated Press"),
        Field("url", "string", "Address of the published article; null where not confirmed.",
              pattern=r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"),
        Field("published_date", "date", "Date of publication.", example="2019-03-07"),
        Field("work_type", "string",
              "What sort of work the article is, as a Citation File Format reference type.",
              required=True, enum=WORK_TYPES, example="magazine-article"),
        Field("language", "string", "Language of the text (BCP 47).", required=True,
              pattern=r"[a-z]{2,3}(-[A-Za-z0-9]+)*", example="en"),
        Field("seed_path", "string", "Path of the seed text inside the package directory.",
              required=True, pattern=r"seeds/[^/]+\.txt",
              example="seeds/000_3973c4e353543ee9.txt"),
        Field("sha256", "string", "SHA-256 of the seed file's bytes.", required=True,
              pattern=r"[0-9a-f]{64}"),
        Field("length_chars", "integer", "Length of the seed text in Unicode code points.",
              required=True, minimum=1, unit="code points", example="3917"),
        Field("length_bytes", "integer", "Size of the seed file in bytes (UTF-8).",
              required=True, minimum=1, unit="bytes", example="3966"),
        Field("text_license", "string",
              "Rights in the article text, which stays its publisher's.", required=True),
    ),
    primary_key=("source_id",),
    joins="Every other table joins here on source_id.",
)

SOURCE_FIELDS = Table(
    "source_fields", "Provenance of source facts",
    "One row per column of sources per source: whether its value is stated in the article, "
    "comes from outside it (and from where), or is computed from the seed.",
    (
        SOURCE_ID,
        Field("field", "string", "Column of the sources table.", required=True,
              enum={f.name: f.description for f in SOURCES.fields if f.name != "source_id"},
              example="published_date"),
        Field("provenance", "string", "Where the value comes from.", required=True,
              enum=PROVENANCES, example="external"),
        Field("basis", "string", "The source of an external value, or how a value was computed.",
              required=True),
        about(START, "Start of the words stating the value, where provenance is 'article'.",
              required=False),
        about(END, "End (exclusive) of the words stating the value, where provenance is 'article'.",
              required=False),
        about(TEXT, "The words stating the value, verbatim, where provenance is 'article'.",
              required=False),
    ),
    primary_key=("source_id", "field"),
    foreign_keys=(source_fk(),),
    joins="source_id → sources.",
)

PASSAGES = Table(
    "passages", "Passages",
    "Every non-blank line of the seed, in order, as page furniture (headline, breadcrumb, "
    "deck, image caption and credit…) or body text.",
    (
        SOURCE_ID,
        Field("passage_id", "string", "Passage, numbered in reading order.", required=True,
              pattern=ID_PATTERN, example="000.p09"),
        Field("seq", "integer", "Position in reading order, from 1.", required=True, minimum=1),
        Field("kind", "string", "What the passage is on the page.", required=True,
              enum=PASSAGE_KINDS, example="body_paragraph"),
        *span_fields("the passage (one line of the seed)"),
    ),
    primary_key=("passage_id",),
    foreign_keys=(source_fk(),),
    joins="source_id → sources; sentences.passage_id → here.",
)

SENTENCES = Table(
    "sentences", "Body sentences",
    "Sentences of the body paragraphs, the basis of the coverage report.",
    (
        SOURCE_ID,
        about(SENTENCE_ID, "Body sentence, numbered in reading order.", required=True,
              pattern=ID_PATTERN),
        Field("passage_id", "string", "Paragraph holding the sentence.", required=True,
              pattern=ID_PATTERN, example="000.p09"),
        Field("seq", "integer", "Position among the body sentences, from 1.", required=True,
              minimum=1),
        *span_fields("the sentence, without surrounding whitespace"),
        Field("not_curated_reason", "string",
              "Why no row rests on this sentence, where the curation leaves it out on purpose."),
    ),
    primary_key=("sentence_id",),
    foreign_keys=(source_fk(), keyed("passage_id", "passages")),
    joins="source_id → sources; passage_id → passages.",
)

ACTORS = Table(
    "actors", "Actors",
    "Every person, state, government, organisation, group and region the articles name or "
    "refer to, declared once for the whole corpus: each article refers to the same row. "
    "Codes from outside the articles (ISO 3166, CAMEO, Wikidata) are given only where "
    "confirmed, otherwise left null with the reason in id_note. What an article calls an "
    "actor (its title) is in actor_titles.",
    (
        ACTOR_ID,
        Field("name", "string", "Canonical name.", required=True, example="Rudolf Rassendyll"),
        Field("kind", "string", "What sort of actor.", required=True, enum=ACTOR_KINDS,
              example="person"),
        Field("affiliation_id", "string",
              "Actor this one belongs to or speaks for (a foreign minister → his "
              "ministry, a state news agency → its state).",
              pattern=ACTOR_ID_PATTERN, example="ruritania"),
        Field("iso3166", "string",
              "ISO 3166 code (external): alpha-3 for a country, 3166-2 for a subdivision.",
              pattern=r"([A-Z]{3}|[A-Z]{2}-[A-Z0-9]{1,3})", example="CHN"),
        Field("cameo_code", "string", "CAMEO actor code (external codebook).",
              pattern=r"[A-Z]{3,15}", example="CHNGOV"),
        Field("wikidata_qid", "string", "Wikidata item (external), only where confirmed.",
              pattern=r"Q[1-9][0-9]*", example="Q148"),
        Field("id_note", "string",
              "Where the external codes were confirmed, or why one is left null."),
        Field("valid_from", "date",
              "First day the actor, as this row defines it, exists (an external fact, with "
              "its basis in valid_basis); null where no start is confirmed or none matters to "
              "the articles."),
        Field("valid_to", "date",
              "Last day the actor, as this row defines it, exists (a government that fell; an "
              "external fact, with its basis in valid_basis); null where it exists still or "
              "no end is confirmed. A person's offices are not periods of the person: they "
              "go in the person's note.", example="2021-08-15"),
        Field("valid_basis", "string",
              "Where valid_from and valid_to come from; required when either is given."),
        NOTE,
    ),
    primary_key=("actor_id",),
    foreign_keys=(fk("affiliation_id", "actors", "actor_id"),),
    joins="affiliation_id → actors.actor_id; actor_titles, actor_members, mentions, "
          "attributions, parties and participants join here on actor_id. No source_id: "
          "actors belong to the corpus.",
)

ACTOR_TITLES = Table(
    "actor_titles", "Actors' titles, as each article gives them",
    "What an article calls an actor: a title, verbatim; one row per article and "
    "actor that the article gives one.",
    (
        SOURCE_ID,
        ACTOR_ID,
        Field("title", "string", "Title as the article gives it, verbatim.",
              required=True, example="Ruritanian Foreign Minister"),
    ),
    primary_key=("source_id", "actor_id"),
    foreign_keys=(source_fk(), keyed("actor_id", "actors")),
    joins="source_id → sources; actor_id → actors.",
)

ACTOR_MEMBERS = Table(
    "actor_members", "Members of group actors",
    "Which actors make up a group actor (the two sides → Ruritania, Graustark), "
    "for the whole corpus.",
    (
        about(ACTOR_ID, "The group actor.", example="two_sides"),
        about(ACTOR_ID, "A member of the group.", name="member_id", example="ruritania"),
    ),
    primary_key=("actor_id", "member_id"),
    foreign_keys=(keyed("actor_id", "actors"), fk("member_id", "actors", "actor_id")),
    joins="actor_id and member_id → actors. No source_id: membership belongs to the corpus.",
)

MENTIONS = Table(
    "mentions", "Actor mentions",
    "Every surface form by which the article refers to an actor, with its span: anywhere in "
    "the seed, page furniture included (a blog's name, a breadcrumb, an image credit), and "
    "every adjective, pronoun or possessive standing for an actor ('allied', 'their'). A "
    "nominal mention spans its whole noun phrase, post-modifiers included ('the hill peoples "
    "of the north', 'a town still badly damaged'), but not a relative clause, nor a "
    "phrase that belongs to the verb or to another noun ('the presence of the forces in the "
    "north': 'in the north' is where the presence is), nor a modifier set off by a comma "
    "('…, including …'); a name inside it is a mention of its own.",
    (
        SOURCE_ID,
        about(MENTION_ID, "Mention: actor id and start offset.", required=True),
        ACTOR_ID,
        Field("mention_type", "string", "How the actor is referred to.", required=True,
              enum=MENTION_TYPES, example="name"),
        Field("passage_id", "string", "Passage holding the mention.", required=True,
              pattern=ID_PATTERN),
        about(SENTENCE_ID, "Body sentence holding the mention; null in page furniture."),
        *span_fields("the mention"),
    ),
    primary_key=("mention_id",),
    foreign_keys=(source_fk(), keyed("actor_id", "actors"), keyed("passage_id", "passages"),
                  keyed("sentence_id", "sentences")),
    joins="actor_id → actors; passage_id → passages; sentence_id → sentences.",
)

STATEMENTS = Table(
    "statements", "Statements",
    "One row per attributed proposition: direct, partial and indirect quotes, and the "
    "article's own assessments. Who said it, and who reported it, is in statement_attributions.",
    (
        SOURCE_ID,
        about(STATEMENT_ID, "Statement, numbered in reading order."),
        about(SENTENCE_ID, "Body sentence holding the content.", required=True),
        Field("quote_type", "string",
              "How the article gives the content: direct (all of it inside quotation marks, "
              "even where the marks open before the speaker's verb), indirect (reported, none "
              "quoted), mixed (partly quoted), assessment (the article's own claim).",
              required=True, enum=QUOTE_TYPES),
        Field("cue_text", "string", "Reporting verb or phrase, verbatim: the verb of saying, "
              "thinking, reporting or agreeing whose object the content is, with its "
              "auxiliaries and the particle or preposition that introduces the content ('is "
              "urging', 'as saying', 'referring to', 'according to', 'arrived at'), but not the "
              "complementiser 'that', and not a verb that governs it from further out "
              "('justified … by referring to': 'referring to'); null where none.",
              example="said"),
        Field("cue_start", "integer", "Start of the cue: code point offset.", minimum=0,
              unit="code points"),
        Field("cue_end", "integer", "End (exclusive) of the cue: code point offset.", minimum=1,
              unit="code points"),
        *span_fields("the content of the statement"),
        Field("source_error", "boolean",
              "True where the quoted text carries an error of the source, kept verbatim.",
              required=True, example="false"),
        Field("source_error_note", "string", "What the source's error is."),
        Field("reporter_implicit", "boolean",
              "True where the text leaves the reporting source implicit.", required=True),
        Field("epistemic", "string",
              "How the article holds the claim: asserted (states it as fact in its own voice), "
              "reported (attributes it to a source: the chain has a speaker), inferred (its own "
              "reading of a motive, attitude or likelihood, which no one is reported to have "
              "said).", required=True, enum=EPISTEMICS, example="reported"),
        Field("hedge_text", "string",
              "The word or phrase by which the text hedges the claim ('apparent', 'largely', "
              "'fears'), verbatim; null where it does not hedge.", example="apparent"),
        Field("hedge_start", "integer", "Start of the hedge: code point offset.", minimum=0,
              unit="code points"),
        Field("hedge_end", "integer", "End (exclusive) of the hedge: code point offset.",
              minimum=1, unit="code points"),
        *date_fields("date", "When the statement was made"),
        CAMEO_CODE, PLOVER_EVENT, PLOVER_MODE, PLOVER_CONTEXT, CODE_NOTE,
        about(EVENT_ID, "Event at which the statement was made (the meeting where it was "
              "said), where the text places it.", name="made_at_event_id", required=False),
        about(EVENT_ID, "Event the statement is about, where it is about one.",
              name="about_event_id", required=False, example="000.withdrawal"),
        NOTE,
    ),
    primary_key=("statement_id",),
    foreign_keys=(source_fk(), keyed("sentence_id", "sentences"),
                  fk("made_at_event_id", "events", "event_id"),
                  fk("about_event_id", "events", "event_id")),
    joins="sentence_id → sentences; made_at_event_id and about_event_id → events; "
          "statement_attributions, commitments and figures join here on statement_id.",
)

STATEMENT_ATTRIBUTIONS = Table(
    "statement_attributions", "Attribution chains",
    "The chain of sources behind each statement, outermost first: depth 0 is the writer of "
    "the text (the wire service where the story is syndicated), then each relay (an agency "
    "that reported, quoted or said; a body 'according to' which), and last the speakers. "
    "Several actors at one depth speak jointly. One construction, one treatment: in 'X "
    "reported that A agreed that …', 'According to M, A arrived at …' and 'X said A stressed "
    "…', X or M is a relay with its cue on its link and A the speaker, whose verb is "
    "statements.cue_text. A relay the text implies by anaphora without naming it ('the minister was "
    "quoted as telling reporters' after 'It quoted the minister') is a link marked implicit, with "
    "its cue and no "
    "mention; so is a speaker the text names in an earlier sentence and not in this one ('The "
    "statement said …' after 'the ministry said'). Where no relay can be determined none is "
    "guessed, and the statement's reporter_implicit says so.",
    (
        SOURCE_ID,
        STATEMENT_ID,
        Field("depth", "integer", "Position in the chain; 0 is the writer of the text.",
              required=True, minimum=0, maximum=5),
        ACTOR_ID,
        Field("role", "string",
              "author (depth 0: the writer of the text), reporter (a relay between), speaker "
              "(the origin: whose words or act the statement reports).",
              required=True, enum=ATTRIBUTION_ROLES),
        MENTION_ID,
        Field("implicit", "boolean",
              "True where the text leaves this source unnamed here, so mention_id is null: the "
              "writer at depth 0; a relay settled by anaphora ('the minister was quoted as "
              "telling reporters' after 'It quoted the minister'); a speaker named in an earlier "
              "sentence ('The "
              "statement said …' after 'the ministry said').",
              required=True, example="false"),
        Field("quote_type", "string",
              "How the source one step outward gives this source's words: direct (quoted), "
              "indirect (reported), mixed (partly quoted); null at depth 0. At depth 1 it is "
              "statements.quote_type, repeated and held equal by a rule. 'The agency said the "
              "minister “called for calm”': the agency's link direct, the minister's indirect.",
              enum=LINK_QUOTE_TYPES, example="indirect"),
        Field("cue_text", "string",
              "For a reporter (a relay): the verb or phrase by which the text attributes the "
              "report to it, verbatim. A speaker's cue is statements.cue_text.",
              example="quoted"),
        Field("cue_start", "integer", "Start of the cue: code point offset.", minimum=0,
              unit="code points"),
        Field("cue_end", "integer", "End (exclusive) of the cue: code point offset.", minimum=1,
              unit="code points"),
    ),
    primary_key=("statement_id", "depth", "actor_id"),
    foreign_keys=(source_fk(), keyed("statement_id", "statements"), keyed("actor_id", "actors"),
                  keyed("mention_id", "mentions")),
    joins="statement_id → statements; actor_id → actors; mention_id → mentions.",
)

COMMITMENTS = Table(
    "commitments", "Commitments",
    "Agreements, pledges, intentions, appeals and plans. A multi-part agreement is a parent "
    "row with items_stated (how many parts the text says it has) and items_reported (how "
    "many it reports); its items point to it with parent_id.",
    (
        SOURCE_ID,
        about(COMMITMENT_ID, "Commitment."),
        Field("parent_id", "string", "The agreement this is an item of.", pattern=ID_PATTERN),
        STATEMENT_ID,
        Field("kind", "string", "Sort of commitment.", required=True, enum=COMMITMENT_KINDS),
        Field("domain", "string", "Policy domain.", enum=DOMAINS),
        *span_fields("the words of the commitment"),
        Field("is_future", "boolean", "Refers to future action.", required=True),
        Field("is_conditional", "boolean", "Depends on a condition.", required=True),
        Field("is_negated", "boolean", "Commits not to do something.", required=True),
        *date_fields("deadline", "The deadline"),
        Field("items_stated", "integer", "Parts the agreement has, according to the text.",
              minimum=1, unit="items"),
        Field("items_reported", "integer", "Parts the text actually reports.", minimum=0,
              unit="items"),
        CAMEO_CODE, PLOVER_EVENT, PLOVER_MODE, PLOVER_CONTEXT, CODE_NOTE,
        about(EVENT_ID, "Event at which the commitment was made, where the text places it.",
              name="made_at_event_id", required=False),
        about(EVENT_ID, "Event the commitment is about (the meeting it intends, the withdrawal "
              "it plans or concerns).", name="about_event_id", required=False,
              example="000.withdrawal"),
        NOTE,
    ),
    primary_key=("commitment_id",),
    foreign_keys=(source_fk(), keyed("statement_id", "statements"),
                  fk("made_at_event_id", "events", "event_id"),
                  fk("about_event_id", "events", "event_id"),
                  fk("parent_id", "commitments", "commitment_id")),
    joins="statement_id → statements; parent_id → commitments; made_at_event_id and "
          "about_event_id → events; commitment_parties join here.",
)

COMMITMENT_PARTIES = Table(
    "commitment_parties", "Commitment parties",
    "Who commits, towards whom, for whose benefit, and against which named target.",
    (
        SOURCE_ID,
        COMMITMENT_ID,
        ACTOR_ID,
        Field("role", "string",
              "The actor's part: committer (who commits; for an appeal, who makes it; for a "
              "joint agreement, the states whose ministers agreed), addressee (to whom an "
              "appeal or pledge is addressed), beneficiary (for whose sake, including a party "
              "welcomed or supported), target (an actor the committed action is directed "
              "against).", required=True, enum=PARTY_ROLES),
        MENTION_ID,
    ),
    primary_key=("commitment_id", "actor_id", "role"),
    foreign_keys=(source_fk(), keyed("commitment_id", "commitments"), keyed("actor_id", "actors"),
                  keyed("mention_id", "mentions")),
    joins="commitment_id → commitments; actor_id → actors; mention_id → mentions.",
)

FIGURES = Table(
    "figures", "Figures and dates",
    "Every number, ordinal, count, range and date the article states, in digits or in words and "
    "wherever it stands: a number inside a group's name is a count too ('the two sides': 2, "
    "sides). A range has low and high and no value: no midpoint is invented.",
    (
        SOURCE_ID,
        Field("figure_id", "string", "Figure.", required=True, pattern=ID_PATTERN,
              example="000.f01"),
        about(STATEMENT_ID, "Statement asserting the figure.", required=False),
        about(EVENT_ID, "Event the figure describes.", required=False),
        *span_fields("the figure as stated"),
        Field("kind", "string", "Sort of figure.", required=True, enum=FIGURE_KINDS),
        Field("value", "number", "The value, for a single number or ordinal; a date or weekday "
              "has none (its date is resolved apart).", example="7000"),
        Field("low", "number", "Lower bound, for a range.", example="2500"),
        Field("high", "number", "Upper bound, for a range.", example="3500"),
        Field("unit", "string", "Unit of value/low/high: what is counted, as a plural noun, "
              "from the noun the figure counts or the one it refers back to ('the second of its "
              "kind', said of a meeting: meetings).", example="troops"),
        Field("counted", "string", "What is counted or dated.", example="troops abroad"),
        Field("whose_id", "string", "Actor whose quantity it is.", pattern=ACTOR_ID_PATTERN),
        *date_fields("as_of", "When the figure holds (a count 'as of March')",
                     stated_name="as_of", stated="as of March", resolved="2019-03-01",
                     precision="month",
                     basis="March of the publication year, 2019 (external)"),
        Field("approximate", "boolean",
              "True where the text marks the figure as approximate ('some 300', 'about "
              "40', 'nearly 900'); a round number the text does not mark is exact.",
              required=True, example="false"),
        *date_fields("date", "The date"),
        NOTE,
    ),
    primary_key=("figure_id",),
    foreign_keys=(source_fk(), keyed("statement_id", "statements"), keyed("event_id", "events"),
                  fk("whose_id", "actors", "actor_id")),
    joins="statement_id → statements; event_id → events; whose_id → actors.",
)

EVENTS = Table(
    "events", "Events",
    "The events each article describes: meetings, withdrawals, fighting, repressions and the "
    "other happenings it reports, held, planned or under way, with their dates as stated and "
    "resolved.",
    (
        SOURCE_ID,
        about(EVENT_ID, "Event."),
        Field("kind", "string", "Sort of event.", required=True, enum=EVENT_KINDS),
        Field("label", "string", "Short name.", required=True),
        Field("status", "string", "Whether it has happened.", required=True,
              enum=EVENT_STATUSES),
        Field("mode", "string", "How it is held, as the text says.", example="by telephone"),
        Field("ordinal", "integer", "Which of its kind, where stated.", minimum=1),
        *span_fields("the main mention of the event"),
        *date_fields("date", "When the event took place"),
        *date_fields("deadline", "The date by which the event is to be complete"),
        CAMEO_CODE, PLOVER_EVENT, PLOVER_MODE, PLOVER_CONTEXT, CODE_NOTE,
        NOTE,
    ),
    primary_key=("event_id",),
    foreign_keys=(source_fk(),),
    joins="event_participants, statements, commitments and figures join here.",
)

EVENT_PARTICIPANTS = Table(
    "event_participants", "Event participants",
    "Who takes part in each event.",
    (
        SOURCE_ID,
        EVENT_ID,
        ACTOR_ID,
        Field("role", "string", "Part the actor plays.", required=True, enum=PARTICIPANT_ROLES),
        MENTION_ID,
    ),
    primary_key=("event_id", "actor_id"),
    foreign_keys=(source_fk(), keyed("event_id", "events"), keyed("actor_id", "actors"),
                  keyed("mention_id", "mentions")),
    joins="event_id → events; actor_id → actors; mention_id → mentions.",
)

ACTS = Table(
    "acts", "Codable acts",
    "One row per codable act: every statement, commitment or event that carries an event "
    "code, derived by the build from that row, where the code is stated (once). value_counts() "
    "of plover_event or cameo_root here is the corpus's tally (grouped by source_id, each "
    "article's): an act is coded once, so a "
    "container (an agreement whose items are coded), a summary (the lead), a plan realised by "
    "an event and a meeting not yet held carry no code, and act_links says what they restate "
    "or realise. Actor and recipient are in act_parties; actor_closure resolves them to states.",
    (
        SOURCE_ID,
        Field("act_id", "string",
              "The act: the id of the statement, commitment or event that states its code.",
              required=True, pattern=ID_PATTERN, example="000.c06"),
        Field("record", "string",
              "The table of that row: statements (a speech act coded on the statement), "
              "commitments (what an actor agrees, pledges, intends, asks or plans), events "
              "(what happens).", required=True, enum=ACT_RECORDS, example="commitments"),
        about(STATEMENT_ID, "Statement reporting the act (for a statement, itself); null for "
              "an event.", required=False),
        Field("part_of", "string",
              "The agreement this act is an item of (commitments.parent_id), where it is one.",
              pattern=ID_PATTERN, example="000.c05"),
        *span_fields("the words of the act"),
        about(CAMEO_CODE, "CAMEO event code, as stated on the row the act is.", required=True),
        Field("cameo_root", "string", "The CAMEO root: the first two digits of cameo_code.",
              required=True, pattern=r"[0-9]{2}", example="03"),
        PLOVER_EVENT, PLOVER_MODE, PLOVER_CONTEXT,
    ),
    primary_key=("act_id",),
    foreign_keys=(source_fk(), keyed("statement_id", "statements"),
                  fk("part_of", "commitments", "commitment_id")),
    joins="act_id is a statement_id, commitment_id or event_id (record says which); "
          "statement_id → statements; part_of → commitments; act_parties and act_links join "
          "here.",
)

ACT_PARTIES = Table(
    "act_parties", "Actors and recipients of acts",
    "Who acts and towards whom, for every act, derived by the build: a statement's speakers "
    "act; a commitment's committers act and its addressees receive, and its beneficiaries "
    "too where the CAMEO code makes the one served its target (032, 033, 039); a commitment's "
    "targets (what the committed action is against) never receive; an event's participants, "
    "withdrawing parties, parties and perpetrators act and its targets receive; of a visit, "
    "the visitor acts and the host receives, except under CAMEO 043 'Host a visit', where the "
    "host acts and the visitor receives (PLOVER records give the visitor as source either "
    "way). Join actor_closure on actor_id to resolve groups, people and institutions to their "
    "states.",
    (
        SOURCE_ID,
        Field("act_id", "string", "The act; joins to acts.act_id.", required=True,
              pattern=ID_PATTERN, example="000.c06"),
        ACTOR_ID,
        Field("role", "string",
              "actor (who performs the act) or recipient (towards, for or against whom).",
              required=True, enum=ACT_PARTY_ROLES, example="actor"),
    ),
    primary_key=("act_id", "actor_id", "role"),
    foreign_keys=(source_fk(), keyed("act_id", "acts"), keyed("actor_id", "actors")),
    joins="act_id → acts; actor_id → actors and actor_closure.",
)

ACT_LINKS = Table(
    "act_links", "Links between acts",
    "How rows that report acts relate, so that none is counted twice: restates (a summary, "
    "such as the lead, restates what other rows report in full; only those carry the code), "
    "realises (an event is the act a plan or intention is about: done where the event has "
    "occurred or is ongoing, still to come where it is planned; only one of the two carries "
    "the code), same_point_as (two rows report the same point through different sources; "
    "only one carries the code, and both sources are known). An item of an agreement is "
    "commitments.parent_id (acts.part_of).",
    (
        SOURCE_ID,
        Field("from_id", "string", "The statement, commitment or event that restates, realises "
              "or reports the same point.", required=True, pattern=ID_PATTERN,
              example="000.c01"),
        Field("relation", "string",
              "restates (from_id summarises to_id), realises (from_id, an event, is what "
              "to_id plans or intends), same_point_as (from_id reports to_id's point through "
              "another source).", required=True, enum=ACT_RELATIONS, example="restates"),
        Field("to_id", "string", "The statement, commitment or event linked to.",
              required=True, pattern=ID_PATTERN, example="000.c04"),
        NOTE,
    ),
    primary_key=("from_id", "relation", "to_id"),
    foreign_keys=(source_fk(),),
    joins="from_id and to_id → statements.statement_id, commitments.commitment_id or "
          "events.event_id (a rule checks that each resolves).",
)

ACTOR_CLOSURE = Table(
    "actor_closure", "Actors resolved through groups and affiliations",
    "Every actor with every actor it reaches, transitively, through actor_members (a group → "
    "its members) and affiliation_id (a person → a ministry → a government → a state), and "
    "itself at depth 0; derived by the build, for the whole corpus. The states of an actor "
    "are the related actors of kind state: 'every commitment made jointly by the two "
    "countries' is one join of commitment_parties (or act_parties) with this table.",
    (
        about(ACTOR_ID, "The actor.", example="foreign_ministers"),
        about(ACTOR_ID, "An actor it reaches (itself at depth 0).", name="related_id",
              example="ruritania"),
        Field("depth", "integer", "Steps on the shortest path; 0 for the actor itself.",
              required=True, minimum=0, example="2"),
        Field("path", "string",
              "The steps of that path, joined by '>': member (to a member of a group), "
              "affiliation (to what the actor belongs to); 'self' at depth 0.",
              required=True, pattern=r"[a-z]+(>[a-z]+)*",
              example="affiliation>member"),
    ),
    primary_key=("actor_id", "related_id"),
    foreign_keys=(keyed("actor_id", "actors"), fk("related_id", "actors", "actor_id")),
    joins="actor_id and related_id → actors. No source_id: it belongs to the corpus.",
)

CODE_CROSSWALK = Table(
    "code_crosswalk", "CAMEO to PLOVER pairs",
    "Every CAMEO event code the corpus uses with the PLOVER type and mode it maps to, and the "
    "basis: the line that states it, of CAMEO2PLOVER-2021.txt (openeventdata/PLOVER at commit "
    "e834df5, 'PLOVER manual version Draft 0.8, 17-September-2021') or, for CAMEO 01 and 02, "
    "which that table omits, of PLOVER_MANUAL.tex (commit 6b85b9a, 'Final changes to the "
    "Version 0.8', the PLOVER version this package follows), with its file, line and commit, "
    "and any departure with its reason. Derived by the build from the whole crosswalk, which "
    "ships as data (datapkg/cameo_plover.csv: every pair line of the table, and the manual's "
    "dropped roots, generated from the pinned files by tools/crosswalk.py), and from the "
    "departures, each stated once (datapkg/cameo_plover_departures.csv); no article edits "
    "either. A code takes the pair of its own line, and a code under 01 or 02 the manual's "
    "row for its root. The two files are not one version: the table follows the manual of 17 "
    "September 2021, six weeks after the pinned one. Its type REQUEST is the pinned manual's "
    "DEMAND, and a mode the pinned manual does not define is left null, each a departure; "
    "contexts are coded from each act's text against the pinned manual's list, the table's "
    "context being a default; where the two differ, the pinned manual governs and the basis "
    "says so. Rules check every act's (CAMEO, PLOVER type, mode) against this table, and this "
    "table against the shipped crosswalk.",
    (
        Field("cameo_code", "string", "CAMEO event code (CAMEO 1.1b3).", required=True,
              pattern=r"[0-9]{2,4}", example="041"),
        Field("plover_event", "string", "PLOVER type it maps to; null where PLOVER has none "
              "(CAMEO 01 and 02).", pattern=r"[A-Z_]+", example="CONSULT"),
        Field("plover_mode", "string", "PLOVER mode it maps to, where one is given.",
              pattern=PLOVER_MODE.pattern, example="phone"),
        Field("basis", "string", "The line of the crosswalk or the manual, its file and commit, "
              "quoted; and any departure with the manual's passage.", required=True),
    ),
    primary_key=("cameo_code",),
    joins="acts.cameo_code → here. No source_id: it belongs to the corpus.",
)

# What the articles claim: the tables whose rows make a body sentence covered.
CLAIMS = ("statements", "commitments", "figures", "events")

COVERAGE = Table(
    "coverage", "Sentence coverage",
    "One row per body sentence: how many statements, commitments, figures and events rest on "
    "it (their spans overlap it), and whether it is covered or deliberately excused. Derived "
    "by the build; mentions are counted but do not make a sentence covered.",
    (
        SOURCE_ID,
        about(SENTENCE_ID, "Body sentence.", required=True),
        Field("status", "string",
              "covered (at least one statement, commitment, figure or event rests on it) or "
              "excused (the curation leaves it out on purpose, with a reason).",
              required=True, enum=COVERAGE_STATUSES),
        *(Field(name, "integer", f"{name.capitalize()} resting on the sentence.", required=True,
                minimum=0, unit="rows")
          for name in (*CLAIMS, "mentions")),
        Field("reason", "string", "Why an excused sentence is not curated."),
    ),
    primary_key=("sentence_id",),
    foreign_keys=(source_fk(), keyed("sentence_id", "sentences")),
    joins="sentence_id → sentences.",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        SOURCES, SOURCE_FIELDS, PASSAGES, SENTENCES, ACTORS, ACTOR_TITLES, ACTOR_MEMBERS,
        MENTIONS,
        STATEMENTS, STATEMENT_ATTRIBUTIONS, COMMITMENTS, COMMITMENT_PARTIES, FIGURES, EVENTS,
        EVENT_PARTICIPANTS, COVERAGE, ACTS, ACT_PARTIES, ACT_LINKS, ACTOR_CLOSURE, CODE_CROSSWALK,
    )
}

# Spans other than start/end/text, as (start column, end column, text column).
EXTRA_SPANS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "statements": (("cue_start", "cue_end", "cue_text"), ("hedge_start", "hedge_end", "hedge_text")),
    "statement_attributions": (("cue_start", "cue_end", "cue_text"),),
}


# Tables of the whole corpus, with no source_id: every article refers to the same rows.
CORPUS_TABLES = tuple(name for name, t in TABLES.items() if "source_id" not in t.columns)


def spans(table: Table) -> list[tuple[str, str, str]]:
    """The (start, end, text) column triples of a table."""
    found = [("span_start", "span_end", "text")] if "span_start" in table.columns else []
    return found + list(EXTRA_SPANS.get(table.name, ()))


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}") from None
