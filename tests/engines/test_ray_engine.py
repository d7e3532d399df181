"""The Ray Data engine agrees with the local engine, and ``ray_dataset()`` reads the release.

All tests share one local Ray instance (the session fixture ``ray_instance``)."""

from __future__ import annotations

import io
import json
import shutil
from functools import partial

import pytest
from click.testing import CliRunner

import belnews
from belnews.check.engines.pieces import checked_pieces
from belnews.check.engines.ray_data import RayEngine
from belnews.check.validate import check_units, iter_issues, validate_path
from belnews.cli import cli
from conftest import ALL_SPAN_ROWS, RECORD_IDS, ROOT
from engines.inputs import damaged_lines

CASES = ROOT / "tests" / "cases"

#: Ray Data warns about its own deprecated settings when it copies its context.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(name="engine")
def _engine(ray_instance):
    with RayEngine(workers=2) as engine:
        yield engine


def test_the_engine_keeps_task_order(engine):
    assert list(engine.map(abs, range(0, -40, -1))) == list(range(40))
    assert list(engine.map(abs, [])) == []


def test_an_engine_on_a_shared_instance_leaves_it_running(ray_instance):
    with RayEngine(workers=1) as engine:
        assert list(engine.map(len, ["ab", "c"])) == [2, 1]
    assert ray_instance.is_initialized()


def test_valid_corpus_gives_no_issue_on_both_engines(ray_instance, valid_jsonl):
    paths = [ROOT / "corpus" / "records", valid_jsonl, CASES / "valid"]
    local = validate_path(paths)
    ray = validate_path(paths, engine="ray", jobs=2)
    assert (ray.records, ray.issues) == (local.records, local.issues) == (19, [])


def test_damaged_jsonl_gives_the_same_issues_in_the_same_order(ray_instance, damaged_jsonl):
    local = list(iter_issues([damaged_jsonl]))
    ray = list(iter_issues([damaged_jsonl], engine="ray", jobs=2))
    assert ray == local
    assert [(i.line, i.code) for i in ray] == [
        (1, "invalid-json"),
        (4, "schema-enum"),
        (6, "span-text-mismatch"),
        (7, "not-an-object"),
        (9, "duplicate-key"),
        (10, "duplicate-record-id"),
        (11, "invalid-json"),
    ]


def test_damaged_jsonl_cut_into_many_pieces_on_ray(engine, damaged_jsonl):
    check = partial(check_units, raw_dir=None)
    local = [
        i for c in checked_pieces(engine, [damaged_jsonl], check, piece_bytes=1) for i in c.issues
    ]
    assert [(i.line, i.code) for i in local][-2:] == [(9, "duplicate-key"), (11, "invalid-json")]
    assert local == [i for i in iter_issues([damaged_jsonl]) if i.code != "duplicate-record-id"]


def test_every_case_and_stdin_agree(ray_instance, tmp_path):
    data = b"\n".join(damaged_lines()) + b"\n"
    paths = [CASES / "invalid", "-", tmp_path / "missing.jsonl"]
    local = list(iter_issues(paths, stdin=io.BytesIO(data)))
    ray = list(iter_issues(paths, stdin=io.BytesIO(data), engine="ray", jobs=0))
    assert ray == local
    assert len(ray) > 200  # every invalid case gives issues (the exact count grows with them)


def test_cli_engine_ray(ray_instance, damaged_jsonl):
    local = CliRunner().invoke(cli, ["validate", "--format", "json", str(damaged_jsonl)])
    ray = CliRunner().invoke(
        cli, ["validate", "--engine", "ray", "--format", "json", str(damaged_jsonl)]
    )
    assert ray.exit_code == local.exit_code == 1
    assert ray.output == local.output
    report = json.loads(ray.output)
    assert report["errors"] == 7
    assert [(i["line"], i["code"]) for i in report["issues"]][:2] == [
        (1, "invalid-json"),
        (4, "schema-enum"),
    ]


def test_ray_dataset_yields_the_release_records(ray_instance):
    dataset = belnews.ray_dataset()
    assert sorted(row["id"] for row in dataset.take_all()) == sorted(RECORD_IDS)
    assert dataset.count() == 2
    assert belnews.ray_dataset("spans").count() == ALL_SPAN_ROWS


def test_ray_dataset_reads_every_shard_the_manifest_lists(ray_instance, tmp_path):
    """A release in per-config folders with several shards reads the same way."""
    import pyarrow.parquet as pq

    from belnews.corpus.records import sha256_file

    table = pq.read_table(ROOT / "data" / "articles" / "train-00000-of-00001.parquet")
    (tmp_path / "articles").mkdir()
    files = []
    for i in range(2):
        path = tmp_path / "articles" / f"train-0000{i}-of-00002.parquet"
        pq.write_table(table.slice(i, 1), path)
        files.append(
            {
                "config": "default",
                "path": f"articles/train-0000{i}-of-00002.parquet",
                "rows": 1,
                "bytes": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        )
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"files": files}))
    rows = belnews.ray_dataset(directory=tmp_path).take_all()
    assert [row["id"] for row in rows] == table.column("id").to_pylist()


def test_ray_dataset_refuses_a_changed_file(ray_instance, tmp_path):
    import pyarrow.parquet as pq

    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "articles" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(path).slice(0, 1), path)  # still Parquet, one row short
    with pytest.raises(belnews.DataIntegrityError, match="does not match the manifest"):
        belnews.ray_dataset(directory=tmp_path / "data")
    assert belnews.ray_dataset(directory=tmp_path / "data", verify=False).count() == 1


# --- belnews build --engine ray -----------------------------------------------------------


def _release_tables(out):
    import pyarrow.parquet as pq

    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    return manifest["files"], {
        f["path"]: pq.read_table(out / f["path"]).to_pylist() for f in manifest["files"]
    }


def test_build_on_ray_writes_the_release_the_local_build_writes(
    ray_instance, tmp_path, monkeypatch
):
    from belnews.check.engines import ray_data
    from belnews.check.readers import iter_jsonl_items
    from belnews.release.build import build_from
    from engines.inputs import compact, renamed, write_jsonl

    monkeypatch.setattr(ray_data, "CHUNK", 2)  # five windows: three chunks, two boundaries
    records = [
        renamed(json.loads((ROOT / "corpus" / "records" / f"{rid}.json").read_text()), f"r{n:04d}")
        for n in range(550)
        for rid in RECORD_IDS
    ]
    records = sorted(
        (renamed(r, f"{r['id']}-{i}") for i, r in enumerate(records)), key=lambda r: r["id"]
    )
    path = write_jsonl(tmp_path / "in.jsonl", [compact(r) for r in records])
    local = build_from(iter_jsonl_items(path), tmp_path / "local")
    ray = build_from(iter_jsonl_items(path), tmp_path / "ray", engine="ray", jobs=2)
    assert ray.manifest["files"] == local.manifest["files"]  # same bytes: same checksums
    assert _release_tables(tmp_path / "ray") == _release_tables(tmp_path / "local")


def test_build_on_ray_checks_records_against_their_raw_files(ray_instance, tmp_path):
    from belnews.check.readers import iter_corpus_items
    from belnews.release.build import InvalidCorpusError, build_from

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    items = partial(iter_corpus_items, corpus / "records")
    local = build_from(items(), tmp_path / "local", raw_dir=corpus / "raw")
    ray = build_from(items(), tmp_path / "ray", raw_dir=corpus / "raw", engine="ray")
    assert ray.manifest["files"] == local.manifest["files"]
    raw = corpus / "raw" / f"{RECORD_IDS[0]}.txt"
    raw.write_bytes(raw.read_bytes() + b" ")  # the record no longer matches its raw file
    with pytest.raises(InvalidCorpusError, match="raw-hash-mismatch"):
        build_from(items(), tmp_path / "ray2", raw_dir=corpus / "raw", engine="ray")


def test_a_raw_folder_a_worker_cannot_see_stops_the_build(tmp_path):
    """A Ray worker on another node may not see the driver's raw folder: the window it is
    given says so instead of skipping the provenance checks."""
    from belnews.errors import BuildError
    from belnews.release.build import _prepare

    with pytest.raises(BuildError, match="not visible where the records are checked"):
        _prepare(([], tmp_path / "elsewhere"))


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_a_missing_raw_folder_stops_the_build_before_it_starts(ray_instance, tmp_path, engine):
    from belnews.check.readers import iter_corpus_items
    from belnews.errors import BuildError
    from belnews.release.build import build_from

    with pytest.raises(BuildError, match="elsewhere: no such folder"):
        build_from(
            iter_corpus_items(ROOT / "corpus" / "records"),
            tmp_path / "out",
            raw_dir=tmp_path / "elsewhere",
            engine=engine,
        )
    assert not (tmp_path / "out").exists()


def test_build_on_ray_refuses_an_invalid_corpus_as_the_local_build_does(ray_instance, tmp_path):
    from belnews.check.readers import iter_jsonl_items
    from belnews.release.build import InvalidCorpusError, build_from
    from engines.inputs import write_jsonl

    path = write_jsonl(tmp_path / "in.jsonl", damaged_lines())
    messages = []
    for engine, out in (("local", "a"), ("ray", "b")):
        with pytest.raises(InvalidCorpusError) as caught:
            build_from(iter_jsonl_items(path), tmp_path / out, engine=engine)
        messages.append(str(caught.value).replace(str(tmp_path / out), "OUT"))
        assert not (tmp_path / out).exists()
    assert messages[0] == messages[1]


def test_cli_build_check_on_ray_matches_the_committed_release(ray_instance):
    result = CliRunner().invoke(
        cli, ["--root", str(ROOT), "build", "--check", "--engine", "ray"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("the release matches the corpus")


def test_cli_build_address_needs_the_ray_engine():
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "build", "--address", "auto"])
    assert result.exit_code == 2
    assert "--address needs --engine ray" in result.output
