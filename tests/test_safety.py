"""The loader and the validator execute nothing from data, reach no network, refuse paths
outside the package, and answer a broken file with an error, not a traceback."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import datapkg
from datapkg.errors import LoadError

ROOT = Path(__file__).resolve().parent.parent
DANGEROUS_CALLS = {"eval", "exec", "compile", "__import__"}
DANGEROUS_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "yaml"}


def test_the_library_never_evaluates_or_unpickles():
    for path in sorted((ROOT / "datapkg").glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in DANGEROUS_CALLS, f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                    else [node.module or ""]
                assert not {n.split(".")[0] for n in names} & DANGEROUS_MODULES, \
                    f"{path.name}:{node.lineno}"


NO_NETWORK = """
import socket
def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
import datapkg
from datapkg.validate import validate_package
from datapkg.loader import default_data_dir
datapkg.load(); datapkg.load(format="csv")
failures = validate_package(default_data_dir())
assert failures == [], failures
print("ok")
"""


def test_loading_and_validating_never_reach_the_network():
    out = subprocess.run([sys.executable, "-c", NO_NETWORK], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datapkg.cli", *args], capture_output=True,
                          text=True, cwd=ROOT)


@pytest.mark.parametrize("breakage", ["missing", "directory", "garbage"])
def test_a_broken_file_gets_an_error_not_a_traceback(package, breakage):
    target = package / "figures.parquet"
    target.unlink()
    if breakage == "directory":
        target.mkdir()  # unreadable as a file
    elif breakage == "garbage":
        target.write_bytes(os.urandom(512))
    for command in (["validate", "--no-curation", "--path", str(package)],
                    ["info", "--path", str(package)]):
        result = cli(*command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert "figures.parquet" in result.stderr
    with pytest.raises(LoadError, match="figures.parquet"):
        datapkg.load_table("figures", path=package)


def test_the_loader_refuses_a_table_file_linked_from_outside(package, tmp_path):
    outside = tmp_path / "outside.parquet"
    shutil.move(package / "sources.parquet", outside)
    (package / "sources.parquet").symlink_to(outside)
    with pytest.raises(LoadError, match="refusing a file that is a link"):
        datapkg.load_table("sources", path=package)


def test_the_lockfile_is_in_sync_with_pyproject():
    uv = Path(sys.executable).parent / "uv"
    result = subprocess.run([str(uv), "lock", "--check", "--offline"], cwd=ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr
