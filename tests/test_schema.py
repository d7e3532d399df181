"""The JSON Schema is a valid draft 2020-12 schema and accepts/rejects the right records."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from belnews.schema.record import load_schema, schema_version
from conftest import ROOT


def plain_validator() -> Draft202012Validator:
    """A validator built from the file alone, exactly as a third party would build it."""
    schema = json.loads((ROOT / "schema" / "article.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def test_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(load_schema())
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema_version() == "2.0.0"


def _walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def test_every_object_schema_closes_its_properties_and_describes_each_one():
    for path, node in _walk(load_schema()):
        conditional = any(f"/{k}" in path for k in ("if", "then", "else"))
        if "properties" in node and not conditional:
            assert node.get("additionalProperties") is False, path
            for name, sub in node["properties"].items():
                assert "description" in sub, f"{path}/properties/{name}"


def test_committed_records_validate_with_a_plain_validator(records):
    v = plain_validator()
    for rid, record in records.items():
        assert list(v.iter_errors(record)) == [], rid


def _errors(record):
    return sorted((e.json_path, e.validator) for e in plain_validator().iter_errors(record))


def test_unknown_top_level_field_is_rejected(record):
    record["extra"] = 1
    assert _errors(record) == [("$", "additionalProperties")]


def test_unknown_nested_field_is_rejected(record):
    record["sections"][0]["colour"] = "red"
    assert _errors(record) == [("$.sections[0]", "additionalProperties")]


def test_negative_offset_is_rejected(record):
    record["sections"][1]["start"] = -1
    assert _errors(record) == [("$.sections[1].start", "minimum")]


@pytest.mark.parametrize("field", ["id", "text", "provenance", "quotes", "clusters"])
def test_missing_required_field_is_rejected(record, field):
    del record[field]
    assert _errors(record) == [("$", "required")]


def test_inferred_metadata_needs_evidence(record):
    record["metadata"]["publisher"]["evidence"] = None
    assert _errors(record) == [("$.metadata.publisher.evidence", "type")]


def test_cluster_without_qid_needs_a_nil_reason(record):
    record["clusters"] = [
        {
            "id": "c1",
            "label": "GPE",
            "name": "X",
            "wikidata": None,
            "nil_reason": None,
            "members": [],
            "note": None,
        }
    ]
    assert _errors(record) == [("$.clusters[0].nil_reason", "type")]
