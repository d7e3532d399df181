"""The source corpus folder: regenerate records from raw + sidecars, and summarize them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from belnews._paths import corpus_dir
from belnews.corpus.ingest import corpus_ids, record_from_corpus
from belnews.corpus.records import dumps, fields_of, iter_records, write_record


def records_dir(corpus: Path | None = None) -> Path:
    return (corpus or corpus_dir()) / "records"


def regenerate(corpus: Path | None = None, *, check: bool = False) -> list[str]:
    """Rebuild every record from its sources.

    Returns the ids whose committed record differs from the rebuilt one. With ``check`` the
    files are left alone (a dry run for CI); otherwise changed records are rewritten atomically.
    """
    corpus = corpus or corpus_dir()
    changed: list[str] = []
    for rid in corpus_ids(corpus):
        record = record_from_corpus(corpus, rid)
        path = records_dir(corpus) / f"{rid}.json"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != dumps(record):
            changed.append(rid)
            if not check:
                write_record(path, record)
    return changed


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per article and layer, as plain data (used by the CLI and the docs)."""
    per_article = []
    totals: Counter[str] = Counter()
    for r in records:
        with fields_of(r, "summary"):
            row = {
                "id": str(r["id"]),
                "characters": len(r["text"]),
                "sections": len(r["sections"]),
                "quotes": len(r["quotes"]),
                "figures": len(r["figures"]),
                "entities": len(r["entities"]),
                "clusters": len(r["clusters"]),
            }
        per_article.append(row)
        totals.update({k: v for k, v in row.items() if k != "id"})
    return {"articles": len(records), "totals": dict(totals), "per_article": per_article}


def load_corpus_records(corpus: Path | None = None) -> list[dict[str, Any]]:
    return [record for _path, record in iter_records(records_dir(corpus))]
