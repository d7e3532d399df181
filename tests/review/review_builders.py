"""Build small records by hand for the scorer and review-page tests.

Spans are given by their words (and occurrence), like the annotation files, so a test reads
as the text it is about; offsets are computed here.
"""

from __future__ import annotations

from typing import Any

ORIGIN = {"method": "manual", "annotator": "test", "status": "gold"}


def find(text: str, words: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return start, start + len(words)


def span(text: str, words: str | None, occurrence: int = 1) -> dict[str, Any] | None:
    if words is None:
        return None
    start, end = find(text, words, occurrence)
    return {"start": start, "end": end, "text": words}


def quote(text: str, qid: str, content: str | list[str], **fields: Any) -> dict[str, Any]:
    """A quote with every schema field; ``cue``/``source`` given as words."""
    fragments = [content] if isinstance(content, str) else content
    out = {
        "id": qid,
        "kind": "direct",
        "content": [span(text, f) for f in fragments],
        "marks": [],
        "cue": None,
        "source": None,
        "source_kind": "none",
        "speaker": None,
        "addressee": None,
        "channel": None,
        "medium": "spoken",
        "parent": None,
        "repeats": None,
        "likely_translated": False,
        "origin": dict(ORIGIN),
        "note": None,
    }
    for role in ("cue", "source", "addressee", "channel"):
        if role in fields:
            words = fields.pop(role)
            out[role] = span(text, *words) if isinstance(words, tuple) else span(text, words)
    out.update(fields)
    return out


def figure(text: str, fid: str, words: str, occurrence: int = 1, **fields: Any) -> dict[str, Any]:
    start, end = find(text, words, occurrence)
    out = {
        "id": fid,
        "start": start,
        "end": end,
        "text": words,
        "kind": "count",
        "value": None,
        "low": None,
        "high": None,
        "comparator": "eq",
        "unit": None,
        "iso": None,
        "measured": None,
        "asserted_by": None,
        "as_of": None,
        "origin": dict(ORIGIN),
        "note": None,
    }
    out.update(fields)
    return out


def mention(
    text: str, mid: str, words: str, label: str, cluster: str, occurrence: int = 1, **fields: Any
) -> dict[str, Any]:
    start, end = find(text, words, occurrence)
    out = {
        "id": mid,
        "start": start,
        "end": end,
        "text": words,
        "label": label,
        "mention_type": "name",
        "cluster": cluster,
        "origin": dict(ORIGIN),
        "note": None,
    }
    out.update(fields)
    return out


def cluster(cid: str, label: str, name: str) -> dict[str, Any]:
    return {
        "id": cid,
        "label": label,
        "name": name,
        "wikidata": None,
        "nil_reason": "unsure",
        "note": None,
    }


def record(rid: str, text: str, **layers: list[dict[str, Any]]) -> dict[str, Any]:
    """A record with the fields the scorer and the page read (not a full schema record)."""
    return {
        "id": rid,
        "text": text,
        "metadata": {},
        "quotes": layers.get("quotes", []),
        "figures": layers.get("figures", []),
        "entities": layers.get("entities", []),
        "clusters": layers.get("clusters", []),
    }
