from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built as a release builds it: by uv, with the hashed build backend
    of pyproject's [tool.uv], named by the distribution name."""
    from datapkg.metadata import NAME

    out = tmp_path_factory.mktemp("dist")
    subprocess.run([str(Path(sys.executable).parent / "uv"), "build", "--wheel", "--out-dir",
                    str(out), str(ROOT)],
                   check=True, capture_output=True, env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    (found,) = out.glob(f"{NAME.replace('-', '_')}-*.whl")
    return found


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The published articles and the fictional one of tests/fixtures, built together into
    one package (read only: tests that change a package copy it)."""
    from test_corpus import corpus_checkout

    from datapkg.build import build_package

    root = tmp_path_factory.mktemp("corpus")
    scripts, seeds = corpus_checkout(root)
    build_package(root / "data", scripts, seeds)
    return root / "data"
