"""W3C Web Annotation (JSON-LD): one ``AnnotationPage`` per article.

Each unit (see :mod:`.units`) is one ``Annotation``: a ``tagging`` body holds its type, a
``commenting`` body its note, and each span is a ``SpecificResource`` target with both a
``TextPositionSelector`` (code point offsets, as ours) and a ``TextQuoteSelector`` (exact
words with 32 characters of prefix and suffix). The attributes and links that Web
Annotation has no vocabulary for travel in ``belnews:attrs`` and ``belnews:links`` (JSON
literals in our own namespace), so nothing is lost. On import, a position whose text no
longer matches the quote is re-anchored by the quote selector and counted as approximated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import InterchangeError, LossReport, write_text
from .units import Unit, flatten, unflatten, unreachable

NAME = "w3c"
SUFFIX = ".jsonld"
CONTEXT: list[Any] = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "belnews": "https://belnews.invalid/ns#",
        "belnews:attrs": {"@type": "@json"},
        "belnews:links": {"@type": "@json"},
    },
]
AFFIX = 32


def _iri(record_id: str, key: str | None = None) -> str:
    return f"urn:belnews:{record_id}" + (f"#{key}" if key else "")


def _target(record_id: str, text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": _iri(record_id),
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - AFFIX) : start],
                "suffix": text[end : end + AFFIX],
            },
        ],
    }


def to_page(record: dict[str, Any]) -> dict[str, Any]:
    """The annotation page of a record (plain JSON-LD dict)."""
    rid, text = record["id"], record["text"]
    items = []
    for u in flatten(record):
        attrs = {k: v for k, v in u.attrs.items() if k != "note"}
        body: list[dict[str, Any]] = [
            {"type": "TextualBody", "purpose": "tagging", "value": u.type}
        ]
        if "note" in u.attrs:
            body.append({"type": "TextualBody", "purpose": "commenting", "value": u.attrs["note"]})
        item: dict[str, Any] = {
            "id": _iri(rid, u.key),
            "type": "Annotation",
            "motivation": "tagging",
            "body": body,
            "target": [_target(rid, text, s, e) for s, e in u.spans],
        }
        if attrs:
            item["belnews:attrs"] = attrs
        if u.links:
            item["belnews:links"] = {role: _iri(rid, key) for role, key in u.links.items()}
        items.append(item)
    return {"@context": CONTEXT, "id": _iri(rid), "type": "AnnotationPage", "items": items}


def export(record: dict[str, Any], out: Path) -> LossReport:
    """Write ``<id>.jsonld``; report what it could not carry."""
    loss = LossReport(NAME, record["id"])
    for what, n in unreachable(record).items():
        loss.drop(what, n)
    loss.approximate("quotes.marks (rebuilt from the text on import)", _marks(record))
    text = json.dumps(to_page(record), ensure_ascii=False, indent=2) + "\n"
    write_text(out / f"{record['id']}{SUFFIX}", text)
    return loss


def _marks(record: dict[str, Any]) -> int:
    return sum(1 for q in record.get("quotes", []) if q.get("marks"))


def record_id_of(page: dict[str, Any], path: Path) -> str:
    pid = page.get("id")
    if not isinstance(pid, str) or not pid.startswith("urn:belnews:"):
        raise InterchangeError(f"{path}: the page id {pid!r} is not urn:belnews:<record id>")
    return pid.removeprefix("urn:belnews:")


def _locate(text: str, target: Any, where: str, loss: LossReport) -> tuple[int, int]:
    selectors = target.get("selector") if isinstance(target, dict) else None
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise InterchangeError(f"{where}: a target needs a selector")
    pos = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if pos is not None:
        start, end = pos.get("start"), pos.get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            raise InterchangeError(f"{where}: TextPositionSelector start/end must be integers")
        if quote is None or text[start:end] == quote.get("exact"):
            return start, end
    if quote is None:
        raise InterchangeError(f"{where}: neither a TextPositionSelector nor a TextQuoteSelector")
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        raise InterchangeError(f"{where}: TextQuoteSelector.exact must be non-empty text")
    needle = quote.get("prefix", "") + exact + quote.get("suffix", "")
    at = text.find(needle)
    if at == -1 or text.find(needle, at + 1) != -1:
        raise InterchangeError(f"{where}: the quote {exact!r} does not occur exactly once")
    loss.approximate("spans re-anchored by their TextQuoteSelector")
    start = at + len(quote.get("prefix", ""))
    return start, start + len(exact)


def from_page(page: Any, path: Path, text: str) -> tuple[list[Unit], LossReport]:
    """Units from an annotation page, checked against the article text."""
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise InterchangeError(f"{path}: expected an AnnotationPage object with `items`")
    rid = record_id_of(page, path)
    loss = LossReport(NAME, rid)
    prefix = _iri(rid) + "#"
    units = []
    for n, item in enumerate(page["items"]):
        where = f"{path}: items[{n}]"
        if not isinstance(item, dict) or item.get("type") != "Annotation":
            raise InterchangeError(f"{where}: expected an object with type Annotation")
        ident = item.get("id", "")
        key = ident.removeprefix(prefix) if isinstance(ident, str) else ""
        bodies = item.get("body", [])
        bodies = bodies if isinstance(bodies, list) else [bodies]
        tags = [
            b.get("value") for b in bodies if isinstance(b, dict) and b.get("purpose") == "tagging"
        ]
        notes = [
            b.get("value")
            for b in bodies
            if isinstance(b, dict) and b.get("purpose") == "commenting"
        ]
        if len(tags) != 1:
            raise InterchangeError(f"{where}: expected one tagging body naming the type")
        targets = item.get("target", [])
        targets = targets if isinstance(targets, list) else [targets]
        if not targets:
            raise InterchangeError(f"{where}: no target")
        spans = [_locate(text, t, f"{where}.target", loss) for t in targets]
        attrs = dict(item.get("belnews:attrs") or {})
        if notes:
            attrs["note"] = notes[0]
        links = {
            role: str(iri).removeprefix(prefix)
            for role, iri in (item.get("belnews:links") or {}).items()
        }
        units.append(Unit(key or f"w{n}", str(tags[0]), spans, attrs, links))
    return units, loss


def load(path: Path, text_of: Any) -> tuple[str, dict[str, Any], LossReport]:
    """Read a page: (record id, layers, loss). ``text_of(id)`` gives the article text."""
    try:
        page = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InterchangeError(f"{path}: not a readable JSON-LD file: {exc}") from exc
    if not isinstance(page, dict):
        raise InterchangeError(f"{path}: expected an AnnotationPage object")
    rid = record_id_of(page, Path(path))
    text = text_of(rid)
    units, loss = from_page(page, Path(path), text)
    return rid, unflatten(units, text), loss
