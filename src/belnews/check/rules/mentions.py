"""Mention rules: a name annotated somewhere should be annotated wherever it occurs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np
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


def screen_unannotated(b: _Batch) -> np.ndarray:
    """mention-unannotated (warning): every occurrence of a named mention's words is a
    mention. Rows where that is not plainly so take the exact path.

    Counting is done on the UTF-8 bytes (the same occurrences as in the decoded text, since
    UTF-8 is self-synchronizing, and half the bytes of a decoded non-Latin-1 text).
    """
    n = b.n
    bad = np.zeros(n, dtype=bool)
    if not len(b.e_row):
        return bad
    t = b.text
    row = b.e_row
    start, end = _ints(_field(b.entities, "start")), _ints(_field(b.entities, "end"))
    encoded = pc.dictionary_encode(pc.fill_null(_field(b.entities, "text"), ""))
    word = np.asarray(encoded.indices, dtype=np.int64)
    words = [w.encode("utf-8") for w in encoded.dictionary.to_pylist()]
    wide = np.int64(len(words))
    # how many distinct annotated spans carry each (row, words)
    span = int(max(t.cp_len.max(initial=0), end.max(initial=0)) + 1)
    _, first = np.unique((row * span + start) * span + end, return_index=True)
    keys, counts = np.unique(row[first] * wide + word[first], return_counts=True)
    named = _bools(pc.equal(_field(b.entities, "mention_type"), "name"), False)
    wanted = np.unique(row[named] * wide + word[named])
    at = np.searchsorted(keys, wanted)  # every named (row, words) is among the annotated
    data = t.data
    offsets = t.byte_off.tolist()
    current, body = -1, b""
    unsure = set()
    for key, count in zip(wanted.tolist(), counts[at].tolist(), strict=True):
        r, w = divmod(key, int(wide))
        if r != current:
            current, body = r, data[offsets[r] : offsets[r + 1]]
        if body.count(words[w]) != count:
            unsure.add(r)
    if unsure:
        # e.g. "Belarus" inside "Belarusian": the exact check decides, on this row only
        from belnews.check.rules.mentions import check_unannotated_mentions

        kinds = _field(b.entities, "mention_type").to_pylist()
        surfaces = _field(b.entities, "text").to_pylist()
        bounds = np.searchsorted(row, np.arange(n + 1)).tolist()
        for r in sorted(unsure):
            mentions = [
                {"start": start[i], "end": end[i], "text": surfaces[i], "mention_type": kinds[i]}
                for i in range(bounds[r], bounds[r + 1])
            ]
            text = data[offsets[r] : offsets[r + 1]].decode("utf-8")
            record = {"text": text, "entities": mentions}
            if next(check_unannotated_mentions(record), None) is not None:
                bad[r] = True
    return bad
