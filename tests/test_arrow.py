"""One definition: the Arrow schema, the HF Features and the card agree with the JSON Schema."""

from __future__ import annotations

import datasets
import pyarrow as pa

from belnews.release import spans as span_release
from belnews.schema import arrow
from belnews.schema.record import load_schema

SCALARS = {"string": pa.string(), "integer": pa.int32(), "boolean": pa.bool_()}


def _resolve(node, root):
    while "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    return node


def _nullable(node, root):
    node = _resolve(node, root)
    if "oneOf" in node:
        return any(b.get("type") == "null" for b in node["oneOf"])
    if "enum" in node:
        return None in node["enum"]
    return isinstance(node.get("type"), list) and "null" in node["type"]


def _expected(node, root):
    """An independent reading of the JSON Schema as Arrow types, for comparison."""
    node = _resolve(node, root)
    if "oneOf" in node:
        return _expected(next(b for b in node["oneOf"] if b.get("type") != "null"), root)
    if "const" in node or "enum" in node:
        return pa.string()
    t = node["type"]
    t = next(x for x in t if x != "null") if isinstance(t, list) else t
    if t == "array":
        item = node["prefixItems"][0] if "prefixItems" in node else node["items"]
        return pa.list_(_expected(item, root))
    if t == "object":
        return pa.struct(
            [
                pa.field(k, _expected(v, root))  # nested fields are always nullable
                for k, v in node["properties"].items()
            ]
        )
    return SCALARS[t]


def test_arrow_schema_matches_the_json_schema_field_by_field():
    root = load_schema()
    schema = arrow.arrow_schema()
    assert schema.names == list(root["properties"])
    for name, sub in root["properties"].items():
        assert schema.field(name).type == _expected(sub, root), name
        assert schema.field(name).nullable == _nullable(sub, root), name


def test_no_large_types_and_int32_offsets():
    text = str(arrow.arrow_schema())
    assert "large_" not in text and "int64" not in text
    quote = arrow.arrow_schema().field("quotes").type.value_type
    assert quote.field("content").type == pa.list_(
        pa.struct(
            [
                pa.field("start", pa.int32()),
                pa.field("end", pa.int32()),
                pa.field("text", pa.string()),
            ]
        )
    )


def test_hf_features_in_metadata_equal_what_datasets_infers():
    ours = datasets.Features.from_dict(arrow.features_dict())
    assert ours == datasets.Features.from_arrow_schema(arrow.arrow_schema(with_features=False))
    assert datasets.Features.from_arrow_schema(arrow.arrow_schema()) == ours
    assert isinstance(ours["quotes"], datasets.List)


def test_card_features_are_what_datasets_itself_writes():
    ours = datasets.Features.from_dict(arrow.features_dict())
    assert datasets.DatasetInfo(features=ours)._to_yaml_dict()["features"] == arrow.card_features()
    spans = datasets.Features.from_dict(span_release.span_features_dict())
    assert (
        datasets.DatasetInfo(features=spans)._to_yaml_dict()["features"]
        == span_release.span_card_features()
    )


def test_records_round_trip_through_arrow(records):
    ordered = [records[k] for k in sorted(records)]
    assert arrow.records_to_table(ordered).to_pylist() == ordered


def test_span_rows_cover_every_span_with_its_text(records):
    record = records["002_a7d1dc08e0c5cbcf"]
    rows = span_release.span_rows(record)
    for row in rows:
        assert record["text"][row["start"] : row["end"]] == row["text"]
    roles = {(r["layer"], r["role"]) for r in rows}
    assert roles == {
        ("quotes", "content"),
        ("quotes", "mark"),
        ("quotes", "cue"),
        ("quotes", "source"),
        ("quotes", "addressee"),
        ("quotes", "channel"),
        ("quotes", "time"),
        ("quotes", "place"),
        ("figures", "figure"),
        ("figures", "measured_entity"),
        ("figures", "measured_property"),
        ("figures", "qualifier"),
        ("entities", "mention"),
    }
    mentions = [r for r in rows if r["role"] == "mention"]
    assert len(mentions) == len(record["entities"])
    lith = next(r for r in mentions if r["text"] == "Lithuania")
    assert (lith["label"], lith["wikidata"], lith["mention_type"]) == ("GPE", "Q37", "name")


def test_the_columnar_span_table_equals_the_record_by_record_one():
    import json

    from belnews.check.screen import read_json_lines
    from belnews.release.spans import span_columns, span_schema, span_table
    from test_columnar import VALID_RECORDS, _synthetic

    records = VALID_RECORDS + _synthetic(25)
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in records]
    fast, counts = span_table(read_json_lines(lines), with_counts=True)
    columns = {name: [] for name in span_schema().names}
    sizes = []
    for record in records:
        rows = span_columns(record)
        sizes.append(len(rows["article_id"]))
        for name, values in rows.items():
            columns[name].extend(values)
    slow = pa.Table.from_pydict(columns, schema=span_schema())
    assert fast.schema == slow.schema
    assert fast.to_pylist() == slow.to_pylist()
    assert counts.tolist() == sizes


def test_the_span_table_of_records_without_annotations_is_empty():
    import json

    from belnews.check.screen import read_json_lines
    from belnews.release.spans import span_schema, span_table
    from conftest import ROOT

    record = json.loads((ROOT / "tests" / "cases" / "valid" / "empty-layers.json").read_text())
    table, counts = span_table(read_json_lines([json.dumps(record).encode()]), with_counts=True)
    assert table.num_rows == 0 and table.schema == span_schema()
    assert counts.tolist() == [0]
