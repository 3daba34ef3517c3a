"""The one build path: curate → validate → publish, with the generated files and the site."""

from __future__ import annotations

import filecmp
import tempfile
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from datapkg.assemble import SCRIPTS, SEEDS, Origins, assemble_with_origins
from datapkg.citation import cff, citation, zenodo
from datapkg.codebook import codebook
from datapkg.curation import NOT_YET
from datapkg.descriptor import schema_path, table_schema, to_json
from datapkg.errors import Failure, InvalidPackage
from datapkg.metadata import release_date, released
from datapkg.paths import CHANGELOG, CITATION, CODEBOOK, DATA, ROOT, SCHEMAS, SITE, ZENODO, at
from datapkg.publish import (
    manifest_files,
    package_files,
    replace_directory,
    with_manifest,
    write_file,
    write_files,
    write_package,
)
from datapkg.registry import TABLES
from datapkg.render import pages
from datapkg.validate import validate_package


def generated_files(tables: dict[str, pa.Table], root: Path = ROOT) -> dict[Path, bytes]:
    """Files outside data/ generated from the registry, the metadata and the tables."""
    files = {at(root, SCHEMAS) / Path(schema_path(n)).name: to_json(table_schema(t))
             for n, t in TABLES.items()}
    changelog = at(root, CHANGELOG)
    cite = citation(tables["sources"].to_pylist(),
                    release_date(changelog) if released(changelog) else None)
    files[at(root, CODEBOOK)] = codebook(tables).encode("utf-8")
    files[at(root, CITATION)] = cff(cite).encode("utf-8")
    files[at(root, ZENODO)] = to_json(zenodo(cite))
    return files


def stale_generated(tables: dict[str, pa.Table], root: Path = ROOT) -> list[Path]:
    return [p for p, data in generated_files(tables, root).items()
            if not p.is_file() or p.read_bytes() != data]


def fill(directory: Path, tables: dict[str, pa.Table], seed_files: dict[str, Path],
         origins: Origins | None = None, shown: Path | None = None,
         valid_twin: Path | None = None) -> None:
    """Write the package into ``directory`` and validate it there; raise if it is invalid,
    each failure named where it is fixed (``traced``). ``valid_twin`` is a package that
    passed validation already: where the new one equals it file for file, byte for byte,
    that validation stands for this one's (validation reads nothing but the package's files)."""
    write_package(tables, seed_files, directory, release_date(), released())
    if valid_twin is not None and not differing_files(directory, valid_twin):
        return
    failures = validate_package(directory)
    if failures:
        raise InvalidPackage([traced(f, origins or {}, directory, shown or directory)
                              for f in failures])


def differing_files(fresh: Path, target: Path) -> list[Path]:
    """The files, relative to the two folders, that one of them lacks or that differ byte for
    byte."""
    def files(folder: Path) -> set[Path]:
        return ({p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
                if folder.is_dir() else set())

    return [rel for rel in sorted(files(fresh) | files(target))
            if not ((fresh / rel).is_file() and (target / rel).is_file()
                    and filecmp.cmp(fresh / rel, target / rel, shallow=False))]


# A failure found while building names the script line that made the row, else the file under
# the name it is published as: never the staging folder, which is gone by the time it is read.
def traced(failure: Failure, origins: Origins, directory: Path, shown: Path) -> Failure:
    """``failure`` of the package being written into ``directory``, which is published as
    ``shown``: at the script and line that made its row (the row key and the table stay the
    record's), or at its file under ``shown``."""
    origin = origins.get((failure.table, failure.row))
    if origin is not None:
        return replace(failure, file=str(origin))
    try:
        return replace(failure, file=str(shown / Path(failure.file).relative_to(directory)))
    except ValueError:  # not a file of the package
        return failure


def build_package(directory: Path, scripts: Path = SCRIPTS, seeds: Path = SEEDS) -> None:
    """Curate and write a validated package into ``directory`` (nothing else is touched)."""
    fill(directory, *assemble_with_origins(scripts, seeds))


def write_site(pages: dict[str, bytes], out: Path) -> list[str]:
    """Replace the site directory ``out`` with ``pages`` and their manifest, all at once: a
    new or empty folder, or one holding nothing but a site written there before (what its
    manifest lists); any other is refused and left as it was. Returns the names written."""
    files = with_manifest(pages)
    replace_directory(out, lambda directory: write_files(directory, files.items()),
                      manifest_files, "render")
    return sorted(files)


def stale_site(pages: dict[str, bytes], out: Path) -> list[Path]:
    """Site files (the manifest among them) that differ from ``pages``, are missing, or are
    no longer generated."""
    files = with_manifest(pages)
    present = {p.name for p in out.iterdir()} if out.is_dir() else set()
    return sorted([out / n for n, data in files.items()
                   if not (out / n).is_file() or (out / n).read_bytes() != data]
                  + [out / n for n in present - set(files)])


def draft(scripts: Path = SCRIPTS, seeds: Path = SEEDS) -> list[str]:
    """Curate and validate the work in progress, publishing nothing: the sentences still
    excused as not yet curated (raises as ``build`` does on any other failure)."""
    tables, seed_files, origins = assemble_with_origins(scripts, seeds, draft=True)
    with tempfile.TemporaryDirectory(prefix="datapkg-draft-") as tmp:
        fill(Path(tmp) / "package", tables, seed_files, origins, Path("draft"))
    coverage = tables["coverage"].to_pylist()
    return [f"{c['sentence_id']}" for c in coverage if c["reason"] == NOT_YET]


def build(target: Path = DATA) -> None:
    """Publish into ``target`` atomically (on any failure the old files stay as they were).
    Publishing the checkout's own data/ also refreshes the generated files beside it
    (schemas/, the codebook, the citation files) and the site."""
    tables, seed_files, origins = assemble_with_origins()
    shown = Path(Path(target).name)  # data/<table>.csv, not the staging folder beside it
    replace_directory(target, lambda directory: fill(directory, tables, seed_files, origins,
                                                      shown), package_files, "build")
    if Path(target).resolve() != DATA.resolve():
        return
    generated = generated_files(tables)
    for path in stale_generated(tables):
        write_file(path, generated[path])
    site = pages(target)
    if stale_site(site, SITE):
        write_site(site, SITE)
