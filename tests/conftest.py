from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# The parts of the checkout that building and validating it read.
CHECKOUT = ("scripts", "seeds", "schemas", "docs", "data", "site", "CHANGELOG.md",
            "CITATION.cff", ".zenodo.json")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A private copy of the published package, free to break."""
    target = tmp_path / "package"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A private copy of the parts of the checkout that validation reads."""
    for name in CHECKOUT:
        source, target = ROOT / name, tmp_path / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)
    return tmp_path
