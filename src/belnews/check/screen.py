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

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _children, _field, _flag, _valid
from belnews.check.rules import SCREENS
from belnews.schema.arrow import _resolve
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


#: Whether the Arrow JSON reader uses its thread pool (see parse_lines).
THREADS = True


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
        for check in SCREENS:
            ok &= ~check(b)
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

    from belnews.schema.arrow import arrow_schema

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
