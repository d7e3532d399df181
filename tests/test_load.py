"""The loader: one call, exact features, no cache copy, checksums, and a light import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import datasets
import pyarrow as pa
import pytest

import belnews
from belnews.schema.arrow import features_dict
from belnews.use.loader import DataIntegrityError
from conftest import ALL_SPAN_ROWS, ROOT

DATA = ROOT / "data"


def test_load_returns_a_dataset_with_exact_features():
    ds = belnews.load()
    assert isinstance(ds, datasets.Dataset)
    assert ds.features == datasets.Features.from_dict(features_dict())
    assert ds["id"] == ["000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf"]
    assert ds[1]["quotes"][0]["content"][0]["text"] == "it will release detained protesters"


def test_load_writes_nothing_to_the_hf_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    ds = belnews.load()
    assert ds.cache_files == []
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").rglob("*")) == []


def test_other_formats():
    table = belnews.load(format="arrow")
    assert isinstance(table, pa.Table) and table.num_rows == 2
    frame = belnews.load(format="pandas", config="spans")
    assert list(frame.columns[:3]) == ["article_id", "layer", "annotation_id"]
    assert len(frame) == ALL_SPAN_ROWS
    articles = belnews.load(format="records")
    quote = articles[1].quotes[0]
    assert (quote.id, quote.speaker, quote.content[0].text) == (
        "q1",
        "c1",
        "it will release detained protesters",
    )
    assert articles[1].cluster(quote.speaker).wikidata == "Q184"


def test_records_round_trip_to_the_record_dicts(records):
    for article in belnews.load(format="records"):
        assert article.to_dict() == records[article.id]


def test_bad_arguments_are_clear():
    with pytest.raises(ValueError, match="format must be one of"):
        belnews.load(format="csv")
    with pytest.raises(ValueError, match="config must be one of"):
        belnews.load(config="nope")
    with pytest.raises(ValueError, match="only available for the default config"):
        belnews.load(format="records", config="spans")


def test_a_corrupted_file_is_refused_with_a_clear_message(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    target = copy / "articles" / "train-00000-of-00001.parquet"
    target.write_bytes(target.read_bytes()[:-10])
    with pytest.raises(DataIntegrityError, match="does not match the manifest: sha256") as info:
        belnews.load(format="arrow", directory=copy)
    assert "pass verify=False" in str(info.value)
    (copy / "MANIFEST.json").unlink()
    with pytest.raises(DataIntegrityError, match="corpus has not been built"):
        belnews.load(directory=copy)


def test_verification_can_be_turned_off(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    manifest["files"][0]["sha256"] = "0" * 64
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(DataIntegrityError):
        belnews.load(format="arrow", directory=copy)
    assert belnews.load(format="arrow", directory=copy, verify=False).num_rows == 2


def test_load_dataset_on_the_checkout_works_offline_with_the_documented_features(tmp_path):
    env = {
        **os.environ,
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
    }
    code = (
        "import datasets, json, sys\n"
        f"d = datasets.load_dataset({str(ROOT)!r})['train']\n"
        f"s = datasets.load_dataset({str(ROOT)!r}, 'spans')['train']\n"
        "print(json.dumps({'rows': [d.num_rows, s.num_rows], 'features': d.features.to_dict(),"
        " 'nulls': [k for k in d.column_names if all(v is None for v in d[k])]}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rows"] == [2, ALL_SPAN_ROWS]
    assert datasets.Features.from_dict(result["features"]) == datasets.Features.from_dict(
        features_dict()
    )
    assert result["nulls"] == []


def _declared_names(features, prefix=""):
    """Every field path the card declares (walking into lists and structs)."""
    for f in features:
        path = f"{prefix}{f['name']}"
        yield path
        inner = f.get("list", f.get("struct"))
        if isinstance(inner, list):
            yield from _declared_names(inner, path + ".")


def _arrow_names(type_or_schema, prefix=""):
    for field in type_or_schema:
        path = f"{prefix}{field.name}"
        yield path
        t = field.type
        if pa.types.is_list(t):
            t = t.value_type
        if pa.types.is_struct(t):
            yield from _arrow_names(list(t), path + ".")


def test_no_declared_card_field_is_missing_from_the_parquet():
    """datasets fills a declared but absent field with None silently: guard against it."""
    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    card = yaml.safe_load(readme.split("---\n")[1])
    info = {c["config_name"]: c for c in card["dataset_info"]}
    files = {
        "default": DATA / "articles" / "train-00000-of-00001.parquet",
        "spans": DATA / "spans" / "train-00000-of-00001.parquet",
    }
    import pyarrow.parquet as pq

    for config, path in files.items():
        declared = set(_declared_names(info[config]["features"]))
        present = set(_arrow_names(pq.read_schema(path)))
        assert declared == present, config
        assert info[config]["splits"][0]["num_examples"] == pq.ParquetFile(path).metadata.num_rows


def test_import_belnews_stays_light():
    code = (
        "import sys, belnews\n"
        "print(sorted(m for m in ('datasets', 'pandas', 'pyarrow', 'jsonschema', 'yaml')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_wheel_ships_data_and_schema_and_loads_from_them(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("belnews-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "belnews/_data/schema/article.schema.json",
        "belnews/_data/data/MANIFEST.json",
        "belnews/_data/data/articles/train-00000-of-00001.parquet",
        "belnews/_data/data/spans/train-00000-of-00001.parquet",
    ):
        assert name in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import belnews\n"
        "t = belnews.load(format='arrow')\n"
        f"print(belnews.__file__.startswith({str(site)!r}), t.num_rows)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert out.stdout.split() == ["True", "2"]


@pytest.mark.parametrize(
    ("cls", "definition"),
    [
        ("Article", None),
        ("Quote", "quote"),
        ("Figure", "figure"),
        ("Mention", "mention"),
        ("Cluster", "cluster"),
        ("Section", "section"),
        ("Span", "span"),
        ("Mark", "mark"),
        ("Origin", "origin"),
    ],
)
def test_typed_records_mirror_the_schema_field_for_field(cls, definition):
    from dataclasses import fields

    from belnews.schema.record import load_schema
    from belnews.use import model

    schema = load_schema()
    node = schema if definition is None else schema["$defs"][definition]
    assert [f.name for f in fields(getattr(model, cls))] == list(node["properties"])


def test_load_in_a_fresh_process_imports_datasets_alongside_the_read():
    """`datasets` is imported in a thread while the file is read and hashed."""
    code = (
        "import sys, belnews\n"
        "assert 'datasets' not in sys.modules\n"
        "ds = belnews.load()\n"
        "print(type(ds).__module__, ds.num_rows, ds.features['quotes'].feature['kind'].dtype)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "datasets.arrow_dataset 2 string\n"
    assert "Traceback" not in done.stderr
