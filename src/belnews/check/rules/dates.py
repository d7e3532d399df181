"""Date rules: every stored date and time exists on the calendar and the clock.

The schema's patterns admit ``2020-13-45`` and ``2021-02-29``; these rules do not. Dates
live in ``metadata.date_published.value``, ``figures[].as_of`` and (ISO 8601 readings such as
``2020-08-14``, ``--11-02``, ``2020-08``, ``T06:00``) ``figures[].iso`` and
``figures[].anchor``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _field
from belnews.check.rules.base import Record, _issue, check
from belnews.errors import Issue

_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TIME = re.compile(r"^T(\d{2}):(\d{2})(?::(\d{2}))?$")


def date_problem(value: str) -> str | None:
    """Why an ISO date or time string names no real day or time, or None when it does (or
    when it is not a date or time at all, such as a duration ``P3M``)."""
    try:
        if m := _FULL.match(value):
            date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _MONTH_DAY.match(value):
            date(2000, int(m[1]), int(m[2]))  # a leap year: --02-29 exists
        elif m := _YEAR_MONTH.match(value):
            date(int(m[1]), int(m[2]), 1)
        elif m := _TIME.match(value):
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            if not (hour < 24 and minute < 60 and second < 60) and (hour, minute, second) != (
                24,
                0,
                0,
            ):
                return "no such time of day"
    except ValueError as exc:
        return str(exc)
    return None


def _dates(record: Record) -> Iterator[tuple[str, str]]:
    stated = record["metadata"]["date_published"]["value"]
    if stated is not None:
        yield "$.metadata.date_published.value", stated
    for i, f in enumerate(record["figures"]):
        if f["as_of"] is not None:
            yield f"$.figures[{i}].as_of", f["as_of"]
        if f["iso"] is not None:
            yield f"$.figures[{i}].iso", f["iso"]
        if f["anchor"] is not None:
            yield f"$.figures[{i}].anchor", f["anchor"]


@check(("date-invalid", "a stored date or time does not exist (2020-13-45, 2021-02-29, T25:00)"))
def check_dates(record: Record) -> Iterator[Issue]:
    for path, value in _dates(record):
        problem = date_problem(value)
        if problem is not None:
            yield _issue(
                record,
                "date-invalid",
                path,
                f"{value!r} is not a real date or time: {problem}",
                expected="an existing calendar date or clock time",
                found=value,
            )


def screen_dates(b: _Batch) -> np.ndarray:
    """date-invalid: each distinct date string of the batch is judged once."""
    bad = np.zeros(b.n, dtype=bool)
    stated = _field(_field(_field(b.records, "metadata"), "date_published"), "value")
    columns = [
        (stated, np.arange(b.n)),
        (_field(b.figures, "as_of"), b.f_row),
        (_field(b.figures, "iso"), b.f_row),
        (_field(b.figures, "anchor"), b.f_row),
    ]
    for values, rows in columns:
        values = values.cast(pa.string())
        distinct = [v for v in pc.unique(values).to_pylist() if v is not None]
        wrong = [v for v in distinct if date_problem(v) is not None]
        if wrong:
            bad[rows[_bools(pc.is_in(values, value_set=pa.array(wrong)), False)]] = True
    return bad
