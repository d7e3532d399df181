"""The build: deterministic, atomic, refuses invalid input, and the committed data is fresh."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil

import pyarrow
import pyarrow.parquet as pq
import pytest

import belnews
from belnews.errors import BuildError
from belnews.release.build import build, card_header, with_card_header
from conftest import CORPUS, ROOT

build_module = importlib.import_module("belnews.release.build")
readers = importlib.import_module("belnews.check.readers")
DATA = ROOT / "data"
RELEASE_FILES = (
    "articles/train-00000-of-00001.parquet",
    "spans/train-00000-of-00001.parquet",
    "MANIFEST.json",
)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(name="built")
def _built(tmp_path):
    """A fresh build of the shipped corpus into a temporary folder."""
    result = build(CORPUS, tmp_path / "data")
    return result


def test_committed_release_is_exactly_what_the_corpus_builds(built):
    committed = json.loads((DATA / "MANIFEST.json").read_text())
    assert built.manifest["counts"] == committed["counts"]
    if committed["writer"]["version"] == pyarrow.__version__:
        for name in RELEASE_FILES:
            assert sha(built.out_dir / name) == sha(DATA / name), name
    else:  # another writer version may encode differently: compare the content instead
        for name in RELEASE_FILES[:2]:
            assert pq.read_table(built.out_dir / name).equals(pq.read_table(DATA / name))


def test_build_is_deterministic(tmp_path):
    first = build(CORPUS, tmp_path / "a")
    second = build(CORPUS, tmp_path / "b")
    for name in RELEASE_FILES:
        assert sha(first.out_dir / name) == sha(second.out_dir / name)


def test_manifest_lists_every_file_with_checksum_size_and_rows(built):
    files = {f["path"]: f for f in built.manifest["files"]}
    for rel, f in files.items():
        path = built.out_dir / rel
        assert f["sha256"] == sha(path)
        assert f["bytes"] == path.stat().st_size
        assert f["rows"] == pq.ParquetFile(path).metadata.num_rows
    assert files["articles/train-00000-of-00001.parquet"]["rows"] == 2
    assert built.manifest["schema_version"] == "2.0.0"
    assert built.manifest["corpus_version"] == belnews.__version__
    quotes = built.manifest["counts"]["quotes"]
    assert (quotes["total"], quotes["by_kind"]) == (
        53,
        {"direct": 14, "indirect": 30, "mixed": 4, "partial": 5},
    )


def test_parquet_uses_zstd_and_the_explicit_schema(built):
    meta = pq.ParquetFile(built.out_dir / RELEASE_FILES[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    schema = pq.read_schema(built.out_dir / RELEASE_FILES[0])
    assert b"huggingface" in schema.metadata
    assert "large_string" not in str(schema)


def test_readme_card_header_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((DATA / "MANIFEST.json").read_text())
    assert readme.startswith(card_header(manifest))


def test_card_header_replaces_only_the_front_matter():
    assert (
        with_card_header("---\nold: 1\n---\n# Title\n", "---\nnew: 2\n---\n")
        == "---\nnew: 2\n---\n# Title\n"
    )
    assert with_card_header("# Title\n", "---\nnew: 2\n---\n") == "---\nnew: 2\n---\n# Title\n"


def test_failed_build_leaves_the_previous_release_untouched(tmp_path, monkeypatch):
    out = tmp_path / "data"
    build(CORPUS, out)
    before = {name: sha(out / name) for name in RELEASE_FILES}

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full halfway")

    # both Parquet files are already written to temporary files when the manifest fails
    monkeypatch.setattr(build_module, "make_manifest", explode)
    with pytest.raises(RuntimeError, match="disk full halfway"):
        build(CORPUS, out)
    assert {name: sha(out / name) for name in RELEASE_FILES} == before
    assert [p.name for p in out.rglob(".*")] == []


def test_failed_rename_leaves_no_temporary_files(tmp_path, monkeypatch):
    out = tmp_path / "data"
    build(CORPUS, out)
    before = {name: sha(out / name) for name in RELEASE_FILES}
    real_fsync = os.fsync
    calls = []

    def fsync_then_fail(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError("I/O error while writing the second file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_fail)
    with pytest.raises(OSError, match="second file"):
        build(CORPUS, out)
    assert {name: sha(out / name) for name in RELEASE_FILES} == before
    assert [p.name for p in out.rglob(".*")] == []


def test_build_refuses_an_invalid_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "records" / "000_b610fad01348a5b2.json"
    record = json.loads(path.read_text())
    record["quotes"][0]["content"][0]["end"] += 1
    path.write_text(json.dumps(record))
    with pytest.raises(BuildError) as info:
        build(corpus, tmp_path / "data")
    assert "refusing to build: 1 error(s)" in str(info.value)
    assert "$.quotes[0].content[0]: span-text-mismatch" in str(info.value)
    assert not (tmp_path / "data").exists()


def test_build_from_jsonl_requires_increasing_ids(tmp_path, records):
    lines = [json.dumps(records[k]) for k in sorted(records, reverse=True)]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildError, match="records-out-of-order"):
        build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "out")
    source.write_text("\n".join(reversed(lines)) + "\n")
    result = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "out")
    assert result.manifest["counts"]["articles"] == 2


def test_parallel_build_gives_the_same_bytes(tmp_path, records):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(records[k]) + "\n" for k in sorted(records)))
    serial = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "a")
    parallel = build_module.build_from(
        readers.iter_jsonl_items(source), tmp_path / "b", jobs=2
    )
    assert serial.manifest == parallel.manifest
    for name in RELEASE_FILES:
        assert sha(tmp_path / "a" / name) == sha(tmp_path / "b" / name)


# --- the columnar path (JSONL batches) writes what the record-by-record path writes ---------


def _synthetic_lines(n: int) -> list[str]:
    import importlib.util
    import random

    spec = importlib.util.spec_from_file_location(
        "make_synthetic", ROOT / "scripts" / "make_synthetic.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = random.Random(3)
    return [json.dumps(module.make_record(i, rng), ensure_ascii=False) for i in range(n)]


def test_a_jsonl_build_of_the_corpus_writes_the_committed_parquet(tmp_path, records):
    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps(records[k]) + "\n" for k in sorted(records)))
    result = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "out")
    committed = json.loads((DATA / "MANIFEST.json").read_text())
    assert result.manifest["counts"] == committed["counts"]
    if committed["writer"]["version"] == pyarrow.__version__:
        assert result.manifest["files"] == committed["files"]
    else:  # another pyarrow encodes differently: the same files, rows and content
        def logical(files):
            return [{k: v for k, v in f.items() if k not in ("sha256", "bytes")} for f in files]

        assert logical(result.manifest["files"]) == logical(committed["files"])
        for f in committed["files"]:
            rebuilt = pq.read_table(tmp_path / "out" / f["path"])
            assert rebuilt.equals(pq.read_table(DATA / f["path"]))


def test_jsonl_builds_do_not_depend_on_the_batch_size(tmp_path, monkeypatch):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(_synthetic_lines(23)) + "\n", encoding="utf-8")
    monkeypatch.setattr(importlib.import_module("belnews.release.shards"), "ROW_GROUP_SIZE", 10)
    big = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "a")
    monkeypatch.setattr(readers, "BATCH_ROWS", 4)
    small = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "b")
    assert big.manifest == small.manifest
    for name in RELEASE_FILES:
        assert sha(tmp_path / "a" / name) == sha(tmp_path / "b" / name), name
    groups = pq.ParquetFile(tmp_path / "a" / RELEASE_FILES[0]).metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [10, 10, 3]


def test_the_columnar_build_matches_the_record_by_record_build(tmp_path, monkeypatch):
    """Same files whether the batches are screened in columns or checked one by one."""
    lines = _synthetic_lines(12)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "fast")
    folder = tmp_path / "records"
    folder.mkdir()
    for i, line in enumerate(lines):
        (folder / f"{i:03}.json").write_text(line, encoding="utf-8")
    slow = build_module.build_from(readers.iter_corpus_items(folder), tmp_path / "slow")
    assert fast.manifest == slow.manifest
    for name in RELEASE_FILES:
        assert sha(tmp_path / "fast" / name) == sha(tmp_path / "slow" / name), name


def test_an_invalid_record_in_a_batch_stops_the_build_with_its_error(tmp_path):
    lines = _synthetic_lines(6)
    record = json.loads(lines[3])
    record["entities"][2]["end"] += 1
    lines[3] = json.dumps(record, ensure_ascii=False)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_module.build_from(readers.iter_jsonl_items(source), tmp_path / "out")
    assert f"in.jsonl:4: {record['id']}: $.entities[2]: span-text-mismatch" in str(info.value)
    assert not (tmp_path / "out" / RELEASE_FILES[0]).exists()
