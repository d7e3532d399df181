"""Semantic checks: what the JSON Schema cannot say about a record.

Each check is a small generator registered under the stable error code(s) it can yield. The
checks assume the record already passed the JSON Schema (types and required keys are right);
:func:`belnews.validate.iter_record_issues` only runs them on schema-valid records.

The overlap policy (see ANNOTATION.md, "Overlap"):

- entity mentions may nest (``the Belarusian interior minister`` holds ``Belarusian``) but may
  not cross, and two mentions may not cover the same span;
- figures may not overlap each other at all;
- quote contents may nest (a quote reported inside another) but not cross, and the fragments
  of one quote may not overlap;
- mentions, figures and quote fragments may not cross a section boundary.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from .errors import Issue

Record = dict[str, Any]
Check = Callable[[Record], Iterator[Issue]]

#: code -> one-line description, the table documented in VALIDATION.md.
CODES: dict[str, str] = {}
CHECKS: list[Check] = []

QUOTE_MARK_CHARS = frozenset('"“”„«»')


def check(*codes_and_docs: tuple[str, str]) -> Callable[[Check], Check]:
    """Register a check under the codes it may yield."""

    def register(fn: Check) -> Check:
        for code, doc in codes_and_docs:
            CODES[code] = doc
        CHECKS.append(fn)
        return fn

    return register


Where = tuple[Any, ...]


def json_path(where: Where) -> str:
    """``("quotes", 3, "content", 0)`` -> ``$.quotes[3].content[0]``."""
    out = "$"
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def iter_spans(record: Record) -> Iterator[tuple[str, Where, dict[str, Any]]]:
    """Every span-shaped object in a record as (layer, location, span).

    The location is a tuple (formatted by :func:`json_path` only when an issue needs it),
    because building path strings for every span would dominate the cost of the checks.
    """
    for i, q in enumerate(record["quotes"]):
        for j, frag in enumerate(q["content"]):
            yield "quotes", ("quotes", i, "content", j), frag
        for j, mark in enumerate(q["marks"]):
            yield "quotes", ("quotes", i, "marks", j), mark
        for role in ("cue", "source", "addressee", "channel"):
            if q[role] is not None:
                yield "quotes", ("quotes", i, role), q[role]
    for i, f in enumerate(record["figures"]):
        yield "figures", ("figures", i), f
        if f["measured"] is not None:
            yield "figures", ("figures", i, "measured"), f["measured"]
    for i, m in enumerate(record["entities"]):
        yield "entities", ("entities", i), m


def _issue(record: Record, code: str, path: str | Where, message: str, **kw: Any) -> Issue:
    where = path if isinstance(path, str) else json_path(path)
    return Issue(code=code, message=message, record_id=record.get("id"), path=where, **kw)


@check(
    ("span-out-of-bounds", "a span's offsets are not 0 <= start < end <= len(text)"),
    ("span-text-mismatch", "a span's `text` is not text[start:end]"),
    ("span-whitespace-edge", "a span starts or ends with whitespace"),
    ("span-splits-grapheme", "a span starts or ends inside a base+combining character sequence"),
)
def check_span_offsets(record: Record) -> Iterator[Issue]:
    text = record["text"]
    n = len(text)
    for _layer, where, sp in iter_spans(record):
        start, end = sp["start"], sp["end"]
        path = where
        if not 0 <= start < end <= n:
            yield _issue(
                record,
                "span-out-of-bounds",
                path,
                f"offsets [{start}, {end}) are not inside the text (length {n})",
                expected=f"0 <= start < end <= {n}",
                found=[start, end],
            )
            continue
        actual = text[start:end]
        if sp["text"] != actual:
            yield _issue(
                record,
                "span-text-mismatch",
                path,
                f"span text {sp['text']!r} differs from text[{start}:{end}] {actual!r}",
                expected=actual,
                found=sp["text"],
            )
        if actual != actual.strip():
            yield _issue(
                record,
                "span-whitespace-edge",
                path,
                f"span {actual!r} starts or ends with whitespace",
                expected="no whitespace at either edge",
                found=actual,
            )
        if (end < n and unicodedata.combining(text[end])) or unicodedata.combining(text[start]):
            yield _issue(
                record,
                "span-splits-grapheme",
                path,
                f"span [{start}, {end}) cuts a character from its combining mark",
                found=[start, end],
            )


@check(("duplicate-id", "two annotations of one layer share an id"))
def check_unique_ids(record: Record) -> Iterator[Issue]:
    for layer in ("quotes", "figures", "entities", "clusters"):
        seen: dict[str, int] = {}
        for i, item in enumerate(record[layer]):
            ident = item["id"]
            if ident in seen:
                yield _issue(
                    record,
                    "duplicate-id",
                    f"$.{layer}[{i}].id",
                    f"id {ident!r} is already used by $.{layer}[{seen[ident]}]",
                    found=ident,
                )
            else:
                seen[ident] = i


@check(
    (
        "unknown-reference",
        "an id reference (speaker, cluster, parent, repeats, asserted_by) resolves to nothing",
    )
)
def check_references(record: Record) -> Iterator[Issue]:
    clusters = {c["id"] for c in record["clusters"]}
    quotes = {q["id"] for q in record["quotes"]}

    def missing(path: str, ref: str, pool: set[str], what: str) -> Issue:
        return _issue(
            record,
            "unknown-reference",
            path,
            f"{ref!r} is not the id of any {what} in this record",
            expected=f"one of {sorted(pool)}",
            found=ref,
        )

    for i, q in enumerate(record["quotes"]):
        if q["speaker"] is not None and q["speaker"] not in clusters:
            yield missing(f"$.quotes[{i}].speaker", q["speaker"], clusters, "cluster")
        for role in ("parent", "repeats"):
            ref = q[role]
            if ref is not None and (ref not in quotes or ref == q["id"]):
                yield missing(f"$.quotes[{i}].{role}", ref, quotes - {q["id"]}, "other quote")
    for i, f in enumerate(record["figures"]):
        ref = f["asserted_by"]
        if ref is not None:
            pool, what = (quotes, "quote") if ref.startswith("q") else (clusters, "cluster")
            if ref not in pool:
                yield missing(f"$.figures[{i}].asserted_by", ref, pool, what)
    for i, m in enumerate(record["entities"]):
        if m["cluster"] not in clusters:
            yield missing(f"$.entities[{i}].cluster", m["cluster"], clusters, "cluster")


@check(
    ("label-mismatch", "a mention's label differs from its cluster's label"),
    ("cluster-without-name", "a cluster has no mention, or no mention of type `name`"),
)
def check_clusters(record: Record) -> Iterator[Issue]:
    labels = {c["id"]: c["label"] for c in record["clusters"]}
    named: set[str] = set()
    for i, m in enumerate(record["entities"]):
        want = labels.get(m["cluster"])
        if want is not None and m["label"] != want:
            yield _issue(
                record,
                "label-mismatch",
                f"$.entities[{i}].label",
                f"mention {m['text']!r} is {m['label']} but cluster {m['cluster']} is {want}",
                expected=want,
                found=m["label"],
            )
        if m["mention_type"] == "name":
            named.add(m["cluster"])
    for i, c in enumerate(record["clusters"]):
        if c["id"] not in named:
            yield _issue(
                record,
                "cluster-without-name",
                f"$.clusters[{i}]",
                f"cluster {c['id']} ({c['name']!r}) has no name mention in the text",
            )


def _crossing(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two spans overlap without one containing the other."""
    (s1, e1), (s2, e2) = a, b
    overlap = s1 < e2 and s2 < e1
    nested = (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2)
    return overlap and not nested


def _valid(sp: dict[str, Any], n: int) -> bool:
    return 0 <= sp["start"] < sp["end"] <= n


@check(
    ("overlap-crossing", "two spans of a layer partly overlap (see the overlap policy)"),
    ("overlap-duplicate", "two spans of a layer cover exactly the same text"),
    ("figure-overlap", "two figures overlap"),
)
def check_overlaps(record: Record) -> Iterator[Issue]:
    n = len(record["text"])
    mentions = [
        (i, (m["start"], m["end"])) for i, m in enumerate(record["entities"]) if _valid(m, n)
    ]
    for (i, a), (j, b) in _overlapping_pairs(mentions):
        if a == b:
            yield _issue(
                record,
                "overlap-duplicate",
                f"$.entities[{j}]",
                f"span {list(b)} is already annotated as $.entities[{i}]",
                found=list(b),
            )
        elif _crossing(a, b):  # nesting is allowed: "the Belarusian interior minister"
            yield _issue(
                record,
                "overlap-crossing",
                f"$.entities[{j}]",
                f"span {list(b)} crosses $.entities[{i}] {list(a)}",
                found=[list(a), list(b)],
            )
    figures = [(i, (f["start"], f["end"])) for i, f in enumerate(record["figures"]) if _valid(f, n)]
    for (i, a), (j, b) in _overlapping_pairs(figures):
        yield _issue(
            record,
            "figure-overlap",
            f"$.figures[{j}]",
            f"figure {list(b)} overlaps $.figures[{i}] {list(a)}",
            found=[list(a), list(b)],
        )
    fragments = []
    for i, q in enumerate(record["quotes"]):
        for j, frag in enumerate(q["content"]):
            if _valid(frag, n):
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


@check(
    (
        "sections-invalid",
        "sections are out of order, overlap, leave text uncovered or hold a line break",
    ),
    ("span-crosses-section", "a mention, figure or quote fragment runs across a section boundary"),
)
def check_sections(record: Record) -> Iterator[Issue]:
    text = record["text"]
    pos = 0
    for i, s in enumerate(record["sections"]):
        gap = text[pos : s["start"]]
        ok = s["start"] < s["end"] <= len(text) and s["start"] >= pos and set(gap) <= {"\n"}
        ok = ok and (i == 0 or gap in ("\n", "\n\n")) and (i > 0 or s["start"] == 0)
        body = text[s["start"] : s["end"]]
        if ok and ("\n" in body or body != body.strip()):
            ok = False
        if not ok:
            yield _issue(
                record,
                "sections-invalid",
                f"$.sections[{i}]",
                f"section [{s['start']}, {s['end']}) must start after the previous one, "
                "one or two LFs later, and be one line with no space at either end",
                found=[s["start"], s["end"]],
            )
            return
        pos = s["end"]
    if pos != len(text):
        yield _issue(
            record,
            "sections-invalid",
            "$.sections",
            f"sections end at {pos} but the text has {len(text)} code points",
        )
        return
    starts = [s["start"] for s in record["sections"]]
    ends = [s["end"] for s in record["sections"]]
    n = len(text)
    for _layer, path, sp in iter_spans(record):
        if not _valid(sp, n):
            continue
        k = bisect_right(starts, sp["start"]) - 1
        if k < 0 or sp["end"] > ends[k]:
            yield _issue(
                record,
                "span-crosses-section",
                path,
                f"span [{sp['start']}, {sp['end']}) is not inside one section",
                found=[sp["start"], sp["end"]],
            )


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


def _warning(record: Record, code: str, path: str, message: str, **kw: Any) -> Issue:
    return Issue(
        code=code, message=message, severity="warning", record_id=record.get("id"), path=path, **kw
    )


def _section_of(bounds: list[tuple[int, int]], sp: dict[str, Any]) -> int | None:
    for k, (a, b) in enumerate(bounds):
        if a <= sp["start"] and sp["end"] <= b:
            return k
    return None


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
        homes = {_section_of(bounds, f) for f in q["content"] if _valid(f, n)} - {None}
        if not homes:
            continue  # content outside any section is span-crosses-section's business
        for role in ("cue", "source"):
            sp = q[role]
            if sp is not None and _valid(sp, n) and _section_of(bounds, sp) not in homes:
                yield _warning(
                    record,
                    "quote-roles-apart",
                    f"$.quotes[{i}].{role}",
                    f"{role} {sp['text']!r} of {q['id']} is not in a section holding "
                    "its content; check the anchor's occurrence number",
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


@check(
    ("mention-unannotated", "warning: a named mention's words occur elsewhere without a mention")
)
def check_unannotated_mentions(record: Record) -> Iterator[Issue]:
    from .anchors import occurrences

    text = record["text"]
    n = len(text)
    covered = [(m["start"], m["end"]) for m in record["entities"] if _valid(m, n)]
    exact = set(covered)
    annotated = Counter(text[s:e] for s, e in exact)
    seen: set[str] = set()
    for m in record["entities"]:
        surface = m["text"]
        if m["mention_type"] != "name" or surface in seen or not _valid(m, n):
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


def semantic_issues(record: Record) -> Iterator[Issue]:
    """Every registered semantic check, in registration order."""
    for fn in CHECKS:
        yield from fn(record)
