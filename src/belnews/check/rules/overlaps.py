"""Overlap rules (ANNOTATION.md section 4): mentions nest but do not cross or repeat, figures
never overlap, quote contents nest but do not cross.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from belnews.check.columns import _Batch, _field, _ints, _nesting_faults, _sweep_rows
from belnews.check.rules.base import Record, _issue, check, in_bounds
from belnews.errors import Issue


def _crossing(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two spans overlap without one containing the other."""
    (s1, e1), (s2, e2) = a, b
    overlap = s1 < e2 and s2 < e1
    nested = (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2)
    return overlap and not nested


@check(
    ("overlap-crossing", "two spans of a layer partly overlap (see the overlap policy)"),
    ("overlap-duplicate", "two spans of a layer cover exactly the same text"),
    ("figure-overlap", "two figures overlap"),
)
def check_overlaps(record: Record) -> Iterator[Issue]:
    n = len(record["text"])
    mentions = [
        (i, (m["start"], m["end"])) for i, m in enumerate(record["entities"]) if in_bounds(m, n)
    ]
    for (j, b), earlier in _by_later(_overlapping_pairs(mentions)):
        same = [i for i, a in earlier if a == b]
        crossed = [(i, a) for i, a in earlier if a != b and _crossing(a, b)]
        if same:
            yield _issue(
                record,
                "overlap-duplicate",
                f"$.entities[{j}]",
                f"span {list(b)} is already annotated as $.entities[{same[0]}]" + _more(same),
                found=list(b),
            )
        if crossed:  # nesting is allowed: "the Belarusian interior minister"
            i, a = crossed[0]
            yield _issue(
                record,
                "overlap-crossing",
                f"$.entities[{j}]",
                f"span {list(b)} crosses $.entities[{i}] {list(a)}" + _more(crossed),
                found=[list(a), list(b)],
            )
    figures = [
        (i, (f["start"], f["end"])) for i, f in enumerate(record["figures"]) if in_bounds(f, n)
    ]
    for (j, b), earlier in _by_later(_overlapping_pairs(figures)):
        i, a = earlier[0]
        yield _issue(
            record,
            "figure-overlap",
            f"$.figures[{j}]",
            f"figure {list(b)} overlaps $.figures[{i}] {list(a)}" + _more(earlier),
            found=[list(a), list(b)],
        )
    fragments = []
    for i, q in enumerate(record["quotes"]):
        for j, frag in enumerate(q["content"]):
            if in_bounds(frag, n):
                fragments.append(((i, j), (frag["start"], frag["end"])))
    for (ia, a), (ib, b) in _overlapping_pairs(fragments):
        same_quote = ia[0] == ib[0]
        if same_quote or a == b or _crossing(a, b):
            code = "overlap-duplicate" if a == b else "overlap-crossing"
            yield _issue(
                record,
                code,
                f"$.quotes[{ib[0]}].content[{ib[1]}]",
                f"content {list(b)} overlaps $.quotes[{ia[0]}].content[{ia[1]}] {list(a)}",
                found=[list(a), list(b)],
            )


def _by_later(pairs: Iterator[tuple[Any, Any]]) -> Iterator[tuple[Any, list[Any]]]:
    """Group the sweep's pairs by their later item, so each offending object is reported once
    (N identical spans give N-1 issues, not N*(N-1)/2)."""
    current: Any = None
    earlier: list[Any] = []
    for a, b in pairs:
        if current is not None and b is not current:
            yield current, earlier
            earlier = []
        current = b
        earlier.append(a)
    if current is not None:
        yield current, earlier


def _more(others: list[Any]) -> str:
    return f" (and {len(others) - 1} more)" if len(others) > 1 else ""


def _overlapping_pairs(
    items: list[tuple[Any, tuple[int, int]]],
) -> Iterator[tuple[tuple[Any, tuple[int, int]], tuple[Any, tuple[int, int]]]]:
    """Pairs of items whose spans overlap, by a sweep over sorted starts (the cost grows with
    the number of overlapping pairs, not with all pairs)."""
    ordered = sorted(items, key=lambda t: (t[1][0], -t[1][1]))
    active: list[tuple[Any, tuple[int, int]]] = []
    for item in ordered:
        start = item[1][0]
        active = [a for a in active if a[1][1] > start]
        for a in active:
            yield a, item
        active.append(item)


def screen_overlaps(b: _Batch) -> np.ndarray:
    """overlap-crossing, overlap-duplicate, figure-overlap: figures that overlap at all,
    mentions or quote fragments that repeat or cross, two fragments of one quote that
    overlap."""
    n = b.n
    bad = np.zeros(n, dtype=bool)
    size = b.text.cp_len

    def spans(struct: Any, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        s, e = _ints(_field(struct, "start")), _ints(_field(struct, "end"))
        keep = (s >= 0) & (s < e) & (e <= size[rows])
        return keep, rows[keep], s[keep], e[keep]

    _, fr, fs, fe = spans(b.figures, b.f_row)
    bad[_sweep_rows(fr, fs, fe)] = True
    _, er, es, ee = spans(b.entities, b.e_row)
    bad[_nesting_faults(er, es, ee)] = True
    keep, qr, qs, qe = spans(b.content, b.frag_row)
    bad[_nesting_faults(qr, qs, qe)] = True
    quote = b.frag_quote[keep]  # numbered across the batch, so it stands for its row too
    bad[b.q_row[_sweep_rows(quote, qs, qe)]] = True
    return bad
