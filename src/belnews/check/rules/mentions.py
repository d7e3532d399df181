"""Mention rules: a name annotated somewhere should be annotated wherever it occurs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from belnews.check.columns import _Batch, _bools, _field, _ints
from belnews.check.rules.base import Record, _warning, check, in_bounds
from belnews.errors import Issue


@check(
    ("mention-unannotated", "warning: a named mention's words occur elsewhere without a mention")
)
def check_unannotated_mentions(record: Record) -> Iterator[Issue]:
    from belnews.corpus.anchors import occurrences

    text = record["text"]
    n = len(text)
    covered = [(m["start"], m["end"]) for m in record["entities"] if in_bounds(m, n)]
    exact = set(covered)
    annotated = Counter(text[s:e] for s, e in exact)
    seen: set[str] = set()
    for m in record["entities"]:
        surface = m["text"]
        if m["mention_type"] != "name" or surface in seen or not in_bounds(m, n):
            continue
        seen.add(surface)
        if text.count(surface) == annotated[surface]:
            continue  # every occurrence is itself a mention (the common case, checked in C)
        for start in occurrences(text, surface):
            end = start + len(surface)
            if (start, end) in exact:
                continue
            if not any(a <= start and end <= b for a, b in covered):
                yield _warning(
                    record,
                    "mention-unannotated",
                    "$.entities",
                    f"{surface!r} at [{start}, {end}) is not annotated although "
                    "it is a mention elsewhere",
                    found=[start, end],
                )


def _has_border(word: bytes) -> bool:
    """Whether two occurrences of ``word`` can overlap (a proper prefix equals a suffix, as in
    "Bora Bora" inside "Bora Bora Bora"); counting occurrences then undercounts them."""
    return any(word[:k] == word[-k:] for k in range(1, len(word)))


def _covered_text(t: Any, row: np.ndarray, b0: np.ndarray, b1: np.ndarray) -> tuple:
    """Each row's outermost mentions, their bytes joined by 0xFF (a byte UTF-8 never uses):
    the buffer and each row's offsets into it, plus the rows whose outermost mentions cross
    (there an occurrence could be counted in two of them)."""
    order = np.lexsort((-b1, b0, row))
    r, s, e = row[order], b0[order], b1[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = r[1:] != r[:-1]
    # running maximum of the ends before each mention, within its row
    shift = np.int64(len(t.buf) + 2)
    reach = np.maximum.accumulate(e + r * shift) - r * shift
    before = np.where(first, -1, np.concatenate(([-1], reach[:-1])))
    outer = e > before
    crossing = np.unique(r[outer & (s < before)])
    r, s, e = r[outer], s[outer], e[outer]
    width = e - s + 1
    total = int(width.sum())
    at = np.repeat(s - (np.cumsum(width) - width), width) + np.arange(total)
    buf = t.buf[np.minimum(at, max(len(t.buf) - 1, 0))] if total else np.zeros(0, np.uint8)
    buf[np.cumsum(width) - 1] = 0xFF
    ends = np.concatenate(([0], np.cumsum(np.bincount(r, weights=width, minlength=len(t.cp_len)))))
    return buf.tobytes(), ends.astype(np.int64).tolist(), crossing


def screen_unannotated(b: _Batch) -> np.ndarray:
    """mention-unannotated (warning): every occurrence of a named mention's words lies inside
    some mention. Rows where that is not plainly so take the exact path.

    For each (row, words) it counts the occurrences in the text and, when they are more than
    the mentions with those words, the occurrences inside the row's outermost mentions: every
    occurrence is covered when the two counts agree ("Belarus" inside the mention
    "Belarusian", "Lukashenko" inside "Alexander Lukashenko"). Counting is done on UTF-8
    bytes, which find the same occurrences as the decoded text (UTF-8 is
    self-synchronizing). Words whose occurrences can overlap, and rows whose mentions cross,
    take the exact path. A mention whose text differs from its slice is left to
    :func:`~belnews.check.rules.spans.screen_spans`, which flags its row.
    """
    n = b.n
    bad = np.zeros(n, dtype=bool)
    if not len(b.e_row):
        return bad
    t = b.text
    start, end = _ints(_field(b.entities, "start")), _ints(_field(b.entities, "end"))
    inside = (start >= 0) & (start < end) & (end <= t.cp_len[b.e_row])
    row, start, end = b.e_row[inside], start[inside], end[inside]
    b0, b1 = t.byte(row, start), t.byte(row, end)
    entities = b.entities.filter(pa.array(inside)) if not inside.all() else b.entities
    encoded = pc.dictionary_encode(pc.fill_null(_field(entities, "text"), ""))
    word = np.asarray(encoded.indices, dtype=np.int64)
    words = [w.encode("utf-8") for w in encoded.dictionary.to_pylist()]
    wide = np.int64(len(words))
    # how many distinct mentions carry each (row, words)
    span = int(max(t.cp_len.max(initial=0), end.max(initial=0)) + 1)
    _, first = np.unique((row * span + start) * span + end, return_index=True)
    keys, counts = np.unique(row[first] * wide + word[first], return_counts=True)
    named = _bools(pc.equal(_field(entities, "mention_type"), "name"), False)
    wanted = np.unique(row[named] * wide + word[named])
    at = np.searchsorted(keys, wanted)  # every named (row, words) is among the mentions
    overlapping = {i for i, w in enumerate(words) if _has_border(w)}
    data = t.data
    offsets = t.byte_off.tolist()
    covered, cov_off, crossing = None, None, set()
    current, body = -1, b""
    unsure = set()
    for key, count in zip(wanted.tolist(), counts[at].tolist(), strict=True):
        r, w = divmod(key, int(wide))
        if r != current:
            current, body = r, data[offsets[r] : offsets[r + 1]]
        if not words[w]:
            bad[r] = True  # an empty span text breaks the schema (minLength), and counts nothing
            continue
        if w in overlapping:
            unsure.add(r)
            continue
        occurs = body.count(words[w])
        if occurs == count:
            continue  # every occurrence is itself a mention
        if covered is None:
            covered, cov_off, crossed = _covered_text(t, row, b0, b1)
            crossing = set(crossed.tolist())
        if r in crossing or covered.count(words[w], cov_off[r], cov_off[r + 1]) != occurs:
            unsure.add(r)
    if unsure:
        # the exact check decides, on these rows only
        kinds = _field(b.entities, "mention_type").to_pylist()
        surfaces = _field(b.entities, "text").to_pylist()
        all_start = _ints(_field(b.entities, "start")).tolist()
        all_end = _ints(_field(b.entities, "end")).tolist()
        bounds = np.searchsorted(b.e_row, np.arange(n + 1)).tolist()
        for r in sorted(unsure):
            mentions = [
                {
                    "start": all_start[i],
                    "end": all_end[i],
                    "text": surfaces[i],
                    "mention_type": kinds[i],
                }
                for i in range(bounds[r], bounds[r + 1])
            ]
            text = data[offsets[r] : offsets[r + 1]].decode("utf-8")
            record = {"text": text, "entities": mentions}
            if next(check_unannotated_mentions(record), None) is not None:
                bad[r] = True
    return bad
