"""Independent readers: the frictionless CLI, and an installed wheel with no checkout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_frictionless_validate_passes_on_the_descriptor():
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json"],
                            cwd=ROOT / "data", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("datapkg-*.whl"))


def test_wheel_installs_and_loads_with_no_checkout(wheel, tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to make the throwaway environment (pip install uv)")
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=env)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), str(wheel)],
                   check=True, env=env)
    code = ("import datapkg, pathlib; t = datapkg.load(); c = datapkg.load(format='csv'); "
            "print(pathlib.Path(datapkg.__file__).parent); "
            "print(sum(len(f) for f in t.values()), sum(len(f) for f in c.values()))")
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    assert not out[0].startswith(str(ROOT))
    rows_parquet, rows_csv = map(int, out[1].split())
    assert rows_parquet == rows_csv > 0
