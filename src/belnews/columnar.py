"""Columnar screening: the schema and semantic checks over a whole Arrow batch at once.

Checking records one Python dict at a time costs several times what parsing them costs (the
schema walk converts every value, each semantic check loops over every span). This module
answers one question for every row of an Arrow table read with the record schema: *is this
row certainly free of issues?* It does so with Arrow and NumPy kernels over whole columns.

The screen is conservative by design. A row it does not vouch for is not reported as
anything: it goes through the exact per-record path
(:func:`belnews.validate.iter_record_issues`), which names every issue. The screen can
therefore only make validation faster, never change its answer, and where an exact
vectorized check would be intricate (nested mentions, non-ASCII digits) it simply lets the
row through to that path. Tests hold it to this: every invalid case, and random mutations of
valid records, must be flagged.

What the Arrow JSON reader already guarantees (it refuses the whole block otherwise, and the
block then takes the exact path): JSON syntax, UTF-8 without lone surrogates, the type of
every value, no unknown properties, no duplicate keys, no NaN/Infinity, integers in int32.
What it cannot see, a missing key read as null, is caught by counting keys: the raw line must
hold as many keys as the parsed row has (:func:`raw_key_counts`, :func:`key_counts`).
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow import _resolve
from .checks import QUOTE_MARK_CHARS, _crossing, _overlapping_pairs
from .schema import load_schema

#: JSON Schema keywords the vectorized evaluator understands; anything else in the schema is
#: refused when the evaluator first runs (a test runs it on the shipped schema).
KEYWORDS = frozenset(
    {
        "type",
        "const",
        "enum",
        "pattern",
        "minLength",
        "minimum",
        "minItems",
        "items",
        "prefixItems",
        "properties",
        "oneOf",
        "if",
        "then",
        "else",
        "$ref",
        # checked elsewhere: the Arrow reader refuses unknown keys, key counting finds
        # missing ones
        "required",
        "additionalProperties",
        # annotations only
        "description",
        "title",
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "x-schema-version",
    }
)


#: Whether the Arrow JSON reader uses its thread pool (see parse_lines).
THREADS = True


class UnsupportedSchema(ValueError):
    """The JSON Schema uses a keyword the columnar evaluator cannot check."""


# --- small helpers -------------------------------------------------------------------------------


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
    """A struct array's child, null wherever the parent is null."""
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


def _json_types(kind: Any) -> set[str]:
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return {"string"}
    if pa.types.is_integer(kind):
        return {"integer", "number"}
    if pa.types.is_floating(kind):
        return {"number"}
    if pa.types.is_boolean(kind):
        return {"boolean"}
    if pa.types.is_list(kind):
        return {"array"}
    if pa.types.is_struct(kind):
        return {"object"}
    return set()


# --- the JSON Schema, vectorized -----------------------------------------------------------------


def schema_mask(arr: Any, node: dict[str, Any] | None = None, root: dict[str, Any] | None = None):
    """For every element of ``arr``, whether it satisfies the schema ``node`` (default: the
    record schema, with ``arr`` a struct array of records). ``required`` is left to key
    counting and ``additionalProperties`` to the reader (see the module docstring)."""
    root = root or load_schema()
    node = _resolve(root if node is None else node, root)
    unknown = set(node) - KEYWORDS
    if unknown:
        raise UnsupportedSchema(f"no columnar check for {sorted(unknown)}")
    n = len(arr)
    valid = _valid(arr)
    ok = np.ones(n, dtype=bool)
    json_types = _json_types(arr.type)
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        ok &= np.where(valid, bool(json_types & set(types)), "null" in types)
    if "const" in node:
        ok &= _among(arr, valid, [node["const"]])
    if "enum" in node:
        ok &= _among(arr, valid, node["enum"])
    if json_types == {"string"}:
        if "pattern" in node:
            ok &= _bools(pc.match_substring_regex(arr, node["pattern"]), True)
        if "minLength" in node:
            ok &= _bools(pc.greater_equal(pc.utf8_length(arr), node["minLength"]), True)
    if "number" in json_types and "minimum" in node:
        ok &= _bools(pc.greater_equal(arr, node["minimum"]), True)
    if json_types == {"array"}:
        ok &= _list_mask(arr, node, root)
    if json_types == {"object"} and "properties" in node:
        names = set(arr.type.names)
        for name, sub in node["properties"].items():
            if name not in names:
                raise UnsupportedSchema(f"property {name!r} has no Arrow column")
            ok &= np.where(valid, schema_mask(_field(arr, name), sub, root), True)
    if "oneOf" in node:
        hits = sum(schema_mask(arr, b, root).astype(np.int8) for b in node["oneOf"])
        ok &= hits == 1
    if "if" in node:
        cond = schema_mask(arr, node["if"], root)
        then = schema_mask(arr, node["then"], root) if "then" in node else True
        other = schema_mask(arr, node["else"], root) if "else" in node else True
        ok &= np.where(cond, then, other)
    return ok


def _among(arr: Any, valid: np.ndarray, allowed: list[Any]) -> np.ndarray:
    """``const``/``enum``: valid elements must equal one of the non-null values."""
    values = [v for v in allowed if v is not None]
    try:
        value_set = pa.array(values, type=arr.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        hit = np.zeros(len(arr), dtype=bool)  # no allowed value has this column's type
    else:
        hit = _bools(pc.is_in(arr, value_set=value_set), False)
    return np.where(valid, hit, None in allowed)


def _list_mask(arr: Any, node: dict[str, Any], root: dict[str, Any]) -> np.ndarray:
    n = len(arr)
    ok = np.ones(n, dtype=bool)
    if "minItems" in node:
        ok &= _bools(pc.greater_equal(pc.list_value_length(arr), node["minItems"]), True)
    values, parents = _children(arr)
    if "prefixItems" in node:
        first = np.searchsorted(parents, parents, side="left")
        position = np.arange(len(parents)) - first
        prefix = node["prefixItems"]
        for k, sub in enumerate(prefix):
            at = position == k
            good = schema_mask(values.filter(pa.array(at)), sub, root)
            ok &= ~_flag(n, parents[at][~good])
        if node.get("items") is False:
            ok &= ~_flag(n, parents[position >= len(prefix)])
    elif isinstance(node.get("items"), dict):
        good = schema_mask(values, node["items"], root)
        ok &= ~_flag(n, parents[~good])
    return ok


def key_counts(arr: Any) -> np.ndarray:
    """How many object keys each element holds once parsed (a null object holds none)."""
    n = len(arr)
    kind = arr.type
    if pa.types.is_struct(kind):
        out = _valid(arr).astype(np.int64) * kind.num_fields
        for i in range(kind.num_fields):
            child = _field(arr, kind.field(i).name)
            if pa.types.is_struct(child.type) or pa.types.is_list(child.type):
                out += key_counts(child)
        return out
    if pa.types.is_list(kind) and (
        pa.types.is_struct(kind.value_type) or pa.types.is_list(kind.value_type)
    ):
        values, parents = _children(arr)
        return np.bincount(parents, weights=key_counts(values), minlength=n).astype(np.int64)
    return np.zeros(n, dtype=np.int64)


_KEY_END = np.zeros(256, dtype=bool)
_KEY_END[[*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B), 0x5F]] = True


def raw_key_counts(block: bytes, lengths: np.ndarray) -> np.ndarray:
    """Keys written in each line of ``block`` (lines of the given byte lengths, each followed
    by one LF), counted as ``…x":`` where x is an ASCII letter, digit or underscore.

    In JSON the reader accepted, such a quotation mark closes a key: a mark inside a string
    is escaped (preceded by a backslash), an opening mark follows ``:``, ``,``, ``[`` or
    space, and a closed value is never followed by a colon. So the count never exceeds the
    keys written; a key spelled differently (``"k" :``) is merely not counted, which sends
    its row to the exact path. All record keys are snake_case.
    """
    buf = np.frombuffer(block, dtype=np.uint8)
    colon = np.flatnonzero(buf == 0x3A)
    colon = colon[colon >= 2]
    key = (buf[colon - 1] == 0x22) & _KEY_END[buf[colon - 2]]
    ends = np.cumsum(lengths + 1)
    line = np.searchsorted(ends, colon[key], side="right")
    return np.bincount(line, minlength=len(lengths))[: len(lengths)].astype(np.int64)


# --- the semantic checks, vectorized -------------------------------------------------------------


@lru_cache(maxsize=1)
def _whitespace() -> np.ndarray:
    """Every code point ``str.strip`` removes (all of them lie below U+3001)."""
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.int64)


def _decode_at(buf: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The code point starting at each byte position of a UTF-8 buffer."""
    last = len(buf) - 1
    b0 = buf[pos].astype(np.int64)

    def cont(k: int) -> np.ndarray:
        return buf[np.minimum(pos + k, last)].astype(np.int64) & 0x3F

    cp = b0.copy()
    two = (b0 >= 0xC0) & (b0 < 0xE0)
    three = (b0 >= 0xE0) & (b0 < 0xF0)
    four = b0 >= 0xF0
    if two.any():
        cp[two] = ((b0[two] & 0x1F) << 6) | cont(1)[two]
    if three.any():
        cp[three] = ((b0[three] & 0x0F) << 12) | (cont(1)[three] << 6) | cont(2)[three]
    if four.any():
        cp[four] = (
            ((b0[four] & 0x07) << 18) | (cont(1)[four] << 12) | (cont(2)[four] << 6) | cont(3)[four]
        )
    return cp


def _combining(cps: np.ndarray) -> np.ndarray:
    """``unicodedata.combining(chr(cp)) != 0`` for each code point (looked up once per value)."""
    high = np.unique(cps[cps >= 0x300])
    marks = [c for c in high.tolist() if unicodedata.combining(chr(c))]
    return np.isin(cps, np.array(marks, dtype=np.int64)) if marks else np.zeros(len(cps), bool)


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
    """For each i, whether ``a[a_start[i]:+lengths[i]] == b[b_start[i]:+lengths[i]]``."""
    total = int(lengths.sum())
    if total == 0:
        return np.ones(len(lengths), dtype=bool)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    step = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    same = a[a_start[owner] + step] == b[b_start[owner] + step]
    bad = np.zeros(len(lengths), dtype=bool)
    bad[owner[~same]] = True
    return ~bad


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
        for role in ("cue", "source", "addressee", "channel"):
            self.spans.add(_field(quotes, role), self.q_row)
        self.spans.add(figures, self.f_row)
        self.spans.add(_field(figures, "measured"), self.f_row)
        self.spans.add(entities, self.e_row)


def _check_spans(b: _Batch) -> np.ndarray:
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
    same[same] = _gather_equal(t.buf, b0[same], sbuf, s0[same], length[same])
    first = _decode_at(t.buf, b0)
    last = _decode_at(t.buf, t.byte(row_i, end_i - 1))
    ws = _whitespace()
    edge = np.isin(first, ws) | np.isin(last, ws)
    at_end = end_i >= t.cp_len[row_i]
    after = _decode_at(t.buf, np.where(at_end, b0, b1))  # b0: a placeholder, masked below
    split = _combining(first) | (~at_end & _combining(after))
    # every span inside one section (sections are checked in _check_sections)
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


def _check_sections(b: _Batch) -> np.ndarray:
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


def _check_overlaps(b: _Batch) -> np.ndarray:
    """overlap-crossing, overlap-duplicate, figure-overlap (exact Python on rows that
    have any overlap at all, which nesting makes common)."""
    n = b.n
    bad = np.zeros(n, dtype=bool)
    size = b.text.cp_len

    def spans(struct: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s, e = _ints(_field(struct, "start")), _ints(_field(struct, "end"))
        keep = (s >= 0) & (s < e) & (e <= size[rows])
        return rows[keep], s[keep], e[keep]

    fr, fs, fe = spans(b.figures, b.f_row)
    bad[_sweep_rows(fr, fs, fe)] = True  # figures may not overlap at all
    er, es, ee = spans(b.entities, b.e_row)
    for r in _sweep_rows(er, es, ee):
        mine = er == r
        items = list(enumerate(zip(es[mine].tolist(), ee[mine].tolist(), strict=True)))
        if any(a == c or _crossing(a, c) for (_, a), (_, c) in _overlapping_pairs(items)):
            bad[r] = True
    s, e = _ints(_field(b.content, "start")), _ints(_field(b.content, "end"))
    keep = (s >= 0) & (s < e) & (e <= size[b.frag_row])
    qr, qs, qe, qq = b.frag_row[keep], s[keep], e[keep], b.frag_quote[keep]
    for r in _sweep_rows(qr, qs, qe):
        mine = qr == r
        spans = zip(qs[mine].tolist(), qe[mine].tolist(), strict=True)
        items = list(zip(qq[mine].tolist(), spans, strict=True))
        for (ia, a), (ib, c) in _overlapping_pairs(items):
            if ia == ib or a == c or _crossing(a, c):
                bad[r] = True
                break
    return bad


#: Keys up to this use lookup tables; larger ones are made dense first.
_DENSE_KEYS = 1 << 24


def _member(keys: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``np.isin`` for small non-negative keys (a lookup table, not a sort)."""
    if not len(keys):
        return np.zeros(0, dtype=bool)
    if not len(pool):
        return np.zeros(len(keys), dtype=bool)
    table = np.zeros(int(max(keys.max(), pool.max())) + 1, dtype=bool)
    table[pool] = True
    return table[keys]


#: Every id and id reference, by layer.
_ID_FIELDS = {
    "quotes": ("id", "speaker", "parent", "repeats"),
    "figures": ("id", "asserted_by"),
    "entities": ("id", "cluster"),
    "clusters": ("id",),
}


def _check_ids(b: _Batch) -> np.ndarray:
    """duplicate-id, unknown-reference, label-mismatch, cluster-without-name.

    Every id and reference string of the batch is dictionary-encoded at once, so equal
    strings get equal codes; (row, code) pairs then become small integer keys.
    """
    n = b.n
    bad = np.zeros(n, dtype=bool)
    structs = {
        "quotes": b.quotes,
        "figures": b.figures,
        "entities": b.entities,
        "clusters": b.clusters,
    }
    rows_of = {"quotes": b.q_row, "figures": b.f_row, "entities": b.e_row, "clusters": b.c_row}
    parts = [
        (layer, name, _field(structs[layer], name).cast(pa.string()))
        for layer, names in _ID_FIELDS.items()
        for name in names
    ]
    encoded = pc.dictionary_encode(pa.concat_arrays([values for _, _, values in parts]))
    codes = np.asarray(pc.fill_null(encoded.indices, 0), dtype=np.int64)
    wide = len(encoded.dictionary) + 1
    keys = np.concatenate([rows_of[layer] for layer, _, _ in parts]) * wide + codes
    if len(keys) and keys.max() >= _DENSE_KEYS:  # many distinct ids: number them densely
        keys = np.unique(keys, return_inverse=True)[1].reshape(-1)
    columns = {}
    at = 0
    for layer, name, values in parts:
        columns[layer, name] = (keys[at : at + len(values)], _valid(values))
        at += len(values)
    ids = {}
    for layer, rows in rows_of.items():
        k, _ = columns[layer, "id"]
        counts = np.bincount(k, minlength=1)
        bad[rows[counts[k] > 1]] = True
        ids[layer] = k
    quotes, clusters = ids["quotes"], ids["clusters"]
    speaker, has = columns["quotes", "speaker"]
    bad[b.q_row[has & ~_member(speaker, clusters)]] = True
    for role in ("parent", "repeats"):
        ref, has = columns["quotes", role]
        bad[b.q_row[has & (~_member(ref, quotes) | (ref == quotes))]] = True
    ref, has = columns["figures", "asserted_by"]
    to_quote = _bools(pc.starts_with(_field(b.figures, "asserted_by"), "q"), False)
    known = np.where(to_quote, _member(ref, quotes), _member(ref, clusters))
    bad[b.f_row[has & ~known]] = True
    ref, has = columns["entities", "cluster"]
    bad[b.e_row[~has | ~_member(ref, clusters)]] = True
    # the mention's label is its cluster's; every cluster has a name mention
    if len(clusters) and len(ref):
        where = np.full(int(max(clusters.max(), ref.max())) + 1, -1, dtype=np.int64)
        where[clusters] = np.arange(len(clusters))
        owner = where[ref]
        same = _bools(
            pc.equal(
                _field(b.entities, "label"),
                pc.take(_field(b.clusters, "label"), pa.array(np.maximum(owner, 0))),
            ),
            False,
        )
        bad[b.e_row[~same | (owner < 0)]] = True
    named = _bools(pc.equal(_field(b.entities, "mention_type"), "name"), False)
    bad[b.c_row[~_member(clusters, ref[named])]] = True
    return bad


def _decimal(values: Any) -> np.ndarray:
    """Decimal strings as floats (anything not a decimal reads as 0; its row is flagged by
    the schema mask)."""
    good = pc.match_substring_regex(values, r"^-?[0-9]+(\.[0-9]+)?$")
    clean = pc.if_else(pc.fill_null(good, False), values, "0")
    return np.asarray(pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False))


def _check_figures_and_marks(b: _Batch) -> np.ndarray:
    """figure-range, mark-not-quotation, figure-value-mismatch, direct-quote-unmarked."""
    n = b.n
    bad = np.zeros(n, dtype=bool)
    low, high = _field(b.figures, "low"), _field(b.figures, "high")
    has_low, has_high = _valid(low), _valid(high)
    bad[b.f_row[has_low != has_high]] = True
    both = has_low & has_high
    if both.any():
        bad[b.f_row[both & (_decimal(low) > _decimal(high))]] = True
    mark_ok = _bools(
        pc.is_in(_field(b.marks, "text"), value_set=pa.array(sorted(QUOTE_MARK_CHARS))), False
    )
    _marks, m_quote = _children(_field(b.quotes, "marks"))
    bad[b.q_row[m_quote[~mark_ok]]] = True
    # warnings
    kind = _field(b.quotes, "kind")
    marked = _ints(pc.list_value_length(_field(b.quotes, "marks"))) > 0
    direct = _bools(pc.is_in(kind, value_set=pa.array(["direct", "partial"])), False)
    bad[b.q_row[direct & ~marked]] = True
    text = _field(b.figures, "text")
    value = _field(b.figures, "value")
    pattern = r"\d[\d,]*(?:\.\d+)?"
    unicode_digit = _bools(pc.match_substring_regex(text, r"[^0-9\P{Nd}]"), True)
    bad[b.f_row[unicode_digit]] = True  # RE2's \d is ASCII only, Python's is every Nd digit
    one = (_ints(pc.count_substring_regex(text, pattern)) == 1) & _valid(value)
    if one.any():
        found = pc.struct_field(pc.extract_regex(text, f"(?P<n>{pattern})"), "n")
        found = pc.replace_substring(pc.fill_null(found, "0"), ",", "")
        said = pc.cast(found, pa.float64()).to_numpy(zero_copy_only=False)
        given = _decimal(value)
        bad[b.f_row[one & (said != given)]] = True
    return bad


def _check_quote_roles(b: _Batch) -> np.ndarray:
    """quote-roles-apart (warning): cue and source lie in a section holding the content."""
    t = b.text
    n = b.n
    bad = np.zeros(n, dtype=bool)
    gs = t.cp_base[b.s_row] + b.s_start
    ge = t.cp_base[b.s_row] + b.s_end
    if not len(gs):
        return bad

    def section(rows: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        ok = (s >= 0) & (s < e) & (e <= t.cp_len[rows])
        g0 = t.cp_base[rows] + np.where(ok, s, 0)
        g1 = t.cp_base[rows] + np.where(ok, e, 0)
        k = np.searchsorted(gs, g0, side="right") - 1
        kk = np.maximum(k, 0)
        inside = ok & (k >= 0) & (b.s_row[kk] == rows) & (gs[kk] <= g0) & (g1 <= ge[kk])
        return np.where(inside, kk, -1), ok

    frag_k, _ = section(
        b.frag_row, _ints(_field(b.content, "start")), _ints(_field(b.content, "end"))
    )
    home = frag_k >= 0
    wide = np.int64(len(gs) + 1)
    home_keys = b.frag_quote[home] * wide + frag_k[home]
    has_home = np.bincount(b.frag_quote[home], minlength=len(b.q_row)) > 0
    quote_index = np.arange(len(b.q_row))
    for role in ("cue", "source"):
        sp = _field(b.quotes, role)
        present = _valid(sp)
        k, ok = section(b.q_row, _ints(_field(sp, "start")), _ints(_field(sp, "end")))
        apart = present & ok & has_home & ((k < 0) | ~np.isin(quote_index * wide + k, home_keys))
        bad[b.q_row[apart]] = True
    return bad


def _check_text(b: _Batch) -> np.ndarray:
    """text-not-nfc, text-hash-mismatch, offset-map-invalid."""
    t = b.text
    n = b.n
    bad = np.zeros(n, dtype=bool)
    provenance = _field(b.records, "provenance")
    digests = _field(provenance, "text_sha256").to_pylist()
    view = memoryview(t.data)
    # only a text holding a code point from U+0300 on (lead byte 0xCC or more) can fail NFC
    high = np.flatnonzero(t.buf >= 0xCC)
    maybe = np.zeros(n, dtype=bool)
    maybe[np.searchsorted(t.byte_off, high, side="right") - 1] = True
    offsets = t.byte_off.tolist()
    for r in range(n):
        o0, o1 = offsets[r], offsets[r + 1]
        digest_ok = hashlib.sha256(view[o0:o1]).hexdigest() == digests[r]
        nfc_ok = not maybe[r] or unicodedata.is_normalized("NFC", t.data[o0:o1].decode("utf-8"))
        bad[r] = not (digest_ok and nfc_ok)
    blocks, b_row = _children(_field(provenance, "offset_map"))
    values, owner = _children(blocks)
    if len(values) != 4 * len(blocks) or np.any(np.bincount(owner, minlength=len(blocks)) != 4):
        return np.ones(n, dtype=bool)  # not all 4-tuples: the schema path will say which
    grid = _ints(values).reshape(-1, 4)
    t0, t1, r0, r1 = grid[:, 0], grid[:, 1], grid[:, 2], grid[:, 3]
    first = np.ones(len(b_row), dtype=bool)
    first[1:] = b_row[1:] != b_row[:-1]
    last = np.ones(len(b_row), dtype=bool)
    last[:-1] = b_row[1:] != b_row[:-1]
    prev_t1 = np.where(first, 0, np.concatenate(([0], t1[:-1])))
    prev_r1 = np.where(first, 0, np.concatenate(([0], r1[:-1])))
    ok = (t0 == prev_t1) & (t1 > t0) & (r1 > r0) & (r0 >= prev_r1)
    ok &= ~last | (t1 == t.cp_len[b_row])
    bad[b_row[~ok]] = True
    bad |= np.bincount(b_row, minlength=n) == 0
    return bad


def _check_unannotated(b: _Batch) -> np.ndarray:
    """mention-unannotated (warning): every occurrence of a named mention's words is a
    mention. Rows where that is not plainly so take the exact path.

    Counting is done on the UTF-8 bytes (the same occurrences as in the decoded text, since
    UTF-8 is self-synchronizing, and half the bytes of a decoded non-Latin-1 text).
    """
    n = b.n
    bad = np.zeros(n, dtype=bool)
    if not len(b.e_row):
        return bad
    t = b.text
    row = b.e_row
    start, end = _ints(_field(b.entities, "start")), _ints(_field(b.entities, "end"))
    encoded = pc.dictionary_encode(pc.fill_null(_field(b.entities, "text"), ""))
    word = np.asarray(encoded.indices, dtype=np.int64)
    words = [w.encode("utf-8") for w in encoded.dictionary.to_pylist()]
    wide = np.int64(len(words))
    # how many distinct annotated spans carry each (row, words)
    span = int(max(t.cp_len.max(initial=0), end.max(initial=0)) + 1)
    _, first = np.unique((row * span + start) * span + end, return_index=True)
    keys, counts = np.unique(row[first] * wide + word[first], return_counts=True)
    named = _bools(pc.equal(_field(b.entities, "mention_type"), "name"), False)
    wanted = np.unique(row[named] * wide + word[named])
    at = np.searchsorted(keys, wanted)  # every named (row, words) is among the annotated
    data = t.data
    offsets = t.byte_off.tolist()
    current, body = -1, b""
    unsure = set()
    for key, count in zip(wanted.tolist(), counts[at].tolist(), strict=True):
        r, w = divmod(key, int(wide))
        if r != current:
            current, body = r, data[offsets[r] : offsets[r + 1]]
        if body.count(words[w]) != count:
            unsure.add(r)
    if unsure:
        # e.g. "Belarus" inside "Belarusian": the exact check decides, on this row only
        from .checks import check_unannotated_mentions

        kinds = _field(b.entities, "mention_type").to_pylist()
        surfaces = _field(b.entities, "text").to_pylist()
        bounds = np.searchsorted(row, np.arange(n + 1)).tolist()
        for r in sorted(unsure):
            mentions = [
                {"start": start[i], "end": end[i], "text": surfaces[i], "mention_type": kinds[i]}
                for i in range(bounds[r], bounds[r + 1])
            ]
            text = data[offsets[r] : offsets[r + 1]].decode("utf-8")
            record = {"text": text, "entities": mentions}
            if next(check_unannotated_mentions(record), None) is not None:
                bad[r] = True
    return bad


def screen(records: Any, raw_keys: np.ndarray | None = None) -> np.ndarray:
    """For each record of a struct array (or table) read with the record schema: True when
    it certainly passes the JSON Schema and every semantic check with no issue at all.

    ``raw_keys`` are the key counts of the source lines (:func:`raw_key_counts`) when the
    records were read from JSON; a row whose count differs lost a key to a null.
    Raises nothing on odd data: any exception inside marks the whole batch unscreened.
    """
    if isinstance(records, pa.RecordBatch):
        records = records.to_struct_array()
    elif isinstance(records, pa.Table):
        records = records.combine_chunks().to_struct_array()
        records = records.combine_chunks() if isinstance(records, pa.ChunkedArray) else records
    n = len(records)
    try:
        ok = schema_mask(records)
        if raw_keys is not None:
            ok &= key_counts(records) == raw_keys
        b = _Batch(records)
        for check in (
            _check_sections,
            _check_spans,
            _check_overlaps,
            _check_ids,
            _check_figures_and_marks,
            _check_quote_roles,
        ):
            ok &= ~check(b)
        ok &= ~_check_text(b)
        ok &= ~_check_unannotated(b)
    except UnsupportedSchema:
        raise
    except Exception:
        return np.zeros(n, dtype=bool)
    return ok


def read_json_lines(lines: list[bytes], data: bytes | None = None) -> Any | None:
    """Parse JSON lines into one Arrow table with the record schema (Arrow's threads do the
    parsing), or None if the reader refuses any of them: a reason for the exact path."""
    import io

    import pyarrow.json as pj

    from .arrow import arrow_schema

    if not lines:
        return None
    data = b"\n".join(lines) + b"\n" if data is None else data
    block = max(1 << 20, 2 * max(len(line) for line in lines) + 2)
    try:
        table = pj.read_json(
            io.BytesIO(data),
            read_options=pj.ReadOptions(block_size=block, use_threads=THREADS),
            parse_options=pj.ParseOptions(
                explicit_schema=arrow_schema(with_features=False),
                unexpected_field_behavior="error",
            ),
        )
        table.validate(full=True)  # the reader does not check that strings are UTF-8
    except (pa.ArrowException, ValueError, UnicodeDecodeError):
        return None
    return table if table.num_rows == len(lines) else None


def parse_lines(lines: list[bytes]) -> tuple[Any | None, np.ndarray | None]:
    """Parse JSON lines for :func:`screen`: (table, key counts of the lines), or (None, None)
    when the Arrow reader refuses the block. Runs in Arrow's threads with the GIL released
    for the most part, so the next batch can be parsed while this one is screened."""
    data = b"\n".join(lines) + b"\n"
    table = read_json_lines(lines, data)
    if table is None:
        return None, None
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    counts = raw_key_counts(data, lengths)
    for i, line in enumerate(lines):
        if line.startswith(b"\xef\xbb\xbf"):
            counts[i] = -1  # the reader skips a byte-order mark; the exact path reports it
    return table, counts


def screen_lines(lines: list[bytes]) -> tuple[Any | None, np.ndarray]:
    """Read and screen JSON lines: (table or None, clean mask)."""
    table, raw = parse_lines(lines)
    if table is None:
        return None, np.zeros(len(lines), dtype=bool)
    return table, screen(table, raw)
