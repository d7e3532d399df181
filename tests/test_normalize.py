"""Normalization: each step, the whole chain on the seeds, and its invariants."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.corpus.normalize import (
    Chars,
    collapse_spaces,
    compress_offsets,
    decode,
    drop_zero_width,
    expand_offsets,
    match_boilerplate,
    normalize,
    normalize_text,
    plain_spaces,
    to_nfc,
    unify_line_ends,
)
from belnews.errors import NormalizationError
from conftest import CORPUS, RECORD_IDS


def chars(text: str) -> Chars:
    return Chars.from_raw(text)


class TestSteps:
    def test_crlf_becomes_lf_and_maps_to_both_raw_characters(self):
        out = unify_line_ends(chars("a\r\nb\rc"))
        assert out.text == "a\nb\nc"
        assert out.raw_start == (0, 1, 3, 4, 5)
        assert out.raw_end == (1, 3, 4, 5, 6)

    def test_nfc_composes_and_maps_to_the_whole_raw_cluster(self):
        out = to_nfc(chars("Be\u0301la"))
        assert out.text == "Béla"
        assert (out.raw_start, out.raw_end) == ((0, 1, 3, 4), (1, 3, 4, 5))

    def test_odd_spaces_become_plain_spaces_one_for_one(self):
        out = plain_spaces(chars("a\u00a0b\u2009c\td"))
        assert out.text == "a b c d"
        assert out.raw_start == (0, 1, 2, 3, 4, 5, 6)

    def test_zero_width_characters_and_bom_are_dropped(self):
        out = drop_zero_width(chars("\ufeffab\u200bc"))
        assert out.text == "abc"
        assert out.raw_start == (1, 2, 4)

    def test_spaces_are_trimmed_per_line_and_runs_fold_to_the_first(self):
        out = collapse_spaces(chars("  a  b \n c"))
        assert out.text == "a b\nc"
        assert out.raw_start == (2, 3, 5, 7, 9)

    def test_invalid_utf8_is_a_clear_error(self):
        with pytest.raises(NormalizationError, match="not valid UTF-8 at byte 1"):
            decode(b"a\xffb")

    @pytest.mark.parametrize(
        ("line", "rule", "extracted"),
        [
            ("Read: Thousands Protest In Belarus", "related-article", {}),
            ("Also Read: UK Plans For 2nd COVID Lockdown", "related-article", {}),
            (
                "Visit Business Insider's homepage for more stories.",
                "homepage-promo",
                {"publisher": "Business Insider"},
            ),
            ("Source: Read Full Article", "source-footer", {}),
            ("(Image Credits: AP)", "image-credit", {"image_credit": "AP"}),
        ],
    )
    def test_boilerplate_rules_match_whole_lines(self, line, rule, extracted):
        assert match_boilerplate(line) == (rule, extracted)

    @pytest.mark.parametrize(
        "line",
        [
            "Read the statement below.",
            "They said: Read: this is quoted",
            "According to the reports by PTI, demonstrators carried banners that read, “The",
        ],
    )
    def test_body_lines_are_not_boilerplate(self, line):
        assert match_boilerplate(line) is None


class TestWholeArticle:
    def test_sections_bullets_dek_and_subheading(self):
        raw = (
            "Dek line without a stop\n\n  • First point.\n  • Second point.\n"
            "  • Visit Example's homepage for more stories.\n\nA paragraph.\n\n"
            "A subheading\n\nRead: Something else\n\nLast paragraph.\u00a0\n\n"
            "(Image Credits: AP)"
        )
        norm = normalize_text(raw)
        assert norm.text == (
            "Dek line without a stop\n\nFirst point.\nSecond point.\n\n"
            "A paragraph.\n\nA subheading\n\nLast paragraph."
        )
        assert [(s.type, norm.text[s.start : s.end]) for s in norm.sections] == [
            ("dek", "Dek line without a stop"),
            ("summary_item", "First point."),
            ("summary_item", "Second point."),
            ("paragraph", "A paragraph."),
            ("subheading", "A subheading"),
            ("paragraph", "Last paragraph."),
        ]
        assert [(r.rule, r.text) for r in norm.removed] == [
            ("bullet-marker", "• "),
            ("bullet-marker", "• "),
            ("homepage-promo", "• Visit Example's homepage for more stories."),
            ("related-article", "Read: Something else"),
            ("image-credit", "(Image Credits: AP)"),
        ]
        assert norm.extracted == {"publisher": "Example", "image_credit": "AP"}
        for r in norm.removed:
            assert raw[r.raw_start : r.raw_end] == r.text

    @pytest.mark.parametrize("record_id", RECORD_IDS)
    def test_seed_text_has_no_boilerplate_and_keeps_quote_characters(self, record_id):
        raw = (CORPUS / "raw" / f"{record_id}.txt").read_bytes()
        norm = normalize(raw)
        for banned in ("Read:", "homepage", "Read Full Article", "Image Credits", "\u00a0", "•"):
            assert banned not in norm.text
        decoded = raw.decode("utf-8")
        for mark in '“”"…':
            kept = norm.text.count(mark)
            removed = sum(r.text.count(mark) for r in norm.removed)
            assert kept + removed == decoded.count(mark)

    def test_seed_removals_are_exactly_the_boilerplate(self):
        raw = (CORPUS / "raw" / "000_b610fad01348a5b2.txt").read_bytes()
        rules = [r.rule for r in normalize(raw).removed]
        assert rules == ["related-article"] * 4 + ["image-credit"]
        raw = (CORPUS / "raw" / "002_a7d1dc08e0c5cbcf.txt").read_bytes()
        rules = [r.rule for r in normalize(raw).removed]
        assert rules == ["bullet-marker"] * 5 + ["homepage-promo", "source-footer"]


# --- properties ---------------------------------------------------------------------------

_PIECES = ["\n", "\r\n", "\r", "\u00a0", "\u2009", "\t", "• ", "Read: x", "e\u0301", "\u200b", "é"]
_ALPHABET = st.sampled_from([*"abc XYZ.,!?\"“”‘’'…-😀", *_PIECES])
raw_texts = st.lists(_ALPHABET, max_size=60).map("".join)


def _compatible(text_char: str, raw_piece: str) -> bool:
    """A normalized character may differ from its raw source only in documented ways."""
    if text_char == raw_piece:
        return True
    if text_char == "\n":
        return raw_piece in ("\r\n", "\r", "\n")
    if text_char == " ":
        return raw_piece in ("\t",) or unicodedata.category(raw_piece) == "Zs"
    return unicodedata.normalize("NFC", raw_piece).startswith(
        text_char
    ) or text_char in unicodedata.normalize("NFC", raw_piece)


@settings(max_examples=300, deadline=None)
@given(raw_texts)
def test_normalizing_twice_changes_nothing(raw):
    once = normalize_text(raw)
    twice = normalize_text(once.text)
    assert twice.text == once.text
    assert [r.rule for r in twice.removed if r.rule != "bullet-marker"] == []


@settings(max_examples=300, deadline=None)
@given(raw_texts)
def test_every_normalized_character_maps_back_into_the_raw_text(raw):
    norm = normalize_text(raw)
    assert len(norm.raw_start) == len(norm.raw_end) == len(norm.text)
    previous = 0
    for i, ch in enumerate(norm.text):
        s, e = norm.raw_start[i], norm.raw_end[i]
        assert 0 <= s < e <= len(raw)
        assert s >= previous  # the map never goes backwards
        previous = s
        assert _compatible(ch, raw[s:e]), (ch, raw[s:e])


@settings(max_examples=300, deadline=None)
@given(raw_texts)
def test_offset_map_round_trips_through_its_compressed_form(raw):
    norm = normalize_text(raw)
    blocks = norm.offset_map()
    assert expand_offsets(blocks) == (norm.raw_start, norm.raw_end)
    text_pos = raw_pos = 0
    for t0, t1, r0, r1 in blocks:  # contiguous on the text side, disjoint and rising on raw
        assert t0 == text_pos and t1 > t0 and r0 >= raw_pos and r1 > r0
        text_pos, raw_pos = t1, r1
    assert text_pos == len(norm.text)


@settings(max_examples=200, deadline=None)
@given(raw_texts)
def test_output_is_nfc_with_lf_and_no_odd_spaces(raw):
    text = normalize_text(raw).text
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\u00a0" not in text and "\t" not in text
    assert "\n\n\n" not in text
    assert all(line == line.strip(" ") for line in text.split("\n"))


def test_compress_offsets_keeps_irregular_blocks_whole():
    # two separator LFs standing on one raw LF form a single 2:1 block
    assert compress_offsets((0, 1, 2, 2, 5), (1, 2, 3, 3, 6)) == [
        [0, 2, 0, 2],
        [2, 4, 2, 3],
        [4, 5, 5, 6],
    ]


def test_raw_span_maps_an_annotation_back_to_the_raw_file():
    raw = (CORPUS / "raw" / "002_a7d1dc08e0c5cbcf.txt").read_bytes()
    norm = normalize(raw)
    start = norm.text.index("Access to the internet")
    end = norm.text.index("since Monday.") + len("since Monday.")
    rs, re_ = norm.raw_span(start, end)
    assert raw.decode("utf-8")[rs:re_] == norm.text[start:end]
    with pytest.raises(ValueError, match="is not inside a text"):
        norm.raw_span(5, 5)
