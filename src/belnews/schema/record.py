"""The record contract: load ``article.schema.json`` once and validate against it.

The JSON Schema is the single source of truth for the record's shape; checks it cannot
express (offsets, references, overlaps) live in :mod:`belnews.check.rules`.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any

from belnews._paths import schema_path
from belnews.errors import Error


class SchemaLoadError(Error):
    """The schema file is missing or is not a valid JSON Schema."""


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The parsed record schema (cached: it never changes while the process runs)."""
    path = schema_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaLoadError(f"cannot read the record schema at {path}: {exc}") from exc


def schema_version() -> str:
    """The version this package writes into ``schema_version``."""
    return str(load_schema()["x-schema-version"])


def ecma_pattern(pattern: str) -> str:
    r"""Python ``re`` spelling of an ECMA-262 ``pattern`` as JSON Schema evaluates it.

    The two dialects differ where it matters for a gate: ECMA's ``$`` (without the multiline
    flag) matches only at the very end, Python's also before a final newline, so
    ``"Q2280\n"`` would pass ``^Q[1-9][0-9]*$`` in Python alone. Every unescaped ``$`` outside
    a character class becomes ``\Z``; ``\d`` and ``\w`` are ASCII in ECMA, so the caller
    compiles with :data:`re.ASCII` (none of our patterns uses ``\s``, whose sets differ).
    """
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == "$":
            out.append("\\Z")
        else:
            out.append(ch)
    return "".join(out)


@cache
def _ecma_regex(pattern: str) -> Any:
    import re

    return re.compile(ecma_pattern(pattern), re.ASCII)


@lru_cache(maxsize=1)
def validator() -> Any:
    """A compiled draft 2020-12 validator for records (built once, reused for every record),
    whose ``pattern`` keyword follows ECMA-262 like ``jsonschema-rs`` and the Arrow screen."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not _ecma_regex(patrn).search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    ecma = validators.extend(Draft202012Validator, {"pattern": pattern})
    return ecma(schema)


@lru_cache(maxsize=1)
def fast_validator() -> Any:
    """A ``jsonschema-rs`` validator for the yes/no fast path (full draft 2020-12)."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(load_schema())
