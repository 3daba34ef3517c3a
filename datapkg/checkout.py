"""A checkout's own checks, beyond its package: the curation rebuilds to the published data,
every generated file (data/, schemas/, the codebook, the citation files, site/) equals a
fresh build, and the changelog, citation and codebook state the package's version.

`datapkg check` reports the stale files; `datapkg validate` in a checkout reports the
package's failures and all of these. Running the curation runs the checkout's scripts:
validate a checkout only when you trust its scripts (`validate --no-curation` does not).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from datapkg.errors import CurationError, Failure, InvalidPackage, LoadError
from datapkg.files import utf8_file
from datapkg.loader import load, to_pandas
from datapkg.metadata import latest_changelog_version
from datapkg.paths import CHANGELOG, CITATION, CODEBOOK, ROOT, ZENODO, at
from datapkg.registry import TABLES
from datapkg.validate import check_versions, compare_frames, validate_package


def checkout_versions(root: Path) -> dict[str, str | None]:
    """The versions stated by the checkout's changelog, CITATION.cff, .zenodo.json, codebook."""
    def first(pattern: str, path: Path) -> str | None:
        m = re.search(pattern, utf8_file(path), re.MULTILINE)
        return m[1] if m else None

    readers = {
        CHANGELOG: latest_changelog_version,
        CITATION: lambda p: first(r"^version:\s*['\"]?([^'\"\s]+)", p),
        ZENODO: json_version,
        CODEBOOK: lambda p: first(r"^Version (\S+)\.", p),
    }
    return {str(at(root, path)): read(at(root, path)) for path, read in readers.items()
            if at(root, path).is_file()}


def json_version(path: Path) -> object:
    """The version a JSON metadata file states: null when it is no JSON object (which the
    version check then reports), never an error."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError):
        return None
    return document.get("version") if isinstance(document, dict) else None


def stale_files(root: Path = ROOT, built: tuple | None = None, valid: bool = False
                ) -> list[str]:
    """Committed files that differ from a fresh build of the checkout ``root`` (empty when
    all are current); ``built`` is the curation's tables and seed files where they were
    assembled already, and ``valid`` says that the committed package passed validation (a
    fresh package equal to it is not validated again). Raises what the curation raises when
    it cannot be built."""
    # The curation and the site are imported when a rebuild is asked for: `validate
    # --no-curation` in a checkout never pays for them.
    from datapkg.assemble import assemble
    from datapkg.build import differing_files, fill, stale_generated, stale_site
    from datapkg.render import pages

    tables, seed_files = built or assemble(root / "scripts", root / "seeds")
    stale = [str(p) for p in stale_generated(tables, root)]
    target = root / "data"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "package"
        fill(fresh, tables, seed_files, valid_twin=target if valid else None)
        stale += [str(p) for p in stale_site(pages(fresh), root / "site")]
        stale += [str(target / rel) for rel in differing_files(fresh, target)]
    return stale


def check_curation(root: Path, valid: bool = False) -> list[Failure]:
    """The published tables equal the curation, row by row, and no generated file is stale;
    ``valid`` says that the published package passed validation."""
    from datapkg.assemble import assemble

    try:
        built = assemble(root / "scripts", root / "seeds")  # once: the curation runs once
        tables, stale = built[0], stale_files(root, built, valid)
    except (CurationError, InvalidPackage, OSError) as exc:
        return [Failure("curation-fails", str(root / "scripts"), "", "", "", "",
                        f"curation fails: {exc}")]
    try:
        published = load(format="csv", path=root / "data")
    except LoadError:
        published = {}  # the package's own failures say why
    failures = []
    for name, table in tables.items():
        if name in published:
            failures += compare_frames(to_pandas(table), published[name], TABLES[name],
                                       str(root / "data" / f"{name}.csv"), "rebuild",
                                       "published data must equal the curation",
                                       ("curation", "published data"))
    return failures + [Failure("generated-stale", path, "", "", "", "",
                               "generated file is stale: it must equal a rebuild",
                               "run `datapkg build` and commit the result") for path in stale]


def validate_checkout(root: Path = ROOT, curation: bool = True) -> list[Failure]:
    """The checkout's package, the versions its files state, and (``curation``) that the
    published and generated files equal a rebuild from its curation scripts."""
    package_failures = validate_package(root / "data")
    failures = package_failures + check_versions(checkout_versions(root))
    if curation:
        failures += check_curation(root, valid=not package_failures)
    return list(dict.fromkeys(failures))

