"""Records from wherever :func:`belnews._paths.locate` found the corpus.

In a checkout the records are the JSON files of ``corpus/records``; from the installed release
they are the rows of its articles table. A Parquet row holds every optional field (``None``
where the record has none), which the summaries, statistics and the review view read alike,
so the commands answer the same from both.
"""

from __future__ import annotations

from typing import Any

from belnews._paths import Source
from belnews.corpus.records import read_record
from belnews.corpus.store import load_corpus_records, records_dir
from belnews.use.loader import load_arrow

__all__ = ["find_record", "source_records"]


def source_records(source: Source) -> list[dict[str, Any]]:
    """Every record of the source, in id order."""
    if source.checkout is not None:
        return load_corpus_records(source.corpus)
    return load_arrow(directory=source.data).to_pylist()


def find_record(source: Source, record_id: str) -> dict[str, Any] | None:
    """One record by id, or None if the source has no such record."""
    if source.checkout is not None:
        path = records_dir(source.corpus) / f"{record_id}.json"
        return read_record(path) if path.is_file() else None
    import pyarrow.compute as pc

    table = load_arrow(directory=source.data)
    rows = table.filter(pc.equal(table["id"], record_id)).to_pylist()
    return rows[0] if rows else None
