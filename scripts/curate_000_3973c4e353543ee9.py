"""Curation of "China Urges Closer Afghanistan Ties as US Withdrawal Looms".

The Diplomat, The Pulse blog, 4 June 2021 (an Associated Press story). Read top to bottom,
this script follows the article: first the source and the page, then who appears in it.

Every value that rests on the article is given as ``Q("its exact words")``; the build finds
those words in the seed, stores their offsets, and stops if they are missing or ambiguous.
The seed's own spelling is kept, typos and non-breaking spaces included.
"""

from datapkg.curation import NO_PLOVER, Curation, Q, codes
from datapkg.evidence import Every

SOURCE_ID = "000_3973c4e353543ee9"
SEED = "000_3973c4e353543ee9.txt"
SHA256 = "7b22dcd224151a11635dc4644bf5b01af852c2be7338a20d89d51aee78913e11"

PUBLISHER = "The Diplomat"
URL = "https://thediplomat.com/2021/06/china-urges-closer-afghanistan-ties-as-us-withdrawal-looms/"
EXTERNAL = "the published page (The Diplomat, The Pulse, 2021-06-04, an AP story), outside the seed"


def curate(c: Curation) -> None:
    c.author = "ap"  # the wire service that wrote the story: depth 0 of every chain
    describe_source(c)
    lay_out_page(c)
    name_actors(c)
    find_mentions(c)
    record_events(c)
    lead(c)
    the_meeting(c)
    the_consensus(c)
    background(c)
    the_withdrawal(c)


# 1. The source ---------------------------------------------------------------------------
# The seed is the page's text as captured: it names its blog ("The Pulse") and its headline,
# but not its outlet, wire service, address or date. Those come from the published page and
# are marked external in source_fields, with where they were found.

def describe_source(c: Curation) -> None:
    c.add("sources",
          title=Q("China Urges Closer Afghanistan Ties as US Withdrawal Looms", occurrence=2),
          outlet=PUBLISHER, blog=Q("The Pulse", occurrence=1), wire_service="Associated Press",
          url=URL, published_date="2021-06-04", work_type="magazine-article", language="en",
          text_license="© 2021 The Diplomat / The Associated Press. The text stays its "
                       "publisher's; it is redistributed here only so that every row can be "
                       "checked against it, and is not covered by the data licence.")
    article = [("title", Q("China Urges Closer Afghanistan Ties as US Withdrawal Looms",
                           occurrence=2), "the headline above the deck"),
               ("blog", Q("The Pulse", occurrence=1), "the blog's name atop the page")]
    for field, quote, basis in article:
        c.add("source_fields", field=field, provenance="article", basis=basis, text=quote)
    external = [("outlet", EXTERNAL), ("wire_service", EXTERNAL),
                ("published_date", EXTERNAL),
                ("url", "a stored copy of the published page, whose text matches the seed"),
                ("work_type", "the outlet: The Diplomat is a magazine (external)"),
                ("language", "curator's reading of the text (English)"),
                ("text_license", "copyright of the publisher and the wire service (external)")]
    for field, basis in external:
        c.add("source_fields", field=field, provenance="external", basis=basis)
    computed = [("seed_path", "file name of the seed in the package"),
                ("sha256", "SHA-256 of the seed's bytes, computed by the build"),
                ("length_chars", "code points of the seed, computed by the build"),
                ("length_bytes", "bytes of the seed, computed by the build")]
    for field, basis in computed:
        c.add("source_fields", field=field, provenance="computed", basis=basis)


# 2. The page -----------------------------------------------------------------------------
# Each non-blank line of the seed is a passage. The page opens with furniture: the blog's
# name, the title of the page, a navigation label, the breadcrumb (with non-breaking spaces
# around its bars), the headline, the deck, and the lead image's caption (which repeats the
# headline) and credit. Ten body paragraphs follow; they split into 14 sentences.

def lay_out_page(c: Curation) -> None:
    c.layout([
        ("blog_name", "The Pulse"),
        ("page_title", "China Urges Closer"),
        ("navigation", "Recent Features"),
        ("breadcrumb", "The Pulse\xa0|"),
        ("headline", "China Urges Closer"),
        ("deck", "China has long resented"),
        ("image_caption", "China Urges Closer"),
        ("image_credit", "Credit: Pixabay"),
        ("body_paragraph", "China is urging closer security"),
        ("body_paragraph", "The official Xinhua News Agency"),
        ("body_paragraph", "It quoted Chinese Foreign Minister"),
        ("body_paragraph", "“The security and stability"),
        ("body_paragraph", "According to the Chinese Ministry"),
        ("body_paragraph", "China has long resented"),
        ("body_paragraph", "Xinhua said Wang"),
        ("body_paragraph", "China has sought to invest"),
        ("body_paragraph", "The trilateral meeting"),
        ("body_paragraph", "The United States is preparing"),
    ], sentences=14)


# 3. Who appears --------------------------------------------------------------------------
# States, their governments and ministries, three ministers, news agencies, armed and ethnic
# groups and regions are actors of the corpus, declared in scripts/corpus.py. This article
# gives the ministers their titles and declares the collectives it alone refers to ("the
# three sides", "foreign troops", "neighboring countries"). External codes are given only
# where confirmed; see id_note on each row.

def name_actors(c: Curation) -> None:
    # The states, governments, ministers, agencies, armed groups, peoples and regions other
    # articles name too are the corpus's (scripts/corpus.py). This article gives three
    # ministers their titles, and brings the collectives it alone speaks of.
    c.title("wang_yi", Q("Chinese Foreign Minister"))
    c.title("atmar", Q("Afghan Foreign Minister"))
    c.title("qureshi", Q("Pakistani Foreign Minister"))
    c.actor("three_sides", "China, Afghanistan and Pakistan", "group_of_states",
            id_note="A group of the three states: no single code applies.",
            note="The three parties to the trilateral dialogue: 'the three countries', "
                 "'the three sides'.")
    c.members("three_sides", "china", "afghanistan", "pakistan")
    c.actor("foreign_ministers", "Foreign ministers of China, Afghanistan and Pakistan",
            "group_of_persons", affiliation_id="three_sides",
            id_note="A group of three persons: no single code applies.",
            note="'foreign ministers from China, Afghanistan, and Pakistan'.")
    c.members("foreign_ministers", "wang_yi", "atmar", "qureshi")
    c.actor("pixabay", "Pixabay", "organisation", id_note="Not coded.",
            note="Credited for the lead image.")

    # Forces, allies and armed groups.
    c.actor("us_allies", "Allies of the United States", "group_of_states",
            id_note="Unnamed states: no code applies.",
            note="'its allies', 'allied': the states with forces in Afghanistan beside the US.")
    c.actor("us_and_allies", "The United States and its allies", "group_of_states",
            id_note="The US with unnamed states: no single code applies.",
            note="'their' in 'the U.S. and its allies prepare to withdraw their forces'.")
    c.members("us_and_allies", "usa", "us_allies")
    c.actor("foreign_forces", "U.S. and allied forces in Afghanistan", "military_force",
            id_note="Forces of several states: no single code applies.",
            note="'foreign troops', 'U.S. and allied forces', 'their forces'.")
    c.actor("us_troops", "U.S. troops in Afghanistan", "military_force",
            affiliation_id="usa", cameo_code="USAMIL",
            id_note="CAMEO USA + MIL (ch. 3, Table 3.1: MIL Military: troops, soldiers).",
            note="'its 2,500-3,500 troops'.")
    c.actor("nato_forces", "Allied NATO forces in Afghanistan", "military_force",
            affiliation_id="nato", id_note="No confirmed code for NATO's troops; left null.",
            note="'7,000 allied NATO forces'.")
    for member in ("us_troops", "nato_forces"):
        c.add("actor_members", actor_id="foreign_forces", member_id=member)
    generic = "Unnamed: no code applies."
    c.actor("terrorist_forces", "Terrorist forces", "generic_group", id_note=generic,
            note="'terrorist forces', whose return the ministers sought to prevent.")
    c.actor("terrorist_organizations", "Terrorist organizations or individuals",
            "generic_group", id_note=generic, note="'any terrorist organizations or individuals'.")
    c.actor("insurgents", "Insurgents", "generic_group", id_note=generic,
            note="'insurgents that could threaten security in its Xinjiang region'.")
    c.actor("other_groups", "Other armed groups in Afghanistan", "generic_group",
            id_note=generic, note="'other groups' fighting beside the government and the Taliban.")

    # Regions and other states.
    c.actor("south_asia", "South Asia", "region", id_note="Not coded: a section label.",
            note="A section of the blog (breadcrumb).")
    c.actor("the_region", "The region around Afghanistan", "region",
            id_note="Unbounded in the text: no code applies.",
            note="'the region' of the deck, the lead and Wang's quote.")
    c.actor("neighboring_countries", "Afghanistan's neighboring countries", "group_of_states",
            id_note=generic)
    c.actor("other_countries", "Other countries", "generic_group", id_note=generic,
            note="'other countries', against which territory must not be used.")


# 4. Every mention ------------------------------------------------------------------------
# Names, nouns ("the country"), adjectives ("Chinese", "Afghan"), pronouns ("its", "It")
# and metonyms ("Washington", "the Chinese"). Every(...) takes all whole-word occurrences,
# with the count the curator checked; Q(...) one occurrence, with `inside` to pick it.

def find_mentions(c: Curation) -> None:
    m = c.mention
    m("china", "name", Every("China", 11))
    m("china", "adjectival",
      Q("Chinese", inside="Chinese Foreign Minister Wang Yi"),
      Q("Chinese", inside="the Chinese Ministry of Foreign Affairs"),
      Q("Chinese", inside="The Chinese government"))
    m("china", "metonym", Q("the Chinese", inside="and the Chinese stressed"))
    m("china", "pronoun",
      Q("its", inside="bolster its influence"),
      Q("its", inside="in its Xinjiang region"),
      Q("its", inside="increased its engagement"),
      Q("its", inside="through its Belt and Road Initiative"),
      Q("they", inside="the Chinese stressed that they aim"))
    m("afghanistan", "name", Every("Afghanistan", 17))
    m("afghanistan", "adjectival",
      Q("Afghan", inside="Afghan Foreign Minister"),
      Q("Afghan", inside="invest in Afghan resources"),
      Q("Afghan", inside="the Afghan government"))
    m("afghanistan", "nominal",
      Q("the country", inside="withdraw their forces from the country"),
      Q("the country", inside="wary of the country becoming"),
      Q("a country already deeply insecure"))
    m("pakistan", "name", Every("Pakistan", 4))
    m("pakistan", "adjectival", Q("Pakistani"))
    m("pakistan", "nominal", Q("the country", inside="but the country’s economic weakness"))
    m("usa", "name", Every("US", 3), Q("the U.S.", inside="as the U.S. and its allies"),
      Q("The United States"))
    m("usa", "adjectival",
      Q("U.S.", inside="presence of U.S. and allied forces", occurrence=1),
      Q("U.S.", inside="presence of U.S. and allied forces", occurrence=2))
    m("usa", "metonym", Q("Washington"))
    m("usa", "pronoun",
      Q("its", inside="the U.S. and its allies"),
      Q("its", inside="wrap up its longest war"),
      Q("its", inside="last of its 2,500"),
      Q("it", inside="Washington says it will"))
    m("three_sides", "nominal", Q("the three countries"), Q("the three sides"))
    m("three_sides", "pronoun", Q("their", inside="from using their territories"))
    m("foreign_ministers", "nominal",
      Q("foreign ministers from China, Afghanistan, and Pakistan"))

    m("china_government", "nominal", Q("The Chinese government"))
    m("china_government", "pronoun", Q("its", inside="justified its crackdown"))
    m("china_mfa", "name", Q("the Chinese Ministry of Foreign Affairs"))
    m("afghan_government", "nominal",
      Q("the government", inside="fighting between the government"),
      Q("the Afghan government"))
    m("wang_yi", "name", Q("Chinese Foreign Minister Wang Yi"),
      Q("Wang", inside="” Wang was quoted"), Q("Wang", inside="Xinhua said Wang"))
    m("atmar", "name", Q("Afghan Foreign Minister Mohammad Haneef Atmar"))
    m("qureshi", "name", Q("Pakistani Foreign Minister Shah Mahmood Qureshi"))

    m("xinhua", "name", Q("Xinhua News Agency"), Q("Xinhua", inside="Xinhua said Wang"))
    m("xinhua", "pronoun", Q("It", inside="It quoted Chinese"))
    m("the_pulse", "name", Q("The Pulse", occurrence=1), Q("The Pulse", occurrence=2))
    m("pixabay", "name", Q("Pixabay"))

    m("nato", "name", Q("NATO"))
    m("us_allies", "nominal", Q("its allies"))
    m("us_allies", "adjectival", Q("allied", inside="of U.S. and allied forces", occurrence=1),
      Q("allied", inside="of U.S. and allied forces", occurrence=2),
      Q("allied", inside="7,000 allied NATO forces"))
    m("foreign_forces", "nominal",
      Q("their forces"),
      Q("foreign troops", inside="withdrawal of foreign troops"),
      Q("foreign troops", inside="with foreign troops’ withdrawal"),
      Q("U.S. and allied forces", occurrence=1),
      Q("U.S. and allied forces", occurrence=2))
    m("us_and_allies", "pronoun", Q("their", inside="withdraw their forces"))
    m("us_troops", "nominal", Q("its 2,500-3,500 troops"))
    m("nato_forces", "nominal", Q("7,000 allied NATO forces"))
    m("taliban", "name", Every("the Taliban", 2))
    m("etim", "name", Q("the East Turkestan Islamic Movement"))
    m("terrorist_forces", "nominal", Q("terrorist forces"))
    m("terrorist_organizations", "nominal", Q("any terrorist organizations or individuals"))
    m("insurgents", "nominal", Q("insurgents"))
    m("other_groups", "nominal", Q("other groups"))

    m("uyghurs", "name", Q("the Uyghurs"))
    m("turkic_groups", "nominal", Q("Turkic ethnic groups in Xinjiang"))
    m("xinjiang", "name", Q("Xinjiang region"), Q("Xinjiang", inside="groups in Xinjiang"))
    m("xinjiang", "nominal", Q("the region", inside="prevent terrorism in the region"))
    m("tajikistan", "name", Q("Tajikistan"))
    m("central_asia", "name", Q("Central Asia"))
    m("south_asia", "name", Q("South Asia"))
    m("the_region", "nominal",
      Q("the region", inside="instability in the region"),
      Q("the region", inside="its influence in the region"),
      Q("the region", inside="Afghanistan and the region"))
    m("neighboring_countries", "nominal", Q("neighboring countries"))
    m("other_countries", "nominal", Q("other countries"))


# 5. Claims: conventions ---------------------------------------------------------------------
# A statement is one attributed proposition. Its chain starts with the writer of the text (the
# wire service, depth 0), then each relay (Xinhua "reported", "quoted", "said"; the ministry
# "According to"), then the speakers. One construction, one treatment: "X reported that A
# agreed that …", "According to M, A arrived at …" and "X said A stressed …" all give X as
# relay (its cue on its link) and A as speaker (the verb of A's act as the statement's cue).
# A relay the text implies by anaphora ("Wang was quoted as saying", right after "It quoted")
# is a link marked implicit, with its cue; where no relay can be determined ("China is
# urging", "the Chinese stressed") none is guessed and reporter_implicit says so. The
# article's own claims are assessments.
#
# Spans: a span never holds an unbalanced quotation mark; punctuation inside a closing mark
# that the span reaches is kept ('forces.”'), a comma that hands a direct quote to its cue is
# not, and the sentence's own final period outside any quotation is not.
#
# Event codes: a speech act by an actor is coded on the statement; what an actor commits to
# is coded on the commitment (and its statement says so); what happens is coded on the event.
# An act is coded once: a container (the consensus) is not coded beside its items, a summary
# (the lead) not beside what it summarises, a plan not beside its realisation, a meeting that
# has not happened not beside the intent to hold it (CAMEO 036; PLOVER AGREE: "All cooperative
# actions reported in future tense are also taken to imply intentions").
# Reports by the news agency and the article's own assessments are not events. Codes were
# confirmed in the CAMEO 1.1b3 manual (event codebook) and the PLOVER 0.8 manual (types,
# modes, contexts), with PLOVER's CAMEO-to-PLOVER table (CAMEO2PLOVER-2021) for the mapping;
# where the two PLOVER sources differ, the manual wins and the note says so.
#
# Commitment parties: the ministers commit their states, so a joint commitment of the three
# has the three sides as committer, however the text names them; actor_members expands the
# groups. A statement's speakers are the actors as the text names them.

PUBLICATION = "the publication date, Friday 2021-06-04 (external)"
REPORT = "A news agency's report of what happened; the event itself is coded on events."
TREND = ("Between actors, but the article's summary of a course pursued over years ('has "
         "increased', 'has sought to'), with no occasion the text names: no event is recorded, "
         "and it is not coded. What the text gives as happening (the crackdown, the fighting) is "
         "an event, and a government's stated justification (st14) a speech act: those are "
         "coded.")
ON_COMMITMENT = "What is agreed or asked is coded on its commitment(s): {}."


THURSDAY = dict(date_stated=Q("Thursday"), date_resolved="2021-06-03", date_precision="day",
                date_basis=f"the Thursday before {PUBLICATION}")
SEPTEMBER_11 = dict(deadline_stated=Q("September 11"), deadline_resolved="2021-09-11",
                    deadline_precision="day",
                    deadline_basis="month and day as stated; the year, not stated, is that of "
                                   f"the first September 11 after {PUBLICATION}")


# 6. What happened: the events ------------------------------------------------------------
# The meeting (the fourth of its kind, by video, on Thursday), the withdrawal (planned, to
# end by September 11), the face-to-face meeting the Chinese aim for, and two conditions the
# background paragraphs describe: the fighting in Afghanistan and the crackdown in Xinjiang.

def record_events(c: Curation) -> None:
    c.add("events", event_id="meeting", kind="meeting",
          label="Fourth China–Afghanistan–Pakistan foreign ministers' dialogue",
          status="occurred", mode=Q("video conference"), ordinal=4,
          text=Q("met via video conference on Thursday"), **THURSDAY,
          **codes("041", "CONSULT", "phone", "diplomatic",
                  "CAMEO 041 Discuss by telephone (a remote discussion; 040 'is not coded "
                  "except when distinctions among 041 through 044 cannot be made') → PLOVER "
                  "CONSULT, mode phone: 'Consultation occurs via phone or some other remote "
                  "medium' (a video conference; CAMEO2PLOVER-2021: 041 → CONSULT, phone)."),
          note="Its participant is the ministers, as the text names them ('foreign ministers "
               "from China, Afghanistan, and Pakistan met'): one group actor (decision rule g), "
               "the states they speak for not again beside it; actor_closure resolves "
               "foreign_ministers to the three states, and the ministers by name are its "
               "members (actor_members).")
    c.participants("meeting", "participant",
                   ("foreign_ministers", Q("foreign ministers from China, Afghanistan, and Pakistan")))

    c.add("events", event_id="withdrawal", kind="withdrawal",
          label="Withdrawal of US and allied NATO forces from Afghanistan", status="planned",
          text=Q("withdrawing the last of its 2,500-3,500 troops along with 7,000 allied NATO "
                 "forces by September 11 at the latest"), **SEPTEMBER_11,
          **codes(note="Not coded: the article gives the withdrawal as prepared ('is preparing "
                       "to wrap up its longest war by withdrawing'), not as done. CAMEO 087: "
                       "'only real manifestations of de-escalation are coded here, expressions "
                       "of intent to de-escalate are not'; PLOVER RETREAT covers events with "
                       "'immediate (not simply promised) material consequences'. The plan is "
                       "coded once, on c14 (0356 → AGREE)."),
          note="Planned in the article's own voice ('prepare', 'is preparing'); 'the last of "
               "its' troops are the remaining ones. That it is under way rests only on Wang's "
               "reported words ('foreign troops’ withdrawal from Afghanistan accelerated', "
               "st07). The allies that withdraw are the 'allied NATO forces': NATO is the "
               "party, not 'its allies' again.")
    c.participants("withdrawal", "withdrawing_party",
                   ("usa", Q("The United States")), ("nato", Q("NATO")))

    c.add("events", event_id="next_meeting", kind="meeting",
          label="Face-to-face meeting the Chinese aim for", status="planned",
          mode=Q("face-to-face"), text=Q("meet face-to-face “as soon as possible.”"),
          deadline_stated=Q("as soon as possible"),
          deadline_basis="not a calendar date: left unresolved",
          **codes(note="Not coded: it has not happened. CAMEO 036, usage note: 'when meetings, "
                       "negotiations, or other talks do take place, those are coded under "
                       "category 04 instead'; PLOVER, AGREE: 'All cooperative actions reported in "
                       "future tense are also taken to imply intentions', and 'the coder should "
                       "always return the single event category, not a category+context' (so "
                       "not CONSULT + future). The intent is coded once, on c12 (036 → AGREE)."),
          note="Only the Chinese side's aim is stated, and no ordinal is given. 'the dialogue' "
               "is the trilateral one just named, so its other parties are Afghanistan and "
               "Pakistan; whether they meet China or are among 'they' who aim to meet the text "
               "leaves open, so they are not listed as participants of a meeting not yet "
               "held.")
    c.participants("next_meeting", "participant",
                   ("china", Q("the Chinese", inside="and the Chinese stressed")))

    c.add("events", event_id="fighting", kind="armed_conflict",
          label="Fighting between the Afghan government, the Taliban and other groups",
          status="ongoing",
          text=Q("constant fighting between the government, the Taliban, and other groups"),
          **codes("190", "ASSAULT", context="military",
                  note="CAMEO 190 Use conventional military force → PLOVER ASSAULT, context "
                       "military (CAMEO2PLOVER-2021; PLOVER 0.8 names FIGHT but never defines "
                       "it)."))
    c.participants("fighting", "party",
                   ("afghan_government", Q("the government", inside="fighting between the government")),
                   ("taliban", Q("the Taliban", occurrence=2)),
                   ("other_groups", Q("other groups")))

    c.add("events", event_id="crackdown", kind="repression",
          label="Chinese government crackdown on Turkic ethnic groups in Xinjiang",
          status="occurred",
          text=Q("crackdown on Turkic ethnic groups in Xinjiang, including the Uyghurs"),
          **codes("170", "COERCE", context="religion_ethnicity",
                  note="CAMEO 170 Coerce ('Repression, violence against civilians, or their "
                       "rights or properties not otherwise specified'): 'crackdown' does not "
                       "tell which of 171–175 applies → PLOVER COERCE (CAMEO2PLOVER-2021), "
                       "context religion_ethnicity ('mentions of specific religions or ethnic "
                       "groups')."),
          note="'has justified its crackdown' says it has happened, not whether it goes on. "
               "Its target is the Turkic ethnic groups, each once: 'including the Uyghurs' names "
               "a member of that group (actor_members), not a second target.")
    c.participants("crackdown", "perpetrator", ("china_government", Q("The Chinese government")))
    c.participants("crackdown", "target",
                   ("turkic_groups", Q("Turkic ethnic groups in Xinjiang")))


# 7. The lead (sentence 1) -------------------------------------------------------------------
# China "is urging" cooperation: an appeal, reported without saying through whom. The rest
# of the sentence is the article's reading of China's motive and of the withdrawal.

def lead(c: Curation) -> None:
    c.say("st01", Q("closer security and economic cooperation with Afghanistan"), "indirect",
          [("china", Q("China", inside="China is urging"))], cue=Q("is urging"),
          reporter_implicit=True,
          coded=codes(note=ON_COMMITMENT.format("c01")),
          note="The text does not say through whom China urged this, nor where: it is placed "
               "at no event (c01 reaches the meeting through what it restates).")
    china = ("china", Q("China", inside="China is urging"))
    afghanistan = ("afghanistan", Q("Afghanistan", inside="cooperation with Afghanistan in"))
    c.commit("c01", Q("closer security and economic cooperation with Afghanistan"), "st01",
             "appeal", None, committers=[china], addressees=[afghanistan],
             coded=codes(note="The lead's summary of what sentences 3 and 5 report (c04, c09, "
                              "c10), which it restates: not coded again, so that a tally does "
                              "not count the meeting's outcome twice."),
             note="One appeal for security and economic cooperation together: no one domain.")
    for restated in ("c04", "c09", "c10"):
        c.add("act_links", from_id="c01", relation="restates", to_id=restated,
              note="The lead's summary of the meeting's outcome.")
    c.say("st02", Q("an apparent effort to bolster its influence in the region"),
          "assessment", epistemic="inferred", hedge=Q("apparent"),
          note="The article's reading of China's motive, hedged by 'apparent'.")
    c.say("st03", Q("the U.S. and its allies prepare to withdraw their forces from the country"),
          "assessment", about="withdrawal",
          coded=codes(note="The plan it states is the commitment c02, which restates c14, the "
                           "plan sentence 13 states in full: the plan is coded once, on c14."),
          note="The lead's clause on the withdrawal; sentence 13 states the plan in full.")
    c.commit("c02", Q("withdraw their forces from the country"), "st03", "plan", "military",
             committers=[("usa", Q("the U.S.", inside="as the U.S. and its allies")),
                         ("us_allies", Q("its allies"))],
             about="withdrawal",
             coded=codes(note="The lead's summary of the plan sentence 13 states in full (c14), "
                              "which it restates: not coded again."),
             note="A plan ('prepare to'), as c14 is: the lead names the parties one by one, so "
                  "each commits.")
    c.add("act_links", from_id="c02", relation="restates", to_id="c14",
          note="The lead's clause on the withdrawal; sentence 13 states the plan in full.")


# 8. The meeting (sentences 2, 3, 4, 9 and 12) --------------------------------------------
# Xinhua reported the meeting and what the ministers agreed; it quoted Wang; a second quote
# of Wang names no relay; Xinhua said the three ministers stressed a counter-terrorism
# commitment; and the Chinese stressed that they aim to meet again, face to face.

def the_meeting(c: Curation) -> None:
    xinhua = ("xinhua", Q("Xinhua News Agency"))
    c.say("st04", Q("foreign ministers from China, Afghanistan, and Pakistan met via video "
                       "conference on Thursday"), "indirect", [xinhua], cue=Q("reported"),
          about="meeting", coded=codes(note=REPORT))
    c.say("st05", Q("the withdrawal of foreign troops from Afghanistan should be carried out in "
                       "a responsible and orderly manner to prevent the deterioration of the "
                       "security situation in Afghanistan and the return of “terrorist forces.”"),
          "mixed", [("foreign_ministers",
                     Q("foreign ministers from China, Afghanistan, and Pakistan"))],
          relays=[(*xinhua, Q("reported"), "indirect")], cue=Q("agreed"), made_at="meeting",
          about="withdrawal",
          coded=codes(note=ON_COMMITMENT.format("c03")),
          note="Only “terrorist forces.” is quoted: mixed. Its date is the meeting's "
               "(made_at_event_id → events.date); 'on Thursday' stands in st04.")
    c.commit("c03", Q("withdrawal of foreign troops from Afghanistan should be carried out "
                         "in a responsible and orderly manner"), "st05", "agreement", "military",
             committers=[("three_sides", None)],
             beneficiaries=[("afghanistan", Q("Afghanistan", inside="security situation in Afghanistan"))],
             targets=[("terrorist_forces", Q("terrorist forces"))], made_at="meeting",
             about="withdrawal",
             coded=codes("019", note="CAMEO 019 Express accord: 'actors indicate that they simply "
                                     "agree or concur on an issue but do not imply commitment or "
                                     "intent to cooperate on that issue' (its example: '… agreed "
                                     "today there was an urgent need for progress …'). "
                                     f"{NO_PLOVER}"),
             note="Agreed among the three: the ministers speak for their states, so the "
                  "committer is the three sides (not named as such in this sentence). The text "
                  "addresses the position to no one: the withdrawing forces are what it is "
                  "about. Its aim is to prevent 'the return of “terrorist forces.”' (the "
                  "target); the words leave the aim out (decision rule l), the parties keep it. "
                  "An agreed view of what should be done, with no verb of appeal addressed to "
                  "anyone: not an appeal (decision rule b: CAMEO 019), and one act of the group, "
                  "not one per pair of its members (decision rule g). Its words are of troops "
                  "and their withdrawal: domain military (rule h).")

    c.say("st06", Q("the three countries “needed to to strengthen communication and "
                       "cooperation” for the sake of Afghanistan’s interests and those of "
                       "neighboring countries"), "mixed",
          [("wang_yi", Q("Chinese Foreign Minister Wang Yi"))],
          relays=[("xinhua", Q("It", inside="It quoted"), Q("quoted", inside="It quoted"),
                  "indirect")],
          cue=Q("as saying", inside="Wang Yi as saying"), made_at="meeting",
          source_error="“needed to to”: the word 'to' is doubled inside the quotation (the "
                       "source's error, kept verbatim; whose slip it is, the text cannot tell).",
          coded=codes(note=ON_COMMITMENT.format("c04")),
          note="Linked to the meeting by context: it is Xinhua's report of the meeting.")
    c.commit("c04", Q("strengthen communication and cooperation"), "st06", "appeal",
             "diplomatic", committers=[("wang_yi", Q("Chinese Foreign Minister Wang Yi"))],
             addressees=[("three_sides", Q("the three countries"))],
             beneficiaries=[("afghanistan", Q("Afghanistan", inside="sake of Afghanistan’s")),
                            ("neighboring_countries", Q("neighboring countries"))],
             made_at="meeting",
             coded=codes("022", note="CAMEO 022 Appeal for diplomatic cooperation (such as policy "
                                     "support): an appeal ('needed to'), a call on the three "
                                     "countries to strengthen communication and cooperation, "
                                     "not an undertaking; CAMEO 020 sets appeals apart 'from "
                                     "pledges, which imply commitments, agreements, or promises "
                                     "on the part of the source actor' (decision rule b). PLOVER "
                                     "has no type for it: '02 & APPEAL & dropped' "
                                     "(PLOVER_MANUAL.tex l. 1206)."),
             note="An appeal: Wang calls on the three countries, his own among them (the "
                  "addressee); he makes it (committer); it is for the sake of Afghanistan and the "
                  "neighboring countries (beneficiaries; under an 02 code not recipients). Its "
                  "words start at the verb of what is called for "
                  "(decision rule l).")

    c.say("st07", Q("The security and stability of Afghanistan and the region are facing new "
                       "challenges, with foreign troops’ withdrawal from Afghanistan accelerated, "
                       "the peace and reconciliation process in Afghanistan impacted, and armed "
                       "conflicts and terrorist activities becoming more frequent"), "direct",
          [("wang_yi", Q("Wang", inside="” Wang was quoted"))],
          relays=[("xinhua", None, Q("was quoted"), "direct")],
          cue=Q("as saying", inside="was quoted as saying"), reporter_implicit=True,
          made_at="meeting",
          coded=codes("012", note="CAMEO 012 Make pessimistic comment ('statements with explicit "
                                  f"pessimistic components'). {NO_PLOVER}"),
          note="'was quoted' names no relay; anaphora settles it: the sentence before says "
               "'It [Xinhua] quoted … Wang Yi as saying'. Xinhua is an implicit link. Linked to "
               "the meeting by context.")

    c.say("st15", Q("the need to … forbid any terrorist organizations or individuals from using "
                       "their territories to engage in criminal activities against other "
                       "countries"), "direct",
          [("wang_yi", Q("Wang", inside="Xinhua said Wang")),
           ("atmar", Q("Afghan Foreign Minister Mohammad Haneef Atmar")),
           ("qureshi", Q("Pakistani Foreign Minister Shah Mahmood Qureshi"))],
          relays=[("xinhua", Q("Xinhua", inside="Xinhua said Wang"),
                   Q("said", inside="Xinhua said Wang"), "indirect")],
          cue=Q("stressed", inside="“stressed the need"), made_at="meeting",
          coded=codes(note=ON_COMMITMENT.format("c11")),
          note="The quotation opens before the cue 'stressed': all the content is in quoted "
               "words (direct), and they are Xinhua's, reporting the ministers indirectly. '…' "
               "is the source's elision, not an error. Linked to the meeting by context.")
    c.commit("c11", Q("forbid any terrorist organizations or individuals from using their "
                         "territories to engage in criminal activities against other countries"),
             "st15", "agreement", "counterterrorism",
             committers=[("three_sides", Q("their", inside="from using their territories"))],
             beneficiaries=[("other_countries", Q("other countries"))],
             targets=[("terrorist_organizations", Q("any terrorist organizations or individuals"))],
             made_at="meeting",
             coded=codes("031", "AGREE", context="terrorism",
                         note="CAMEO 031 Express intent to engage in material cooperation "
                              "('not otherwise specified'): forbidding terrorist use of one's "
                              "territory is security cooperation → PLOVER AGREE, context "
                              "terrorism."),
             note="A joint position of the three about their own territories ('their'). Not "
                  "negated: the commitment is to act (forbid), though what it forbids is others' "
                  "action. It may be the point c10 reports through the ministry; the text does "
                  "not say so, and they are not linked.")

    c.say("st20", Q("The trilateral meeting was the fourth of its kind"), "assessment",
          about="meeting", note="Unattributed: the article's own statement of fact.")
    chinese = ("china", Q("the Chinese", inside="and the Chinese stressed"))
    c.say("st21", Q("they aim to both deepen the dialogue and meet face-to-face “as soon as "
                       "possible.”"), "mixed", [chinese],
          cue=Q("stressed", inside="the Chinese stressed"), reporter_implicit=True,
          about="next_meeting", coded=codes(note=ON_COMMITMENT.format("c12")),
          note="'they' is read as the Chinese side; it could be the three sides. The relay "
               "through which the article knows this is not named.")
    c.commit("c12", Q("deepen the dialogue and meet face-to-face “as soon as possible.”"),
             "st21", "intention", "diplomatic", committers=[chinese], about="next_meeting",
             deadline=dict(deadline_stated=Q("as soon as possible"),
                           deadline_basis="not a calendar date: left unresolved"),
             coded=codes("036", "AGREE", context="diplomatic",
                         note="CAMEO 036 Express intent to meet or negotiate: one aim ('aim to "
                              "both … and …') → PLOVER AGREE: 'All cooperative actions reported "
                              "in future tense are also taken to imply intentions' "
                              "(CAMEO2PLOVER-2021: 036 → AGREE)."),
             note="Where the Chinese said this the text does not say: no event it was made at. "
                  "'they' may be the three sides.")
    c.add("act_links", from_id="next_meeting", relation="realises", to_id="c12",
          note="Planned: the meeting the intent is about has not happened; only c12 is coded.")


# 9. The consensus (sentence 5) --------------------------------------------------------------
# According to China's foreign ministry the three sides reached an eight-point consensus.
# The text reports four of the eight points, separated by semicolons, "among other items";
# the second point gives China a role of its own, recorded as an item of that point.

def the_consensus(c: Curation) -> None:
    c.say("st08", Q("an eight-point consensus, which included "
                       "agreements to push forward the peace process and “welcome the Taliban back "
                       "to the political mainstream”; strengthen political trust and relations, "
                       "with China playing “a positive role in improving and developing relations "
                       "between Afghanistan and Pakistan”; deepen Belt and Road cooperation and "
                       "expand economic and trade ties; and strengthen counterterrorism efforts, "
                       "specifically citing the East Turkestan Islamic Movement, among other "
                       "items"), "mixed",
          [("three_sides", Q("the three sides"))],
          relays=[("china_mfa", Q("the Chinese Ministry of Foreign Affairs"), Q("According to"),
                  "indirect")],
          cue=Q("arrived at"),
          made_at="meeting", coded=codes(note=ON_COMMITMENT.format("c05 to c10")),
          note="Partly quoted (two phrases): mixed. Linked to the meeting by context. One "
               "proposition: the ministry reports that the three sides reached this consensus "
               "(as st05: relay, then the sides whose act is reported); its points are "
               "commitments c06–c10.")
    sides = [("three_sides", Q("the three sides"))]
    c.commit("c05", Q("eight-point consensus"), "st08", "agreement", None,
             committers=sides, items=(8, 4), made_at="meeting",
             coded=codes(note="A container; its items are coded (c06, c07, c09, c10). CAMEO 030 "
                              "'is not coded except when distinctions among codes 031 through "
                              "039 cannot be made', and the example under 0314 codes a consensus "
                              "by its content."),
             note="Eight points according to the text; it reports four ('among other items'), "
                  "the four clauses the text separates by semicolons, with China's role (c08) "
                  "an item of the second point. Its items span several domains: none is given.")
    items = [
        ("c06", Q("push forward the peace process and “welcome the Taliban back to the "
                  "political mainstream”"), "political",
         dict(beneficiaries=[("taliban", Q("the Taliban", occurrence=1))]),
         codes("032", "AGREE", context="diplomatic",
               note="CAMEO 032 Express intent to engage in diplomatic cooperation (policy "
                    "support for the peace process); not 037, whose 'source and the target … "
                    "should be adversaries themselves' → PLOVER AGREE (CAMEO2PLOVER-2021).")),
        ("c07", Q("strengthen political trust and relations"), "political", {},
         codes("032", "AGREE", context="diplomatic",
               note="CAMEO 032 Express intent to engage in diplomatic cooperation → PLOVER "
                    "AGREE.")),
        ("c09", Q("deepen Belt and Road cooperation and expand economic and trade ties"),
         "economic", {},
         codes("0311", "AGREE", context="economic",
               note="CAMEO 0311 Express intent to cooperate economically → PLOVER AGREE, "
                    "economic.")),
        ("c10", Q("strengthen counterterrorism efforts, specifically citing the East Turkestan "
                  "Islamic Movement"), "counterterrorism",
         dict(targets=[("etim", Q("the East Turkestan Islamic Movement"))]),
         codes("031", "AGREE", context="terrorism",
               note="CAMEO 031 Express intent to engage in material cooperation ('not otherwise "
                    "specified'): counter-terrorism efforts are security cooperation → PLOVER "
                    "AGREE, context terrorism.")),
    ]
    for cid, words, domain, parties, coded in items:
        c.commit(cid, words, "st08", "agreement", domain, committers=sides, parent="c05",
                 made_at="meeting", coded=coded, **parties)
    c.commit("c08", Q("playing “a positive role in improving and developing relations "
                      "between Afghanistan and Pakistan”"), "st08", "agreement", "diplomatic",
             committers=[("china", Q("China", inside="with China playing"))], parent="c07",
             beneficiaries=[("afghanistan", Q("Afghanistan", inside="between Afghanistan and")),
                            ("pakistan", Q("Pakistan", inside="and Pakistan”"))],
             made_at="meeting",
             coded=codes("039", "AGREE", context="diplomatic",
                         note="CAMEO 039 Express intent to mediate → PLOVER AGREE "
                              "(CAMEO2PLOVER-2021)."),
             note="Part of the second point, with China alone acting; the point's own words "
                  "(c07) end before 'with China playing', so no word is coded twice.")


# 10. Background (sentences 6, 7, 8, 10, 11) --------------------------------------------------
# The article's own context: China's resentment and wariness, its engagement in the region,
# the crackdown in Xinjiang and how Beijing justifies it, and China's investments.

def background(c: Curation) -> None:
    c.say("st09", Q("China has long resented the presence of U.S. and allied forces in "
                    "Afghanistan", occurrence=2), "assessment", epistemic="inferred",
          note="The article's reading of China's attitude, unhedged.")
    c.say("st10", Q("is equally wary of the country becoming a haven for insurgents that could "
                    "threaten security in its Xinjiang region"), "assessment",
          epistemic="inferred",
          note="The article's reading of China's attitude, unhedged; 'could' hedges the threat "
               "China fears (the embedded proposition), not the article's claim that China is "
               "wary.")
    for sid, words, event in (
        ("st11", Q("shares a narrow border with Afghanistan"), None),
        ("st13", Q("its crackdown on Turkic ethnic groups in Xinjiang, including the Uyghurs"),
         "crackdown"),
    ):
        c.say(sid, words, "assessment", about=event)
    c.say("st12", Q("In recent years, China has increased its engagement not only with "
                    "Afghanistan and Pakistan but in Central Asia, particularly\xa0Tajikistan, "
                    "with security issues at the forefront"), "assessment",
          coded=codes(note=TREND))
    c.say("st14", Q("the need to prevent terrorism in the region"), "indirect",
          [("china_government", Q("The Chinese government"))], cue=Q("pointing to"),
          about="crackdown",
          coded=codes("010", note="CAMEO 010 Make statement (a justification fits none of "
                                  f"011–017). {NO_PLOVER}"),
          note="The government's stated justification, which the article reports without "
               "endorsing it.")
    # "has sought to" reports China's past efforts, not an intention China states: statements,
    # not commitments.
    for sid, words in (
        ("st16", Q("China has sought to invest in Afghan resources, particularly copper")),
        ("st18", Q("China has also sought to boost already close ties with Pakistan through its "
                   "Belt and Road Initiative")),
    ):
        c.say(sid, words, "assessment", coded=codes(note=TREND))
    c.say("st17", Q("constant fighting between the government, the Taliban, and other groups has "
                    "largely held back such projects"), "assessment", about="fighting",
          hedge=Q("largely", inside="has largely held"),
          note="Hedged by 'largely': the fighting has held back most, not all, such projects.")
    c.say("st19", Q("the country’s economic weakness and security problems have blunted the "
                    "success of that drive"), "assessment")


# 11. The withdrawal (sentences 13 and 14) ---------------------------------------------------
# The US plan and its numbers, and what Washington says it will do afterwards.

def the_withdrawal(c: Curation) -> None:
    c.say("st22", Q("The United States is preparing to wrap up its longest war by withdrawing "
                       "the last of its 2,500-3,500 troops along with 7,000 allied NATO forces by "
                       "September 11 at the latest"), "assessment", about="withdrawal")
    c.commit("c14", Q("withdrawing the last of its 2,500-3,500 troops along with 7,000 allied "
                         "NATO forces by September 11 at the latest"), "st22", "plan", "military",
             committers=[("usa", Q("The United States"))],
             about="withdrawal", deadline=SEPTEMBER_11,
             coded=codes("0356", "AGREE", context="military",
                         note="CAMEO 0356 Express intent to de-escalate military engagement: "
                              "the plan is reported in the future ('is preparing to … by "
                              "withdrawing'), and CAMEO 030: 'All cooperative actions reported "
                              "in future tense are also taken to imply intentions' → PLOVER "
                              "AGREE, context military (CAMEO2PLOVER-2021: 0356 → AGREE). Not "
                              "087: 'only real manifestations of de-escalation are coded "
                              "here'. Addressed to no one: no recipient."),
             note="The article's statement of the plan: 'The United States is preparing' is "
                  "the sentence's only subject, so the US alone commits; the 7,000 allied NATO "
                  "forces withdraw along with its troops in the event (participant nato), but "
                  "the text does not say NATO prepares or plans anything. The withdrawal itself "
                  "is the event, planned.")
    c.add("act_links", from_id="withdrawal", relation="realises", to_id="c14",
          note="Planned: the withdrawal has not been carried out as the article tells it; the "
               "plan is coded, the withdrawal is not. The event's withdrawing party nato is not "
               "a committer of c14: the article gives the plan as the United States' alone "
               "('The United States is preparing to … by withdrawing … along with 7,000 allied "
               "NATO forces'); NATO's forces withdraw with the US troops, and no plan of "
               "NATO's is reported.")
    c.say("st23", Q("generating fears of increased chaos in a country already deeply "
                       "insecure"), "assessment", about="withdrawal", epistemic="inferred",
          hedge=Q("fears", inside="generating fears"),
          note="Whose fears the text does not say. 'a country already deeply insecure' is kept "
               "inside this statement, and is one mention of Afghanistan (a nominal mention "
               "spans its whole noun phrase).")
    washington = ("usa", Q("Washington"))
    c.say("st24", Q("it will continue to support the Afghan government and the peace process"),
          "indirect", [washington], cue=Q("says"),
          coded=codes(note=ON_COMMITMENT.format("c15")))
    c.commit("c15", Q("continue to support the Afghan government and the peace process"),
             "st24", "pledge", "political", committers=[washington],
             beneficiaries=[("afghan_government", Q("the Afghan government"))],
             coded=codes("032", "AGREE", context="diplomatic",
                         note="CAMEO 032 Express intent to engage in diplomatic cooperation "
                              "(such as policy support) → PLOVER AGREE."))
    c.say("st25", Q("will be equipped to handle counterterrorism threats arising in Afghanistan "
                       "from “over the horizon.”"), "mixed", [washington], cue=Q("says"),
          coded=codes("013", note="CAMEO 013 Make optimistic comment ('Express optimism, "
                                  "assurance, confidence'): an assurance of capability, neither "
                                  "an intent to cooperate (03) nor a show of force (15); 010 'is "
                                  "not coded except when distinctions among 011 to 017 cannot be "
                                  f"made'. {NO_PLOVER}"),
          note="Shares the cue and the subject 'it' with st24; only “over the horizon.” is "
               "quoted. An assertion, not a commitment: no commitment row.")
    figures(c)


# 12. Every figure and date -----------------------------------------------------------------
# Numbers as the text writes them: a range keeps its bounds and gets no midpoint; weekday
# and month-day dates are resolved from the publication date, which is external.

def figures(c: Curation) -> None:
    c.figure("f01", Q("Thursday"), "weekday", "day of the meeting", statement="st04",
             event="meeting", date=THURSDAY)
    c.figure("f02", Q("three", inside="the three countries"), "count",
             "countries meant by 'the three countries'", statement="st06", whose="three_sides",
             value=3, unit="countries")
    c.figure("f03", Q("three", inside="the three sides"), "count",
             "sides to the consensus", statement="st08", whose="three_sides", value=3,
             unit="sides")
    c.figure("f04", Q("eight-point"), "count", "points of the consensus", statement="st08",
             whose="three_sides", value=8, unit="points",
             note="The text reports four of them ('among other items'): see c05.")
    c.figure("f05", Q("fourth"), "ordinal", "trilateral foreign ministers' meetings of its kind",
             statement="st20", event="meeting", value=4, unit="meetings")
    c.figure("f06", Q("2,500-3,500"), "range", "US troops in Afghanistan, the last of which are "
             "to be withdrawn", statement="st22", event="withdrawal", whose="usa", low=2500,
             high=3500, unit="troops",
             note="A range as stated, without a hedging word: no midpoint is recorded.")
    c.figure("f07", Q("7,000"), "count", "allied NATO forces withdrawing with the US troops",
             statement="st22", event="withdrawal", whose="nato", value=7000, unit="forces",
             note="A round number, but not marked approximate by the text.")
    c.figure("f08", Q("September 11"), "date", "deadline of the withdrawal", statement="st22",
             event="withdrawal",
             date=dict(date_stated=Q("September 11"), date_resolved="2021-09-11",
                       date_precision="day", date_basis=SEPTEMBER_11["deadline_basis"]))
