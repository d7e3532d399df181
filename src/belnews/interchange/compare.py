"""Field-by-field comparison of two records' annotation layers (the round-trip oracle)."""

from __future__ import annotations

from typing import Any

#: Every annotation field of the schema, per layer (``origin.*`` as dotted names).
ALL_FIELDS: dict[str, tuple[str, ...]] = {
    "quotes": (
        "id", "kind", "content", "marks", "cue", "source", "source_kind", "speaker",
        "addressee", "channel", "time", "place", "medium", "parent", "repeats",
        "likely_translated",
        "origin.method", "origin.annotator", "note",
    ),
    "figures": (
        "id", "start", "end", "text", "kind", "value", "low", "high", "comparator", "unit",
        "iso", "anchor", "measured_entity", "measured_property", "qualifier", "asserted_by",
        "as_of", "as_of_basis", "origin.method", "origin.annotator", "note",
    ),
    "entities": (
        "id", "start", "end", "text", "label", "mention_type", "cluster", "origin.method",
        "origin.annotator", "note",
    ),
    "clusters": ("id", "label", "name", "wikidata", "nil_reason", "members", "note"),
}  # fmt: skip


def _get(item: dict[str, Any], name: str) -> Any:
    for part in name.split("."):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def _key(layer: str, item: dict[str, Any]) -> Any:
    return (item["start"], item["end"]) if layer == "entities" else item["id"]


def differences(
    expected: dict[str, Any], actual: dict[str, Any], fields: dict[str, tuple[str, ...]]
) -> list[str]:
    """Every difference in the given fields, as ``layer[key].field: expected != actual``.

    Items are matched by id (mentions by span, since mention ids are renumbered in text
    order); an item present on one side only is a difference too.
    """
    out: list[str] = []
    for layer, names in fields.items():
        left = {_key(layer, it): it for it in expected.get(layer, [])}
        right = {_key(layer, it): it for it in actual.get(layer, [])}
        for key in sorted(set(left) | set(right), key=str):
            if key not in right:
                out.append(f"{layer}[{key}]: missing after the round trip")
            elif key not in left:
                out.append(f"{layer}[{key}]: not in the original")
            else:
                for name in names:
                    a, b = _get(left[key], name), _get(right[key], name)
                    if a != b:
                        out.append(f"{layer}[{key}].{name}: {a!r} != {b!r}")
    return out
