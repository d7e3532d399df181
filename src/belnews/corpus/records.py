"""Record files: canonical JSON encoding, atomic writes and reading records back.

A record is a plain ``dict`` that matches ``schema/article.schema.json``; this module owns the
one canonical serialization, so ``corpus/records`` diffs stay reviewable and rebuilding a
record byte-for-byte is a meaningful test.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from belnews.errors import RecordError

RECORD_SUFFIX = ".json"


def dumps(record: dict[str, Any]) -> str:
    """Canonical JSON: keys sorted, two-space indent, real UTF-8 characters, final newline."""
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes files private; corpus files are not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks (release files can be large)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_record(path: Path, record: dict[str, Any]) -> None:
    """Write one record in canonical form, atomically."""
    write_atomic(path, dumps(record).encode("utf-8"))


def read_record(path: Path) -> dict[str, Any]:
    """Read one record file (no validation: see :mod:`belnews.validate`)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RecordError(f"{path}: cannot read record: {exc}") from exc
    if not isinstance(value, dict):
        raise RecordError(f"{path}: a record must be a JSON object, found {type(value).__name__}")
    return value


def record_paths(folder: Path) -> list[Path]:
    """Record files in a folder, in a fixed (sorted) order."""
    return sorted(p for p in folder.glob(f"*{RECORD_SUFFIX}") if not p.name.startswith("."))


def iter_records(folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Lazily read every record in a folder, in sorted order."""
    for path in record_paths(folder):
        yield path, read_record(path)


@contextmanager
def fields_of(record: Any, task: str) -> Iterator[None]:
    """Turn a missing key or a wrong type met while ``task`` reads ``record`` into a RecordError.

    The last line of defence for library callers who pass an unchecked dict; the commands
    check every record's shape first (:mod:`belnews.check.guard`) and name the JSON path.
    """
    try:
        yield
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        rid = record.get("id") if isinstance(record, dict) else None
        raise RecordError(
            f"record {rid!r}: {task}: a field is missing or has the wrong type "
            f"({type(exc).__name__}: {exc}); `belnews validate` names the JSON path"
        ) from exc
