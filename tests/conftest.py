"""Shared fixtures: paths into the checkout and the committed records."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# CI draws property-test examples from a fixed seed, so a run there can be repeated exactly
# (and a landing is not decided by a lucky draw); elsewhere each run explores new examples.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

RECORD_IDS = ("000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf")


def committed_record(record_id: str) -> dict:
    return json.loads((CORPUS / "records" / f"{record_id}.json").read_text(encoding="utf-8"))


@pytest.fixture(name="records")
def _records() -> dict[str, dict]:
    """Every committed record, by id (a fresh deep copy per test, safe to mutate)."""
    return {rid: committed_record(rid) for rid in RECORD_IDS}


@pytest.fixture(name="record")
def _record() -> dict:
    """The second seed record (the richer one), safe to mutate."""
    return copy.deepcopy(committed_record(RECORD_IDS[1]))


#: Rows of the spans table per seed record, pinned once here (every quote fragment, mark,
#: role span, figure, MeasEval span and mention is a row; see belnews.release.spans).
SPAN_ROWS = {RECORD_IDS[0]: 129, RECORD_IDS[1]: 259}
ALL_SPAN_ROWS = sum(SPAN_ROWS.values())
