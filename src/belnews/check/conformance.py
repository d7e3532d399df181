"""JSON Schema conformance of one record, reported as issues with JSON paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from belnews.check.readers import MAX_DEPTH, max_depth, surrogate_path
from belnews.check.rules.base import json_path
from belnews.errors import Issue
from belnews.schema.record import fast_validator, validator

#: ``schema-<keyword>`` for every JSON Schema keyword the record schema uses.
SCHEMA_CODES = {
    "schema-type": "a value has the wrong JSON type (e.g. a number where text is expected)",
    "schema-required": "a required property is missing",
    "schema-additional-properties": "a property the schema does not define",
    "schema-enum": "a value outside its closed set (labels, kinds, roles)",
    "schema-const": "a fixed value differs (schema_version, offset_unit, NFC)",
    "schema-pattern": "a string does not match its pattern (ids, hashes, dates, QIDs)",
    "schema-minimum": "a number is below its minimum (negative offsets)",
    "schema-min-items": "a list is shorter than allowed (empty quote content, short map row)",
    "schema-min-length": "an empty string where text is required",
    "schema-items": "a fixed-length tuple has extra items (offset map rows)",
    "integer-written-as-float": "an integer written with a fraction or exponent (`3.0`, `3e0`)",
    "schema-invalid": "the fast JSON Schema validator rejects the record where the detailed one "
    "names no error (its own message is reported: the gate takes the stricter verdict)",
}


def _kebab(word: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", word).lower()


def schema_issues(record: dict[str, Any]) -> Iterator[Issue]:
    """Every JSON Schema error of a record, sorted by path, as issues coded ``schema-<keyword>``.

    ``jsonschema-rs`` answers "valid?" about 100 times faster; only records it rejects go
    through ``jsonschema``, whose errors carry the paths and messages contributors read.
    """
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    try:
        if fast_validator().is_valid(record):
            return
    except UnicodeEncodeError:  # a lone surrogate (a dict built in Python, not read by us)
        where = surrogate_path(record) or "$"
        yield Issue(
            "invalid-unicode",
            f"a lone surrogate in {where}: not valid text",
            record_id=None if rid is None or surrogate_path(rid) else rid,
            path=where,
        )
        return
    if max_depth(record) > MAX_DEPTH:
        yield Issue(
            "nesting-too-deep",
            f"nested deeper than {MAX_DEPTH} levels",
            record_id=rid,
            expected=f"at most {MAX_DEPTH}",
        )
        return
    errors = sorted(
        validator().iter_errors(record), key=lambda e: (list(map(str, e.path)), e.validator)
    )
    if not errors:
        # The two validators disagree. A rejection never vanishes: report the fast one's.
        for err in fast_validator().iter_errors(record):
            yield Issue(
                code="schema-invalid",
                message=str(getattr(err, "message", err)),
                record_id=rid,
                path=json_path(tuple(getattr(err, "instance_path", ()))),
            )
        return
    for err in errors:
        detail = err
        if err.validator == "oneOf" and err.context:
            # A nullable span: report the deepest reason under the span branch.
            detail = max(err.context, key=lambda e: len(e.path))
        yield Issue(
            code=f"schema-{_kebab(str(detail.validator))}",
            message=detail.message,
            record_id=rid,
            path=detail.json_path,
            expected=_expected(detail),
            found=_short(detail.instance),
        )


def _expected(err: Any) -> Any:
    value = err.validator_value
    if err.validator in ("$ref", "if", "then", "else", "properties", "items", "prefixItems"):
        return None
    if isinstance(value, (dict, list)) and len(json.dumps(value)) > 200:
        return None
    return {err.validator: value}


def _short(value: Any) -> Any:
    if isinstance(value, dict):
        return {"keys": sorted(value)}  # the object itself would swamp the message
    text = json.dumps(value, ensure_ascii=False)
    return value if len(text) <= 120 else text[:117] + "..."


def float_issues(record: dict[str, Any]) -> Iterator[Issue]:
    """Numbers parsed as floats. The JSON Schema calls ``3.0`` an integer, but every number
    in a record is an offset or a count, used as an index: it must be written ``3``."""
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    stack: list[tuple[Any, tuple[Any, ...]]] = [(record, ())]
    while stack:
        value, where = stack.pop()
        items = value.items() if type(value) is dict else enumerate(value)
        for key, child in items:
            if type(child) is float:
                yield Issue(
                    "integer-written-as-float",
                    f"{child!r} is written as a float; write it as the integer {int(child)}",
                    record_id=rid,
                    path=json_path((*where, key)),
                    expected="an integer without fraction or exponent",
                    found=child,
                )
            elif type(child) in (dict, list):
                stack.append((child, (*where, key)))
