"""belnews add: byte-exact raw file, metadata sidecar with evidence, duplicates and no overwrite."""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.cli import cli
from belnews.corpus.add import AddError, add_article, make_id, next_number
from belnews.corpus.store import regenerate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SEED = "000_b610fad01348a5b2"
ARTICLE = (
    "Belarus frees hundreds of detained protesters\r\n"
    "MINSK, Aug. 14, 2020 \u2014 Officials said on Friday that 1,000 people had been freed.\r\n"
    "\r\n"
    "\u2022 Visit Business Insider's homepage for more stories.\r\n"
    '"We will release everyone," the minister said.\r\n'
).encode()


@pytest.fixture(name="corpus")
def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


def _meta(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def test_add_stores_the_raw_bytes_and_names_them_by_number_and_hash(corpus):
    added = add_article(ARTICLE, corpus)
    digest = hashlib.sha256(ARTICLE).hexdigest()
    assert added.record_id == f"003_{digest[:16]}"
    assert (corpus / "raw" / f"{added.record_id}.txt").read_bytes() == ARTICLE
    assert added.sha256 == digest


def test_the_sidecar_fills_stated_values_and_marks_guesses_with_evidence(corpus):
    added = add_article(ARTICLE, corpus)
    meta = _meta(added.meta_path)
    assert isinstance(meta["text_rights"], str) and "Business Insider" in meta["text_rights"]
    assert meta["publisher"]["value"] == "Business Insider"
    assert meta["publisher"]["inferred"] is True
    assert "Visit Business Insider's homepage" in meta["publisher"]["evidence"]
    assert meta["headline"] == {
        "value": "Belarus frees hundreds of detained protesters",
        "inferred": True,
        "evidence": meta["headline"]["evidence"],
    }
    assert meta["date_published"]["value"] == "2020-08-14"
    assert meta["date_published"]["inferred"] is True
    assert "Aug. 14, 2020" in meta["date_published"]["evidence"]
    assert "value" not in meta["url"]
    assert meta["language"]["value"] == "en"


def test_the_report_lists_what_normalization_removed(corpus):
    report = add_article(ARTICLE, corpus).report()
    assert '[homepage-promo] "• Visit Business Insider\'s homepage for more stories."' in report
    assert "layout: 7 character(s) fewer (line ends, spaces, blank lines)" in report


def test_an_added_article_builds_a_record(corpus):
    added = add_article(ARTICLE, corpus)
    assert added.record_id in regenerate(corpus)
    assert (corpus / "records" / f"{added.record_id}.json").exists()


def test_a_duplicate_is_refused_with_the_id_that_holds_it(corpus):
    raw = (corpus / "raw" / f"{SEED}.txt").read_bytes()
    before = sorted(p.name for p in (corpus / "raw").iterdir())
    with pytest.raises(AddError, match=SEED):
        add_article(raw, corpus, record_id="999_other")
    assert sorted(p.name for p in (corpus / "raw").iterdir()) == before


def test_an_existing_id_is_never_overwritten(corpus):
    meta_before = (corpus / "meta" / f"{SEED}.toml").read_bytes()
    with pytest.raises(AddError, match="already exists"):
        add_article(ARTICLE, corpus, record_id=SEED)
    assert (corpus / "meta" / f"{SEED}.toml").read_bytes() == meta_before
    assert not list((corpus / "raw").glob(".*.tmp"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "empty"), (b"\xff\xfe bad", "not valid UTF-8"), (b"text", None)],
)
def test_bad_input_is_a_clear_error(corpus, raw, message):
    if message is None:
        with pytest.raises(AddError, match="invalid id"):
            add_article(raw, corpus, record_id="Bad Id")
    else:
        with pytest.raises(AddError, match=message):
            add_article(raw, corpus)


def test_next_number_follows_the_highest_existing_number(corpus):
    assert next_number(corpus) == 3
    assert make_id(corpus, b"x") == "003_" + hashlib.sha256(b"x").hexdigest()[:16]


def test_add_from_stdin_on_the_command_line(corpus):
    result = CliRunner().invoke(cli, ["add", "-", "--corpus", str(corpus)], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert "added 003_" in result.output
    assert "homepage-promo" in result.output
    again = CliRunner().invoke(cli, ["add", "-", "--corpus", str(corpus)], input=ARTICLE)
    assert again.exit_code == 1
    assert "already in the corpus as 003_" in again.output
    assert "Traceback" not in again.output


def test_an_unreadable_file_is_a_clear_error(corpus, tmp_path):
    result = CliRunner().invoke(
        cli, ["add", str(tmp_path / "missing.txt"), "--corpus", str(corpus)]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output


@settings(max_examples=30, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200))
def test_any_text_is_stored_byte_exact_or_refused_cleanly(text):
    raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        (corpus / "raw").mkdir()
        try:
            added = add_article(raw, corpus)
        except AddError:
            assert not list((corpus / "raw").iterdir())
            return
        assert added.raw_path.read_bytes() == raw
        assert tomllib.loads(added.meta_path.read_text(encoding="utf-8"))["text_rights"]
