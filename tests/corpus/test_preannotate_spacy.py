"""The spaCy adapter, exercised with a pipeline the test builds (no model download)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from belnews.cli import cli
from belnews.corpus.normalize import normalize_text
from belnews.corpus.preannotate.entities import (
    RecogniserError,
    SpacyRecogniser,
    cluster,
    get_recogniser,
)
from belnews.corpus.store import regenerate

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = [
    {"label": "PER", "pattern": "Ales Bialiatski"},
    {"label": "ORG", "pattern": [{"LOWER": "the"}, {"TEXT": "Viasna"}]},
    {"label": "ORG", "pattern": "Viasna"},
    {"label": "GPE", "pattern": "Minsk"},
    {"label": "CARDINAL", "pattern": [{"LIKE_NUM": True}]},
    {"label": "MISC", "pattern": "Belarusian"},
]


def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


def test_the_adapter_maps_labels_and_trims_names():
    text = (
        "Ales Bialiatski of the Viasna centre said 250 people were held in Minsk by "
        "Belarusian police."
    )
    norm = normalize_text(text)
    found = SpacyRecogniser(_nlp()).find(norm.text, norm.sections)
    assert [(norm.text[m.start : m.end], m.label) for m in found] == [
        ("Ales Bialiatski", "PERSON"),
        ("Viasna", "ORG"),
        ("Minsk", "GPE"),
    ]


def test_adapter_mentions_cluster_like_rule_mentions():
    text = "Viasna said Minsk was calm. Later Viasna said Minsk was not."
    norm = normalize_text(text)
    rec = SpacyRecogniser(_nlp())
    clusters = cluster(norm.text, norm.sections, rec.find(norm.text, norm.sections))
    assert [(c.label, c.name, len(c.mentions)) for c in clusters] == [
        ("ORG", "Viasna", 2),
        ("GPE", "Minsk", 2),
    ]
    assert rec.method == "model" and rec.annotator.startswith("spacy:en_pipeline@")


def test_a_missing_pipeline_is_a_clear_error():
    with pytest.raises(RecogniserError, match="not installed"):
        get_recogniser("spacy:no_such_pipeline_here")


def test_pre_annotate_runs_a_saved_pipeline_by_name(tmp_path):
    pipeline = tmp_path / "ruler_pipeline"
    _nlp().to_disk(pipeline)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    rid = "000_b610fad01348a5b2"
    (corpus / "annotations" / f"{rid}.toml").unlink()
    result = CliRunner().invoke(
        cli, ["pre-annotate", rid, "--model", f"spacy:{pipeline}", "--corpus", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    assert regenerate(corpus) == [rid]
    record = json.loads((corpus / "records" / f"{rid}.json").read_text(encoding="utf-8"))
    names = {m["text"]: m["origin"]["method"] for m in record["entities"]}
    assert names == {"Ales Bialiatski": "model", "Minsk": "model", "Viasna": "model"}
    assert {q["origin"]["method"] for q in record["quotes"]} == {"rule"}
