"""Bad curated input stops the build with an error that names the record."""

import datetime as dt
import hashlib
import textwrap

import pytest

import datapkg
from datapkg import build
from datapkg.errors import CurationError, InvalidPackage

SEED = ("A headline\n\n"
        "Xinhua said Wang stressed the need to meet. "
        "The two sides agreed on Monday to meet by May 1. "
        "Some 3-5 envoys attended.\n")

CURATION = '''
from datapkg.curation import Mention, Q
SOURCE_ID = "999_0123456789abcdef"
SEED = "999_0123456789abcdef.txt"
SHA256 = "{sha}"

def curate(c):
    c.add("sources", title=Q("A headline"), work_type="article", language="en",
          text_license="test")
    c.layout([("headline", "A headline"), ("body_paragraph", "Xinhua said")], sentences=3)
    for actor_id, kind in [("the_article", "media"), ("xinhua", "media"), ("wang", "person"),
                           ("sides", "group_of_states")]:
        c.add("actors", actor_id=actor_id, name=actor_id, kind=kind)
    c.mention("xinhua", "name", Q("Xinhua"))
    c.mention("wang", "name", Q("Wang"))
    c.add("statements", statement_id="st1", quote_type="indirect", text=Q("the need to meet"),
          cue_text=Q("stressed"), source_error=False, reporter_implicit=False, epistemic="reported",
          date_stated=Q("Monday"), date_resolved="{said}", code_note="not coded: a test")
    chain = {chain}
    for depth, actor_id, role in chain:
        c.add("statement_attributions", statement_id="st1", depth=depth, actor_id=actor_id,
              role=role, implicit=depth == 0,
              mention_id=Mention(Q(actor_id.capitalize())) if depth else None,
              quote_type="indirect" if depth else None,
              cue_text=Q("said") if role == "reporter" else None)
    c.add("commitments", commitment_id="c1", statement_id="st1", kind="agreement",
          text=Q("agreed on Monday to meet by May 1"), is_future=True, is_conditional=False,
          is_negated=False, deadline_stated=Q("May 1"), deadline_resolved="{deadline}",
          deadline_precision={deadline_precision!r}, code_note="not coded: a test")
    for actor_id, role in {parties}:
        c.add("commitment_parties", commitment_id="c1", actor_id=actor_id, role=role)
    c.add("figures", figure_id="f1", statement_id="st1", text=Q("3-5"), kind="range",
          low={low}, high=5, unit="envoys", approximate=True)
    {extra}
'''

GOOD = dict(said="2021-05-03", deadline="2021-05-01", deadline_precision=None, low=3, extra="",
            chain=[(0, "the_article", "author"), (1, "xinhua", "reporter"), (2, "wang", "speaker")],
            parties=[("sides", "committer")])


def tiny_package(tmp_path, seed=SEED, sentences=3, **changes):
    """Build a one-paragraph package from SEED and CURATION, with ``changes`` applied."""
    seeds, scripts = tmp_path / "seeds", tmp_path / "scripts"
    seeds.mkdir()
    scripts.mkdir()
    (seeds / "999_0123456789abcdef.txt").write_text(seed, encoding="utf-8")
    script = CURATION.replace("sentences=3", f"sentences={sentences}").format(
        sha=hashlib.sha256(seed.encode()).hexdigest(), **{**GOOD, **changes})
    (scripts / "curate_999_0123456789abcdef.py").write_text(textwrap.dedent(script))
    build.build_package(tmp_path / "out", scripts=scripts, seeds=seeds)


def failure(tmp_path, **changes):
    with pytest.raises(InvalidPackage) as err:
        tiny_package(tmp_path, **changes)
    return err.value.failures


def test_the_tiny_package_builds(tmp_path):
    tiny_package(tmp_path, said="2021-04-26")


def test_unknown_actor(tmp_path):
    """Caught while curating: the script's line, the record and the nearest ids."""
    with pytest.raises(CurationError) as err:
        tiny_package(tmp_path, said="2021-04-26", parties=[("sidez", "committer")])
    message = str(err.value)
    assert message.startswith("curate_999_0123456789abcdef.py:")
    assert "commitment_parties commitment_id=999.c1, actor_id=sidez, role=committer" in message
    assert "actor_id 'sidez' is not in actors; did you mean sides?" in message


def test_deadline_before_the_statement(tmp_path):
    failures = failure(tmp_path)  # said 2021-05-03, deadline 2021-05-01
    hit = next(f for f in failures if f.column == "deadline_resolved")
    assert hit.table == "commitments" and hit.row == "commitment_id=999.c1"
    assert hit.rule == "deadline must not be before the date of its statement (or event) " \
        "(2021-05-03)"


def test_a_deadline_is_compared_by_its_period(tmp_path):
    """A deadline known to its year or month is the first day of that period: it is late only
    if its whole period ends before the statement's date."""
    for name, deadline, precision in (("year", "2021-01-01", "year"),
                                      ("month", "2021-05-01", "month")):
        directory = tmp_path / name
        directory.mkdir()
        tiny_package(directory, deadline=deadline, deadline_precision=precision)  # said 2021-05-03
    for name, deadline, precision in (("last_year", "2020-01-01", "year"),
                                      ("last_month", "2021-04-01", "month"),
                                      ("day", "2021-05-01", "day")):
        directory = tmp_path / name
        directory.mkdir()
        hit = next(f for f in failure(directory, deadline=deadline, deadline_precision=precision)
                   if f.column == "deadline_resolved")
        assert (hit.code, hit.row, hit.value) == (
            "rule-deadlines-after-statements", "commitment_id=999.c1",
            repr(dt.date.fromisoformat(deadline)))


def test_low_above_high(tmp_path):
    failures = failure(tmp_path, said="2021-04-26", low=6)
    hit = next(f for f in failures if f.column == "low")
    assert (hit.table, hit.row, hit.value) == ("figures", "figure_id=999.f1", "6.0")
    assert hit.rule == "low must not exceed high"


def test_commitment_without_a_committing_party(tmp_path):
    failures = failure(tmp_path, said="2021-04-26", parties=[("sides", "beneficiary")])
    hit = next(f for f in failures if f.layer == "rules")
    assert (hit.table, hit.row) == ("commitments", "commitment_id=999.c1")
    assert "at least one committing party" in hit.rule


def test_chain_that_loops(tmp_path):
    chain = [(0, "the_article", "author"), (1, "xinhua", "reporter"), (2, "wang", "reporter"),
             (3, "xinhua", "speaker")]
    failures = failure(tmp_path, said="2021-04-26", chain=chain)
    hit = next(f for f in failures if "loops" in f.rule)
    assert hit.table == "statement_attributions"
    assert hit.row == "statement_id=999.st1, depth=3, actor_id=xinhua"


def test_chain_with_a_gap_or_wrong_role(tmp_path):
    chain = [(0, "the_article", "author"), (2, "wang", "reporter")]
    rules = {f.rule for f in failure(tmp_path, said="2021-04-26", chain=chain)}
    assert "depths of a chain run 0, 1, 2… without gaps" in rules
    assert any(r.startswith("role must be speaker") for r in rules)


RAIN = SEED.replace("Some 3-5 envoys attended.", "Some 3-5 envoys attended. Rain fell.")


def test_sentence_neither_covered_nor_excused(tmp_path):
    with pytest.raises(CurationError, match=r"curate_999_0123456789abcdef.py: sentence 999.s04 "
                                             r"is neither covered nor excused: 'Rain fell.'"):
        tiny_package(tmp_path, seed=RAIN, sentences=4, said="2021-04-26")


def test_excused_sentence_is_reported_as_excused(tmp_path):
    tiny_package(tmp_path, seed=RAIN, sentences=4, said="2021-04-26",
                 extra='c.excuse(Q("Rain fell."), "weather, not a claim about the dialogue")')
    coverage = datapkg.load_table("coverage", path=tmp_path / "out")
    row = coverage.set_index("sentence_id").loc["999.s04"]
    assert row["status"] == "excused" and row["reason"].startswith("weather")
    assert row["statements"] == 0 and row["mentions"] == 0
