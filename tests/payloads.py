"""A hostile package for the site tests: a copy of the published one with markup, script and
line separators in every column the site shows, keys and spans still consistent."""

from __future__ import annotations

from pathlib import Path

from damage import edit_json, rewrite, rows

from datapkg.registry import ACTOR_ID_PATTERN, ID_PATTERN, TABLES, spans

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "<!--<script>",
    "</script><script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    "\u2028line\u2029separators",
)
# Values the renderer branches on: rows holding them keep them, so every branch still runs.
KEEP = {("passages", "kind"): "headline", ("coverage", "status"): "excused",
        ("statement_attributions", "role"): "speaker", ("commitment_parties", "role"): "committer"}
# The source the site picks and the seed it reads stay as they are.
UNTOUCHED = {"source_id", "seed_path"}


def columns(name: str) -> tuple[list[str], list[str]]:
    """(id columns, free-text and vocabulary columns) of a table: the string columns that are
    neither a span's text nor untouched."""
    table = TABLES[name]
    texts = {text for _, _, text in spans(table)}
    strings = [f for f in table.fields if f.type == "string"
               and f.name not in texts | UNTOUCHED]
    ids = (ID_PATTERN, ACTOR_ID_PATTERN)
    return ([f.name for f in strings if f.pattern in ids],
            [f.name for f in strings if f.pattern not in ids])


def hostile_package(package: Path, payloads: tuple[str, ...] = PAYLOADS) -> None:
    """Rewrite ``package`` in place. An id gets the same payload appended wherever it occurs,
    so keys still join; other columns get the payloads in turn, ahead of their value; the
    article's last passage ends with them all."""
    hostile_article(package, payloads)
    for name in TABLES:
        ids, free = columns(name)

        def change(rows, ids=ids, free=free, name=name):
            for i, row in enumerate(rows):
                for column in ids:
                    if row[column] is not None:
                        row[column] += payloads[0]
                for j, column in enumerate(free):
                    if row[column] != KEEP.get((name, column)):
                        row[column] = payloads[(i + j) % len(payloads)] + (row[column] or "")

        rewrite(package, name, change)

    def version(document):
        document["version"] = payloads[-1]
        if "created" in document:  # the site's release date is its first ten characters
            document["created"] = payloads[0] + document["created"]

    edit_json(package / "datapackage.json", version)
    edit_json(package / "croissant.json", version)


def hostile_article(package: Path, payloads: tuple[str, ...]) -> None:
    """Append the payloads to the last passage of one article (the first source's): the
    seed, and the passage's span."""
    extra = " " + " ".join(payloads)
    source = rows(package, "sources")[0]
    seed = package / source["seed_path"]
    text = seed.read_text(encoding="utf-8")

    def change(passages):
        last = max((p for p in passages if p["source_id"] == source["source_id"]),
                   key=lambda p: p["span_end"])
        seed.write_text(text[:last["span_end"]] + extra + text[last["span_end"]:], encoding="utf-8")
        last["span_end"] += len(extra)
        last["text"] += extra

    rewrite(package, "passages", change)
