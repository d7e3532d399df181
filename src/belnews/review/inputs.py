"""Reading the record sets the scorer and the review page take: a record file (.json), a
folder of record files, or a JSON Lines file (one record per line)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import RecordError


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        found = type(record).__name__
        raise RecordError(f"{where}: expected a JSON object (a record), found {found}")
    return record


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read it as UTF-8 text ({exc})") from exc


def read_record_file(path: Path) -> dict[str, Any]:
    """One record from a .json file."""
    return _parse(_read_text(path), str(path))


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Every record at ``path``: a .json record, a .jsonl file, or a folder of .json records."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise RecordError(f"{path}: folder holds no .json record files")
        return [read_record_file(f) for f in files]
    if not path.exists():
        raise RecordError(f"{path}: no such file or folder")
    if path.suffix == ".jsonl":
        return [
            _parse(line, f"{path}, line {n}")
            for n, line in enumerate(_read_text(path).splitlines(), start=1)
            if line.strip()
        ]
    return [read_record_file(path)]


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a reader
    never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
