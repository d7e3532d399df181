"""Validation: the contribution gate.

Three layers, each yielding :class:`~belnews.errors.Issue` objects rather than raising:

1. syntax (the bytes are one JSON object per record: UTF-8, no BOM, no duplicate keys, …);
2. the JSON Schema (``schema/article.schema.json``): *all* errors, each with its JSON path;
3. semantic checks (:mod:`belnews.checks`) and provenance against ``corpus/raw``.

``iter_issues`` is lazy (records are read one at a time), ``validate_path`` collects a
:class:`Report`, ``is_valid`` answers yes or no.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from belnews.check.conformance import float_issues, schema_issues
from belnews.check.provenance import _raw_dir_for, provenance_issues
from belnews.check.readers import Rows, Unit, _parse_unit, is_rows, iter_units
from belnews.check.report import Report
from belnews.check.rules.__init__ import semantic_issues
from belnews.check.scheduler import read_ahead
from belnews.errors import Issue

#: Batches parsed ahead, each in its own thread, while one is screened. Parsing a batch of
#: real-density lines takes about as long as screening it, and Arrow's reader releases the
#: GIL: with two in flight the parsing keeps up even while it shares the cores.
PARSE_AHEAD = 2

#: Checks across the records of one run.
CORPUS_CODES = {"duplicate-record-id": "two records share an id"}


#: Issues listed per record before the rest are summarised in one line.
MAX_ISSUES_PER_RECORD = 100

REPORT_CODES = {
    "too-many-issues": f"a record has more than {MAX_ISSUES_PER_RECORD} issues; the rest are "
    "counted in this one (an error if any of them is)",
}


def iter_record_issues(record: dict[str, Any], *, raw_dir: Path | None = None) -> Iterator[Issue]:
    """Schema issues; if there are none, semantic and provenance issues too. At most
    :data:`MAX_ISSUES_PER_RECORD` are listed, so output and memory stay bounded whatever the
    record holds."""
    listed = hidden = hidden_errors = 0
    for issue in _record_issues(record, raw_dir):
        if listed < MAX_ISSUES_PER_RECORD:
            listed += 1
            yield issue
        else:
            hidden += 1
            hidden_errors += issue.severity == "error"
    if hidden:
        yield Issue(
            "too-many-issues",
            f"{hidden} more issue(s) in this record are not listed ({hidden_errors} errors)",
            severity="error" if hidden_errors else "warning",
            record_id=record.get("id") if isinstance(record.get("id"), str) else None,
        )


def _record_issues(record: dict[str, Any], raw_dir: Path | None) -> Iterator[Issue]:
    schema_problems = list(schema_issues(record)) or sorted(
        float_issues(record), key=lambda i: i.path or ""
    )
    if schema_problems:
        yield from schema_problems
        return
    yield from semantic_issues(record)
    yield from provenance_issues(record, raw_dir)


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
    import numpy as np

    from belnews.check.screen import parse_block, parse_lines

    if payload.block is not None:
        ends = np.asarray(payload.ends, dtype=np.int64)
        lengths = np.diff(ends, prepend=-1) - 1
        return parse_block(payload.block, lengths)
    if payload.lines is not None:
        return parse_lines(payload.lines)
    return payload.table, None


def check_rows(
    unit: Unit, raw_dir: Path | None = None, parsed: Any = None
) -> tuple[list[Checked], Any]:
    """Check a :class:`Rows` unit: the columnar screen (:mod:`belnews.check.screen`) vouches for
    most rows, the rest take the exact path. Also returns the Arrow table of all the rows
    (None if the Arrow reader refused them)."""
    import numpy as np

    from belnews.check.screen import screen

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


def _results(
    paths: Iterable[str | Path],
    *,
    raw_dir: Path | None,
    stdin: Any,
    jobs: int,
    engine: str,
    address: str | None,
) -> Iterator[Checked]:
    """Checked units in input order, from the engine named ``engine``."""
    import itertools

    if engine == "local" and address is not None:
        raise ValueError("an address is only meaningful with engine='ray'")
    if engine != "local" or jobs != 1:
        # worker processes (local or Ray) read their own pieces of the input: the driver
        # sends a few hundred bytes per piece, not the records
        from belnews.check.engines import open_engine
        from belnews.check.engines.pieces import checked_pieces

        with open_engine(engine, jobs=jobs, address=address) as runner:
            yield from checked_pieces(
                runner, paths, partial(check_units, raw_dir=raw_dir), stdin=stdin
            )
        return
    units = iter_units(paths, stdin=stdin, batched=True)
    yield from itertools.chain.from_iterable(
        check_units(unit, raw_dir, parsed)
        for unit, parsed in read_ahead(
            units, partial(parse_rows, raw_dir=raw_dir), is_rows, depth=PARSE_AHEAD
        )
    )


def _iter_checked(
    paths: Iterable[str | Path],
    *,
    raw_dir: Path | None,
    stdin: Any,
    jobs: int,
    engine: str = "local",
    address: str | None = None,
) -> Iterator[Checked]:
    """Checked units in input order, adding the across-records check (duplicate ids)."""
    from belnews.check.memory import reuse_freed_memory

    with reuse_freed_memory():
        yield from _with_corpus_checks(
            _results(
                paths, raw_dir=raw_dir, stdin=stdin, jobs=jobs, engine=engine, address=address
            )
        )


def _with_corpus_checks(results: Iterable[Checked]) -> Iterator[Checked]:
    """The checked units, each with the issues found across records added (duplicate ids)."""
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
    paths: Iterable[str | Path],
    *,
    raw_dir: Path | None = None,
    stdin: Any = None,
    jobs: int = 1,
    engine: str = "local",
    address: str | None = None,
) -> Iterator[Issue]:
    """Every issue in the given inputs, lazily, with file, line and record id filled in.

    ``jobs`` > 1 checks records in that many worker processes (0: one per CPU); the issues
    come out in the same order either way. ``engine="ray"`` checks them with Ray Data instead
    (:mod:`belnews.check.engines`), on a local instance or the cluster at ``address``;
    ``jobs`` then caps the Ray workers (0: every CPU the instance has).
    """
    for checked in _iter_checked(
        paths, raw_dir=raw_dir, stdin=stdin, jobs=jobs, engine=engine, address=address
    ):
        yield from checked.issues


def validate_path(
    paths: Iterable[str | Path],
    *,
    raw_dir: Path | None = None,
    stdin: Any = None,
    jobs: int = 1,
    engine: str = "local",
    address: str | None = None,
) -> Report:
    """Validate files and folders and collect a :class:`Report` (engines as in
    :func:`iter_issues`)."""
    report = Report()
    for checked in _iter_checked(
        paths, raw_dir=raw_dir, stdin=stdin, jobs=jobs, engine=engine, address=address
    ):
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
