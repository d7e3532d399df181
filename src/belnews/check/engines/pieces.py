"""Pieces: parts of the input that a worker reads by itself, and putting their results back
together so the issues are the ones the local engine finds, in the same order.

A piece is a whole file (JSON, Parquet, anything :func:`~belnews.check.readers.iter_units`
takes), a byte range of a JSONL file cut at line starts, or units already read (stdin, which
only the driver can read, sent on a window at a time). The worker reads a JSONL range in one
block when its lines are plainly records, as the local reader reads a file, and otherwise
with the readers' own line reader, so over-long lines, blank lines and syntax checks are the
same; it numbers lines from 1 within the piece, and the driver adds the lines of the earlier
pieces of the file. Only the driver sees a whole file, so the two checks that need one are
made when planning (a byte-order mark on line 1: the file becomes one piece) or when
assembling (no record in the whole file).
"""

from __future__ import annotations

import dataclasses
import itertools
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from belnews.check import readers
from belnews.check.readers import (
    Unit,
    _fail,
    _read_lines,
    batch_lines,
    is_rows,
    iter_units,
)
from belnews.check.scheduler import windows

#: Checks one unit: ``belnews.check.validate.check_units`` with its options bound. It is passed
#: in, not imported, so that the validator can use this module without an import circle.
Check = Callable[[Unit], list[Any]]

#: Bytes of JSONL per piece: the local engine's batch (readers.BATCH_BYTES), so a worker
#: screens batches as large as the local engine does (at 8 MB, the screen's cost per batch
#: took a third of a worker's time on real-density records), while a file of a few hundred
#: megabytes still gives two workers several pieces each.
PIECE_BYTES = 32 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Piece:
    """What one task reads: ``kind`` "file" (all of ``file``), "lines" (bytes ``start`` to
    ``end`` of a JSONL file; ``first`` if it starts the file, ``last`` if it ends it) or
    "units" (``units`` already read by the driver)."""

    kind: Literal["file", "lines", "units"]
    file: str
    start: int = 0
    end: int = 0
    first: bool = True
    last: bool = True
    units: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PieceResult:
    """What checking a piece found: the checked records (lines counted within the piece for
    "lines" pieces), how many lines the piece holds, and whether it held no record."""

    piece: Piece
    checked: list[Any]
    lines: int = 0
    empty: bool = False
    #: the piece could not be read (its last checked unit says so)
    unreadable: bool = False


def plan(
    paths: Iterable[str | Path], *, stdin: Any = None, piece_bytes: int = PIECE_BYTES
) -> Iterator[Piece]:
    """The pieces of the inputs, in the order the local readers visit them."""
    for given in paths:
        if str(given) == "-":  # only the driver can read it: sent as read, a window at a time
            for window in windows(iter_units(["-"], stdin=stdin, batched=True), alone=is_rows):
                yield Piece("units", "<stdin>", units=tuple(window))
            continue
        path = Path(given)
        if path.is_dir():
            # the same files, in the same order, as readers._iter_units visits, after the
            # folders it could not read, reported as it reports them
            files, unreadable = readers._walk(path)
            failed = tuple(
                (folder, None, _fail(folder, None, "file-unreadable", reason))
                for folder, reason in unreadable
            )
            if failed:
                yield Piece("units", str(path), units=failed)
            yield from plan(files, piece_bytes=piece_bytes)
        elif path.suffix == ".jsonl":
            yield from _jsonl_pieces(path, piece_bytes)
        else:
            yield Piece("file", str(path))


def _jsonl_pieces(path: Path, piece_bytes: int) -> Iterator[Piece]:
    """Byte ranges of about ``piece_bytes``, each starting at the start of a line. Anything
    but a regular file (a named pipe, a device) is one piece, left unopened: it can be read
    only once, by the worker."""
    name = str(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            yield Piece("file", name)
            return
        size = status.st_size
        cuts = [0]
        with path.open("rb") as handle:
            if handle.read(len(_BOM)) != _BOM:  # a marked file is refused whole, as one piece
                while cuts[-1] + piece_bytes < size:
                    handle.seek(cuts[-1] + piece_bytes - 1)
                    _skip_line(handle)  # to just after the next newline at or past the target
                    if handle.tell() >= size:
                        break
                    cuts.append(handle.tell())
    except OSError:
        yield Piece("file", name)  # the worker's reader reports it as the local one does
        return
    cuts.append(size)
    last = len(cuts) - 2
    for i, (start, end) in enumerate(itertools.pairwise(cuts)):
        yield Piece("lines", name, start, end, first=i == 0, last=i == last)


def _skip_line(handle: Any) -> None:
    while True:
        chunk = handle.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _lines_of(piece: Piece) -> Iterator[tuple[bytes, bool]]:
    """The (line, too_long) pairs of a "lines" piece, read as the local reader reads them."""
    with open(piece.file, "rb", buffering=1 << 20) as handle:
        handle.seek(piece.start)
        if piece.start >= piece.end:
            return
        for item in _read_lines(handle):
            yield item
            if handle.tell() >= piece.end:
                return


def _line_units(piece: Piece, counts: dict[str, Any]) -> Iterator[Any]:
    """Units of a "lines" piece, numbered from 1 within it (as readers.iter_jsonl does for a
    whole file, less the checks that need the whole file)."""
    file = piece.file
    for number, (raw_line, too_long) in enumerate(_lines_of(piece), start=1):
        counts["lines"] = number
        if piece.first and number == 1 and raw_line.startswith(_BOM):
            counts["bom"] = True
            message = "starts with a UTF-8 byte-order mark; save it without BOM"
            yield file, 1, _fail(file, 1, "byte-order-mark", message)
            return
        if too_long:
            counts["records"] += 1
            yield (
                file,
                number,
                _fail(
                    file,
                    number,
                    "line-too-long",
                    "line is too long to be a record",
                    expected=f"at most {readers.MAX_LINE_BYTES} bytes",
                ),
            )
            continue
        if not raw_line.strip():
            continue
        counts["records"] += 1
        yield file, number, raw_line


def _block_units(piece: Piece, counts: dict[str, Any]) -> Iterator[Unit] | None:
    """A "lines" piece read in one block, as the local reader reads a file
    (:func:`~belnews.check.readers.block_rows`), when every line of it is plainly a record
    (starts with ``{``, ends with ``}`` and a line break, no CR, not over-long); None
    otherwise, and then the piece is read line by line. Numbered from 1 within the piece."""
    size = piece.end - piece.start
    if size <= 0 or size > readers.BATCH_BYTES + readers.MAX_LINE_BYTES:
        return None
    data = bytearray(size)
    try:
        with open(piece.file, "rb") as handle:
            handle.seek(piece.start)
            got = handle.readinto(data)
    except OSError:
        return None  # the line reader reports it
    if got != size or not data.endswith(b"\n"):
        return None
    ends = readers._plain_line_ends(data, size)
    if ends is None:
        return None
    counts["lines"] = counts["records"] = len(ends)
    return readers.block_rows(piece.file, data, ends)  # a batch at a time


def check_piece(piece: Piece, check: Check) -> PieceResult:
    """Read and check one piece (runs in a worker: a pure function of its arguments)."""
    if piece.kind == "units":
        return PieceResult(piece, [c for unit in piece.units for c in check(unit)])
    if piece.kind == "file":
        units = iter_units([piece.file], batched=True)
        return PieceResult(piece, [c for unit in units for c in check(unit)])
    counts: dict[str, Any] = {"lines": 0, "records": 0, "bom": False}
    units = _block_units(piece, counts)
    if units is None:
        units = batch_lines(_line_units(piece, counts))
    checked: list[Any] = []
    for unit in _until_unreadable(units, piece.file, counts):
        checked.extend(check(unit))
    if counts.get("unreadable"):
        return PieceResult(piece, checked, lines=counts["lines"], unreadable=True)
    empty = counts["records"] == 0 and not counts["bom"]
    return PieceResult(piece, checked, lines=counts["lines"], empty=empty)


def _until_unreadable(units: Iterable[Unit], file: str, counts: dict[str, Any]) -> Iterator[Unit]:
    """The units; if reading them fails (the file was removed or locked after it was
    planned), a ``file-unreadable`` failure in place of the rest, as the local reader reports
    a file it cannot read, and ``counts["unreadable"]`` set. Only reading is guarded: an
    error while checking a unit is not this file's."""
    try:
        yield from units
    except OSError as exc:
        counts["unreadable"] = True
        reason = f"cannot read: {exc.strerror or exc}"
        yield file, None, _fail(file, None, "file-unreadable", reason)


def _moved(checked: Any, offset: int) -> Any:
    """A piece's result with its lines counted from the start of the file."""
    if offset == 0:
        return checked
    issues = [
        dataclasses.replace(i, line=i.line + offset) if i.line is not None else i
        for i in checked.issues
    ]
    line = checked.line + offset if checked.line is not None else None
    return dataclasses.replace(checked, line=line, issues=issues)


def assemble(results: Iterable[PieceResult], check: Check) -> Iterator[Any]:
    """Checked records in file and line order, from piece results in piece order (``check``
    reports a JSONL file with no record, as the local reader does)."""
    offset = 0
    all_empty, reported = True, False
    for result in results:
        piece = result.piece
        if piece.kind != "lines":
            yield from result.checked
            continue
        if piece.first:
            offset, all_empty, reported = 0, True, False
        checked_here = result.checked
        if result.unreadable:  # one report per file, however many of its pieces failed
            if reported:
                checked_here = checked_here[:-1]
            reported = True
        for checked in checked_here:
            yield _moved(checked, offset)
        offset += result.lines
        all_empty = all_empty and result.empty
        if piece.last and all_empty:
            message = "no record in this JSONL input"
            yield from check((piece.file, None, _fail(piece.file, None, "file-empty", message)))


def checked_pieces(
    engine: Any,
    paths: Iterable[str | Path],
    check: Check,
    *,
    stdin: Any = None,
    piece_bytes: int = PIECE_BYTES,
) -> Iterator[Any]:
    """Every checked record of the inputs, in order, with ``engine`` checking the pieces."""
    pieces = plan(paths, stdin=stdin, piece_bytes=piece_bytes)
    return assemble(engine.map(partial(check_piece, check=check), pieces), check)
