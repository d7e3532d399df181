"""Text rules: the text is NFC, its hash is the one in the provenance."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator

import numpy as np

from belnews.check.columns import _Batch, _children, _field, _ints
from belnews.check.rules.base import Record, _issue, check
from belnews.errors import Issue


@check(
    ("text-not-nfc", "`text` is not in Unicode NFC"),
    ("text-hash-mismatch", "provenance.text_sha256 is not the SHA-256 of `text`"),
    ("offset-map-invalid", "provenance.offset_map does not cover `text` monotonically"),
)
def check_text_provenance(record: Record) -> Iterator[Issue]:
    text = record["text"]
    if not unicodedata.is_normalized("NFC", text):
        yield _issue(record, "text-not-nfc", "$.text", "the text is not in Unicode NFC")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if record["provenance"]["text_sha256"] != digest:
        yield _issue(
            record,
            "text-hash-mismatch",
            "$.provenance.text_sha256",
            "text_sha256 does not match the text",
            expected=digest,
            found=record["provenance"]["text_sha256"],
        )
    blocks = record["provenance"]["offset_map"]
    pos, raw_pos = 0, 0
    for i, (t0, t1, r0, r1) in enumerate(blocks):
        if t0 != pos or t1 <= t0 or r1 <= r0 or r0 < raw_pos:
            yield _issue(
                record,
                "offset-map-invalid",
                f"$.provenance.offset_map[{i}]",
                f"block {[t0, t1, r0, r1]} does not continue the map at text offset {pos}",
                expected=f"text_start {pos}, raw_start >= {raw_pos}",
                found=[t0, t1, r0, r1],
            )
            return
        pos, raw_pos = t1, r1
    if pos != len(text):
        yield _issue(
            record,
            "offset-map-invalid",
            "$.provenance.offset_map",
            f"the map covers {pos} code points but the text has {len(text)}",
        )


def screen_text(b: _Batch) -> np.ndarray:
    """text-not-nfc, text-hash-mismatch, offset-map-invalid."""
    t = b.text
    n = b.n
    bad = np.zeros(n, dtype=bool)
    provenance = _field(b.records, "provenance")
    digests = _field(provenance, "text_sha256").to_pylist()
    view = memoryview(t.data)
    # only a text holding a code point from U+0300 on (lead byte 0xCC or more) can fail NFC
    high = np.flatnonzero(t.buf >= 0xCC)
    maybe = np.zeros(n, dtype=bool)
    maybe[np.searchsorted(t.byte_off, high, side="right") - 1] = True
    offsets = t.byte_off.tolist()
    for r in range(n):
        o0, o1 = offsets[r], offsets[r + 1]
        digest_ok = hashlib.sha256(view[o0:o1]).hexdigest() == digests[r]
        nfc_ok = not maybe[r] or unicodedata.is_normalized("NFC", t.data[o0:o1].decode("utf-8"))
        bad[r] = not (digest_ok and nfc_ok)
    blocks, b_row = _children(_field(provenance, "offset_map"))
    values, owner = _children(blocks)
    if len(values) != 4 * len(blocks) or np.any(np.bincount(owner, minlength=len(blocks)) != 4):
        return np.ones(n, dtype=bool)  # not all 4-tuples: the schema path will say which
    grid = _ints(values).reshape(-1, 4)
    t0, t1, r0, r1 = grid[:, 0], grid[:, 1], grid[:, 2], grid[:, 3]
    first = np.ones(len(b_row), dtype=bool)
    first[1:] = b_row[1:] != b_row[:-1]
    last = np.ones(len(b_row), dtype=bool)
    last[:-1] = b_row[1:] != b_row[:-1]
    prev_t1 = np.where(first, 0, np.concatenate(([0], t1[:-1])))
    prev_r1 = np.where(first, 0, np.concatenate(([0], r1[:-1])))
    ok = (t0 == prev_t1) & (t1 > t0) & (r1 > r0) & (r0 >= prev_r1)
    ok &= ~last | (t1 == t.cp_len[b_row])
    bad[b_row[~ok]] = True
    bad |= np.bincount(b_row, minlength=n) == 0
    return bad
