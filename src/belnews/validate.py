"""Validation: the contribution gate.

Three layers, each yielding :class:`~belnews.errors.Issue` objects rather than raising:

1. syntax (the bytes are one JSON object per record: UTF-8, no BOM, no duplicate keys, …);
2. the JSON Schema (``schema/article.schema.json``): *all* errors, each with its JSON path;
3. semantic checks (:mod:`belnews.checks`) and provenance against ``corpus/raw``.

``iter_issues`` is lazy (records are read one at a time), ``validate_path`` collects a
:class:`Report`, ``is_valid`` answers yes or no.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .checks import json_path, semantic_issues
from .errors import Issue
from .schema import fast_validator, validator

#: Nesting deeper than this is refused before parsing (records need about 6 levels).
MAX_DEPTH = 64
#: A JSONL line longer than this (in bytes) is refused unread.
MAX_LINE_BYTES = 16 * 1024 * 1024

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
}
#: ``schema-<keyword>`` for every JSON Schema keyword the record schema uses.
SCHEMA_CODES = {
    "schema-type": "a value has the wrong JSON type (e.g. a number where text is expected)",
    "schema-required": "a required property is missing",
    "schema-additional-properties": "a property the schema does not define",
    "schema-enum": "a value outside its closed set (labels, kinds, roles)",
    "schema-const": "a fixed value differs (schema_version, offset_unit, NFC)",
    "schema-pattern": "a string does not match its pattern (ids, hashes, dates, QIDs)",
    "schema-minimum": "a number is below its minimum (negative offsets)",
    "schema-min-items": "a list is shorter than allowed (empty quote content, short map row)",
    "schema-min-length": "an empty string where text is required",
    "schema-items": "a fixed-length tuple has extra items (offset map rows)",
    "integer-written-as-float": "an integer written with a fraction or exponent (`3.0`, `3e0`)",
}
PROVENANCE_CODES = {
    "raw-hash-mismatch": "provenance.raw_sha256 differs from the SHA-256 of the raw file",
    "text-not-reproducible": "normalizing the raw file does not give `text` (or its sections)",
    "raw-file-missing": "warning: the raw file named in provenance is not in the corpus",
}
#: Checks across the records of one run.
CORPUS_CODES = {"duplicate-record-id": "two records share an id"}


@dataclass
class Report:
    """The outcome of validating some inputs."""

    records: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def valid(self, *, strict: bool = False) -> bool:
        return self.errors == 0 and (not strict or self.warnings == 0)

    def exit_status(self, *, strict: bool = False) -> int:
        """0 valid, 1 invalid data (or no record at all), 2 an input could not be read."""
        if any(i.code in ("file-unreadable", "unsupported-file") for i in self.issues):
            return 2
        return 0 if self.valid(strict=strict) and self.records else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class Parsed:
    """One record read from an input, or the syntax issues that stopped it being read."""

    file: str
    line: int | None
    record: dict[str, Any] | None
    issues: tuple[Issue, ...] = ()


# --- syntax ----------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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
    keep their escaped quotes, so the input has duplicate keys only if it holds more `":` than
    the output (inputs that spell a quote or colon as a \\u escape take the strict path).
    Depth is left to :func:`schema_issues`: a record the schema accepts is shallow.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if type(value) is not dict:
        return None
    if data.count(b'":') != orjson.dumps(value).count(b'":') or _KEY_ESCAPES.search(data):
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
        value = json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=_reject_constant)
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

#: Records screened together by :mod:`belnews.columnar` (bounded, so memory stays flat).
BATCH_ROWS = 2048
BATCH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Rows:
    """Consecutive records of one file, checked as one columnar batch.

    ``lines`` holds JSONL lines (``numbers`` their line numbers); ``table`` a Parquet record
    batch with the record schema (``numbers`` its 1-based row numbers).
    """

    numbers: list[int]
    lines: list[bytes] | None = None
    table: Any = None

    def unit(self, file: str, i: int) -> Unit:
        """The i-th record as a unit of its own, for the exact path."""
        if self.lines is not None:
            return file, self.numbers[i], self.lines[i]
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


def iter_jsonl(lines: Iterable[tuple[bytes, bool]], file: str) -> Iterator[Unit]:
    """One unit per non-blank line; line numbers count from 1 and never drift."""
    empty = True
    for number, (raw_line, too_long) in enumerate(lines, start=1):
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
        import pyarrow.parquet as pq

        from .arrow import arrow_schema

        handle = pq.ParquetFile(path)
        ours = arrow_schema(with_features=False)
        same = [(f.name, f.type) for f in handle.schema_arrow] == [(f.name, f.type) for f in ours]
        row = 0
        for batch in handle.iter_batches(batch_size=BATCH_ROWS // 2):
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
            if b"\n{" in data.strip():
                lines = ((line.rstrip(b"\r"), False) for line in data.split(b"\n"))
                yield from iter_jsonl(lines, "<stdin>")
            else:
                yield "<stdin>", None, data
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".json", ".jsonl", ".parquet") and p.is_file()
            )
            yield from _iter_units(files, None, batched)
        else:
            yield from _iter_file(path, batched)


def _iter_file(path: Path, batched: bool = False) -> Iterator[Unit]:
    name = str(path)
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
            if path.suffix == ".jsonl":
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


# --- schema and semantics --------------------------------------------------------------------


def _kebab(word: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", word).lower()


def schema_issues(record: dict[str, Any]) -> Iterator[Issue]:
    """Every JSON Schema error of a record, sorted by path, as issues coded ``schema-<keyword>``.

    ``jsonschema-rs`` answers "valid?" about 100 times faster; only records it rejects go
    through ``jsonschema``, whose errors carry the paths and messages contributors read.
    """
    if fast_validator().is_valid(record):
        return
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    if max_depth(record) > MAX_DEPTH:
        yield Issue(
            "nesting-too-deep",
            f"nested deeper than {MAX_DEPTH} levels",
            record_id=rid,
            expected=f"at most {MAX_DEPTH}",
        )
        return
    errors = sorted(
        validator().iter_errors(record), key=lambda e: (list(map(str, e.path)), e.validator)
    )
    for err in errors:
        detail = err
        if err.validator == "oneOf" and err.context:
            # A nullable span: report the deepest reason under the span branch.
            detail = max(err.context, key=lambda e: len(e.path))
        yield Issue(
            code=f"schema-{_kebab(str(detail.validator))}",
            message=detail.message,
            record_id=rid,
            path=detail.json_path,
            expected=_expected(detail),
            found=_short(detail.instance),
        )


def _expected(err: Any) -> Any:
    value = err.validator_value
    if err.validator in ("$ref", "if", "then", "else", "properties", "items", "prefixItems"):
        return None
    if isinstance(value, (dict, list)) and len(json.dumps(value)) > 200:
        return None
    return {err.validator: value}


def _short(value: Any) -> Any:
    if isinstance(value, dict):
        return {"keys": sorted(value)}  # the object itself would swamp the message
    text = json.dumps(value, ensure_ascii=False)
    return value if len(text) <= 120 else text[:117] + "..."


def provenance_issues(record: dict[str, Any], raw_dir: Path | None) -> Iterator[Issue]:
    """Compare the record with its raw file, when a raw folder is known."""
    from .ingest import sha256_hex
    from .normalize import normalize

    if raw_dir is None or not raw_dir.is_dir():
        return
    rid = record["id"]
    raw_path = raw_dir / record["provenance"]["raw_file"]
    if not raw_path.is_file():
        yield Issue(
            "raw-file-missing",
            f"no raw file {raw_path}",
            severity="warning",
            record_id=rid,
            path="$.provenance.raw_file",
        )
        return
    raw = raw_path.read_bytes()
    digest = sha256_hex(raw)
    if digest != record["provenance"]["raw_sha256"]:
        yield Issue(
            "raw-hash-mismatch",
            f"{raw_path.name} has a different SHA-256",
            record_id=rid,
            path="$.provenance.raw_sha256",
            expected=digest,
            found=record["provenance"]["raw_sha256"],
        )
        return
    norm = normalize(raw)
    if norm.text != record["text"]:
        first = next(
            (i for i, (a, b) in enumerate(zip(norm.text, record["text"], strict=False)) if a != b),
            min(len(norm.text), len(record["text"])),
        )
        yield Issue(
            "text-not-reproducible",
            f"normalizing {raw_path.name} gives a different text from offset {first}",
            record_id=rid,
            path="$.text",
            expected=norm.text[first : first + 30],
            found=record["text"][first : first + 30],
        )
    else:
        sections = [{"type": s.type, "start": s.start, "end": s.end} for s in norm.sections]
        if sections != record["sections"]:
            yield Issue(
                "text-not-reproducible",
                "the sections differ from what normalization gives",
                record_id=rid,
                path="$.sections",
            )


def float_issues(record: dict[str, Any]) -> Iterator[Issue]:
    """Numbers parsed as floats. The JSON Schema calls ``3.0`` an integer, but every number
    in a record is an offset or a count, used as an index: it must be written ``3``."""
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    stack: list[tuple[Any, tuple[Any, ...]]] = [(record, ())]
    while stack:
        value, where = stack.pop()
        items = value.items() if type(value) is dict else enumerate(value)
        for key, child in items:
            if type(child) is float:
                yield Issue(
                    "integer-written-as-float",
                    f"{child!r} is written as a float; write it as the integer {int(child)}",
                    record_id=rid,
                    path=json_path((*where, key)),
                    expected="an integer without fraction or exponent",
                    found=child,
                )
            elif type(child) in (dict, list):
                stack.append((child, (*where, key)))


def iter_record_issues(record: dict[str, Any], *, raw_dir: Path | None = None) -> Iterator[Issue]:
    """Schema issues; if there are none, semantic and provenance issues too."""
    schema_problems = list(schema_issues(record)) or sorted(
        float_issues(record), key=lambda i: i.path or ""
    )
    if schema_problems:
        yield from schema_problems
        return
    yield from semantic_issues(record)
    yield from provenance_issues(record, raw_dir)


def _raw_dir_for(file: str, raw_dir: Path | None) -> Path | None:
    if raw_dir is not None:
        return raw_dir
    path = Path(file)
    if path.parent.name == "records":
        return path.parent.parent / "raw"
    return None


@dataclass(frozen=True)
class Checked:
    """What checking one unit found."""

    file: str
    line: int | None
    record_id: str | None
    is_record: bool
    issues: list[Issue]


def check_record_unit(
    unit: Unit, raw_dir: Path | None = None
) -> tuple[Checked, dict[str, Any] | None]:
    """Parse and check one unit; also return the parsed record (None if it did not parse)."""
    file, line, payload = unit
    parsed = _parse_unit(file, line, payload)
    if parsed.record is None:
        return Checked(file, line, None, False, list(parsed.issues)), None
    record = parsed.record
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    issues = [
        i.located(file=file, line=line, record_id=rid)
        for i in iter_record_issues(record, raw_dir=_raw_dir_for(file, raw_dir))
    ]
    return Checked(file, line, rid, True, issues), record


def check_unit(unit: Unit, raw_dir: Path | None = None) -> Checked:
    """Parse and check one unit (a pure function of its input, so it can run in a worker)."""
    return check_record_unit(unit, raw_dir)[0]


def parse_rows(unit: Unit, raw_dir: Path | None = None) -> Any:
    """The columnar reading of a :class:`Rows` unit (None for other units, and for rows that
    need provenance checks, which only the exact path makes)."""
    file, _line, payload = unit
    if not isinstance(payload, Rows) or _raw_dir_for(file, raw_dir) is not None:
        return None
    from .columnar import parse_lines

    if payload.lines is not None:
        return parse_lines(payload.lines)
    return payload.table, None


def check_rows(
    unit: Unit, raw_dir: Path | None = None, parsed: Any = None
) -> tuple[list[Checked], Any]:
    """Check a :class:`Rows` unit: the columnar screen (:mod:`belnews.columnar`) vouches for
    most rows, the rest take the exact path. Also returns the Arrow table of all the rows
    (None if the Arrow reader refused them)."""
    import numpy as np

    from .columnar import screen

    file, _line, payload = unit
    parsed = parse_rows(unit, raw_dir) if parsed is None else parsed
    n = len(payload.numbers)
    table, raw_keys = parsed if parsed is not None else (None, None)
    clean = screen(table, raw_keys) if table is not None else np.zeros(n, dtype=bool)
    ids = table.column("id").to_pylist() if table is not None else [None] * n
    checked = [
        Checked(file, number, ids[i], True, [])
        if clean[i]
        else check_unit(payload.unit(file, i), raw_dir)
        for i, number in enumerate(payload.numbers)
    ]
    return checked, table


def check_units(unit: Unit, raw_dir: Path | None = None, parsed: Any = None) -> list[Checked]:
    """Check a unit of one record, or every record of a :class:`Rows` unit."""
    if isinstance(unit[2], Rows):
        return check_rows(unit, raw_dir, parsed)[0]
    return [check_unit(unit, raw_dir)]


def _check_window(args: tuple[list[Unit], Path | None]) -> list[Checked]:
    units, raw_dir = args
    return [checked for u in units for checked in check_units(u, raw_dir)]


#: Units handed to a worker at a time when checking in parallel.
WINDOW = 250


def windows(units: Iterable[Unit], size: int = WINDOW) -> Iterator[list[Unit]]:
    """Lists of up to ``size`` units; a :class:`Rows` unit (already a batch) goes alone."""
    window: list[Unit] = []
    for unit in units:
        if isinstance(unit[2], Rows):
            if window:
                yield window
                window = []
            yield [unit]
            continue
        window.append(unit)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def ordered_map(fn: Any, tasks: Iterable[Any], jobs: int) -> Iterator[Any]:
    """``map(fn, tasks)`` in worker processes, in order, with few tasks in flight.

    Unlike ``Pool.imap`` it does not read the whole input ahead, so memory stays bounded on
    a corpus of any size. Workers are started with "spawn": the parent may already run
    pyarrow's threads, and forking a threaded process is unsafe.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = []
        tasks = iter(tasks)
        for task in tasks:
            pending.append(pool.submit(fn, task))
            if len(pending) > 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def prefetched(units: Iterable[Unit], raw_dir: Path | None) -> Iterator[tuple[Unit, Any]]:
    """(unit, parsed) pairs in order, each :class:`Rows` unit parsed by :func:`parse_rows` in
    a thread one unit ahead (Arrow parses with the GIL released, so reading the next batch
    overlaps checking this one). ``parsed`` is None for other units."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead: deque[tuple[Unit, Any]] = deque()
        for unit in units:
            is_rows = isinstance(unit[2], Rows)
            ahead.append((unit, pool.submit(parse_rows, unit, raw_dir) if is_rows else None))
            while len(ahead) > 1 or (ahead and ahead[0][1] is None):
                done, future = ahead.popleft()
                yield done, future.result() if future is not None else None
        while ahead:
            done, future = ahead.popleft()
            yield done, future.result() if future is not None else None


def _iter_checked(
    paths: Iterable[str | Path], *, raw_dir: Path | None, stdin: Any, jobs: int
) -> Iterator[Checked]:
    """Checked units in input order, adding the across-records check (duplicate ids)."""
    import itertools

    units = iter_units(paths, stdin=stdin, batched=True)
    if jobs == 1:
        results: Iterator[Checked] = itertools.chain.from_iterable(
            check_units(unit, raw_dir, parsed) for unit, parsed in prefetched(units, raw_dir)
        )
    else:
        results = itertools.chain.from_iterable(
            ordered_map(_check_window, ((w, raw_dir) for w in windows(units)), jobs)
        )
    seen_ids: dict[str, str] = {}
    for checked in results:
        rid = checked.record_id
        if rid is not None:
            where = f"{checked.file}:{checked.line}" if checked.line else checked.file
            if rid in seen_ids:
                checked.issues.append(
                    Issue(
                        "duplicate-record-id",
                        f"id {rid!r} is already used by {seen_ids[rid]}",
                        record_id=rid,
                        path="$.id",
                        file=checked.file,
                        line=checked.line,
                        found=rid,
                    )
                )
            else:
                seen_ids[rid] = where
        yield checked


def iter_issues(
    paths: Iterable[str | Path], *, raw_dir: Path | None = None, stdin: Any = None, jobs: int = 1
) -> Iterator[Issue]:
    """Every issue in the given inputs, lazily, with file, line and record id filled in.

    ``jobs`` > 1 checks records in that many worker processes (0: one per CPU); the issues
    come out in the same order either way.
    """
    for checked in _iter_checked(paths, raw_dir=raw_dir, stdin=stdin, jobs=jobs):
        yield from checked.issues


def validate_path(
    paths: Iterable[str | Path], *, raw_dir: Path | None = None, stdin: Any = None, jobs: int = 1
) -> Report:
    """Validate files and folders and collect a :class:`Report`."""
    report = Report()
    for checked in _iter_checked(paths, raw_dir=raw_dir, stdin=stdin, jobs=jobs):
        report.records += checked.is_record
        report.issues.extend(checked.issues)
    return report


def validate_record(record: dict[str, Any], *, raw_dir: Path | None = None) -> list[Issue]:
    """All issues of one in-memory record."""
    return list(iter_record_issues(record, raw_dir=raw_dir))


def is_valid(paths: Iterable[str | Path], *, strict: bool = False) -> bool:
    """True when the inputs hold at least one record and no errors (nor warnings if strict)."""
    report = validate_path(paths)
    return report.records > 0 and report.valid(strict=strict)


def all_codes() -> dict[str, tuple[str, str]]:
    """Every issue code: code -> (layer, description). The table in VALIDATION.md."""
    from .build import BUILD_CODES
    from .checks import CODES

    out: dict[str, tuple[str, str]] = {}
    for layer, table in (
        ("syntax", SYNTAX_CODES),
        ("schema", SCHEMA_CODES),
        ("semantic", CODES),
        ("provenance", PROVENANCE_CODES),
        ("corpus", CORPUS_CODES),
        ("build", BUILD_CODES),
    ):
        out.update({code: (layer, doc) for code, doc in table.items()})
    return out
