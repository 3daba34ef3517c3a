"""The codebook (docs/codebook.md), generated from the registry."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from datapkg._version import __version__
from datapkg.errors import FAILURE_CODES, rule_code
from datapkg.registry import TABLES, Field
from datapkg.rules import RULES


def constraints(f: Field) -> str:
    parts = []
    if f.enum:
        parts.append("one of " + ", ".join(f"`{v}`" for v in f.enum))
    if f.pattern:
        parts.append(f"pattern `{f.pattern}`".replace("|", "\\|"))
    if f.minimum is not None:
        parts.append(f"≥ {f.minimum}")
    if f.maximum is not None:
        parts.append(f"≤ {f.maximum}")
    return "; ".join(parts)


def table_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def example(f: Field, table: pa.Table | None) -> str:
    """The first value of the column in the data, or the registry's example if it has none
    (or if no data is given)."""
    for value in table.column(f.name).to_pylist() if table is not None else ():
        if value is not None:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            return text if len(text) <= 60 else text[:57] + "…"
    return f.example or ""


# What a reader needs before counting: each note where the codebook's columns would mislead
# on their own (the two quote types, counts, tallies, Arrow strings, affiliations).
READING_NOTES = [
    "## Reading and counting",
    "",
    "- **Two quote types, side by side.** `statements.quote_type` is how the article gives "
    "the words of the source at depth 1 of the chain: the speaker, or the relay that reported "
    "the speaker. `statement_attributions.quote_type`, on each link, is how the source one "
    "step outward gives that link's words; at depth 1 it equals the statement's. They differ "
    "where a relay stands between: in 'the agency said the minister “called for calm”' the "
    "statement is `direct` (the article quotes the agency) and the minister's link `indirect` "
    "(the agency reports the minister). A speaker's own words are quoted verbatim only where every link from "
    "depth 1 down to the speaker is `direct`: `datapkg.statements_with_speakers()` gives this "
    "as `verbatim`.",
    "- **Counts are integers, figures are numbers.** Every `integer` column (offsets, the "
    "counts of `coverage`, `items_stated`, `items_reported`, `depth`) loads as pandas' "
    "nullable `Int64`. A figure's `value`, `low` and `high` are `number` (`Float64`): one "
    "column holds counts, ordinals and the bounds of ranges, and a count may be a fraction "
    "of a larger unit ('2.5 million'), so a count of 7000 prints `7000.0`; "
    "`figures.loc[figures.kind.isin(['count', 'ordinal']), 'value'].astype('Int64')` gives "
    "whole numbers (and refuses a fraction).",
    "- **Tallies keep the nulls.** `value_counts()` leaves nulls out: an act with no PLOVER "
    "type (CAMEO 01 and 02) has `plover_event` null, so tally with "
    "`value_counts(dropna=False)`.",
    "- **Text is Arrow-backed.** Text columns load as pandas' `string` dtype; in pandas 3 "
    "`groupby(...).agg(set)` on them returns lists, not sets. Use `agg(frozenset)`, or join "
    "the values into one string (`agg(lambda s: ', '.join(sorted(s.unique())))`).",
    "- **Affiliations stop at the most specific body declared.** A person's "
    "`affiliation_id` is the most specific body the corpus declares the person to serve: a "
    "ministry where one is declared, else the government. It is not a fixed level, so compare "
    "people (and any actors) by the states they reach in `actor_closure` "
    "(`datapkg.persons_with_states()`), not by `affiliation_id`.",
    "",
]


# What the blind edition says of itself (datapkg.codebook.blind_codebook).
BLIND_NOTE = (
    "This is the codebook's blind edition, for a coder who codes an article without seeing "
    "the package: it gives no row count, no value from the data (each column's example is "
    "the registry's own) and no example from a coded article (each decision rule's example "
    "is constructed, about fictional states).")


def codebook(tables: dict[str, pa.Table], blind: bool = False) -> str:
    """The codebook; ``blind`` gives the blind edition (``BLIND_NOTE``)."""
    lines = [
        "# Codebook" + (" (blind edition)" if blind else ""),
        "",
        f"Version {__version__}. Generated from `datapkg/registry.py` by `datapkg build`; "
        "do not edit by hand." + (" " + BLIND_NOTE if blind else ""),
        "",
        "Spans (`span_start`, `span_end`, and `cue_start`, `cue_end`) are 0-based Unicode code point "
        "offsets into the source's seed text, end excluded; the `text` beside them is the "
        "seed's slice, verbatim. Every table but the corpus's own (`actors`, `actor_members`) "
        "has `source_id` as its first column, and every row id there starts with its "
        "source's serial (`000.`), so ids are unique across sources. An actor is declared "
        "once for the corpus and its id is a plain name (a person's: the name in lower case, "
        "words joined by `_`), the same in every "
        "article; what an article calls it is in `actor_titles`. "
        "In CSV a null is an empty field; empty strings are not used. A pattern matches the "
        "whole value, as an XML Schema pattern does (which a Table Schema's `pattern` is), so "
        "it has no `^` or `$` and a value with a final newline does not match. No text cell "
        "holds a control character other than tab and newline (`control-character`).",
        "",
        *decision_rules(blind),
        *READING_NOTES,
        "## Tables",
        "",
    ]
    lines += [f"- [`{name}`](#{name}): {t.title}"
              + ("" if blind else f" ({tables[name].num_rows} rows)") for name, t in TABLES.items()]
    for name, t in TABLES.items():
        lines += [
            "", f"## {name}", "", t.description, "",
            f"Primary key: ({', '.join(f'`{k}`' for k in t.primary_key)}).",
        ]
        if t.foreign_keys:
            lines.append("Foreign keys: " + "; ".join(
                f"({', '.join(k.fields)}) → `{k.table}` ({', '.join(k.reference)})"
                for k in t.foreign_keys) + ".")
        if t.joins:
            lines.append(f"Joins: {t.joins}")
        lines += ["", "| column | type | required | constraints | unit | description | "
                  "example" + ("" if blind else " (from the data)") + " |",
                  "|---|---|---|---|---|---|---|"]
        for f in t.fields:
            lines.append(
                f"| `{f.name}` | {f.type} | {'yes' if f.required else 'no'} | "
                f"{constraints(f)} | {table_cell(f.unit)} | {table_cell(f.description)} | "
                f"{table_cell(example(f, None if blind else tables[name]))} |"
            )
        lines += values(t.fields)
    return "\n".join(lines + failure_codes()) + "\n"


def blind_codebook() -> str:
    """The blind edition of the codebook: the same definitions and rules, nothing from the data."""
    return codebook({}, blind=True)


def values(fields) -> list[str]:
    """The definition of every value of every enum column, as the registry gives it."""
    lines = []
    for f in fields:
        if f.definitions:
            lines += ["", f"Values of `{f.name}`:", ""]
            lines += [f"- `{value}`: {definition}" for value, definition in f.definitions]
    return lines


def failure_codes() -> list[str]:
    """The codes validation reports, each with its layer and meaning: the rules' from their
    docstrings."""
    rows = [(code, layer, meaning) for code, (layer, meaning) in FAILURE_CODES.items()]
    rows += [(rule_code(rule.__name__), "rules", " ".join((rule.__doc__ or "").split()))
             for rule, _ in RULES]
    return ["", "## Failure codes", "",
            "`datapkg validate` reports each failure as `[layer:code] file | table | row key | "
            "column | value … | rule`. The code is stable: match it, not the words of the rule.",
            "", "| code | layer | meaning |", "|---|---|---|",
            *(f"| `{code}` | {layer} | {table_cell(meaning)} |" for code, layer, meaning in rows)]


# The decisions a second coder must make the same way. Each has its rule (in general words),
# a constructed example (fictional states, Ruritania and Graustark, so that a coder given the
# blind edition sees no coded article), an example quoting the first article (its ids in
# backticks: tests/test_docs.py holds both to the first source's seed and tables), and what
# holds it: a rule's failure code, or 'judgement'.
@dataclass(frozen=True)
class Decision:
    letter: str
    name: str
    rule: str
    constructed: str
    corpus: str
    held: str


DECISIONS = (
    Decision(
        "a", "Statement segmentation",
        "One statement per attributed proposition: a sentence gives one row per (source, cue) "
        "pair, split further only where its parts would carry different rows or codes (one a "
        "commitment, the other an assertion). The parts of one agreement are its items "
        "(commitments), not statements. A source's report that an event happened is a "
        "statement (it carries the chain; the event carries the code), and so is the writer's "
        "own naming of an event inside another's words, so that the writer's claim and the "
        "source's stay apart. A relative clause of background fact is a statement of its own. "
        "A verb of saying, urging or reporting makes its subject the speaker wherever the "
        "sentence stands, the lead included ('X is urging Y': speaker X, cue 'is urging', "
        "content Y); page furniture (a headline, a deck, a caption) gives no statement. The "
        "source of a report that an event other than a speech act happened (a meeting, a "
        "clash) is that report's speaker (the event's participants are its parties); of a "
        "report of what parties said or agreed, those parties are the speakers and the source "
        "a relay.",
        "'Ruritania says it will keep funding the border schools and will be able to reopen "
        "them by May': two statements (a pledge; an assertion of what it will be able to do). "
        "'The Graustark government has defended its curfew by citing the need to stop "
        "looting': the writer's 'its curfew' and the government's 'the need to stop looting'. "
        "'The state radio reported that the two ministers met on Monday': the radio's "
        "statement (speaker the radio), and the meeting an event whose participants are the "
        "ministers.",
        "'Washington says it will continue to support the Afghan government … and will be "
        "equipped to handle counterterrorism threats …': two statements (a pledge; an assurance). "
        "'The Chinese government has justified its crackdown … by pointing to the need to "
        "prevent terrorism in the region': the writer's 'its crackdown …' and the government's "
        "'the need to prevent terrorism …'.",
        "rule-chain-links (each row's chain); segmentation itself: judgement"),
    Decision(
        "b", "Intention, appeal or agreement",
        "The kind follows who is called on. An aim a party states for itself alone is an "
        "intention; a call on others, or on a group that includes the speaker, is an appeal, the "
        "group its addressee; a position or undertaking several parties reach or state together "
        "(the callers are the whole group called on) is an agreement, the group its committer. "
        "Where a speaker calls on a group including his own side, whether the callers are the "
        "whole group is a judgement on the text: one speaker calling is an appeal. The event "
        "code follows the kind: an appeal, self-inclusive or not, takes the 02 code of what is "
        "called for (CAMEO 020 sets appeals apart 'from pledges, which imply commitments, "
        "agreements, or promises on the part of the source actor'; PLOVER: '02 & APPEAL & "
        "dropped', PLOVER_MANUAL.tex l. 1206); an agreement to act takes the 03 code of what is "
        "agreed (→ AGREE, l. 1207). An agreed view that something should be done ('agreed "
        "that X should be done …'), with no verb of appeal addressed to anyone, commits no one: "
        "it is an agreement coded 019, even where it names who should act (CAMEO: 'Express "
        "accord … actors indicate that they simply agree or concur on an issue but do not "
        "imply commitment or intent to cooperate on that issue'), not an appeal. A party's "
        "justification of its own action is a statement (CAMEO 010), not 052 'Defend "
        "verbally': CAMEO's 05 codes cooperation of a source with a target, and a defence of "
        "one's own action has no target but its source (nor is it PLOVER's SUPPORT, "
        "'diplomatic, non-material cooperation', PLOVER_MANUAL.tex l. 295). "
        "PLOVER_MANUAL.tex l. 436 ('When one or more parties to a conflict "
        "call for ending the conflict, that is taken to be an expression of intent on the part "
        "of that source actor and is thus coded as AGREE') covers only calls to end a conflict. "
        "A statement of what one will be able to do is an assertion (CAMEO 013), not a "
        "commitment.",
        "The Ruritanian minister said the two countries 'must open the river crossings' — an "
        "appeal by the minister, addressed to the group of the two countries, coded 02 "
        "(PLOVER: dropped). The two ministers 'agreed to open the river crossings' — an "
        "agreement, committed by the group of the two countries, coded 03 (AGREE). The two "
        "ministers 'agreed that the elections should be held in peace' — an agreement coded "
        "019 (no one commits to act, no one is called on).",
        "Wang: 'the three countries “needed to to strengthen communication and cooperation”' — "
        "an appeal by Wang to the three countries, coded 022 (PLOVER: dropped). The three "
        "ministers 'stressed the need to … forbid … using their territories' — an agreement of "
        "the three.",
        "rule-self-inclusive-calls (an intention or pledge); rule-party-roles-fit; appeal or "
        "agreement: judgement"),
    Decision(
        "c", "Items of an agreement",
        "An item is one of the clauses the text lists as the agreement's content, separated by "
        "its list punctuation (semicolons, or commas with a final 'and'). Verb phrases conjoined "
        "inside one listed clause are one item. A sub-clause that gives one party a role of its "
        "own ('with X doing …') is an item of that item (parent_id), committed by that party. "
        "items_stated is the number the text gives; items_reported counts the items recorded.",
        "'The sides agreed on three points: to reopen the rail line and cut tariffs; to share "
        "river data; and to hold talks, with Graustark hosting them': three items "
        "(items_stated 3); 'reopen the rail line and cut tariffs' is one item; 'with Graustark "
        "hosting them' is an item of 'hold talks', committed by Graustark.",
        "'deepen Belt and Road cooperation and expand economic and trade ties' is one item; "
        "'with China playing “a positive role …”' is an item of 'strengthen political trust and "
        "relations', committed by China.", "rule-agreement-items; rule-coded-once"),
    Decision(
        "d", "Which background events are acts",
        "An event is recorded and coded when the text gives it as happening or having happened "
        "between named parties: an occasion, or a condition the text names as a thing (a noun "
        "phrase such as 'the clashes' or 'its blockade'). A course pursued over years that the "
        "text sums up with a verb of effort or trend ('has deepened its ties', 'has tried to "
        "expand') is a statement (assessment) and is not coded: no occasion, and CAMEO codes "
        "acts, not policies. A planned event the text names (a meeting to be held, a withdrawal "
        "being prepared) is recorded too, status planned; it realises the commitment that plans "
        "it (act_links) and is not coded: the commitment carries the code.",
        "'repeated clashes between the army and the rebels' is an event (CAMEO 190, ASSAULT); "
        "'Ruritania has tried to expand its trade in the region' is not.",
        "'constant fighting between the government, the Taliban, and other groups' is an event "
        "(190, ASSAULT); 'China has sought to invest in Afghan resources' is not.",
        "judgement (rule-codes-explained: every uncoded statement says why)"),
    Decision(
        "e", "Event status when the writer and a source disagree",
        "An event's status is the writer's: what the article states in its own voice. A quoted "
        "source's other account stays on the source's statement (epistemic reported) and is "
        "named in the event's note. Where the writer gives only a plan (a party 'plans to' or "
        "'is getting ready to' act), the status is planned.",
        "The writer: 'Ruritania is getting ready to leave the valley by March' (planned); a "
        "Graustark spokesman: 'the pull-out has already begun' (his statement, epistemic "
        "reported; the event stays planned, its note names the spokesman's account).",
        "The writer: 'The United States is preparing to wrap up its longest war by withdrawing "
        "…' (planned); Wang: 'foreign troops’ withdrawal from Afghanistan accelerated' (his "
        "statement, `st07`).", "judgement"),
    Decision(
        "f", "PLOVER versions",
        "Types, modes and contexts are the pinned manual's (PLOVER_MANUAL.tex, 6b85b9a, version "
        "0.8), the version the package declares; the mapping of a CAMEO code to a type is the "
        "crosswalk's line (CAMEO2PLOVER-2021.txt, e834df5). Where the two conflict, the pinned "
        "manual wins, because a record must be valid against the manual it cites, and each such "
        "conflict is one stated departure (datapkg/cameo_plover_departures.csv: REQUEST → "
        "DEMAND; a mode the manual lacks → null). Where the manual's own definitions overlap, the "
        "narrower wins: CONCEDE takes a declared ('declarations … of withdrawals', l. 325) "
        "concession, RETREAT one with 'immediate (not simply promised) material consequences' "
        "(l. 390), and an undeclared plan keeps its CAMEO 03 code, which PLOVER reduces to "
        "AGREE ('03 & EXPRESS INTENT TO COOPERATE & AGREE', l. 1207; 'everything at the 3- and "
        "4-digit level should simply be reduced to the 2-digit cue category', l. 1236) — an "
        "intention reported in the future tense (l. 245), not a claim that the act is "
        "cooperative.",
        "CAMEO 101 is DEMAND here, REQUEST in the crosswalk. 'Ruritania is getting ready to "
        "pull its troops out of the valley': CAMEO 0356 → AGREE (no declaration is reported: "
        "not CONCEDE; nothing has been done: not RETREAT). 'Ruritania announced it will pull "
        "its troops out': CONCEDE. 'Ruritania has pulled its troops out': RETREAT.",
        "CAMEO 101 is DEMAND here, REQUEST in the crosswalk. The US plan to withdraw, reported "
        "as 'is preparing to', is 0356 → AGREE: no declaration is reported (not CONCEDE), "
        "nothing has been done (not RETREAT).",
        "rule-codes-follow-crosswalk; rule-crosswalk-derived"),
    Decision(
        "g", "The grain of parties",
        "A party is named once, at the grain the text gives: a group the text names as one "
        "('the two sides', 'both', a possessive 'their') is one group actor; parties the text "
        "names one by one ('X and its partners') are each a party. Never a group beside its own "
        "members in one role: actor_closure resolves a group to its states, so counting states "
        "per act is one join, and counting actors per act is not a count of states. Ministers "
        "who agree for their states commit the states (the group of states); a named subset "
        "('including …') is a member (actor_members), not a second party. A pronoun or "
        "possessive is a mention of the group it denotes, a group actor where the text named "
        "its members one by one ('their forces' after 'X and its partners': the group of X and "
        "its partners; 'their territories' after three ministers: their states).",
        "The foreign ministers of Ruritania and Graustark 'agreed that the talks should "
        "resume': committer the group of the two states, not the two states beside it. 'A "
        "campaign against the hill peoples, including the Vlachs': target the hill peoples, not "
        "the Vlachs again (they are its member). 'Ruritania and its partners will move their "
        "troops': 'their' is a mention of the group of Ruritania and its partners.",
        "The ministers 'agreed that the withdrawal … should be carried out …': committer "
        "`three_sides`, not the three states beside it; target of the crackdown: "
        "`turkic_groups`, not the Uyghurs again.",
        "rule-group-beside-member (a group beside its member in one role); "
        "rule-realised-parties (an act and its event agree on parties); otherwise judgement"),
    Decision(
        "h", "Domain",
        "The one narrowest domain that covers the whole commitment. security is for security and "
        "stability in general, where no narrower domain (counterterrorism, military) covers the "
        "words; where the words name two domains neither of which covers the other, the domain "
        "is null, and a container whose items span domains has none.",
        "'closer trade and defence ties': null (economic and security, neither covering the "
        "other); 'joint patrols against the militant networks': counterterrorism; 'keep the "
        "region stable': security.",
        "'closer security and economic cooperation with Afghanistan': null; 'strengthen "
        "counterterrorism efforts': counterterrorism.", "judgement"),
    Decision(
        "i", "Hedges",
        "A hedge is the word by which the statement's own holder qualifies its claim (an "
        "adverb or adjective of doubt or degree, a verb or noun of attitude: 'apparently', "
        "'mostly', 'reportedly', 'may', 'worries'). A noun of attitude held by no one the text "
        "names is the writer's hedge: it marks the claim as feared, not asserted. A modal "
        "inside an embedded proposition (what a named party fears or expects, or a relative "
        "clause) qualifies that proposition, not the statement, and is not recorded.",
        "'Graustark has mostly kept out of the dispute': hedge 'mostly'; 'raising worries of "
        "a new crisis' (no one named holds the worries): hedge 'worries'; 'Ruritania is wary "
        "of militias that might cross the border': no hedge ('might' is inside the relative "
        "clause).",
        "'has largely held back such projects': hedge 'largely'; 'generating fears of increased "
        "chaos': hedge 'fears'; 'is equally wary of … insurgents that could threaten security': "
        "no hedge.", "judgement"),
    Decision(
        "j", "The depth-0 author",
        "Depth 0 is who wrote the text: the wire service the published page credits for a "
        "syndicated story, else the outlet; where the seed does not name it, it is an external "
        "fact, recorded in source_fields with its basis (provenance external), and supplied to "
        "the coder with the article: the article alone cannot give it.",
        "A newspaper runs a story its page credits to a wire service: depth 0 is the wire "
        "service, marked external; the newspaper is the outlet.",
        "The story's page credits the Associated Press: depth 0 is `ap`, and the source's "
        "wire service is marked external.", "rule-attribution-chains"),
    Decision(
        "k", "restates",
        "A row restates another when it reports the same act with no more content (the lead, a "
        "deck, a later summary), by the same actors or a group including them; it may restate "
        "several rows, of any kind (a statement, a commitment), each linked once, and only the "
        "fuller row is coded. Two rows giving the same point through different sources are "
        "same_point_as only where the text gives the same action on the same object; otherwise "
        "they are not linked.",
        "A lead 'Ruritania is pressing for closer trade ties with Graustark' restates the "
        "minister's later appeal and the trade item of the agreement: only those are coded. "
        "'close the border crossings' (the ministry) and 'stop arms smuggling' (the news "
        "agency) are not linked: different actions.",
        "'China is urging closer security and economic cooperation with Afghanistan' restates "
        "Wang's appeal and two items of the consensus. 'forbid any terrorist organizations … "
        "from using their territories' (Xinhua) and 'strengthen counterterrorism efforts …' "
        "(the ministry) are not linked: different actions.",
        "rule-coded-once; rule-act-links-resolve"),
    Decision(
        "l", "Span edges",
        "A span holds whole words and whole quotations: a closing quotation mark is kept exactly "
        "when its opening mark is inside the span, and the punctuation inside the closing mark "
        "with it; the sentence's own final full stop outside a quotation, and a comma handing a "
        "quote to its cue, never; punctuation inside a closing mark goes with the mark, so a "
        "span without the mark ends before it; a content that is one whole quotation is its "
        "words without the marks and without the comma that hands it to its cue. A "
        "commitment's or event's words start at the verb (or the noun phrase, its modifiers "
        "included) of the action, without its subject, article, possessive, auxiliary, "
        "modal, aim or reporting verb ('will', 'has', 'need to', 'aim to', 'its', 'the'), and "
        "without the "
        "end it serves ('plans to end the dispute by reopening the line': 'reopening the "
        "line'; 'so as to …', 'to prevent …'), and keep its stated time and manner ('by "
        "March', 'on Tuesday', 'by video link', 'at the earliest date'). A statement's content "
        "starts at its proposition, without the word that attaches it to the sentence ('in', "
        "'as', 'by', 'that', a relative 'which' or 'who'). A name "
        "mention keeps a 'the' directly before the name ('the Kremlin', 'the U.N.'), and a "
        "person's title directly before the name; an adjective or possessive inside a longer "
        "mention is a mention of its own.",
        "Commitment 'reopen the rail line' in 'Ruritania will reopen the rail line' (not 'will "
        "reopen …'); statement 'an effort to calm the border' in 'in an effort to calm the "
        "border' (not 'in an effort …'); a commitment ending in a quoted phrase keeps its "
        "marks: 'hold talks “at the earliest date.”'; a statement quoted whole, "
        "'“We will not wait,” he said', is 'We will not wait'; mention 'Ruritanian Foreign "
        "Minister Rudolf Rassendyll', and "
        "'Ruritanian' inside it is a mention of Ruritania; event 'met by video link on "
        "Tuesday'; event 'blockade of the port' in 'its blockade of the port'; statement "
        "'borders the sea' in 'Graustark, which borders the sea'; a content quoted from before "
        "its cue, '“… to stop the raids.”', ends at 'raids' when its opening mark is outside "
        "it.",
        "Commitment 'continue to support the Afghan government and the peace process' (not "
        "'will continue …'); statement 'an apparent effort to bolster its influence in the "
        "region' (not 'in an apparent …'); 'deepen the dialogue and meet face-to-face “as soon "
        "as possible.”'.", "rule-balanced-quotation-marks; otherwise judgement"),
)


def decision_rules(blind: bool = False) -> list[str]:
    """The codebook's decision rules, each with its examples and what checks it; the blind
    edition gives only the constructed example."""
    lines = ["## Decision rules", "",
             "Where a definition leaves a choice, these rules make it, so that two coders "
             "given only the article (with the external facts rule j names), this codebook and the "
             "manuals code alike. Each rule has a constructed example (fictional states)"
             + ("." if blind else " and an example from the first article of the corpus.")
             + " A rule's code is in the failure codes below.", ""]
    for d in DECISIONS:
        lines += [f"### {d.letter}. {d.name}", "", d.rule, "", f"Example: {d.constructed}", ""]
        if not blind:
            lines += [f"In the corpus: {d.corpus}", ""]
        lines += [f"Checked by: {d.held}.", ""]
    return lines
