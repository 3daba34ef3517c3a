"""Every path the project knows, in one place. Imports nothing from the package.

A checkout holds the curation (``scripts/``, ``seeds/``), the published package (``data/``)
and the files generated beside it; an installed wheel holds the package as ``datapkg/_data``
and the site as ``datapkg/_site``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # the library, datapkg/
ROOT = PACKAGE.parent  # the checkout
SHIPPED_DATA = PACKAGE / "_data"  # the package inside an installed wheel
SHIPPED_SITE = PACKAGE / "_site"  # the site inside an installed wheel
SHIPPED_CODEBOOK = PACKAGE / "_docs" / "codebook.md"  # the codebook inside an installed wheel
ASSETS = PACKAGE / "assets"  # the site's style sheet and scripts
CROSSWALK = PACKAGE / "cameo_plover.csv"  # the CAMEO → PLOVER pairs the corpus uses, sourced

SCRIPTS = ROOT / "scripts"
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
SCHEMAS = ROOT / "schemas"
SITE = ROOT / "site"
DOCS = ROOT / "docs"
CODEBOOK = DOCS / "codebook.md"
CHANGELOG = ROOT / "CHANGELOG.md"
CITATION = ROOT / "CITATION.cff"
ZENODO = ROOT / ".zenodo.json"


def at(root: Path, path: Path) -> Path:
    """The same checkout file under another root (a copy of the checkout, in tests)."""
    return root / path.relative_to(ROOT)


def is_checkout(directory: Path, root: Path = ROOT) -> bool:
    """Whether ``directory`` is the data/ of the checkout ``root`` (which has scripts/)."""
    return (Path(directory).resolve() == (root / "data").resolve()
            and (root / "scripts").is_dir())
