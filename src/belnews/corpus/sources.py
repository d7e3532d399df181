"""The shape of the TOML files annotators write (``meta/<id>.toml``, ``annotations/<id>.toml``).

TOML gives any key any type: ``quotes = 5``, ``content = 3`` or a bare date where a string is
meant all parse. Checking every file against a small JSON Schema (``schema/*.toml.schema.json``)
before a record is built turns each of them into one error naming the file, the key path
(``quotes[2].content``) and what was expected, instead of a ``TypeError`` half way through.
The schemas check only shape; the built record is checked by ``article.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from belnews._paths import source_schema_path
from belnews.errors import RecordError

#: Source files that have a shape schema.
KINDS = ("annotations", "meta")
#: How many problems of one file an error lists.
MAX_LISTED = 10


@cache
def source_validator(kind: str) -> Any:
    """A compiled draft 2020-12 validator for one kind of source file."""
    from jsonschema import Draft202012Validator

    path = source_schema_path(kind)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RecordError(f"cannot read the source schema {path}: {exc}") from exc
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _defs() -> dict[str, Any]:
    """The ``$defs`` of every source schema (their shared names mean the same thing)."""
    return {k: v for kind in KINDS for k, v in source_validator(kind).schema["$defs"].items()}


def toml_type(value: Any) -> str:
    """The TOML name of a parsed value's type (what the annotator wrote)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dt.datetime):
        return "datetime"
    for kind, name in (
        (int, "integer"), (float, "float"), (str, "string"), (dict, "table"), (list, "array"),
        (dt.date, "date"), (dt.time, "time"),
    ):  # fmt: skip
        if isinstance(value, kind):
            return name
    return type(value).__name__


def key_path(parts: Any) -> str:
    """``quotes[2].content[0]`` from a JSON Schema error path; ``(top level)`` if empty."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _found(value: Any) -> str:
    """What was found, written as TOML would write it, shortened."""
    if isinstance(value, dict):
        shown = "{" + ", ".join(sorted(value)) + "}"
    else:
        shown = json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat())
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{toml_type(value)} {shown}"


def _expected_of(schema: dict[str, Any]) -> str:
    """The ``x-expected`` wording of a property's schema (following one ``$ref``)."""
    if "x-expected" in schema:
        return str(schema["x-expected"])
    ref = str(schema.get("$ref", ""))
    if ref.startswith("#/$defs/"):
        target = _defs().get(ref.rpartition("/")[2], {})
        return str(target.get("x-expected", "a value"))
    return "a value"


def _problems(err: Any) -> list[str]:
    """Sentences for one schema error: the key path, what was expected, what was found."""
    where = key_path(err.absolute_path)
    if err.validator == "required":
        props = err.schema.get("properties", {})
        return [
            f"{where}: `{key}` ({_expected_of(props.get(key, {}))}) is required"
            for key in err.validator_value
            if key not in err.instance
        ]
    if err.validator == "additionalProperties":
        known = sorted(err.schema.get("properties", {}))
        extra = sorted(k for k in err.instance if k not in known)
        return [f"{where}: unknown key {', '.join(extra)} (expected one of: {', '.join(known)})"]
    if isinstance(err.instance, dict) and err.validator in ("anyOf", "oneOf") and err.context:
        # a table where an anchor or a table may stand: say what is wrong inside the table
        inner = [
            e
            for e in err.context
            if len(e.absolute_path) > len(err.absolute_path)
            or e.validator in ("required", "additionalProperties")
        ]
        if inner:
            return [p for e in inner for p in _problems(e)]
    expected = err.schema.get("x-expected")
    if expected is None:
        return [f"{where}: {err.message}"]
    return [f"{where}: expected {expected}, found {_found(err.instance)}"]


def shape_problems(value: Any, kind: str) -> list[str]:
    """Every shape problem of a parsed source file, sorted by key path."""
    errors = sorted(
        source_validator(kind).iter_errors(value),
        key=lambda e: ([str(p) for p in e.absolute_path], str(e.validator)),
    )
    return list(dict.fromkeys(p for e in errors for p in _problems(e)))


def check_source(value: Any, path: Path, kind: str) -> dict[str, Any]:
    """``value`` if it has the shape of a ``kind`` file; else a RecordError naming ``path``."""
    problems = shape_problems(value, kind)
    if not problems:
        return value
    lines = [f"{path}: {p}" for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"{path}: ... and {len(problems) - MAX_LISTED} more")
    raise RecordError("\n".join(lines))
