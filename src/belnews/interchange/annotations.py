"""Imported layers -> ``corpus/annotations/<id>.toml``, checked by the real ingest.

The annotation file anchors spans by their words (see :mod:`belnews.anchors`): it has no
offsets. So every offset an importer read is turned back into words plus an occurrence
number, and before anything is written the file is parsed and rebuilt by the real ingest
(:func:`belnews.ingest.make_record`): the rebuilt spans must equal the imported ones, and the
record must pass the validator. Only then is the file written, atomically.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import InterchangeError, write_text
from .units import FIGURE_ROLES
from .units import ROLES as QUOTE_ROLES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

STATUS = "contributed_unreviewed"


def anchor(text: str, start: int, end: int, where: str) -> str | list[Any]:
    """Words + occurrence number that resolve back to exactly ``[start, end)``."""
    from belnews.corpus.anchors import occurrences

    words = text[start:end]
    starts = occurrences(text, words)
    if start not in starts:
        raise InterchangeError(
            f"{where}: the span {words!r} at [{start}, {end}) does not start and end on word "
            "edges, so an annotation file cannot anchor it"
        )
    return words if len(starts) == 1 else [words, starts.index(start) + 1]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _table(name: str, items: dict[str, Any]) -> str:
    lines = [f"[[{name}]]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in items.items() if v is not None]
    return "\n".join(lines)


def _origin_keys(item: dict[str, Any]) -> dict[str, Any]:
    origin = item.get("origin") or {}
    return {"method": origin.get("method"), "annotator": origin.get("annotator")}


def to_toml(
    layers: dict[str, list[dict[str, Any]]], text: str, *, source: str, annotator: str
) -> str:
    """The annotation file for imported layers (quotes, figures, entities, clusters)."""
    parts = [
        f"# Imported from {source} by belnews import; not reviewed yet.",
        '# Anchors are the span\'s words; ["words", n] is the n-th whole-word occurrence.',
        "",
        "[defaults]",
        'method = "manual"',
        f"annotator = {_toml_value(annotator)}",
        f"status = {_toml_value(STATUS)}",
    ]

    def opt(sp: dict[str, Any] | None, where: str) -> Any:
        return None if sp is None else anchor(text, sp["start"], sp["end"], where)

    for q in layers.get("quotes", []):
        qid = q["id"]
        content = [anchor(text, f["start"], f["end"], f"{qid}.content") for f in q["content"]]
        parts += ["", _table("quotes", {
            "id": qid,
            "kind": q["kind"],
            "content": content,
            **{r: opt(q.get(r), f"{qid}.{r}") for r in QUOTE_ROLES},
            "source_kind": q["source_kind"],
            "speaker": q.get("speaker"),
            "medium": q["medium"],
            "parent": q.get("parent"),
            "repeats": q.get("repeats") or None,
            "likely_translated": q["likely_translated"],
            **_origin_keys(q),
            "note": q.get("note"),
        })]  # fmt: skip
    for f in layers.get("figures", []):
        fid = f["id"]
        parts += ["", _table("figures", {
            "id": fid,
            "at": anchor(text, f["start"], f["end"], fid),
            "kind": f["kind"],
            **{k: f.get(k) for k in ("value", "low", "high")},
            "comparator": f["comparator"],
            **{k: f.get(k) for k in ("unit", "iso", "anchor")},
            **{r: opt(f.get(r), f"{fid}.{r}") for r in FIGURE_ROLES},
            "asserted_by": f.get("asserted_by"),
            "as_of": f.get("as_of"),
            "as_of_basis": f.get("as_of_basis"),
            **_origin_keys(f),
            "note": f.get("note"),
        })]  # fmt: skip
    mentions_of: dict[str, list[dict[str, Any]]] = {}
    for m in layers.get("entities", []):
        spec = {
            "at": anchor(text, m["start"], m["end"], f"{m['cluster']}.mentions ({m['text']!r})"),
            "type": m["mention_type"],
            **_origin_keys(m),
            "note": m.get("note"),
        }
        mentions_of.setdefault(m["cluster"], []).append(
            {k: v for k, v in spec.items() if v is not None}
        )
    for c in layers.get("clusters", []):
        table = _table(
            "clusters",
            {
                **{k: c.get(k) for k in ("id", "label", "name", "wikidata", "nil_reason")},
                "members": c.get("members") or None,
                "note": c.get("note"),
            },
        )
        mentions = mentions_of.get(c["id"], [])
        body = ",\n".join(f"  {_toml_value(m)}" for m in mentions)
        parts += ["", table + (f"\nmentions = [\n{body},\n]" if mentions else "\nmentions = []")]
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Written:
    """An imported annotation file: where it went and the record it builds."""

    path: Path
    record: dict[str, Any]
    warnings: list[str]


def _read_sources(corpus: Path, record_id: str) -> tuple[bytes, dict[str, Any]]:
    from belnews.corpus.ingest import load_toml

    raw_path = corpus / "raw" / f"{record_id}.txt"
    if not raw_path.exists():
        raise InterchangeError(
            f"{raw_path}: no raw article {record_id!r} in this corpus; an import adds "
            "annotations to an article the corpus already has"
        )
    return raw_path.read_bytes(), load_toml(corpus / "meta" / f"{record_id}.toml")


def corpus_text(corpus: Path, record_id: str) -> str:
    """The normalized text of a corpus article (what every offset points into)."""
    from belnews.corpus.normalize import normalize

    raw, _meta = _read_sources(corpus, record_id)
    return normalize(raw).text


def build(corpus: Path, record_id: str, toml_text: str) -> dict[str, Any]:
    """The record the real ingest makes from an annotation file's text."""
    from belnews.corpus.ingest import make_record

    raw, meta = _read_sources(corpus, record_id)
    try:
        annotations = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:  # a bug here, not in the user's file
        raise InterchangeError(f"generated annotation file does not parse: {exc}") from exc
    return make_record(record_id, raw, f"{record_id}.txt", meta, annotations)


def write_import(
    corpus: Path,
    record_id: str,
    layers: dict[str, list[dict[str, Any]]],
    *,
    source: str,
    annotator: str,
    force: bool = False,
) -> Written:
    """Write imported layers as ``annotations/<id>.toml`` once the ingest and validator agree.

    An existing file is a person's work: it is replaced only with ``force``.
    """
    from belnews.check.validate import validate_record

    path = corpus / "annotations" / f"{record_id}.toml"
    if path.exists() and not force:
        raise InterchangeError(
            f"{path} exists: it may hold a person's annotation; pass --force to replace it"
        )
    text = corpus_text(corpus, record_id)
    toml_text = to_toml(layers, text, source=source, annotator=annotator)
    record = build(corpus, record_id, toml_text)
    _check_spans(layers, record)
    issues = validate_record(record, raw_dir=corpus / "raw")
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        listed = "; ".join(f"{i.path}: {i.message}" for i in errors[:5])
        raise InterchangeError(
            f"{source}: the imported annotations do not validate ({len(errors)} error(s)): {listed}"
        )
    write_text(path, toml_text)
    return Written(path, record, [f"{i.path}: {i.message}" for i in issues if i not in errors])


def _check_spans(layers: dict[str, list[dict[str, Any]]], record: dict[str, Any]) -> None:
    """The anchors must resolve to the very offsets the importer read (a self-check)."""

    def spans(items: list[dict[str, Any]], key: str) -> list[Any]:
        out = []
        for it in items:
            if key == "content":
                out.append([(f["start"], f["end"]) for f in it["content"]])
            else:
                out.append((it["start"], it["end"]))
        return sorted(out)

    for layer, key in (("quotes", "content"), ("figures", "at"), ("entities", "at")):
        if spans(layers.get(layer, []), key) != spans(record[layer], key):
            raise InterchangeError(f"the anchors written for {layer} do not resolve back")
