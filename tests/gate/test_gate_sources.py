"""`belnews records` on wrong TOML types and on links that leave the corpus: a RecordError that
names the file and the key path, never a traceback and never an outside file in a record."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import belnews.corpus.store as store
from belnews.cli import cli
from belnews.corpus.ingest import make_record
from belnews.corpus.sources import check_source, key_path, shape_problems
from belnews.corpus.store import regenerate
from belnews.errors import AnchorError, RecordError
from conftest import CORPUS, RECORD_IDS, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).parent / "cases" / "toml"
EXPECTED = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))
RID = RECORD_IDS[0]


@pytest.fixture(name="corpus")
def _corpus(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(store, "corpus_dir", lambda: corpus)
    # a checkout around it, which the CLI finds through BELNEWS_ROOT
    shutil.copytree(CORPUS.parent / "schema", tmp_path / "schema")
    monkeypatch.setenv("BELNEWS_ROOT", str(tmp_path))
    return corpus


def test_every_case_has_its_expected_lines():
    assert sorted(EXPECTED) == sorted(p.name for p in CASES.glob("*.toml"))
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_source_names_file_key_path_and_expectation(name, corpus):
    kind = name.split("-")[0]
    target = corpus / kind / f"{RID}.toml"
    shutil.copy(CASES / name, target)
    with pytest.raises(RecordError) as caught:
        regenerate(corpus, check=True)
    assert str(caught.value).splitlines() == [
        line.replace("FILE", str(target)) for line in EXPECTED[name]
    ]
    result = CliRunner().invoke(cli, ["records", "--check"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {target}: ")
    assert "Traceback" not in result.output


def test_the_committed_sources_have_the_shape():
    for rid in RECORD_IDS:
        for kind in ("meta", "annotations"):
            with (CORPUS / kind / f"{rid}.toml").open("rb") as handle:
                assert shape_problems(tomllib.load(handle), kind) == []


def test_the_source_schemas_are_valid_json_schemas():
    from jsonschema import Draft202012Validator

    for name in ("annotations", "meta"):
        schema = json.loads((ROOT / "schema" / f"{name}.toml.schema.json").read_text())
        Draft202012Validator.check_schema(schema)


def _load(kind: str, rid: str = RID) -> dict:
    with (CORPUS / kind / f"{rid}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _walk(value, where=()):
    """Every key path of a parsed TOML document (list items: the first three)."""
    yield where
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _walk(v, (*where, i))


SOURCES = {kind: _load(kind) for kind in ("meta", "annotations")}
PLACES = [(kind, p) for kind, doc in SOURCES.items() for p in _walk(doc) if p]
TOML_VALUES = st.recursive(
    st.integers(-5, 10**20)
    | st.text(max_size=8)
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.dates()
    | st.times(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None)
@given(place=st.sampled_from(PLACES), delete=st.booleans(), new=TOML_VALUES)
def test_any_wrong_type_is_a_record_error_at_its_key_or_a_record(place, delete, new):
    kind, where = place
    doc = copy.deepcopy(SOURCES[kind])
    parent = doc
    for part in where[:-1]:
        parent = parent[part]
    if delete and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = new
    path = Path(f"corpus/{kind}/{RID}.toml")
    try:
        check_source(doc, path, kind)
    except RecordError as exc:
        prefixes = {f"{path}: {key_path(where[:k])}" for k in range(len(where) + 1)}
        assert any(line.startswith(tuple(prefixes)) for line in str(exc).splitlines()), str(exc)
        return
    # the shape holds: building the record may fail on an anchor, but not crash
    meta = doc if kind == "meta" else SOURCES["meta"]
    annotations = doc if kind == "annotations" else SOURCES["annotations"]
    raw = (CORPUS / "raw" / f"{RID}.txt").read_bytes()
    try:
        record = make_record(RID, raw, f"{RID}.txt", meta, annotations)
    except (AnchorError, RecordError):
        return
    json.dumps(record)  # every value is JSON (no TOML dates left in it)


def test_bare_toml_dates_never_reach_a_record():
    doc = copy.deepcopy(SOURCES["meta"])
    doc["date_published"]["value"] = dt.date(2020, 8, 14)
    with pytest.raises(RecordError, match=r"date_published\.value: expected a date in quotes"):
        check_source(doc, Path("m.toml"), "meta")


# --- links out of the corpus --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["raw", "meta", "annotations"])
def test_a_link_out_of_the_corpus_is_refused(kind, corpus, tmp_path):
    suffix = ".txt" if kind == "raw" else ".toml"
    link = corpus / kind / f"{RID}{suffix}"
    outside = tmp_path / f"outside{suffix}"
    shutil.copy(link, outside)
    link.unlink()
    link.symlink_to(outside)
    with pytest.raises(RecordError, match=r"outside the corpus"):
        regenerate(corpus, check=True)
    result = CliRunner().invoke(cli, ["records"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {link}: resolves to {outside.resolve()}, outside")
    assert (corpus / "records" / f"{RID}.json").read_bytes() == (
        CORPUS / "records" / f"{RID}.json"
    ).read_bytes()


def test_a_raw_folder_linked_from_outside_is_refused(corpus, tmp_path):
    shutil.move(corpus / "raw", tmp_path / "elsewhere")
    (corpus / "raw").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(RecordError, match=r"outside the corpus"):
        regenerate(corpus, check=True)


def test_a_new_raw_file_linking_out_is_refused(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private text.\n", encoding="utf-8")
    (corpus / "raw" / "zzz.txt").symlink_to(secret)
    (corpus / "meta" / "zzz.toml").write_text('text_rights = "theirs"\n', encoding="utf-8")
    with pytest.raises(RecordError, match=r"zzz\.txt: resolves to .*secret\.txt, outside"):
        regenerate(corpus)
    assert not (corpus / "records" / "zzz.json").exists()


def test_a_link_inside_the_corpus_is_followed(corpus):
    target = corpus / "annotations" / f"{RID}.toml"
    shutil.move(target, corpus / "annotations" / "shared.toml")
    target.symlink_to(corpus / "annotations" / "shared.toml")
    assert regenerate(corpus, check=True) == []
