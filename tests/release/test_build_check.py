"""`belnews build --check` compares by content, and `belnews build` rewrites a file only when
its content changed and records its writer."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil

import pyarrow
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from release_helpers import checkout, corpus_copy

from belnews.cli import cli
from belnews.release.build import build
from belnews.release.check import check_release, logical_manifest
from belnews.release.shards import ShardLimits
from conftest import CORPUS, RECORD_IDS, ROOT

build_module = importlib.import_module("belnews.release.build")
paths_module = importlib.import_module("belnews._paths")


def test_the_committed_release_matches_the_corpus():
    assert check_release() == []


def test_the_writer_is_recorded_in_the_manifest(tmp_path):
    committed = json.loads((ROOT / "data" / "MANIFEST.json").read_text())
    assert set(committed["writer"]) == {
        "library",
        "version",
        "compression",
        "compression_level",
        "row_group_size",
        "row_group_bytes",
    }
    assert build(CORPUS, tmp_path / "data").manifest["writer"] == {
        "library": "pyarrow",
        "version": pyarrow.__version__,
        "compression": "zstd",
        "compression_level": 3,
        "row_group_size": 10_000,
        "row_group_bytes": 64 * 1024 * 1024,
    }


def test_other_bytes_with_the_same_content_still_match(tmp_path):
    """Another pyarrow (here: another compression) writes other bytes: not a difference."""
    out = tmp_path / "data"
    build(CORPUS, out)
    manifest = json.loads((out / "MANIFEST.json").read_text())
    for entry in manifest["files"]:
        path = out / entry["path"]
        table = pq.read_table(path)
        pq.write_table(table, path, compression="snappy")
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        entry["bytes"] = path.stat().st_size
    manifest["writer"] = {**manifest["writer"], "version": "0.0.0", "compression": "snappy"}
    (out / "MANIFEST.json").write_text(json.dumps(manifest))
    assert check_release(CORPUS, out) == []


def test_a_changed_corpus_is_reported_field_by_field(tmp_path):
    out = tmp_path / "data"
    build(CORPUS, out)
    smaller = corpus_copy(tmp_path / "corpus", RECORD_IDS[:1])
    differences = check_release(smaller, out)
    assert "manifest counts.articles: committed 2, the corpus gives 1" in differences
    assert (
        "articles/train-00000-of-00001.parquet.rows: committed 2, the corpus gives 1" in differences
    )
    assert (
        "articles/train-00000-of-00001.parquet: its rows differ from the ones the corpus builds"
        in differences
    )


def test_a_damaged_or_missing_shard_is_reported(tmp_path):
    out = tmp_path / "data"
    build(CORPUS, out, limits=ShardLimits(rows=1))
    (out / "spans" / "train-00001-of-00002.parquet").write_bytes(b"PAR1")
    assert check_release(CORPUS, out) == [
        "spans/train-00001-of-00002.parquet: its sha256 is not the one the manifest lists"
    ]
    shutil.rmtree(out)
    assert check_release(CORPUS, out) == [
        f"{out}: no readable MANIFEST.json: the release has not been built"
    ]


def test_the_check_uses_the_releases_shard_limits(tmp_path):
    out = tmp_path / "data"
    build(CORPUS, out, limits=ShardLimits(rows=1))
    assert check_release(CORPUS, out) == []
    assert check_release(CORPUS, out, limits=ShardLimits()) == [
        "manifest sharding: committed {'max_bytes': 500000000, 'max_rows': 1}, the corpus gives "
        "{'max_rows': 100000, 'max_bytes': 500000000}",
        "articles/train-00000-of-00001.parquet: missing from the release",
        "articles/train-00000-of-00002.parquet: in the release, but the corpus builds no such file",
        "articles/train-00001-of-00002.parquet: in the release, but the corpus builds no such file",
        "spans/train-00000-of-00001.parquet: missing from the release",
        "spans/train-00000-of-00002.parquet: in the release, but the corpus builds no such file",
        "spans/train-00001-of-00002.parquet: in the release, but the corpus builds no such file",
    ]


def test_logical_manifest_drops_only_what_the_writer_decides():
    manifest = json.loads((ROOT / "data" / "MANIFEST.json").read_text())
    logical = logical_manifest(manifest)
    assert "writer" not in logical
    assert logical["files"][0] == {
        "path": "articles/train-00000-of-00001.parquet",
        "config": "default",
        "rows": 2,
        "arrow_bytes": manifest["files"][0]["arrow_bytes"],
    }
    assert logical["counts"] == manifest["counts"]


@pytest.fixture(name="repo")
def _repo(tmp_path, monkeypatch):
    """A checkout in a temporary folder that the CLI's defaults point at."""
    root = checkout(tmp_path / "repo")
    corpus = corpus_copy(root / "corpus")
    shutil.copytree(ROOT / "data", root / "data")
    for module in (build_module, paths_module):
        monkeypatch.setattr(module, "repo_root", lambda: root)
        monkeypatch.setattr(module, "corpus_dir", lambda: corpus)
    monkeypatch.setenv("BELNEWS_ROOT", str(root))  # where the CLI looks for the checkout
    return root


def test_cli_build_check_passes_then_fails_after_a_change(repo):
    result = CliRunner().invoke(cli, ["build", "--check"])
    assert (result.exit_code, result.output) == (0, "the release matches the corpus\n")
    (repo / "corpus" / "records" / f"{RECORD_IDS[1]}.json").unlink()
    result = CliRunner().invoke(cli, ["build", "--check"])
    assert result.exit_code == 1
    assert "manifest counts.articles: committed 2, the corpus gives 1" in result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"the release does not match the corpus: {len(lines) - 1} difference(s)"
    assert "articles/train-00000-of-00001.parquet.rows: committed 2, the corpus gives 1" in lines


def test_cli_build_check_reports_stale_front_files(repo):
    readme = repo / "README.md"
    readme.write_text(readme.read_text().replace("num_examples: 2", "num_examples: 3", 1))
    result = CliRunner().invoke(cli, ["build", "--check"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "README.md: not what the release's manifest generates (run `belnews build`)"
    )


def test_cli_build_writes_the_shards_asked_for(repo):
    result = CliRunner().invoke(cli, ["build", "--max-shard-rows", "1"])
    assert result.exit_code == 0, result.output
    assert "articles/train-00001-of-00002.parquet: 1 rows" in result.output
    assert not (repo / "data" / "articles" / "train-00000-of-00001.parquet").exists()
    result = CliRunner().invoke(cli, ["build", "--check"])  # with the release's own limits
    assert (result.exit_code, result.output) == (0, "the release matches the corpus\n")


def test_a_rebuild_rewrites_only_the_files_whose_content_changed(repo):
    committed = json.loads((repo / "data" / "MANIFEST.json").read_text(encoding="utf-8"))
    if committed["writer"]["version"] != pyarrow.__version__:
        # another pyarrow writes other bytes: start from a release this one wrote
        assert CliRunner().invoke(cli, ["build"]).exit_code == 0
    files = sorted(p for p in repo.rglob("*") if p.is_file() and "corpus" not in p.parts)
    before = {p: p.stat().st_mtime_ns for p in files}
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert {p: p.stat().st_mtime_ns for p in files} == before
    # a changed note changes the articles shard, the manifest and croissant's checksums, but
    # not the spans, the citation, or the datasheet statistics
    path = repo / "corpus" / "records" / f"{RECORD_IDS[1]}.json"
    record = json.loads(path.read_text())
    record["quotes"][0]["note"] = "a new note"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    changed = sorted(
        p.relative_to(repo).as_posix() for p in files if p.stat().st_mtime_ns != before[p]
    )
    assert changed == [
        "README.md",
        "croissant.json",
        "data/MANIFEST.json",
        "data/articles/train-00000-of-00001.parquet",
    ]
