"""The one build path: curate → validate → publish, and the check that committed files are current."""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

import pyarrow as pa

from datapkg.assemble import SCRIPTS, SEEDS, assemble
from datapkg.citation import cff, citation, zenodo
from datapkg.codebook import codebook
from datapkg.descriptor import schema_path, table_schema, to_json
from datapkg.metadata import CHANGELOG, CITATION, CODEBOOK, ROOT, ZENODO, at, release_date
from datapkg.publish import replace_directory, write_file, write_package
from datapkg.registry import TABLES
from datapkg.render import site
from datapkg.validate import Failure, validate_package

DATA = ROOT / "data"
SCHEMAS = ROOT / "schemas"
SITE = ROOT / "site"



class BuildFailed(Exception):
    def __init__(self, failures: list[Failure]):
        super().__init__(f"{len(failures)} validation failure(s)")
        self.failures = failures


def generated_files(tables: dict[str, pa.Table], root: Path = ROOT) -> dict[Path, bytes]:
    """Files outside data/ generated from the registry, the metadata and the tables."""
    files = {at(root, SCHEMAS) / Path(schema_path(n)).name: to_json(table_schema(t))
             for n, t in TABLES.items()}
    cite = citation(tables["sources"].to_pylist(), release_date(at(root, CHANGELOG)))
    files[at(root, CODEBOOK)] = codebook(tables).encode("utf-8")
    files[at(root, CITATION)] = cff(cite).encode("utf-8")
    files[at(root, ZENODO)] = to_json(zenodo(cite))
    return files


def stale_generated(tables: dict[str, pa.Table], root: Path = ROOT) -> list[Path]:
    return [p for p, data in generated_files(tables, root).items()
            if not p.is_file() or p.read_bytes() != data]


def fill(directory: Path, tables: dict[str, pa.Table], texts: dict[str, Path]) -> None:
    """Write the package into ``directory`` and validate it there; raise if it is invalid."""
    write_package(tables, texts, directory, release_date())
    failures = validate_package(directory, curation=False)
    if failures:
        raise BuildFailed(failures)


def build_package(directory: Path, scripts: Path = SCRIPTS, seeds: Path = SEEDS) -> None:
    """Curate and write a validated package into ``directory`` (nothing else is touched)."""
    fill(directory, *assemble(scripts, seeds))


def site_files(package: Path, root: Path = ROOT) -> dict[Path, bytes]:
    """The annotated-article site, rendered from a published package."""
    return {at(root, SITE) / name: data for name, data in site(package).items()}


def build(target: Path = DATA) -> None:
    """Publish into ``target`` atomically (on any failure the old files stay as they were),
    then refresh the generated files outside it, the site included."""
    tables, texts = assemble()
    replace_directory(target, lambda directory: fill(directory, tables, texts))
    for path, data in {**generated_files(tables), **site_files(target)}.items():
        if not path.is_file() or path.read_bytes() != data:
            write_file(path, data)


def stale_files(target: Path = DATA) -> list[str]:
    """Committed files that differ from a fresh build (empty when all are current)."""
    tables, texts = assemble()
    stale = [str(p) for p in stale_generated(tables)]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "package"
        fill(fresh, tables, texts)
        stale += [str(p) for p, data in site_files(fresh).items()
                  if not p.is_file() or p.read_bytes() != data]
        expected = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
        actual = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file()) \
            if target.is_dir() else []
        for rel in sorted(set(expected) | set(actual)):
            a, b = fresh / rel, target / rel
            if not (a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)):
                stale.append(str(target / rel))
    return stale
