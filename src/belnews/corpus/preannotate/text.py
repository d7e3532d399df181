"""Text helpers shared by the suggestion rules: sentences, words, and spans as anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from belnews.corpus import anchors
from belnews.corpus.normalize import Section
from belnews.errors import AnchorError

#: Abbreviations whose period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "a.m",
        "p.m",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "sen",
        "rep",
        "u.s",
        "u.k",
        "u.n",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "jr",
        "sr",
        "prof",
    ]
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“'‘(\[]?[A-Z0-9])")
WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")


@dataclass(frozen=True)
class Sentence:
    """A sentence ``[start, end)`` inside one section."""

    start: int
    end: int
    section: int


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period at ``end - 1`` closes an abbreviation ("a.m.", "Mr.")."""
    j = end - 1
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j : end - 1].lower().strip('("“')
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str, sections: tuple[Section, ...]) -> list[Sentence]:
    """Split each section at sentence-final punctuation followed by a capital or a digit."""
    out: list[Sentence] = []
    for k, sec in enumerate(sections):
        start = sec.start
        chunk = text[sec.start : sec.end]
        for m in _SENTENCE_END.finditer(chunk):
            end = sec.start + m.end()
            if text[sec.start + m.start()] == "." and _is_abbreviation(
                text, sec.start + m.start() + 1
            ):
                continue
            out.append(Sentence(start, end, k))
            start = end
            while start < sec.end and text[start].isspace():
                start += 1
        if start < sec.end:
            out.append(Sentence(start, sec.end, k))
    return out


def words(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Word spans (letters/digits with inner punctuation) inside ``[start, end)``."""
    for m in WORD.finditer(text, start, end):
        yield m.start(), m.end()


def trim(text: str, start: int, end: int, strip: str = " ,;:") -> tuple[int, int]:
    """Shrink a span past leading/trailing whitespace and the given punctuation."""
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def anchor(text: str, start: int, end: int) -> str | list[str | int] | None:
    """The annotation-file anchor for a span (its words, plus the occurrence when repeated).

    Returns None for a span that no anchor can name (one that starts or ends inside a word):
    such a suggestion is dropped rather than written wrong.
    """
    words_ = text[start:end]
    if not words_ or words_ != words_.strip():
        return None
    starts = anchors.occurrences(text, words_)
    if start not in starts:
        return None
    value: str | list[str | int] = words_ if len(starts) == 1 else [words_, starts.index(start) + 1]
    try:
        if anchors.resolve(text, value) != (start, end):  # pragma: no cover - guard
            return None
    except AnchorError:  # pragma: no cover - guard
        return None
    return value
