"""The corpus's own curation: the actors every article may refer to, declared once.

A state, a government, a minister or a news agency is the same row in every article that
names it: Pakistan is `pakistan` and Wang Yi is `wang_yi` wherever they appear. They are
declared here, with what is true of them whatever the article, and each article's script
refers to them by id. What an article calls an actor ("Chinese Foreign Minister") and how it
names it are the article's own (`c.title`, `c.mention` in its script). An article may declare
more actors, and may declare one of these again only with the same values.

An actor that holds for a period only (a government that fell) says so in `valid_from` and
`valid_to`, with their basis in `valid_basis`.
"""

from datapkg.curation import Corpus

# Where the external codes on actors were confirmed. CAMEO: the CAMEO 1.1b3 manual
# (ch. 3 actor codebook, ch. 5 ethnic codes, ch. 7 KEDS actor codes) and the Phoenix /
# PETRARCH2 dictionaries; Wikidata: stored pages naming the item. A composed CAMEO code joins
# a confirmed country code to a confirmed role code (GOV, MED) as ch. 3 prescribes.
CAMEO_COUNTRY = "CAMEO country code (CAMEO manual ch. 7, Table 7.1)"
NO_QID = "no Wikidata item could be confirmed; left null"
# The end of the Islamic Republic's government, as reported at the time (external).
KABUL_FELL = ("external: the Taliban captured Kabul and the Islamic Republic's government "
              "collapsed on 15 August 2021, as reported at the time (The Conversation, "
              "'Afghan government collapses, Taliban seize control: 5 essential reads', "
              "reprinted at https://www.newsbreak.com/news/2342130961834/"
              "afghan-government-collapses-taliban-seize-control-5-essential-reads)")


def wd(qid: str) -> str:
    """Where a Wikidata item was confirmed: its own page, named in published references."""
    return f"Wikidata {qid}, confirmed in published references to it (https://www.wikidata.org/wiki/{qid})"


def curate(c: Corpus) -> None:
    states(c)
    governments(c)
    media(c)
    armed_groups_and_alliances(c)
    peoples_and_regions(c)


def states(c: Corpus) -> None:
    for actor_id, name, iso, qid in (("china", "China", "CHN", "Q148"),
                                     ("afghanistan", "Afghanistan", "AFG", "Q889"),
                                     ("pakistan", "Pakistan", "PAK", "Q843"),
                                     ("usa", "United States", "USA", "Q30"),
                                     ("tajikistan", "Tajikistan", "TJK", "Q863")):
        c.actor(actor_id, name, "state", iso3166=iso, cameo_code=iso, wikidata_qid=qid,
                id_note=f"{CAMEO_COUNTRY}; ISO 3166-1 alpha-3; {wd(qid)}.")


def governments(c: Corpus) -> None:
    """Governments, ministries and ministers."""
    c.actor("china_government", "Government of China", "government", affiliation_id="china",
            cameo_code="CHNGOV",
            id_note="CAMEO CHN + GOV (ch. 3, Table 3.1); no Wikidata item for the government "
                    "as such could be confirmed.")
    c.actor("china_mfa", "Ministry of Foreign Affairs of China", "ministry",
            affiliation_id="china_government", cameo_code="CHNGOV",
            id_note="CAMEO CHN + GOV (Phoenix agents: MINISTRY OF FOREIGN AFFAIRS → GOV); "
                    f"{NO_QID}.")
    c.actor("afghan_government", "Government of Afghanistan", "government",
            affiliation_id="afghanistan", cameo_code="AFGGOV",
            id_note=f"CAMEO AFG + GOV (ch. 3, Table 3.1); {NO_QID}.",
            valid_to="2021-08-15", valid_basis=KABUL_FELL,
            note="The government of the Islamic Republic of Afghanistan; the government the "
                 "Taliban formed after it is not this actor.")
    c.actor("pakistan_government", "Government of Pakistan", "government",
            affiliation_id="pakistan", cameo_code="PAKGOV",
            id_note=f"CAMEO PAK + GOV (ch. 3, Table 3.1); {NO_QID}.")
    c.actor("wang_yi", "Wang Yi", "person", affiliation_id="china_mfa", cameo_code="CHNGOV",
            id_note="CAMEO CHN + GOV by role (no dictionary entry for him); "
                    f"{NO_QID}.")
    c.actor("atmar", "Mohammad Haneef Atmar", "person", affiliation_id="afghan_government",
            cameo_code="AFGGOV",
            id_note="CAMEO AFG + GOV by role (the Phoenix entry MOHAMMAD_HANIF_ATMAR ends in "
                    f"2010); {NO_QID}.")
    c.actor("qureshi", "Shah Mahmood Qureshi", "person", affiliation_id="pakistan_government",
            cameo_code="PAKGOV",
            id_note="Phoenix country dictionary: MAKHDOOM_SHAH_MEHMOOD_QURESHI [PAKGOV >081201]; "
                    f"{NO_QID}.")


def media(c: Corpus) -> None:
    c.actor("xinhua", "Xinhua News Agency", "media", affiliation_id="china",
            cameo_code="CHNGOVMED", wikidata_qid="Q204839",
            id_note="CAMEO CHN + GOVMED: Phoenix.agents.txt l. 1118 'OFFICIAL_NEWS_AGENCY "
                    "[~GOVMED]', matching 'official' (article 000: 'The official Xinhua News "
                    "Agency'); Phoenix.International.actors.txt "
                    "l. 438-440 'XINHUA +XINHUA_NEWS_AGENCY [MED]' (openeventdata/petrarch2 "
                    "676801c); " + wd("Q204839") + ".")
    c.actor("ap", "The Associated Press", "media", wikidata_qid="Q40469",
            id_note=f"No CAMEO entry; {wd('Q40469')}.")
    c.actor("the_diplomat", "The Diplomat", "media",
            id_note=f"No CAMEO entry; {NO_QID}.")
    c.actor("the_pulse", "The Pulse", "media", affiliation_id="the_diplomat",
            id_note="A blog: no code applies.", note="The Diplomat's blog.")


def armed_groups_and_alliances(c: Corpus) -> None:
    c.actor("nato", "NATO", "alliance", cameo_code="IGOWSTNAT", wikidata_qid="Q7184",
            id_note="CAMEO ch. 7, Table 7.1: IGOWSTNAT North Atlantic Treaty Organization; "
                    + wd("Q7184") + ".")
    c.actor("taliban", "Taliban", "armed_group", affiliation_id=None, cameo_code="AFGREBTAL",
            id_note="CAMEO ch. 7, Table 7.1: AFGREBTAL Taliban (date-restricted; rebels in "
                    f"2021); {NO_QID}.")
    c.actor("etim", "East Turkestan Islamic Movement", "armed_group", cameo_code="CHNREB",
            id_note="Phoenix non-state actors dictionary: EASTERN_TURKISTAN_ISLAMIC_MOVEMENT "
                    f"[CHNREB]; {NO_QID}.")


def peoples_and_regions(c: Corpus) -> None:
    c.actor("uyghurs", "Uyghurs", "ethnic_group", affiliation_id="xinjiang", cameo_code="UIG",
            id_note="CAMEO ch. 7, Table 7.1: UIG Uighur (ethnic code uig, ch. 5); no published "
                    "reference to a Wikidata item could be confirmed; left null.")
    c.actor("turkic_groups", "Turkic ethnic groups in Xinjiang", "ethnic_group",
            affiliation_id="xinjiang",
            id_note="CAMEO's ethnic scheme has no code for a language family; the Wikidata item "
                    "for Turkic peoples is wider than the Turkic ethnic groups of Xinjiang this "
                    "actor is; null.")
    c.members("turkic_groups", "uyghurs")
    c.actor("xinjiang", "Xinjiang", "region", affiliation_id="china", iso3166="CN-XJ",
            wikidata_qid="Q34800",
            id_note="ISO 3166-2 CN-XJ (since 2017; formerly CN-65); CAMEO has no code of its own "
                    f"(an alias of CHN); {wd('Q34800')}.")
    c.actor("central_asia", "Central Asia", "region", cameo_code="CAS", wikidata_qid="Q27275",
            id_note="CAMEO ch. 3, Table 3.3: Central Asia CAS; " + wd("Q27275") + ".")
