"""`belnews evaluate` and `belnews review` through click (commands invoked directly)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from review_builders import mention, record

from belnews.review.cli import evaluate_cmd, review_cmd

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "corpus" / "records"
SEED = "002_a7d1dc08e0c5cbcf"


def test_evaluate_folder_against_jsonl(tmp_path: Path) -> None:
    jsonl = tmp_path / "gold.jsonl"
    jsonl.write_text(
        "\n".join(p.read_text(encoding="utf-8").replace("\n", "") for p in
                  sorted(RECORDS.glob("*.json"))) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(evaluate_cmd, [str(RECORDS), str(jsonl), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["only_in_pred"] == data["only_in_gold"] == []
    assert data["layers"]["entities"]["spans"]["exact+label"]["f1"] == 1.0
    assert data["layers"]["entities"]["coreference"]["muc"]["f1"] == 1.0


def test_evaluate_text_reports_a_missing_record() -> None:
    result = CliRunner().invoke(evaluate_cmd, [str(RECORDS / f"{SEED}.json"), str(RECORDS)])
    assert result.exit_code == 0, result.output
    assert "warning: only in gold: 000_b610fad01348a5b2" in result.output
    assert result.output.splitlines()[4].startswith("quotes    exact               1.000  0.660")


def test_evaluate_bad_input_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "a"}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(evaluate_cmd, [str(bad), str(RECORDS)])
    assert result.exit_code == 1
    assert "bad.jsonl, line 2: not valid JSON" in result.output
    assert "Traceback" not in result.output

    t = "Ann met Bob."
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text(json.dumps(record("r", t)), encoding="utf-8")
    b.write_text(json.dumps(record("r", t + " ")), encoding="utf-8")
    result = CliRunner().invoke(evaluate_cmd, [str(a), str(b)])
    assert result.exit_code == 1
    assert "record 'r': pred and gold have different text" in result.output


def test_review_writes_one_page(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(review_cmd, [SEED, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_review_with_silver(tmp_path: Path) -> None:
    t = "Ann met Bob."
    gold = record("r", t, entities=[mention(t, "m1", "Ann", "PERSON", "c1")])
    silver = record("r", t, entities=[mention(t, "m1", "Ann", "ORG", "c1")])
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "silver.json").write_text(json.dumps(silver), encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        review_cmd,
        [str(tmp_path / "gold.json"), "--silver", str(tmp_path / "silver.json"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "0 accepted, 1 changed, 0 added, 0 rejected" in out.read_text(encoding="utf-8")


def test_review_unknown_id() -> None:
    result = CliRunner().invoke(review_cmd, ["no_such_record"])
    assert result.exit_code == 1
    assert "no record 'no_such_record'" in result.output
