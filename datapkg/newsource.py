"""`datapkg new-source SEED_FILE`: start the curation of one more article.

The source id is ``<serial>_<16 hex digits>``:

- the serial is the next free one: one more than the highest serial among the curation
  scripts, written with at least three digits (``000``, ``001``, … ``999``, ``1000``);
- the 16 hex digits are the ones the seed's file name already carries, when it is named
  ``<digits>_<16 hex digits>.txt`` (the id its capture gave it); otherwise the first 16 hex
  digits of the sha256 of the seed's bytes.

The seed is copied byte for byte to ``seeds/<id>.txt`` and a script skeleton is written to
``scripts/curate_<id>.py``: its sha256, its layout (one line per non-blank line of the
seed, each marked ``body_paragraph`` with its opening words, for the curator to correct), its
sentence count, and every body sentence excused as not yet curated. The skeleton does not
build until the curator gives the source's rights (``text_license``): nothing is published
with a placeholder.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from datapkg.assemble import (
    curate_corpus,
    curation_scripts,
    lines_with_offsets,
    sentence_spans,
)
from datapkg.errors import CurationError
from datapkg.evidence import whole_word_occurrences
from datapkg.files import MAX_SEED_BYTES, read_bytes
from datapkg.paths import SCRIPTS, SEEDS
from datapkg.publish import write_files
from datapkg.registry import serial

CAPTURED_NAME = re.compile(r"^[0-9]+_(?P<hex>[0-9a-f]{16})\.txt$")
OPENING_WORDS = 4


def next_serial(scripts: Path) -> str:
    serials = [int(serial(p.stem.removeprefix("curate_"))) for p in curation_scripts(scripts)
               if re.fullmatch(r"curate_[0-9]+_[0-9a-f]{16}", p.stem)]
    return f"{max(serials, default=-1) + 1:03d}"


def source_id_for(seed: Path, data: bytes, scripts: Path) -> str:
    captured = CAPTURED_NAME.match(seed.name)
    digits = captured["hex"] if captured else hashlib.sha256(data).hexdigest()[:16]
    return f"{next_serial(scripts)}_{digits}"


def opening(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split(" ")[:OPENING_WORDS])


# Guesses at the kind of each line, for the curator to correct: a byline ("By …") and a
# dateline ("ISLAMABAD, June 9", "KABUL (AP) —") on lines of their own, the headline (the first
# line of four words or more that does not end like a sentence), prose after it as body text.
BYLINE = re.compile(r"By\s+\S")
DATELINE = re.compile(r"[A-Z][A-Z.'’ -]+(,|\s+\(|\s+[—–-])")
SENTENCE_ENDS = (".", "?", "!", "”", '"', "’", "'")
SHORT = 8  # words: a byline or dateline longer than this is a body paragraph


def literal(value: str, indent: int, width: int = 60) -> str:
    """``value`` as Python literals: one repr(), or, where it is long, the reprs of its pieces
    on lines of their own (adjacent literals make one string), so that no generated line is
    longer than the project's lint allows."""
    if len(value) <= width:
        return repr(value)
    pieces = [value[i:i + width] for i in range(0, len(value), width)]
    return ("\n" + " " * indent).join(repr(piece) for piece in pieces)


def guessed_kinds(lines: list[str]) -> list[str]:
    kinds, headline = [], False
    for line in lines:
        words, prose = line.split(), line.rstrip().endswith(SENTENCE_ENDS)
        if BYLINE.match(line) and len(words) <= SHORT:
            kinds.append("byline")
        elif DATELINE.match(line) and len(words) <= SHORT:
            kinds.append("dateline")
        elif not headline and len(words) >= 4 and not prose:
            kinds.append("headline")
            headline = True
        elif headline and prose:
            kinds.append("body_paragraph")
        elif headline and words[0].rstrip(":") in ("Credit", "Photo", "Image"):
            kinds.append("image_credit")
        else:
            kinds.append("blog_name" if not kinds and len(words) <= 4 else "navigation")
    return kinds


def corpus_mentions(text: str, scripts: Path) -> list[tuple[str, str, int]]:
    """The actors the corpus declares whose names occur in the text as whole words: (actor id,
    name, how many times)."""
    actors = curate_corpus(scripts)[0]["actors"]
    found = [(a["actor_id"], a["name"], len(whole_word_occurrences(text, a["name"])))
             for a in actors]
    return [m for m in found if m[2]]


def skeleton(source_id: str, data: bytes, text: str,
             mentions: list[tuple[str, str, int]] = ()) -> str:
    """The script's source. Generated code never interpolates data: every value from the seed
    (or derived from it) enters as its repr(), a Python literal that reads back as the same
    value whatever it holds (quotes, backslashes, line separators, ``\\N{...}``), and the
    docstring holds none. The kinds of the lines are guesses; the sentences are those of the
    lines guessed to be body text, each excused as not yet curated (a build refuses them; a
    draft build does not)."""
    lines = lines_with_offsets(text)
    kinds = guessed_kinds([text[s:e] for s, e in lines])
    sentences = [sentence for (start, end), kind in zip(lines, kinds) if kind == "body_paragraph"
                 for sentence in sentence_spans(text, start, end)]
    layout = "\n".join(f"        ({kind!r}, {literal(opening(text, s, e), 10 + len(repr(kind)))}),"
                       for (s, e), kind in zip(lines, kinds))
    named = "".join(f"    c.mention({actor_id!r}, 'name',\n"
                    f"              Every({literal(name, 20)}, {count!r}))\n"
                    for actor_id, name, count in mentions)
    if named:
        named = ("    # Actors of the corpus (scripts/corpus.py) whose names the text holds, "
                 "with their counts.\n" + named)
    excusals = "\n".join(f"    c.excuse(Q({literal(opening(text, s, e), 15)}), NOT_YET)"
                         for s, e in sentences)
    # Only what the script uses is imported, so that it passes the project's lint as written.
    imports = f"from datapkg.curation import {'NOT_YET, ' if sentences else ''}Curation, Q\n"
    if mentions:
        imports += "from datapkg.evidence import Every\n"
    title = next((text[s:e] for (s, e), kind in zip(lines, kinds) if kind == "headline"),
                 text[lines[0][0]:lines[0][1]] if lines else "")
    return f'''"""Curation of the article in seeds/ whose id is SOURCE_ID, its title in the
sources record below.

Written by `datapkg new-source`: correct the layout's kinds (guessed) and the sentence count
that follows from them, give the source's facts, check the mentions of the corpus's actors
(found by their names), then curate the article top to bottom, replacing each excusal by the
rows a sentence rests on. Every value taken from the article is Q("its exact words").
`datapkg build --draft` checks the work in progress; `datapkg build` refuses a sentence still
excused as NOT_YET.
"""

{imports}
SOURCE_ID = {source_id!r}
SEED = {f"{source_id}.txt"!r}
SHA256 = {hashlib.sha256(data).hexdigest()!r}


def curate(c: Curation) -> None:
    c.author = None  # the actor who wrote the story (depth 0 of every attribution chain)
    c.add("sources", work_type="article", language="en",
          title=Q({literal(title, 18)}),
          text_license=None)  # the rights in the text: who holds them, why it is shared
    c.layout([
{layout}
    ], sentences={len(sentences)!r})
{named}{excusals}
'''


def new_source(seed: Path, scripts: Path = SCRIPTS, seeds: Path = SEEDS) -> tuple[Path, Path]:
    """Copy the seed in and write its script skeleton; returns (seed copy, script)."""
    data = read_bytes(Path(seed), MAX_SEED_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"{seed}: a seed must be UTF-8 text: {exc}") from None
    for existing in seeds.glob("*.txt"):
        if existing.read_bytes() == data:
            raise CurationError(f"{seed}: these bytes are already the seed {existing.name}")
    source_id = source_id_for(Path(seed), data, scripts)
    seed_copy, script = seeds / f"{source_id}.txt", scripts / f"curate_{source_id}.py"
    for path in (seed_copy, script):
        if os.path.lexists(path):
            raise CurationError(f"{path} exists already")
    # Each file is created, never written over or through a link (publish.write_files).
    write_files(seeds, [(seed_copy.name, data)], replace=False)
    code = skeleton(source_id, data, text, corpus_mentions(text, scripts))
    write_files(scripts, [(script.name, code.encode("utf-8"))],
                replace=False)
    return seed_copy, script
