"""What every rule module shares: the record type, issue construction and span walking.

The exact forms of the rules build :class:`~belnews.errors.Issue` objects through
:func:`_issue` / :func:`_warning` and register their codes with :func:`check`, so the code
table in VALIDATION.md is generated from one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from belnews.errors import Issue

Record = dict[str, Any]


Check = Callable[[Record], Iterator[Issue]]


#: code -> one-line description, the table documented in VALIDATION.md.
CODES: dict[str, str] = {}


def check(*codes_and_docs: tuple[str, str]) -> Callable[[Check], Check]:
    """Record the codes (with their one-line docs) that the decorated check may yield."""

    def register(fn: Check) -> Check:
        for code, doc in codes_and_docs:
            CODES[code] = doc
        return fn

    return register


Where = tuple[Any, ...]

#: The span-valued roles of a quote besides its content and marks, and of a figure.
QUOTE_ROLES = ("cue", "source", "addressee", "channel", "time", "place")
FIGURE_ROLES = ("measured_entity", "measured_property", "qualifier")


def json_path(where: Where) -> str:
    """``("quotes", 3, "content", 0)`` -> ``$.quotes[3].content[0]``."""
    out = "$"
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def iter_spans(record: Record) -> Iterator[tuple[str, Where, dict[str, Any]]]:
    """Every span-shaped object in a record as (layer, location, span).

    The location is a tuple (formatted by :func:`json_path` only when an issue needs it),
    because building path strings for every span would dominate the cost of the checks.
    """
    for i, q in enumerate(record["quotes"]):
        for j, frag in enumerate(q["content"]):
            yield "quotes", ("quotes", i, "content", j), frag
        for j, mark in enumerate(q["marks"]):
            yield "quotes", ("quotes", i, "marks", j), mark
        for role in QUOTE_ROLES:
            if q[role] is not None:
                yield "quotes", ("quotes", i, role), q[role]
    for i, f in enumerate(record["figures"]):
        yield "figures", ("figures", i), f
        for role in FIGURE_ROLES:
            if f[role] is not None:
                yield "figures", ("figures", i, role), f[role]
    for i, m in enumerate(record["entities"]):
        yield "entities", ("entities", i), m


def _issue(record: Record, code: str, path: str | Where, message: str, **kw: Any) -> Issue:
    where = path if isinstance(path, str) else json_path(path)
    return Issue(code=code, message=message, record_id=record.get("id"), path=where, **kw)


def _warning(record: Record, code: str, path: str, message: str, **kw: Any) -> Issue:
    return Issue(
        code=code, message=message, severity="warning", record_id=record.get("id"), path=path, **kw
    )


def _section_of(bounds: list[tuple[int, int]], sp: dict[str, Any]) -> int | None:
    for k, (a, b) in enumerate(bounds):
        if a <= sp["start"] and sp["end"] <= b:
            return k
    return None


def in_bounds(sp: dict[str, Any], n: int) -> bool:
    """True when a span's offsets are 0 <= start < end <= n (other checks report it if not)."""
    return 0 <= sp["start"] < sp["end"] <= n
