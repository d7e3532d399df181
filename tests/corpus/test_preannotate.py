"""belnews pre-annotate: silver suggestions that ingest, validate, never leak, never overwrite."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from belnews.check.validate import validate_path
from belnews.cli import cli
from belnews.corpus.ingest import load_toml
from belnews.corpus.preannotate import preannotate, suggest_article
from belnews.corpus.store import regenerate

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf")


@pytest.fixture(name="bare")
def _bare(tmp_path: Path) -> Path:
    """A copy of the corpus with the gold annotations and records removed."""
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    for path in [*(folder / "annotations").iterdir(), *(folder / "records").iterdir()]:
        path.unlink()
    return folder


@pytest.fixture(name="gold")
def _gold(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


def _origins(record_path: Path) -> list[dict]:
    record = json.loads(record_path.read_text(encoding="utf-8"))
    return [a["origin"] for layer in ("quotes", "figures", "entities") for a in record[layer]]


def test_suggestions_on_both_seeds_ingest_and_validate(bare):
    for rid in SEEDS:
        result = preannotate(bare, rid)
        assert result.created
    assert regenerate(bare) == list(SEEDS)
    report = validate_path([bare / "records"])
    assert report.exit_status(strict=True) == 0, [i.message for i in report.issues]
    for rid in SEEDS:
        table = load_toml(bare / "annotations" / f"{rid}.toml")
        assert table["quotes"] and table["figures"] and table["clusters"]
        origins = _origins(bare / "records" / f"{rid}.json")
        assert {o["status"] for o in origins} == {"silver"}
        assert {o["method"] for o in origins} == {"rule"}


def test_the_suggester_never_opens_the_articles_own_annotation_file(gold):
    """No leakage: with the gold file present, suggesting opens only the raw file."""
    opened: list[str] = []
    watching = [True]

    def hook(event: str, args: tuple) -> None:
        if watching[0] and event == "open" and isinstance(args[0], (str, Path)):
            opened.append(str(args[0]))

    sys.addaudithook(hook)
    try:
        text, with_gold = suggest_article(gold, SEEDS[1])
    finally:
        watching[0] = False
    assert not [p for p in opened if "annotations" in p]
    assert any(p.endswith(f"raw/{SEEDS[1]}.txt") for p in opened)
    (gold / "annotations" / f"{SEEDS[1]}.toml").unlink()
    assert suggest_article(gold, SEEDS[1]) == (text, with_gold)


def test_a_person_s_annotations_are_kept_and_only_new_suggestions_added(gold):
    path = gold / "annotations" / f"{SEEDS[1]}.toml"
    before = path.read_bytes()
    gold_table = load_toml(path)
    result = preannotate(gold, SEEDS[1])
    after = path.read_bytes()
    assert after.startswith(before.rstrip(b"\n"))
    merged = load_toml(path)
    for layer in ("quotes", "figures", "clusters"):
        assert merged[layer][: len(gold_table[layer])] == gold_table[layer]
    added = merged["quotes"][len(gold_table["quotes"]) :]
    assert all(q["status"] == "silver" for q in added)
    assert [q["id"] for q in added] == [f"q{36 + i}" for i in range(len(added))]
    assert result.present == {"quotes": 35, "figures": 32, "clusters": 24, "mentions": 61}
    regenerate(gold)
    assert validate_path([gold / "records"]).exit_status() == 0
    again = preannotate(gold, SEEDS[1])
    assert not any(again.added.values())
    assert "nothing new to add" in again.report()
    assert path.read_bytes() == after


def test_rerunning_on_its_own_output_adds_nothing(bare):
    preannotate(bare, SEEDS[0])
    path = bare / "annotations" / f"{SEEDS[0]}.toml"
    first = path.read_bytes()
    result = preannotate(bare, SEEDS[0])
    assert result.added == {"quotes": 0, "figures": 0, "clusters": 0, "mentions": 0}
    assert path.read_bytes() == first


def test_the_command_line_writes_and_reports(bare):
    result = CliRunner().invoke(cli, ["pre-annotate", *SEEDS, "--corpus", str(bare)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "quotes" in result.output
    missing = CliRunner().invoke(cli, ["pre-annotate", "nope", "--corpus", str(bare)])
    assert missing.exit_code == 1
    assert "nope" in missing.output and "cannot read" in missing.output
    unknown = CliRunner().invoke(
        cli, ["pre-annotate", SEEDS[0], "--model", "bert", "--corpus", str(bare)]
    )
    assert unknown.exit_code == 1
    assert "unknown model 'bert'" in unknown.output


def test_an_existing_file_that_does_not_resolve_is_a_clear_error(bare):
    path = bare / "annotations" / f"{SEEDS[0]}.toml"
    path.write_text('[[quotes]]\nid = "q1"\nkind = "direct"\ncontent = "no such words"\n')
    result = CliRunner().invoke(cli, ["pre-annotate", SEEDS[0], "--corpus", str(bare)])
    assert result.exit_code == 1
    assert "does not resolve" in result.output and str(path) in result.output
    assert "Traceback" not in result.output
