"""The boundary in front of the commands that display or count records (show, summary, stats).

Those commands index records freely (``record["quotes"][0]["content"]``), so a record that
lacks a key or holds a wrong type would crash them. Here every record they read first goes
through the gate's syntax and JSON Schema layers; one that fails becomes a single
:class:`~belnews.errors.RecordError` naming the file, the record id, the JSON path and what
was expected, instead of a ``KeyError`` deep inside a renderer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from belnews.check.conformance import schema_issues
from belnews.check.readers import parse_json_text
from belnews.corpus.records import record_paths
from belnews.errors import Issue, RecordError

#: How many issues of one record the error lists before it says "and more".
MAX_LISTED = 5


def _describe(issue: Issue) -> str:
    where = [issue.record_id] if issue.record_id else []
    return ": ".join([*where, issue.path, issue.code, issue.message])


def issues_error(file: str, issues: Iterable[Issue], prefix: str = "") -> RecordError | None:
    """One error for the first few issues (None when there is none)."""
    listed = list(itertools.islice(issues, MAX_LISTED + 1))
    if not listed:
        return None
    lines = [f"{file}: {prefix}{_describe(i)}" for i in listed[:MAX_LISTED]]
    if len(listed) > MAX_LISTED:
        lines.append(f"{file}: ... and more (run `belnews validate {file}` for every issue)")
    return RecordError("\n".join(lines))


def require_shape(record: dict[str, Any], file: str) -> dict[str, Any]:
    """``record`` itself if it has the schema's shape; otherwise a RecordError."""
    error = issues_error(file, schema_issues(record))
    if error is not None:
        raise error
    return record


def checked_record(path: Path) -> dict[str, Any]:
    """Read one record file through the syntax and schema layers of the gate."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"{path}: cannot read record: {exc.strerror or exc}") from exc
    parsed = parse_json_text(data, str(path))
    errors = [i for i in parsed.issues if i.severity == "error"]
    if parsed.record is None or errors:
        raise issues_error(str(path), errors, "cannot read record: ") or RecordError(
            f"{path}: cannot read record"
        )
    return require_shape(parsed.record, str(path))


def checked_records(folder: Path) -> Iterator[dict[str, Any]]:
    """Every record of a folder (sorted by file name), each checked by :func:`checked_record`."""
    for path in record_paths(folder):
        yield checked_record(path)
