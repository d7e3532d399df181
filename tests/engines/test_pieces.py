"""Pieces (parts of the input a worker reads by itself) give the issues the local reader gives,
in the same order, wherever the input is cut. Runs without Ray: the local engine maps them."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.check.readers as readers
from belnews.check.engines import open_engine
from belnews.check.engines.local import LocalEngine
from belnews.check.engines.pieces import Piece, assemble, check_piece, checked_pieces, plan
from belnews.check.readers import iter_units
from belnews.check.validate import check_units, iter_issues
from conftest import ROOT
from engines.inputs import damaged_lines, write_jsonl

CASES = ROOT / "tests" / "cases"
CHECK = partial(check_units, raw_dir=None)


def local_issues(paths, stdin=None):
    """The issues the local reader finds (without the across-records duplicate check)."""
    from belnews.check.validate import _results

    return [
        i
        for c in _results(paths, raw_dir=None, stdin=stdin, jobs=1, engine="local", address=None)
        for i in c.issues
    ]


def piece_issues(paths, piece_bytes, stdin=None, jobs=1):
    return [
        i
        for c in checked_pieces(
            LocalEngine(jobs), paths, CHECK, stdin=stdin, piece_bytes=piece_bytes
        )
        for i in c.issues
    ]


def test_damaged_jsonl_cut_into_one_piece_per_line_gives_the_local_issues(damaged_jsonl):
    pieces = list(plan([damaged_jsonl], piece_bytes=1))
    assert len(pieces) == 12
    assert [p.first for p in pieces] == [True] + [False] * 11
    assert [p.last for p in pieces] == [False] * 11 + [True]
    found = piece_issues([damaged_jsonl], piece_bytes=1)
    assert found == local_issues([damaged_jsonl])
    assert [(i.line, i.code) for i in found] == [
        (1, "invalid-json"),
        (4, "schema-enum"),
        (6, "span-text-mismatch"),
        (7, "not-an-object"),
        (9, "duplicate-key"),
        (11, "invalid-json"),
    ]


def test_pieces_start_at_line_starts_and_cover_the_file(damaged_jsonl):
    data = damaged_jsonl.read_bytes()
    pieces = list(plan([damaged_jsonl], piece_bytes=5000))
    assert pieces[0].start == 0 and pieces[-1].end == len(data)
    for before, after in itertools.pairwise(pieces):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"


def test_every_case_file_and_folder_gives_the_local_issues():
    paths = [CASES / "invalid", CASES / "valid", ROOT / "corpus" / "records"]
    expected = local_issues(paths)
    assert len(expected) > 150  # every invalid case gives issues (the exact count grows with them)
    for piece_bytes in (1, 64, 4096, 1 << 23):
        assert piece_issues(paths, piece_bytes) == expected


def test_two_local_processes_give_the_same_issues(damaged_jsonl):
    assert piece_issues([damaged_jsonl], 3000, jobs=2) == local_issues([damaged_jsonl])


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n   \n", b"\xef\xbb\xbf{}\n{}\n" + b"{}\n" * 50, b"{}", b"{}\r\n[]\r\n\r\n"],
    ids=["empty", "blank-lines", "bom", "no-final-newline", "crlf"],
)
def test_whole_file_checks_survive_the_cut(tmp_path, data):
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    assert piece_issues([path], piece_bytes=2) == local_issues([path])


def test_the_file_empty_issue_is_reported_once_per_file(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n" * 40)
    found = piece_issues([path], piece_bytes=4)
    assert [(i.code, i.line, i.file) for i in found] == [("file-empty", None, str(path))]


def test_over_long_lines_across_cuts(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 100)
    path = write_jsonl(tmp_path / "long.jsonl", [b"{}", b"[" + b"1," * 200 + b"1]", b"{}"])
    found = piece_issues([path], piece_bytes=30)
    assert found == local_issues([path])
    assert [(i.line, i.code) for i in found if i.code == "line-too-long"] == [(2, "line-too-long")]


def test_stdin_and_missing_files_are_read_as_the_local_reader_reads_them(tmp_path):
    data = b"\n".join(damaged_lines()) + b"\n"
    missing = tmp_path / "missing.jsonl"
    paths = ["-", missing]
    found = piece_issues(paths, 100, stdin=io.BytesIO(data))
    assert found == local_issues(paths, stdin=io.BytesIO(data))
    assert found[-1].code == "file-unreadable"
    assert next(iter(plan([missing]))) == Piece("file", str(missing))


LINES = st.lists(
    st.sampled_from([b"", b" ", b"{}", b"[]", b"{", b'{"a":1,"a":2}', b'"x"', b"NaN"]),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=LINES, piece_bytes=st.integers(min_value=1, max_value=80), final=st.booleans())
def test_any_cut_of_any_small_file_gives_the_local_issues(tmp_path, lines, piece_bytes, final):
    path = tmp_path / "h.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if final else b""))
    assert piece_issues([path], piece_bytes) == local_issues([path])


def test_open_engine_names():
    assert isinstance(open_engine("local", jobs=2), LocalEngine)
    with pytest.raises(ValueError, match="engine must be one of"):
        open_engine("spark")
    with pytest.raises(ValueError, match="only meaningful with --engine ray"):
        open_engine("local", address="ray://head:10001")


def test_importing_belnews_and_the_cli_does_not_import_ray():
    code = (
        "import belnews, belnews.cli, belnews.check.validate, belnews.check.engines.pieces, sys; "
        "from click.testing import CliRunner; "
        "r = CliRunner().invoke(belnews.cli.cli, ['validate', 'corpus/records']); "
        "assert r.exit_code == 0, r.output; "
        "assert 'ray' not in sys.modules, 'ray imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_help_lists_the_engines():
    from click.testing import CliRunner

    from belnews.cli import cli

    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert "--engine [local|ray]" in result.output and "--address" in result.output


def test_address_without_ray_is_a_usage_error():
    from click.testing import CliRunner

    from belnews.cli import cli

    result = CliRunner().invoke(cli, ["validate", "--address", "ray://h:1", str(CASES / "valid")])
    assert result.exit_code == 2
    assert "--address needs --engine ray" in result.output


def test_iter_issues_refuses_an_address_for_the_local_engine():
    with pytest.raises(ValueError, match="only meaningful with engine='ray'"):
        list(iter_issues([Path(CASES / "valid")], address="ray://h:1"))


def test_without_ray_the_cli_names_the_extra(monkeypatch):
    from click.testing import CliRunner

    from belnews.cli import cli

    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails
    result = CliRunner().invoke(cli, ["validate", "--engine", "ray", str(CASES / "valid")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "Error: the Ray engine needs Ray Data: pip install 'belnews[ray]'"
    )


def test_plain_pieces_are_read_as_blocks_and_give_the_local_issues(tmp_path, monkeypatch):
    """A piece whose lines are all plainly records is read in one block, cut into batches as
    the local reader cuts a file; the line reader is then never used."""
    import belnews.check.engines.pieces as pieces

    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    two = (CASES / "valid" / "two-records.jsonl").read_bytes().strip().split(b"\n")
    damaged = [two[0], two[1][:-1] + b',"extra":1}', two[0]]  # line 8: an unknown key
    path = write_jsonl(tmp_path / "plain.jsonl", two * 3 + damaged)
    line_reads = []
    real = pieces._line_units

    def spy(piece, counts):
        line_reads.append(piece.start)
        return real(piece, counts)

    monkeypatch.setattr(pieces, "_line_units", spy)
    found = piece_issues([path], piece_bytes=len(two[0]) * 3)
    assert found == local_issues([path])
    assert [(i.line, i.code) for i in found] == [(8, "schema-additional-properties")]
    assert line_reads == []
    # a blank line makes its piece (only that one) take the line reader
    path.write_bytes(path.read_bytes().replace(b"}\n{", b"}\n\n{", 1))
    assert piece_issues([path], piece_bytes=len(two[0]) * 3) == local_issues([path])
    assert line_reads == [0]


def test_stdin_is_sent_to_the_workers_a_window_at_a_time(monkeypatch):
    """Only the driver can read stdin; it sends the units on in windows (a batch of rows
    alone), so several workers share a long stream, in order."""
    monkeypatch.setattr(readers, "BATCH_ROWS", 3)
    # a first line that is JSON by itself: stdin is read as JSON lines (361: several windows)
    data = b"\n".join([b"{}", *damaged_lines() * 30]) + b"\n"
    pieces = list(plan(["-"], stdin=io.BytesIO(data)))
    assert len(pieces) >= 2 and {p.kind for p in pieces} == {"units"}
    units = list(iter_units(["-"], stdin=io.BytesIO(data), batched=True))
    assert [u for p in pieces for u in p.units] == units
    assert piece_issues(["-"], 100, stdin=io.BytesIO(data)) == local_issues(
        ["-"], stdin=io.BytesIO(data)
    )


# --- inputs the planner and the workers must treat as the local reader does ------------------


def test_unreadable_folders_are_reported_as_the_local_reader_reports_them(tmp_path, monkeypatch):
    """The planner lists a folder with the local reader's own walk, so a subfolder it cannot
    open is reported (tests run as root, who can open anything: the walk is told)."""
    (tmp_path / "open").mkdir()
    write_jsonl(tmp_path / "open" / "a.jsonl", [b"{}"])
    walk = readers._walk

    def walk_with_a_locked_folder(folder):
        files, unreadable = walk(folder)
        locked = (str(folder / "locked"), "cannot read folder: Permission denied")
        return files, [locked, *unreadable]

    monkeypatch.setattr(readers, "_walk", walk_with_a_locked_folder)
    found = piece_issues([tmp_path], 100)
    assert found == local_issues([tmp_path])
    assert (found[0].code, found[0].file) == ("file-unreadable", str(tmp_path / "locked"))


def test_a_file_removed_after_planning_is_reported_once_not_raised(tmp_path):
    path = write_jsonl(tmp_path / "gone.jsonl", damaged_lines() * 3)
    pieces = list(plan([path, path], piece_bytes=200))  # the file given twice
    assert len(pieces) > 4
    path.unlink()
    results = map(partial(check_piece, check=CHECK), pieces)
    found = [i for c in assemble(results, CHECK) for i in c.issues]
    # once per time it was given, as the local reader reports a missing file
    assert [(i.code, i.file, i.line) for i in found] == [("file-unreadable", str(path), None)] * 2
    assert found == local_issues([path, path])


def test_a_named_pipe_is_one_piece_left_for_the_worker_to_open(tmp_path):
    """Opening a pipe to plan it would block (no writer yet) or eat what the worker should
    read; it is planned from its status alone."""
    import os
    import threading

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    planned = []
    planner = threading.Thread(target=lambda: planned.extend(plan([fifo])), daemon=True)
    planner.start()
    planner.join(timeout=10)
    assert not planner.is_alive(), "the planner opened the pipe"
    assert planned == [Piece("file", str(fifo))]
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"{}\n[]\n"), daemon=True)
    writer.start()
    result = check_piece(planned[0], CHECK)
    writer.join(timeout=10)
    assert [(i.line, i.code) for c in result.checked for i in c.issues][-1] == (2, "not-an-object")
