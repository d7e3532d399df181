"""Fixtures for the interchange tests: gold records and a scratch copy of the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
IDS = ("000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf")


def gold_record(rid: str) -> dict:
    return json.loads((CORPUS / "records" / f"{rid}.json").read_text(encoding="utf-8"))


@pytest.fixture(name="golds")
def _golds() -> list[dict]:
    return [gold_record(rid) for rid in IDS]


@pytest.fixture(name="corpus")
def _corpus(tmp_path: Path) -> Path:
    """A copy of raw/ and meta/ with no annotation files: imports write into it."""
    out = tmp_path / "corpus"
    for sub in ("raw", "meta"):
        shutil.copytree(CORPUS / sub, out / sub)
    (out / "annotations").mkdir()
    return out
