"""A small TOML writer for the two files belnews generates: metadata sidecars and annotations.

The standard library reads TOML but does not write it, and the files we write use only a few
value types (strings, integers, booleans, lists, small inline tables), so a writer of our own
keeps the dependency list short. JSON string escapes are valid TOML basic-string escapes, which
is what :func:`value` relies on (DEL, which JSON leaves raw and TOML forbids, is escaped);
a round-trip test reads every file back with ``tomllib``.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def key(name: str) -> str:
    """A key, quoted only when it must be."""
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def value(item: Any) -> str:
    """One TOML value on one line (lists and dicts become arrays and inline tables)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, dict):
        pairs = (f"{key(k)} = {value(v)}" for k, v in item.items() if v is not None)
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"cannot write {type(item).__name__} as TOML")


#: A list longer than this (as one line) is written one item per line.
WRAP = 96


def pairs(table: dict[str, Any]) -> list[str]:
    """``key = value`` lines for a table; ``None`` values are left out (TOML has no null).

    Long lists are written one item per line, as people write them in the committed files.
    """
    out = []
    for k, v in table.items():
        if v is None:
            continue
        line = f"{key(k)} = {value(v)}"
        if isinstance(v, list) and len(line) > WRAP and v:
            items = "".join(f"  {value(item)},\n" for item in v)
            line = f"{key(k)} = [\n{items}]"
        out.append(line)
    return out


def table(header: str, body: dict[str, Any], *, array: bool = False) -> str:
    """A ``[header]`` (or ``[[header]]``) table with its pairs, ending in a blank line."""
    head = f"[[{header}]]" if array else f"[{header}]"
    return "\n".join([head, *pairs(body)]) + "\n\n"
