"""Reading JSONL in blocks gives exactly the units that reading it line by line gives."""

from __future__ import annotations

import copy
import io
import json
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.check.readers as readers
from belnews.check.readers import Rows, iter_units
from belnews.check.screen import one_object_a_line
from belnews.check.validate import iter_issues
from conftest import ROOT

RECORD = b'{"id":"a","n":1}'
LINES = st.sampled_from(
    [
        RECORD,
        b'{"id":"b","text":"x\\ny"}',
        b"",  # a blank line
        b"   ",  # a line of spaces
        RECORD + b"\r",  # CRLF
        b"\xef\xbb\xbf" + RECORD,  # a byte-order mark
        b" " + RECORD,  # a record that does not start with {
        b"{" + b"x" * 40,  # longer than the (patched) line limit
        b"not json",
    ]
)


def _flat(units) -> list[tuple]:
    """Units with every Rows expanded into one (file, line, bytes) unit per line."""
    out = []
    for file, line, payload in units:
        if isinstance(payload, Rows):
            out.extend(payload.unit(file, i) for i in range(len(payload.numbers)))
        elif isinstance(payload, bytes):
            out.append((file, line, payload))
        else:  # a reading failure: compare what it says
            out.append((file, line, [(i.code, i.line) for i in payload.issues]))
    return out


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(LINES, max_size=25),
    st.booleans(),
    st.integers(16, 90),
    st.integers(1, 4),
    st.integers(1, 90),
)
def test_blocks_and_lines_give_the_same_units(
    tmp_path, monkeypatch, lines, newline_at_end, block, rows, first
):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 30)
    monkeypatch.setattr(readers, "BATCH_BYTES", block)  # many blocks, lines carried over
    monkeypatch.setattr(readers, "FIRST_BATCH_BYTES", first)  # growing blocks
    monkeypatch.setattr(readers, "BATCH_ROWS", rows)
    data = b"\n".join(lines) + (b"\n" if newline_at_end and lines else b"")
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    by_lines = _flat(readers.iter_jsonl(readers._read_lines(io.BytesIO(data)), str(path)))
    assert _flat(iter_units([path], batched=True)) == by_lines


def test_a_plain_file_is_read_in_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([RECORD] * 5) + b"\n")
    units = list(iter_units([path], batched=True))
    assert [u[1] for u in units] == [1, 3, 5]
    assert all(isinstance(u[2], Rows) and u[2].block is not None for u in units)
    assert units[1][2].numbers == [3, 4] and units[1][2].line(1) == RECORD


def test_blocks_grow_and_a_line_longer_than_the_first_block_is_still_read_in_blocks(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(readers, "FIRST_BATCH_BYTES", 8)
    monkeypatch.setattr(readers, "BATCH_BYTES", 64)
    long_record = b'{"id":"long","pad":"' + b"x" * 30 + b'"}'  # 52 bytes: over 8, 16 and 32
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([long_record] + [RECORD] * 6) + b"\n")
    units = list(iter_units([path], batched=True))
    assert all(isinstance(u[2], Rows) and u[2].block is not None for u in units)
    assert [u[2].numbers for u in units] == [[1], [2, 3, 4], [5, 6, 7]]
    assert units[0][2].line(0) == long_record and isinstance(units[0][2].line(0), bytes)


def test_blocks_stop_growing_once_a_line_is_known_to_be_over_long(monkeypatch):
    """An over-long first line is reported as line-by-line reading reports it, without first
    reading ever larger blocks up to the batch size."""
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 30)
    monkeypatch.setattr(readers, "FIRST_BATCH_BYTES", 8)
    monkeypatch.setattr(readers, "BATCH_BYTES", 4096)
    asked: list[int] = []

    class Recording(io.BytesIO):
        def readinto(self, buffer):
            asked.append(len(buffer))
            return super().readinto(buffer)

    data = b'{"pad":"' + b"x" * 100 + b'"}\n' + RECORD + b"\n"
    units = _flat(readers._iter_jsonl_blocks(Recording(data), "f.jsonl"))
    assert units == _flat(readers.iter_jsonl(readers._read_lines(io.BytesIO(data)), "f.jsonl"))
    assert units[0][2] == [("line-too-long", 1)] and units[1] == ("f.jsonl", 2, RECORD)
    assert asked == [8, 16, 32]  # 56 bytes without a line end: over 30, so line by line


@pytest.mark.parametrize("bad", [b"", b"\xef\xbb\xbf" + RECORD, RECORD + b"\r"])
def test_irregular_lines_switch_to_line_reading_at_their_block(tmp_path, monkeypatch, bad):
    monkeypatch.setattr(readers, "BATCH_BYTES", 40)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([RECORD, RECORD, RECORD, bad, RECORD]) + b"\n")
    units = list(iter_units([path], batched=True))
    assert isinstance(units[0][2], Rows) and units[0][2].block is not None
    assert _flat(units)[:2] == [(str(path), 1, RECORD), (str(path), 2, RECORD)]


# --- a row of the reader's table is the line at the same place ------------------------------

TWO = [
    json.loads(line)
    for line in (ROOT / "tests" / "cases" / "valid" / "two-records.jsonl").read_text().splitlines()
    if line.strip()
]


def _compact(record: dict, rid: str) -> str:
    record = copy.deepcopy(record)
    record["id"] = rid
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _misaligned() -> list[str]:
    """Three lines, none of them one JSON object, that Arrow's reader reads as three rows:
    a record cut after `"entities":[`, its rest (which starts with `{`), and two records on
    one line."""
    whole = _compact(next(r for r in TWO if r["entities"]), "rec-1")
    cut = whole.index('"entities":[') + len('"entities":[')
    return [whole[:cut], whole[cut:], _compact(TWO[0], "rec-2") + _compact(TWO[1], "rec-3")]


@pytest.mark.parametrize("blank_first", [False, True])  # read in blocks / line by line
def test_lines_that_are_not_one_object_each_are_each_invalid(tmp_path, blank_first):
    path = tmp_path / "in.jsonl"
    lines = ([""] if blank_first else []) + _misaligned()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = 2 if blank_first else 1
    assert [(i.code, i.line) for i in iter_issues([path])] == [
        ("invalid-json", first),
        ("invalid-json", first + 1),
        ("invalid-json", first + 2),
    ]


def test_an_object_and_the_start_of_the_next_on_one_line_are_invalid(tmp_path):
    one, two = _compact(TWO[0], "rec-1"), _compact(TWO[1], "rec-2")
    path = tmp_path / "in.jsonl"
    path.write_text(one + "{\n" + two[1:] + "\n", encoding="utf-8")
    assert [(i.code, i.line) for i in iter_issues([path])] == [
        ("invalid-json", 1),
        ("invalid-json", 2),
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([b'{"a":1}', b'  {"a":2}\t '], True),
        ([b'{"a":1}{"a":2}'], True),  # two objects: the reader's row count then differs
        ([b'{"a":[', b'{"b":1}]}'], False),
        ([b'{"a":1}{'], False),
        ([b"[]"], False),
        ([b""], False),
    ],
)
def test_one_object_a_line_looks_at_both_ends(lines, expected):
    assert one_object_a_line(lines) is expected


def test_a_named_pipe_is_read_line_by_line(tmp_path):
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    data = (_compact(TWO[0], "rec-1") + "\n" + _compact(TWO[1], "rec-2") + "\n").encode()

    def feed() -> None:
        with open(path, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        issues = list(iter_issues([path]))
    finally:
        writer.join(10)
    assert [i.code for i in issues if i.severity == "error"] == []
