"""Section rules: sections in order, covering every non-separator character, and every span
inside one section.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

import numpy as np
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _decode_at, _field, _flag, _whitespace
from belnews.check.rules.base import Record, _issue, check, in_bounds, iter_spans
from belnews.errors import Issue


@check(
    (
        "sections-invalid",
        "sections are out of order, overlap, leave text uncovered or hold a line break",
    ),
    ("span-crosses-section", "a mention, figure or quote fragment runs across a section boundary"),
)
def check_sections(record: Record) -> Iterator[Issue]:
    text = record["text"]
    pos = 0
    for i, s in enumerate(record["sections"]):
        gap = text[pos : s["start"]]
        ok = s["start"] < s["end"] <= len(text) and s["start"] >= pos and set(gap) <= {"\n"}
        ok = ok and (i == 0 or gap in ("\n", "\n\n")) and (i > 0 or s["start"] == 0)
        body = text[s["start"] : s["end"]]
        if ok and ("\n" in body or body != body.strip()):
            ok = False
        if not ok:
            yield _issue(
                record,
                "sections-invalid",
                f"$.sections[{i}]",
                f"section [{s['start']}, {s['end']}) must start after the previous one, "
                "one or two LFs later, and be one line with no space at either end",
                found=[s["start"], s["end"]],
            )
            return
        pos = s["end"]
    if pos != len(text):
        yield _issue(
            record,
            "sections-invalid",
            "$.sections",
            f"sections end at {pos} but the text has {len(text)} code points",
        )
        return
    starts = [s["start"] for s in record["sections"]]
    ends = [s["end"] for s in record["sections"]]
    n = len(text)
    for _layer, path, sp in iter_spans(record):
        if not in_bounds(sp, n):
            continue
        k = bisect_right(starts, sp["start"]) - 1
        if k < 0 or sp["end"] > ends[k]:
            yield _issue(
                record,
                "span-crosses-section",
                path,
                f"span [{sp['start']}, {sp['end']}) is not inside one section",
                found=[sp["start"], sp["end"]],
            )


def screen_sections(b: _Batch) -> np.ndarray:
    """sections-invalid: contiguous one-line sections, one or two LFs apart, covering all."""
    t = b.text
    n = b.n
    row, start, end = b.s_row, b.s_start, b.s_end
    count = np.bincount(row, minlength=n)
    bad = count == 0
    if not len(row):
        return bad
    first = np.ones(len(row), dtype=bool)
    first[1:] = row[1:] != row[:-1]
    last = np.ones(len(row), dtype=bool)
    last[:-1] = row[1:] != row[:-1]
    prev_end = np.concatenate(([0], end[:-1]))
    gap = np.where(first, start, start - prev_end)
    size = t.cp_len[row]
    shape_ok = (start >= 0) & (start < end) & (end <= size)
    shape_ok &= np.where(first, start == 0, (gap == 1) | (gap == 2))
    shape_ok &= ~last | (end == size)
    bad |= _flag(n, row[~shape_ok])
    good = shape_ok & ~bad[row]
    r, s, e, g = row[good], start[good], end[good], gap[good]
    # gaps are line feeds (one byte each), bodies hold none: LFs in text == sum of gaps
    top = len(t.buf) - 1
    lf_at = t.byte(r, np.where(first[good], 0, prev_end[good]))
    gap_ok = (t.buf[np.minimum(lf_at, top)] == 10) & (
        (g == 1) | (t.buf[np.minimum(lf_at + 1, top)] == 10)
    )
    gap_ok |= first[good]
    ws = _whitespace()
    edges = np.isin(_decode_at(t.buf, t.byte(r, s)), ws) | np.isin(
        _decode_at(t.buf, t.byte(r, e - 1)), ws
    )
    bad |= _flag(n, r[~gap_ok | edges])
    line_feeds = t.line_feeds
    gaps = np.bincount(row, weights=np.where(first, 0, gap), minlength=n).astype(np.int64)
    bad |= line_feeds != gaps
    return bad


#: Line-breaking characters other than LF: none may appear anywhere in a record's text
#: (normalization turns them into LF; a section body is one line).
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")


@check(
    (
        "text-line-break",
        "the text holds a line break other than LF (CR, VT, FF, U+0085, U+2028, U+2029, "
        "U+001C-U+001E)",
    )
)
def check_line_breaks(record: Record) -> Iterator[Issue]:
    found = _LINE_BREAK.search(record["text"])
    if found is not None:
        yield _issue(
            record,
            "text-line-break",
            "$.text",
            f"U+{ord(found.group()):04X} at offset {found.start()}: sections are separated by "
            "LF only, and a section body is one line",
            expected="LF between sections, no other line break",
            found=f"U+{ord(found.group()):04X}",
        )


def screen_line_breaks(b: _Batch) -> np.ndarray:
    """text-line-break."""
    text = _field(b.records, "text")
    return _bools(pc.match_substring_regex(text, f"[{LINE_BREAKS}]"), True)
