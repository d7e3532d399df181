"""The shipped corpus: byte-exact raw files, reproducible records, provenance that holds."""

from __future__ import annotations

import hashlib

import pytest

from belnews.corpus.ingest import corpus_ids
from belnews.corpus.normalize import expand_offsets, normalize
from belnews.corpus.records import dumps
from belnews.corpus.store import regenerate
from conftest import CORPUS, RECORD_IDS, ROOT

#: SHA-256 of the seed files as received (the originals are not available at test time).
SEED_SHA256 = {
    "000_b610fad01348a5b2.txt": "a6404f1225c7f3082653ba097028e111a28b8326b12f82e87e281e6aa3a1545e",
    "002_a7d1dc08e0c5cbcf.txt": "8bd50fc0a710d94c52dad7618e0c42f1675bb115ba5102dc9fc39b065f53ef02",
}


def test_corpus_holds_exactly_the_seed_articles():
    assert tuple(corpus_ids(CORPUS)) == RECORD_IDS


@pytest.mark.parametrize("name", sorted(SEED_SHA256))
def test_raw_files_are_byte_exact_seeds(name):
    data = (CORPUS / "raw" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256[name]


def test_every_committed_record_is_exactly_what_the_sources_give():
    assert regenerate(CORPUS, check=True) == []


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_record_text_and_sections_are_reproducible_from_raw(records, record_id):
    record = records[record_id]
    raw = (CORPUS / "raw" / record["provenance"]["raw_file"]).read_bytes()
    norm = normalize(raw)
    assert record["text"] == norm.text
    assert record["sections"] == [
        {"type": s.type, "start": s.start, "end": s.end} for s in norm.sections
    ]
    assert record["provenance"]["raw_sha256"] == SEED_SHA256[record["provenance"]["raw_file"]]


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_removed_segments_and_offset_map_point_into_the_raw_text(records, record_id):
    record = records[record_id]
    raw = (CORPUS / "raw" / record["provenance"]["raw_file"]).read_bytes().decode("utf-8")
    for removed in record["provenance"]["removed"]:
        assert raw[removed["raw_start"] : removed["raw_end"]] == removed["text"]
    starts, ends = expand_offsets(record["provenance"]["offset_map"])
    text = record["text"]
    assert len(starts) == len(text)
    for i, ch in enumerate(text):
        piece = raw[starts[i] : ends[i]]
        assert piece == ch or (ch == " " and piece == "\u00a0") or (ch == "\n" and piece == "\n")


def test_record_files_are_canonical_json(records):
    for rid, record in records.items():
        assert (CORPUS / "records" / f"{rid}.json").read_text(encoding="utf-8") == dumps(record)


def test_seed_metadata_marks_inferred_values_with_evidence(records):
    meta = records["002_a7d1dc08e0c5cbcf"]["metadata"]
    assert meta["publisher"]["value"] == "Business Insider"
    assert meta["publisher"]["inferred"] is True
    assert "Visit Business Insider's homepage" in meta["publisher"]["evidence"]
    assert meta["date_published"] | {"evidence": None} == {
        "value": "2020-08-14",
        "inferred": True,
        "bound": "on",
        "evidence": None,
    }
    assert meta["url"]["value"] is None
    first = records["000_b610fad01348a5b2"]["metadata"]
    assert first["date_published"]["bound"] == "not-before"
    assert first["image_credit"] == {
        "value": "AP",
        "inferred": False,
        "evidence": "stated in the removed image-credit line",
    }
    assert first["publisher"]["value"] is None


def _copy_corpus(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


def test_malformed_annotation_file_is_a_clear_error(tmp_path):
    from belnews.errors import RecordError

    corpus = _copy_corpus(tmp_path)
    (corpus / "annotations" / "000_b610fad01348a5b2.toml").write_text("[[quotes]\nid = 1\n")
    with pytest.raises(RecordError, match=r"000_b610fad01348a5b2\.toml: invalid TOML"):
        regenerate(corpus, check=True)


def test_sidecar_without_text_rights_is_refused(tmp_path):
    from belnews.errors import RecordError

    corpus = _copy_corpus(tmp_path)
    (corpus / "meta" / "002_a7d1dc08e0c5cbcf.toml").write_text('[publisher]\nvalue = "X"\n')
    with pytest.raises(RecordError, match=r"`text_rights` .* is required"):
        regenerate(corpus, check=True)


def test_anchor_that_does_not_resolve_names_the_annotation(tmp_path):
    from belnews.errors import AnchorError

    corpus = _copy_corpus(tmp_path)
    path = corpus / "annotations" / "000_b610fad01348a5b2.toml"
    path.write_text(path.read_text().replace('cue = "shouted"', 'cue = "yelled"'))
    with pytest.raises(
        AnchorError, match=r"000_b610fad01348a5b2: q11\.cue: 'yelled' does not occur"
    ):
        regenerate(corpus, check=True)


def test_a_corrupted_record_file_is_an_error_not_a_traceback(tmp_path):
    import shutil

    from click.testing import CliRunner

    from belnews.cli import cli

    corpus = _copy_corpus(tmp_path)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")  # a checkout: corpus + schema
    (corpus / "records" / "000_b610fad01348a5b2.json").write_text("{ not json")
    for command in (["summary"], ["stats"]):
        result = CliRunner().invoke(cli, ["--root", str(tmp_path), *command])
        assert result.exit_code == 1
        assert "cannot read record" in result.stderr
        assert "Traceback" not in result.stderr
