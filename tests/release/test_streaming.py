"""load(streaming=True): a datasets.IterableDataset over the shards, each verified when reached."""

from __future__ import annotations

import datasets
import pytest

import belnews
from belnews.release.build import build
from belnews.release.shards import ShardLimits
from belnews.schema.arrow import features_dict
from belnews.use.loader import DataIntegrityError
from conftest import ALL_SPAN_ROWS, CORPUS, RECORD_IDS


@pytest.fixture(name="sharded")
def _sharded(tmp_path):
    return build(CORPUS, tmp_path / "data", limits=ShardLimits(rows=1)).out_dir


def test_streaming_yields_every_row_of_every_shard_in_order(sharded):
    ds = belnews.load(streaming=True, directory=sharded)
    assert isinstance(ds, datasets.IterableDataset)
    assert ds.num_shards == 2
    assert ds.features == datasets.Features.from_dict(features_dict())
    rows = list(ds)
    assert [r["id"] for r in rows] == list(RECORD_IDS)
    assert rows == belnews.load(directory=sharded).to_list()


def test_streaming_the_spans_config(sharded):
    rows = list(belnews.load(streaming=True, config="spans", directory=sharded))
    assert len(rows) == ALL_SPAN_ROWS
    assert rows == belnews.load(config="spans").to_list()


def test_a_corrupted_shard_raises_when_the_stream_reaches_it(sharded):
    second = sharded / "articles" / "train-00001-of-00002.parquet"
    data = bytearray(second.read_bytes())
    data[len(data) // 2] ^= 0xFF
    second.write_bytes(bytes(data))
    seen = []
    with pytest.raises(DataIntegrityError, match="does not match the manifest: sha256"):
        for row in belnews.load(streaming=True, directory=sharded):
            seen.append(row["id"])
    assert seen == [RECORD_IDS[0]]  # the first shard streamed whole, the second not at all


def test_streaming_copies_no_data_into_the_hf_cache(sharded, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache))
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", cache)
    assert len(list(belnews.load(streaming=True, directory=sharded))) == 2
    # datasets' generator builder leaves its lock file, and nothing else
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert [p.suffix for p in files] in ([], [".lock"])


def test_streaming_only_makes_datasets():
    with pytest.raises(ValueError, match=r"streaming=True returns a datasets\.IterableDataset"):
        belnews.load(format="arrow", streaming=True)


def test_a_read_that_a_new_commit_overtook_is_tried_again(sharded, monkeypatch):
    """A reader that listed the old release while a build replaced it reads the new one."""
    import importlib

    loader = importlib.import_module("belnews.use.loader")
    stale = loader.shards("default", sharded)
    build(CORPUS, sharded)  # the default limits: one shard, other names
    calls = iter([stale])
    real = loader.shards
    monkeypatch.setattr(loader, "shards", lambda *a: next(calls, None) or real(*a))
    assert loader.load_arrow(directory=sharded)["id"].to_pylist() == list(RECORD_IDS)


def test_a_damaged_shard_of_an_unchanged_release_is_not_retried_away(sharded):
    path = sharded / "articles" / "train-00000-of-00002.parquet"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataIntegrityError, match="does not match the manifest"):
        belnews.load(format="arrow", directory=sharded)
