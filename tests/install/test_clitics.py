"""The default tokenizer splits English clitics and possessives as the Penn Treebank and
spaCy do, the column-wise token count agrees with it, and every gold mention of the corpus
lines up with its tokens (issue 12)."""

from __future__ import annotations

import itertools

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.corpus.tokens import TOKEN_PATTERN, simple_tokenize
from belnews.release.stats import count_tokens
from belnews.use.training import bio_tags


def tokens(text: str) -> list[str]:
    return [text[s:e] for s, e in simple_tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UN Human Rights Council's review", ["UN", "Human", "Rights", "Council", "'s", "review"]),
        ("the Council’s review", ["the", "Council", "’s", "review"]),
        ("don't", ["do", "n't"]),
        ("DON’T", ["DO", "N’T"]),
        ("can't won't", ["ca", "n't", "wo", "n't"]),
        ("they're we've you'll I'd I'm", ["they", "'re", "we", "'ve", "you", "'ll", "I", "'d",
                                          "I", "'m"]),
        ("I'd've", ["I'd", "'ve"]),  # only the last clitic of a word
        ("O'Brien's", ["O'Brien", "'s"]),
        ("1990's", ["1990", "'s"]),
        # kept whole: a name, a chain, a clitic not at the word's end, and no run before n
        ("O'Brien rock'n'roll Council's-style a'n't", ["O'Brien", "rock'n'roll",
                                                       "Council's-style", "a'n't"]),
        ("Belarus' record", ["Belarus", "'", "record"]),  # a plural possessive: a mark
        ("'sure' 's", ["'", "sure", "'", "'", "s"]),  # no word before: no clitic
        ("n't", ["n't"]),
        ("Council\u017f", ["Council\u017f"]),  # ſ is not s (no case folding)
    ],
)
def test_clitics_and_possessives_are_split(text, expected):
    assert tokens(text) == expected


CLITIC_TEXT = st.lists(
    st.sampled_from(["a", "n", "N", "s", "S", "re", "VE", "ll", "d", "m", "t", "T", "x9",
                     "'", "’", "-", " ", ".", "é", "'s", "n't", "’ll"]),
    max_size=14,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), CLITIC_TEXT), max_size=5))
def test_count_tokens_equals_the_tokenizer_on_clitics(texts):
    expected = sum(len(TOKEN_PATTERN.findall(t)) for t in texts if t is not None)
    assert count_tokens(pa.array(texts, pa.string())) == expected


@settings(max_examples=200, deadline=None)
@given(CLITIC_TEXT)
def test_tokens_are_in_order_and_cover_every_non_space(text):
    spans = simple_tokenize(text)
    assert all(s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}


def test_every_gold_mention_aligns_with_the_default_tokenizer(records):
    for record in records.values():
        tagged = bio_tags(record)
        assert tagged.misaligned == [], record["id"]
        names = [m for m in record["entities"] if m["mention_type"] == "name"]
        assert sum(t.startswith("B-") for t in tagged.tags) == len(names)
    council = records["000_b610fad01348a5b2"]
    tagged = bio_tags(council)
    words = tokens(council["text"])
    at = words.index("Council")
    assert words[at - 3 : at + 2] == ["UN", "Human", "Rights", "Council", "'s"]
    assert tagged.tags[at - 3 : at + 2] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
