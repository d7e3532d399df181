"""The Arrow schema, the Hugging Face ``Features`` and the card's feature list, all derived
from one definition: the record JSON Schema.

Deriving them (instead of writing a second description by hand) means the Parquet files, the
``datasets`` features and the dataset card cannot disagree with the contract. The mapping:

- ``string`` (also ``enum``/``const`` of strings) -> Arrow ``string`` (never ``large_string``);
- ``integer`` -> ``int32`` (offsets and counts; every value is far below 2**31);
- ``boolean`` -> ``bool``; ``array`` -> ``list``; ``object`` -> ``struct`` in schema order;
- ``["T", "null"]`` and ``oneOf: [span, null]`` -> a nullable ``T``;
- ``prefixItems`` of integers (the offset map's 4-tuples) -> ``list<int32>``.

Labels stay plain strings rather than ``ClassLabel``: the label sets may grow in a minor
version, and a ``ClassLabel``'s integer order would then be a breaking change; the JSON Schema
``enum`` already guards the values.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from belnews.schema.record import load_schema


def struct_rows(data: Any) -> Any:
    """The rows of a table or record batch as one struct array (an array passes through).

    Copied only when the table has several chunks: ``ChunkedArray.combine_chunks`` copies
    even a single chunk, which on a batch of real records costs as much as a check.
    """
    import pyarrow as pa

    if isinstance(data, pa.RecordBatch):
        return data.to_struct_array()
    if isinstance(data, pa.Table):
        if any(column.num_chunks > 1 for column in data.columns):
            data = data.combine_chunks()
        rows = data.to_struct_array()
        return rows.chunk(0) if rows.num_chunks == 1 else rows.combine_chunks()
    return data


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` (local ``#/$defs/...`` only), keeping sibling keywords."""
    while "$ref" in node:
        name = node["$ref"].split("/")[-1]
        target = root["$defs"][name]
        node = {**target, **{k: v for k, v in node.items() if k not in ("$ref", "description")}}
    return node


def shape(node: dict[str, Any], root: dict[str, Any] | None = None) -> tuple[Any, bool]:
    """A neutral description of a schema node: (kind, nullable).

    kind is ``"string" | "int32" | "bool" | ("list", kind) | ("struct", [(name, kind, nullable)])``.
    """
    root = root or load_schema()
    node = _resolve(node, root)
    if "oneOf" in node:
        branches = [_resolve(b, root) for b in node["oneOf"]]
        real = [b for b in branches if b.get("type") != "null"]
        kind, _ = shape(real[0], root)
        return kind, len(real) < len(branches)
    if "const" in node:
        return "string", False
    if "enum" in node:
        return "string", None in node["enum"]
    types = node.get("type")
    nullable = isinstance(types, list) and "null" in types
    if isinstance(types, list):
        types = next(t for t in types if t != "null")
    if types == "string":
        return "string", nullable
    if types == "integer":
        return "int32", nullable
    if types == "boolean":
        return "bool", nullable
    if types == "array":
        if "prefixItems" in node:
            kinds = {shape(p, root)[0] for p in node["prefixItems"]}
            if kinds != {"int32"}:
                raise ValueError("only integer tuples are supported as prefixItems")
            return ("list", "int32"), nullable
        return ("list", shape(node["items"], root)[0]), nullable
    if types == "object":
        fields = []
        for name, sub in node["properties"].items():
            kind, sub_nullable = shape(sub, root)
            fields.append((name, kind, sub_nullable))
        return ("struct", fields), nullable
    raise ValueError(f"no Arrow mapping for schema node {node!r}")


@lru_cache(maxsize=1)
def record_shape() -> tuple[Any, bool]:
    return shape(load_schema())


def _arrow_type(kind: Any) -> Any:
    """Arrow type of a shape; fields *inside* structs are always nullable.

    Arrow checks a non-nullable child even where its parent struct is null (a quote without
    a cue), so only the top-level columns carry the JSON Schema's nullability; required-ness
    inside is the JSON Schema's job, checked before anything is written.
    """
    import pyarrow as pa

    if kind == "string":
        return pa.string()
    if kind == "int32":
        return pa.int32()
    if kind == "bool":
        return pa.bool_()
    if kind[0] == "list":
        return pa.list_(_arrow_type(kind[1]))
    return pa.struct([pa.field(n, _arrow_type(k)) for n, k, _nl in kind[1]])


def features_dict(kind: Any | None = None) -> dict[str, Any]:
    """The Hugging Face ``Features.to_dict()`` form of the record, without importing datasets."""
    if kind is None:
        return {name: features_dict(k) for name, k, _ in record_shape()[0][1]}
    if kind in ("string", "int32", "bool"):
        return {"dtype": kind, "_type": "Value"}
    if kind[0] == "list":
        return {"feature": features_dict(kind[1]), "_type": "List"}
    return {name: features_dict(k) for name, k, _ in kind[1]}


def card_features() -> list[dict[str, Any]]:
    """The ``dataset_info.features`` list for the README card (``list:`` for span layers)."""
    return [_card_field(name, k) for name, k, _ in record_shape()[0][1]]


def _card_field(name: str, kind: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name} if name else {}
    if kind in ("string", "int32", "bool"):
        out["dtype"] = kind
    elif kind[0] == "list":
        inner = kind[1]
        if inner in ("string", "int32", "bool"):
            out["list"] = inner
        elif inner[0] == "list":
            out["list"] = _card_field("", inner)
        else:
            out["list"] = [_card_field(n, k) for n, k, _ in inner[1]]
    else:
        out["struct"] = [_card_field(n, k) for n, k, _ in kind[1]]
    return out


def arrow_schema(*, with_features: bool = True) -> Any:
    """The explicit Arrow schema of the articles table (Hugging Face features in its metadata)."""
    import json

    import pyarrow as pa

    fields = [pa.field(n, _arrow_type(k), nullable=nl) for n, k, nl in record_shape()[0][1]]
    schema = pa.schema(fields)
    if with_features:
        meta = {"huggingface": json.dumps({"info": {"features": features_dict()}})}
        schema = schema.with_metadata(meta)
    return schema


def records_to_table(records: list[dict[str, Any]]) -> Any:
    """Records (already valid) -> an Arrow table with the explicit schema."""
    import pyarrow as pa

    return pa.Table.from_pylist(records, schema=arrow_schema())
