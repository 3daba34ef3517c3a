"""Curation of "Pakistan Hosts Fictional Minister for Port Talks": a FICTIONAL article.

Written for the tests of this package; it reports no real event and is licensed with the code
(MIT). tools/test_articles.py adds it to a copy of the checkout as a curator adds an article
(`datapkg new-source`, then this script in place of the skeleton) and runs the whole test
suite there. It has an outlet and an address, a byline and a dateline, a visit with its host
and visitor, a speaker named in the sentence before (implicit), an approximate figure and a
deadline known to the year.
"""

from datapkg.curation import Curation, Q, codes

SOURCE_ID = "002_9ce0d1a89cb91527"
SEED = "002_9ce0d1a89cb91527.txt"
SHA256 = "9ce0d1a89cb915273cfec584426e89e461a036d570412d223f756924fa0b6742"

FICTIONAL = "Fictional: written for the tests."
# The text dates no statement of the ministry: each is dated by the dateline (June 9, 2021).
DATELINE = dict(date_resolved="2021-06-09", date_precision="day",
                date_basis="not stated: the dateline's date, June 9, 2021")


def curate(c: Curation) -> None:
    c.author = "fictional_mara"
    c.add("sources", title=Q("Pakistan Hosts Fictional Minister for Port Talks"),
          outlet="The Fictional Herald", url="https://example.org/fictional-herald/port-talks",
          published_date="2021-06-09", work_type="newspaper-article", language="en",
          text_license="A fictional text written for the tests of this package, licensed "
                       "with its code (MIT).")
    for field, basis, words in (
            ("title", "the headline", Q("Pakistan Hosts Fictional Minister for Port Talks")),
            ("outlet", "the masthead", Q("The Fictional Herald")),
            ("published_date", "the dateline", Q("June 9, 2021"))):
        c.add("source_fields", field=field, provenance="article", basis=basis, text=words)
    c.add("source_fields", field="url", provenance="external",
          basis="fictional: an address reserved for examples")
    c.layout([
        ("blog_name", "The Fictional Herald"),
        ("breadcrumb", "World › Asia"),
        ("headline", "Pakistan Hosts Fictional"),
        ("deck", "This article is fictional."),
        ("byline", "By Mara Fictus"),
        ("dateline", "ISLAMABAD, June 9,"),
        ("body_paragraph", "China's fictional trade"),
        ("body_paragraph", "The ministry said"),
        ("body_paragraph", "The statement said"),
        ("body_paragraph", "About 2,000 workers"),
    ], sentences=4)

    # Who appears: two states of the corpus, and the people, ministry and places of this story.
    c.actor("fictional_herald", "The Fictional Herald", "media", id_note="Fictional: no codes.")
    c.actor("fictional_mara", "Mara Fictus", "person", affiliation_id="fictional_herald",
            id_note="Fictional: no codes.")
    c.actor("fictional_lin", "Lin Fictus", "person", affiliation_id="china",
            title=Q("China's fictional trade minister"), id_note="Fictional: no codes.")
    c.actor("fictional_pakistan_ministry", "Pakistan's Foreign Ministry (fictional)",
            "ministry", affiliation_id="pakistan", id_note="Fictional: no codes.")
    c.actor("islamabad", "Islamabad", "place", affiliation_id="pakistan",
            id_note="Not coded in this test article.")
    c.actor("gwadar", "Gwadar", "place", affiliation_id="pakistan",
            id_note="Not coded in this test article.")
    c.mention("fictional_herald", "name", Q("The Fictional Herald"))
    c.mention("fictional_mara", "name", Q("Mara Fictus"))
    c.mention("islamabad", "name", Q("ISLAMABAD"), Q("Islamabad"))
    c.mention("china", "name", Q("China"))
    c.mention("fictional_lin", "name", Q("Lin Fictus"))
    c.mention("pakistan", "adjectival", Q("Pakistan", inside="Pakistan's Foreign Ministry"))
    c.mention("fictional_pakistan_ministry", "name", Q("Pakistan's Foreign Ministry"))
    c.mention("fictional_pakistan_ministry", "nominal", Q("The ministry"),
              Q("the ministry", inside="according to the ministry"))
    c.mention("gwadar", "name", Q("Gwadar"))

    # The visit: the minister travels, the ministry hosts (CAMEO 042, the visitor's act).
    c.add("events", event_id="visit", kind="meeting", label="Lin Fictus's visit to Islamabad",
          status="occurred", text=Q("arrived in Islamabad on Tuesday for talks"),
          date_stated=Q("Tuesday"), date_resolved="2021-06-08", date_precision="day",
          date_basis="the Tuesday before the dateline's Wednesday, June 9, 2021",
          **codes("042", "CONSULT", "visit", note=FICTIONAL))
    c.participants("visit", "visitor", ("fictional_lin", Q("Lin Fictus")))
    c.participants("visit", "host", ("fictional_pakistan_ministry",
                                     Q("Pakistan's Foreign Ministry")))
    c.say("st01", Q("China's fictional trade minister, Lin Fictus, arrived in Islamabad on "
                    "Tuesday for talks hosted by Pakistan's Foreign Ministry"), "assessment",
          about="visit")

    # What the ministry said: an agreement, then (its speaker implicit) a deadline.
    c.say("st02", Q("the two countries had agreed to open a new port in Gwadar"), "indirect",
          [("fictional_pakistan_ministry", Q("The ministry"))],
          cue=Q("said", inside="The ministry said"), made_at="visit", date=DATELINE,
          coded=codes(note=FICTIONAL))
    c.commit("c01", Q("open a new port in Gwadar"), "st02", "agreement", "economic",
             committers=[("china", None), ("pakistan", None)], made_at="visit",
             coded=codes(note=FICTIONAL))
    c.say("st03", Q("the port would open by the end of this year"), "indirect",
          [("fictional_pakistan_ministry", None)], cue=Q("said", inside="The statement said"),
          date=DATELINE, coded=codes(note=FICTIONAL))
    c.commit("c02", Q("open by the end of this year"), "st03", "intention",
             "economic", committers=[("china", None), ("pakistan", None)],
             deadline=dict(deadline_stated=Q("by the end of this year"),
                           deadline_resolved="2021-01-01", deadline_precision="year",
                           deadline_basis="this year: the dateline's 2021"),
             coded=codes(note=FICTIONAL))

    c.say("st04", Q("About 2,000 workers have been hired for the project"), "indirect",
          [("fictional_pakistan_ministry", Q("the ministry", inside="according to the ministry"))],
          cue=Q("according to"), date=DATELINE, coded=codes(note=FICTIONAL))
    c.figure("f01", Q("About 2,000"), "count", "workers hired for the port", statement="st04",
             value=2000, unit="workers", approximate=True)
