"""Fixtures for the engine tests: JSONL inputs, and one Ray instance shared by every test that
needs it (starting Ray takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RECORD_IDS, committed_record
from engines.inputs import compact, damaged_lines, renamed, write_jsonl


@pytest.fixture(name="damaged_jsonl")
def _damaged_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "damaged.jsonl", damaged_lines())


@pytest.fixture(name="valid_jsonl")
def _valid_jsonl(tmp_path: Path) -> Path:
    first, second = (committed_record(rid) for rid in RECORD_IDS)
    lines = [
        compact(renamed(r, f"copy-{i:03d}-{n}"))
        for i in range(5)
        for n, r in enumerate((first, second))
    ]
    return write_jsonl(tmp_path / "valid.jsonl", lines)


@pytest.fixture(name="ray_instance", scope="session")
def _ray_instance():
    """One local Ray instance (2 CPUs, no dashboard, no usage statistics) for the session."""
    from belnews.check.engines.ray_data import connect, import_ray

    started = connect()
    yield import_ray()
    if started:
        import_ray().shutdown()
