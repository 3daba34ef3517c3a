"""Curation of "China Urges Closer Afghanistan Ties as US Withdrawal Looms".

The Diplomat, The Pulse blog, 4 June 2021 (an Associated Press story). Read top to bottom,
this script follows the article: first the source and the page, then who appears in it.

Every value that rests on the article is given as ``Q("its exact words")``; the build finds
those words in the seed, stores their offsets, and stops if they are missing or ambiguous.
The seed's own spelling is kept, typos and non-breaking spaces included.
"""

from datapkg.curation import Curation, Q
from datapkg.evidence import Every

SOURCE_ID = "000_3973c4e353543ee9"
SEED = "000_3973c4e353543ee9.txt"
SHA256 = "7b22dcd224151a11635dc4644bf5b01af852c2be7338a20d89d51aee78913e11"

PUBLISHER = "The Diplomat"
URL = "https://thediplomat.com/2021/06/china-urges-closer-afghanistan-ties-as-us-withdrawal-looms/"
EXTERNAL = "the published page (The Diplomat, The Pulse, 2021-06-04, an AP story), outside the seed"

# Where the external codes on actors were confirmed. CAMEO: the CAMEO 1.1b3 manual
# (ch. 3 actor codebook, ch. 5 ethnic codes, ch. 7 KEDS actor codes) and the Phoenix /
# PETRARCH2 dictionaries; Wikidata: stored pages naming the item. A composed CAMEO code joins
# a confirmed country code to a confirmed role code (GOV, MED) as ch. 3 prescribes.
WD = "Wikidata item confirmed in stored reference pages"
CAMEO_COUNTRY = "CAMEO country code (CAMEO manual ch. 7, Table 7.1)"
NO_QID = "no Wikidata item could be confirmed; left null"


def curate(c: Curation) -> None:
    describe_source(c)
    lay_out_page(c)
    name_actors(c)
    find_mentions(c)


# 1. The source ---------------------------------------------------------------------------
# The seed is the page's text as captured: it names its blog ("The Pulse") and its headline,
# but not its outlet, wire service, address or date. Those come from the curation brief and
# are marked external in source_fields, with where they were found.

def describe_source(c: Curation) -> None:
    c.add("sources",
          title=Q("China Urges Closer Afghanistan Ties as US Withdrawal Looms", occurrence=2),
          outlet=PUBLISHER, blog=Q("The Pulse", occurrence=1), wire_service="Associated Press",
          url=URL, published_date="2021-06-04", language="en",
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
# States, their governments and ministries, three ministers, a news agency, armed and ethnic
# groups, regions, and the collectives the text refers to ("the three sides", "foreign
# troops", "neighboring countries"). External codes are given only where confirmed; see
# id_note on each row.

def actor(c: Curation, actor_id: str, name: str, kind: str, **rest) -> None:
    c.add("actors", actor_id=actor_id, name=name, kind=kind, **rest)


def name_actors(c: Curation) -> None:
    # The three parties to the dialogue, and the withdrawing power.
    for actor_id, name, iso, qid in (("china", "China", "CHN", "Q148"),
                                     ("afghanistan", "Afghanistan", "AFG", "Q889"),
                                     ("pakistan", "Pakistan", "PAK", "Q843"),
                                     ("usa", "United States", "USA", "Q30"),
                                     ("tajikistan", "Tajikistan", "TJK", "Q863")):
        actor(c, actor_id, name, "state", iso3166=iso, cameo_code=iso, wikidata_qid=qid,
              id_note=f"{CAMEO_COUNTRY}; ISO 3166-1 alpha-3; {WD}.")
    actor(c, "three_sides", "China, Afghanistan and Pakistan", "group_of_states",
          id_note="A group of the three states: no single code applies.",
          note="The three parties to the trilateral dialogue: 'the three countries', "
               "'the three sides'.")
    for member in ("china", "afghanistan", "pakistan"):
        c.add("actor_members", actor_id="three_sides", member_id=member)

    # Governments, ministries and ministers.
    actor(c, "china_government", "Government of China", "government", affiliation_id="china",
          cameo_code="CHNGOV",
          id_note="CAMEO CHN + GOV (ch. 3, Table 3.1); no Wikidata item for the government "
                  "as such could be confirmed.")
    actor(c, "china_mfa", "Ministry of Foreign Affairs of China", "ministry",
          affiliation_id="china_government", cameo_code="CHNGOV",
          id_note="CAMEO CHN + GOV (Phoenix agents: MINISTRY OF FOREIGN AFFAIRS → GOV); "
                  f"{NO_QID}.")
    actor(c, "afghan_government", "Government of Afghanistan", "government",
          affiliation_id="afghanistan", cameo_code="AFGGOV",
          id_note=f"CAMEO AFG + GOV (ch. 3, Table 3.1); {NO_QID}.",
          note="The Islamic Republic's government of 2021: 'the government', "
               "'the Afghan government'.")
    actor(c, "wang_yi", "Wang Yi", "person", affiliation_id="china_mfa",
          role=Q("Chinese Foreign Minister"), cameo_code="CHNGOV",
          id_note="CAMEO CHN + GOV by role (no dictionary entry for him); "
                  f"{NO_QID}.")
    actor(c, "atmar", "Mohammad Haneef Atmar", "person", affiliation_id="afghan_government",
          role=Q("Afghan Foreign Minister"), cameo_code="AFGGOV",
          id_note="CAMEO AFG + GOV by role (the Phoenix entry MOHAMMAD_HANIF_ATMAR ends in "
                  f"2010); {NO_QID}.")
    actor(c, "qureshi", "Shah Mahmood Qureshi", "person", affiliation_id="pakistan",
          role=Q("Pakistani Foreign Minister"), cameo_code="PAKGOV",
          id_note="Phoenix country dictionary: MAKHDOOM_SHAH_MEHMOOD_QURESHI [PAKGOV >081201]; "
                  f"{NO_QID}.")
    actor(c, "foreign_ministers", "Foreign ministers of China, Afghanistan and Pakistan",
          "generic_group", affiliation_id="three_sides",
          id_note="A group of three persons: no single code applies.",
          note="'foreign ministers from China, Afghanistan, and Pakistan'.")
    for member in ("wang_yi", "atmar", "qureshi"):
        c.add("actor_members", actor_id="foreign_ministers", member_id=member)

    # Media.
    actor(c, "xinhua", "Xinhua News Agency", "media", affiliation_id="china",
          role=Q("official"), cameo_code="CHNGOVMED", wikidata_qid="Q204839",
          id_note="CAMEO CHN + GOVMED (Phoenix agents: STATE_NEWS_AGENCY → GOVMED); " + WD + ".")
    actor(c, "the_diplomat", "The Diplomat", "media",
          id_note=f"No CAMEO entry; {NO_QID}.",
          note="Publisher of the article (external: not named in the seed); the author of "
               "record of its own assessments.")
    actor(c, "the_pulse", "The Pulse", "media", affiliation_id="the_diplomat",
          id_note="A blog: no code applies.", note="The Diplomat's blog that ran the article.")
    actor(c, "pixabay", "Pixabay", "organisation", id_note="Not coded.",
          note="Credited for the lead image.")

    # Forces, alliances and armed groups.
    actor(c, "nato", "NATO", "alliance", cameo_code="IGOWSTNAT", wikidata_qid="Q7184",
          id_note="CAMEO ch. 7, Table 7.1: IGOWSTNAT North Atlantic Treaty Organization; "
                  + WD + ".")
    actor(c, "us_allies", "Allies of the United States", "generic_group",
          id_note="Unnamed states: no code applies.",
          note="'its allies', 'allied': the states with forces in Afghanistan beside the US.")
    actor(c, "foreign_forces", "U.S. and allied forces in Afghanistan", "military_force",
          id_note="Forces of several states: no single code applies.",
          note="'foreign troops', 'U.S. and allied forces', 'their forces'.")
    actor(c, "us_troops", "U.S. troops in Afghanistan", "military_force",
          affiliation_id="usa", cameo_code="USAMIL",
          id_note="CAMEO USA + MIL (ch. 3, Table 3.1: MIL Military: troops, soldiers).",
          note="'its 2,500-3,500 troops'.")
    actor(c, "nato_forces", "Allied NATO forces in Afghanistan", "military_force",
          affiliation_id="nato", id_note="No confirmed code for NATO's troops; left null.",
          note="'7,000 allied NATO forces'.")
    for member in ("us_troops", "nato_forces"):
        c.add("actor_members", actor_id="foreign_forces", member_id=member)
    actor(c, "taliban", "Taliban", "armed_group", affiliation_id=None, cameo_code="AFGREBTAL",
          id_note="CAMEO ch. 7, Table 7.1: AFGREBTAL Taliban (date-restricted; rebels in "
                  f"2021); {NO_QID}.")
    actor(c, "etim", "East Turkestan Islamic Movement", "armed_group", cameo_code="CHNREB",
          id_note="Phoenix non-state actors dictionary: EASTERN_TURKISTAN_ISLAMIC_MOVEMENT "
                  f"[CHNREB]; {NO_QID}.")
    generic = "Unnamed: no code applies."
    actor(c, "terrorist_forces", "Terrorist forces", "generic_group", id_note=generic,
          note="'terrorist forces', whose return the ministers sought to prevent.")
    actor(c, "terrorist_organizations", "Terrorist organizations or individuals",
          "generic_group", id_note=generic, note="'any terrorist organizations or individuals'.")
    actor(c, "insurgents", "Insurgents", "generic_group", id_note=generic,
          note="'insurgents that could threaten security in its Xinjiang region'.")
    actor(c, "other_groups", "Other armed groups in Afghanistan", "generic_group",
          id_note=generic, note="'other groups' fighting beside the government and the Taliban.")

    # Peoples, regions and other states.
    actor(c, "uyghurs", "Uyghurs", "ethnic_group", affiliation_id="xinjiang", cameo_code="UIG",
          wikidata_qid="Q46118",
          id_note="CAMEO ch. 7, Table 7.1: UIG Uighur (ethnic code uig, ch. 5); " + WD + ".")
    actor(c, "turkic_groups", "Turkic ethnic groups in Xinjiang", "ethnic_group",
          affiliation_id="xinjiang",
          id_note="CAMEO's ethnic scheme has no code for a language family; the Wikidata item "
                  "for Turkic peoples is wider than the groups of Xinjiang meant here; null.")
    c.add("actor_members", actor_id="turkic_groups", member_id="uyghurs")
    actor(c, "xinjiang", "Xinjiang", "region", affiliation_id="china", iso3166="CN-XJ",
          wikidata_qid="Q34800",
          id_note="ISO 3166-2 CN-XJ (since 2017; formerly CN-65); CAMEO has no code of its own "
                  f"(an alias of CHN); {WD}.")
    actor(c, "central_asia", "Central Asia", "region", cameo_code="CAS", wikidata_qid="Q27275",
          id_note="CAMEO ch. 3, Table 3.3: Central Asia CAS; " + WD + ".")
    actor(c, "south_asia", "South Asia", "region", id_note="Not coded: a section label.",
          note="A section of the blog (breadcrumb).")
    actor(c, "the_region", "The region around Afghanistan", "region",
          id_note="Unbounded in the text: no code applies.",
          note="'the region' of the deck, the lead and Wang's quote.")
    actor(c, "neighboring_countries", "Afghanistan's neighboring countries", "group_of_states",
          id_note=generic)
    actor(c, "other_countries", "Other countries", "group_of_states", id_note=generic,
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
      Q("a country", inside="in a country already deeply insecure"))
    m("pakistan", "name", Every("Pakistan", 4))
    m("pakistan", "adjectival", Q("Pakistani"))
    m("pakistan", "nominal", Q("the country", inside="but the country’s economic weakness"))
    m("usa", "name", Every("US", 3), Q("U.S.", inside="as the U.S. and its allies"),
      Q("The United States"))
    m("usa", "adjectival",
      Q("U.S.", inside="presence of U.S. and allied forces", occurrence=1),
      Q("U.S.", inside="presence of U.S. and allied forces", occurrence=2))
    m("usa", "metonym", Q("Washington"))
    m("usa", "pronoun",
      Q("its", inside="the U.S. and its allies"),
      Q("its", inside="wrap up its longest war"),
      Q("it", inside="Washington says it will"))
    m("three_sides", "nominal", Q("the three countries"), Q("the three sides"),
      Q("their", inside="from using their territories"))
    m("foreign_ministers", "nominal",
      Q("foreign ministers from China, Afghanistan, and Pakistan"))

    m("china_government", "nominal", Q("The Chinese government"))
    m("china_government", "pronoun", Q("its", inside="justified its crackdown"))
    m("china_mfa", "name", Q("Chinese Ministry of Foreign Affairs"))
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
      Q("allied", inside="of U.S. and allied forces", occurrence=2))
    m("foreign_forces", "nominal",
      Q("their forces"),
      Q("foreign troops", inside="withdrawal of foreign troops"),
      Q("foreign troops", inside="with foreign troops’ withdrawal"),
      Q("U.S. and allied forces", occurrence=1),
      Q("U.S. and allied forces", occurrence=2))
    m("us_troops", "nominal", Q("its 2,500-3,500 troops"))
    m("nato_forces", "nominal", Q("7,000 allied NATO forces"))
    m("taliban", "name", Every("the Taliban", 2))
    m("etim", "name", Q("East Turkestan Islamic Movement"))
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
