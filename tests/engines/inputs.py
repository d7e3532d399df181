"""JSONL inputs for the engine tests, built from the committed records: intact and damaged."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from conftest import RECORD_IDS, committed_record


def compact(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def renamed(record: dict, new_id: str) -> dict:
    copied = copy.deepcopy(record)
    copied["id"] = new_id
    return copied


def damaged_lines() -> list[bytes]:
    """JSONL lines: good records, blank lines and one of each kind of damage, in an order that
    puts damage at the start, the middle and the end."""
    first, second = (committed_record(rid) for rid in RECORD_IDS)
    schema_bad = renamed(second, "schema-bad")
    schema_bad["quotes"][0]["kind"] = "shouted"
    semantic_bad = renamed(first, "semantic-bad")
    semantic_bad["figures"][0]["start"] += 1
    truncated = compact(renamed(first, "truncated"))[:500]
    return [
        b'{"id": "broken",',  # 1 invalid JSON
        compact(first),  # 2
        b"",  # 3 blank: skipped, still counted
        compact(schema_bad),  # 4
        b"   ",  # 5
        compact(semantic_bad),  # 6
        b"[1, 2]",  # 7 not an object
        compact(renamed(second, "second-copy")),  # 8
        b'{"a": 1, "a": 2}',  # 9 duplicate key
        compact(first),  # 10 duplicate record id
        truncated,  # 11 invalid JSON, cut inside a string
        compact(second),  # 12
    ]


def write_jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path
