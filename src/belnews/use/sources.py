"""Records from wherever :func:`belnews._paths.locate` found the corpus.

In a checkout the records are the JSON files of ``corpus/records``; from the installed release
they are the rows of its articles table. A Parquet row holds every optional field (``None``
where the record has none), which the summaries, statistics and the review view read alike,
so the commands answer the same from both.
"""

from __future__ import annotations

from typing import Any

from belnews._paths import Source
from belnews.check.guard import checked_record, checked_records
from belnews.corpus.store import records_dir
from belnews.use.loader import load_arrow

__all__ = ["find_record", "source_records"]


def source_records(source: Source) -> list[dict[str, Any]]:
    """Every record of the source, in id order. Record files are read through the gate's
    syntax and schema layers (a damaged file is a RecordError naming it, never a KeyError
    later); the release's rows were checked when it was built and are checksum-verified."""
    if source.checkout is not None:
        return sorted(checked_records(records_dir(source.corpus)), key=lambda r: r["id"])
    return load_arrow(directory=source.data).to_pylist()


def find_record(source: Source, record_id: str) -> dict[str, Any] | None:
    """One record by id, or None if the source has no such record."""
    if source.checkout is not None:
        path = records_dir(source.corpus) / f"{record_id}.json"
        return checked_record(path) if path.is_file() else None
    import pyarrow.compute as pc

    table = load_arrow(directory=source.data)
    rows = table.filter(pc.equal(table["id"], record_id)).to_pylist()
    return rows[0] if rows else None
