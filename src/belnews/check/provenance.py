"""Provenance checks: the record against the raw file it claims to come from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from belnews.errors import Issue, NormalizationError

PROVENANCE_CODES = {
    "raw-hash-mismatch": "provenance.raw_sha256 differs from the SHA-256 of the raw file",
    "text-not-reproducible": "normalizing the raw file does not give `text` (or its sections)",
    "raw-file-missing": "warning: the raw file named in provenance is not in the corpus",
    "raw-not-utf8": "the raw file (whose hash matches) is not valid UTF-8 text",
    "raw-offset-out-of-range": "an offset_map or removed entry points outside the raw file",
    "provenance-map-mismatch": "offset_map or removed differs from what normalizing the raw file "
    "gives, so spans cannot be traced back to the raw text",
}


def provenance_issues(record: dict[str, Any], raw_dir: Path | None) -> Iterator[Issue]:
    """Compare the record with its raw file, when a raw folder is known."""
    from belnews.corpus.ingest import sha256_hex
    from belnews.corpus.normalize import decode, normalize

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
    try:
        norm = normalize(raw)
    except NormalizationError as exc:
        yield Issue("raw-not-utf8", f"{raw_path.name}: {exc}", record_id=rid, path="$.provenance")
        return
    yield from _map_issues(record, norm, len(decode(raw)))
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


def _map_issues(record: dict[str, Any], norm: Any, raw_length: int) -> Iterator[Issue]:
    """The record's way back to the raw file must be the one normalization gives.

    Every raw offset lies inside the raw file, and ``offset_map`` and ``removed`` equal what
    normalizing the raw file produces: with the raw file, the text and the map together
    rebuild the raw text's positions exactly, so an invented or shifted entry cannot pass.
    """
    rid = record["id"]
    prov = record["provenance"]
    for i, block in enumerate(prov["offset_map"]):
        if len(block) == 4 and not (0 <= block[2] <= block[3] <= raw_length):
            yield Issue(
                "raw-offset-out-of-range",
                f"raw range {block[2:]} is outside the raw file ({raw_length} code points)",
                record_id=rid,
                path=f"$.provenance.offset_map[{i}]",
                expected=f"0 <= raw_start <= raw_end <= {raw_length}",
                found=block[2:],
            )
            return
    for i, gone in enumerate(prov["removed"]):
        if not (0 <= gone["raw_start"] < gone["raw_end"] <= raw_length):
            yield Issue(
                "raw-offset-out-of-range",
                f"removed range [{gone['raw_start']}, {gone['raw_end']}) is outside the raw "
                f"file ({raw_length} code points)",
                record_id=rid,
                path=f"$.provenance.removed[{i}]",
                found=[gone["raw_start"], gone["raw_end"]],
            )
            return
    expected_map = norm.offset_map()
    if prov["offset_map"] != expected_map:
        at = _first_difference(prov["offset_map"], expected_map)
        yield Issue(
            "provenance-map-mismatch",
            f"offset_map differs from the raw file's normalization at block {at}",
            record_id=rid,
            path=f"$.provenance.offset_map[{at}]",
            expected=expected_map[at] if at < len(expected_map) else None,
            found=prov["offset_map"][at] if at < len(prov["offset_map"]) else None,
        )
    expected_removed = [
        {"rule": r.rule, "raw_start": r.raw_start, "raw_end": r.raw_end, "text": r.text}
        for r in norm.removed
    ]
    if prov["removed"] != expected_removed:
        at = _first_difference(prov["removed"], expected_removed)
        yield Issue(
            "provenance-map-mismatch",
            f"removed differs from what normalizing the raw file removes, at entry {at}",
            record_id=rid,
            path=f"$.provenance.removed[{at}]",
            expected=expected_removed[at] if at < len(expected_removed) else None,
            found=prov["removed"][at] if at < len(prov["removed"]) else None,
        )


def _first_difference(found: list[Any], expected: list[Any]) -> int:
    """Index of the first entry where two lists differ (the shorter length if one is a prefix)."""
    pairs = zip(found, expected, strict=False)
    return next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(found), len(expected)))


def _raw_dir_for(file: str, raw_dir: Path | None) -> Path | None:
    if raw_dir is not None:
        return raw_dir
    path = Path(file)
    if path.parent.name == "records":
        return path.parent.parent / "raw"
    return None
