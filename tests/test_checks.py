"""Every semantic check fires on a record broken in its way, and only the expected checks do."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable

import pytest

from belnews.check.conformance import schema_issues
from belnews.check.rules.__init__ import semantic_issues
from belnews.check.rules.base import CODES
from belnews.corpus.ingest import make_record
from conftest import committed_record

BASE = committed_record("002_a7d1dc08e0c5cbcf")


def _by_id(layer: list[dict], ident: str) -> dict:
    return next(item for item in layer if item["id"] == ident)


def _set_text(r: dict, pos: int, ch: str) -> None:
    r["text"] = r["text"][:pos] + ch + r["text"][pos + 1 :]
    r["provenance"]["text_sha256"] = hashlib.sha256(r["text"].encode()).hexdigest()


def _uncovered_space(r: dict) -> int:
    """Offset of the first space inside a section that no span covers."""
    covered = set()
    for layer in ("entities", "figures"):
        for sp in r[layer]:
            covered.update(range(sp["start"], sp["end"]))
    for q in r["quotes"]:
        for sp in [*q["content"], q["cue"], q["source"], q["addressee"], q["channel"]]:
            if sp is not None:
                covered.update(range(sp["start"], sp["end"]))
    return next(i for i, ch in enumerate(r["text"]) if ch == " " and i not in covered)


def _extend(span: dict, r: dict, *, start: int = 0, end: int = 0) -> None:
    span["start"] += start
    span["end"] += end
    span["text"] = r["text"][span["start"] : span["end"]]


def _figure(r, fid):
    return _by_id(r["figures"], fid)


def _mention(r, text, nth=1):
    return [m for m in r["entities"] if m["text"] == text][nth - 1]


MUTATIONS: dict[str, tuple[Callable[[dict], None], list[str]]] = {
    "span-out-of-bounds": (
        lambda r: _mention(r, "Lithuania").update(end=10**6),
        ["span-out-of-bounds"],
    ),
    "span-text-mismatch": (
        lambda r: r["entities"][0].update(text="Belaruz"),
        ["span-text-mismatch"],
    ),
    "span-whitespace-edge": (
        lambda r: _extend(_figure(r, "f1"), r, end=1),
        ["span-whitespace-edge"],
    ),
    "duplicate-id": (lambda r: r["figures"][1].update(id=r["figures"][0]["id"]), ["duplicate-id"]),
    "unknown-reference": (lambda r: r["quotes"][0].update(speaker="c99"), ["unknown-reference"]),
    "label-mismatch": (lambda r: r["entities"][0].update(label="ORG"), ["label-mismatch"]),
    "cluster-without-name": (
        lambda r: _mention(r, "Lithuania").update(mention_type="nominal"),
        ["cluster-without-name"],
    ),
    "cluster-unnamed-invalid": (
        lambda r: _by_id(r["clusters"], "c15").update(name=None),
        ["cluster-unnamed-invalid"],
    ),
    "overlap-crossing": (
        lambda r: _extend(_mention(r, "Alexander Barsukov"), r, end=5),
        ["overlap-crossing"],
    ),
    "overlap-duplicate": (
        lambda r: r["entities"].append({**r["entities"][0], "id": "m99"}),
        ["overlap-duplicate"],
    ),
    "figure-overlap": (
        lambda r: r["figures"].append(
            {
                **_figure(r, "f1"),
                "id": "f99",
                "start": _figure(r, "f1")["start"] + 3,
                "text": _figure(r, "f1")["text"][3:],
            }
        ),
        ["figure-overlap"],
    ),
    "sections-invalid": (
        lambda r: r["sections"][0].update(end=r["sections"][0]["end"] + 1),
        ["sections-invalid"],
    ),
    "span-crosses-section": (
        lambda r: _extend(_by_id(r["quotes"], "q3")["content"][0], r, end=10),
        ["span-crosses-section"],
    ),
    "text-not-nfc": (
        lambda r: _set_text(r, r["text"].index("Access") + 1, "\u212b"),
        ["text-not-nfc"],
    ),
    "text-hash-mismatch": (
        lambda r: r["provenance"].update(text_sha256="0" * 64),
        ["text-hash-mismatch"],
    ),
    "offset-map-invalid": (
        lambda r: r["provenance"]["offset_map"][1].__setitem__(0, 999),
        ["offset-map-invalid"],
    ),
    "figure-range": (lambda r: _figure(r, "f15").update(low="3"), ["figure-range"]),
    "mark-not-quotation": (
        lambda r: _by_id(r["quotes"], "q5")["marks"][0].update(start=399, end=400, text="W"),
        ["mark-not-quotation"],
    ),
    "quote-roles-apart": (
        lambda r: _by_id(r["quotes"], "q21").update(
            source={"start": 2035, "end": 2039, "text": "they"}
        ),
        ["quote-roles-apart"],
    ),
    "direct-quote-unmarked": (
        lambda r: _by_id(r["quotes"], "q30").update(marks=[]),
        ["direct-quote-unmarked"],
    ),
    "figure-value-mismatch": (
        lambda r: _figure(r, "f1").update(value="600"),
        ["figure-value-mismatch"],
    ),
    "mention-unannotated": (
        lambda r: r["entities"].remove(_mention(r, "Minsk", 2)),
        ["mention-unannotated"],
    ),
    "text-line-break": (
        lambda r: _set_text(r, _uncovered_space(r), "\u2028"),
        ["text-line-break"],
    ),
    "quote-parent-cycle": (
        lambda r: (
            r["quotes"][0].update(parent=r["quotes"][1]["id"]),
            r["quotes"][1].update(parent=r["quotes"][0]["id"]),
        ),
        ["quote-parent-cycle", "quote-parent-cycle"],
    ),
    "figure-value-outside-range": (
        lambda r: _figure(r, "f1").update(low="1", high="2"),
        ["figure-value-outside-range"],
    ),
    "date-invalid": (
        lambda r: r["metadata"]["date_published"].update(value="2021-02-29"),
        ["date-invalid"],
    ),
}


def codes(record: dict) -> list[str]:
    assert list(schema_issues(record)) == [], "a mutation must keep the record schema-valid"
    return sorted(issue.code for issue in semantic_issues(record))


def test_the_shipped_record_has_no_semantic_issue():
    assert codes(copy.deepcopy(BASE)) == []


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_each_check_fires_on_its_own_breakage(code):
    record = copy.deepcopy(BASE)
    mutate, expected = MUTATIONS[code]
    mutate(record)
    assert codes(record) == sorted(expected)


def test_grapheme_split_is_caught():
    record = make_record(
        "tiny",
        "Go to x\u0301yz now.".encode(),
        "tiny.txt",
        {"text_rights": "test"},
        {
            "clusters": [
                {"id": "c1", "label": "GPE", "name": "x", "nil_reason": "unsure", "mentions": ["x"]}
            ]
        },
    )
    assert record["entities"][0]["text"] == "x"
    assert codes(record) == ["span-splits-grapheme"]


def test_every_registered_code_has_a_failing_case():
    assert set(CODES) == set(MUTATIONS) | {"span-splits-grapheme"}


def test_issues_carry_the_path_and_the_values():
    record = copy.deepcopy(BASE)
    _figure(record, "f1").update(value="600")
    (issue,) = semantic_issues(record)
    assert issue.to_dict() == {
        "code": "figure-value-mismatch",
        "severity": "warning",
        "message": "value 600 but the text says 'At least 6,000'",
        "record_id": "002_a7d1dc08e0c5cbcf",
        "path": "$.figures[2].value",
        "file": None,
        "line": None,
        "expected": "6000",
        "found": "600",
    }
