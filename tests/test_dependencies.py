"""The dependency ranges: each floor pyproject.toml claims is what the lowest-direct
resolution of tools/lowest.sh installs, and CI runs that script beside the locked job."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EXTRAS = ("validate", "frictionless")


def floors() -> dict[str, str]:
    """Name → the lowest version claimed, for the runtime and the extras."""
    project = PYPROJECT["project"]
    requirements = [*project["dependencies"],
                    *(r for extra in EXTRAS for r in project["optional-dependencies"][extra])]
    found = {}
    for requirement in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]+\])?>=([0-9.]+)", requirement)
        assert m, f"{requirement}: give a range with a floor (>=)"
        found[m[1].lower()] = m[2]
    return found


def same_version(a: str, b: str) -> bool:
    def parts(v):
        numbers = [int(p) for p in v.split(".")]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        return numbers
    return parts(a) == parts(b)


def test_every_claimed_floor_is_what_the_lowest_resolution_installs():
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    result = subprocess.run(
        [str(UV), "pip", "compile", "-q", "--no-header", "--no-annotate", "--python-version", "3.11",
         "--resolution", "lowest-direct", "pyproject.toml",
         *(a for extra in EXTRAS for a in ("--extra", extra))],
        cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    resolved = dict(line.split("==") for line in result.stdout.split() if "==" in line)
    for name, floor in floors().items():
        assert same_version(resolved[name], floor), \
            f"{name}: pyproject claims >={floor}, the lowest resolution installs {resolved[name]}"


def test_the_development_lock_is_exact():
    for requirement in PYPROJECT["dependency-groups"]["dev"]:
        assert "==" in requirement or requirement.startswith(PYPROJECT["project"]["name"]), requirement
    dev = {r.split("==")[0] for r in PYPROJECT["dependency-groups"]["dev"]}
    assert set(floors()) - {"frictionless"} <= dev  # the runtime and pandera, pinned for building


def test_ci_runs_the_oldest_dependencies_beside_the_locked_job():
    workflow = (ROOT / ".github/workflows/ci.yml").read_text()
    assert "run: bash .ci/run" in workflow and "run: bash tools/lowest.sh" in workflow


def test_validation_reads_the_version_of_the_installed_distribution_by_its_name():
    import datapkg
    from datapkg.validate import version_places

    places = version_places(datapkg.data_dir(), None, None)
    assert places["installed package metadata"] == datapkg.__version__
