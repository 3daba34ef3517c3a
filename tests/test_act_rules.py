"""The rules of the coded layer, each through a tiny package that breaks it once.

Each test builds the tiny package of test_curation_rules with a few records more; the good
variant builds, the broken one fails naming the row and the rule's failure code.
"""

from __future__ import annotations

from damage import find, rewrite, row_where, rows
from test_curation_rules import SEED, failure, tiny_package

import datapkg
from datapkg.validate import shown, validate_package

SAID = "2021-04-26"  # a statement date before the tiny package's deadline
QUOTED = SEED.replace("Some 3-5 envoys attended.", "Some 3-5 envoys attended. "
                      "Li declared “we will meet.”")


def sub(tmp_path, name: str):
    """A fresh directory for one of several packages a test builds."""
    directory = tmp_path / name
    directory.mkdir()
    return directory


def extra(*lines: str) -> str:
    """Records added to the tiny package's curate(), one line each."""
    return "\n    ".join(("from datapkg.curation import codes", *lines))


def event(event_id: str, words: str, cameo: str, plover: str | None, mode: str | None = None):
    return (f'c.add("events", event_id="{event_id}", kind="meeting", label="{event_id}", '
            f'status="occurred", text=Q("{words}"), **codes("{cameo}", '
            f'{plover and repr(plover)}, {mode and repr(mode)}, note="a test"))')


TWO_EVENTS = (event("e1", "two sides agreed", "036", "AGREE"),
              event("e2", "meet by May 1", "036", "AGREE"))


def test_two_coded_rows_linked_are_one_act_counted_twice(tmp_path):
    tiny_package(sub(tmp_path, "good"), said=SAID, extra=extra(*TWO_EVENTS))
    link = 'c.add("act_links", from_id="e2", relation="realises", to_id="e1")'
    failures = failure(sub(tmp_path, "bad"), said=SAID, extra=extra(*TWO_EVENTS, link))
    hit = find(failures, table="act_links", column="from_id", code="rule-coded-once")
    assert hit.row == "from_id=999.e2, relation=realises, to_id=999.e1"


def test_a_link_to_nothing(tmp_path):
    link = 'c.add("act_links", from_id="c1", relation="restates", to_id="nowhere")'
    failures = failure(tmp_path, said=SAID, extra=extra(link))
    find(failures, table="act_links", column="to_id", value="'999.nowhere'",
         code="rule-act-links-resolve")


def test_a_coded_container_beside_its_items(tmp_path):
    def records(container_code: str | None) -> str:
        coded = f'codes("{container_code}", "AGREE", note="x")' if container_code else \
            'codes(note="container")'
        return extra(
            f'c.commit("c2", Q("two sides agreed"), "st1", "agreement", None, '
            f'committers=[("sides", None)], items=(2, 1), coded={coded})',
            'c.commit("c3", Q("meet by May 1"), "st1", "agreement", None, '
            'committers=[("sides", None)], parent="c2", coded=codes("036", "AGREE", note="x"))')
    tiny_package(sub(tmp_path, "good"), said=SAID, extra=records(None))
    failures = failure(sub(tmp_path, "bad"), said=SAID, extra=records("036"))
    find(failures, table="commitments", row="commitment_id=999.c2", column="cameo_code",
         code="rule-coded-once")


def test_two_acts_on_the_same_words(tmp_path):
    inner = event("e3", "two sides", "036", "AGREE")
    tiny_package(sub(tmp_path, "good"), said=SAID, extra=extra(*TWO_EVENTS))
    failures = failure(sub(tmp_path, "bad"), said=SAID, extra=extra(*TWO_EVENTS, inner))
    hit = find(failures, table="acts", column="span_start", code="rule-coded-once")
    assert hit.row in ("act_id=999.e1", "act_id=999.e3")  # one of the two acts on 'two sides'
    tiny_package(sub(tmp_path, "apart"), said=SAID,
                 extra=extra(*TWO_EVENTS, event("e3", "envoys attended", "036", "AGREE")))


def test_a_pair_the_crosswalk_does_not_give(tmp_path):
    failures = failure(sub(tmp_path, "mode"), said=SAID,
                       extra=extra(event("e1", "two sides agreed", "036", "AGREE", "phone")))
    find(failures, table="acts", row="act_id=999.e1", column="plover_event",
         code="rule-codes-follow-crosswalk")
    failures = failure(sub(tmp_path, "code"), said=SAID,
                       extra=extra(event("e1", "two sides agreed", "0999", "AGREE")))
    find(failures, table="acts", row="act_id=999.e1", column="cameo_code",
         code="rule-codes-follow-crosswalk")


def test_any_code_of_the_crosswalk_without_an_edit(tmp_path):
    """A meeting, a visit hosted, an aid pledge and an appeal need no edit of the crosswalk:
    each act passes with its pair, and code_crosswalk publishes the line it rests on."""
    from datapkg.crosswalk import options

    coded = (event("e1", "Xinhua said", "020", None), event("e2", "Wang stressed", "042",
                                                            "CONSULT", "visit"),
             event("e3", "two sides", "043", "CONSULT", "visit"),
             event("e4", "envoys attended", "033", "AGREE"))
    tiny_package(tmp_path, said=SAID, extra=extra(*coded))
    published = datapkg.load_table("code_crosswalk", path=tmp_path / "out")
    assert published["cameo_code"].tolist() == ["020", "033", "042", "043"]
    assert published["basis"].tolist() == [options(code)[0].basis
                                           for code in published["cameo_code"]]
    assert published["basis"][0].startswith("PLOVER_MANUAL.tex l. ") and \
        "'02 & APPEAL & dropped'" in published["basis"][0]
    assert "CAMEO2PLOVER-2021.txt l. " in published["basis"][2] and \
        "'042: CONSULT, visit," in published["basis"][2]


def test_a_departure_is_the_pair(tmp_path):
    """The crosswalk's REQUEST is the pinned manual's DEMAND: an act takes the departure."""
    tiny_package(sub(tmp_path, "demand"), said=SAID,
                 extra=extra(event("e1", "two sides", "101", "DEMAND", "assist")))
    failures = failure(sub(tmp_path, "request"), said=SAID,
                       extra=extra(event("e1", "two sides", "101", "REQUEST", "assist")))
    hit = find(failures, table="acts", row="act_id=999.e1", column="plover_event",
               code="rule-codes-follow-crosswalk")
    assert hit.rule.endswith("101 maps to DEMAND, mode assist")


def test_a_span_that_ends_inside_a_quotation(tmp_path):
    def statement(words: str) -> str:
        return extra(
            'c.add("actors", actor_id="li", name="li", kind="person")',
            'c.mention("li", "name", Q("Li"))',
            f'c.add("statements", statement_id="st2", quote_type="direct", text=Q("{words}"), '
            'cue_text=Q("declared"), source_error=False, '
            'reporter_implicit=False, epistemic="reported", code_note="not coded: a test")',
            'c.add("statement_attributions", statement_id="st2", depth=0, '
            'actor_id="the_article", role="author", implicit=True)',
            'c.add("statement_attributions", statement_id="st2", depth=1, actor_id="li", '
            'role="speaker", implicit=False, quote_type="direct", '
            'mention_id=Mention(Q("Li")))')
    tiny_package(sub(tmp_path, "good"), seed=QUOTED, sentences=4, said=SAID,
                 extra=statement("we will meet"))
    failures = failure(sub(tmp_path, "bad"), seed=QUOTED, sentences=4, said=SAID,
                       extra=statement("“we will meet"))
    find(failures, table="statements", row="statement_id=999.st2", column="span_end",
         code="rule-balanced-quotation-marks")


def test_an_implicit_relay_is_a_link_marked_implicit(tmp_path):
    chain = [(0, "the_article", "author"), (1, "xinhua", "reporter"), (2, "wang", "speaker")]
    relay = ('c.add("statement_attributions", statement_id="st1", depth=1, actor_id="xinhua", '
             'role="reporter", implicit=False, quote_type="indirect", cue_text=Q("said"))')
    failures = failure(tmp_path, said=SAID, chain=[chain[0], (2, "wang", "speaker")],
                       extra=extra(relay))
    find(failures, table="statement_attributions", row="statement_id=999.st1, depth=1, "
         "actor_id=xinhua", column="implicit", code="rule-chain-links")


def test_a_chain_s_first_link_repeats_its_statement_s_quote_type(tmp_path):
    """The first link beyond the article gives the statement's words as the statement says:
    a link that states another quote type, or none, fails, naming the statement's."""
    tiny_package(tmp_path, said=SAID)
    package = tmp_path / "out"
    assert validate_package(package) == []
    statement = row_where(rows(package, "statements"), statement_id="999.st1")
    other = next(kind for kind in ("direct", "indirect") if kind != statement["quote_type"])
    for stated in (other, None):
        rewrite(package, "statement_attributions", lambda links, stated=stated: row_where(
            links, statement_id="999.st1", depth=1).update(quote_type=stated))
        hits = [f for f in validate_package(package) if f.code == "rule-chain-links"
                and f.rule.endswith(f"the statement's ({statement['quote_type']})")]
        assert [(h.table, h.column, h.value) for h in hits] == \
            [("statement_attributions", "quote_type", shown(stated))]
        assert hits[0].row.startswith("statement_id=999.st1, depth=1, ")


def test_acts_repeat_the_codes_of_their_rows_and_nothing_else(tmp_path):
    tiny_package(tmp_path, said=SAID, extra=extra(TWO_EVENTS[0]))
    package = tmp_path / "out"
    assert validate_package(package) == []
    rewrite(package, "acts", lambda rows: row_where(rows, act_id="999.e1").update(
        plover_event="CONSULT"))
    find(validate_package(package), table="acts", row="act_id=999.e1", column="plover_event",
         code="rule-acts-follow-codes")


def test_roles_held_to_their_definitions(tmp_path):
    failures = failure(sub(tmp_path, "addressee"), said=SAID,
                       parties=[("sides", "committer"), ("xinhua", "addressee")])
    find(failures, table="commitment_parties",
         row="commitment_id=999.c1, actor_id=xinhua, role=addressee", column="role",
         code="rule-party-roles-fit")
    failures = failure(sub(tmp_path, "both"), said=SAID,
                       parties=[("sides", "committer"), ("wang", "beneficiary"),
                                ("wang", "target")])
    find(failures, table="commitment_parties",
         row="commitment_id=999.c1, actor_id=wang, role=target", column="role",
         code="rule-party-roles-fit")


def test_who_receives_a_commitment(tmp_path):
    """A commitment's target never receives the act; a beneficiary receives it only under a
    code whose target is the one served (032), not under 036."""
    tiny_package(tmp_path, said=SAID, extra=extra(
        'c.commit("c2", Q("two sides agreed"), "st1", "agreement", None, '
        'committers=[("sides", None)], beneficiaries=[("wang", None)], '
        'targets=[("xinhua", None)], coded=codes("036", "AGREE", note="x"))',
        'c.commit("c3", Q("meet by May 1"), "st1", "agreement", None, '
        'committers=[("sides", None)], beneficiaries=[("wang", None)], '
        'coded=codes("032", "AGREE", note="x"))'))
    parties = datapkg.load_table("act_parties", path=tmp_path / "out")
    received = parties[parties["role"] == "recipient"]
    assert set(zip(received["act_id"], received["actor_id"])) == {("999.c3", "wang")}


def test_a_call_on_a_group_including_the_speaker(tmp_path):
    """Wang, one of the two sides, says the two sides are to meet: not his own intention, but
    an appeal to the group (or the group's own commitment)."""
    def records(kind: str, addressed: bool) -> str:
        addressees = '[("sides", Q("two sides"))]' if addressed else "()"
        return extra(
            'c.author = "the_article"',
            'c.members("sides", "wang")',
            'c.mention("sides", "nominal", Q("two sides"))',
            'c.say("st2", Q("The two sides agreed on Monday to meet by May 1"), "indirect", '
            '[("wang", None)], cue=Q("stressed"), coded=codes(note="on c2"))',
            f'c.commit("c2", Q("meet by May 1"), "st2", "{kind}", None, '
            f'committers=[("wang", None)], addressees={addressees}, coded=codes(note="x"))')
    tiny_package(sub(tmp_path, "appeal"), said=SAID, extra=records("appeal", True))
    failures = failure(sub(tmp_path, "intention"), said=SAID, extra=records("intention", False))
    hit = find(failures, table="commitments", row="commitment_id=999.c2", column="kind",
               code="rule-self-inclusive-calls")
    assert "names sides, which includes wang" in hit.rule


def test_an_act_coded_for_an_event_carries_its_parties(tmp_path):
    """A plan coded in place of the withdrawal that realises it names every withdrawing
    party, or the link says which one it leaves out and why."""
    def records(committers: str, note: str | None) -> str:
        return extra(
            'c.add("actors", actor_id="li", name="li", kind="person")',
            'c.mention("li", "name", Q("envoys"))',
            'c.add("events", event_id="e1", kind="withdrawal", label="e1", status="planned", '
            'text=Q("meet by May 1"), **codes(note="coded on c2"))',
            'c.participants("e1", "withdrawing_party", ("wang", None), ("li", None))',
            f'c.commit("c2", Q("two sides agreed"), "st1", "plan", None, '
            f'committers={committers}, coded=codes("0356", "AGREE", note="x"))',
            f'c.add("act_links", from_id="e1", relation="realises", to_id="c2", note={note!r})')
    both = '[("wang", None), ("li", None)]'
    tiny_package(sub(tmp_path, "both"), said=SAID, extra=records(both, None))
    tiny_package(sub(tmp_path, "stated"), said=SAID,
                 extra=records('[("wang", None)]', "li withdraws, but only Wang plans it"))
    failures = failure(sub(tmp_path, "missing"), said=SAID, extra=records('[("wang", None)]', None))
    hit = find(failures, table="act_links", column="to_id", value="'999.c2'",
               code="rule-realised-parties")
    assert hit.row == "from_id=999.e1, relation=realises, to_id=999.c2"
    assert "withdrawing_party li as actor" in hit.rule


def test_a_group_beside_its_own_member_in_one_role(tmp_path):
    """Wang, a member of the two sides, commits beside them: the group or its member, not
    both, in one role of a commitment and of its act; in two roles they may stand."""
    def records(committers: str, addressees: str = "()") -> str:
        return extra(
            'c.members("sides", "wang")',
            f'c.commit("c2", Q("meet by May 1"), "st1", "appeal", None, '
            f'committers={committers}, addressees={addressees}, '
            f'coded=codes("036", "AGREE", note="x"))')
    tiny_package(sub(tmp_path, "roles"), said=SAID,
                 extra=records('[("wang", None)]', '[("sides", None)]'))
    failures = failure(sub(tmp_path, "beside"), said=SAID,
                       extra=records('[("sides", None), ("wang", None)]'))
    hit = find(failures, table="commitment_parties",
               row="commitment_id=999.c2, actor_id=wang, role=committer", column="actor_id",
               code="rule-group-beside-member")
    assert "sides reaches wang" in hit.rule
    find(failures, table="act_parties", row="act_id=999.c2, actor_id=wang, role=actor",
         column="actor_id", code="rule-group-beside-member")


def test_an_act_without_a_cameo_code_realising_an_event_is_judged_not_raised():
    """A realising act whose CAMEO code is null (a damaged package) gives the rule no code to
    map a role by: the rule asks for the party by note or as no role, and never raises."""
    import datapkg
    from datapkg.rules import realised_parties

    frames = dict(datapkg.load())
    links, acts = frames["act_links"], frames["acts"]
    realising = links.loc[(links["relation"] == "realises")
                          & links["to_id"].isin(acts["act_id"]), "to_id"]
    assert len(realising), "the corpus has an act realising an event"
    acts = acts.copy()
    acts.loc[acts["act_id"].isin(realising), "cameo_code"] = None
    frames["acts"] = acts
    assert all(v.table == "act_links" for v in realised_parties(frames))


def small_frames(**tables: list[dict]) -> dict:
    """Tables of a few rows (text columns, spans as nullable integers), as a damaged package
    may hold them: every rule of who acts reads its tables from these."""
    import pandas as pd

    names = ["actor_closure", "actor_members", "statements", "mentions", "commitments",
             "commitment_parties", "act_parties", "acts", "events", "event_participants",
             "act_links"]
    columns = {"actor_closure": ["actor_id", "related_id", "depth"],
               "actor_members": ["actor_id"],
               "statements": ["statement_id", "span_start", "span_end"],
               "mentions": ["actor_id", "span_start", "span_end"],
               "commitments": ["commitment_id", "kind", "statement_id"],
               "commitment_parties": ["commitment_id", "actor_id", "role"],
               "act_parties": ["act_id", "actor_id", "role"], "acts": ["act_id", "cameo_code"],
               "events": ["event_id"], "event_participants": ["event_id", "actor_id", "role"],
               "act_links": ["from_id", "relation", "to_id", "note"]}
    numbers = {"depth", "span_start", "span_end"}
    return {name: pd.DataFrame({c: pd.array([row.get(c) for row in tables.get(name, [])],
                                            "Int64" if c in numbers else "string")
                                for c in columns[name]}) for name in names}


def test_groups_beside_one_member_are_named_in_the_order_of_their_names():
    """Two groups beside their member in one role: reported group by group, by name, not in
    the order actor_closure happens to list them."""
    from datapkg.rules import group_beside_member

    frames = small_frames(
        actor_closure=[{"actor_id": "g2", "related_id": "a", "depth": 1},
                       {"actor_id": "g1", "related_id": "a", "depth": 1}],
        commitment_parties=[{"commitment_id": "c1", "actor_id": a, "role": "committer"}
                            for a in ("g1", "g2", "a")])
    assert [v.rule.split()[0] for v in group_beside_member(frames)] == ["g1", "g2"]


def test_a_participant_without_an_actor_is_judged_not_raised():
    """An event's participant whose actor is null (a damaged package), on a link with a note:
    the rule reports the party missing from the act and never raises on the note."""
    from datapkg.rules import realised_parties

    frames = small_frames(
        events=[{"event_id": "e1"}], acts=[{"act_id": "x1", "cameo_code": "036"}],
        act_links=[{"from_id": "e1", "relation": "realises", "to_id": "x1",
                    "note": "some note"}],
        event_participants=[{"event_id": "e1", "actor_id": None, "role": "host"},
                            {"event_id": "e1", "actor_id": "b", "role": "host"}])
    assert [v.index for v in realised_parties(frames)] == [0, 0]


def test_a_column_of_nulls_only_is_among_nothing():
    """``among`` answers for a column with no type but null (a hand-built frame), as pandas'
    ``isin`` does."""
    import pandas as pd

    from datapkg.rules import among

    assert among(pd.Series([None, None], dtype=object), ["a"]).tolist() == [False, False]
    assert among(pd.Series([], dtype=object), pd.Series(["a"])).tolist() == []


def test_an_action_span_starting_at_a_modal_or_an_article(tmp_path):
    """Decision rule l: a commitment's or event's words start at its verb or noun; one that
    starts at 'to' (or 'the', 'its', 'will' …) fails, naming the row and its start."""
    tiny_package(sub(tmp_path, "good"), said=SAID, extra=extra(event("e1", "meet by May 1", "036",
                                                                     "AGREE")))
    failures = failure(sub(tmp_path, "bad"), said=SAID,
                       extra=extra(event("e1", "to meet by May 1", "036", "AGREE")))
    hit = find(failures, table="events", column="span_start", code="rule-action-span-start")
    assert hit.row == "event_id=999.e1"
    start = SEED.index("to meet by May 1")
    assert hit.value == str(start), hit.value


def test_the_leading_word_of_an_action_is_read_past_punctuation_and_in_its_case():
    """The first word past any opening mark; lower case or capitalised, never in capitals or
    as a name (May, Will); an auxiliary or 'need'/'aim' only before another verb."""
    import pandas as pd

    from datapkg.rules import leading_word

    cases = {"“will reopen the line”": True, "…to meet": True, "The talks": True,
             "Its blockade of the port": True, "has reopened twice": True, "need to act": True,
             "is preparing to leave": True, "Has been delayed": True,
             "May 1 talks": False, "IT upgrade": False, "meet by May 1": False,
             "talks": False, "withdrawing the troops": False, "Theodore's visit": False,
             "have talks with the rebels": False, "had talks on Monday": False,
             "be a guarantor of the deal": False, "need-based aid": False,
             "aim missiles at the border": False, "Will Smith's visit": False}
    got = leading_word(pd.Series(list(cases), dtype="string"))
    assert dict(zip(cases, got.tolist(), strict=True)) == cases


def test_the_rule_of_an_action_s_start_reads_every_english_tag_and_no_other_language():
    import pandas as pd

    from datapkg.rules import action_span_start

    sources = pd.DataFrame({"source_id": ["001_a", "002_b", "003_c"],
                            "language": ["en-GB", "fr", "eng"]}).astype("string")
    rows = pd.DataFrame({"source_id": ["001_a", "002_b", "003_c"],
                         "text": ["the talks", "the talks", "the talks"],
                         "span_start": [5, 6, 7]}).astype({"source_id": "string", "text": "string"})
    empty = rows.iloc[0:0]
    found = list(action_span_start({"sources": sources, "commitments": rows, "events": empty}))
    assert [(v.table, v.value) for v in found] == [("commitments", 5)]


def test_a_content_that_is_one_whole_quotation_leaves_its_marks_out():
    import pandas as pd

    from datapkg.rules import balanced_quotation_marks

    def frame(*texts):
        return pd.DataFrame({"text": list(texts), "span_start": range(len(texts)),
                             "span_end": range(len(texts))}).astype({"text": "string"})

    statements = frame("“We will not wait,”", "We will not wait", "hold talks “soon.”")
    commitments = frame("“deepen ties”")  # rule l speaks of a statement's content only
    found = list(balanced_quotation_marks({"statements": statements, "commitments": commitments,
                                           "events": frame("meet “soon"), "acts": frame()}))
    assert [(v.table, v.value) for v in found] == [("statements", 0), ("events", 0)]


def first_word_leads(text: str) -> bool:
    """leading_word's first form, one string at a time: the reference the property holds."""
    import re

    from datapkg.rules import BEFORE_A_VERB, LEADING_WORDS, NAMES

    found = re.match(r"\W*([\w-]+)", text)
    if not found:
        return False
    word = found.group(1)
    if not (word == word.lower() or (word == word.capitalize() and word not in NAMES)):
        return False
    if word.lower() in LEADING_WORDS:
        return True
    return word.lower() in BEFORE_A_VERB and bool(
        re.match(r"\W*[\w-]+\s+(?:to|been|being|\w+(?:ed|en|ing))\b", text))


def test_the_leading_word_of_many_spans_at_once_is_each_span_s_alone():
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from datapkg.rules import BEFORE_A_VERB, LEADING_WORDS, NAMES, leading_word

    word = st.sampled_from([*LEADING_WORDS, *BEFORE_A_VERB, *NAMES, "talks", "met", "need-based",
                            "IT", "reopened", "being", "to", "Ärzte", "x"])
    cased = st.tuples(word, st.sampled_from([str, str.capitalize, str.upper])).map(
        lambda pair: pair[1](pair[0]))
    # beside a word, characters that are a word's in Python and no ASCII letter ("é", a digit
    # of another script, "²", a combining accent), or that end a word ("\n", a no-break space)
    mark = st.sampled_from(["", "“", "…", "(", " ", "'", "-", "_", "é", "\u0663", "²", "\u0301",
                            "\n", "\u00a0", "\t"])
    span = st.tuples(mark, st.lists(st.tuples(cased, mark, st.sampled_from([" ", ""])),
                                    min_size=0, max_size=4)).map(
        lambda pair: pair[0] + "".join(w + m + gap for w, m, gap in pair[1]))
    texts = st.lists(st.one_of(span, st.text(max_size=12)), max_size=12)

    @settings(max_examples=500, deadline=None)
    @given(texts, st.booleans())
    def holds(texts, arrow):
        column = pd.Series(texts, dtype="string[pyarrow]" if arrow else "string")
        got = leading_word(column).tolist()
        assert got == [first_word_leads(t) for t in texts]

    holds()
