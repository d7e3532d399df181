"""One-to-one matching of annotations by their character spans.

An annotation covers a set of code points: a figure or a mention one range, a quote the union
of its content fragments. Two annotations match *exactly* when they cover the same ranges, and
*overlap* when they share at least one code point. Matching is one-to-one: among all pairings
with the most pairs, the one with the largest summed overlap quality (intersection over union)
wins, found with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``). Maximising
the number of pairs first makes the matching symmetric: swapping the two sides gives the same
number of pairs, so precision and recall swap exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any

Ranges = tuple[tuple[int, int], ...]
Pair = tuple[int, int]


def ranges_of(annotation: dict[str, Any]) -> Ranges:
    """The (start, end) ranges an annotation covers: a quote's content fragments, else its span."""
    if "content" in annotation:
        return tuple(sorted((int(s["start"]), int(s["end"])) for s in annotation["content"]))
    return ((int(annotation["start"]), int(annotation["end"])),)


def span_ranges(span: dict[str, Any] | None) -> Ranges:
    """The ranges of an optional span (a quote's cue or source): empty when it is null."""
    if span is None:
        return ()
    return ((int(span["start"]), int(span["end"])),)


def _length(ranges: Ranges) -> int:
    return sum(end - start for start, end in ranges)


def intersection(a: Ranges, b: Ranges) -> int:
    """How many code points two range sets share (each set's ranges must not overlap)."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def iou(a: Ranges, b: Ranges) -> float:
    """Intersection over union of two range sets; 0.0 when they do not overlap."""
    shared = intersection(a, b)
    if shared == 0:
        return 0.0
    return shared / (_length(a) + _length(b) - shared)


def exact_count(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The size of the best one-to-one exact matching: the multiset intersection of the keys."""
    counts_b = Counter(b)
    return sum(min(n, counts_b[key]) for key, n in Counter(a).items())


def match(
    a: Sequence[Ranges],
    b: Sequence[Ranges],
    *,
    compatible: Callable[[int, int], bool] | None = None,
    exact: bool = False,
) -> list[Pair]:
    """Pair items of ``a`` with items of ``b`` one-to-one; return (index in a, index in b).

    Candidates are pairs that overlap (``exact``: cover identical ranges) and, when given,
    satisfy ``compatible(i, j)`` (for example: the same entity label). The matching has the
    most pairs possible and, among those, the largest total intersection over union.
    """
    weights: dict[Pair, float] = {}
    for i, ra in enumerate(a):
        for j, rb in enumerate(b):
            quality = (1.0 if ra == rb else 0.0) if exact else iou(ra, rb)
            if quality > 0 and (compatible is None or compatible(i, j)):
                weights[(i, j)] = quality
    if not weights:
        return []
    return _assign(len(a), len(b), weights)


def linear_sum_assignment(matrix: Any) -> tuple[Any, Any]:
    """scipy's Hungarian solver (maximising), with a one-line hint when scipy is missing."""
    try:
        from scipy.optimize import linear_sum_assignment as solve
    except ImportError as exc:  # pragma: no cover - scipy is a declared extra
        raise ImportError("the scorer needs scipy: pip install 'belnews[review]'") from exc
    return solve(matrix, maximize=True)


def _assign(n_a: int, n_b: int, weights: dict[Pair, float]) -> list[Pair]:
    """Maximum-cardinality, then maximum-weight, assignment over the candidate pairs."""
    import numpy as np
    # Every candidate pair is worth more than any number of quality points, so the solver
    # first maximises the count of pairs, then their summed quality (each at most 1).
    bonus = float(min(n_a, n_b) + 1)
    matrix = np.zeros((n_a, n_b))
    for (i, j), quality in weights.items():
        matrix[i, j] = bonus + quality
    rows, cols = linear_sum_assignment(matrix)
    return sorted(
        (int(i), int(j)) for i, j in zip(rows, cols, strict=True) if (int(i), int(j)) in weights
    )
