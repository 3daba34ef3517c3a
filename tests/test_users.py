"""What a data user meets: the API beside load(), the check of every file against its
descriptor, and the message of each mistake a user makes."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import datapkg
from datapkg.cli import main
from datapkg.errors import LoadError
from datapkg.metadata import NAME
from datapkg.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent


# --- the API beside load() --------------------------------------------------------------

def test_tables_lists_every_table_with_its_registry_title():
    assert datapkg.tables() == {name: t.title for name, t in TABLES.items()}


def test_describe_gives_the_registry_description_of_every_column():
    for name, table in TABLES.items():
        described = datapkg.describe(name)
        assert described["column"].tolist() == table.columns
        assert described["description"].tolist() == [f.description for f in table.fields]
        assert described["required"].tolist() == [f.required for f in table.fields]


def test_loaded_frames_carry_title_and_column_descriptions_in_attrs():
    for name, frame in datapkg.load().items():
        table = TABLES[name]
        assert frame.attrs["title"] == table.title
        assert frame.attrs["columns"] == {f.name: f.description for f in table.fields}


def test_article_is_the_seed_every_span_indexes_into():
    sentences = datapkg.load_table("sentences")
    assert sentences.shape[0]
    for source_id, rows in sentences.groupby("source_id"):
        text = datapkg.article(source_id)
        assert all(text[s:e] == t for s, e, t in
                   rows[["span_start", "span_end", "text"]].itertuples(index=False))


def test_cite_and_codebook_and_data_dir():
    assert (datapkg.data_dir() / "datapackage.json").is_file()
    assert datapkg.cite("bibtex").startswith("@misc{")
    assert datapkg.cite("biblatex").startswith("@dataset{")
    assert json.loads(datapkg.cite("csl-json"))[0]["type"] == "dataset"
    codebook = datapkg.codebook_path().read_text()
    assert all(f"`{name}`" in codebook for name in TABLES)
    with pytest.raises(ValueError, match="valid formats: plain, bibtex, biblatex, csl-json"):
        datapkg.cite("apa")


# --- trust on load ----------------------------------------------------------------------

def expected_hash(package: Path, file: str) -> str:
    resources = json.loads((package / "datapackage.json").read_text())["resources"]
    return next(r["hash"] for r in resources if r["path"] == file)


def test_a_truncated_csv_row_is_refused_before_parsing(package):
    csv = package / "actors.csv"
    csv.write_bytes(csv.read_bytes()[:-20])
    with pytest.raises(LoadError) as caught:
        datapkg.load(format="csv", path=package)
    message = str(caught.value)
    assert "\n" not in message and str(csv) in message
    assert "the descriptor states" in message and "verify=False" in message


def test_a_changed_value_of_the_same_size_is_refused_naming_the_expected_hash(package):
    parquet = package / "events.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 1
    parquet.write_bytes(bytes(data))
    with pytest.raises(LoadError, match=f"events.parquet: .*{expected_hash(package, 'events.parquet')}"):
        datapkg.load_table("events", path=package)


def test_verify_false_loads_a_file_changed_on_purpose(package):
    csv = package / "sources.csv"
    original = datapkg.load_table("sources", format="csv", path=package)
    text = csv.read_text()
    csv.write_text(text + text.split("\n")[1] + "\n")  # a row repeated, on purpose
    with pytest.raises(LoadError):
        datapkg.load_table("sources", format="csv", path=package)
    edited = datapkg.load_table("sources", format="csv", path=package, verify=False)
    assert len(edited) == len(original) + 1


def test_a_file_the_descriptor_does_not_hash_is_not_loaded_unchecked(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    for r in descriptor["resources"]:
        if r["path"] == "actors.parquet":
            del r["hash"]
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(LoadError, match="states no sha256 for actors.parquet.*verify=False"):
        datapkg.load_table("actors", path=package)


# --- each mistake, its message ------------------------------------------------------------

def test_a_table_name_given_as_the_format_points_to_load_table():
    name = next(iter(TABLES))
    with pytest.raises(ValueError, match=rf"to load the table '{name}': "
                                         rf"datapkg.load_table\('{name}'\)"):
        datapkg.load(name)


def test_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(LoadError, match=f"{tmp_path / 'none'}: no such folder; give the folder "
                                        "that holds a package's datapackage.json"):
        datapkg.load(path=tmp_path / "none")


def test_a_folder_without_a_descriptor(tmp_path):
    with pytest.raises(LoadError, match=f"no datapackage.json in {tmp_path}; give the folder"):
        datapkg.load(path=tmp_path)


def test_a_file_instead_of_a_folder(package):
    with pytest.raises(LoadError, match="actors.csv: a file, not a package folder"):
        datapkg.load(path=package / "actors.csv")


def test_the_descriptor_path_names_its_folder(package):
    via_descriptor = datapkg.load_table("actors", path=package / "datapackage.json")
    pd.testing.assert_frame_equal(via_descriptor, datapkg.load_table("actors", path=package))


def run_cli(args, capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_names_the_package_it_checked(package, capsys):
    code, out, _ = run_cli(["validate", "--path", str(package / "datapackage.json")], capsys)
    assert code == 0 and out.splitlines() == ["valid: 0 failures", f"package: {package}"]


def test_validate_of_a_missing_folder_is_one_line(tmp_path, capsys):
    code, out, err = run_cli(["validate", "--path", str(tmp_path / "none")], capsys)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"datapkg validate: {tmp_path / 'none'}: no such folder; give the "
                                f"folder that holds a package's datapackage.json (the published "
                                f"one is {datapkg.data_dir()})"]


def test_a_command_without_the_validate_extra_says_how_to_install_it(capsys, monkeypatch):
    class NoPandera:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "pandera":
                raise ModuleNotFoundError(f"No module named {name!r}", name="pandera")

    for module in [m for m in sys.modules if m.split(".")[0] == "pandera"]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(sys, "meta_path", [NoPandera(), *sys.meta_path])
    code, _, err = run_cli(["validate", "--no-curation"], capsys)
    assert code == 1
    assert err == (f"datapkg validate: needs pandera, which is not installed; install it with: "
                   f"pip install '{NAME}[validate]'\n")


# --- every reading command works from the plain install --------------------------------------

# The child process as the plain install has it: pandera cannot be imported.
WITHOUT_PANDERA = ("import sys; sys.modules['pandera'] = None; from datapkg.cli import main; "
                   "sys.exit(main(sys.argv[1:]))")


def without_pandera(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_PANDERA, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


READING = {
    "cite": ["cite"],
    "info": ["info"],
    "coverage": ["coverage"],
    "export": ["export", "--format", "brat", "--out", "{tmp}/brat"],
    "score": ["score", "{tmp}/predictions"],
    "render": ["render", "--out", "{tmp}/site"],
}


@pytest.mark.parametrize("command", READING)
def test_a_reading_command_works_without_pandera_and_says_it_checked_the_hashes(
        command, package, tmp_path):
    from datapkg.cli import HASHES_ONLY

    datapkg.export("brat", tmp_path / "predictions", path=package)  # the gold as a system's
    args = [a.format(tmp=tmp_path) for a in READING[command]] + ["--path", str(package)]
    result = without_pandera(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == HASHES_ONLY + "\n" and result.stdout.strip()
    assert "validate extra" in result.stderr and "hashes" in result.stderr


@pytest.mark.parametrize("damaged", ["events.parquet", "actors.csv", "seed"])
def test_without_pandera_a_damaged_file_is_still_refused(damaged, package, tmp_path):
    """Any file the descriptor hashes, not only the tables a command reads."""
    descriptor = json.loads((package / "datapackage.json").read_text())
    if damaged == "seed":
        damaged = next(r["path"] for r in descriptor["resources"] if r["type"] == "file")
    path = package / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    result = without_pandera("cite", "--path", str(package), cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("datapkg cite: ") and str(path) in line
    assert expected_hash(package, damaged) in line


# --- a file edited with pandas and written back ---------------------------------------------

@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_file_edited_with_pandas_is_reported_by_its_changed_cell_first(fmt, package, capsys):
    from damage import edit_with_pandas

    name = "actors"
    table = TABLES[name]
    column = next(f.name for f in table.fields if f.type == "string" and f.required
                  and f.name not in table.primary_key)
    row = edit_with_pandas(package, name, fmt, column, "Edited by hand")
    code, _, out = run_cli(["validate", "--path", str(package), "--no-curation"], capsys)
    assert code == 1
    first, fix, *rest = out.splitlines()
    assert first.startswith(f"[formats:edited-cell] {package / f'{name}.{fmt}'} | {name} | "
                            f"{table.key_text(row)} | {column} | value 'Edited by hand' "
                            f"(was {row[column]!r})")
    twin = "csv" if fmt == "parquet" else "parquet"
    assert f"the unchanged {name}.{twin} holds {row[column]!r}" in first
    # a fix that works outside a checkout, on every line that gives one
    assert fix.strip().startswith("fix: copy the file again")
    assert "datapkg build" not in out
    if fmt == "parquet":  # the type differences pandas wrote come after the cell
        assert any("[files:parquet-type]" in line for line in rest)


def test_the_fix_for_the_installed_copy_is_a_reinstall_of_this_version():
    from datapkg.paths import SHIPPED_DATA
    from datapkg.validate import restore_hint

    assert restore_hint(SHIPPED_DATA).startswith(
        f"restore the installed files: pip install --force-reinstall --no-deps "
        f"'{NAME}=={datapkg.__version__}' (or the wheel file it was installed from)")
