"""Curation of "Fictional Neighbours Call for Talks": a FICTIONAL article.

Written for the tests of this package; it reports no real event and is licensed with the code
(MIT). tools/test_articles.py adds it to a copy of the checkout as a curator adds an article
(`datapkg new-source`, then this script in place of the skeleton) and runs the whole test
suite there. It has no outlet, no address and no date of publication; a dateline; an appeal
(CAMEO 02, which PLOVER drops); speakers named in the sentence before (implicit); an
approximate figure; and a meeting held face to face in a place.
"""

from datapkg.curation import Curation, Q, codes

SOURCE_ID = "001_6c4a6cd74c46e7b1"
SEED = "001_6c4a6cd74c46e7b1.txt"
SHA256 = "6c4a6cd74c46e7b12d6e0fcb8e897f02911cbecbb8b2f34bb37901ce36fa7966"

FICTIONAL = "Fictional: written for the tests."
APPEAL = ("CAMEO 026 'Appeal to others to meet or negotiate'; PLOVER has no type for it: its "
          "CAMEO-to-PLOVER table reads '02 & APPEAL & dropped'.")
JOINT = "a joint statement"


def curate(c: Curation) -> None:
    c.author = "fictional_writer"
    c.add("sources", title=Q("Fictional Neighbours Call for Talks"), work_type="article",
          language="en", text_license="A fictional text written for the tests of this "
                                      "package, licensed with its code (MIT).")
    c.add("source_fields", field="title", provenance="article", basis="the headline",
          text=Q("Fictional Neighbours Call for Talks"))
    c.layout([
        ("headline", "Fictional Neighbours Call"),
        ("deck", "This article is fictional."),
        ("dateline", "KABUL, June 11"),
        ("body_paragraph", "Afghanistan and Pakistan called"),
        ("body_paragraph", '"We ask all sides'),
        ("body_paragraph", "Roughly 300 delegates"),
    ], sentences=3)

    c.actor("fictional_writer", "The unnamed writer of a fictional article", "person",
            id_note="Fictional: no codes.", note="The text names no writer.")
    c.actor("kabul", "Kabul", "place", affiliation_id="afghanistan",
            id_note="Not coded in this test article.")
    c.actor("fictional_all_sides", "All sides (fictional)", "generic_group",
            id_note="Fictional: no codes.")
    c.actor("fictional_delegates", "Delegates to the fictional meeting", "generic_group",
            id_note="Fictional: no codes.")
    c.actor("fictional_organisers", "Organisers of the fictional meeting", "generic_group",
            id_note="Fictional: no codes.")
    c.mention("kabul", "name", Q("KABUL"), Q("Kabul"))
    c.mention("afghanistan", "name", Q("Afghanistan"))
    c.mention("pakistan", "name", Q("Pakistan"))
    c.mention("taliban", "name", Q("the Taliban"))
    c.mention("fictional_all_sides", "nominal", Q("all sides"))
    c.mention("fictional_delegates", "nominal", Q("delegates"))
    c.mention("fictional_organisers", "nominal", Q("organisers"))

    # The appeal, through a joint statement, and its words, whose speakers the sentence
    # before names.
    c.say("st01", Q("Afghanistan and Pakistan called on the Taliban on Thursday to join peace "
                    "talks"), "indirect",
          [("afghanistan", Q("Afghanistan")), ("pakistan", Q("Pakistan"))],
          cue=Q("according to"), coded=codes(note=FICTIONAL), note=JOINT)
    c.commit("c01", Q("called on the Taliban on Thursday to join peace talks"), "st01",
             "appeal", "political", committers=[("afghanistan", Q("Afghanistan")),
                                                ("pakistan", Q("Pakistan"))],
             addressees=[("taliban", Q("the Taliban"))], coded=codes("026", note=APPEAL))
    c.say("st02", Q("We ask all sides to come to the table"), "direct",
          [("afghanistan", None), ("pakistan", None)], cue=Q("said", inside="statement said"),
          coded=codes(note=FICTIONAL), note=JOINT)

    # The meeting, held in Kabul, and how many attended, by the organisers' count.
    c.add("events", event_id="meeting", kind="meeting", label="The fictional meeting in Kabul",
          status="occurred", text=Q("meeting in Kabul", inside="the meeting in Kabul"),
          **codes(note=FICTIONAL))
    c.participants("meeting", "participant", ("fictional_delegates", Q("delegates")))
    c.say("st03", Q("Roughly 300 delegates attended the meeting in Kabul"), "indirect",
          [("fictional_organisers", Q("organisers"))], cue=Q("said", inside="organisers said"),
          about="meeting", coded=codes(note=FICTIONAL))
    c.figure("f01", Q("Roughly 300"), "count", "delegates who attended the meeting",
             statement="st03", event="meeting", value=300, unit="delegates", approximate=True)
