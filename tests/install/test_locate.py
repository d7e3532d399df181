"""Commands find their corpus the way git finds its repository (issue 12, 'the installed
wheel'): --root, else BELNEWS_ROOT, else the checkout around the current folder, else the
installed release for the commands that can answer from it, else exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from belnews._paths import (
    NEEDS_CHECKOUT,
    ROOT_ENV,
    LocateError,
    data_dir,
    find_checkout,
    is_checkout,
    locate,
    release_files,
)
from belnews.cli import cli
from conftest import RECORD_IDS, ROOT


def make_checkout(folder):
    (folder / "corpus" / "records").mkdir(parents=True)
    (folder / "schema").mkdir()
    (folder / "schema" / "article.schema.json").write_text("{}", encoding="utf-8")
    return folder


def test_a_checkout_is_known_by_its_records_folder_and_schema(tmp_path):
    assert is_checkout(ROOT)
    assert not is_checkout(tmp_path)
    (tmp_path / "corpus" / "records").mkdir(parents=True)
    assert not is_checkout(tmp_path)  # no schema yet
    make_checkout(tmp_path / "other")
    assert is_checkout(tmp_path / "other")


def test_the_nearest_checkout_above_the_folder_is_found(tmp_path):
    outer = make_checkout(tmp_path / "outer")
    inner = make_checkout(outer / "nested" / "inner")
    deep = inner / "corpus" / "records" / "x"
    deep.mkdir()
    assert find_checkout(deep) == inner.resolve()
    assert find_checkout(outer / "nested") == outer.resolve()
    assert find_checkout(tmp_path) is None


def test_locate_order_root_then_environment_then_cwd_then_release(tmp_path):
    a, b, c = (make_checkout(tmp_path / n) for n in "abc")
    env = {ROOT_ENV: str(b)}
    assert locate(a, environ=env, cwd=c) == locate(a, environ={}, cwd=tmp_path)
    assert locate(a, environ=env, cwd=c).checkout == a.resolve()
    assert locate(a, environ=env, cwd=c).how == "--root"
    assert locate(None, environ=env, cwd=c).checkout == b.resolve()
    assert locate(None, environ=env, cwd=c).how == ROOT_ENV
    assert locate(None, environ={ROOT_ENV: ""}, cwd=c).checkout == c.resolve()
    released = locate(None, environ={}, cwd=tmp_path)
    assert released.checkout is None and released.data == data_dir()
    with pytest.raises(LocateError, match=NEEDS_CHECKOUT):
        released.require_checkout()
    with pytest.raises(LocateError, match=NEEDS_CHECKOUT):
        _ = released.corpus


def test_a_root_that_is_no_checkout_is_an_error_not_a_fallback(tmp_path):
    with pytest.raises(LocateError, match=r"--root '.*' is not a belnews checkout"):
        locate(tmp_path, environ={}, cwd=ROOT)
    with pytest.raises(LocateError, match=rf"{ROOT_ENV} '.*' is not a belnews checkout"):
        locate(None, environ={ROOT_ENV: str(tmp_path)}, cwd=ROOT)


def test_release_files_come_from_the_manifest(tmp_path):
    shard = ROOT / "data" / "articles" / "train-00000-of-00001.parquet"
    assert release_files(ROOT / "data") == [shard]
    with pytest.raises(LocateError, match="no readable release manifest"):
        release_files(tmp_path)
    (tmp_path / "MANIFEST.json").write_text('{"files": []}', encoding="utf-8")
    with pytest.raises(LocateError, match="lists no file for config 'default'"):
        release_files(tmp_path)


@pytest.fixture(name="outside")
def _outside(tmp_path, monkeypatch):
    """Run in a folder outside any checkout, with no BELNEWS_ROOT."""
    monkeypatch.delenv(ROOT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def inside(*args):
    """The same command in the checkout, for comparison."""
    import os

    here = os.getcwd()
    try:
        os.chdir(ROOT)
        return run(*args)
    finally:
        os.chdir(here)


@pytest.mark.parametrize(
    "args",
    [
        ("summary",),
        ("summary", "--format", "json"),
        ("stats", "--format", "json"),
        ("stats", "--format", "markdown"),
        ("show", RECORD_IDS[0]),
        ("show", RECORD_IDS[1], "--layer", "figures"),
    ],
)
def test_outside_a_checkout_the_release_gives_the_checkouts_answer(outside, args):
    found, expected = run(*args), inside(*args)
    assert found.exit_code == expected.exit_code == 0, found.output
    assert found.stdout == expected.stdout
    note = f"belnews: no checkout here; reading the installed release in {data_dir()}\n"
    assert found.stderr == note
    assert len(found.stdout.splitlines()) >= 4  # a real answer, not an empty table


def test_outside_a_checkout_validate_checks_the_release(outside):
    found = run("validate")
    assert found.exit_code == 0, found.output
    assert found.stdout == "2 record(s) checked, 0 error(s), 0 warning(s)\n"


def test_outside_a_checkout_show_of_an_unknown_id_fails(outside):
    found = run("show", "no_such_id")
    assert found.exit_code == 2  # no such record: a usage error, not invalid data
    assert f"no record 'no_such_id' in {data_dir()}" in found.stderr


@pytest.mark.parametrize("args", [("records",), ("records", "--check"), ("build",)])
def test_commands_that_need_the_source_corpus_stop_with_exit_2(outside, args):
    found = run(*args)
    assert found.exit_code == 2
    assert found.stdout == ""
    assert found.stderr == f"Error: {NEEDS_CHECKOUT}\n"


def test_root_and_environment_reach_a_checkout_from_outside(outside):
    expected = "0 record(s) stale: -\n"
    assert run("--root", str(ROOT), "records", "--check").stdout == expected
    assert run("records", "--check", env={ROOT_ENV: str(ROOT)}).stdout == expected
    found = run("--root", str(ROOT), "summary")
    assert found.stderr == "" and found.stdout == inside("summary").stdout


def test_a_root_that_is_no_checkout_exits_2(outside):
    found = run("--root", str(outside), "summary")
    assert found.exit_code == 2
    assert "is not a belnews checkout" in found.stderr
    found = run("summary", env={ROOT_ENV: str(outside)})
    assert found.exit_code == 2


def test_validate_of_a_release_without_manifest_exits_2(outside, monkeypatch):
    import belnews._paths as paths

    monkeypatch.setattr(paths, "data_dir", lambda: outside)
    found = run("validate")
    assert found.exit_code == 2
    assert f"{outside / 'MANIFEST.json'}: no readable release manifest" in found.stderr
