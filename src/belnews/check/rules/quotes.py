"""Quote rules: where a quote's cue, source and marks sit relative to its content."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from belnews.check.columns import _Batch, _field, _ints, _valid
from belnews.check.rules.base import Record, _section_of, _warning, check, in_bounds
from belnews.errors import Issue


@check(
    ("quote-roles-apart", "warning: a quote's cue or source is not in a section of its content"),
    ("direct-quote-unmarked", "warning: a direct or partial quote has no quotation mark at all"),
)
def check_quote_warnings(record: Record) -> Iterator[Issue]:
    bounds = [(s["start"], s["end"]) for s in record["sections"]]
    n = len(record["text"])
    for i, q in enumerate(record["quotes"]):
        if q["kind"] in ("direct", "partial") and not q["marks"]:
            yield _warning(
                record,
                "direct-quote-unmarked",
                f"$.quotes[{i}].marks",
                f"{q['kind']} quote {q['id']} has no quotation marks around its content",
            )
        homes = {_section_of(bounds, f) for f in q["content"] if in_bounds(f, n)} - {None}
        if not homes:
            continue  # content outside any section is span-crosses-section's business
        for role in ("cue", "source"):
            sp = q[role]
            if sp is not None and in_bounds(sp, n) and _section_of(bounds, sp) not in homes:
                yield _warning(
                    record,
                    "quote-roles-apart",
                    f"$.quotes[{i}].{role}",
                    f"{role} {sp['text']!r} of {q['id']} is not in a section holding "
                    "its content; check the anchor's occurrence number",
                )


def screen_quote_roles(b: _Batch) -> np.ndarray:
    """quote-roles-apart (warning): cue and source lie in a section holding the content."""
    t = b.text
    n = b.n
    bad = np.zeros(n, dtype=bool)
    gs = t.cp_base[b.s_row] + b.s_start
    ge = t.cp_base[b.s_row] + b.s_end
    if not len(gs):
        return bad

    def section(rows: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        ok = (s >= 0) & (s < e) & (e <= t.cp_len[rows])
        g0 = t.cp_base[rows] + np.where(ok, s, 0)
        g1 = t.cp_base[rows] + np.where(ok, e, 0)
        k = np.searchsorted(gs, g0, side="right") - 1
        kk = np.maximum(k, 0)
        inside = ok & (k >= 0) & (b.s_row[kk] == rows) & (gs[kk] <= g0) & (g1 <= ge[kk])
        return np.where(inside, kk, -1), ok

    frag_k, _ = section(
        b.frag_row, _ints(_field(b.content, "start")), _ints(_field(b.content, "end"))
    )
    home = frag_k >= 0
    wide = np.int64(len(gs) + 1)
    home_keys = b.frag_quote[home] * wide + frag_k[home]
    has_home = np.bincount(b.frag_quote[home], minlength=len(b.q_row)) > 0
    quote_index = np.arange(len(b.q_row))
    for role in ("cue", "source"):
        sp = _field(b.quotes, role)
        present = _valid(sp)
        k, ok = section(b.q_row, _ints(_field(sp, "start")), _ints(_field(sp, "end")))
        apart = present & ok & has_home & ((k < 0) | ~np.isin(quote_index * wide + k, home_keys))
        bad[b.q_row[apart]] = True
    return bad
