"""Reading JSONL in blocks gives exactly the units that reading it line by line gives."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.check.readers as readers
from belnews.check.readers import Rows, iter_units

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
@given(st.lists(LINES, max_size=25), st.booleans(), st.integers(16, 90), st.integers(1, 4))
def test_blocks_and_lines_give_the_same_units(
    tmp_path, monkeypatch, lines, newline_at_end, block, rows
):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 30)
    monkeypatch.setattr(readers, "BATCH_BYTES", block)  # many blocks, lines carried over
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


@pytest.mark.parametrize("bad", [b"", b"\xef\xbb\xbf" + RECORD, RECORD + b"\r"])
def test_irregular_lines_switch_to_line_reading_at_their_block(tmp_path, monkeypatch, bad):
    monkeypatch.setattr(readers, "BATCH_BYTES", 40)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([RECORD, RECORD, RECORD, bad, RECORD]) + b"\n")
    units = list(iter_units([path], batched=True))
    assert isinstance(units[0][2], Rows) and units[0][2].block is not None
    assert _flat(units)[:2] == [(str(path), 1, RECORD), (str(path), 2, RECORD)]
