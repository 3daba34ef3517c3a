"""The kit a blind second coder is given, and nothing more: the article, the external facts
the article cannot give (codebook, decision rule j), the codebook's blind edition, the PLOVER
manual and the CAMEO-to-PLOVER crosswalk, the export formats with the PLOVER records' JSON
Schema, and the brat configuration of every label the registry allows.

    uv run --locked python tools/coding_kit.py OUT [--source SOURCE_ID]

OUT must not exist yet. The kit holds no table, note or script of the package: the blind
edition gives no row count, no value from the data and no example from a coded article
(tests/test_docs.py holds it to that).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import datapkg
from datapkg.codebook import blind_codebook
from datapkg.formats import brat_vocabulary_conf

ROOT = Path(__file__).resolve().parent.parent
MANUALS = ROOT / "tools" / "plover"

INSTRUCTIONS = """# Coding kit

Code the article `{source_id}.txt` from this folder only: the codebook (`codebook.md`, its
blind edition), the PLOVER manual (`PLOVER_MANUAL.tex`), the CAMEO codes and their PLOVER types
(`CAMEO2PLOVER-2021.txt`) and the formats (`formats.md`). `facts.md` gives what the article
cannot: the facts about its publication that come from outside its text.

Deliver, in one folder:

- `{source_id}.ann`: brat standoff over `{source_id}.txt` (offsets are code points), with the
  labels of `annotation.conf`: every actor mention (labelled by the actor's kind) with an
  `actor_id` attribute naming the actor (your own ids, one per actor, the same for every
  mention of it), statements with their cues, hedges, speaker and reporter links and quote
  types, commitments with their kind and party links, events with their kind, status and
  participant links, and figures with their kind and values.
- `{source_id}.plover.jsonl`: one PLOVER record per act (a statement, commitment or event
  coded with a CAMEO code), in the package's PLOVER record format (`formats.md`), with `source_id`
  `{source_id}`, the same actor ids, and each act's offsets in `text_info`; each record valid
  against `plover_record.schema.json`.
- `notes.md`: every judgement the codebook did not make for you, with the words it concerns.
"""


def facts(source: dict, fields) -> str:
    """The source's external facts, each with its basis."""
    lines = ["# Facts from outside the article", ""]
    for row in fields.itertuples():
        if row.provenance == "external":
            lines.append(f"- `{row.field}`: {source[row.field]} ({row.basis})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--source", help="the article's source id (default: the first)")
    args = parser.parse_args(argv)
    sources = datapkg.load_table("sources").sort_values("source_id")
    wanted = sources if args.source is None else sources[sources["source_id"] == args.source]
    if wanted.empty:
        print(f"coding_kit: no source {args.source!r} in the package", file=sys.stderr)
        return 2
    source = wanted.iloc[0].to_dict()
    fields = datapkg.load_table("source_fields")
    fields = fields[fields["source_id"] == source["source_id"]]
    try:
        args.out.mkdir(parents=True)
    except FileExistsError:
        print(f"coding_kit: {args.out} exists; give a new folder", file=sys.stderr)
        return 2
    sid = source["source_id"]
    # The article through the package's one safe reader (its seed path checked, its hash verified).
    (args.out / f"{sid}.txt").write_bytes(datapkg.article(sid).encode("utf-8"))
    for name in ("PLOVER_MANUAL.tex", "CAMEO2PLOVER-2021.txt"):
        shutil.copyfile(MANUALS / name, args.out / name)
    shutil.copyfile(ROOT / "docs" / "formats.md", args.out / "formats.md")
    shutil.copyfile(ROOT / "datapkg" / "plover_record.schema.json",
                    args.out / "plover_record.schema.json")
    (args.out / "codebook.md").write_text(blind_codebook(), encoding="utf-8")
    (args.out / "annotation.conf").write_text(brat_vocabulary_conf(), encoding="utf-8")
    (args.out / "facts.md").write_text(facts(source, fields), encoding="utf-8")
    (args.out / "README.md").write_text(INSTRUCTIONS.format(source_id=sid), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
