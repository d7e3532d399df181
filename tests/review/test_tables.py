"""The committed agreement and baseline tables are what the scorer computes now."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from belnews.cli import cli
from belnews.errors import RecordError
from belnews.review.tables import (
    agreement,
    baseline,
    embed,
    generated,
    set_records,
    suggested_records,
)
from conftest import CORPUS, ROOT


def test_embedded_tables_are_current():
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "tables", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output == "0 document(s) with stale tables: -\n"


def test_one_missing_quote_costs_exactly_its_share_of_recall(tmp_path: Path):
    """A hand-computed disagreement: set B is set A without one quote of one article."""
    sets = CORPUS / "annotation-sets"
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(sets / "annotator-a", a)
    shutil.copytree(sets / "annotator-a", b)
    path = b / "000_b610fad01348a5b2.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[quotes]]\nid = "q11"')  # «Go away!»: nothing points at it
    end = text.index("[[quotes]]", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    total = sum(len(r["quotes"]) for r in set_records(CORPUS, a))
    quotes = agreement(CORPUS, a, b).to_dict()["layers"]["quotes"]["spans"]["exact"]
    assert (quotes["tp"], quotes["pred"], quotes["gold"]) == (total - 1, total - 1, total)
    assert quotes["precision"] == 1.0
    assert quotes["recall"] == (total - 1) / total


def test_agreement_counts_are_the_two_sets_sizes():
    sets = CORPUS / "annotation-sets"
    a = set_records(CORPUS, sets / "annotator-a")
    b = set_records(CORPUS, sets / "annotator-b")
    spans = agreement(CORPUS, sets / "annotator-a", sets / "annotator-b").to_dict()["layers"]
    for layer in ("quotes", "figures", "entities"):
        assert spans[layer]["spans"]["exact"]["gold"] == sum(len(r[layer]) for r in a)
        assert spans[layer]["spans"]["exact"]["pred"] == sum(len(r[layer]) for r in b)


def test_the_baseline_predictions_do_not_depend_on_any_annotation_file(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = suggested_records(corpus)
    for path in (corpus / "annotations").glob("*.toml"):
        path.write_text("this is no TOML [", encoding="utf-8")  # unreadable if it were read
    assert suggested_records(corpus) == before
    assert sum(len(r["quotes"]) for r in before) > 0
    with pytest.raises(RecordError, match="invalid TOML"):
        baseline(corpus)  # the gold side does read them, and says so


def test_a_missing_set_is_a_clear_error(tmp_path: Path):
    with pytest.raises(RecordError, match="no annotation files"):
        set_records(CORPUS, tmp_path)


def test_embed_needs_its_markers():
    assert embed("a\n<!-- x:begin -->\nold\n<!-- x:end -->\n", "x", "new\n") == (
        "a\n<!-- x:begin -->\nnew\n<!-- x:end -->\n"
    )
    with pytest.raises(ValueError, match="no <!-- x:begin -->"):
        embed("nothing", "x", "new\n")


def test_generated_tables_name_their_sides():
    tables = generated(ROOT)
    assert "`annotator-b` against `annotator-a`" in tables["agreement"]
    assert "the rule pre-annotator against the gold" in tables["baseline"]


def test_write_and_check_exclude_each_other():
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "tables", "--write", "--check"])
    assert result.exit_code == 2
    assert "--write and --check exclude each other" in result.output
