"""The build: refuses a changed seed, writes all or nothing, gives the same bytes every time."""

import re
import shutil
from pathlib import Path

import pytest

from datapkg import assemble, build, paths
from datapkg.assemble import read_seed
from datapkg.checkout import stale_files
from datapkg.errors import CurationError, InvalidPackage, SeedError


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_two_builds_give_the_same_bytes(tmp_path):
    build.build_package(tmp_path / "a")
    build.build_package(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_committed_files_equal_a_fresh_build():
    assert stale_files() == []


def test_stale_file_is_reported(checkout):
    (checkout / "data" / "actors.csv").write_text("changed\n")
    (checkout / "site" / "tables.html").write_text("changed\n")
    assert stale_files(checkout) == [str(checkout / "site" / "tables.html"),
                                     str(checkout / "data" / "actors.csv")]


def test_changed_seed_is_refused(tmp_path):
    import datapkg

    source = datapkg.load_table("sources").iloc[0]
    seed = tmp_path / "seed.txt"
    seed.write_bytes((paths.DATA / source.seed_path).read_bytes() + b" ")
    with pytest.raises(SeedError, match=f"sha256 is .* the curation expects {source.sha256}"):
        read_seed(seed, source.sha256)


def test_failed_build_leaves_published_files_as_they_were(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    before = files(target)

    def broken_curation(*args, **kwargs):
        raise CurationError("a curated record names an unknown actor")

    monkeypatch.setattr(build, "assemble_with_origins", broken_curation)
    with pytest.raises(CurationError):
        build.build(target)
    assert files(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no staging left behind


def first_actor_with(column: str, value: str):
    """The build's curation step, with one cell of the first actor replaced by ``value``."""
    real = build.assemble_with_origins

    def changed(*args, **kwargs):
        tables, seeds, origins = real(*args, **kwargs)
        actors = tables["actors"]
        cells = actors.column(column).to_pylist()
        cells[0] = value
        index = actors.schema.get_field_index(column)
        tables["actors"] = actors.set_column(index, actors.schema.field(column), [cells])
        return tables, seeds, origins
    return changed


def test_invalid_output_is_not_published(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    before = files(target)
    monkeypatch.setattr(build, "assemble_with_origins", first_actor_with("kind", "empire"))
    with pytest.raises(InvalidPackage) as err:
        build.build(target)
    (hit,) = [f for f in err.value.failures if f.column == "kind"]
    assert hit.value == "'empire'" and hit.row.startswith("actor_id=")
    # named at the script line that declared the actor, never in the staging folder
    assert re.fullmatch(r"(corpus|curate_[0-9]+_[0-9a-f]{16})\.py:[0-9]+", hit.file), hit.file
    assert files(target) == before


def test_a_failure_no_script_made_names_the_published_file_not_the_staging_folder(
        tmp_path, monkeypatch):
    # a row whose key no script wrote
    monkeypatch.setattr(build, "assemble_with_origins", first_actor_with("actor_id", "Not An Id"))
    with pytest.raises(InvalidPackage) as err:
        build.build(tmp_path / "data")
    hit = next(f for f in err.value.failures if f.code == "pattern")
    assert hit.file == str(Path("data") / "actors.csv"), hit.file
    assert not [f for f in err.value.failures if ".tmp-" in f.file]


def test_layout_must_match_the_seed(tmp_path):
    script = tmp_path / "curate_999_0000000000000000.py"
    script.write_text(
        "SOURCE_ID = '999_0000000000000000'\nSEED = '999_0000000000000000.txt'\nimport hashlib\n"
        "SHA256 = hashlib.sha256(b'Title\\n\\nBody one. Body two.').hexdigest()\n"
        "def curate(c):\n"
        "    c.layout([('headline', 'Title')], sentences=2)\n")
    (tmp_path / "999_0000000000000000.txt").write_bytes(b"Title\n\nBody one. Body two.")
    with pytest.raises(CurationError, match="the seed has 2 non-blank lines, the curation names 1"):
        assemble.curate_source(script, tmp_path)


def test_site_pages_that_differ_or_are_no_longer_generated_are_stale(tmp_path):
    pages = {"index.html": b"<p>new</p>", "style.css": b"p {}"}
    out = tmp_path / "site"
    build.write_site(pages, out)
    assert build.stale_site(pages, out) == []
    (out / "old.html").write_text("gone")
    (out / "style.css").write_text("changed")
    assert build.stale_site(pages, out) == [out / "old.html", out / "style.css"]


def test_a_fresh_package_is_validated_unless_it_equals_a_valid_twin_byte_for_byte(
        tmp_path, monkeypatch):
    """`datapkg validate` in a checkout validates the published package, then rebuilds it:
    the rebuild's own validation is left out only where its files equal the published
    ones, byte for byte; one changed cell and it is validated, and refused."""
    tables, seeds, _ = build.assemble_with_origins(paths.ROOT / "scripts", paths.ROOT / "seeds")
    checked = []
    with monkeypatch.context() as patch:
        patch.setattr(build, "validate_package", lambda d: checked.append(d) or [])
        build.fill(tmp_path / "same", tables, seeds, valid_twin=paths.DATA)
        assert checked == []  # equal to the valid twin: its validation stands
        build.fill(tmp_path / "alone", tables, seeds)
        assert checked == [tmp_path / "alone"]
    changed, _, _ = first_actor_with("kind", "empire")(paths.ROOT / "scripts",
                                                        paths.ROOT / "seeds")
    with pytest.raises(InvalidPackage) as err:
        build.fill(tmp_path / "changed", changed, seeds, valid_twin=paths.DATA)
    assert [f.value for f in err.value.failures if f.column == "kind"] == ["'empire'"]
