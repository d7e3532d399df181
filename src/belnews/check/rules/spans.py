"""Span rules: offsets inside the text, the repeated text equal to the slice, no whitespace or
grapheme split at an edge.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from belnews.check.columns import (
    _Batch,
    _decode_at,
    _flag,
    _joins_next,
    _joins_previous,
    _slices_equal,
    _string_bytes,
    _whitespace,
)
from belnews.check.rules.base import Record, _issue, check, iter_spans
from belnews.errors import Issue


@check(
    ("span-out-of-bounds", "a span's offsets are not 0 <= start < end <= len(text)"),
    ("span-text-mismatch", "a span's `text` is not text[start:end]"),
    ("span-whitespace-edge", "a span starts or ends with whitespace"),
    ("span-splits-grapheme", "a span starts or ends inside a grapheme cluster (UAX #29: a letter "
     "and its marks, an emoji sequence, CR LF, a Hangul syllable, a flag)"),
)
def check_span_offsets(record: Record) -> Iterator[Issue]:
    text = record["text"]
    n = len(text)
    bounds: set[int] | None = None  # computed once, only when a span is otherwise sound
    for _layer, where, sp in iter_spans(record):
        start, end = sp["start"], sp["end"]
        path = where
        if not 0 <= start < end <= n:
            yield _issue(
                record,
                "span-out-of-bounds",
                path,
                f"offsets [{start}, {end}) are not inside the text (length {n})",
                expected=f"0 <= start < end <= {n}",
                found=[start, end],
            )
            continue
        actual = text[start:end]
        if sp["text"] != actual:
            yield _issue(
                record,
                "span-text-mismatch",
                path,
                f"span text {sp['text']!r} differs from text[{start}:{end}] {actual!r}",
                expected=actual,
                found=sp["text"],
            )
        if actual != actual.strip():
            yield _issue(
                record,
                "span-whitespace-edge",
                path,
                f"span {actual!r} starts or ends with whitespace",
                expected="no whitespace at either edge",
                found=actual,
            )
        if bounds is None:
            bounds = cluster_bounds(text)
        if start not in bounds or end not in bounds:
            yield _issue(
                record,
                "span-splits-grapheme",
                path,
                f"span [{start}, {end}) cuts a user-perceived character (grapheme cluster) "
                "in two",
                expected="span edges on grapheme-cluster boundaries (Unicode UAX #29)",
                found=[start, end],
            )


def cluster_bounds(text: str) -> set[int]:
    """Every grapheme-cluster boundary of a text (UAX #29 extended clusters, by ``regex``)."""
    import regex

    return {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}


def screen_spans(b: _Batch) -> np.ndarray:
    """span-out-of-bounds, span-text-mismatch, span-whitespace-edge, span-splits-grapheme,
    span-crosses-section."""
    t = b.text
    row, start, end, texts = b.spans.arrays()
    inside = (start >= 0) & (start < end) & (end <= t.cp_len[row])
    bad = ~inside
    row_i, start_i, end_i = row[inside], start[inside], end[inside]
    b0, b1 = t.byte(row_i, start_i), t.byte(row_i, end_i)
    sbuf, soff = _string_bytes(texts)
    s0 = soff[:-1][inside]
    length = soff[1:][inside] - s0
    same = length == b1 - b0
    same[same] = _slices_equal(t.buf, b0[same], sbuf, s0[same], length[same])
    first = _decode_at(t.buf, b0)
    last = _decode_at(t.buf, t.char_before(b1))
    ws = _whitespace()
    edge = np.isin(first, ws) | np.isin(last, ws)
    at_end = end_i >= t.cp_len[row_i]
    after = _decode_at(t.buf, np.where(at_end, b0, b1))  # b0: a placeholder, masked below
    at_start = start_i == 0
    # b0 + 1 at the start of a row: a placeholder that stays inside the buffer, masked below
    before = _decode_at(t.buf, t.char_before(np.where(at_start, b0 + 1, b0)))
    split = (_joins_previous(first) | (~at_start & _joins_next(before))) | (
        ~at_end & (_joins_previous(after) | _joins_next(last))
    )
    # every span inside one section (sections are checked in screen_sections)
    g0 = t.cp_base[row_i] + start_i
    g1 = t.cp_base[row_i] + end_i
    gs = t.cp_base[b.s_row] + b.s_start
    ge = t.cp_base[b.s_row] + b.s_end
    k = np.searchsorted(gs, g0, side="right") - 1
    kk = np.maximum(k, 0)
    inside_section = (k >= 0) & (b.s_row[kk] == row_i) if len(gs) else np.zeros(len(k), bool)
    if len(gs):  # verified in full: the search assumes sorted sections, which bad rows break
        inside_section &= (gs[kk] <= g0) & (g1 <= ge[kk])
    bad_inside = ~same | edge | split | ~inside_section
    rows = np.concatenate((row[bad], row_i[bad_inside]))
    return _flag(b.n, rows)
