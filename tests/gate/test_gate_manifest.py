"""load() on a damaged or hostile data/MANIFEST.json: a DataIntegrityError naming the file and
the JSON path, and never a file outside data/."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews
from belnews.use.loader import DataIntegrityError, manifest
from conftest import ROOT

GOOD = json.loads((ROOT / "data" / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(name="data")
def _data(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _with(data, value) -> str:
    path = data / "MANIFEST.json"
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return str(path)


def _entry(**change):
    out = copy.deepcopy(GOOD)
    out["files"][0].update(change)
    return out


def _without(key):
    out = copy.deepcopy(GOOD)
    del out["files"][0][key]
    return out


CASES = {
    "empty-object": ({}, "$.files: expected an array of file entries, found nothing"),
    "an-array": ([], "$: expected a JSON object, found array []"),
    "files-an-object": (
        {"files": {}},
        "$.files: expected an array of file entries, found object {}",
    ),
    "entry-a-string": ({"files": ["x"]}, "$.files[0]: expected an object, found string 'x'"),
    "no-path": (_without("path"), "$.files[0]: expected the key 'path' (a string), found nothing"),
    "no-config": (
        _without("config"),
        "$.files[0]: expected the key 'config' (a string), found nothing",
    ),
    "no-sha256": (
        _without("sha256"),
        "$.files[0]: expected the key 'sha256' (a string), found nothing",
    ),
    "path-a-number": (_entry(path=3), "$.files[0].path: expected a string, found number 3"),
    "bytes-a-string": (
        _entry(bytes="80101"),
        "$.files[0].bytes: expected an integer, found string '80101'",
    ),
    "bytes-a-boolean": (
        _entry(bytes=True),
        "$.files[0].bytes: expected an integer, found boolean True",
    ),
    "bytes-negative": (
        _entry(bytes=-1),
        "$.files[0].bytes: expected a size of 0 or more, found number -1",
    ),
    "sha-short": (
        _entry(sha256="abc"),
        "$.files[0].sha256: expected 64 lowercase hex digits, found string 'abc'",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_malformed_manifest_names_the_json_path(name, data):
    value, message = CASES[name]
    path = _with(data, value)
    with pytest.raises(DataIntegrityError) as caught:
        belnews.load(format="arrow", directory=data)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_manifest_that_is_not_json(data):
    path = _with(data, "{ nope")
    with pytest.raises(DataIntegrityError, match=r"MANIFEST\.json is not valid JSON"):
        manifest(data)
    (data / "MANIFEST.json").write_bytes(b"\xff\xfe")
    with pytest.raises(DataIntegrityError, match=rf"{path} cannot be read"):
        manifest(data)


@pytest.mark.parametrize(
    "hostile",
    [
        "/etc/passwd",
        "../train-00000-of-00001.parquet",
        "spans/../../x.parquet",
        "..",
        "C:\\Windows\\x.parquet",
        "\\\\server\\share\\x.parquet",
        "..\\x.parquet",
        "",
        "a\x00b",
    ],
)
def test_a_path_out_of_data_is_refused(hostile, data, tmp_path):
    (tmp_path / "train-00000-of-00001.parquet").write_bytes(
        (data / "articles" / "train-00000-of-00001.parquet").read_bytes()
    )
    path = _with(data, _entry(path=hostile))
    with pytest.raises(DataIntegrityError) as caught:
        belnews.load(format="arrow", directory=data)
    assert str(caught.value) == (
        f"{path}: $.files[0].path: {hostile!r} is not a relative path inside {data} "
        "(absolute, or holding '..'): refused"
    )


def test_extra_keys_and_entries_are_left_alone(data):
    value = copy.deepcopy(GOOD)
    value["files"][0]["shard"] = 0
    value["files"].append({**value["files"][1], "config": "other", "path": "other/x.parquet"})
    _with(data, value)
    assert belnews.load(format="arrow", directory=data).num_rows == 2


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(["config", "path", "sha256", "bytes", "rows"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    top=st.booleans(),
    key=KEYS,
    value=JSON | st.sampled_from(["/x", "../x", "a/../../b", "sub/ok.parquet"]),
    delete=st.booleans(),
)
def test_any_damage_is_a_data_integrity_error_or_a_load(top, key, value, delete, data):
    doc = copy.deepcopy(GOOD)
    if top:
        doc = value
    elif delete:
        del doc["files"][0][key]
    else:
        doc["files"][0][key] = value
    _with(data, doc)
    try:
        table = belnews.load(format="arrow", directory=data)
    except DataIntegrityError as exc:
        assert str(exc).startswith(str(data / "MANIFEST.json")) or str(data) in str(exc)
    else:
        assert table.num_rows == 2
