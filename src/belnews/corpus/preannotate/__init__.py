"""Machine suggestions for an article: quotes, figures and entities as a silver annotation file.

``belnews pre-annotate ID`` reads ``raw/<id>.txt`` only, never the article's own annotation
file, so the suggestions cannot leak a person's work (:func:`suggest` takes the raw bytes and
nothing else). Only afterwards, to merge, is an existing ``annotations/<id>.toml`` read: what a
person wrote is kept byte for byte, and suggestions that are not already there are appended
with fresh ids, each marked ``method = "rule"`` (or ``"model"``) and ``status = "silver"``.

The layers are built in dependency order: entities (clusters type quote sources and link
speakers), quotes, then figures (a figure inside a quote's content is asserted by it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from belnews import __version__
from belnews.corpus import anchors, tomlwrite
from belnews.corpus.ingest import load_toml
from belnews.corpus.normalize import normalize
from belnews.corpus.preannotate.entities import (
    Cluster,
    Mention,
    Recogniser,
    get_recogniser,
)
from belnews.corpus.preannotate.entities import cluster as make_clusters
from belnews.corpus.preannotate.figures import Figure, suggest_figures
from belnews.corpus.preannotate.quotes import Quote, suggest_quotes
from belnews.corpus.preannotate.text import anchor
from belnews.corpus.records import write_atomic
from belnews.errors import AnchorError, RecordError

__all__ = ["Preannotated", "get_recogniser", "preannotate", "suggest"]

RULES = f"belnews-preannotate/{__version__}"
STATUS = "silver"


@dataclass
class Preannotated:
    """What :func:`preannotate` did: the file, and per layer how many were added or known."""

    path: Path
    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    created: bool = False

    def report(self) -> str:
        layers = ("quotes", "figures", "clusters", "mentions")
        added = ", ".join(f"{self.added.get(k, 0)} {k}" for k in layers)
        if self.created:
            return f"wrote {self.path}: {added} (all silver; correct them, then review)"
        known = ", ".join(f"{self.present.get(k, 0)} {k}" for k in layers)
        if not any(self.added.values()):
            return f"{self.path}: nothing new to add (already there: {known})"
        return f"{self.path}: added {added}; left alone what was there ({known})"


# --- suggestions (raw text only) -------------------------------------------------------------


def _origin(method: str, annotator: str) -> dict[str, str]:
    return {"method": method, "annotator": annotator, "status": STATUS}


def _pronoun_mentions(text: str, quotes: list[Quote], clusters: list[Cluster]) -> None:
    """'he said' linked to a person: the pronoun is a mention of that person's cluster."""
    by_key = {c.key: c for c in clusters}
    for q in quotes:
        if q.speaker_pronoun and q.source and q.speaker in by_key:
            c = by_key[q.speaker]
            span = q.source
            if all((m.start, m.end) != span for k in clusters for m in k.mentions):
                c.mentions.append(Mention(span[0], span[1], c.label, "pronoun", c.key))
                c.mentions.sort(key=lambda m: (m.start, m.end))


def _asserted_by(text: str, f: Figure, figures: list[Figure], quotes: list[Quote]) -> int | None:
    """The innermost attribution whose content holds the figure (not a writer's conversion)."""
    earlier = [g for g in figures if g.end <= f.start]
    if earlier and re.fullmatch(r"\s*\(", text[earlier[-1].end : f.start]):
        return None  # "1.5 meter (5 foot)": the writer's conversion
    best: tuple[int, int] | None = None
    for i, q in enumerate(quotes):
        if q.kind == "partial":
            continue
        for a, b in q.content:
            if a <= f.start and f.end <= b and (best is None or b - a < best[1]):
                best = (i, b - a)
    return best[0] if best else None


_GAP = re.compile(r"[ \t]+")
_ON_IN = re.compile(r"(?:on|in)[ \t]+")


def utterance_setting(
    text: str,
    q: Quote,
    figures: list[Figure],
    places: list[tuple[int, int]],
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The time and place of an utterance when they follow its cue (ANNOTATION.md 1.5).

    After the cue (and an addressee right behind it), up to two phrases are read: a temporal
    figure, with an ``on`` in front kept in the span («said on Friday», «said Thursday
    night»), and ``in`` + a place name («told reporters in Minsk»). Anything else ends the
    search, so a time inside the reported content is never taken.
    """
    if q.cue is None:
        return None, None
    pos = q.cue[1]
    if q.addressee is not None and 0 <= q.addressee[0] - pos <= 1:
        pos = q.addressee[1]
    starts = {f.start: f for f in figures if f.kind in ("date", "time")}
    place_at = dict(places)
    time = place = None
    for _ in range(2):
        gap = _GAP.match(text, pos)
        if gap is None:
            break
        at = gap.end()
        word = _ON_IN.match(text, at)
        inner = word.end() if word else at
        if time is None and inner in starts and (word is None or text[at] == "o"):
            time = (at, starts[inner].end)
            pos = time[1]
        elif place is None and word and text[at] == "i" and inner in place_at:
            place = (at, place_at[inner])
            pos = place[1]
        else:
            break
    return time, place


def _span_anchor(text: str, span: tuple[int, int] | None) -> Any:
    return None if span is None else anchor(text, *span)


def suggest(
    raw: bytes, recogniser: Recogniser | None = None, anchor_date: str | None = None
) -> dict[str, Any]:
    """The suggestions for one article, as an annotation table (the TOML file's structure).

    A pure function of the raw bytes, the recogniser and the publication date that relative
    dates are resolved against: it has no way to see the article's own annotations.
    """
    recogniser = recogniser or get_recogniser(None)
    norm = normalize(raw)
    text, sections = norm.text, norm.sections
    clusters = make_clusters(text, sections, recogniser.find(text, sections))
    quotes = suggest_quotes(text, sections, clusters)
    _pronoun_mentions(text, quotes, clusters)
    names = [(m.start, m.end) for c in clusters for m in c.mentions if m.mention_type == "name"]
    figures = suggest_figures(text, sections, names, anchor_date)

    places = [
        (m.start, m.end)
        for c in clusters
        for m in c.mentions
        if c.label == "GPE" and m.mention_type == "name"
    ]
    settings = [utterance_setting(text, q, figures, places) for q in quotes]
    rule = _origin("rule", RULES)
    cluster_ids = {c.key: f"c{i}" for i, c in enumerate(clusters, start=1)}
    quote_ids = {i: f"q{i + 1}" for i in range(len(quotes))}
    out_quotes = []
    for i, q in enumerate(quotes):
        content = [anchor(text, a, b) for a, b in q.content]
        if any(c is None for c in content):
            continue
        out_quotes.append(
            {
                "id": quote_ids[i],
                "kind": q.kind,
                "content": content[0] if len(content) == 1 else content,
                "cue": _span_anchor(text, q.cue),
                "source": _span_anchor(text, q.source),
                "source_kind": q.source_kind,
                "speaker": cluster_ids.get(q.speaker or ""),
                "addressee": _span_anchor(text, q.addressee),
                "channel": _span_anchor(text, q.channel),
                "time": _span_anchor(text, settings[i][0]),
                "place": _span_anchor(text, settings[i][1]),
                "medium": q.medium,
                "parent": quote_ids.get(q.parent) if q.parent is not None else None,
                **rule,
                "note": q.note,
            }
        )
    written = {q["id"] for q in out_quotes}
    for q in out_quotes:  # a parent that could not be anchored takes its children along
        if q["parent"] is not None and q["parent"] not in written:
            q["parent"] = None
    out_figures = []
    for k, f in enumerate(figures, start=1):
        at = anchor(text, f.start, f.end)
        if at is None:
            continue
        by = _asserted_by(text, f, figures, quotes)
        out_figures.append(
            {
                "id": f"f{k}",
                "at": at,
                "kind": f.kind,
                "value": f.value,
                "low": f.low,
                "high": f.high,
                "comparator": f.comparator,
                "unit": f.unit,
                "iso": f.iso,
                "anchor": f.anchor,
                "measured_entity": _span_anchor(text, f.measured_entity),
                "asserted_by": quote_ids[by]
                if by is not None and quote_ids[by] in written
                else None,
                **rule,
                "note": f.note,
            }
        )
    out_clusters = []
    for c in clusters:
        mentions = []
        for m in c.mentions:
            at = anchor(text, m.start, m.end)
            if at is None:
                continue
            method = recogniser.method if m.mention_type == "name" else "rule"
            who = recogniser.annotator if m.mention_type == "name" else RULES
            spec = {"at": at, "type": m.mention_type, **_origin(method, who)}
            mentions.append(spec)
        if not any(m["type"] == "name" for m in mentions):
            continue
        out_clusters.append(
            {
                "id": cluster_ids[c.key],
                "label": c.label,
                "name": c.name,
                "nil_reason": "unsure",
                "mentions": mentions,
            }
        )
    kept = {c["id"] for c in out_clusters}
    for q in out_quotes:
        if q["speaker"] not in kept:
            q["speaker"] = None
    return {
        "defaults": rule,
        "quotes": out_quotes,
        "figures": out_figures,
        "clusters": out_clusters,
    }


# --- merging and writing ---------------------------------------------------------------------


def _spans(text: str, value: Any) -> list[tuple[int, int]]:
    if isinstance(value, str) or (
        isinstance(value, list) and len(value) == 2 and isinstance(value[1], int)
    ):
        value = [value]
    return [anchors.resolve(text, a) for a in value or []]


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def _mention_at(m: Any) -> Any:
    return m["at"] if isinstance(m, dict) else m


def _next_id(prefix: str, items: list[dict[str, Any]]) -> int:
    numbers = [
        int(n)
        for i in items
        if re.fullmatch(rf"{prefix}\d+", str(i.get("id", "")))
        for n in [str(i["id"])[1:]]
    ]
    return max(numbers, default=0) + 1


def merge(
    text: str, existing: dict[str, Any], new: dict[str, Any]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The suggestions that are not already in ``existing``, renumbered after its ids.

    A quote is known when a quote with the same first content span exists (or the new one
    would cross it); a figure when it overlaps an existing figure; a mention when its span is
    already a mention or crosses one. A suggested cluster with a known mention is the person's
    cluster: its other mentions are not added (that would mean editing the person's table).
    """
    try:
        old_q = [(q["id"], _spans(text, q["content"])) for q in existing.get("quotes", [])]
        old_f = [(f["id"], _spans(text, f["at"])[0]) for f in existing.get("figures", [])]
        old_m = [
            (c["id"], _spans(text, _mention_at(m))[0])
            for c in existing.get("clusters", [])
            for m in c.get("mentions", [])
        ]
    except (AnchorError, KeyError, TypeError) as exc:
        raise RecordError(f"the existing annotation file does not resolve: {exc}") from exc
    present = {
        "quotes": len(old_q),
        "figures": len(old_f),
        "clusters": len(existing.get("clusters", [])),
        "mentions": len(old_m),
    }
    qid, fid, cid = (
        _next_id(p, existing.get(k, []))
        for p, k in (("q", "quotes"), ("f", "figures"), ("c", "clusters"))
    )
    rename: dict[str, str | None] = {}

    for c in new["clusters"]:
        spans = [_spans(text, m["at"])[0] for m in c["mentions"]]
        owner = next((o for o, s in old_m if s in spans), None)
        if owner is not None:
            rename[c["id"]] = owner
            c["_skip"] = True
            continue
        c["mentions"] = [
            m
            for m, s in zip(c["mentions"], spans, strict=True)
            if not any(s == o or _crosses(s, o) for _, o in old_m)
        ]
        if not any(m["type"] == "name" for m in c["mentions"]):
            rename[c["id"]] = None
            c["_skip"] = True
            continue
        rename[c["id"]] = f"c{cid}"
        cid += 1
    for q in new["quotes"]:
        spans = _spans(text, q["content"])
        same = next((o for o, s in old_q if s[0] == spans[0]), None)
        if same is not None or any(_crosses(a, b) for _, s in old_q for a in s for b in spans):
            rename[q["id"]] = same
            q["_skip"] = True
            continue
        rename[q["id"]] = f"q{qid}"
        qid += 1
    for f in new["figures"]:
        span = _spans(text, f["at"])[0]
        if any(o[0] < span[1] and span[0] < o[1] for _, o in old_f):
            f["_skip"] = True
            continue
        f["id"] = f"f{fid}"
        fid += 1

    def ref(value: str | None) -> str | None:
        return rename.get(value) if value is not None else None

    out: dict[str, list[dict[str, Any]]] = {"quotes": [], "figures": [], "clusters": []}
    for c in new["clusters"]:
        if not c.pop("_skip", False):
            out["clusters"].append({**c, "id": rename[c["id"]]})
    for q in new["quotes"]:
        if not q.pop("_skip", False):
            out["quotes"].append(
                {
                    **q,
                    "id": rename[q["id"]],
                    "parent": ref(q["parent"]),
                    "speaker": ref(q["speaker"]),
                }
            )
    for f in new["figures"]:
        if not f.pop("_skip", False):
            out["figures"].append({**f, "asserted_by": ref(f["asserted_by"])})
    return out, present


_ORIGIN_KEYS = ("method", "annotator", "status")


def _compact(item: dict[str, Any], defaults: dict[str, str] | None) -> dict[str, Any]:
    """Leave out an origin equal to the file's ``[defaults]`` (ingest fills it back in)."""
    if defaults and all(item.get(k) == defaults.get(k) for k in _ORIGIN_KEYS):
        return {k: v for k, v in item.items() if k not in _ORIGIN_KEYS}
    return item


def _compact_cluster(c: dict[str, Any], defaults: dict[str, str] | None) -> dict[str, Any]:
    """Mentions as the committed files write them: bare anchors for plain names."""
    mentions = []
    for m in c["mentions"]:
        spec = _compact(m, defaults)
        if spec.get("type") == "name":
            spec = {k: v for k, v in spec.items() if k != "type"}
        mentions.append(spec["at"] if list(spec) == ["at"] else spec)
    return {**c, "mentions": mentions}


def render(
    layers: dict[str, list[dict[str, Any]]], *, header: str, defaults: dict[str, str] | None
) -> str:
    """Annotation-file TOML for the given layers, in the committed files' order."""
    parts = [header]
    if defaults:
        parts.append(tomlwrite.table("defaults", defaults))
    titles = {"quotes": "quotes", "figures": "figures", "clusters": "entities"}
    for layer in ("quotes", "figures", "clusters"):
        if not layers.get(layer):
            continue
        parts.append(f"# --- {titles[layer]} (silver) " + "-" * (70 - len(titles[layer])) + "\n\n")
        for item in layers[layer]:
            if layer == "clusters":
                item = _compact_cluster(item, defaults)
            parts.append(tomlwrite.table(layer, _compact(item, defaults), array=True))
    return "".join(parts).rstrip("\n") + "\n"


def suggest_article(
    corpus: Path, record_id: str, recogniser: Recogniser | None = None
) -> tuple[str, dict[str, Any]]:
    """Suggestions for one corpus article from its raw file alone; returns (text, table)."""
    raw_path = corpus / "raw" / f"{record_id}.txt"
    try:
        raw = raw_path.read_bytes()
    except OSError as exc:
        raise RecordError(f"{raw_path}: cannot read: {exc.strerror or exc}") from exc
    return normalize(raw).text, suggest(raw, recogniser, publication_date(corpus, record_id))


def publication_date(corpus: Path, record_id: str) -> str | None:
    """The day the article was published, from its metadata sidecar, when the day is known.

    Only a date with ``bound = "on"`` anchors relative expressions ("Thursday night"); a
    ``not-before`` bound leaves them unresolved. The sidecar is metadata, not annotation, so
    reading it leaks nothing; a missing or unreadable sidecar gives None.
    """
    path = corpus / "meta" / f"{record_id}.toml"
    try:
        date = load_toml(path).get("date_published") or {}
    except (OSError, RecordError):
        return None
    value = date.get("value") if isinstance(date, dict) else None
    if not isinstance(value, str) or date.get("bound", "on") != "on":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def preannotate(corpus: Path, record_id: str, *, model: str | None = None) -> Preannotated:
    """Write (or extend) ``annotations/<id>.toml`` with silver suggestions; see the module doc."""
    recogniser = get_recogniser(model)
    text, table = suggest_article(corpus, record_id, recogniser)
    path = corpus / "annotations" / f"{record_id}.toml"
    counts = {
        "quotes": len(table["quotes"]),
        "figures": len(table["figures"]),
        "clusters": len(table["clusters"]),
        "mentions": sum(len(c["mentions"]) for c in table["clusters"]),
    }
    if not path.exists():
        header = (
            f"# Machine suggestions for raw/{record_id}.txt, written by `belnews pre-annotate`"
            f" ({RULES}; entities: {recogniser.annotator}).\n"
            "# Every item is silver: correct it against ANNOTATION.md, set status (see\n"
            "# CONTRIBUTING.md), and delete what is wrong. Re-running adds only what is new.\n\n"
        )
        write_atomic(path, render(table, header=header, defaults=table["defaults"]).encode("utf-8"))
        return Preannotated(path, counts, created=True)
    existing = load_toml(path)
    try:
        new, present = merge(text, existing, table)
    except RecordError as exc:
        raise RecordError(f"{path}: {exc}") from exc
    added = {
        "quotes": len(new["quotes"]),
        "figures": len(new["figures"]),
        "clusters": len(new["clusters"]),
        "mentions": sum(len(c["mentions"]) for c in new["clusters"]),
    }
    if any(added.values()):
        old = path.read_bytes().decode("utf-8")
        header = f"\n# --- added by `belnews pre-annotate` ({RULES}): silver suggestions ---\n\n"
        appended = old.rstrip("\n") + "\n" + render(new, header=header, defaults=None)
        write_atomic(path, appended.encode("utf-8"))
    return Preannotated(path, added, present)
