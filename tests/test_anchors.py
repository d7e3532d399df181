"""Human-written anchors resolve to exactly one span, or fail with a useful message."""

from __future__ import annotations

import pytest

from belnews.corpus.anchors import occurrences, resolve, span
from belnews.errors import AnchorError

TEXT = "Lukashenko met Alexander Lukashenko's aide; Belarusian ... Belarus"


def test_unique_words_resolve_without_an_index():
    assert resolve(TEXT, "aide") == (38, 42)


def test_nth_occurrence_counts_from_one():
    assert resolve(TEXT, ["Lukashenko", 2]) == (25, 35)
    assert span(TEXT, ["Lukashenko", 1]) == {"start": 0, "end": 10, "text": "Lukashenko"}


def test_only_whole_words_count_and_overlaps_do():
    assert occurrences(TEXT, "Belarus") == [59]
    assert occurrences(TEXT, "..") == [55, 56]
    assert occurrences("Belarus' x", "Belarus") == [0]


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ("Lukashenko", "occurs 2 times \\(at \\[0, 25\\]\\); write \\['Lukashenko', n\\]"),
        ("Minsk", "'Minsk' does not occur in the text"),
        (["aide", 2], "occurrence 2 does not exist"),
        (["aide", True], "an anchor is a non-empty string"),
        ("", "an anchor is a non-empty string"),
        (5, "an anchor is a non-empty string"),
    ],
)
def test_bad_anchors_fail_with_a_message(anchor, message):
    with pytest.raises(AnchorError, match=message):
        resolve(TEXT, anchor)
