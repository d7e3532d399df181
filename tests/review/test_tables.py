"""The committed agreement and baseline tables are what the scorer computes now."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from belnews.cli import cli
from belnews.errors import RecordError
from belnews.review.tables import agreement, baseline, embed, generated, set_records
from conftest import CORPUS, ROOT


def test_embedded_tables_are_current():
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "tables", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output == "0 document(s) with stale tables: -\n"


def test_a_set_scored_against_itself_agrees_perfectly():
    sets = CORPUS / "annotation-sets"
    result = agreement(CORPUS, sets / "annotator-a", sets / "annotator-a").to_dict()
    for layer in ("quotes", "figures", "entities"):
        assert result["layers"][layer]["spans"]["exact"]["f1"] == 1.0
        for attr in result["layers"][layer]["attributes"].values():
            assert attr["correct"] == attr["total"]


def test_agreement_counts_are_the_two_sets_sizes():
    sets = CORPUS / "annotation-sets"
    a = set_records(CORPUS, sets / "annotator-a")
    b = set_records(CORPUS, sets / "annotator-b")
    spans = agreement(CORPUS, sets / "annotator-a", sets / "annotator-b").to_dict()["layers"]
    for layer in ("quotes", "figures", "entities"):
        assert spans[layer]["spans"]["exact"]["gold"] == sum(len(r[layer]) for r in a)
        assert spans[layer]["spans"]["exact"]["pred"] == sum(len(r[layer]) for r in b)


def test_baseline_reads_no_annotation_file(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = baseline(corpus).to_dict()["layers"]
    # the suggestions do not depend on the gold: with other gold they stay the same
    for path in (corpus / "annotations").glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8").split("# --- figures")[0])
    after = baseline(corpus).to_dict()["layers"]
    assert before["quotes"]["spans"]["exact"]["pred"] == after["quotes"]["spans"]["exact"]["pred"]
    assert after["figures"]["spans"]["exact"]["gold"] == 0


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
