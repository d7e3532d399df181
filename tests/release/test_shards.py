"""A release that grows past one file: bounded shards, named as Hugging Face expects, each in
the manifest, and read whole by load() and datasets.load_dataset."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from release_helpers import checkout, corpus_copy

import belnews
from belnews.release.build import build, build_from, card_header
from belnews.release.shards import ShardLimits, logical_nbytes, row_nbytes, shard_name
from conftest import ALL_SPAN_ROWS, CORPUS, RECORD_IDS, ROOT, SPAN_ROWS

shards_module = importlib.import_module("belnews.release.shards")
readers = importlib.import_module("belnews.check.readers")


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(name="two_shards")
def _two_shards(tmp_path):
    """The seed corpus built with one article per shard."""
    return build(CORPUS, tmp_path / "data", limits=ShardLimits(rows=1))


def test_shard_names_are_the_ones_hugging_face_expects():
    assert shard_name(0, 4) == "train-00000-of-00004.parquet"
    assert shard_name(3, 4) == "train-00003-of-00004.parquet"


def test_two_records_with_one_row_per_shard_make_two_shards_per_config(two_shards):
    files = [(f["path"], f["config"], f["rows"]) for f in two_shards.manifest["files"]]
    assert files == [
        ("articles/train-00000-of-00002.parquet", "default", 1),
        ("articles/train-00001-of-00002.parquet", "default", 1),
        ("spans/train-00000-of-00002.parquet", "spans", SPAN_ROWS[RECORD_IDS[0]]),
        ("spans/train-00001-of-00002.parquet", "spans", SPAN_ROWS[RECORD_IDS[1]]),
    ]
    for f in two_shards.manifest["files"]:
        path = two_shards.out_dir / f["path"]
        assert f["sha256"] == sha(path)
        assert f["bytes"] == path.stat().st_size
        assert f["rows"] == pq.ParquetFile(path).metadata.num_rows
    assert two_shards.manifest["sharding"] == {"max_rows": 1, "max_bytes": 500_000_000}
    # shard i of spans holds the spans of the articles in shard i of articles
    for i, rid in enumerate(RECORD_IDS):
        articles = pq.read_table(two_shards.out_dir / f"articles/{shard_name(i, 2)}")
        spans = pq.read_table(two_shards.out_dir / f"spans/{shard_name(i, 2)}")
        assert articles["id"].to_pylist() == [rid]
        assert set(spans["article_id"].to_pylist()) == {rid}


def test_load_reads_every_shard_in_order(two_shards):
    whole = belnews.load(format="arrow")  # the committed release: one shard per config
    sharded = belnews.load(format="arrow", directory=two_shards.out_dir)
    assert sharded.equals(whole)
    spans = belnews.load(format="arrow", config="spans", directory=two_shards.out_dir)
    assert spans.equals(belnews.load(format="arrow", config="spans"))
    ds = belnews.load(directory=two_shards.out_dir)
    assert ds["id"] == list(RECORD_IDS)
    assert ds.features == belnews.load().features
    records = belnews.load(format="records", directory=two_shards.out_dir)
    assert [a.id for a in records] == list(RECORD_IDS)


def test_a_stray_file_in_a_config_folder_is_never_read(two_shards):
    stray = two_shards.out_dir / "articles" / "train-00009-of-00010.parquet"
    pq.write_table(pq.read_table(two_shards.out_dir / "articles" / shard_name(0, 2)), stray)
    assert belnews.load(format="arrow", directory=two_shards.out_dir).num_rows == 2


def test_a_byte_limit_below_one_article_gives_each_article_its_own_shard(tmp_path):
    one_each = build(CORPUS, tmp_path / "a", limits=ShardLimits(bytes=1))
    assert [f["rows"] for f in one_each.manifest["files"]] == [1, 1, *SPAN_ROWS.values()]
    table = belnews.load(format="arrow")
    sizes = row_nbytes(table)
    exact = build(CORPUS, tmp_path / "b", limits=ShardLimits(bytes=int(sizes.sum()) + 1))
    assert [f["rows"] for f in exact.manifest["files"]] == [2, ALL_SPAN_ROWS]
    under = build(CORPUS, tmp_path / "c", limits=ShardLimits(bytes=int(sizes.sum()) - 1))
    assert [f["rows"] for f in under.manifest["files"]] == [1, 1, *SPAN_ROWS.values()]


def test_shard_limits_must_be_positive():
    with pytest.raises(ValueError, match="must be positive"):
        ShardLimits(rows=0)


def test_load_dataset_on_a_sharded_checkout_reads_every_shard(tmp_path):
    root = checkout(tmp_path / "repo")
    result = build(CORPUS, root / "data", root=root, limits=ShardLimits(rows=1))
    assert (root / "README.md").read_text(encoding="utf-8").startswith(card_header(result.manifest))
    env = {
        **os.environ,
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
    }
    code = (
        "import datasets, json\n"
        f"d = datasets.load_dataset({str(root)!r})['train']\n"
        f"s = datasets.load_dataset({str(root)!r}, 'spans')['train']\n"
        "print(json.dumps([list(d['id']), s.num_rows]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [list(RECORD_IDS), ALL_SPAN_ROWS]


def _synthetic_lines(n: int) -> list[str]:
    import importlib.util
    import random

    spec = importlib.util.spec_from_file_location(
        "make_synthetic", ROOT / "scripts" / "make_synthetic.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = random.Random(5)
    return [json.dumps(module.make_record(i, rng), ensure_ascii=False) for i in range(n)]


def test_shards_and_row_groups_do_not_depend_on_the_input_batches(tmp_path, monkeypatch):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(_synthetic_lines(23)) + "\n", encoding="utf-8")
    monkeypatch.setattr(shards_module, "ROW_GROUP_SIZE", 4)
    limits = ShardLimits(rows=10)
    big = build_from(readers.iter_jsonl_items(source), tmp_path / "a", limits=limits)
    monkeypatch.setattr(readers, "BATCH_ROWS", 3)
    small = build_from(readers.iter_jsonl_items(source), tmp_path / "b", limits=limits)
    assert big.manifest == small.manifest
    articles = [f for f in big.manifest["files"] if f["config"] == "default"]
    assert [(f["path"], f["rows"]) for f in articles] == [
        ("articles/train-00000-of-00003.parquet", 10),
        ("articles/train-00001-of-00003.parquet", 10),
        ("articles/train-00002-of-00003.parquet", 3),
    ]
    groups = []
    for f in articles:
        meta = pq.ParquetFile(tmp_path / "a" / f["path"]).metadata
        groups.append([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
    assert groups == [[4, 4, 2], [4, 4, 2], [3]]
    for f in big.manifest["files"]:
        assert sha(tmp_path / "a" / f["path"]) == sha(tmp_path / "b" / f["path"]), f["path"]


def test_a_byte_limit_cuts_at_the_same_row_whatever_the_batches(tmp_path, monkeypatch):
    lines = _synthetic_lines(17)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = build_from(readers.iter_jsonl_items(source), tmp_path / "whole")
    table = belnews.load(format="arrow", directory=tmp_path / "whole")
    sizes = row_nbytes(table)
    limit = int(sizes[:5].sum()) + 1  # five articles fit, the sixth does not
    cuts = []
    for batch in (2, 7):
        monkeypatch.setattr(readers, "BATCH_ROWS", batch)
        out = build_from(
            readers.iter_jsonl_items(source),
            tmp_path / f"b{batch}",
            limits=ShardLimits(bytes=limit),
        )
        cuts.append([f["rows"] for f in out.manifest["files"] if f["config"] == "default"])
    assert cuts[0] == cuts[1]
    assert cuts[0][0] == 5 and sum(cuts[0]) == 17
    assert whole.manifest["counts"] == out.manifest["counts"]


def test_row_groups_are_cut_by_bytes_at_the_same_row_whatever_the_batches(tmp_path, monkeypatch):
    """Groups of real-density articles would pass hundreds of MB at 10,000 rows: a group
    also ends before the article that would take it past ROW_GROUP_BYTES."""
    lines = _synthetic_lines(17)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_from(readers.iter_jsonl_items(source), tmp_path / "whole")
    sizes = row_nbytes(belnews.load(format="arrow", directory=tmp_path / "whole"))
    monkeypatch.setattr(shards_module, "ROW_GROUP_BYTES", int(sizes[:4].sum()) + 1)
    groups, digests = [], []
    for batch in (2, 7):
        monkeypatch.setattr(readers, "BATCH_ROWS", batch)
        out = tmp_path / f"b{batch}"
        built = build_from(readers.iter_jsonl_items(source), out)
        path = next(out / f["path"] for f in built.manifest["files"] if f["config"] == "default")
        meta = pq.ParquetFile(path).metadata
        groups.append([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
        digests.append([f["sha256"] for f in built.manifest["files"]])
    assert groups[0] == groups[1] and digests[0] == digests[1]
    assert groups[0][0] == 4 and sum(groups[0]) == 17
    start = 0
    for rows in groups[0]:
        assert rows == 1 or sizes[start : start + rows].sum() <= int(sizes[:4].sum()) + 1
        start += rows


# --- row sizes: the measure a shard's byte limit applies to ---------------------------------

ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "s": st.text(max_size=8),
            "n": st.integers(-(2**31), 2**31 - 1),
            "m": st.lists(st.integers(-(2**31), 2**31 - 1), max_size=6),
            "l": st.lists(
                st.fixed_dictionaries(
                    {"t": st.text(max_size=5), "k": st.lists(st.text(), max_size=3)}
                ),
                max_size=4,
            ),
        }
    ),
    min_size=1,
    max_size=12,
)
TYPE = pa.struct(
    [
        ("s", pa.string()),
        ("n", pa.int32()),
        ("m", pa.list_(pa.int32())),
        ("l", pa.list_(pa.struct([("t", pa.string()), ("k", pa.list_(pa.string()))]))),
    ]
)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, data=st.data())
def test_row_sizes_add_up_and_do_not_depend_on_slicing(rows, data):
    table = pa.Table.from_pylist(rows, schema=pa.schema(list(TYPE)))
    sizes = row_nbytes(table)
    # the same measure, but for the one extra offset each of the six variable-width arrays
    # (s, m, l, l.t, l.k and l.k's strings) has
    assert sizes.sum() == logical_nbytes(table) - 6 * 4
    start = data.draw(st.integers(0, len(rows) - 1))
    stop = data.draw(st.integers(start, len(rows)))
    assert list(row_nbytes(table.slice(start, stop - start))) == list(sizes[start:stop])


def test_row_sizes_of_the_records_match_their_arrow_size_closely():
    table = belnews.load(format="arrow")
    sizes = row_nbytes(table)
    assert len(sizes) == 2 and all(sizes > 10_000)
    assert abs(sizes.sum() - logical_nbytes(table)) / logical_nbytes(table) < 0.05


def test_a_corpus_subset_builds_and_loads(tmp_path):
    corpus = corpus_copy(tmp_path / "corpus", RECORD_IDS[:1])
    result = build(corpus, tmp_path / "data")
    assert [f["rows"] for f in result.manifest["files"]] == [1, SPAN_ROWS[RECORD_IDS[0]]]
