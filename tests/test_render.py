"""Rendering for people: the review view of `belnews show` and issue lines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from belnews.check.report import github_line, issue_line
from belnews.cli import cli
from belnews.errors import Issue
from belnews.review.show import show_record, summary_table
from conftest import ROOT

CASES = ROOT / "tests" / "cases"


def test_show_marks_every_span_inline_and_lists_every_annotation():
    record = json.loads((CASES / "valid" / "tiny.json").read_text(encoding="utf-8"))
    golden = (ROOT / "tests" / "golden" / "tiny.show.txt").read_text(encoding="utf-8")
    assert show_record(record) == golden
    assert "“«We will release everyone by ⟦6 a.m.⟧{f1 time=None}»{q1},”" in golden


def test_show_can_limit_the_layers():
    record = json.loads((CASES / "valid" / "tiny.json").read_text(encoding="utf-8"))
    text = show_record(record, layers=["entities"])
    assert "[Yuri Karayev]{m2 PERSON c1}" in text
    assert "«" not in text and "⟦" not in text and "## quotes" not in text


def test_show_command_prints_a_corpus_article():
    result = CliRunner().invoke(cli, ["show", "002_a7d1dc08e0c5cbcf", "--layer", "quotes"])
    assert result.exit_code == 0
    assert "Another detained protesters told the BBC: «We were forced" in result.stdout
    assert "q5 direct:" in result.stdout and "repeats=q15" in result.stdout


def test_issue_lines_leave_out_what_is_unknown():
    issue = Issue("file-empty", "empty input", file="a.json")
    assert issue_line(issue) == "a.json: $: file-empty: empty input"
    warning = Issue(
        "figure-value-mismatch",
        "value 6 but …",
        severity="warning",
        record_id="r",
        path="$.figures[0]",
        file="b.jsonl",
        line=3,
    )
    assert issue_line(warning) == (
        "b.jsonl:3: r: $.figures[0]: figure-value-mismatch (warning): value 6 but …"
    )
    assert github_line(warning) == (
        "::warning file=b.jsonl,line=3,title=figure-value-mismatch::r $.figures[0]: value 6 but …"
    )


def test_summary_table_right_aligns_numbers():
    table = summary_table(
        {
            "per_article": [
                {
                    "id": "a",
                    "characters": 5,
                    "sections": 1,
                    "quotes": 0,
                    "figures": 12,
                    "entities": 3,
                    "clusters": 1,
                }
            ],
            "totals": {
                "characters": 5,
                "sections": 1,
                "quotes": 0,
                "figures": 12,
                "entities": 3,
                "clusters": 1,
            },
        }
    )
    assert table.splitlines() == [
        "article  characters  sections  quotes  figures  entities  clusters",
        "a                 5         1       0       12         3         1",
        "total             5         1       0       12         3         1",
    ]
