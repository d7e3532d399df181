"""Corpus statistics: the column-by-column counts equal the record-by-record ones."""

from __future__ import annotations

import json

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.check.screen import read_json_lines
from belnews.corpus.tokens import TOKEN_PATTERN
from belnews.release.stats import Stats, count_tokens
from test_columnar import VALID_RECORDS, _synthetic

#: Characters the tokenizer treats differently: word, space, joiners, other, non-ASCII of
#: each class (letters, digits of other scripts, No/Nl numbers, Unicode spaces, marks), and
#: the letters of the clitics it splits off (s, re, ve, ll, d, m, n't; ſ folds to s).
ALPHABET = "aZ9_ -'’—.,\"\t\n\x0b\x1c\u00a0\u2028\u3000é\u0301ß½²Ⅻ٣一😀ŭsSrReEvVlLdDmMnNtTſ"


def test_stats_from_a_table_equal_stats_from_records():
    records = VALID_RECORDS + _synthetic(20)
    table = read_json_lines([json.dumps(r, ensure_ascii=False).encode() for r in records])
    by_table, by_record = Stats(), Stats()
    by_table.add_table(table)
    for record in records:
        by_record.add(record)
    assert by_table.result() == by_record.result()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=30)), max_size=6))
def test_count_tokens_equals_the_tokenizer(texts):
    expected = sum(len(TOKEN_PATTERN.findall(t)) for t in texts if t is not None)
    assert count_tokens(pa.array(texts, pa.string())) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=5))
def test_count_tokens_on_any_unicode(texts):
    assert count_tokens(pa.array(texts, pa.string())) == sum(
        len(TOKEN_PATTERN.findall(t)) for t in texts
    )
