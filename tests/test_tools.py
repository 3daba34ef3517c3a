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
        name, version = pinned.split("==")
        assert f"{name.split('[')[0]}=={version}" in lock.read_text(), lock.name
        assert f"--generate-hashes {lock.stem}.in -o {lock.name}" in lock.read_text()


LOAD_ALL = """
import json, sys
import mlcroissant as mlc
def plain(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if hasattr(v, "date"):
        return v.date().isoformat()
    return v
out = {}
for rs in json.load(open("data/croissant.json"))["recordSet"]:
    name = rs["name"]
    # A fresh Dataset per record set: mlcroissant 1.1.1 returns field names instead of
    # records for a set loaded after another set that references it.
    ds = mlc.Dataset("data/croissant.json")
    out[name] = [{k.split("/", 1)[1]: plain(v) for k, v in r.items()} for r in ds.records(name)]
json.dump(out, sys.stdout)
"""


def test_croissant_validates_without_warnings_and_loads_the_same_records():
    import json

    import datapkg

    result = tool("mlcroissant", "mlcroissant", "validate", "--jsonld", "data/croissant.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr
    result = tool("mlcroissant", "python", "-c", LOAD_ALL)
    assert result.returncode == 0, result.stderr[-3000:]
    records = json.loads(result.stdout)
    for name, frame in datapkg.load().items():
        expected = json.loads(frame.astype(object).where(frame.notna(), None)
                              .map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
                              .to_json(orient="records", force_ascii=False))
        got = sorted(records[name], key=lambda r: json.dumps(r, sort_keys=True))
        assert got == sorted(expected, key=lambda r: json.dumps(r, sort_keys=True)), name
