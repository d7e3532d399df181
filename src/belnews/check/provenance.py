"""Provenance checks: the record against the raw file it claims to come from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from belnews.errors import Issue

PROVENANCE_CODES = {
    "raw-hash-mismatch": "provenance.raw_sha256 differs from the SHA-256 of the raw file",
    "text-not-reproducible": "normalizing the raw file does not give `text` (or its sections)",
    "raw-file-missing": "warning: the raw file named in provenance is not in the corpus",
}


def provenance_issues(record: dict[str, Any], raw_dir: Path | None) -> Iterator[Issue]:
    """Compare the record with its raw file, when a raw folder is known."""
    from belnews.corpus.ingest import sha256_hex
    from belnews.corpus.normalize import normalize

    if raw_dir is None or not raw_dir.is_dir():
        return
    rid = record["id"]
    raw_path = raw_dir / record["provenance"]["raw_file"]
    if not raw_path.is_file():
        yield Issue(
            "raw-file-missing",
            f"no raw file {raw_path}",
            severity="warning",
            record_id=rid,
            path="$.provenance.raw_file",
        )
        return
    raw = raw_path.read_bytes()
    digest = sha256_hex(raw)
    if digest != record["provenance"]["raw_sha256"]:
        yield Issue(
            "raw-hash-mismatch",
            f"{raw_path.name} has a different SHA-256",
            record_id=rid,
            path="$.provenance.raw_sha256",
            expected=digest,
            found=record["provenance"]["raw_sha256"],
        )
        return
    norm = normalize(raw)
    if norm.text != record["text"]:
        first = next(
            (i for i, (a, b) in enumerate(zip(norm.text, record["text"], strict=False)) if a != b),
            min(len(norm.text), len(record["text"])),
        )
        yield Issue(
            "text-not-reproducible",
            f"normalizing {raw_path.name} gives a different text from offset {first}",
            record_id=rid,
            path="$.text",
            expected=norm.text[first : first + 30],
            found=record["text"][first : first + 30],
        )
    else:
        sections = [{"type": s.type, "start": s.start, "end": s.end} for s in norm.sections]
        if sections != record["sections"]:
            yield Issue(
                "text-not-reproducible",
                "the sections differ from what normalization gives",
                record_id=rid,
                path="$.sections",
            )


def _raw_dir_for(file: str, raw_dir: Path | None) -> Path | None:
    if raw_dir is not None:
        return raw_dir
    path = Path(file)
    if path.parent.name == "records":
        return path.parent.parent / "raw"
    return None
