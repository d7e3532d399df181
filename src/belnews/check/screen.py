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

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import (
    _Batch,
    _bools,
    _children,
    _field,
    _flag,
    _string_bytes,
    _valid,
)
from belnews.check.rules import SCREENS
from belnews.schema.arrow import _resolve, struct_rows
from belnews.schema.record import load_schema

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


#: Whether the Arrow JSON reader uses its thread pool (see read_json_block). A block is read
#: as one chunk, which the pool barely divides, and the validator already parses two blocks
#: at once in its own threads: on 2 cores the pool only added contention (5% slower).
THREADS = False


class UnsupportedSchema(ValueError):
    """The JSON Schema uses a keyword the columnar evaluator cannot check."""


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


def schema_mask(arr: Any, node: dict[str, Any] | None = None, root: dict[str, Any] | None = None):
    """For every element of ``arr``, whether it satisfies the schema ``node`` (default: the
    record schema, with ``arr`` a struct array of records). ``required`` is left to key
    counting and ``additionalProperties`` to the reader (see the module docstring)."""
    bad = _schema_faults(arr, node, root or load_schema())
    return np.ones(len(arr), dtype=bool) if bad is None else ~bad


def _either(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    return a if b is None else a | b


def _false_at(result: Any) -> np.ndarray | None:
    """Faults where a boolean Arrow result is false (a null, from a null input, is no fault:
    the type check judges nulls). Most columns pass every check, so NumPy is spared then."""
    if result.true_count == len(result) - result.null_count:
        return None
    return ~_bools(result, True)


def _schema_faults(
    arr: Any, node: dict[str, Any] | None, root: dict[str, Any]
) -> np.ndarray | None:
    """For each element of ``arr``, whether it breaks the schema ``node``; None when no
    element does (most columns), so that nothing is allocated for them."""
    node = _resolve(root if node is None else node, root)
    unknown = set(node) - KEYWORDS
    if unknown:
        raise UnsupportedSchema(f"no columnar check for {sorted(unknown)}")
    n = len(arr)
    has_nulls = arr.null_count > 0
    json_types = _json_types(arr.type)
    bad: np.ndarray | None = None
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        type_ok, null_ok = bool(json_types & set(types)), "null" in types
        if not type_ok:
            bad = _valid(arr) if null_ok else np.ones(n, dtype=bool)
        elif has_nulls and not null_ok:
            bad = ~_valid(arr)
    if "const" in node:
        bad = _either(bad, _among(arr, [node["const"]]))
    if "enum" in node:
        bad = _either(bad, _among(arr, node["enum"]))
    if json_types == {"string"}:
        if "pattern" in node:
            bad = _either(bad, _false_at(pc.match_substring_regex(arr, node["pattern"])))
        if "minLength" in node:
            bad = _either(bad, _too_short(arr, node["minLength"]))
    if "number" in json_types and "minimum" in node:
        bad = _either(bad, _false_at(pc.greater_equal(arr, node["minimum"])))
    if json_types == {"array"}:
        bad = _either(bad, _list_faults(arr, node, root))
    if json_types == {"object"} and "properties" in node:
        names = set(arr.type.names)
        valid = _valid(arr) if has_nulls else None
        for name, sub in node["properties"].items():
            if name not in names:
                raise UnsupportedSchema(f"property {name!r} has no Arrow column")
            inner = _schema_faults(_field(arr, name), sub, root)
            if inner is not None and valid is not None:
                inner &= valid  # a null object has no properties to break
            bad = _either(bad, inner)
    if "oneOf" in node:
        hits = np.zeros(n, dtype=np.int8)
        for branch in node["oneOf"]:
            missed = _schema_faults(arr, branch, root)
            hits += 1 if missed is None else ~missed
        bad = _either(bad, hits != 1)
    if "if" in node:
        cond = _schema_faults(arr, node["if"], root)
        then = _schema_faults(arr, node["then"], root) if "then" in node else None
        other = _schema_faults(arr, node["else"], root) if "else" in node else None
        if cond is None:
            branch = then
        elif then is None and other is None:
            branch = None
        else:
            no = np.zeros(n, dtype=bool)
            branch = np.where(cond, no if other is None else other, no if then is None else then)
        bad = _either(bad, branch)
    return bad


def _too_short(arr: Any, least: int) -> np.ndarray | None:
    """``minLength``: strings of fewer than ``least`` characters. A UTF-8 character takes 1
    to 4 bytes, so byte lengths (read off the offsets, with no pass over the text) decide
    every string of fewer than ``least`` or at least ``4 * least`` bytes; characters are
    counted only if some string lies in between."""
    _, offsets = _string_bytes(arr.cast(pa.string()))
    size = np.diff(offsets)
    if arr.null_count:
        size[~_valid(arr)] = 4 * least  # a null is judged by the type check
    if least <= 1 or (size >= 4 * least).all() or not (size >= least).any():
        return None if (size >= least).all() else size < least
    return _false_at(pc.greater_equal(pc.utf8_length(arr), least))


def _among(arr: Any, allowed: list[Any]) -> np.ndarray | None:
    """``const``/``enum``: the valid elements equal to none of the non-null values, and the
    nulls unless null is allowed."""
    values = [v for v in allowed if v is not None]
    try:
        value_set = pa.array(values, type=arr.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        bad = _valid(arr)  # no allowed value has this column's type
    else:
        bad = _false_at(pc.is_in(arr, value_set=value_set))
    if not arr.null_count:
        return bad
    valid = _valid(arr)
    bad = None if bad is None else bad & valid  # the nulls are judged here, not by is_in
    return bad if None in allowed else _either(bad, ~valid)


def _list_faults(arr: Any, node: dict[str, Any], root: dict[str, Any]) -> np.ndarray | None:
    n = len(arr)
    bad = None
    if "minItems" in node:
        bad = _false_at(pc.greater_equal(pc.list_value_length(arr), node["minItems"]))
    values, parents = _children(arr)
    if "prefixItems" in node:
        first = np.searchsorted(parents, parents, side="left")
        position = np.arange(len(parents)) - first
        prefix = node["prefixItems"]
        for k, sub in enumerate(prefix):
            at = position == k
            wrong = _schema_faults(values.filter(pa.array(at)), sub, root)
            if wrong is not None:
                bad = _either(bad, _flag(n, parents[at][wrong]))
        if node.get("items") is False:
            bad = _either(bad, _flag(n, parents[position >= len(prefix)]))
    elif isinstance(node.get("items"), dict):
        wrong = _schema_faults(values, node["items"], root)
        if wrong is not None:
            bad = _either(bad, _flag(n, parents[wrong]))
    return bad


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


def raw_key_counts(block: bytes | bytearray, lengths: np.ndarray) -> np.ndarray:
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


def raw_key_total(block: bytes | bytearray) -> int:
    """The keys :func:`raw_key_counts` would count in all the lines of ``block`` together
    (``…x":`` with x an ASCII letter, digit or underscore), without splitting it into lines.

    Never more than the keys written (see :func:`raw_key_counts`), which are never more
    than the keys parsed (a missing key parses as null; an unknown or repeated key is
    refused). So when the total equals the keys parsed, every line holds exactly the keys
    its row parsed to, and only when it does not are the lines counted one by one.
    """
    buf = np.frombuffer(block, dtype=np.uint8)
    total = 0
    # in slices that stay in the CPU cache: one pass over each, with no large temporaries
    for at in range(0, max(len(buf) - 2, 0), _SLICE):
        part = buf[at : at + _SLICE + 2]
        closes = np.flatnonzero((part[1:-1] == 0x22) & (part[2:] == 0x3A))  # `":` at at+1+i
        total += int(np.count_nonzero(_KEY_END[part[closes]]))
    return total


#: Bytes of a block counted at a time by :func:`raw_key_total`.
_SLICE = 1 << 20


class RawKeys:
    """How many keys the source lines of a batch hold, for telling a missing key from a
    null one. The whole block is counted at once (:func:`raw_key_total`); lines are counted
    one by one (:func:`raw_key_counts`) only when the totals disagree."""

    def __init__(self, block: bytes | bytearray, lengths: np.ndarray) -> None:
        self.block, self.lengths = block, lengths
        self.total = raw_key_total(block)

    def differ(self, parsed: np.ndarray) -> np.ndarray:
        """For each line, whether its keys may differ from the ``parsed`` count of its row."""
        if self.total == int(parsed.sum()):
            return np.zeros(len(parsed), dtype=bool)
        return raw_key_counts(self.block, self.lengths) != parsed


def screen(records: Any, raw_keys: RawKeys | None = None) -> np.ndarray:
    """For each record of a struct array (or table) read with the record schema: True when
    it certainly passes the JSON Schema and every semantic check with no issue at all.

    ``raw_keys`` tells how many keys the source lines hold (:class:`RawKeys`) when the
    records were read from JSON; a row whose count differs lost a key to a null.
    Raises nothing on odd data: any exception inside marks the whole batch unscreened.
    """
    records = struct_rows(records)
    n = len(records)
    try:
        ok = schema_mask(records)
        if raw_keys is not None:
            ok &= ~raw_keys.differ(key_counts(records))
        b = _Batch(records)
        for check in SCREENS:
            ok &= ~check(b)
    except UnsupportedSchema:
        raise
    except Exception:
        return np.zeros(n, dtype=bool)
    return ok


def read_json_lines(lines: list[bytes]) -> Any | None:
    """Parse JSON lines into one Arrow table with the record schema, or None if the reader
    refuses any of them: a reason for the exact path."""
    if not lines:
        return None
    return read_json_block(b"\n".join(lines) + b"\n", len(lines))


def read_json_block(data: bytes | bytearray, rows: int) -> Any | None:
    """Parse a block of ``rows`` JSON lines (each ended by LF) into one Arrow table with the
    record schema, or None if the reader refuses the block or finds another number of rows.

    The block is read as one chunk: a table of several would have to be copied into one for
    the screen, and the read-ahead threads already keep both cores busy."""
    import pyarrow.json as pj

    from belnews.schema.arrow import arrow_schema

    if not rows:
        return None
    try:
        table = pj.read_json(
            pa.BufferReader(data),  # no copy (io.BytesIO copies a bytearray)
            read_options=pj.ReadOptions(block_size=len(data) + 1, use_threads=THREADS),
            parse_options=pj.ParseOptions(
                explicit_schema=arrow_schema(with_features=False),
                unexpected_field_behavior="error",
            ),
        )
        table.validate(full=True)  # the reader does not check that strings are UTF-8
    except (pa.ArrowException, ValueError, UnicodeDecodeError):
        return None
    return table if table.num_rows == rows else None


def parse_block(data: bytes | bytearray, lengths: np.ndarray) -> tuple[Any | None, RawKeys | None]:
    """Parse a block of JSON lines of the given byte lengths (each followed by LF, each one
    object: :func:`one_object_a_line`, which the caller checked) for :func:`screen`: (table,
    key counts of the lines), or (None, None) when the Arrow reader refuses the block. A
    line with a byte-order mark (which the reader would skip) never gets here: it does not
    start with ``{``. Runs with the GIL released for the most part, so further batches are
    parsed while one is screened."""
    table = read_json_block(data, len(lengths))
    if table is None:
        return None, None
    return table, RawKeys(data, lengths)


def one_object_a_line(lines: Iterable[bytes]) -> bool:
    """Whether each line, spaces aside, starts with ``{`` and ends with ``}``.

    The screen takes row i of the reader's table for line i, and the reader does not see
    lines: two objects on one line are two rows, and an object broken over two lines is
    one, so a line of each keeps the count of rows right while every row belongs to another
    line. Inside one JSON document a ``}`` is never followed (across spaces) by ``{``, and
    the reader refuses a line break inside a string, so no document then crosses a line
    break; as each line opens one, a table with as many rows as lines has exactly one
    object per line, in order.
    """
    for line in lines:
        body = line.strip(b" \t\r")
        if body[:1] != b"{" or body[-1:] != b"}":
            return False
    return True


def parse_lines(lines: list[bytes]) -> tuple[Any | None, RawKeys | None]:
    """:func:`parse_block` of JSON lines; (None, None) unless :func:`one_object_a_line`."""
    if not one_object_a_line(lines):
        return None, None
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    return parse_block(b"\n".join(lines) + b"\n", lengths)


def screen_lines(lines: list[bytes]) -> tuple[Any | None, np.ndarray]:
    """Read and screen JSON lines: (table or None, clean mask)."""
    table, raw = parse_lines(lines)
    if table is None:
        return None, np.zeros(len(lines), dtype=bool)
    return table, screen(table, raw)
