"""The CAMEO → PLOVER crosswalk, and the rows of code_crosswalk: the pairs a corpus uses.

The crosswalk is shipped whole, as data: ``datapkg/cameo_plover.csv`` holds every pair line of
CAMEO2PLOVER-2021.txt and every CAMEO root that PLOVER_MANUAL.tex drops, each with its file,
commit, line number and words (``tools/crosswalk.py`` writes it from the pinned files). Where
the package departs from a line, the departure is stated once, with its basis, in
``datapkg/cameo_plover_departures.csv``; the generated rows are never edited, and no article
edits either file.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from datapkg.paths import CROSSWALK, CROSSWALK_DEPARTURES

REPOSITORY = "openeventdata/PLOVER"
MANUAL = "PLOVER_MANUAL.tex"  # its rows are roots the manual drops
TABLE = "CAMEO2PLOVER-2021.txt"


@dataclass(frozen=True)
class Pair:
    """What the package takes from one row of the crosswalk: a PLOVER type and mode (None for
    none), and the basis: the row's file, line, commit and words, and any departure."""

    file: str
    plover_event: str | None
    plover_mode: str | None
    basis: str


def read(path: Path) -> list[dict]:
    """A CSV file's rows, an empty cell as None."""
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: v or None for k, v in row.items()} for row in csv.DictReader(f)]


def taken(line: dict, departures: list[dict]) -> Pair:
    """The pair the package takes from one row, with every departure that applies to it."""
    values, notes = dict(line), []
    for d in departures:
        if d["cameo_code"] in (None, line["cameo_code"]) \
                and line[d["column"]] == d["crosswalk_value"]:
            values[d["column"]] = d["package_value"]
            notes.append(d["basis"])
    basis = (f"{line['file']} l. {line['line']} at {REPOSITORY} {line['commit']}: "
             f"'{line['quote']}'")
    if line["file"] == MANUAL:
        basis += f" ({TABLE} has no {line['cameo_code']} line)."
    return Pair(line["file"], values["plover_event"], values["plover_mode"],
                " ".join((basis, *notes)))


@cache
def pairs(crosswalk: Path = CROSSWALK, departures: Path = CROSSWALK_DEPARTURES
          ) -> dict[str, tuple[Pair, ...]]:
    """Every CAMEO code the crosswalk has, with the pairs of its rows, in file order."""
    stated = read(departures)
    found: dict[str, list[Pair]] = defaultdict(list)
    for line in read(crosswalk):
        found[line["cameo_code"]].append(taken(line, stated))
    return {code: tuple(p) for code, p in found.items()}


def options(code: str) -> tuple[Pair, ...]:
    """The pairs a CAMEO code may take: those of its own rows; a code under a root the manual
    drops (01, 02), which CAMEO2PLOVER-2021.txt does not list, takes the manual's row."""
    every = pairs()
    if code in every:
        return every[code]
    return tuple(p for p in every.get(code[:2], ()) if p.file == MANUAL)


def published(used: Iterable[tuple[str | None, str | None, str | None]]) -> list[dict]:
    """The rows of code_crosswalk for the acts' (CAMEO code, PLOVER type, PLOVER mode): for
    each code, the first of its pairs that an act gives, else its first, with the basis. A code
    the crosswalk lacks has no row (the rule reports the act)."""
    given: dict[str, set] = defaultdict(set)
    for code, event, mode in used:
        if code is not None:
            given[code].add((event, mode))
    rows = []
    for code in sorted(given):
        found = options(code)
        if found:
            pick = next((p for p in found if (p.plover_event, p.plover_mode) in given[code]),
                        found[0])
            rows.append(dict(cameo_code=code, plover_event=pick.plover_event,
                             plover_mode=pick.plover_mode, basis=pick.basis))
    return rows
