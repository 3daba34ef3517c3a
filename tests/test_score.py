"""``datapkg score``: the deliberately imperfect predictions of tests/fixtures/predictions/
scored against the gold of the fictional article, each expected score computed by hand from
counts read off the fixture and the fictional article's curation; a gold export scores
perfectly; PLOVER records with known changes lose exactly what was changed; a malformed file
gets one line naming file, line and fault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import datapkg
from datapkg import formats
from datapkg.score import act_type, score

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "predictions"
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


def test_the_gold_scores_perfectly_in_both_span_formats(corpus, tmp_path):
    for fmt in ("brat", "webanno"):
        datapkg.export(fmt, tmp_path / fmt, path=corpus)
        report = score(tmp_path / fmt, path=corpus)
        assert report["mentions"]["exact"]["f1"] == 1.0
        assert report["attributions"]["both_correct_accuracy"] == 1.0
        assert report["figures"]["value_accuracy"] == 1.0
        assert len(report["sources"]) == len(datapkg.load_table("sources", path=corpus))


def test_a_web_annotation_file_may_name_its_article_by_the_url_it_targets(tmp_path):
    datapkg.export("webanno", tmp_path / "gold")
    source_id = datapkg.load_table("sources")["source_id"].iloc[0]
    renamed = tmp_path / "system-output.jsonld"
    (tmp_path / "gold" / f"{source_id}.jsonld").rename(renamed)
    report = score(renamed)
    assert report["sources"] == [source_id] and report["mentions"]["exact"]["f1"] == 1.0


def test_plover_predictions_lose_what_was_changed(tmp_path):
    """From the real article's records: the first's type changed, the last one dropped, one
    record added where no act lies; counts come from the data."""
    tables = datapkg.load()
    records = formats.plover_records(tables)
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


@pytest.mark.parametrize("attack", ["link", "fifo", "not utf-8"])
def test_a_hostile_prediction_file_is_refused_in_one_line(corpus, tmp_path, attack):
    folder, name = tmp_path / "brat", "900_a88bc95485daa299.ann"
    folder.mkdir()
    if attack == "link":
        (folder / name).symlink_to(FIXTURES / "brat" / name)
    elif attack == "fifo":
        os.mkfifo(folder / name)
    else:
        (folder / name).write_bytes(b"T1\tstate 0 3\t\xff\xfe\n")
    done = run_score(str(folder), "--path", str(corpus))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and name in done.stderr
