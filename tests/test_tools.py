"""External validators, each in its own locked environment (tools/*.txt), as the real tools; and the
hash pins that every install of the toolchain (uv, the build backend, the CI actions) goes through."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"


def tool(requirements: str, *command: str) -> subprocess.CompletedProcess:
    """Run a command from a throwaway environment holding exactly tools/<requirements>.txt."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    # The installed files are hash-checked against the lock. docopt and jsonpath-rw come only as
    # source, and uv run outside a project takes no hashed build constraints, so the setuptools
    # that builds them is not hash-checked: the project's require-build-hashes is lifted here.
    return subprocess.run(
        [str(UV), "run", "--no-project", "--isolated", "--no-require-build-hashes",
         "--python", sys.executable, "--with-requirements", str(ROOT / "tools" / f"{requirements}.txt"),
         *command],
        cwd=ROOT, capture_output=True, text=True, env=env)


def test_citation_cff_passes_cffconvert():
    result = tool("cffconvert", "cffconvert", "--validate", "-i", "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_a_release_and_an_unreleased_citation_cff_pass_cffconvert(tmp_path):
    """Both forms the build writes: a release (dated, its package-index page as the
    artifact) and files no release published (no date-released)."""
    import datapkg
    from datapkg import citation as cite

    published = cite.from_package(datapkg.data_dir())
    for date in ("2026-11-29", None):
        c = cite.citation(list(published.sources), date, published.version)
        path = tmp_path / f"{date}.cff"
        path.write_text(cite.cff(c))
        result = tool("cffconvert", "cffconvert", "--validate", "-i", str(path))
        assert result.returncode == 0, result.stdout + result.stderr
        assert ("repository-artifact:" in path.read_text()) is (date is not None)


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
        lines = (ROOT / "tools" / f"{lock.stem}.in").read_text().splitlines()
        pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        assert pins, lock.name
        for pinned in pins:
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


# --- the supply chain: every install of uv, the build backend and the CI actions is pinned ----

def hashed_pins(lock: Path) -> dict[str, set[str]]:
    """`name==version` -> its sha256 hashes, for every requirement of a hashed requirements file."""
    pins = {}
    for entry in lock.read_text().replace("\\\n", " ").splitlines():
        if entry.strip() and not entry.lstrip().startswith("#"):
            requirement, *options = entry.split()
            assert "==" in requirement, (lock.name, requirement)
            pins[requirement] = {o.removeprefix("--hash=") for o in options if o.startswith("--hash=sha256:")}
            assert pins[requirement], f"{lock.name}: {requirement} has no --hash=sha256:"
    return pins


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_tool_lock_pins_every_requirement_with_a_hash():
    for lock in (ROOT / "tools").glob("*.txt"):
        assert hashed_pins(lock), lock.name


def test_workflow_actions_are_pinned_by_commit():
    uses = re.findall(r"^\s*(?:- )?uses:\s*(.*)$", (ROOT / ".github/workflows/ci.yml").read_text(), re.M)
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+", action), action


def test_build_backend_comes_only_from_the_hashed_lock():
    config = pyproject()
    backend = dict(r.split("==") for r in config["build-system"]["requires"])
    built_from = (ROOT / "tools" / "build-backend.in").read_text()
    assert backend and all(f"{name}=={version}\n" in built_from for name, version in backend.items())
    uv = config["tool"]["uv"]
    assert uv["require-build-hashes"] is True
    constraints = {c["requirement"]: set(c["hashes"]) for c in uv["build-constraint-dependencies"]}
    assert constraints == hashed_pins(ROOT / "tools" / "build-backend.txt")
    locked = tomllib.loads((ROOT / "uv.lock").read_text())["manifest"]["build-constraints"]
    assert {f"{c['name']}{c['specifier']}": set(c["hashes"]) for c in locked} == constraints


def without_pluggy(config: str) -> str:
    return re.sub(r' *\{ requirement = "pluggy==[^}]*\},\n', "", config)


def with_hatchling_altered(config: str) -> str:
    (backend,) = pyproject()["build-system"]["requires"]
    for digest in hashed_pins(ROOT / "tools" / "build-backend.txt")[backend]:
        config = config.replace(digest, digest[:-1] + ("0" if digest[-1] != "0" else "1"))
    return config


@pytest.mark.parametrize("change, refusal", [
    (None, None),
    (without_pluggy, "no trusted hash was provided for: `pluggy`"),
    (with_hatchling_altered, "Hash mismatch"),
])
def test_a_build_without_the_locked_hashes_is_refused(change, refusal, tmp_path):
    """The project's settings, on a tiny copy of the project: unchanged it builds; else uv refuses."""
    config = (ROOT / "pyproject.toml").read_text()
    if change:
        assert change(config) != config
        config = change(config)
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "README.md").write_text("datapkg\n")
    (tmp_path / "datapkg").mkdir()
    version = tomllib.loads(config)["tool"]["hatch"]["version"]["path"]
    (tmp_path / version).write_text('__version__ = "0.0.0"\n')
    for licence in tomllib.loads(config)["project"].get("license-files", []):
        (tmp_path / licence).write_text("licence\n")
    forced = tomllib.loads(config)["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for source in forced:  # a small stand-in for each folder or file the wheel takes in
        stand_in = tmp_path / source if "." in Path(source).name else tmp_path / source / "x.txt"
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_text("x\n")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run([str(UV), "build", "--wheel", "--python", sys.executable, "-o", "dist"],
                            cwd=tmp_path, capture_output=True, text=True, env=env)
    if refusal is None:
        assert result.returncode == 0, result.stderr
        name = tomllib.loads(config)["project"]["name"].replace("-", "_")
        assert list((tmp_path / "dist").glob(f"{name}-0.0.0-*.whl")), result.stderr
    else:
        # uv wraps its message to the terminal's width: compare the words, not the lines
        assert result.returncode != 0 and refusal in " ".join(result.stderr.split()), \
            result.stderr
        assert not list(tmp_path.glob("dist/*.whl"))


def test_uv_is_installed_only_from_the_hashed_lock():
    bootstrap = (ROOT / "tools" / "bootstrap.sh").read_text()
    version = re.search(r"^UV_VERSION=(\S+)$", bootstrap, re.M).group(1)
    assert f'"uv=={version}"' in (ROOT / "pyproject.toml").read_text()
    assert (ROOT / "tools" / "uv.in").read_text().strip() == f"uv=={version}"
    hashes = hashed_pins(ROOT / "tools" / "uv.txt")
    assert list(hashes) == [f"uv=={version}"]
    # Every platform's wheel (and the sdist), the same files as uv.lock's.
    locked = next(p for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"] if p["name"] == "uv")
    assert locked["version"] == version
    assert hashes[f"uv=={version}"] == {w["hash"] for w in locked["wheels"]} | {locked["sdist"]["hash"]}
    assert "2>/dev/null" not in bootstrap
    installs = [line for line in bootstrap.replace("\\\n", " ").splitlines() if "pip install" in line]
    assert installs
    for line in installs:
        assert "--require-hashes" in line and "-r tools/uv.txt" in line and "uv==" not in line, line


def test_the_coding_kit_holds_the_article_and_the_blind_codebook_only(tmp_path):
    """The kit a second coder gets: the article byte for byte, its external facts, the blind
    codebook, the manuals and formats; nothing from the tables; never over an existing folder."""
    import datapkg
    from datapkg.codebook import blind_codebook

    out = tmp_path / "kit"
    done = subprocess.run([sys.executable, "tools/coding_kit.py", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    source = datapkg.load_table("sources").sort_values("source_id").iloc[0]
    sid = source["source_id"]
    assert sorted(p.name for p in out.iterdir()) == sorted([
        f"{sid}.txt", "README.md", "codebook.md", "facts.md", "formats.md", "annotation.conf",
        "plover_record.schema.json", "PLOVER_MANUAL.tex", "CAMEO2PLOVER-2021.txt"])
    assert (out / f"{sid}.txt").read_bytes() == (ROOT / source["seed_path"]).read_bytes()
    assert (out / "codebook.md").read_text(encoding="utf-8") == blind_codebook()
    fields = datapkg.load_table("source_fields")
    external = fields[(fields["source_id"] == sid) & (fields["provenance"] == "external")]
    facts = (out / "facts.md").read_text(encoding="utf-8")
    assert all(f"`{f}`: {source[f]}" in facts for f in external["field"])
    assert "`title`" not in facts  # the article gives it
    again = subprocess.run([sys.executable, "tools/coding_kit.py", str(out)], cwd=ROOT,
                           capture_output=True, text=True)
    assert again.returncode == 2 and "exists" in again.stderr
