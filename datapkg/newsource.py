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
import re
from pathlib import Path

from datapkg.assemble import curation_scripts, lines_with_offsets, sentence_spans
from datapkg.errors import CurationError
from datapkg.files import MAX_SEED_BYTES, read_bytes
from datapkg.paths import SCRIPTS, SEEDS
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


def skeleton(source_id: str, data: bytes, text: str) -> str:
    lines = lines_with_offsets(text)
    sentences = [sentence for start, end in lines
                 for sentence in sentence_spans(text, start, end)]
    layout = "\n".join(f"        ({'body_paragraph'!r}, {opening(text, s, e)!r}),"
                       for s, e in lines)
    excusals = "\n".join(f"    c.excuse(Q({opening(text, s, e)!r}), NOT_YET)"
                         for s, e in sentences)
    title = text[lines[0][0]:lines[0][1]] if lines else ""
    # Text from the seed enters the script only as Python literals ({...!r}), which no text
    # can close: never in the docstring, which a '"""' in the seed would end.
    return f'''"""Curation of article {source_id}.

Written by `datapkg new-source`: correct the layout's kinds, give the source's facts, then
curate the article top to bottom, replacing each excusal by the rows a sentence rests on.
Every value taken from the article is Q("its exact words").
"""

from datapkg.curation import Curation, Q

SOURCE_ID = "{source_id}"
SEED = "{source_id}.txt"
SHA256 = "{hashlib.sha256(data).hexdigest()}"

NOT_YET = "not yet curated"


def curate(c: Curation) -> None:
    c.author = None  # the actor who wrote the story (depth 0 of every attribution chain)
    c.add("sources", title=Q({title!r}), work_type="article", language="en",
          text_license=None)  # the rights in the text: who holds them, why it is shared
    c.layout([
{layout}
    ], sentences={len(sentences)})
{excusals}
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
        if path.exists():
            raise CurationError(f"{path} exists already")
    seed_copy.write_bytes(data)
    script.write_text(skeleton(source_id, data, text), encoding="utf-8")
    return seed_copy, script
