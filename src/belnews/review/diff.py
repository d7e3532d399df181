"""What a person changed: machine suggestions (a silver record) against the corrected record.

Annotations are paired with the scorer's overlap matching, so a suggestion whose boundaries
a person moved shows as *changed* (with the old and new span) rather than as one removal plus
one addition. Ids that point elsewhere (speaker, cluster, asserted_by, parent, repeats) are
compared through the scorer's maps from silver ids to gold ids, so renumbering is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .score import Alignment, score_record

#: Fields compared per layer; the rest (id, origin, note) are bookkeeping, not content.
FIELDS = {
    "quotes": (
        "content", "kind", "cue", "source", "source_kind", "speaker", "addressee", "channel",
        "time", "place", "medium", "parent", "repeats", "likely_translated", "marks",
    ),
    "figures": (
        "text", "start", "end", "kind", "value", "low", "high", "comparator", "unit", "iso",
        "anchor", "measured_entity", "measured_property", "qualifier", "asserted_by", "as_of",
        "as_of_basis",
    ),
    "entities": ("text", "start", "end", "label", "mention_type", "cluster"),
}
_CLUSTER_REFS = {"speaker", "cluster"}
_QUOTE_REFS = {"parent", "repeats"}


@dataclass(frozen=True)
class Change:
    """One annotation's fate: ``accepted`` unchanged, ``changed`` (with the fields that
    differ, as (field, silver value, gold value)), ``added`` by a person, or ``rejected``."""

    layer: str
    status: str
    gold_id: str | None
    silver_id: str | None
    fields: tuple[tuple[str, Any, Any], ...] = ()


def _spans_key(value: Any) -> Any:
    """Offsets decide whether a span changed; text only repeats them."""
    if isinstance(value, dict) and "start" in value:
        return (value["start"], value["end"], value.get("role"))
    if isinstance(value, list):
        return tuple(_spans_key(v) for v in value)
    return value


def _translate(name: str, value: Any, alignment: Alignment) -> Any:
    if value is None:
        return None
    if isinstance(value, list) and name in _QUOTE_REFS:
        return [_translate(name, v, alignment) for v in value]
    if name in _CLUSTER_REFS:
        return alignment.clusters.get(value, f"silver:{value}")
    if name in _QUOTE_REFS:
        return alignment.quotes.get(value, f"silver:{value}")
    if name == "asserted_by":
        table = alignment.quotes if value.startswith("q") else alignment.clusters
        return table.get(value, f"silver:{value}")
    return value


def changes(silver: dict[str, Any], gold: dict[str, Any]) -> list[Change]:
    """Every gold and silver annotation, classified (raises ScoreError if the texts differ)."""
    _, alignment = score_record(silver, gold)
    out: list[Change] = []
    for layer, fields in FIELDS.items():
        s_items, g_items = silver.get(layer, []), gold.get(layer, [])
        paired_s = {i for i, _ in alignment.pairs[layer]}
        paired_g = {j for _, j in alignment.pairs[layer]}
        for i, j in alignment.pairs[layer]:
            s, g = s_items[i], g_items[j]
            diff = tuple(
                (name, s.get(name), g.get(name))
                for name in fields
                if _spans_key(_translate(name, s.get(name), alignment))
                != _spans_key(g.get(name))
            )
            status = "changed" if diff else "accepted"
            out.append(Change(layer, status, g["id"], s["id"], diff))
        out += [
            Change(layer, "added", g["id"], None)
            for j, g in enumerate(g_items)
            if j not in paired_g
        ]
        out += [
            Change(layer, "rejected", None, s["id"])
            for i, s in enumerate(s_items)
            if i not in paired_s
        ]
    return out
