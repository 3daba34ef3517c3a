"""External validators, each in its own locked environment (tools/*.txt), as the real tools."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"


def tool(requirements: str, *command: str) -> subprocess.CompletedProcess:
    """Run a command from a throwaway environment holding exactly tools/<requirements>.txt."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(UV), "run", "--no-project", "--isolated", "--python", sys.executable,
         "--with-requirements", str(ROOT / "tools" / f"{requirements}.txt"), *command],
        cwd=ROOT, capture_output=True, text=True, env=env)


def test_citation_cff_passes_cffconvert():
    result = tool("cffconvert", "cffconvert", "--validate", "-i", "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_workflow_passes_the_github_workflow_schema():
    result = tool("check-jsonschema", "check-jsonschema", "--builtin-schema",
                  "vendor.github-workflows", ".github/workflows/ci.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_the_same_script_as_ci():
    assert "run: bash .ci/run" in (ROOT / ".github/workflows/ci.yml").read_text()


def test_pre_commit_config_is_valid_and_runs_the_checks():
    result = tool("pre-commit", "pre-commit", "validate-config", ".pre-commit-config.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    for entry in ("ruff check", "datapkg check", "datapkg validate"):
        assert f"uv run --locked {entry}" in config


def test_tool_locks_are_compiled_from_their_inputs():
    for lock in (ROOT / "tools").glob("*.txt"):
        pinned = (ROOT / "tools" / f"{lock.stem}.in").read_text().strip()
        assert pinned in lock.read_text(), lock.name
