"""Readers: files, folders and stdin to units of records, with the syntax checks every input
gets (encoding, BOM, line length, duplicate keys, depth, non-finite numbers).

Both ``belnews validate`` and ``belnews build`` read through here.
"""

from __future__ import annotations

import json

# Heavier standard modules (json, hashlib, tempfile, io) are imported where they are used:
# this module is imported by `import belnews`, which must stay fast for the CLI.
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from belnews.errors import Issue

#: Nesting deeper than this is refused before parsing (records need about 6 levels).
MAX_DEPTH = 64


#: A JSONL line longer than this (in bytes) is refused unread.
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Longest number literal accepted (Python refuses to convert ints past 4,300 digits).
MAX_DIGITS = 100


SYNTAX_CODES = {
    "file-unreadable": "the file cannot be opened or read",
    "file-empty": "the file (or JSONL line) is empty",
    "invalid-utf8": "the bytes are not valid UTF-8",
    "byte-order-mark": "the file starts with a UTF-8 byte-order mark",
    "invalid-json": "the text is not valid JSON (line and column given)",
    "not-an-object": "the top-level JSON value is not an object",
    "duplicate-key": "an object has the same key twice (JSON parsers silently keep the last)",
    "non-finite-number": "NaN or Infinity, which JSON does not allow",
    "nesting-too-deep": f"arrays/objects nested deeper than {MAX_DEPTH} levels",
    "line-too-long": f"a JSONL line longer than {MAX_LINE_BYTES} bytes",
    "unsupported-file": "the path is not a .json, .jsonl or .parquet file or a folder",
    "number-too-large": f"a number with more than {MAX_DIGITS} digits (no record field needs one)",
    "invalid-unicode": "a string holds a lone surrogate (a \\ud800-\\udfff escape without its "
    "pair), which is not text in any encoding",
    "parquet-unsupported-type": "a Parquet column whose type JSON records cannot hold "
    "(binary, timestamp, decimal, ...)",
    "spans-table": "a Parquet file of the release's spans config (one row per span), not records",
}


@dataclass(frozen=True)
class Parsed:
    """One record read from an input, or the syntax issues that stopped it being read."""

    file: str
    line: int | None
    record: dict[str, Any] | None
    issues: tuple[Issue, ...] = ()


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _TooLarge(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _parse_int(token: str) -> int:
    if len(token) > MAX_DIGITS:
        raise _TooLarge(token)
    return int(token)


def _parse_float(token: str) -> float:
    if len(token) > MAX_DIGITS:
        raise _TooLarge(token)
    value = float(token)
    if value in (float("inf"), float("-inf")):
        raise _NonFinite(token)  # 1e999 overflows to infinity in Python
    return value


def surrogate_path(value: Any) -> str | None:
    """JSON path of the first key or string holding a lone surrogate, or None.

    Python's ``json`` turns a ``"\\ud800"`` escape into an unencodable str; orjson and Arrow
    refuse it, so only the strict parser's results need this walk.
    """
    stack: list[tuple[Any, str]] = [(value, "$")]
    while stack:
        item, path = stack.pop()
        if type(item) is str:
            if _SURROGATE.search(item):
                return path
        elif type(item) is dict:
            for key, child in item.items():
                if _SURROGATE.search(key):
                    return path
                stack.append((child, f"{path}.{key}"))
        elif type(item) is list:
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


class _NonFinite(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _reject_constant(token: str) -> Any:
    raise _NonFinite(token)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def _max_depth(text: str) -> int:
    """Deepest bracket nesting outside strings (checked before parsing to avoid recursion)."""
    depth = deepest = 0
    for ch in _STRING.sub('""', text):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


_KEY_ESCAPES = re.compile(rb"\\u00(?:22|3[aA])")
#: A quote, optional JSON whitespace, a colon: every key ends so (``{"id" : 1}`` included).
_KEY_COLON = re.compile(rb'"[ \t\n\r]*:')
_LONG_DIGITS = re.compile(rb"[0-9]{%d}" % (MAX_DIGITS + 1))


def max_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (containers only, no recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in item.values() if type(item) is dict else item:
            if type(child) in (dict, list):
                stack.append((child, depth + 1))
    return deepest


def _fast_parse(data: bytes) -> dict[str, Any] | None:
    """Parse with orjson when that provably gives the strict parser's answer, else None.

    orjson rejects invalid UTF-8, NaN and Infinity itself but keeps the last of duplicate
    keys. Re-serializing writes every key followed by `":` exactly once, and string contents
    keep their escaped quotes, so the input has duplicate keys only if it holds more key ends
    (a quote, optional whitespace, a colon) than the output holds `":` (inputs that spell a
    quote or colon as a \\u escape take the strict path).
    Depth is left to :func:`schema_issues`: a record the schema accepts is shallow.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if type(value) is not dict:
        return None
    if _LONG_DIGITS.search(data):
        return None  # orjson reads a huge integer as a float; the strict parser names it
    keys = len(_KEY_COLON.findall(data))
    if keys != orjson.dumps(value).count(b'":') or _KEY_ESCAPES.search(data):
        return None
    return value


def parse_json_text(data: bytes, file: str, line: int | None = None) -> Parsed:
    """Decode and parse one JSON document, turning every failure into a syntax issue.

    The fast path (orjson) covers well-formed input; anything it cannot vouch for goes through
    the strict standard-library parse, which names the exact problem.
    """
    if not data.startswith(b"\xef\xbb\xbf"):
        value = _fast_parse(data)
        if value is not None:
            return Parsed(file, line, value)

    def fail(code: str, message: str, at_line: int | None = line, **kw: Any) -> Parsed:
        return Parsed(file, at_line, None, (Issue(code, message, file=file, line=at_line, **kw),))

    if not data.strip():
        return fail("file-empty", "empty input: expected one JSON object")
    if data.startswith(b"\xef\xbb\xbf"):
        return fail("byte-order-mark", "starts with a UTF-8 byte-order mark; save it without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail(
            "invalid-utf8",
            f"byte {exc.start} is not valid UTF-8 ({exc.reason})",
            found=data[exc.start : exc.start + 4].hex(),
        )
    if _max_depth(text) > MAX_DEPTH:
        return fail(
            "nesting-too-deep",
            f"nested deeper than {MAX_DEPTH} levels",
            expected=f"at most {MAX_DEPTH}",
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs_hook,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except _TooLarge as exc:
        return fail(
            "number-too-large",
            f"a number of {len(exc.token)} characters",
            expected=f"at most {MAX_DIGITS} digits",
            found=exc.token[:20] + "…",
        )
    except _DuplicateKey as exc:
        return fail("duplicate-key", f"key {exc.key!r} appears twice in one object", found=exc.key)
    except _NonFinite as exc:
        return fail("non-finite-number", f"{exc.token} is not a JSON number", found=exc.token)
    except json.JSONDecodeError as exc:
        at = exc.lineno if line is None else line
        where = f"line {exc.lineno} column {exc.colno}" if line is None else f"column {exc.colno}"
        # some messages already end in "at" ("Unterminated string starting at")
        joined = f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"
        return fail("invalid-json", joined, at_line=at)
    except RecursionError:
        return fail("nesting-too-deep", "nested too deeply to parse")
    where = surrogate_path(value)
    if where is not None:
        return fail("invalid-unicode", f"a lone surrogate in {where}: not valid text", path=where)
    if not isinstance(value, dict):
        return fail(
            "not-an-object",
            f"top-level value is a JSON {_json_type(value)}",
            expected="object",
            found=_json_type(value),
        )
    return Parsed(file, line, value)


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _fail(file: str, line: int | None, code: str, message: str, **kw: Any) -> Parsed:
    return Parsed(file, line, None, (Issue(code, message, file=file, line=line, **kw),))


def _read_lines(handle: Any) -> Iterator[tuple[bytes, bool]]:
    """(line, too_long) pairs; a line over MAX_LINE_BYTES is skipped unread, not loaded."""
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield b"", True
            continue
        yield line.rstrip(b"\r\n"), False


#: One input record: (file, line, payload). The payload is the record's JSON bytes (parsed
#: by the checker, possibly in another process), a row already decoded from Parquet, a
#: ``Parsed`` failure found while reading, or :class:`Rows` (many records checked together).
Unit = tuple[str, "int | None", Any]


#: Records screened together by :mod:`belnews.check.screen` (bounded, so memory stays flat).
BATCH_ROWS = 2048


BATCH_BYTES = 32 * 1024 * 1024

#: The first block of a JSONL file: small, so that checking starts at once; each next
#: block is twice as large, up to :data:`BATCH_BYTES`.
FIRST_BATCH_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Rows:
    """Consecutive records of one file, checked as one columnar batch.

    ``lines`` holds JSONL lines, or ``block`` the same lines as read from the file, each
    ended by LF (``ends``: where each line ends in it, the LF excluded), and ``numbers``
    their line numbers; ``table`` holds a Parquet record batch with the record schema
    (``numbers``: its 1-based row numbers).
    """

    numbers: list[int]
    lines: list[bytes] | None = None
    table: Any = None
    block: bytes | bytearray | None = None
    ends: list[int] | None = None

    def line(self, i: int) -> bytes:
        """The i-th JSONL line (a slice of the block, made only when asked for)."""
        if self.lines is not None:
            return self.lines[i]
        assert self.block is not None and self.ends is not None
        with memoryview(self.block) as view:
            return bytes(view[self.ends[i - 1] + 1 if i else 0 : self.ends[i]])

    def unit(self, file: str, i: int) -> Unit:
        """The i-th record as a unit of its own, for the exact path."""
        if self.lines is not None or self.block is not None:
            return file, self.numbers[i], self.line(i)
        return file, self.numbers[i], self.table.slice(i, 1).to_pylist()[0]


def batch_lines(units: Iterable[Unit]) -> Iterator[Unit]:
    """Group runs of JSONL line units (bytes payloads with a line number) into :class:`Rows`
    units; anything else passes through in its place."""
    run: list[Unit] = []
    size = 0

    def flush() -> Iterator[Unit]:
        if run:
            rows = Rows([u[1] for u in run], lines=[u[2] for u in run])
            yield run[0][0], run[0][1], rows
            run.clear()

    for unit in units:
        file, line, payload = unit
        if isinstance(payload, bytes) and line is not None:
            if run and (run[0][0] != file or len(run) >= BATCH_ROWS or size >= BATCH_BYTES):
                yield from flush()
                size = 0
            run.append(unit)
            size += len(payload)
        else:
            yield from flush()
            size = 0
            yield unit
    yield from flush()


def _iter_jsonl_blocks(handle: Any, file: str) -> Iterator[Unit]:
    """A JSONL file read in blocks of whole lines, each block one or more :class:`Rows`
    units, as long as every line is plainly a record: it starts with ``{`` and ends with
    ``}``, holds no CR and is not too long. From the first block where that is not so (a
    BOM, a blank line, CRLF, an over-long line), the file is read line by line
    (:func:`iter_jsonl`) from that block on: the same units either way, and no line is ever
    split into a list and joined again. A pipe, which cannot go back, is read line by line.

    The blocks grow from :data:`FIRST_BATCH_BYTES` to :data:`BATCH_BYTES`, so the first
    batch is parsed and screened while the next ones are read, and each block is read
    straight into the buffer it is handed on in. Only the part line left at its end is
    copied (into the next block), and each batch of a block of more than
    :data:`BATCH_ROWS` lines. A line longer than the block makes the next block larger,
    until the line is known to be over-long."""
    if not handle.seekable():  # a pipe: no going back to a block, so line by line
        yield from iter_jsonl(_read_lines(handle), file)
        return
    number = 0  # lines yielded so far
    carry = b""
    size = min(FIRST_BATCH_BYTES, BATCH_BYTES)
    while True:
        start = handle.tell() - len(carry)
        data = bytearray(len(carry) + size)
        data[: len(carry)] = carry
        with memoryview(data) as view:
            got = handle.readinto(view[len(carry) :]) or 0
        del data[len(carry) + got :]
        cut = data.rfind(b"\n") + 1
        if got and not cut and size < BATCH_BYTES and len(data) <= MAX_LINE_BYTES:
            carry, size = bytes(data), min(2 * size, BATCH_BYTES)  # a line longer than the block
            continue
        ends = _plain_line_ends(data, cut) if got and cut else None
        if ends is None:
            handle.seek(start)
            yield from iter_jsonl(_read_lines(handle), file, first=number + 1)
            return
        carry = bytes(data[cut:])
        del data[cut:]
        size = min(2 * size, BATCH_BYTES)
        yield from block_rows(file, data, ends, number)
        number += len(ends)


def block_rows(
    file: str, data: bytes | bytearray, ends: list[int], number: int = 0
) -> Iterator[Unit]:
    """:class:`Rows` units over a block of whole lines ending at ``ends`` (each checked by
    :func:`_plain_line_ends`), numbered on from ``number``, at most :data:`BATCH_ROWS` each:
    the whole block when it fits, else copies of its parts."""
    for begin in range(0, len(ends), BATCH_ROWS):
        part = ends[begin : begin + BATCH_ROWS]
        offset = ends[begin - 1] + 1 if begin else 0
        if begin or len(part) < len(ends):
            with memoryview(data) as view:
                piece = bytes(view[offset : part[-1] + 1])
            part = [e - offset for e in part]
        else:
            piece = data
        numbers = list(range(number + 1, number + 1 + len(part)))
        number += len(part)
        yield file, numbers[0], Rows(numbers, block=piece, ends=part)


def _plain_line_ends(data: bytes | bytearray, cut: int) -> list[int] | None:
    """Where each line of ``data[:cut]`` ends, if every one starts with ``{``, ends with
    ``}``, holds no CR and is at most :data:`MAX_LINE_BYTES` long; None otherwise (see
    :func:`belnews.check.screen.one_object_a_line` for why both ends matter)."""
    if data.find(b"\r", 0, cut) != -1:
        return None
    ends, at = [], 0
    while at < cut:
        end = data.find(b"\n", at, cut)
        if end - at < 2 or data[at] != 0x7B or data[end - 1] != 0x7D or end - at > MAX_LINE_BYTES:
            return None
        ends.append(end)
        at = end + 1
    return ends


def iter_jsonl(lines: Iterable[tuple[bytes, bool]], file: str, first: int = 1) -> Iterator[Unit]:
    """One unit per non-blank line; line numbers count from ``first`` (1: the file's first
    line, where a byte-order mark is refused) and never drift. A file in which no line,
    from the first on, holds a record is reported empty."""
    empty = first == 1
    for number, (raw_line, too_long) in enumerate(lines, start=first):
        if number == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            yield (
                file,
                1,
                _fail(
                    file,
                    1,
                    "byte-order-mark",
                    "starts with a UTF-8 byte-order mark; save it without BOM",
                ),
            )
            return
        if too_long:
            empty = False
            yield (
                file,
                number,
                _fail(
                    file,
                    number,
                    "line-too-long",
                    "line is too long to be a record",
                    expected=f"at most {MAX_LINE_BYTES} bytes",
                ),
            )
            continue
        if not raw_line.strip():
            continue
        empty = False
        yield file, number, raw_line
    if empty:
        yield file, None, _fail(file, None, "file-empty", "no record in this JSONL input")


def iter_parquet(path: Path, *, batched: bool = False) -> Iterator[Unit]:
    """Rows of a Parquet file, batch by batch (memory does not grow with the file).

    With ``batched``, a batch whose columns have exactly the record schema's types comes as
    one :class:`Rows` unit (screened in columns); other files come row by row.
    """
    name = str(path)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from belnews.schema.arrow import arrow_schema

        handle = pq.ParquetFile(path)
        if _is_spans_table(handle.schema_arrow):
            yield name, None, _spans_notice(name)
            return
        ours = arrow_schema(with_features=False)
        same = [(f.name, f.type) for f in handle.schema_arrow] == [(f.name, f.type) for f in ours]
        foreign = [f for f in handle.schema_arrow if not _json_like(f.type)]
        if foreign:
            field = foreign[0]
            yield name, None, _fail(
                name,
                None,
                "parquet-unsupported-type",
                f"column {field.name!r} has type {field.type}, which a JSON record cannot hold",
                expected="strings, integers, floats, booleans, lists and structs",
                found=str(field.type),
            )
            return
        row = 0
        for batch in handle.iter_batches(batch_size=BATCH_ROWS // 2):
            try:
                batch.validate(full=True)  # string columns must hold UTF-8
            except (pa.ArrowException, UnicodeDecodeError) as exc:
                yield name, row + 1, _fail(
                    name, row + 1, "invalid-utf8", f"rows {row + 1}-{row + batch.num_rows}: {exc}"
                )
                row += batch.num_rows
                continue
            if batched and same:
                numbers = list(range(row + 1, row + batch.num_rows + 1))
                row += batch.num_rows
                yield name, numbers[0], Rows(numbers, table=batch)
                continue
            for record in batch.to_pylist():
                row += 1
                yield name, row, record
    except Exception as exc:  # pyarrow raises many types for a bad file
        yield name, None, _fail(name, None, "file-unreadable", f"cannot read Parquet: {exc}")


def _json_like(kind: Any) -> bool:
    """True for Arrow types whose values are JSON values (recursively)."""
    import pyarrow as pa
    import pyarrow.types as pt

    if pt.is_struct(kind):
        return all(_json_like(kind.field(i).type) for i in range(kind.num_fields))
    if pt.is_list(kind) or pt.is_large_list(kind) or pt.is_fixed_size_list(kind):
        return _json_like(kind.value_type)
    return (
        pt.is_string(kind)
        or pt.is_large_string(kind)
        or pt.is_integer(kind)
        or pt.is_floating(kind)
        or pt.is_boolean(kind)
        or kind == pa.null()
    )


def _is_spans_table(schema: Any) -> bool:
    """A release's spans table says so in its schema metadata (``belnews: {"table": ...}``)."""
    try:
        return json.loads((schema.metadata or {}).get(b"belnews", b"{}")).get("table") == "spans"
    except (ValueError, AttributeError):
        return False


def _spans_notice(name: str) -> Parsed:
    return _fail(
        name,
        None,
        "spans-table",
        "a spans table (the release's 'spans' config, one row per span), not article records:"
        " validate the articles shards, or check the whole release with `belnews build --check`",
        severity="warning",
    )


def iter_units(
    paths: Iterable[str | Path], *, stdin: Any = None, batched: bool = False
) -> Iterator[Unit]:
    """Every record (or reading failure) in the given files and folders, lazily.

    With ``batched``, runs of JSONL lines and Parquet batches come as :class:`Rows` units.
    """
    units = _iter_units(paths, stdin, batched)
    return batch_lines(units) if batched else units


def _iter_units(paths: Iterable[str | Path], stdin: Any, batched: bool) -> Iterator[Unit]:
    for given in paths:
        if str(given) == "-":
            data = stdin.read() if stdin is not None else b""
            if _looks_like_jsonl(data):
                lines = ((line.rstrip(b"\r"), False) for line in data.split(b"\n"))
                yield from iter_jsonl(lines, "<stdin>")
            else:
                yield "<stdin>", None, data
            continue
        path = Path(given)
        if path.is_dir():
            files, unreadable = _walk(path)
            for folder, reason in unreadable:
                yield folder, None, _fail(folder, None, "file-unreadable", reason)
            yield from _iter_units(files, None, batched)
        elif not path.exists():
            reason = "cannot read: No such file or directory"
            missing = _fail(str(path), None, "file-unreadable", reason)
            yield str(path), None, missing
        else:
            yield from _iter_file(path, batched)


def _looks_like_jsonl(data: bytes) -> bool:
    """Whether stdin holds JSON lines rather than one (possibly indented) document: it does
    when its first non-blank line is a whole JSON value by itself and more lines follow."""
    body = data.strip()
    if b"\n" not in body:
        return False
    first = body.split(b"\n", 1)[0].strip()
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return True


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Record files under a folder (sorted) and the subfolders that could not be read.

    ``Path.rglob`` skips unreadable folders silently; an unreadable folder is unreadable
    input, and must say so.
    """
    import os

    files: list[Path] = []
    unreadable: list[tuple[str, str]] = []

    def failed(exc: OSError) -> None:
        unreadable.append((str(exc.filename), f"cannot read folder: {exc.strerror or exc}"))

    for root, _dirs, names in os.walk(folder, onerror=failed):
        for name in names:
            p = Path(root) / name
            if p.suffix in (".json", ".jsonl", ".parquet") and p.is_file():
                files.append(p)
    return sorted(files), sorted(unreadable)


def _iter_file(path: Path, batched: bool = False) -> Iterator[Unit]:
    name = str(path)
    if not path.exists():  # a missing folder and a missing file: the same cause, one code
        yield (
            name,
            None,
            _fail(name, None, "file-unreadable", "cannot read: No such file or directory"),
        )
        return
    if path.suffix not in (".json", ".jsonl", ".parquet"):
        yield (
            name,
            None,
            _fail(
                name,
                None,
                "unsupported-file",
                "expected a .json, .jsonl or .parquet file, or a folder",
            ),
        )
        return
    if path.suffix == ".parquet":
        yield from iter_parquet(path, batched=batched)
        return
    try:
        with path.open("rb", buffering=1 << 20) as handle:
            if path.suffix == ".jsonl" and batched:
                yield from _iter_jsonl_blocks(handle, name)
            elif path.suffix == ".jsonl":
                yield from iter_jsonl(_read_lines(handle), name)
            else:
                yield name, None, handle.read()
    except OSError as exc:
        yield (
            name,
            None,
            _fail(name, None, "file-unreadable", f"cannot read: {exc.strerror or exc}"),
        )


def _parse_unit(file: str, line: int | None, payload: Any) -> Parsed:
    if isinstance(payload, Parsed):
        return payload
    if isinstance(payload, dict):
        return Parsed(file, line, payload)
    return parse_json_text(payload, file, line)


Item = tuple[str, "int | None", Any]  # (file, line, JSON bytes) as validate.Unit


def iter_corpus_items(records_dir: Path) -> Iterator[Item]:
    """The record files of a corpus folder, in id order (one JSON file per article)."""
    items = []
    for path in sorted(records_dir.glob("*.json")):
        try:
            data = path.read_bytes()
        except OSError as exc:  # a folder named x.json, a file without permission
            reason = f"cannot read: {exc.strerror or exc}"
            items.append(("", str(path), _fail(str(path), None, "file-unreadable", reason)))
            continue
        parsed = parse_json_text(data, str(path))
        rid = parsed.record.get("id") if parsed.record else None
        items.append((rid if isinstance(rid, str) else "", str(path), data))
    for _rid, name, data in sorted(items):
        yield name, None, data


def iter_jsonl_items(path: Path) -> Iterator[Item]:
    """The lines of a JSONL file (records must already be in id order), with the same
    syntax checks as ``belnews validate`` (BOM, over-long lines, empty input), in batches
    that are checked and converted column by column."""
    from belnews.check.readers import iter_units

    return iter_units([path], batched=True)


def is_rows(unit: Unit) -> bool:
    """True for a unit that carries a batch of lines (:class:`Rows`) rather than one record."""
    return isinstance(unit[2], Rows)
