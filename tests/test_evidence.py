import pytest

from datapkg.errors import EvidenceError
from datapkg.evidence import Every, Quote, resolve, resolve_every

TEXT = "Wang said “the region\xa0is calm.” Wang left; the region waits. Xinhua"


def test_found_gives_code_point_offsets_end_excluded():
    start, end = resolve(TEXT, Quote("is calm.”"))
    assert TEXT[start:end] == "is calm.”"
    # The curly quote before counts as one code point, not three UTF-8 bytes.
    assert start == TEXT.index("is calm")


def test_missing_quote_shows_the_quote_and_the_nearest_match():
    with pytest.raises(EvidenceError) as err:
        resolve(TEXT, Quote('the region is calm."'))
    message = str(err.value)
    assert "quote not found" in message
    assert "'the region is calm.\"'" in message
    assert "nearest match: '“the region\\xa0is calm.'" in message


def test_ambiguous_quote_without_disambiguation_is_refused():
    with pytest.raises(EvidenceError, match=r"ambiguous: 'Wang' occurs 2 times") as err:
        resolve(TEXT, Quote("Wang"))
    message = str(err.value)
    for start in (0, 32):  # each occurrence with the words around it, and the idioms
        assert f"at {start}: …{TEXT[max(0, start - 25):start]}[Wang]" in message.replace("\n  ", "\n")
    assert "inside=" in message and "occurrence=1..2" in message


def test_a_near_miss_names_where_it_differs():
    with pytest.raises(EvidenceError) as err:
        resolve(TEXT, Quote("Wanng"))
    assert "first difference at character 3: the quote has 'n' (U+006E), the article 'g'" \
        in str(err.value)


def test_occurrence_and_inside_pick_one_match():
    assert resolve(TEXT, Quote("Wang", occurrence=2)) == (32, 36)
    start, end = resolve(TEXT, Quote("region", inside="the region waits"))
    assert (start, end) == (TEXT.index("region waits"), TEXT.index("region waits") + 6)
    with pytest.raises(EvidenceError, match="occurrence 3 asked for"):
        resolve(TEXT, Quote("Wang", occurrence=3))
    with pytest.raises(EvidenceError, match="exactly once"):
        resolve(TEXT, Quote("e", inside="the region waits"))


def test_non_breaking_space_is_not_a_space():
    with pytest.raises(EvidenceError):
        resolve(TEXT, Quote("region is calm"))
    start, end = resolve(TEXT, Quote("region\xa0is"))
    assert TEXT[start:end] == "region\xa0is"


def test_every_checks_the_curators_count_and_whole_words():
    assert resolve_every(TEXT, Every("Wang", 2)) == [(0, 4), (32, 36)]
    with pytest.raises(EvidenceError, match="occurs 2 time"):
        resolve_every(TEXT, Every("Wang", 3))
    assert resolve_every(TEXT, Every("region", 2))  # not inside other words
    assert resolve_every("regional region", Every("region", 1)) == [(9, 15)]


def test_empty_quote_is_refused():
    with pytest.raises(EvidenceError):
        Quote("")
