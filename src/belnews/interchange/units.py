"""A record's annotations as a flat list of labelled spans with attributes and links.

Annotation tools all speak the same three things: a labelled span (possibly discontinuous),
attributes on it, and typed links between spans. Our layers are richer (a quote owns its cue
and source spans, a cluster is not a span at all), so every converter for such a tool goes
through this one flat view, and the mapping is written and tested once:

- a quote is a ``Quote`` unit (its content fragments as the spans); its cue, source,
  addressee, channel, time and place are ``Cue``/``Source``/``Addressee``/``Channel``/
  ``Time``/``Place`` units it links to; ``repeats`` (a list of quote ids) travels as the
  space-separated attribute ``repeats``, since a link role holds one target;
- a figure is a ``Figure`` unit; its MeasEval spans are ``MeasuredEntity``,
  ``MeasuredProperty`` and ``Qualifier`` units it links to;
- a mention is a unit labelled with its entity label; the cluster travels as the mention's
  ``cluster`` attribute, and the cluster's own fields (name, wikidata, nil_reason, members,
  note) as ``cluster_*`` attributes on its first mention in text order (an unnamed cluster
  says so with ``cluster_unnamed = true``, members are space-separated cluster ids);
- a quote's ``speaker`` and a figure's ``asserted_by`` cluster link to that first mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .common import InterchangeError

ROLES = ("cue", "source", "addressee", "channel", "time", "place")
ROLE_TYPES = {role: role.capitalize() for role in ROLES}
#: A figure's MeasEval spans and their unit types.
FIGURE_ROLES = {
    "measured_entity": "MeasuredEntity",
    "measured_property": "MeasuredProperty",
    "qualifier": "Qualifier",
}
ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip
#: Unit types in a fixed order (label lists in generated configs follow it).
TYPES = ("Quote", *ROLE_TYPES.values(), "Figure", *FIGURE_ROLES.values(), *ENTITY_LABELS)
#: Link roles: from which unit type, to which.
LINKS = {
    "cue": ("Quote", "Cue"),
    "source": ("Quote", "Source"),
    "addressee": ("Quote", "Addressee"),
    "channel": ("Quote", "Channel"),
    "time": ("Quote", "Time"),
    "place": ("Quote", "Place"),
    "speaker": ("Quote", "Mention"),
    "parent": ("Quote", "Quote"),
    **{role: ("Figure", kind) for role, kind in FIGURE_ROLES.items()},
    "asserted_by": ("Figure", "Quote|Mention"),
}
#: Closed-set attributes per unit layer, with their values (used for configs and attributes).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "quote": {
        "kind": ("direct", "indirect", "mixed", "partial"),
        "source_kind": (
            "named_person", "title_only", "anonymous", "organisation", "group", "pronoun", "none",
        ),
        "medium": ("spoken", "written", "chanted", "unknown"),
        "likely_translated": ("true", "false"),
    },
    "figure": {
        "kind": (
            "count", "percent", "quantity", "duration", "time", "date", "money", "ordinal",
            "vague",
        ),
        "comparator": ("eq", "approx", "gt", "gte", "lt", "lte"),
        "as_of_basis": ("text", "publication"),
    },
    "mention": {
        "mention_type": ("name", "nominal", "pronoun"),
        "cluster_nil_reason": ("not_in_kb", "ambiguous", "unsure"),
        "cluster_unnamed": ("true", "false"),
    },
}  # fmt: skip
#: Free-text attributes per unit layer.
TEXTS: dict[str, tuple[str, ...]] = {
    "quote": ("id", "repeats", "note", "method", "annotator"),
    "figure": (
        "id", "value", "low", "high", "unit", "iso", "anchor", "as_of", "note", "method",
        "annotator",
    ),
    "mention": (
        "cluster", "note", "method", "annotator", "cluster_name", "cluster_wikidata",
        "cluster_members", "cluster_note",
    ),
    "role": (),
}  # fmt: skip


def layer_of(unit_type: str) -> str:
    """quote, role, figure, measured or mention: which attributes a unit type can have."""
    if unit_type == "Quote":
        return "quote"
    if unit_type in ROLE_TYPES.values():
        return "role"
    if unit_type == "Figure":
        return "figure"
    if unit_type in FIGURE_ROLES.values():
        return "measured"
    if unit_type in ENTITY_LABELS:
        return "mention"
    raise InterchangeError(f"unknown annotation type {unit_type!r} (expected one of {TYPES})")


@dataclass
class Unit:
    """One labelled span (or discontinuous spans) with string attributes and links.

    ``key`` is unique in the document and stable across a round trip (``q3``, ``q3.cue``,
    ``f2``, ``f2.measured_entity``, ``m5``); attribute values are strings (booleans as
    ``"true"``/``"false"``) and absent when null.
    """

    key: str
    type: str
    spans: list[tuple[int, int]]
    attrs: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    @property
    def layer(self) -> str:
        return layer_of(self.type)


def _put(attrs: dict[str, str], name: str, value: Any) -> None:
    if value is None:
        return
    attrs[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def _origin_attrs(attrs: dict[str, str], item: dict[str, Any]) -> None:
    origin = item.get("origin") or {}
    _put(attrs, "method", origin.get("method"))
    _put(attrs, "annotator", origin.get("annotator"))


def flatten(record: dict[str, Any]) -> list[Unit]:
    """The units of a record (plain dict as in ``corpus/records``), in a stable order."""
    units: list[Unit] = []
    first_mention: dict[str, str] = {}
    clusters = {c["id"]: c for c in record.get("clusters", [])}
    mentions: list[Unit] = []
    for m in sorted(record.get("entities", []), key=lambda m: (m["start"], m["end"])):
        attrs: dict[str, str] = {}
        _put(attrs, "mention_type", m["mention_type"])
        _put(attrs, "cluster", m["cluster"])
        _put(attrs, "note", m.get("note"))
        _origin_attrs(attrs, m)
        if m["cluster"] not in first_mention:
            first_mention[m["cluster"]] = m["id"]
            c = clusters.get(m["cluster"], {})
            _put(attrs, "cluster_name", c.get("name"))
            _put(attrs, "cluster_wikidata", c.get("wikidata"))
            _put(attrs, "cluster_nil_reason", c.get("nil_reason"))
            if c and c.get("name") is None:
                attrs["cluster_unnamed"] = "true"
            _put(attrs, "cluster_members", " ".join(c.get("members") or []) or None)
            _put(attrs, "cluster_note", c.get("note"))
        mentions.append(Unit(m["id"], m["label"], [(m["start"], m["end"])], attrs))
    for q in record.get("quotes", []):
        attrs = {}
        for name in ("id", "kind", "source_kind", "medium", "likely_translated", "note"):
            _put(attrs, name, q.get(name))
        _put(attrs, "repeats", " ".join(q.get("repeats") or []) or None)
        _origin_attrs(attrs, q)
        links: dict[str, str] = {}
        roles: list[Unit] = []
        for role in ROLES:
            sp = q.get(role)
            if sp is not None:
                key = f"{q['id']}.{role}"
                roles.append(Unit(key, ROLE_TYPES[role], [(sp["start"], sp["end"])]))
                links[role] = key
        if q.get("speaker") and q["speaker"] in first_mention:
            links["speaker"] = first_mention[q["speaker"]]
        if q.get("parent"):
            links["parent"] = q["parent"]
        spans = [(f["start"], f["end"]) for f in q["content"]]
        units.append(Unit(q["id"], "Quote", spans, attrs, links))
        units.extend(roles)
    for f in record.get("figures", []):
        attrs = {}
        for name in (
            "id", "kind", "value", "low", "high", "comparator", "unit", "iso", "anchor", "as_of",
            "as_of_basis",
        ):  # fmt: skip
            _put(attrs, name, f.get(name))
        _put(attrs, "note", f.get("note"))
        _origin_attrs(attrs, f)
        links = {}
        extra: list[Unit] = []
        for role, kind in FIGURE_ROLES.items():
            sp = f.get(role)
            if sp is not None:
                key = f"{f['id']}.{role}"
                extra.append(Unit(key, kind, [(sp["start"], sp["end"])]))
                links[role] = key
        by = f.get("asserted_by")
        if by and by.startswith("q"):
            links["asserted_by"] = by
        elif by and by in first_mention:
            links["asserted_by"] = first_mention[by]
        units.append(Unit(f["id"], "Figure", [(f["start"], f["end"])], attrs, links))
        units.extend(extra)
    return units + mentions


def unreachable(record: dict[str, Any]) -> dict[str, int]:
    """Fields no unit can carry: clusters without a mention (and links to them)."""
    mentioned = {m["cluster"] for m in record.get("entities", [])}
    lost = [c["id"] for c in record.get("clusters", []) if c["id"] not in mentioned]
    out: dict[str, int] = {}
    if lost:
        out["clusters (without a mention)"] = len(lost)
        n = sum(1 for q in record.get("quotes", []) if q.get("speaker") in lost)
        n += sum(1 for f in record.get("figures", []) if f.get("asserted_by") in lost)
        if n:
            out["links to clusters without a mention"] = n
    return out


def _span(text: str, start: int, end: int, where: str) -> dict[str, Any]:
    if not (0 <= start < end <= len(text)):
        raise InterchangeError(f"{where}: span [{start}, {end}) is outside the text")
    return {"start": start, "end": end, "text": text[start:end]}


def _bool(value: str | None, where: str) -> bool:
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    raise InterchangeError(f"{where}: expected true or false, found {value!r}")


def _origin(attrs: dict[str, str]) -> dict[str, str | None]:
    return {"method": attrs.get("method"), "annotator": attrs.get("annotator")}


def unflatten(units: list[Unit], text: str) -> dict[str, list[dict[str, Any]]]:
    """Layers (quotes, figures, entities, clusters) from units, in the record's shapes.

    The inverse of :func:`flatten`. Quote marks are left empty (the ingest rebuilds them
    from the text), origins carry only what the units hold (method, annotator), and missing
    ids are assigned after the highest id present.
    """
    by_key = {u.key: u for u in units}
    if len(by_key) != len(units):
        dup = sorted({u.key for u in units if sum(v.key == u.key for v in units) > 1})
        raise InterchangeError(f"annotation ids occur more than once: {dup}")
    cluster_of = {u.key: u.attrs.get("cluster") for u in units if u.layer == "mention"}
    ids = _IdMaker(units)
    quote_id = {u.key: ids.quote(u) for u in units if u.type == "Quote"}
    figure_id = {u.key: ids.figure(u) for u in units if u.type == "Figure"}

    def role_span(u: Unit, role: str) -> dict[str, Any] | None:
        key = u.links.get(role)
        if key is None:
            return None
        target = by_key.get(key)
        if target is None or len(target.spans) != 1:
            raise InterchangeError(f"{u.key}.{role}: links to {key!r}, not a one-span annotation")
        return _span(text, *target.spans[0], f"{u.key}.{role}")

    def ref(u: Unit, role: str, allowed: tuple[str, ...]) -> str | None:
        key = u.links.get(role)
        if key is None:
            return None
        target = by_key.get(key)
        if target is None:
            raise InterchangeError(f"{u.key}.{role}: links to {key!r}, which does not exist")
        if target.type == "Quote" and "quote" in allowed:
            return quote_id[key]
        if target.layer == "mention" and "cluster" in allowed:
            return cluster_of[key]
        raise InterchangeError(f"{u.key}.{role}: links to a {target.type}, expected {allowed}")

    quotes, figures, entities, clusters = [], [], [], {}
    for u in units:
        where, a = u.key, u.attrs
        if u.type == "Quote":
            quotes.append(
                {
                    "id": quote_id[u.key],
                    "kind": a.get("kind", "indirect"),
                    "content": [_span(text, s, e, f"{where}.content") for s, e in u.spans],
                    "marks": [],
                    **{role: role_span(u, role) for role in ROLES},
                    "source_kind": a.get("source_kind", "none"),
                    "speaker": ref(u, "speaker", ("cluster",)),
                    "medium": a.get("medium", "unknown"),
                    "parent": ref(u, "parent", ("quote",)),
                    "repeats": a.get("repeats", "").split(),
                    "likely_translated": _bool(a.get("likely_translated"), where),
                    "origin": _origin(a),
                    "note": a.get("note"),
                }
            )
        elif u.type == "Figure":
            figures.append(
                {
                    "id": figure_id[u.key],
                    **_span(text, *u.spans[0], where),
                    "kind": a.get("kind", "count"),
                    **{k: a.get(k) for k in ("value", "low", "high")},
                    "comparator": a.get("comparator", "eq"),
                    **{k: a.get(k) for k in ("unit", "iso", "anchor")},
                    **{role: role_span(u, role) for role in FIGURE_ROLES},
                    "asserted_by": ref(u, "asserted_by", ("quote", "cluster")),
                    "as_of": a.get("as_of"),
                    "as_of_basis": a.get("as_of_basis"),
                    "origin": _origin(a),
                    "note": a.get("note"),
                }
            )
        elif u.layer == "mention":
            cid = a.get("cluster")
            if not cid:
                raise InterchangeError(f"{where}: a mention needs a cluster attribute")
            entities.append(
                {
                    "id": u.key,
                    **_span(text, *u.spans[0], where),
                    "label": u.type,
                    "mention_type": a.get("mention_type", "name"),
                    "cluster": cid,
                    "origin": _origin(a),
                    "note": a.get("note"),
                }
            )
            if "cluster_name" in a or cid not in clusters:
                wikidata = a.get("cluster_wikidata")
                nil = a.get("cluster_nil_reason")
                unnamed = _bool(a.get("cluster_unnamed"), where)
                clusters[cid] = {
                    "id": cid,
                    "label": u.type,
                    "name": None
                    if unnamed
                    else a.get("cluster_name", text[u.spans[0][0] : u.spans[0][1]]),
                    "wikidata": wikidata,
                    "nil_reason": nil if nil or wikidata else "unsure",
                    "members": a.get("cluster_members", "").split(),
                    "note": a.get("cluster_note"),
                }
    entities.sort(key=lambda m: (m["start"], m["end"]))
    _check_lists(quotes, clusters)
    return {
        "quotes": quotes,
        "figures": figures,
        "entities": entities,
        "clusters": sorted(clusters.values(), key=lambda c: _number(c["id"])),
    }


def _check_lists(quotes: list[dict[str, Any]], clusters: dict[str, dict[str, Any]]) -> None:
    """``repeats`` and ``members`` travel as id lists in attributes: each id must name an
    annotation of the same file, never a dangling one."""
    ids = {q["id"] for q in quotes}
    for q in quotes:
        for ref in q["repeats"]:
            if ref not in ids or ref == q["id"]:
                raise InterchangeError(
                    f"{q['id']}.repeats: {ref!r} is not another quote of this document"
                )
    for c in clusters.values():
        for ref in c["members"]:
            if ref not in clusters or ref == c["id"]:
                raise InterchangeError(
                    f"{c['id']}.members: {ref!r} is not another cluster of this document"
                )


def _number(ident: str) -> int:
    """The ASCII digits of a foreign id as a number ("²" is a digit to ``str.isdigit`` but
    no number to ``int``, nor to the schema's id patterns)."""
    digits = "".join(ch for ch in ident if "0" <= ch <= "9")
    return int(digits) if digits else 0


class _IdMaker:
    """Keeps ids written in the foreign file (``q3``) and numbers the rest after them."""

    def __init__(self, units: list[Unit]) -> None:
        self.used = {u.attrs.get("id") or u.key for u in units if u.type in ("Quote", "Figure")}
        self.next = {"q": 1, "f": 1}

    def _make(self, prefix: str, u: Unit) -> str:
        wanted = u.attrs.get("id") or u.key
        if wanted.startswith(prefix) and wanted[1:].isascii() and wanted[1:].isdigit():
            return wanted
        while f"{prefix}{self.next[prefix]}" in self.used:
            self.next[prefix] += 1
        new = f"{prefix}{self.next[prefix]}"
        self.used.add(new)
        return new

    def quote(self, u: Unit) -> str:
        return self._make("q", u)

    def figure(self, u: Unit) -> str:
        return self._make("f", u)
