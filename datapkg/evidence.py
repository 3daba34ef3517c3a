"""Evidence: find a curated quote in the seed text and return its code point span."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from datapkg.errors import EvidenceError


@dataclass(frozen=True)
class Quote:
    """The article's words, verbatim.

    The words are matched as they are, even inside longer words (``Every`` matches whole
    words only). Where they occur more than once, ``inside`` gives longer words of the
    article that hold them exactly once, and ``occurrence`` (1-based) picks one match, of
    the words themselves or, with ``inside``, of those longer words.
    """

    words: str
    occurrence: int | None = None
    inside: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.words, str) or not isinstance(self.inside, str | None):
            raise EvidenceError(f"quote {self.words!r}: its words (and inside) are text")
        if not self.words:
            raise EvidenceError("a quote must not be empty")
        if self.occurrence is not None and (not isinstance(self.occurrence, int)
                                            or self.occurrence < 1):
            raise EvidenceError(f"quote {self.words!r}: occurrence counts from 1")


@dataclass(frozen=True)
class Every:
    """Every whole-word occurrence of ``words``; ``count`` is how many the curator expects."""

    words: str
    count: int


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``words`` in ``text``."""
    starts, i = [], text.find(words)
    while i != -1:
        starts.append(i)
        i = text.find(words, i + 1)
    return starts


def whole_word_occurrences(text: str, words: str) -> list[int]:
    pattern = r"(?<!\w)" + re.escape(words) + r"(?!\w)"
    return [m.start() for m in re.finditer(pattern, text)]


def nearest_match(text: str, words: str) -> str:
    """The passage of ``text`` most like ``words``, to show beside a missing quote."""
    width = len(words)
    best, best_ratio = "", -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words)
    for m in re.finditer(r"(?<!\w)\w|[“\"‘'(]", text):
        window = text[m.start(): m.start() + width]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best


def first_difference(words: str, found: str) -> str:
    """Where a near-miss quote first differs from the article's words."""
    i = next((i for i, (a, b) in enumerate(zip(words, found)) if a != b),
             min(len(words), len(found)))
    if i == len(words) == len(found):
        return "identical"
    return (f"first difference at character {i}: the quote has {words[i:i + 1]!r} "
            f"(U+{ord(words[i]):04X})" if i < len(words) else
            f"first difference at character {i}: the quote ends there") + (
            f", the article {found[i:i + 1]!r} (U+{ord(found[i]):04X})" if i < len(found)
            else ", the article's match ends there")


def context(text: str, start: int, length: int, width: int = 25) -> str:
    """The words around one occurrence, the occurrence in brackets."""
    before = text[max(0, start - width):start].replace("\n", " ")
    after = text[start + length:start + length + width].replace("\n", " ")
    return f"…{before}[{text[start:start + length]}]{after}…"


def resolve(text: str, quote: Quote) -> tuple[int, int]:
    """The (start, end) of ``quote`` in ``text``: 0-based code points, end excluded."""
    if quote.inside is not None:
        outer, _ = resolve(text, Quote(quote.inside, quote.occurrence))
        inner = occurrences(quote.inside, quote.words)
        if len(inner) != 1:
            raise EvidenceError(
                f"quote {quote.words!r} occurs {len(inner)} times inside "
                f"{quote.inside!r}; it must occur exactly once there"
            )
        return outer + inner[0], outer + inner[0] + len(quote.words)
    starts = occurrences(text, quote.words)
    if not starts:
        nearest = nearest_match(text, quote.words)
        raise EvidenceError(
            f"quote not found in the article: {quote.words!r}\n"
            f"  nearest match: {nearest!r}\n"
            f"  {first_difference(quote.words, nearest)}\n"
            "  copy the words exactly from the seed (curly quotes, non-breaking spaces, typos)"
        )
    if quote.occurrence is None and len(starts) > 1:
        contexts = "\n".join(f"  {i}. at {start}: {context(text, start, len(quote.words))}"
                             for i, start in enumerate(starts, 1))
        raise EvidenceError(
            f"quote is ambiguous: {quote.words!r} occurs {len(starts)} times:\n{contexts}\n"
            f"  quote longer words that hold it once, Q({quote.words!r}, inside='…'), "
            f"or pick one with occurrence=1..{len(starts)}"
        )
    index = (quote.occurrence or 1) - 1
    if index >= len(starts):
        raise EvidenceError(
            f"quote {quote.words!r}: occurrence {quote.occurrence} asked for, "
            f"but it occurs {len(starts)} time(s)"
        )
    return starts[index], starts[index] + len(quote.words)


def resolve_every(text: str, every: Every) -> list[tuple[int, int]]:
    starts = whole_word_occurrences(text, every.words)
    if len(starts) != every.count:
        raise EvidenceError(
            f"{every.words!r} occurs {len(starts)} time(s) as a whole word, "
            f"but the curation expects {every.count}; check each and update the count"
        )
    return [(s, s + len(every.words)) for s in starts]
