"""Arrow/NumPy helpers the screening forms of the rules share: a batch view with its text in
bytes, span columns, code-point to byte lookups.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _bools(arr: Any, fill: bool) -> np.ndarray:
    """An Arrow boolean array as NumPy, nulls replaced by ``fill``."""
    return np.asarray(pc.fill_null(arr, fill).to_numpy(zero_copy_only=False), dtype=bool)


def _ints(arr: Any) -> np.ndarray:
    """An Arrow integer array as int64 NumPy, nulls as -1 (rows with nulls are flagged
    elsewhere; -1 only keeps the arithmetic from failing)."""
    return np.asarray(pc.fill_null(arr, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _valid(arr: Any) -> np.ndarray:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    return ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _field(arr: Any, name: str) -> Any:
    """A struct array's child, null wherever the parent is null (a parent without nulls
    gives its child as it is, with no kernel run)."""
    if isinstance(arr, pa.StructArray) and arr.null_count == 0:
        return arr.field(name)
    return pc.struct_field(arr, name)


def _children(arr: Any) -> tuple[Any, np.ndarray]:
    """A list array's values and, for each value, the index of the list holding it."""
    values, parents = arr.flatten(), np.asarray(pc.list_parent_indices(arr), dtype=np.int64)
    if len(values) != len(parents):  # a null list over values: let the exact path decide
        raise ValueError("list values and parents disagree")
    return values, parents


def _flag(n: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


@lru_cache(maxsize=1)
def _whitespace() -> np.ndarray:
    """Every code point ``str.strip`` removes (all of them lie below U+3001)."""
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.int64)


def _decode_at(buf: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The code point starting at each byte position of a UTF-8 buffer (ASCII bytes are
    their own code points; only the other positions are decoded)."""
    cp = buf[pos].astype(np.int64)
    wide = np.flatnonzero(cp >= 0x80)
    if not len(wide):
        return cp
    at, b0 = pos[wide], cp[wide]
    last = len(buf) - 1
    c1, c2, c3 = (buf[np.minimum(at + k, last)].astype(np.int64) & 0x3F for k in (1, 2, 3))
    cp[wide] = np.select(
        [b0 >= 0xF0, b0 >= 0xE0, b0 >= 0xC0],
        [
            ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3,
            ((b0 & 0x0F) << 12) | (c1 << 6) | c2,
            ((b0 & 0x1F) << 6) | c1,
        ],
        b0,
    )
    return cp


def _combining(cps: np.ndarray) -> np.ndarray:
    """``unicodedata.combining(chr(cp)) != 0`` for each code point (looked up once per value)."""
    high = np.unique(cps[cps >= 0x300])
    marks = [c for c in high.tolist() if unicodedata.combining(chr(c))]
    return np.isin(cps, np.array(marks, dtype=np.int64)) if marks else np.zeros(len(cps), bool)


#: Contexts standing for every rule of UAX #29 that keeps two characters in one cluster: what
#: may precede a joining character (a letter, Hangul L, V, T and LV parts, a regional
#: indicator, an emoji and ZWJ, an Indic consonant and virama) and what may follow one (a
#: letter, Hangul parts, a regional indicator, an emoji, LF after CR). CR itself never
#: reaches a valid record: the section rules refuse it.
_BEFORE = (
    "a", "\u1100", "\u1160", "\u11a8", "\uac00", "\U0001f1e6", "\U0001f600\u200d",
    "\u0915\u094d",
)
_AFTER = ("a", "\u1100", "\u1160", "\u11a8", "\uac00", "\U0001f1e6", "\U0001f600", "\n")


def _cluster_length(s: str) -> int:
    import regex  # Unicode's extended grapheme clusters (\X), kept current with Unicode

    return len(regex.match(r"\X", s).group())


def _joining(cps: np.ndarray, joins: Any) -> np.ndarray:
    cand = np.unique(cps[(cps >= 0x80) | (cps == 0x0D)])
    hits = [c for c in cand.tolist() if joins(chr(c))]
    return np.isin(cps, np.array(hits, dtype=np.int64)) if hits else np.zeros(len(cps), bool)


def _joins_previous(cps: np.ndarray) -> np.ndarray:
    """For each code point: True when it can continue a cluster begun by a preceding
    character (an extending mark, a joiner, a Hangul vowel...), so a span boundary just before
    it may split a grapheme cluster. Decided by Unicode's rules once per distinct code point."""
    return _joining(cps, lambda c: any(_cluster_length(x + c) > len(x) for x in _BEFORE))


def _joins_next(cps: np.ndarray) -> np.ndarray:
    """For each code point: True when a following non-mark character can join its cluster
    (CR before LF, Hangul parts, regional indicators, prepended marks, ZWJ before an emoji),
    so a span boundary just after it may split a grapheme cluster."""
    return _joining(cps, lambda c: any(_cluster_length(c + x) > 1 for x in _AFTER))


class _Text:
    """The batch's texts as one UTF-8 buffer, with code point -> byte position lookup.

    A code point's byte position is its index plus the continuation bytes before it. For
    each continuation byte, the number of code points starting before it is its position
    minus the continuation bytes before it (``lead_before``); so the continuation bytes
    before code point g are those with ``lead_before <= g``: one binary search, over an array
    as short as the non-ASCII text is.
    """

    def __init__(self, text: Any) -> None:
        text = text.cast(pa.string())
        # a null text (a schema error) holds no bytes: length 0 keeps the rows aligned
        self.cp_len = np.asarray(
            pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        raw, offsets = _string_bytes(text)
        self.buf = raw[offsets[0] : offsets[-1]]
        self.byte_off = offsets - offsets[0]
        self.cp_base = np.concatenate(([0], np.cumsum(self.cp_len)))
        self.ascii = (self.byte_off[1:] - self.byte_off[:-1]) == self.cp_len
        self.data = self.buf.tobytes()
        if self.ascii.all():
            self.lead_before = np.zeros(0, dtype=np.int64)
        else:
            cont = np.flatnonzero((self.buf & 0xC0) == 0x80)
            self.lead_before = cont - np.arange(len(cont))
        newline = np.flatnonzero(self.buf == 10)
        self.line_feeds = np.bincount(
            np.searchsorted(self.byte_off, newline, side="right") - 1, minlength=len(self.cp_len)
        )[: len(self.cp_len)]

    def byte(self, row: np.ndarray, cp: np.ndarray) -> np.ndarray:
        """Byte position (in ``buf``) of code point ``cp`` (0 <= cp <= length) of each row."""
        g = self.cp_base[row] + cp
        if not len(self.lead_before):
            return g
        return g + np.searchsorted(self.lead_before, g, side="right")

    def char_before(self, pos: np.ndarray) -> np.ndarray:
        """Byte position of the code point that ends at byte position ``pos`` (each a code
        point boundary after its row's first byte): one step back, then more only over
        continuation bytes, which only non-ASCII characters have (at most three)."""
        p = pos - 1
        if self.ascii.all():
            return p
        todo = np.flatnonzero((self.buf[p] & 0xC0) == 0x80)
        while len(todo):
            p[todo] -= 1
            todo = todo[(self.buf[p[todo]] & 0xC0) == 0x80]
        return p


class _Spans:
    """Every span of a layer set, flattened: row, start, end, text."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.starts: list[np.ndarray] = []
        self.ends: list[np.ndarray] = []
        self.texts: list[Any] = []

    def add(self, struct: Any, rows: np.ndarray) -> None:
        keep = _valid(struct)
        if not keep.all():
            struct, rows = struct.filter(pa.array(keep)), rows[keep]
        self.rows.append(rows)
        self.starts.append(_ints(_field(struct, "start")))
        self.ends.append(_ints(_field(struct, "end")))
        self.texts.append(pc.fill_null(_field(struct, "text"), "").cast(pa.string()))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
        return (
            np.concatenate(self.rows),
            np.concatenate(self.starts),
            np.concatenate(self.ends),
            pa.concat_arrays(self.texts),
        )


def _string_bytes(arr: Any) -> tuple[np.ndarray, np.ndarray]:
    """A string array's data buffer and its n+1 offsets into it."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)
    offsets = offsets[arr.offset : arr.offset + len(arr) + 1].astype(np.int64)
    data = arr.buffers()[2]
    buf = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(1, np.uint8)
    return buf, offsets


def _gather_equal(
    a: np.ndarray, a_start: np.ndarray, b: np.ndarray, b_start: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """For each i, whether ``a[a_start[i]:+lengths[i]] == b[b_start[i]:+lengths[i]]``, byte by
    byte in NumPy (the fallback of :func:`_slices_equal`; its index arrays are as long as all
    the slices together)."""
    total = int(lengths.sum())
    if total == 0:
        return np.ones(len(lengths), dtype=bool)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    step = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    same = a[a_start[owner] + step] == b[b_start[owner] + step]
    bad = np.zeros(len(lengths), dtype=bool)
    bad[owner[~same]] = True
    return ~bad


#: Bytes a string view holds inline (Arrow's columnar format: shorter strings live in the view).
_INLINE = 12


def _inline_masks() -> np.ndarray:
    """For each length 0..12, the 12 inline bytes of a view kept by that length, as 3 int32."""
    keep = (np.arange(_INLINE) < np.arange(_INLINE + 1)[:, None]).astype(np.uint8) * 0xFF
    return keep.view("<i4")


_MASKS = _inline_masks()


def _views(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> Any:
    """A ``string_view`` array whose i-th string is ``buf[starts[i]:+lengths[i]]``, built
    without copying the bytes (Arrow's view layout: 16 bytes per string; the length, then
    either the string inline, zero-padded, or its first 4 bytes, buffer 0 and the offset).

    Each view's 12 bytes after the length are read as one row of a sliding window over the
    buffer (a row gather, not 12 index computations per string)."""
    from numpy.lib.stride_tricks import as_strided

    n = len(starts)
    padded = np.concatenate((buf, np.zeros(_INLINE, dtype=np.uint8)))
    windows = as_strided(padded, shape=(len(buf) + 1, _INLINE), strides=(1, 1), writeable=False)
    raw = windows[starts].view("<i4")  # (n, 3): the 12 bytes from each start
    short = lengths <= _INLINE
    inline = raw & _MASKS[np.minimum(lengths, _INLINE)]
    views = np.empty((n, 4), dtype="<i4")
    views[:, 0] = lengths
    views[:, 1] = np.where(short, inline[:, 0], raw[:, 0])  # a long string: its prefix
    views[:, 2] = np.where(short, inline[:, 1], 0)  # ... buffer 0
    views[:, 3] = np.where(short, inline[:, 2], starts)  # ... and its offset
    data = pa.py_buffer(buf if len(buf) else np.zeros(1, np.uint8))
    return pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(views), data])


def _slices_equal(
    a: np.ndarray, a_start: np.ndarray, b: np.ndarray, b_start: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """For each i, whether ``a[a_start[i]:+lengths[i]] == b[b_start[i]:+lengths[i]]``.

    Arrow compares the two sets of slices as string views into the two buffers, so no slice
    is copied (a span's text against the record text: together they are most of a record's
    bytes). Where Arrow has no string views, or buffers pass 2 GiB, NumPy compares byte by
    byte (:func:`_gather_equal`)."""
    if not len(lengths):
        return np.ones(0, dtype=bool)
    fits = max(len(a), len(b)) < 2**31
    if fits and hasattr(pa, "string_view"):
        try:
            same = pc.equal(_views(a, a_start, lengths), _views(b, b_start, lengths))
        except pa.ArrowNotImplementedError:
            pass
        else:
            return np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
    return _gather_equal(a, a_start, b, b_start, lengths)


class _Batch:
    """The columns of one batch that several checks share."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.n = len(records)
        self.text = _Text(_field(records, "text"))
        quotes, self.q_row = _children(_field(records, "quotes"))
        self.quotes = quotes
        figures, self.f_row = _children(_field(records, "figures"))
        self.figures = figures
        entities, self.e_row = _children(_field(records, "entities"))
        self.entities = entities
        clusters, self.c_row = _children(_field(records, "clusters"))
        self.clusters = clusters
        sections, self.s_row = _children(_field(records, "sections"))
        self.s_start = _ints(_field(sections, "start"))
        self.s_end = _ints(_field(sections, "end"))
        content, c_quote = _children(_field(quotes, "content"))
        self.content, self.frag_quote = content, c_quote
        self.frag_row = self.q_row[c_quote]
        self.spans = _Spans()
        self.spans.add(content, self.frag_row)
        marks, m_quote = _children(_field(quotes, "marks"))
        self.marks = marks
        self.spans.add(marks, self.q_row[m_quote])
        for role in ("cue", "source", "addressee", "channel", "time", "place"):
            self.spans.add(_field(quotes, role), self.q_row)
        self.spans.add(figures, self.f_row)
        for role in ("measured_entity", "measured_property", "qualifier"):
            self.spans.add(_field(figures, role), self.f_row)
        self.spans.add(entities, self.e_row)


def _sweep_rows(row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Rows where some span overlaps an earlier one (after sorting by start, longer first)."""
    step_row, step_start = np.diff(row), np.diff(start)
    ordered = (step_row > 0) | (
        (step_row == 0) & ((step_start > 0) | ((step_start == 0) & (np.diff(end) <= 0)))
    )
    if ordered.all():  # annotations usually come sorted already
        r, s, e = row, start, end
    else:
        order = np.lexsort((-end, start, row))
        r, s, e = row[order], start[order], end[order]
    same_row = np.zeros(len(r), dtype=bool)
    same_row[1:] = r[1:] == r[:-1]
    # running maximum of ends within a row (rows are contiguous after the sort)
    run = e.copy()
    if len(run):
        seg = np.flatnonzero(~same_row)
        base = np.zeros(len(r), dtype=np.int64)
        base[seg] = 1
        group = np.cumsum(base) - 1
        offset = group.astype(np.int64) * (int(e.max()) + 2 if len(e) else 1)
        run = np.maximum.accumulate(e + offset) - offset
    prev_max = np.concatenate(([-1], run[:-1]))
    overlaps = same_row & (s < prev_max)
    return np.unique(r[overlaps])


def _nesting_faults(row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Rows where two spans are equal or cross (overlap with neither inside the other).

    Spans that only nest or stay apart form a laminar family: read as brackets (each span
    opens at its start and closes at its end; at one offset closes come first, then opens
    outer-first, and closes inner-first), every close then matches its own open. A close at
    depth d is matched by the latest open that reached depth d, which is the event just
    before it once events are sorted by depth, stably; so one sort checks all rows at once,
    with no stack and no loop over rows.
    """
    n = len(row)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-end, start, row))
    r, s, e = row[order], start[order], end[order]
    twin = (r[1:] == r[:-1]) & (s[1:] == s[:-1]) & (e[1:] == e[:-1])
    span = np.arange(n)
    ev_row = np.concatenate((r, r))
    ev_pos = np.concatenate((s, e))
    ev_open = np.concatenate((np.ones(n, np.int8), np.zeros(n, np.int8)))
    ev_tie = np.concatenate((-e, -s))
    ev_span = np.concatenate((span, span))
    seq = np.lexsort((ev_tie, ev_open, ev_pos, ev_row))
    opens = ev_open[seq] == 1
    depth_after = np.cumsum(np.where(opens, 1, -1))
    level = np.where(opens, depth_after, depth_after + 1)
    by_level = np.lexsort((np.arange(2 * n), level, ev_row[seq]))
    ranked = seq[by_level]
    k_row, k_open, k_span = ev_row[ranked], ev_open[ranked] == 1, ev_span[ranked]
    k_level = level[by_level]
    close = np.flatnonzero(~k_open)
    prev = close - 1
    matched = (
        (prev >= 0)
        & (k_row[np.maximum(prev, 0)] == k_row[close])
        & (k_level[np.maximum(prev, 0)] == k_level[close])
        & k_open[np.maximum(prev, 0)]
        & (k_span[np.maximum(prev, 0)] == k_span[close])
    )
    return np.unique(np.concatenate((r[1:][twin], k_row[close[~matched]])))
