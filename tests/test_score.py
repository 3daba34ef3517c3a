"""``datapkg score``: the deliberately imperfect predictions of tests/fixtures/predictions/
scored against the gold of the fictional article, each expected score computed by hand from
counts read off the fixture and the fictional article's curation; a gold export scores
perfectly; PLOVER records with known changes lose exactly what was changed; a malformed file
gets one line naming file, line and fault. Hostile prediction files (at and beyond the caps,
deep JSON, values of the wrong JSON type) run as the command in a child process under the
hostile catalogue's time and memory ceilings; the matching and overlap searches equal trying
every pair."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from damage import rewrite
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile import MEMORY_CEILING, opened_outside, run

import datapkg
from datapkg import formats
from datapkg.annotations import Attribute, Document, Link, Span, article_url
from datapkg.formats import MAX_LABELS, MAX_PREDICTIONS
from datapkg.score import (
    MAX_CANDIDATES,
    act_scores,
    act_type,
    alignment,
    candidates,
    commitment_scores,
    match_acts,
    overlap_test,
    resolve,
    score,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "predictions"
BIN = Path(sys.executable).parent


def f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def test_the_imperfect_brat_predictions_score_as_counted_by_hand(corpus):
    report = score(FIXTURES / "brat", path=corpus)
    # The fictional article's gold (its curation script): 5 mentions: Fictional Wire (media),
    # the fictional ministry (ministry), Zhang Fictus (person), Pakistan and China (state).
    # The fixture predicts 5: Fictional Wire and Pakistan exactly; "fictional ministry" and
    # "Zhang" inside their gold spans; "Gwadar" as a state, which is no mention; China missed.
    gold, predicted, exact, overlapping_pred, overlapping_gold = 5, 5, 2, 4, 4
    m = report["mentions"]
    assert m["exact"]["precision"] == exact / predicted and m["exact"]["recall"] == exact / gold
    assert m["exact"]["f1"] == f1(exact / predicted, exact / gold)
    assert m["overlap"]["precision"] == overlapping_pred / predicted
    assert m["overlap"]["recall"] == overlapping_gold / gold
    # States: gold Pakistan, China; predicted Pakistan, Gwadar: one of two each way.
    assert m["per_kind"]["state"]["exact"]["precision"] == 1 / 2
    assert m["per_kind"]["state"]["exact"]["recall"] == 1 / 2
    assert m["per_kind"]["person"]["exact"]["f1"] == 0.0
    assert m["per_kind"]["person"]["overlap"]["f1"] == 1.0
    # Quotes: gold 3 statements (st01 by the ministry, st02 by Zhang Fictus, st03 the
    # article's own). Predicted: st01 with the ministry as speaker (right, by overlap) and no
    # relay (right); st02 with Pakistan as speaker (wrong) and the wire as relay (wrong, the
    # gold has none); st03 missing (wrong both ways).
    a = report["attributions"]
    quotes, found, speaker_right, relay_right, both_right = 3, 2, 1, 1, 1
    assert (a["quotes"], a["found"], a["speaker_correct"], a["relay_correct"], a["both_correct"]) == (
        quotes, found, speaker_right, relay_right, both_right)
    assert a["speaker_correct_accuracy"] == round(speaker_right / quotes, 4)
    # Figures: gold "three years" (3 years) and "second" (2, no unit); predicted both with
    # the right values, "three years" in months, and "Monday", which is no figure.
    f = report["figures"]
    gold_figures, predicted_figures, found_figures, values_right, units_right = 2, 3, 2, 2, 1
    assert f["exact"]["precision"] == round(found_figures / predicted_figures, 4)
    assert f["exact"]["recall"] == found_figures / gold_figures
    assert f["value_accuracy"] == values_right / gold_figures
    assert f["unit_accuracy"] == units_right / gold_figures
    # Commitments: gold c01 (an agreement of Pakistan and China) and c02 (a pledge of Zhang
    # Fictus), no other party. Predicted: both spans exactly; c01 a pledge with Pakistan alone
    # (kind and committers wrong); c02 a pledge whose committer "Zhang" lies inside the gold
    # mention, linked from the party to the commitment (both right).
    c = report["commitments"]
    gold_commitments, found_commitments, kinds_right, committers_right = 2, 2, 1, 1
    assert c["detection"]["exact"]["f1"] == 1.0
    assert (c["gold"], c["found"], c["kind_correct"], c["committer_correct"]) == (
        gold_commitments, found_commitments, kinds_right, committers_right)
    assert c["addressee_correct"] == c["beneficiary_correct"] == c["target_correct"] == gold_commitments
    assert c["parties_accuracy"] == committers_right / gold_commitments
    assert c["per_kind"]["agreement"]["kind_correct"] == 0 and c["per_kind"]["pledge"]["kind_correct"] == 1


def test_the_worked_example_shows_the_report_the_command_prints(corpus):
    """docs/scoring_example.md's report is what the command prints for its predictions (all
    but the first line, which names where the predictions lie)."""
    page = datapkg.scoring_example_path().read_text(encoding="utf-8")
    shown = page.split("## The report\n\n```\n", 1)[1].split("```", 1)[0]
    printed = run_score(str(FIXTURES / "brat"), "--path", str(corpus))
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.split("\n", 1)[1] == shown


def test_the_gold_scores_perfectly_in_both_span_formats(corpus, tmp_path):
    for fmt in ("brat", "webanno"):
        datapkg.export(fmt, tmp_path / fmt, path=corpus)
        report = score(tmp_path / fmt, path=corpus)
        assert report["mentions"]["exact"]["f1"] == 1.0
        assert report["attributions"]["both_correct_accuracy"] == 1.0
        assert report["figures"]["value_accuracy"] == 1.0
        commitments = report["commitments"]
        assert commitments["detection"]["exact"]["f1"] == 1.0 and commitments["gold"] > 0
        assert commitments["kind_accuracy"] == commitments["parties_accuracy"] == 1.0
        assert len(report["sources"]) == len(datapkg.load_table("sources", path=corpus))


def test_a_web_annotation_file_may_name_its_article_by_the_url_it_targets(tmp_path):
    datapkg.export("webanno", tmp_path / "gold")
    source_id = datapkg.load_table("sources")["source_id"].iloc[0]
    renamed = tmp_path / "system-output.jsonld"
    (tmp_path / "gold" / f"{source_id}.jsonld").rename(renamed)
    report = score(renamed)
    assert report["sources"] == [source_id] and report["mentions"]["exact"]["f1"] == 1.0


def test_plover_predictions_lose_what_was_changed(tmp_path):
    """From the records of the package's first article (the gold the predictions cover is
    that article's acts alone): the first's type changed, the last one dropped, one record
    added where no act lies; counts come from the data."""
    tables = datapkg.load()
    source_id = tables["sources"]["source_id"].iloc[0]
    records = [r for r in formats.plover_records(tables) if r["source_id"] == source_id]
    assert len(records) >= 3, "the first article holds too few acts for this test"
    n = len(records)
    changed = {**records[0], "event": ["PROTEST"]}
    spare = {**records[0], "id": "extra", "text_info": {"start": 0, "end": 1}}
    predicted = [changed, *records[1:-1], spare]
    path = tmp_path / "predicted.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in predicted), encoding="utf-8")
    acts = score(path)["acts"]
    found = n - 1
    assert acts["detection"]["precision"] == round(found / len(predicted), 4)
    assert acts["detection"]["recall"] == round(found / n, 4)
    assert acts["type_correct"] == found - 1 and acts["actor_correct"] == found
    kind = act_type(records[0])
    same_type = sum(act_type(r) == kind for r in records)
    assert acts["per_type"][kind]["gold"] == same_type


def run_score(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "datapkg"), "score", *args], capture_output=True, text=True,
                          timeout=300)


def test_the_command_prints_a_table_and_the_json_report(corpus):
    table = run_score(str(FIXTURES / "brat"), "--path", str(corpus))
    assert table.returncode == 0, table.stderr
    assert "mentions, exact" in table.stdout and "speaker correct" in table.stdout
    report = json.loads(run_score(str(FIXTURES / "brat"), "--path", str(corpus), "--format", "json").stdout)
    assert report["mentions"]["exact"]["gold"] == 5


@pytest.mark.parametrize("name, content, fault", [
    ("bad.jsonl", '{"id": "a", "date": "2021-01-01"}\n{"id": \n', "line 2"),
    ("bad.jsonl", '{"id": "a", "source": "CHN"}\n', "source must be a list"),
    ("bad.jsonl", '{"id": "a"}\n{"id": "b", "source": ["CHN"]}\n', "line 2: source and recipient"),
    ("bad.json", '[{"id": "a", "text_info": {"start": "0"}}]', "record 1: text_info"),
    ("brat/900_a88bc95485daa299.ann", "T1\tstate 0 x\tFictional Wire\n", "line 1"),
    ("brat/900_a88bc95485daa299.ann", "T1\tstate 0 3\tFic\nR1\tspeaker Arg1:T1 Arg2:T9\t\n", "unknown id"),
    ("brat/unknown.ann", "T1\tstate 0 3\tFic\n", "no article"),
    ("900_a88bc95485daa299.jsonld", "[1, 2]", "not an AnnotationCollection"),
    ("900_a88bc95485daa299.jsonld", '{"type": "AnnotationPage",\n "items": [', "line 2"),
])
def test_a_malformed_prediction_file_gets_one_line_and_exit_1(corpus, tmp_path, name, content, fault):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    given = path.parent if name.startswith("brat/") else path
    done = run_score(str(given), "--path", str(corpus))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert str(path.name) in done.stderr and fault in done.stderr


@pytest.mark.parametrize("name", ["900_a88bc95485daa299.ann", "900_a88bc95485daa299.plover.jsonl"])
@pytest.mark.parametrize("attack", ["link", "fifo", "not utf-8"])
def test_a_hostile_prediction_file_is_refused_in_one_line(corpus, tmp_path, attack, name):
    """The .ann file, or the PLOVER records beside it, a link, a FIFO or not UTF-8."""
    folder, ann = tmp_path / "brat", "900_a88bc95485daa299.ann"
    folder.mkdir()
    if name != ann:
        (folder / ann).write_bytes((FIXTURES / "brat" / ann).read_bytes())
    if attack == "link":
        (folder / name).symlink_to(FIXTURES / "brat" / ann)
    elif attack == "fifo":
        os.mkfifo(folder / name)
    else:
        (folder / name).write_bytes(b"T1\tstate 0 3\t\xff\xfe\n")
    done = run_score(str(folder), "--path", str(corpus))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and name in done.stderr


# --- hostile prediction files: the command in a child process, under time and memory ceilings --

SCORE_SECONDS = 20  # the child validates the package first; before the caps and the sweeps,
# 16,000 labels took 27 s and 16 MiB of records spanning the article 46 s and 1.8 GB


@dataclass
class Gold:
    """What a hostile file is written against: one article of the package (the first), its
    text, URL and PLOVER records; every PLOVER record written names it in ``source_id``."""

    source_id: str
    text: str
    url: str
    records: list[dict]


def gold_of(package: Path) -> Gold:
    tables = datapkg.load(path=package)
    source = tables["sources"].to_dict("records")[0]
    source_id = source["source_id"]
    return Gold(source_id, datapkg.article(source_id, path=package), article_url(source),
                [r for r in formats.plover_records(tables) if r["source_id"] == source_id])


def one_char_entities(count: int, labels: int):
    """A brat folder: ``count`` distinct one-character entities under ``labels`` labels."""
    def write(folder: Path, gold: Gold) -> Path:
        n = len(gold.text)
        (folder / f"{gold.source_id}.ann").write_text(
            "".join(f"T{i}\tL{i % labels} {i // labels % n} {i // labels % n + 1}\n"
                    for i in range(count)))
        return folder
    return write


def spanning_records(count: int, size: int):
    """PLOVER records, each spanning the whole article, padded to fill ``size`` bytes."""
    def write(folder: Path, gold: Gold) -> Path:
        line = json.dumps({"id": "p", "source_id": gold.source_id,
                           "text_info": {"start": 0, "end": len(gold.text)}, "event_text": [""]})
        pad = max(size // count - len(line) - 8, 0)
        path = folder / "spanning.jsonl"
        path.write_text("".join(json.dumps({"id": f"p{i}", "source_id": gold.source_id, "text_info": {
            "start": 0, "end": len(gold.text)}, "event_text": ["x" * pad]}) + "\n" for i in range(count)))
        return path
    return write


def short_records(count: int):
    """PLOVER records of the article, as short as a record naming it can be: the count of
    records is what they test, not the bytes."""
    def write(folder: Path, gold: Gold) -> Path:
        path = folder / "short.jsonl"
        path.write_text("".join(json.dumps({"id": f"p{i}", "source_id": gold.source_id},
                                           separators=(",", ":")) + "\n" for i in range(count)))
        return path
    return write


def plover_line(record: dict | str):
    """One PLOVER record (spanning the article, so that it is matched), or one raw line."""
    def write(folder: Path, gold: Gold) -> Path:
        path = folder / "records.jsonl"
        line = record if isinstance(record, str) else json.dumps(
            {"id": "x", "source_id": gold.source_id, "text_info": {"start": 0, "end": len(gold.text)},
             **record})
        path.write_text(line + "\n", encoding="utf-8")
        return path
    return write


def web_annotations(*items: dict, name: str = ""):
    """A Web Annotation page over the first three characters; a ``{url}`` in ``name`` or a
    value is the article's URL."""
    def write(folder: Path, gold: Gold) -> Path:
        target = {"source": gold.url, "selector": [
            {"type": "TextPositionSelector", "start": 0, "end": 3}]}
        page = {"type": "AnnotationPage", "items": [{"type": "Annotation", "target": target, **i}
                                                     for i in items]}
        path = folder / (name or f"{gold.source_id}.jsonld")
        path.write_text(json.dumps(page))
        return path
    return write


def tag(label: object) -> dict:
    return {"type": "TextualBody", "purpose": "tagging", "value": label}


def two_files_for_one_article(folder: Path, gold: Gold) -> Path:
    for name in (f"{gold.source_id}.jsonld", "system.jsonld"):
        web_annotations({"id": "a", "body": [tag("state")]}, name=name)(folder, gold)
    return folder


def deep_plover(folder: Path, gold: Gold) -> Path:
    path = folder / "deep.jsonl"
    path.write_text(json.dumps({"id": "a", "source_id": gold.source_id}) + "\n"
                    + "[" * 100_000 + "]" * 100_000 + "\n")
    return path


def deep_webanno(folder: Path, gold: Gold) -> Path:
    path = folder / f"{gold.source_id}.jsonld"
    path.write_text('{"type": "AnnotationPage", "items": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return path


def separators_inside_strings(folder: Path, gold: Gold) -> Path:
    """The gold's own records, a raw U+2028, U+2029 and U+0085 inside a string of each."""
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps({**r, "comment": "a\u2028b\u2029c\x85d"}, ensure_ascii=False)
                            + "\n" for r in gold.records), encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")
    return path


def coded_folder(mentions: int, commitments: int, records: int):
    """A brat folder at the caps: ``mentions`` distinct mentions spanning nearly the article,
    each with its own coder id (so each is resolved and aligned), ``commitments`` distinct
    Commitment spans as wide, the rest of the file's lines committer links from five
    commitments to every mention; beside it ``records`` PLOVER records spanning the article."""
    def write(folder: Path, gold: Gold) -> Path:
        n, width = len(gold.text), 1_000
        lines = [line for i in range(mentions) for line in (
            f"T{i}\tstate {i % width} {n - i // width}", f"A{i}\tactor_id T{i} id{i}")]
        lines += [f"T{mentions + i}\tCommitment {i % width} {n - i // width}" for i in range(commitments)]
        lines += [f"R{i}\tcommitter Arg1:T{mentions + i % 5} Arg2:T{i % mentions}"
                  for i in range(MAX_PREDICTIONS - len(lines))]
        (folder / f"{gold.source_id}.ann").write_text("".join(line + "\n" for line in lines))
        (folder / f"{gold.source_id}.plover.jsonl").write_text("".join(json.dumps(
            {"id": f"p{i}", "text_info": {"start": 0, "end": n},
             "source": [{"actor_id": f"id{i}", "states": [f"id{i}"]}]}) + "\n" for i in range(records)))
        return folder
    return write


def beside_the_ann(name: str, records: str):
    """A brat folder: a one-mention .ann of the article, and ``records`` in the file ``name``
    beside it (a ``{source_id}`` in either is the article's)."""
    def write(folder: Path, gold: Gold) -> Path:
        (folder / f"{gold.source_id}.ann").write_text("T1\tstate 0 3\n")
        (folder / name.format(source_id=gold.source_id)).write_text(records.format(source_id=gold.source_id))
        return folder
    return write


def perfect_acts(report: dict) -> bool:
    acts = report["acts"]
    return acts["detection"]["f1"] == 1.0 and all(
        acts[f"{k}_accuracy"] == 1.0 for k in ("type", "mode", "actor", "recipient"))


@dataclass
class HostilePrediction:
    kind: str
    write: Callable[[Path, Gold], Path]  # (a folder for it, the gold) → the path to score
    fault: str = ""  # in the one line reported; none where the file scores
    scored: Callable[[dict], bool] | None = None  # what the JSON report of a scored file holds

    def __str__(self) -> str:
        return self.kind


PREDICTIONS = [
    HostilePrediction("16,000 one-character entities, each its own label",
                      one_char_entities(16_000, 16_000), f"more than the {MAX_LABELS}"),
    HostilePrediction("as many entities and labels as a file may hold",
                      one_char_entities(MAX_PREDICTIONS, MAX_LABELS),
                      scored=lambda r: len(r["mentions"]["per_kind"]) > MAX_LABELS
                      and r["mentions"]["exact"]["predicted"] == MAX_PREDICTIONS),
    HostilePrediction("16 MiB of records a file may hold, each spanning the article",
                      spanning_records(MAX_PREDICTIONS, 16 * 2**20 - 2**10),
                      scored=lambda r: r["acts"]["detection"]["recall"] == 1.0
                      and r["acts"]["detection"]["predicted"] == MAX_PREDICTIONS),
    HostilePrediction("twice the records a file may hold", short_records(2 * MAX_PREDICTIONS),
                      f"more than the {MAX_PREDICTIONS}"),
    HostilePrediction("PLOVER line nested 100,000 deep", deep_plover, "line 2: not JSON: nested too deeply"),
    HostilePrediction("Web Annotation nested 100,000 deep", deep_webanno, "not JSON: nested too deeply"),
    HostilePrediction("label that is a number", web_annotations({"id": "a", "body": [tag(5)]}),
                      "tagging body's value must be a string, not 5"),
    HostilePrediction("linking source that is a list", web_annotations(
        {"id": "a", "body": [tag("state")]},
        {"id": "b", "motivation": "linking", "body": [
            tag("speaker"), {"type": "SpecificResource", "purpose": "identifying", "source": ["a"]},
            {"type": "SpecificResource", "purpose": "linking", "source": "a"}]}),
        "annotation 1 ('b'): a SpecificResource's source must be a string, not a list"),
    HostilePrediction("two Web Annotation files for one article", two_files_for_one_article,
                      "a second file for article"),
    HostilePrediction("PLOVER event that is a number", plover_line({"event": [5]}),
                      "line 1: event must be a list of strings"),
    HostilePrediction("PLOVER actor_id that is a list", plover_line({"source": [{"actor_id": ["a"]}]}),
                      "line 1: source 1: actor_id must be a string, not a list"),
    HostilePrediction("PLOVER source_id that is a list", plover_line({"source_id": ["a"]}),
                      "line 1: source_id must be a string"),
    HostilePrediction("PLOVER offset of 5,000 digits", plover_line(
        '{"id": "x", "text_info": {"start": ' + "9" * 5000 + "}}"), "line 1: not JSON"),
    HostilePrediction("PLOVER offset that is a boolean", plover_line({"text_info": {"start": True}}),
                      "line 1: text_info must be an object with integer start and end"),
    HostilePrediction("as many mentions, commitments and party links as a file may hold, and "
                      "records beside", coded_folder(30_000, 30_000, MAX_PREDICTIONS // 2),
                      scored=lambda r: r["commitments"]["detection"]["exact"]["predicted"] == 30_000
                      and len(r["alignment"]) == 30_000
                      and r["acts"]["detection"]["predicted"] == MAX_PREDICTIONS // 2),
    HostilePrediction("records beside the .ann named for no article",
                      beside_the_ann("elsewhere.plover.jsonl", '{{"id": "a"}}\n'),
                      "elsewhere.plover.jsonl: no article 'elsewhere'"),
    HostilePrediction("a record beside the .ann naming another article",
                      beside_the_ann("{source_id}.plover.jsonl", '{{"id": "a", "source_id": "other"}}\n'),
                      "record 1: source_id 'other' is not the file's article"),
    HostilePrediction("PLOVER states that is a string", plover_line({"source": [{"states": "CHN"}]}),
                      "line 1: source 1: states must be a list of strings"),
    HostilePrediction("raw U+2028, U+2029 and U+0085 inside strings of JSON Lines",
                      separators_inside_strings, scored=perfect_acts),
]


@pytest.mark.parametrize("case", PREDICTIONS, ids=str)
def test_a_hostile_prediction_file_is_scored_or_refused_in_one_line(case, package, tmp_path):
    folder = tmp_path / "predictions"
    folder.mkdir()
    given_path = case.write(folder, gold_of(package))
    log = tmp_path / "log.json"
    result = run(["score", str(given_path), "--path", str(package), "--format", "json"], log)
    where = f"exit {result.code}, {result.seconds:.1f} s\n{result.err[-2000:]}"
    assert "Traceback" not in result.err + result.out, where
    assert result.seconds < SCORE_SECONDS, where
    assert 0 < result.peak < MEMORY_CEILING, f"peak {result.peak >> 20} MB"
    assert opened_outside(result, package, folder, log) == [], where
    if case.scored:
        assert result.code == 0, where
        assert case.scored(json.loads(result.out)), result.out[:2000]
    else:
        assert result.code == 1, where
        (line,) = result.err.strip().splitlines()
        assert case.fault in line and folder.name in line, line


def test_a_valid_package_with_line_separators_in_its_text_exports_to_plover_and_scores_perfectly(
        package, tmp_path):
    """A text cell holding U+2028 and U+2029 (an actor's name, which PLOVER records carry as
    actor_text; U+0085 is a control character, which no cell may hold): the export of the
    valid package scores perfectly against it."""
    rewrite(package, "actors", lambda rows: [r.update(name=f"{r['name']}\u2028\u2029{r['name']}")
                                             for r in rows])
    out = tmp_path / "plover"
    exported = run(["export", "--format", "plover", "--path", str(package), "--out", str(out)],
                   tmp_path / "export.json")
    assert exported.code == 0, exported.err
    (records,) = out.iterdir()
    assert "\u2028" in json.loads(records.read_text(encoding="utf-8").split("\n")[0])["source"][0][
        "actor_text"]
    scored = run(["score", str(records), "--path", str(package), "--format", "json"],
                 tmp_path / "score.json")
    assert scored.code == 0, scored.err
    assert perfect_acts(json.loads(scored.out))


# --- the searches: equal to trying every pair ------------------------------------------------

offsets = st.tuples(st.integers(-2, 40), st.integers(-2, 40))


def shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


@settings(max_examples=300, deadline=None)
@given(st.lists(offsets, max_size=12), st.lists(offsets, max_size=30), st.integers(1, 5))
def test_each_gold_span_gets_the_k_predicted_spans_it_overlaps_most(gold, pred, k):
    found = {}
    for minus_shared, gs, ps, g, p in candidates(gold, pred, k):
        assert gold[g][0] == gs and pred[p][0] == ps and shared(gold[g], pred[p]) == -minus_shared
        found.setdefault(g, []).append(-minus_shared)
    for g, span in enumerate(gold):
        every = sorted((s for p in pred if (s := shared(span, p)) > 0), reverse=True)
        assert sorted(found.get(g, []), reverse=True) == every[:k]


@settings(max_examples=300, deadline=None)
@given(st.lists(offsets, max_size=12), st.lists(offsets, max_size=30))
def test_matching_is_every_pair_tried_largest_overlap_first(gold, pred):
    """With room for every candidate, the records paired are those that trying every pair,
    the largest overlap first, pairs (ties: earlier start, then the earlier span, then the
    earlier record)."""
    first = {}
    for i, p in enumerate(pred):
        first.setdefault(p, i)
    pairs = sorted((-shared(g, p), g[0], p[0], i, first[p], j)
                   for i, g in enumerate(gold) for j, p in enumerate(pred) if shared(g, p) > 0)
    done_gold, done_pred, expected = set(), set(), []
    for *_, i, _, j in pairs:
        if i not in done_gold and j not in done_pred:
            done_gold.add(i)
            done_pred.add(j)
            expected.append((i, j))
    records = [{"text_info": {"start": s, "end": e}, "n": n} for n, (s, e) in enumerate(gold + pred)]
    matched = match_acts(records[:len(gold)], records[len(gold):], k=len(pred) + 1)
    assert sorted((g["n"], p["n"] - len(gold)) for g, p in matched) == sorted(expected)


def test_matching_never_tries_every_pair():
    """2,000 gold acts and 100,000 predicted records, each overlapping every act: at most
    MAX_CANDIDATES candidates an act; where the records share their offsets (one span),
    every act is matched."""
    gold = [(i, 200_000 - i) for i in range(2_000)]
    start = time.monotonic()
    pairs = candidates(gold, [(0, 300_000 - i) for i in range(100_000)], MAX_CANDIDATES)
    assert len(pairs) == MAX_CANDIDATES * len(gold)
    records = [{"text_info": {"start": s, "end": e}} for s, e in gold + [(0, 300_000)] * 100_000]
    assert len(match_acts(records[:len(gold)], records[len(gold):])) == len(gold)
    assert time.monotonic() - start < SCORE_SECONDS


@settings(max_examples=300, deadline=None)
@given(st.lists(offsets.filter(lambda b: b[0] < b[1]), max_size=20), offsets)
def test_the_overlap_test_is_any_overlap(spans, query):
    test = overlap_test(Span("x", s, e) for s, e in spans)
    assert test(Span("x", *query)) == any(query[0] < e and s < query[1] for s, e in spans)


# --- commitments, actor alignment and parties by states: constructed cases, counted by hand ----

# A constructed article (no article of the package): two states and what each commits to.
TEXT = ("Ruritania and Freedonia agreed to build a bridge. Ruritania urged Freedonia to open "
        "the border. Freedonia promised to pay for the bridge.")


def at(words: str, label: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence (from 0) of ``words`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return Span(label, start, start + len(words))


def constructed_gold():
    """Gold mentions (span, actor), and the tables of three commitments: an agreement of both
    states, an appeal of Ruritania to Freedonia, a pledge of Freedonia; every party named."""
    import pandas as pd

    mentions = [(at("Ruritania", "state", 0), "ruritania"), (at("Freedonia", "state", 0), "freedonia"),
                (at("Ruritania", "state", 1), "ruritania"), (at("Freedonia", "state", 1), "freedonia"),
                (at("Freedonia", "state", 2), "freedonia")]
    commitments = [("c1", "agreement", at("to build a bridge", "Commitment")),
                   ("c2", "appeal", at("to open the border", "Commitment")),
                   ("c3", "pledge", at("to pay for the bridge", "Commitment"))]
    parties = [("c1", "ruritania", "committer", 0), ("c1", "freedonia", "committer", 1),
               ("c2", "ruritania", "committer", 2), ("c2", "freedonia", "addressee", 3),
               ("c3", "freedonia", "committer", 4)]
    tables = {
        "commitments": pd.DataFrame([{"source_id": "x", "commitment_id": c, "kind": kind,
                                      "span_start": s.start, "span_end": s.end}
                                     for c, kind, s in commitments]),
        "commitment_parties": pd.DataFrame([{"commitment_id": c, "actor_id": a, "role": role,
                                             "mention_id": f"m{n}"} for c, a, role, n in parties])}
    gold = Document("x", TEXT, "", spans={s for _, _, s in commitments} | {m for m, _ in mentions})
    return gold, tables, {"x": [((m.start, m.end), actor) for m, actor in mentions]}


def test_commitments_score_kind_and_parties_as_counted_by_hand():
    """Predicted: the agreement exactly, its committers linked as the export links them (from
    the commitment) and one by a mention that overlaps the gold's without equalling it
    ("Freedon"): right; the appeal one character short, its parties linked the other way
    round (from the mention), but coded an intention: kind wrong, parties right; the pledge
    missing: recall two of three."""
    gold, tables, mentions = constructed_gold()
    agreement, appeal = at("to build a bridge", "Commitment"), at("to open the border", "Commitment")
    appeal = Span("Commitment", appeal.start, appeal.end - 1)
    ruritania, freedon = at("Ruritania", "state"), at("Freedon", "state")
    urging, urged = at("Ruritania", "state", 1), at("Freedonia", "state", 1)
    pred = Document("x", TEXT, "", spans={agreement, appeal, ruritania, freedon, urging, urged},
                    links={Link("committer", agreement, ruritania), Link("committer", agreement, freedon),
                           Link("committer", urging, appeal), Link("addressee", urged, appeal)},
                    attributes={Attribute("CommitmentKind", agreement, "agreement"),
                                Attribute("CommitmentKind", appeal, "intention")})
    c = commitment_scores([gold], [pred], tables, mentions)
    gold_n, found, kind_right, parties_right = 3, 2, 1, 2
    assert (c["gold"], c["found"], c["kind_correct"], c["committer_correct"], c["addressee_correct"],
            c["parties_correct"]) == (gold_n, found, kind_right, parties_right, found, parties_right)
    assert c["found_accuracy"] == round(found / gold_n, 4)
    assert c["kind_accuracy"] == round(kind_right / gold_n, 4)
    # Spans: the agreement exact; the appeal only by overlap; the pledge missing.
    exact, overlap = c["detection"]["exact"], c["detection"]["overlap"]
    assert (exact["precision"], exact["recall"]) == (1 / 2, round(1 / 3, 4))
    assert (overlap["precision"], overlap["recall"]) == (1.0, round(2 / 3, 4))
    assert c["per_kind"] == {
        "agreement": {"gold": 1, "found": 1, "kind_correct": 1, "kind_accuracy": 1.0},
        "appeal": {"gold": 1, "found": 1, "kind_correct": 0, "kind_accuracy": 0.0},
        "pledge": {"gold": 1, "found": 0, "kind_correct": 0, "kind_accuracy": 0.0}}


def test_a_wrong_committer_and_an_unresolved_one_are_counted_wrong():
    """The agreement's committers: Ruritania twice (Freedonia missing): wrong; the appeal's
    committer a span overlapping no mention ("urged"): wrong, as it reaches no gold actor."""
    gold, tables, mentions = constructed_gold()
    agreement, appeal = at("to build a bridge", "Commitment"), at("to open the border", "Commitment")
    pred = Document("x", TEXT, "", spans={agreement, appeal},
                    links={Link("committer", agreement, at("Ruritania", "state", 0)),
                           Link("committer", agreement, at("Ruritania", "state", 1)),
                           Link("committer", appeal, at("urged", "state")),
                           Link("addressee", appeal, at("Freedonia", "state", 1))},
                    attributes={Attribute("CommitmentKind", agreement, "agreement"),
                                Attribute("CommitmentKind", appeal, "appeal")})
    c = commitment_scores([gold], [pred], tables, mentions)
    assert (c["found"], c["kind_correct"], c["committer_correct"], c["addressee_correct"]) == (2, 2, 0, 2)


def test_a_coder_id_is_aligned_to_the_gold_actor_its_mentions_overlap_most():
    """"rur" names both mentions of Ruritania (one by an overlapping, shorter span): aligned,
    two of two agreeing; "fre" names two of Freedonia and one of Ruritania: aligned to
    Freedonia, two of three; "both" names one mention of each: a tie, not aligned; "none"
    names a span that overlaps no mention."""
    _, _, mentions = constructed_gold()
    named = [(at("Ruritania", "state", 0), "rur"), (at("Ruritan", "state", 1), "rur"),
             (at("Freedonia", "state", 0), "fre"), (at("Freedonia", "state", 1), "fre"),
             (at("Ruritania", "state", 1), "fre"),
             (at("Ruritania", "state", 0), "both"), (at("Freedonia", "state", 2), "both"),
             (at("bridge", "state", 0), "none")]
    pred = Document("x", TEXT, "", spans={s for s, _ in named},
                    attributes={Attribute("actor_id", s, v) for s, v in named})
    rows = {row["predicted"]: (row["gold"], row["agreeing"], row["mentions"])
            for row in alignment([pred], mentions)}
    assert rows == {"rur": ("ruritania", 2, 2), "fre": ("freedonia", 2, 3), "both": (None, 0, 2),
                    "none": (None, 0, 1)}


def test_a_span_fitting_two_actors_mentions_equally_resolves_to_neither():
    """Two gold mentions of two actors at the same offsets: a span over them names neither;
    a span sharing more with one of two overlapping mentions names that one; of two mentions
    it covers, the shorter, the one it fits best, is the one."""
    gold = [((0, 9), "a"), ((0, 9), "b"), ((20, 30), "c"), ((20, 40), "d")]
    assert resolve(gold, [(0, 9), (2, 5), (25, 35), (20, 30), (50, 60)]) == [None, None, "d", "c", None]


def test_act_parties_are_scored_by_aligned_ids_and_by_the_states_they_resolve_to():
    """The gold act: the group of both states towards the rebels (no state). Predicted with
    the coder's ids: each state by itself, towards "bandits". By the coder's ids as written,
    nothing is right; aligned ("rur" → ruritania, "grp" → both_states, "ban" unaligned), the
    actor side differs in grain (a group against its two members): wrong; by the states they
    resolve to, the actor side is right, and the recipient, which resolves to no state and
    stands for itself, is wrong."""
    gold = [{"id": "g", "source_id": "x", "text_info": {"start": 0, "end": 5},
             "source": [{"actor_id": "both_states", "states": ["ruritania", "freedonia"]}],
             "recipient": [{"actor_id": "rebels", "states": []}]}]
    pred = [{"id": "p", "source_id": "x", "text_info": {"start": 0, "end": 5},
             "source": [{"actor_id": "rur", "states": ["RUR"]}, {"actor_id": "fre", "states": ["fre"]}],
             "recipient": [{"actor_id": "ban"}]}]
    aligned = {"rur": "ruritania", "fre": "freedonia", "grp": "both_states"}.get
    codes = {"ruritania": "RUR", "freedonia": "FRE"}
    literal = act_scores(gold, pred, codes=codes)
    assert (literal["actor_ids"], literal["actor_correct"], literal["recipient_correct"]) == ("literal", 0, 0)
    # As written, "fre" in states is no gold state's id or code: only Ruritania's code agrees.
    assert literal["actor_states_correct"] == 0
    scored = act_scores(gold, pred, aligned, codes)
    assert (scored["actor_ids"], scored["actor_correct"], scored["recipient_correct"]) == ("aligned", 0, 0)
    assert (scored["actor_states_correct"], scored["recipient_states_correct"]) == (1, 0)
    regrained = [{**pred[0], "source": [{"actor_id": "grp"}], "recipient": [{"actor_id": "rebels"}]}]
    assert (act_scores(gold, regrained, aligned, codes)["actor_correct"],
            act_scores(gold, regrained, aligned, codes)["recipient_correct"]) == (1, 0)


# --- one coding, every layer: a brat folder with its PLOVER records beside ---------------------


def coder_id(actor_id: str) -> str:
    return f"coder_{actor_id}"


def one_coding(out: Path, path: Path | None = None) -> tuple[str, list[dict]]:
    """The gold of the package's first article as a second coder with ids of their own would
    write it into one folder: the brat export, each mention carrying ``actor_id`` (the coder's
    id), and beside it ``<source_id>.plover.jsonl``, the PLOVER records with the coder's ids
    and the states written as CAMEO codes. Returns the article and the records."""
    datapkg.export("brat", out, path=path)
    tables = datapkg.load(path=path)
    source_id = tables["sources"]["source_id"].iloc[0]
    for other in out.glob("*.ann"):
        if other.stem != source_id:
            other.unlink()
    actor_at = {(m["span_start"], m["span_end"]): m["actor_id"]
                for m in tables["mentions"].to_dict("records") if m["source_id"] == source_id}
    ann = out / f"{source_id}.ann"
    entities = [line.split("\t")[:2] for line in ann.read_text(encoding="utf-8").splitlines()
                if line.startswith("T")]
    named = [(head, actor_at[int(s), int(e)]) for head, rest in entities
             for _, s, e in [rest.split(" ")] if (int(s), int(e)) in actor_at]
    with open(ann, "a", encoding="utf-8") as f:
        f.writelines(f"A{90_000 + n}\tactor_id {head} {coder_id(actor)}\n"
                     for n, (head, actor) in enumerate(named))
    codes = dict(zip(tables["actors"]["actor_id"], tables["actors"]["cameo_code"], strict=True))

    def coded(o: dict) -> dict:
        return {**o, "actor_id": coder_id(o["actor_id"]), "states": [codes[s] for s in o.get("states", [])]}

    records = [{**r, "source": list(map(coded, r["source"])), "recipient": list(map(coded, r["recipient"]))}
               for r in formats.plover_records(tables) if r["source_id"] == source_id]
    (out / f"{source_id}.plover.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                   encoding="utf-8")
    return source_id, records


def test_one_coding_in_one_folder_scores_acts_with_its_actor_ids_aligned(tmp_path):
    """The gold, written by a coder with ids of their own: every coder id is aligned to the
    gold id its mentions carry, all of them agreeing, and every layer scores perfectly. The
    same records alone (no .ann beside them) are compared by ids as written: only acts whose
    every party has a CAMEO code keep their parties; by the states they resolve to (written
    as codes), more do."""
    folder = tmp_path / "coding"
    source_id, records = one_coding(folder)
    report = score(folder)
    tables = datapkg.load()
    mentioned = set(tables["mentions"][tables["mentions"]["source_id"] == source_id]["actor_id"])
    assert {(r["predicted"], r["gold"]) for r in report["alignment"]} == {(coder_id(a), a) for a in mentioned}
    assert all(r["agreeing"] == r["mentions"] for r in report["alignment"])
    acts, commitments = report["acts"], report["commitments"]
    assert acts["actor_ids"] == "aligned" and acts["detection"]["f1"] == 1.0
    assert all(acts[f"{k}_accuracy"] == 1.0 for k in
               ("type", "mode", "actor", "recipient", "actor_states", "recipient_states"))
    assert commitments["gold"] == sum(tables["commitments"]["source_id"] == source_id)
    assert all(commitments[f"{k}_accuracy"] == 1.0 for k in
               ("found", "kind", "committer", "addressee", "beneficiary", "target", "parties"))
    alone = score(folder / f"{source_id}.plover.jsonl")["acts"]
    assert alone["actor_ids"] == "literal" and "alignment" not in alone
    for role, field in (("actor", "source"), ("recipient", "recipient")):
        assert alone[f"{role}_correct"] == sum(all(o.get("code") for o in r[field]) for r in records)
    assert alone["actor_states_correct"] >= alone["actor_correct"]


def test_a_folder_without_records_beside_its_ann_files_scores_no_acts(tmp_path):
    datapkg.export("brat", tmp_path / "brat")
    report = score(tmp_path / "brat")
    assert "acts" not in report and "alignment" not in report
    assert report["commitments"]["parties_accuracy"] == 1.0


def shown(table: str) -> dict[str, tuple[int, int]]:
    """The "of / right" lines of a readable table: label → (of, right)."""
    return {m[1].strip(): (int(m[2]), int(m[3]))
            for m in re.finditer(r"^ +(\S.*?)\s+(\d+)\s+(\d+)\s+(?:[\d.]+|–)$", table, re.MULTILINE)}


def test_the_table_shows_every_count_of_the_json_report(tmp_path):
    """Commitments, acts (aligned and by states) and the alignment: the table's counts are the
    JSON report's."""
    folder = tmp_path / "coding"
    one_coding(folder)
    report = json.loads(run_score(str(folder), "--format", "json").stdout)
    printed = run_score(str(folder))
    assert printed.returncode == 0, printed.stderr
    lines = shown(printed.stdout)
    c, a = report["commitments"], report["acts"]
    assert lines["commitments found"] == (c["gold"], c["found"])
    for key in ("kind", "committer", "addressee", "beneficiary", "target", "parties"):
        assert lines[f"commitment {key} correct"] == (c["gold"], c[f"{key}_correct"])
    for kind, s in c["per_kind"].items():
        assert lines[f"kind {kind}"] == (s["gold"], s["kind_correct"])
    n = a["detection"]["gold"]
    for role in ("actor", "recipient"):
        assert lines[f"{role} correct, aligned ids"] == (n, a[f"{role}_correct"])
        assert lines[f"{role} correct, by states"] == (n, a[f"{role}_states_correct"])
    for row in report["alignment"]:
        line = f"{row['predicted']} → {row['gold']} ({row['agreeing']} of {row['mentions']})"
        assert line in printed.stdout


# --- the agreement the datasheet publishes ------------------------------------------------

def fraction(right: int, of: int) -> str:
    return f"{right}/{of}"


def agreement_cells(folder: Path) -> dict[str, str]:
    """Each row of the datasheet's agreement table, as `datapkg score` gives it for one blind
    coding's folder (and, for ids as written, its PLOVER records alone)."""
    from datapkg.score import score

    report = score(folder)
    literal = score(next(folder.glob("*.plover.jsonl")))["acts"]
    m, a, f, c, k = (report[key] for key in ("mentions", "attributions", "figures",
                                               "commitments", "acts"))
    n, gold_figures = k["detection"]["gold"], f["exact"]["gold"]
    figures = [fraction(x, gold_figures) for x in (
        round(f["exact"]["recall"] * gold_figures), f["value_correct"], f["unit_correct"])]
    return {
        "mentions, exact span F1": f"{m['exact']['f1']:.3f}",
        "mentions, overlap F1": f"{m['overlap']['f1']:.3f}",
        "quotes found (exact span)": fraction(a["found"], a["quotes"]),
        "speaker and relay correct (of all quotes)": fraction(a["both_correct"], a["quotes"]),
        "speaker and relay correct (of quotes found)": fraction(a["both_correct"], a["found"]),
        "figures: span, value, unit": figures[0] if len(set(figures)) == 1 else ", ".join(figures),
        "acts detected F1": f"{k['detection']['f1']:.3f}",
        "acts: PLOVER type": fraction(k["type_correct"], n),
        "acts: mode": fraction(k["mode_correct"], n),
        "acts: actor, ids as written (same actor id or code)": fraction(literal["actor_correct"], n),
        "acts: recipient, ids as written": fraction(literal["recipient_correct"], n),
        "acts: actor, the coder's ids aligned through the mentions": fraction(k["actor_correct"], n),
        "acts: recipient, ids aligned": fraction(k["recipient_correct"], n),
        "acts: actor, by the states the parties resolve to": fraction(k["actor_states_correct"], n),
        "acts: recipient, by states": fraction(k["recipient_states_correct"], n),
        "commitments found (overlap)": fraction(c["found"], c["gold"]),
        "commitments: kind": fraction(c["kind_correct"], c["gold"]),
        "commitments: committers": fraction(c["committer_correct"], c["gold"]),
        "commitments: every named party": fraction(c["parties_correct"], c["gold"]),
    }


def test_the_datasheet_publishes_each_blind_codings_agreement_as_scored_today():
    """Every 'today' column of the datasheet's agreement table is what `datapkg score` gives
    for that coding's fixture against the package as it is: a change to the data that moves
    an agreement figure fails here until the datasheet says so."""
    text = (ROOT / "docs" / "datasheet.md").read_text(encoding="utf-8")
    rows = [line.strip().strip("|").split("|") for line in text.splitlines()
            if line.strip().startswith("| ") and "|---" not in line]
    header = next(r for r in rows if r[0].strip() == "layer")
    table = {r[0].strip(): [cell.strip() for cell in r[1:]] for r in rows
             if len(r) == len(header) and r is not header}
    codings = {"1st": "second_coding", "2nd": "second_coding_2", "3rd": "second_coding_3"}
    checked = 0
    for column, name in enumerate(h.strip() for h in header[1:]):
        if "today" not in name:
            continue
        cells = agreement_cells(ROOT / "tests" / "fixtures" / codings[name.split(",")[0]])
        for label, values in table.items():
            assert values[column] == cells[label], (name, label)
            checked += 1
    assert table and checked >= 2 * len(table)  # both codings, every row
