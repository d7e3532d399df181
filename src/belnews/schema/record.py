"""The record contract: load ``article.schema.json`` once and validate against it.

The JSON Schema is the single source of truth for the record's shape; checks it cannot
express (offsets, references, overlaps) live in :mod:`belnews.checks`.
"""

from __future__ import annotations

import json
from functools import lru_cache
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


@lru_cache(maxsize=1)
def validator() -> Any:
    """A compiled ``Draft202012Validator`` for records (built once, reused for every record)."""
    from jsonschema import Draft202012Validator

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def fast_validator() -> Any:
    """A ``jsonschema-rs`` validator for the yes/no fast path (full draft 2020-12)."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(load_schema())
