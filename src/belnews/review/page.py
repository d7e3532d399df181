"""``write_review``: find the record, render its page, write the file atomically."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import RecordError
from .html import render_page
from .inputs import read_record_file, write_text_atomic

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")


def find_record(target: str | Path, records_dir: Path | None = None) -> Path:
    """A record file: ``target`` itself when it is a file, else ``<records>/<target>.json``."""
    path = Path(target)
    if path.is_file():
        return path
    if not _ID.match(str(target)):
        raise RecordError(f"{target}: neither a record file nor a record id")
    if records_dir is None:
        from .._paths import corpus_dir

        records_dir = corpus_dir() / "records"
    candidate = records_dir / f"{target}.json"
    if not candidate.is_file():
        raise RecordError(f"no record {str(target)!r} in {records_dir} (and no such file)")
    return candidate


def write_review(
    target: str | Path,
    *,
    out: Path | None = None,
    silver: Path | None = None,
    records_dir: Path | None = None,
) -> Path:
    """Write the review page of ``target`` (id or record file) and return where it went."""
    record = read_record_file(find_record(target, records_dir))
    if not isinstance(record.get("text"), str) or not isinstance(record.get("id"), str):
        raise RecordError(f"{target}: not a record (it needs a string 'id' and 'text')")
    silver_record = read_record_file(silver) if silver is not None else None
    if out is None:
        out = Path.cwd() / f"{record['id']}.review.html"
    write_text_atomic(out, render_page(record, silver_record))
    return out
