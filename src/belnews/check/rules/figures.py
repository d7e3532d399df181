"""Figure rules: value, range and comparator consistent with each other and with the digits
in the span; quotation marks are quotation marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _children, _field, _ints, _valid
from belnews.check.rules.base import Record, _issue, _warning, check
from belnews.corpus.marks import QUOTE_MARK_CHARS
from belnews.errors import Issue


@check(
    ("figure-range", "a figure's low is above its high, or a range lacks a bound"),
    ("mark-not-quotation", "a quote mark is not a quotation-mark character"),
)
def check_figure_and_marks(record: Record) -> Iterator[Issue]:
    for i, f in enumerate(record["figures"]):
        low, high = f["low"], f["high"]
        if (low is None) != (high is None):
            yield _issue(
                record,
                "figure-range",
                f"$.figures[{i}]",
                "a range needs both `low` and `high`",
                found=[low, high],
            )
        elif low is not None and float(low) > float(high):
            yield _issue(
                record,
                "figure-range",
                f"$.figures[{i}].low",
                f"low {low} is above high {high}",
                found=[low, high],
            )
    for i, q in enumerate(record["quotes"]):
        for j, mark in enumerate(q["marks"]):
            if mark["text"] not in QUOTE_MARK_CHARS:
                yield _issue(
                    record,
                    "mark-not-quotation",
                    f"$.quotes[{i}].marks[{j}]",
                    f"{mark['text']!r} is not a quotation mark",
                    expected=sorted(QUOTE_MARK_CHARS),
                    found=mark["text"],
                )


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


@check(
    (
        "figure-value-mismatch",
        "warning: a figure's value differs from the digits it is written with",
    )
)
def check_figure_values(record: Record) -> Iterator[Issue]:
    for i, f in enumerate(record["figures"]):
        numbers = [m.group().replace(",", "") for m in _DIGITS.finditer(f["text"])]
        if f["value"] is None or len(numbers) != 1:
            continue
        if float(numbers[0]) != float(f["value"]):
            yield _warning(
                record,
                "figure-value-mismatch",
                f"$.figures[{i}].value",
                f"value {f['value']} but the text says {f['text']!r}",
                expected=numbers[0],
                found=f["value"],
            )


def _decimal(values: Any) -> np.ndarray:
    """Decimal strings as floats (anything not a decimal reads as 0; its row is flagged by
    the schema mask)."""
    good = pc.match_substring_regex(values, r"^-?[0-9]+(\.[0-9]+)?$")
    clean = pc.if_else(pc.fill_null(good, False), values, "0")
    return np.asarray(pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False))


def screen_figures_and_marks(b: _Batch) -> np.ndarray:
    """figure-range, mark-not-quotation, figure-value-mismatch, direct-quote-unmarked."""
    n = b.n
    bad = np.zeros(n, dtype=bool)
    low, high = _field(b.figures, "low"), _field(b.figures, "high")
    has_low, has_high = _valid(low), _valid(high)
    bad[b.f_row[has_low != has_high]] = True
    both = has_low & has_high
    if both.any():
        bad[b.f_row[both & (_decimal(low) > _decimal(high))]] = True
    mark_ok = _bools(
        pc.is_in(_field(b.marks, "text"), value_set=pa.array(sorted(QUOTE_MARK_CHARS))), False
    )
    _marks, m_quote = _children(_field(b.quotes, "marks"))
    bad[b.q_row[m_quote[~mark_ok]]] = True
    # warnings
    kind = _field(b.quotes, "kind")
    marked = _ints(pc.list_value_length(_field(b.quotes, "marks"))) > 0
    direct = _bools(pc.is_in(kind, value_set=pa.array(["direct", "partial"])), False)
    bad[b.q_row[direct & ~marked]] = True
    text = _field(b.figures, "text")
    value = _field(b.figures, "value")
    pattern = r"\d[\d,]*(?:\.\d+)?"
    unicode_digit = _bools(pc.match_substring_regex(text, r"[^0-9\P{Nd}]"), True)
    bad[b.f_row[unicode_digit]] = True  # RE2's \d is ASCII only, Python's is every Nd digit
    one = (_ints(pc.count_substring_regex(text, pattern)) == 1) & _valid(value)
    if one.any():
        found = pc.struct_field(pc.extract_regex(text, f"(?P<n>{pattern})"), "n")
        found = pc.replace_substring(pc.fill_null(found, "0"), ",", "")
        said = pc.cast(found, pa.float64()).to_numpy(zero_copy_only=False)
        given = _decimal(value)
        bad[b.f_row[one & (said != given)]] = True
    return bad


@check(("figure-value-outside-range", "a figure's `value` lies outside its own `low`-`high` range"))
def check_figure_in_range(record: Record) -> Iterator[Issue]:
    from decimal import Decimal

    for i, f in enumerate(record["figures"]):
        value, low, high = f["value"], f["low"], f["high"]
        if value is None or low is None or high is None:
            continue  # a range without a bound is figure-range's; so is low above high
        if Decimal(low) <= Decimal(high) and not Decimal(low) <= Decimal(value) <= Decimal(high):
            yield _issue(
                record,
                "figure-value-outside-range",
                f"$.figures[{i}].value",
                f"value {value} is outside its range {low}-{high}",
                expected=f"{low} <= value <= {high}",
                found=value,
            )


def screen_figure_in_range(b: _Batch) -> np.ndarray:
    """figure-value-outside-range: flags rows where a value with a range is not strictly
    inside it (floats may round; the bounds themselves take the exact path)."""
    bad = np.zeros(b.n, dtype=bool)
    value, low, high = (_field(b.figures, k) for k in ("value", "low", "high"))
    all_three = _valid(value) & _valid(low) & _valid(high)
    if all_three.any():
        v, lo, hi = _decimal(value), _decimal(low), _decimal(high)
        bad[b.f_row[all_three & ~((lo < v) & (v < hi))]] = True
    return bad
