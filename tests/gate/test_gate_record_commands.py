"""show, summary and stats on damaged records: an error naming file, id and JSON path, status 1."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.corpus.store as store
from belnews.check.guard import checked_record
from belnews.cli import cli
from belnews.corpus.store import summarize
from belnews.errors import RecordError
from belnews.release.stats import compute
from belnews.review.show import show_record
from conftest import CORPUS, RECORD_IDS, committed_record

RID = RECORD_IDS[1]
COMMANDS = (["summary"], ["stats"], ["show", RID])


@pytest.fixture(name="corpus")
def _corpus(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "records", corpus / "records")
    monkeypatch.setattr(store, "corpus_dir", lambda: corpus)
    # a checkout around it, which the CLI finds through BELNEWS_ROOT
    shutil.copytree(CORPUS.parent / "schema", tmp_path / "schema")
    monkeypatch.setenv("BELNEWS_ROOT", str(tmp_path))
    return corpus


def _write(corpus, record) -> str:
    path = corpus / "records" / f"{RID}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return str(path)


# (damage, the first line of the error after "FILE: ")
CASES = {
    "missing-quotes": (
        lambda r: r.pop("quotes"),
        f"{RID}: $: schema-required: 'quotes' is a required property",
    ),
    "missing-content": (
        lambda r: r["quotes"][0].pop("content"),
        f"{RID}: $.quotes[0]: schema-required: 'content' is a required property",
    ),
    "text-a-number": (
        lambda r: r.update(text=5),
        f"{RID}: $.text: schema-type: 5 is not of type 'string'",
    ),
    "quotes-an-object": (
        lambda r: r.update(quotes={}),
        f"{RID}: $.quotes: schema-type: {{}} is not of type 'array'",
    ),
    "start-a-string": (
        lambda r: r["entities"][0].update(start="3"),
        f"{RID}: $.entities[0].start: schema-type: '3' is not of type 'integer'",
    ),
    "cluster-members-not-a-list": (
        lambda r: r["clusters"][0].update(members="c2"),
        f"{RID}: $.clusters[0].members: schema-type: 'c2' is not of type 'array'",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_a_record_without_the_schema_shape_is_status_1(name, argv, corpus):
    damage, first = CASES[name]
    record = committed_record(RID)
    damage(record)
    path = _write(corpus, record)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == f"Error: {path}: {first}"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "first"),
    [
        (b"", "cannot read record: $: file-empty: empty input: expected one JSON object"),
        (b"[1]", "cannot read record: $: not-an-object: top-level value is a JSON array"),
        (b'{"id": "a", "id": "b"}', "cannot read record: $: duplicate-key: key 'id' appears"),
        (b"\xff{}", "cannot read record: $: invalid-utf8: byte 0 is not valid UTF-8"),
        (b'{"text": NaN}', "cannot read record: $: non-finite-number: NaN is not a JSON number"),
    ],
)
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_a_record_that_does_not_parse_is_status_1(content, first, argv, corpus):
    path = corpus / "records" / f"{RID}.json"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}: {first}")


@pytest.mark.parametrize("argv", [["summary"], ["stats"]])
def test_a_folder_named_like_a_record_is_an_error(argv, corpus):
    (corpus / "records" / "x.json").mkdir()
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {corpus / 'records' / 'x.json'}: cannot read record")


def test_many_issues_are_cut_to_five(corpus):
    record = committed_record(RID)
    for q in record["quotes"]:
        q.pop("kind")
    path = _write(corpus, record)
    lines = CliRunner().invoke(cli, ["summary"]).stderr.splitlines()
    assert len(lines) == 6
    assert lines[-1] == f"{path}: ... and more (run `belnews validate {path}` for every issue)"


def test_show_refuses_a_path_for_an_id(corpus):
    for bad in ("../../x", "/abs/x", "..", "a/b", "A", "-x", "x.json", "", "a" * 129, "abc\n"):
        result = CliRunner().invoke(cli, ["show", "--", bad])
        assert result.exit_code == 2, bad
        assert "is not a record id" in result.stderr


ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,127}"


def test_show_uses_the_schema_id_pattern():
    from belnews.cli import RECORD_ID
    from belnews.schema.record import load_schema

    assert f"^{RECORD_ID}$" == load_schema()["properties"]["id"]["pattern"]
    assert RECORD_ID == ID_PATTERN


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(candidate=st.text(min_size=1, max_size=12) | st.from_regex(ID_PATTERN, fullmatch=True))
def test_show_accepts_exactly_the_schema_ids(candidate, corpus):
    import re

    result = CliRunner().invoke(cli, ["show", "--", candidate])
    if re.fullmatch(ID_PATTERN, candidate) is None:
        assert result.exit_code == 2 and "is not a record id" in result.stderr
    elif candidate == RID or candidate == RECORD_IDS[0]:
        assert result.exit_code == 0
    else:
        assert result.exit_code == 2 and "no record" in result.stderr
    assert "Traceback" not in result.output


def _paths(value, where=()):
    """Every (path, value) inside a record, to damage one of them."""
    yield where, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, (*where, i))


BASE = committed_record(RID)
PATHS = [p for p, _ in _paths(BASE) if p]
REPLACEMENTS = st.sampled_from([None, 0, -1, "", "x", [], {}, True, 1.5, [1, 2], {"a": 1}])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(PATHS),
    delete=st.booleans(),
    new=REPLACEMENTS,
    argv=st.sampled_from(COMMANDS),
)
def test_random_damage_is_output_or_a_clear_error(where, delete, new, argv, corpus):
    record = copy.deepcopy(BASE)
    parent = record
    for part in where[:-1]:
        parent = parent[part]
    if delete and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = new
    path = _write(corpus, record)
    result = CliRunner().invoke(cli, list(argv))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 1:
        rid = record.get("id")
        named = f"{rid}: " if isinstance(rid, str) and rid else ""  # a damaged id cannot be named
        assert result.stderr.startswith(f"Error: {path}: {named}$"), result.stderr


@pytest.mark.parametrize(
    "function", [lambda r: summarize([r]), lambda r: compute([r]), show_record]
)
def test_the_library_functions_say_which_record(function):
    record = copy.deepcopy(BASE)
    del record["quotes"][0]["content"]
    record["sections"] = 3
    with pytest.raises(RecordError, match=rf"record '{RID}': .* is missing or has the wrong type"):
        function(record)


def test_the_committed_records_pass_the_guard():
    for rid in RECORD_IDS:
        assert checked_record(CORPUS / "records" / f"{rid}.json") == committed_record(rid)
