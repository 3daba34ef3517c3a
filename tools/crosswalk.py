"""Write datapkg/cameo_plover.csv, the whole CAMEO → PLOVER crosswalk, from the two files of
openeventdata/PLOVER kept under tools/plover/ at their pinned commits:

- every pair line of CAMEO2PLOVER-2021.txt (``code: TYPE, mode, context # description``, or a
  root's ``code: TYPE``), with its line number and the line verbatim;
- every CAMEO root that PLOVER_MANUAL.tex drops (its table "PLOVER equivalents to CAMEO cue
  categories": ``01 & MAKE PUBLIC STATEMENT & dropped``), as a row with no PLOVER type.

Nothing is changed or added: the package's departures from these rows are stated apart, in
datapkg/cameo_plover_departures.csv. The build does not run this script; it reads the CSV it
wrote, which is committed. Run it after changing a pinned file, and commit the result:

    uv run --locked python tools/crosswalk.py          # write the CSV
    uv run --locked python tools/crosswalk.py --check  # exit 1 if the committed CSV differs
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "datapkg" / "cameo_plover.csv"
REPOSITORY = "openeventdata/PLOVER"

CROSSWALK = "CAMEO2PLOVER-2021.txt"
MANUAL = "PLOVER_MANUAL.tex"
# Each upstream file: the commit it is taken at and the sha256 of its bytes there.
PINNED = {
    CROSSWALK: ("e834df5b3a302f99af1f23cda08fa34b383ca598",
                "524512a777756e90f6721724d7c5cab4eac2c35178a50ad2ad09bdb3edefbe7e"),
    MANUAL: ("6b85b9a7506bb372bf6828d68bf922f1e92e750a",
             "c578271bf8f3887c9c172caf843190290b0dd245bb2c375ea31f990411e878f7"),
}
COLUMNS = ("file", "commit", "line", "cameo_code", "plover_event", "plover_mode",
           "plover_context", "quote")

# A pair line: the code, then the type, mode and context separated by commas (a root's line
# has the type alone); a description may follow a '#'.
PAIR = re.compile(r"(?P<code>[0-9]{2,4}):(?P<fields>[^#]*)(?:#.*)?")
TYPE = re.compile(r"[A-Z]+")
MODE = re.compile(r"(?:[A-Za-z_]+(?:-[A-Za-z_]+)*)?")
CONTEXT = re.compile(r"(?:[a-z_]+(?:; [a-z_]+)*)?")
# A row of the manual's CAMEO table: "01 & MAKE PUBLIC STATEMENT & dropped \\".
XLATE_CAPTION = r"\caption{PLOVER equivalents to CAMEO cue categories}"
XLATE_ROW = re.compile(r"(?P<quote>(?P<code>[0-9]{2}) ?& (?P<text>[^&]+) & (?P<category>[^&]+?))"
                       r" *\\\\\s*")


def source(name: str) -> list[str]:
    """The lines of a pinned file, refused unless its bytes are the pinned ones."""
    data = (HERE / "plover" / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name][1]:
        raise SystemExit(f"tools/plover/{name}: sha256 {digest}, pinned {PINNED[name][1]}")
    return data.decode("utf-8").split("\n")


def crosswalk_pairs(lines: list[str]) -> tuple[list[dict], list[tuple[int, str]]]:
    """Every pair line of CAMEO2PLOVER-2021.txt as a row, and the lines that are neither a
    pair, a comment nor blank, with their numbers."""
    commit = PINNED[CROSSWALK][0]
    rows, unparsed = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = PAIR.fullmatch(line)
        fields = [f.strip() for f in match["fields"].split(",")] if match else []
        if len(fields) == 1:
            fields += ["", ""]  # a root: its type alone
        if not (len(fields) == 3 and TYPE.fullmatch(fields[0]) and MODE.fullmatch(fields[1])
                and CONTEXT.fullmatch(fields[2])):
            unparsed.append((number, line))
            continue
        rows.append(dict(file=CROSSWALK, commit=commit, line=number, cameo_code=match["code"],
                         plover_event=fields[0], plover_mode=fields[1],
                         plover_context=fields[2], quote=line))
    return rows, unparsed


def dropped_roots(lines: list[str]) -> list[dict]:
    """The rows of the manual's CAMEO table whose PLOVER category is 'dropped'."""
    start = next(i for i, line in enumerate(lines) if line.strip() == XLATE_CAPTION)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(r"\end{tabular}"))
    rows = []
    for i in range(start, end):
        match = XLATE_ROW.fullmatch(lines[i])
        if match and match["category"] == "dropped":
            rows.append(dict(file=MANUAL, commit=PINNED[MANUAL][0], line=i + 1,
                             cameo_code=match["code"], plover_event="", plover_mode="",
                             plover_context="", quote=match["quote"]))
    return rows


def manual_modes(lines: list[str]) -> dict[tuple[str, str], int]:
    """Every (type, mode) the manual defines, with the line of its row: the rows of each
    "<TYPE> modes" table, under the type's section."""
    found, section, in_table = {}, None, False
    for number, line in enumerate(lines, 1):
        if heading := re.fullmatch(r"\\section\{([A-Z]+)\}\s*", line):
            section = heading[1]
        elif line.startswith(r"\section"):
            section = None
        elif section and line.startswith(r"\caption{") and "modes" in line:
            in_table = True
        elif in_table and line.startswith(r"\end{tabular}"):
            in_table = False
        elif in_table and "&" in line and not line.startswith("Name &"):
            name = line.split("&")[0].strip()
            if name:  # a row that continues the one above has no name
                found[(section, name)] = number
    return found


def manual_types(lines: list[str]) -> dict[str, int]:
    """Every event type the manual defines (a section of its own), with its line."""
    return {m[1]: n for n, line in enumerate(lines, 1)
            if (m := re.fullmatch(r"\\section\{([A-Z]+)\}\s*", line))}


def generate() -> tuple[str, list[tuple[int, str]]]:
    """The CSV text, and the crosswalk's lines that are not pairs."""
    pairs, unparsed = crosswalk_pairs(source(CROSSWALK))
    rows = dropped_roots(source(MANUAL)) + pairs
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), unparsed


def main(argv: list[str]) -> int:
    text, unparsed = generate()
    rows = text.count("\n") - 1
    for number, line in unparsed:
        print(f"{CROSSWALK} l. {number}: not a pair, left out: {line!r}", file=sys.stderr)
    if argv == ["--check"]:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is not what {CROSSWALK} and {MANUAL} give: run "
                  "tools/crosswalk.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)}: {rows} rows, current")
        return 0
    if argv:
        print("usage: tools/crosswalk.py [--check]", file=sys.stderr)
        return 2
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
