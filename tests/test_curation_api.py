"""What a curation script can say about a wire story, and what it is told when it is wrong.

A fictional wire story (a byline, a dateline, a visit, a statement whose speaker is named in
the sentence before, an approximate figure with the date it holds) is written into a temporary
checkout with its script and built alone. Each mistake a curator makes is then written into
that script, and the error must name the script's line (and each line of a helper of its own
on the way) and the record, never a bare message or a temporary folder.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

import datapkg
from datapkg.build import build_package
from datapkg.errors import CurationError, InvalidPackage
from datapkg.formats import plover_records

SOURCE_ID = "901_0123456789abcdef"
NAME = f"curate_{SOURCE_ID}.py"
SEED = ("Fictional Wire\n\n"
        "Envoys Meet in a Fictional Visit\n\n"
        "By Ada Writer\n\n"
        "ISLAMABAD (AP) —\n\n"
        "Pakistan's foreign minister visited Beijing on Monday, the ministry said. The statement "
        "said some 300 envoys had attended as of Monday.\n")

SCRIPT = '''
from datapkg.curation import Curation, Q, codes

SOURCE_ID = "{source_id}"
SEED = "{source_id}.txt"
SHA256 = "{sha}"


def curate(c: Curation) -> None:
    c.author = "wire"
    c.add("sources", title=Q("Envoys Meet in a Fictional Visit"), work_type="article",
          language="en", text_license="Fictional, written for the tests; MIT.")
    c.layout([("blog_name", "Fictional Wire"), ("headline", "Envoys Meet"),
              ("byline", "By Ada Writer"), ("dateline", "ISLAMABAD"),
              ("body_paragraph", "Pakistan's foreign")], sentences=2)
    c.actor("wire", "Fictional Wire", "media")
    c.actor("pakistan", "Pakistan", "state")
    c.actor("china", "China", "state")
    c.actor("islamabad", "Islamabad", "place", affiliation_id="pakistan")
    c.actor("beijing", "Beijing", "place", affiliation_id="china")
    c.actor("ministry", "Foreign ministry of Pakistan", "ministry", affiliation_id="pakistan")
    c.mention("wire", "name", Q("Fictional Wire"))
    c.mention("islamabad", "name", Q("ISLAMABAD"))
    c.mention("beijing", "name", Q("Beijing"))
    c.mention("pakistan", "name", Q("Pakistan"))
    c.mention("ministry", "nominal", Q("the ministry"))
    c.add("events", event_id="visit", kind="meeting", label="The visit", status="occurred",
          text=Q("visited Beijing on Monday"),
          **codes("{cameo}", "CONSULT", "visit", note="A test."))
    c.participants("visit", "visitor", ("pakistan", Q("Pakistan")))
    c.participants("visit", "host", ("china", None))
    c.say("st1", Q("Pakistan's foreign minister visited Beijing on Monday"), "indirect",
          [("ministry", Q("the ministry"))], cue=Q("said", inside="ministry said"),
          about="visit")
    c.say("st2", Q("some 300 envoys had attended as of Monday"), "indirect",
          [("ministry", None)], cue=Q("said", inside="statement said"))
    c.figure("f1", Q("some 300"), "count", "envoys who had attended", statement="st2",
             value=300, unit="envoys", approximate=True,
             as_of=dict(as_of=Q("as of Monday"), as_of_resolved="2021-06-07",
                        as_of_precision="day", as_of_basis="a test"))
'''


def wire_story(tmp_path: Path, old: str = "", new: str = "", cameo: str = "042") -> Path:
    """Build the wire story (with ``old`` replaced by ``new`` in its script) alone; its
    package."""
    scripts, seeds = tmp_path / "scripts", tmp_path / "seeds"
    scripts.mkdir(exist_ok=True)
    seeds.mkdir(exist_ok=True)
    (seeds / f"{SOURCE_ID}.txt").write_text(SEED, encoding="utf-8")
    script = SCRIPT.format(source_id=SOURCE_ID, cameo=cameo,
                           sha=hashlib.sha256(SEED.encode()).hexdigest())
    assert old in script
    (scripts / NAME).write_text(textwrap.dedent(script.replace(old, new, 1)))
    build_package(tmp_path / "data", scripts, seeds)
    return tmp_path / "data"


def line_of(tmp_path: Path, words: str) -> str:
    """``curate_<id>.py:<line>`` of the first line of the built script holding ``words``."""
    lines = (tmp_path / "scripts" / NAME).read_text().splitlines()
    return f"{NAME}:{next(i for i, line in enumerate(lines, 1) if words in line)}"


def refused(tmp_path: Path, old: str, new: str) -> str:
    with pytest.raises(CurationError) as err:
        wire_story(tmp_path, old, new)
    message = str(err.value)
    assert "\n" not in message and ".tmp-" not in message
    return message


# --- the vocabulary of a wire story -----------------------------------------------------------

@pytest.mark.parametrize("cameo, acting, receiving",
                         [("042", "pakistan", "china"), ("043", "china", "pakistan")])
def test_a_wire_story_builds_with_its_vocabulary(tmp_path, cameo, acting,
                                                 receiving):
    package = wire_story(tmp_path, cameo=cameo)
    tables = datapkg.load(path=package)
    assert list(tables["passages"]["kind"])[2:4] == ["byline", "dateline"]
    assert set(tables["actors"].query("kind == 'place'")["actor_id"]) == {"islamabad", "beijing"}
    # a place is where, not who: it is no party to any act
    assert not set(tables["act_parties"]["actor_id"]) & {"islamabad", "beijing"}

    links = tables["statement_attributions"].set_index(["statement_id", "role"])
    named, implicit = links.loc[(f"{SOURCE_ID[:3]}.st1", "speaker")], \
        links.loc[(f"{SOURCE_ID[:3]}.st2", "speaker")]
    assert not named["implicit"] and not pd_na(named["mention_id"])
    assert implicit["implicit"] and pd_na(implicit["mention_id"])  # named the sentence before

    (figure,) = tables["figures"].to_dict("records")
    assert figure["approximate"] and figure["as_of"] == "as of Monday"
    assert str(figure["as_of_resolved"]) == "2021-06-07" and figure["as_of_precision"] == "day"

    # CAMEO: 042 is the visitor's act, 043 the host's; PLOVER: the visitor is the source
    parties = tables["act_parties"].set_index("role")["actor_id"]
    assert (parties["actor"], parties["recipient"]) == (acting, receiving)
    (record,) = plover_records(tables)
    assert [a["actor_id"] for a in record["source"]] == ["pakistan"]
    assert [a["actor_id"] for a in record["recipient"]] == ["china"]


def pd_na(value) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def test_every_value_a_curator_may_now_use_is_defined_with_an_example():
    from datapkg.registry import TABLES

    added = {("passages", "kind"): ("byline", "dateline"), ("actors", "kind"): ("place",),
             ("event_participants", "role"): ("host", "visitor")}
    for (table, column), values in added.items():
        defined = dict(TABLES[table].field(column).definitions)
        for value in values:
            assert "('" in defined[value], (table, column, value)  # a quoted example
    for column in ("as_of", "as_of_resolved", "as_of_precision", "as_of_basis", "approximate"):
        assert TABLES["figures"].field(column).example, column


# --- every failure leads to the script line -----------------------------------------------------

def test_a_keyword_the_api_does_not_take_names_the_line_and_the_call(tmp_path):
    message = refused(tmp_path, 'approximate=True,', 'approximate=True, rounded=True,')
    line = line_of(tmp_path, 'c.figure("f1"')
    assert message.startswith(f"{line} in curate: TypeError: ")
    assert "unexpected keyword argument 'rounded'" in message
    assert 'the call: c.figure("f1", Q("some 300"), "count"' in message


def test_a_column_a_table_does_not_have_names_the_line_and_the_record(tmp_path):
    message = refused(tmp_path, 'c.add("events", event_id="visit"', 'c.add("events", event="visit"')
    line = line_of(tmp_path, 'c.add("events"')
    assert message.startswith(f"{line} in curate: events record {{'event': 'visit'")
    assert "unknown or derived column(s) ['event']" in message


def test_a_tuple_of_the_wrong_shape_names_the_line_and_the_shape(tmp_path):
    """An old relay (actor, mention, cue) without how it passes the words on."""
    message = refused(tmp_path, 'cue=Q("said", inside="ministry said"),',
                      'cue=Q("said", inside="ministry said"), '
                      'relays=[("wire", Q("Fictional Wire"), Q("said", inside="ministry said"))],')
    line = line_of(tmp_path, 'c.say("st1"')
    assert message.startswith(f"{line} in curate: statement st1: relay ('wire', ")
    assert "has 3 parts; give (actor_id, mention words or None, cue words, how it gives" in message


def test_a_helper_of_the_script_names_the_line_calling_it_and_its_own(tmp_path):
    message = refused(tmp_path, '    c.participants("visit", "host", ("china", None))\n',
                      '    host(c, "china")\n\n\ndef host(c, actor_id):\n'
                      '    c.participants("visit", "host", actor_id)\n')
    calling, own = line_of(tmp_path, 'host(c, "china")'), \
        line_of(tmp_path, 'c.participants("visit", "host"')
    assert message.startswith(f"{calling} in curate → {own} in host: event visit: host 'china' "
                              "is not a tuple; give (actor_id, mention words or None)")
    assert message.endswith('the call: c.participants("visit", "host", actor_id)')


def test_a_failure_as_the_script_is_imported_names_its_line(tmp_path):
    message = refused(tmp_path, "import Curation, Q, codes", "import Curation, Q, codes, Unknown")
    assert message.startswith(f"{line_of(tmp_path, 'import Curation')} in <module>: ImportError")


def test_a_value_no_record_can_hold_names_the_line_and_the_record(tmp_path):
    message = refused(tmp_path, 'Q("visited Beijing on Monday")', 'Q(7)')
    assert message == f"{line_of(tmp_path, 'Q(7)')} in curate: quote 7: its words (and inside) " \
        "are text; the call: Q(7)"


def test_a_validation_failure_names_the_line_that_made_the_row(tmp_path):
    with pytest.raises(InvalidPackage) as err:
        wire_story(tmp_path, '"visit", "visitor",', '"visit", "guest",')
    (hit,) = [f for f in err.value.failures if f.code == "enum"]
    assert (hit.file, hit.table, hit.row, hit.column, hit.value) == (
        line_of(tmp_path, '"visit", "guest"'), "event_participants",
        f"event_id={SOURCE_ID[:3]}.visit, actor_id=pakistan", "role", "'guest'")


def test_a_failure_of_a_derived_row_names_the_line_of_the_row_it_rests_on(tmp_path):
    """CAMEO 042 with a PLOVER type the crosswalk does not pair it with: the act is derived
    from the event, whose line is named."""
    with pytest.raises(InvalidPackage) as err:
        wire_story(tmp_path, '"CONSULT", "visit"', '"AGREE", None')
    (hit,) = [f for f in err.value.failures if f.code == "rule-codes-follow-crosswalk"]
    assert (hit.file, hit.table, hit.row) == (line_of(tmp_path, 'c.add("events"'), "acts",
                                              f"act_id={SOURCE_ID[:3]}.visit")


def test_an_affiliation_to_an_undeclared_actor_names_the_line(tmp_path):
    message = refused(tmp_path, '"place", affiliation_id="china"', '"place", affiliation_id="chna"')
    assert message == f"{line_of(tmp_path, 'chna')}: actors actor_id=beijing: affiliation_id " \
        "'chna' is not in actors; did you mean china?"
