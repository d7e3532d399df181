"""One folder per config, so tools pointed at data/ never mix the two tables; the card, the
wheel, Croissant and `belnews validate` know the layout."""

from __future__ import annotations

import json

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from belnews.cli import cli
from belnews.release.build import build
from belnews.release.shards import ShardLimits
from belnews.release.spans import span_schema
from belnews.schema.arrow import arrow_schema
from conftest import ALL_SPAN_ROWS, CORPUS, ROOT

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

DATA = ROOT / "data"


@pytest.fixture(name="sharded")
def _sharded(tmp_path):
    return build(CORPUS, tmp_path / "data", limits=ShardLimits(rows=1)).out_dir


@pytest.mark.parametrize("sharded_release", [False, True])
def test_each_config_folder_reads_as_one_table(sharded_release, request):
    data = request.getfixturevalue("sharded") if sharded_release else DATA
    articles = pads.dataset(data / "articles", format="parquet").to_table()
    spans = pads.dataset(data / "spans", format="parquet").to_table()
    assert sorted(articles["id"].to_pylist()) == ["000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf"]
    assert spans.num_rows == ALL_SPAN_ROWS
    assert articles.schema.names == arrow_schema().names
    assert spans.schema.names == span_schema().names


@pytest.mark.parametrize("sharded_release", [False, True])
def test_a_recursive_glob_finds_each_file_in_exactly_one_config(sharded_release, request):
    data = request.getfixturevalue("sharded") if sharded_release else DATA
    manifest = json.loads((data / "MANIFEST.json").read_text())
    config_of = {f["path"]: f["config"] for f in manifest["files"]}
    found = sorted(p.relative_to(data).as_posix() for p in data.glob("**/*.parquet"))
    assert found == sorted(config_of)
    schemas = {"default": arrow_schema(), "spans": span_schema()}
    for rel in found:
        folder = rel.split("/")[0]
        assert folder == {"default": "articles", "spans": "spans"}[config_of[rel]]
        names = pq.read_schema(data / rel).names
        matching = [c for c, schema in schemas.items() if schema.names == names]
        assert matching == [config_of[rel]], rel


def test_the_card_points_each_config_at_its_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    card = yaml.safe_load(readme.split("---\n")[1])
    assert [(c["config_name"], c["data_files"]) for c in card["configs"]] == [
        ("default", [{"split": "train", "path": "data/articles/train-*.parquet"}]),
        ("spans", [{"split": "train", "path": "data/spans/train-*.parquet"}]),
    ]


def test_the_wheel_takes_whole_config_folders():
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)
    included = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["data/articles"] == "belnews/_data/data/articles"
    assert included["data/spans"] == "belnews/_data/data/spans"
    assert included["data/MANIFEST.json"] == "belnews/_data/data/MANIFEST.json"
    assert not any(key.endswith(".parquet") for key in included)


def test_croissant_reads_each_config_from_its_folder():
    doc = json.loads((ROOT / "croissant.json").read_text(encoding="utf-8"))
    sets = [d for d in doc["distribution"] if d["@type"] == "cr:FileSet"]
    assert [(d["@id"], d["includes"]) for d in sets] == [
        ("default-parquet", "data/articles/train-*.parquet"),
        ("spans-parquet", "data/spans/train-*.parquet"),
    ]


def test_validate_says_in_one_line_that_a_spans_shard_is_a_spans_table():
    path = DATA / "spans" / "train-00000-of-00001.parquet"
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.stderr.splitlines() == [
        f"{path}: $: spans-table (warning): a spans table (the release's 'spans' config, one "
        "row per span), not article records: validate the articles shards, or check the whole "
        "release with `belnews build --check`"
    ]
    articles = CliRunner().invoke(cli, ["validate", str(DATA / "articles")])
    assert (articles.exit_code, articles.stdout) == (
        0,
        "2 record(s) checked, 0 error(s), 0 warning(s)\n",
    )


def test_a_missing_folder_and_a_missing_file_give_the_same_code(tmp_path):
    for missing in (tmp_path / "nope", tmp_path / "nope.json", tmp_path / "nope.parquet"):
        result = CliRunner().invoke(cli, ["validate", str(missing)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"{missing}: $: file-unreadable: cannot read: No such file or directory\n"
        )
