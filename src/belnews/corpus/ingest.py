"""Raw article + metadata sidecar + annotation source -> one record.

The corpus is authored in three files per article, all under ``corpus/``:

- ``raw/<id>.txt``: the byte-exact original, never edited;
- ``meta/<id>.toml``: bibliographic metadata, each inferred value with its evidence;
- ``annotations/<id>.toml``: the annotation layers, anchored by words (see :mod:`anchors`).

:func:`make_record` combines them into the record that ships in ``records/<id>.json``. It is
deterministic, so a test can rebuild every committed record and compare bytes.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from belnews.corpus import anchors
from belnews.corpus.marks import QUOTE_MARK_CHARS
from belnews.corpus.normalize import NORMALIZATION_VERSION, Normalized, normalize
from belnews.corpus.sources import check_source
from belnews.errors import AnchorError, RecordError
from belnews.schema.record import schema_version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_ORIGIN = {"method": "manual", "annotator": "belnews-maintainers", "status": "gold"}
_META_FIELDS = ("publisher", "headline", "url", "language", "image_credit")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_toml(path: Path) -> dict[str, Any]:
    """Read a sidecar or annotation file; a missing or malformed file is a RecordError."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise RecordError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(f"{path}: invalid TOML: {exc}") from exc


def _meta_value(table: dict[str, Any] | None) -> dict[str, Any]:
    table = table or {}
    return {
        "value": table.get("value"),
        "inferred": bool(table.get("inferred", False)),
        "evidence": table.get("evidence"),
    }


def build_metadata(meta: dict[str, Any], norm: Normalized) -> dict[str, Any]:
    """Metadata from the sidecar; values the boilerplate states fill gaps the sidecar leaves."""
    out = {name: _meta_value(meta.get(name)) for name in _META_FIELDS}
    credit = norm.extracted.get("image_credit")
    if credit and out["image_credit"]["value"] is None:
        out["image_credit"] = {
            "value": credit,
            "inferred": False,
            "evidence": "stated in the removed image-credit line",
        }
    date = meta.get("date_published") or {}
    out["date_published"] = {**_meta_value(date), "bound": date.get("bound", "on")}
    out["text_rights"] = meta["text_rights"]
    return out


def _origin(source: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {key: source.get(key, defaults[key]) for key in ("method", "annotator", "status")}


def _marks(text: str, content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotation marks directly around each content fragment, as published."""
    marks: list[dict[str, Any]] = []
    for frag in content:
        before, after = frag["start"] - 1, frag["end"]
        if before >= 0 and text[before] in QUOTE_MARK_CHARS:
            marks.append({"start": before, "end": before + 1, "text": text[before], "role": "open"})
        if (
            after < len(text)
            and text[after] == ","
            and text[after + 1 : after + 2] in QUOTE_MARK_CHARS
        ):
            after += 1  # "…," she said: the comma inside the mark belongs to the frame sentence
        if after < len(text) and text[after] in QUOTE_MARK_CHARS:
            marks.append({"start": after, "end": after + 1, "text": text[after], "role": "close"})
    return marks


def _anchor_list(value: Any) -> list[Any]:
    """``content`` is one anchor (``"words"`` or ``["words", n]``) or a list of anchors."""
    if isinstance(value, str) or (
        isinstance(value, list) and len(value) == 2 and isinstance(value[1], int)
    ):
        return [value]
    return list(value)


def _span(text: str, anchor: Any, where: str) -> dict[str, Any]:
    try:
        return anchors.span(text, anchor)
    except AnchorError as exc:
        raise AnchorError(f"{where}: {exc}") from exc


def _optional(text: str, anchor: Any, where: str) -> dict[str, Any] | None:
    return None if anchor is None else _span(text, anchor, where)


def build_quote(text: str, q: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    qid = q["id"]
    content = [_span(text, a, f"{qid}.content") for a in _anchor_list(q["content"])]
    verbatim = q["kind"] in ("direct", "partial")
    return {
        "id": q["id"],
        "kind": q["kind"],
        "content": content,
        "marks": _marks(text, content) if verbatim and q.get("marks", True) else [],
        "cue": _optional(text, q.get("cue"), f"{qid}.cue"),
        "source": _optional(text, q.get("source"), f"{qid}.source"),
        "source_kind": q.get("source_kind", "none"),
        "speaker": q.get("speaker"),
        "addressee": _optional(text, q.get("addressee"), f"{qid}.addressee"),
        "channel": _optional(text, q.get("channel"), f"{qid}.channel"),
        "time": _optional(text, q.get("time"), f"{qid}.time"),
        "place": _optional(text, q.get("place"), f"{qid}.place"),
        "medium": q.get("medium", "spoken"),
        "parent": q.get("parent"),
        "repeats": list(q.get("repeats", [])),
        "likely_translated": bool(q.get("likely_translated", False)),
        "origin": _origin(q, defaults),
        "note": q.get("note"),
    }


def build_figure(text: str, f: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    where = _span(text, f["at"], f"{f['id']}.at")
    return {
        "id": f["id"],
        **where,
        "kind": f["kind"],
        "value": f.get("value"),
        "low": f.get("low"),
        "high": f.get("high"),
        "comparator": f.get("comparator", "eq"),
        "unit": f.get("unit"),
        "iso": f.get("iso"),
        "anchor": f.get("anchor"),
        **{
            role: _optional(text, f.get(role), f"{f['id']}.{role}")
            for role in ("measured_entity", "measured_property", "qualifier")
        },
        "asserted_by": f.get("asserted_by"),
        "as_of": f.get("as_of"),
        "as_of_basis": f.get("as_of_basis"),
        "origin": _origin(f, defaults),
        "note": f.get("note"),
    }


def build_entities(
    text: str, clusters: list[dict[str, Any]], defaults: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mentions (numbered m1… in text order) and cluster records."""
    mentions: list[dict[str, Any]] = []
    out_clusters: list[dict[str, Any]] = []
    for c in clusters:
        out_clusters.append(
            {
                "id": c["id"],
                "label": c["label"],
                "name": c.get("name"),
                "wikidata": c.get("wikidata"),
                "nil_reason": c.get("nil_reason"),
                "members": list(c.get("members", [])),
                "note": c.get("note"),
            }
        )
        for m in c["mentions"]:
            spec = m if isinstance(m, dict) else {"at": m}
            mentions.append(
                {
                    **_span(text, spec["at"], f"{c['id']}.mentions"),
                    "label": c["label"],
                    "mention_type": spec.get("type", "name"),
                    "cluster": c["id"],
                    "origin": _origin(spec, defaults),
                    "note": spec.get("note"),
                }
            )
    mentions.sort(key=lambda m: (m["start"], m["end"]))
    numbered = [{"id": f"m{i}", **m} for i, m in enumerate(mentions, start=1)]
    return numbered, sorted(out_clusters, key=lambda c: _id_number(c["id"]))


def _id_number(ident: str) -> int:
    return int(re.sub(r"\D", "", ident) or 0)


def make_record(
    record_id: str,
    raw: bytes,
    raw_file: str,
    meta: dict[str, Any],
    annotations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the record for one article from its three sources."""
    norm = normalize(raw)
    text = norm.text
    ann = annotations or {}
    defaults = {**DEFAULT_ORIGIN, **ann.get("defaults", {})}
    try:
        quotes = [build_quote(text, q, defaults) for q in ann.get("quotes", [])]
        figures = [build_figure(text, f, defaults) for f in ann.get("figures", [])]
        mentions, clusters = build_entities(text, ann.get("clusters", []), defaults)
    except AnchorError as exc:
        raise AnchorError(f"{record_id}: {exc}") from exc
    except KeyError as exc:
        raise AnchorError(f"{record_id}: annotation is missing the key {exc}") from exc
    quotes.sort(key=lambda q: (q["content"][0]["start"], _id_number(q["id"])))
    figures.sort(key=lambda f: (f["start"], f["end"]))
    return {
        "schema_version": schema_version(),
        "id": record_id,
        "metadata": build_metadata(meta, norm),
        "text": text,
        "sections": [{"type": s.type, "start": s.start, "end": s.end} for s in norm.sections],
        "provenance": {
            "raw_file": raw_file,
            "raw_sha256": sha256_hex(raw),
            "text_sha256": sha256_hex(text.encode("utf-8")),
            "normalization_version": NORMALIZATION_VERSION,
            "offset_unit": "codepoint",
            "unicode_normalization": "NFC",
            "removed": [
                {"rule": r.rule, "raw_start": r.raw_start, "raw_end": r.raw_end, "text": r.text}
                for r in norm.removed
            ],
            "offset_map": norm.offset_map(),
        },
        "quotes": quotes,
        "figures": figures,
        "entities": mentions,
        "clusters": clusters,
    }


def inside_corpus(corpus: Path, path: Path) -> Path:
    """``path`` if it resolves (links followed) to a place inside ``corpus``; else a RecordError.

    A link in ``raw/`` that leaves the corpus would copy an outside file into a record that
    then validates: the corpus holds its own files, so such a link is refused.
    """
    root = corpus.resolve()
    target = path.resolve()
    if target != root and root not in target.parents:
        raise RecordError(
            f"{path}: resolves to {target}, outside the corpus {root}; "
            "copy the file into the corpus instead of linking to it"
        )
    return path


def record_from_corpus(
    corpus: Path, record_id: str, annotations_dir: Path | None = None
) -> dict[str, Any]:
    """Build the record for ``record_id`` from the files under a corpus folder.

    ``annotations_dir`` replaces ``corpus/annotations`` (another annotation set of the same
    articles, as the agreement table compares). Each file must lie inside the corpus, and
    each TOML file must have its schema's shape (``schema/meta.toml.schema.json``,
    ``schema/annotations.toml.schema.json``).
    """
    raw_path = inside_corpus(corpus, corpus / "raw" / f"{record_id}.txt")
    meta_path = inside_corpus(corpus, corpus / "meta" / f"{record_id}.toml")
    meta = check_source(load_toml(meta_path), meta_path, "meta")
    ann_dir = corpus / "annotations" if annotations_dir is None else annotations_dir
    ann_path = ann_dir / f"{record_id}.toml"
    annotations = None
    if ann_path.exists() or ann_path.is_symlink():
        inside_corpus(corpus if annotations_dir is None else annotations_dir, ann_path)
        annotations = check_source(load_toml(ann_path), ann_path, "annotations")
    try:
        raw = raw_path.read_bytes()
    except OSError as exc:
        raise RecordError(f"{raw_path}: cannot read: {exc.strerror or exc}") from exc
    return make_record(record_id, raw, raw_path.name, meta, annotations)


def corpus_ids(corpus: Path) -> list[str]:
    """Ids of every article with a raw file, sorted."""
    return sorted(p.stem for p in (corpus / "raw").glob("*.txt"))
