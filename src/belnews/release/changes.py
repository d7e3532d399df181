"""What moved between two releases: every annotation changed, added or removed.

``belnews diff 0.1.0 0.2.0`` (or :func:`diff_releases`) is for users of an earlier release:
it pairs the two releases' records by id and, inside a record, quotes, figures and clusters
by their stable ids (pinned in ``releases/<version>.ids.json``) and entity mentions by their
offsets (mention ids are positional, so offsets are what identify a mention).

A release is named by its version (``0.1.0``: the snapshot ``releases/0.1.0/records.jsonl``
shipped for this purpose; the current version: the checkout's ``corpus/records``) or by a
path the scorer can read (a record file, a folder of records, a JSON Lines file).

Records written for an older schema are first brought to the current record shape by
:func:`upgrade`, field by field and without changing any value, so a renamed or retyped
field (1.0.0 ``measured`` → 2.0.0 ``measured_entity``, ``repeats`` one id → a list) does not
show as a change of every annotation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belnews.errors import RecordError

LAYERS = ("quotes", "figures", "entities", "clusters")
#: Bookkeeping that is not annotation content (mention ids are renumbered in text order).
IGNORED = {"id", "origin"}


def upgrade(record: dict[str, Any]) -> dict[str, Any]:
    """A 1.0.0 record in the 2.0.0 shape; a 2.0.0 record unchanged.

    1.0.0 → 2.0.0 renames ``figures[].measured`` to ``measured_entity``, turns
    ``quotes[].repeats`` (one id or null) into a list, and adds the new fields as null or
    empty (``time``, ``place``, ``anchor``, ``measured_property``, ``qualifier``,
    ``as_of_basis``, ``members``).
    """
    if record.get("schema_version") != "1.0.0":
        return record
    out = {**record, "schema_version": "2.0.0"}
    out["quotes"] = [
        {
            **q,
            "time": None,
            "place": None,
            "repeats": [] if q.get("repeats") is None else [q["repeats"]],
        }
        for q in record.get("quotes", [])
    ]
    figures = []
    for f in record.get("figures", []):
        g = {k: v for k, v in f.items() if k != "measured"}
        g.update(
            anchor=None,
            measured_entity=f.get("measured"),
            measured_property=None,
            qualifier=None,
            as_of_basis=None,
        )
        figures.append(g)
    out["figures"] = figures
    out["clusters"] = [{**c, "members": []} for c in record.get("clusters", [])]
    return out


@dataclass(frozen=True)
class Change:
    """One annotation of one record: ``added``, ``removed`` or ``changed`` (with the fields
    that differ as (field, old value, new value))."""

    record_id: str
    layer: str
    key: str
    status: str
    text: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "layer": self.layer,
            "key": self.key,
            "status": self.status,
            "text": self.text,
            "fields": [{"field": f, "old": a, "new": b} for f, a, b in self.fields],
        }


def _key(layer: str, item: dict[str, Any]) -> str:
    if layer == "entities":
        return f"{item['start']}-{item['end']}"
    return str(item["id"])


def _text(layer: str, item: dict[str, Any]) -> str:
    if layer == "quotes":
        content = item.get("content")
        parts = content if isinstance(content, list) else []
        return " … ".join(str(c.get("text", "")) for c in parts if isinstance(c, dict))
    if layer == "clusters":
        return str(item.get("name") or "(unnamed)")
    return str(item.get("text", ""))


def _plain(value: Any) -> Any:
    """Spans compare by offsets and text; everything else as it is."""
    if isinstance(value, dict) and "start" in value and "end" in value:
        return {k: value[k] for k in ("start", "end", "text", "role") if k in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every annotation change between two versions of one record."""
    rid = new.get("id") or old.get("id")
    out: list[Change] = []
    if old.get("text") != new.get("text"):
        out.append(Change(rid, "text", "text", "changed", "", (("text", "…", "…"),)))
    for layer in LAYERS:
        before = {_key(layer, it): it for it in old.get(layer, [])}
        after = {_key(layer, it): it for it in new.get(layer, [])}
        for key in sorted(before.keys() | after.keys(), key=_order):
            a, b = before.get(key), after.get(key)
            if a is None:
                out.append(Change(rid, layer, key, "added", _text(layer, b)))
            elif b is None:
                out.append(Change(rid, layer, key, "removed", _text(layer, a)))
            else:
                fields = tuple(
                    (name, _plain(a.get(name)), _plain(b.get(name)))
                    for name in sorted(a.keys() | b.keys())
                    if name not in IGNORED and _plain(a.get(name)) != _plain(b.get(name))
                )
                if fields:
                    out.append(Change(rid, layer, key, "changed", _text(layer, b), fields))
    return out


def _order(key: str) -> tuple[int, ...]:
    """Sort key of an id by its ASCII digit runs ("q10" after "q9"). Other digits ("²",
    "٣") are not numbers to ``int`` and are skipped like any other character."""
    digits = [int(part) for part in "".join(c if "0" <= c <= "9" else " " for c in key).split()]
    return tuple(digits) or (0,)


def _check_shape(record: dict[str, Any], where: str) -> None:
    """The parts a diff pairs by must be there: a list of objects per layer, each with the
    key it is paired by (mentions: offsets; the rest: ids)."""
    if not isinstance(record.get("id"), str):
        raise RecordError(f"{where}: $.id: expected a string id")
    for layer in LAYERS:
        items = record.get(layer, [])
        if not isinstance(items, list):
            raise RecordError(f"{where}: $.{layer}: expected a list, found {type(items).__name__}")
        keys = ("start", "end") if layer == "entities" else ("id",)
        for n, item in enumerate(items):
            if not isinstance(item, dict) or any(k not in item for k in keys):
                raise RecordError(
                    f"{where}: $.{layer}[{n}]: expected an object with {' and '.join(keys)}"
                )


def diff_releases(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[Change]:
    """Every change between two releases' records (paired by id; upgraded first). A record
    without the parts a diff pairs by is a :class:`RecordError` naming it and the JSON path."""
    for side, records in (("old", old), ("new", new)):
        for record in records:
            _check_shape(record, f"{side} release, record {record.get('id')!r}")
    before = {r["id"]: upgrade(r) for r in old}
    after = {r["id"]: upgrade(r) for r in new}
    out: list[Change] = []
    for rid in sorted(before.keys() | after.keys()):
        if rid not in after:
            out.append(Change(rid, "records", rid, "removed", ""))
        elif rid not in before:
            out.append(Change(rid, "records", rid, "added", ""))
        else:
            out += record_changes(before[rid], after[rid])
    return out


def read_release(path: Path) -> list[dict[str, Any]]:
    """Records from a record file (.json), a JSON Lines file or a folder of record files."""
    from belnews.corpus.records import read_record, record_paths

    if path.is_dir():
        return [read_record(p) for p in record_paths(path)]
    if path.suffix != ".jsonl":
        return [read_record(path)]
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read it as UTF-8 text ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise RecordError(f"{path}, line {n}: not valid JSON ({exc})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise RecordError(f"{path}, line {n}: expected a record object with a string id")
        out.append(record)
    return out


def release_records(spec: str, root: Path) -> list[dict[str, Any]]:
    """The records of a release named by version (see the module doc) or by path."""
    from belnews import __version__

    if spec == __version__:
        return read_release(root / "corpus" / "records")
    snapshot = root / "releases" / spec / "records.jsonl"
    if snapshot.exists():
        return read_release(snapshot)
    if Path(spec).exists():
        return read_release(Path(spec))
    known = sorted(p.name for p in (root / "releases").glob("*") if p.is_dir())
    raise RecordError(
        f"{spec!r}: not a release version ({', '.join([*known, __version__])}) and no such "
        "file or folder"
    )


def _value(value: Any) -> str:
    if isinstance(value, dict) and "text" in value:
        return repr(value["text"])
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return " + ".join(_value(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def render_markdown(changes: list[Change], *, old: str, new: str) -> str:
    """A changelog section: counts, then one line per changed, added or removed annotation."""
    counts: dict[tuple[str, str], int] = {}
    for c in changes:
        counts[c.layer, c.status] = counts.get((c.layer, c.status), 0) + 1
    lines = [
        f"Annotations that moved from {old} to {new} (`belnews diff {old} {new}`): "
        + (
            ", ".join(
                f"{n} {layer} {status}" for (layer, status), n in sorted(counts.items())
            )
            or "none"
        )
        + ".",
        "",
    ]
    for rid in sorted({c.record_id for c in changes}):
        lines.append(f"- `{rid}`")
        for c in (c for c in changes if c.record_id == rid):
            head = f"  - {c.status} {c.layer} `{c.key}` {c.text!r}" if c.text else (
                f"  - {c.status} {c.layer} `{c.key}`"
            )
            if c.fields:
                head += ": " + "; ".join(
                    f"{name} {_value(a)} → {_value(b)}" for name, a, b in c.fields
                )
            lines.append(head)
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change]) -> str:
    return json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False) + "\n"
