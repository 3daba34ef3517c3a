"""The whole test suite, with the test articles of tests/articles/ added to the corpus.

In a copy of this checkout, each test article goes in as a curator adds an article, and
nothing else is edited: `datapkg new-source SEED` (its seed and a skeleton under the id it
gives), then the article's script in place of the skeleton, keeping the three lines the
skeleton opens with (`SOURCE_ID`, `SEED`, `SHA256`), then `datapkg build`. The suite then runs
in the copy, with any arguments given here passed to pytest. The checkout is left as it is.

    uv run --locked python tools/test_articles.py [PYTEST ARGS]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "articles"
HEADER = re.compile(r"^(SOURCE_ID|SEED|SHA256) = .*$", re.MULTILINE)
SKIPPED = shutil.ignore_patterns(".venv", ".pytest_cache", "__pycache__", ".ruff_cache")


class Failed(Exception):
    """A step failed; what it printed on stderr is already on the terminal."""


def run(args: list[str], cwd: Path) -> str:
    """What a step prints; a failed step stops the run, naming the step."""
    done = subprocess.run(args, cwd=cwd, text=True, stdout=subprocess.PIPE)
    if done.returncode:
        raise Failed(f"{' '.join(args[3:] or args)} failed (exit {done.returncode})"
                     + (f": {done.stdout.strip()}" if done.stdout.strip() else ""))
    return done.stdout


def as_skeleton_named(curated: str, skeleton: str) -> str:
    """The curated script under the id the skeleton was given: its three header lines."""
    given = {m[1]: m[0] for m in HEADER.finditer(skeleton)}
    return HEADER.sub(lambda m: given[m[1]], curated)


def add_article(copy: Path, seed: Path, uv: list[str]) -> str:
    """One test article, added as a curator adds it; its source id."""
    said = run([*uv, "datapkg", "new-source", str(seed)], copy)
    script = copy / re.search(r"^script (.+)$", said, re.MULTILINE)[1]
    curated = seed.with_suffix(".py").read_text(encoding="utf-8")
    script.write_text(as_skeleton_named(curated, script.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return script.stem.removeprefix("curate_")


def main(pytest_args: list[str]) -> int:
    os.environ["UV_PYTHON_DOWNLOADS"] = "never"
    os.environ.pop("VIRTUAL_ENV", None)  # the copy's own environment, not this one
    try:
        return in_a_copy(pytest_args)
    except Failed as exc:
        print(f"test_articles: {exc}", file=sys.stderr)
        return 1


def in_a_copy(pytest_args: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="datapkg-articles-") as tmp:
        copy = Path(tmp) / "checkout"
        shutil.copytree(ROOT, copy, symlinks=True, ignore=SKIPPED)
        run(["uv", "sync", "--locked", "--compile-bytecode", "--quiet"], copy)
        uv = ["uv", "run", "--locked"]
        added = [add_article(copy, seed, uv) for seed in sorted(ARTICLES.glob("*.txt"))]
        print(f"test articles added: {', '.join(added)}", flush=True)
        run([*uv, "datapkg", "build"], copy)
        return subprocess.run([*uv, "pytest", *pytest_args], cwd=copy).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
