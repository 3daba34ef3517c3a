from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A private copy of the published package, free to break."""
    target = tmp_path / "package"
    shutil.copytree(DATA, target)
    return target
