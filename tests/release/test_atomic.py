"""The release is written whole or not at all: a build killed (SIGKILL) at any step of its
commit leaves the old or the new release, whole and loadable, and the next build cleans up;
two builds at once end with one whole release."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from release_helpers import checkout, corpus_copy, leftovers

import belnews
from belnews.release.build import build
from belnews.release.commit import PENDING, committed_dir
from belnews.release.shards import ShardLimits
from conftest import ALL_SPAN_ROWS, RECORD_IDS, ROOT, SPAN_ROWS

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")

BUILD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from belnews.release.build import build\n"
    "from belnews.release.shards import ShardLimits\n"
    "corpus, out, root, rows = sys.argv[1:]\n"
    "build(Path(corpus), Path(out), root=Path(root), limits=ShardLimits(rows=int(rows)))\n"
)


def run_build(corpus, out, root, rows, kill_at=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BELNEWS_KILL_AT_STEP", None)
    if kill_at is not None:
        env["BELNEWS_KILL_AT_STEP"] = str(kill_at)
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(corpus), str(out), str(root), str(rows)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def release_state(out):
    """(article ids, span rows) of the release load() sees; it must be whole and consistent."""
    articles = belnews.load(format="arrow", directory=out)
    spans = belnews.load(format="arrow", config="spans", directory=out)
    ids = articles["id"].to_pylist()
    assert sorted(set(spans["article_id"].to_pylist())) == ids
    return ids, spans.num_rows


OLD = (list(RECORD_IDS), ALL_SPAN_ROWS)  # both seed records, one article per shard
NEW = (list(RECORD_IDS[:1]), SPAN_ROWS[RECORD_IDS[0]])  # the first record only, one shard


def test_a_build_killed_at_every_step_leaves_the_old_or_the_new_release(tmp_path):
    root = checkout(tmp_path / "repo")
    out = root / "data"
    old_corpus = corpus_copy(tmp_path / "old")
    new_corpus = corpus_copy(tmp_path / "new", RECORD_IDS[:1])
    seen = []
    for step in range(1, 80):
        build(old_corpus, out, root=root, limits=ShardLimits(rows=1))
        assert release_state(out) == OLD and leftovers(out) == []
        readme = (root / "README.md").read_bytes()
        done = run_build(new_corpus, out, root, 100_000, kill_at=step)
        _stdout, stderr = done.communicate(timeout=120)
        if done.returncode == 0:  # the build got past its last step
            break
        assert done.returncode == -9, stderr.decode()
        state = release_state(out)
        assert state in (OLD, NEW), step
        seen.append(state)
        if state == OLD:  # not committed: what HF-style readers see is the old release too
            assert committed_dir(out) == out
            assert (root / "README.md").read_bytes() == readme
        # the next build finishes or clears what the killed one left
        build(new_corpus, out, root=root)
        assert release_state(out) == NEW
        assert leftovers(out) == []
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet")) == [
            "articles/train-00000-of-00001.parquet",
            "spans/train-00000-of-00001.parquet",
        ]
    else:
        pytest.fail("the build never finished")
    assert release_state(out) == NEW and leftovers(out) == []
    # killed before the commit point the old release stays, after it the new one
    assert seen[0] == OLD and seen[-1] == NEW
    first_new = seen.index(NEW)
    assert all(state == NEW for state in seen[first_new:])
    assert first_new == 2  # staged, flushed: old; renamed to .pending (step 3): new
    assert len(seen) > 10  # every file placed, every stale shard removed, was a step


def test_a_kill_after_the_commit_point_is_read_from_pending_until_rolled_forward(tmp_path):
    root = checkout(tmp_path / "repo")
    out = root / "data"
    build(corpus_copy(tmp_path / "old"), out, root=root, limits=ShardLimits(rows=1))
    new_corpus = corpus_copy(tmp_path / "new", RECORD_IDS[:1])
    done = run_build(new_corpus, out, root, 100_000, kill_at=3)  # just after the rename
    done.communicate(timeout=120)
    assert done.returncode == -9
    assert committed_dir(out) == out / PENDING
    assert release_state(out) == NEW
    # the folder itself still holds the old files: nothing was placed yet
    assert pq.read_table(out / "articles" / "train-00000-of-00002.parquet").num_rows == 1
    build(new_corpus, out, root=root)
    assert committed_dir(out) == out and leftovers(out) == []


def test_two_builds_at_once_end_with_one_whole_release(tmp_path):
    root = checkout(tmp_path / "repo")
    out = root / "data"
    first = run_build(corpus_copy(tmp_path / "a"), out, root, 1)
    second = run_build(corpus_copy(tmp_path / "b", RECORD_IDS[:1]), out, root, 100_000)
    for proc in (first, second):
        _stdout, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr.decode()
    assert release_state(out) in (OLD, NEW)
    assert leftovers(out) == []
    manifest = belnews.manifest(out)
    listed = sorted(f["path"] for f in manifest["files"])
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet")) == listed


def test_a_failed_build_into_a_new_folder_leaves_no_folder(tmp_path):
    corpus = corpus_copy(tmp_path / "corpus")
    (corpus / "records" / f"{RECORD_IDS[0]}.json").write_text("{", encoding="utf-8")
    with pytest.raises(belnews.BuildError):
        build(corpus, tmp_path / "data")
    assert not (tmp_path / "data").exists()
