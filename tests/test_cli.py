"""The CLI: exit codes and exact output over the library functions."""

from __future__ import annotations

import json

from click.testing import CliRunner

from belnews.cli import cli
from conftest import CORPUS, RECORD_IDS


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_validate_the_corpus_by_default():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 record(s) checked, 0 error(s), 0 warning(s)\n"


def test_validate_reports_an_invalid_record_with_its_path(tmp_path, record):
    record["quotes"] = [] if not record["quotes"] else record["quotes"]
    record["sections"][0]["end"] = 10**6
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: {record['id']}: $.sections[0]: sections-invalid: " in result.stderr
    assert "Traceback" not in result.stderr


def test_records_check_finds_nothing_stale():
    result = run("records", "--check")
    assert result.exit_code == 0
    assert result.stdout == "0 record(s) stale: -\n"


def test_summary_json_counts_every_article():
    data = json.loads(run("summary", "--format", "json").stdout)
    assert [a["id"] for a in data["per_article"]] == list(RECORD_IDS)
    assert data["totals"]["characters"] == sum(
        len(json.loads((CORPUS / "records" / f"{r}.json").read_text())["text"]) for r in RECORD_IDS
    )


def test_show_unknown_record_is_a_clear_error():
    result = run("show", "nope")
    assert result.exit_code == 2  # an input that cannot be read
    assert "Error: no record 'nope'" in result.stderr
