"""ANNOTATION.md quotes the corpus truthfully, and covers every layer and label in use."""

from __future__ import annotations

import re

from conftest import ROOT

GUIDE = (ROOT / "ANNOTATION.md").read_text(encoding="utf-8")


def _normalize_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_quoted_example_occurs_in_a_record(records):
    corpus = " ".join(_normalize_ws(r["text"]) for r in records.values())
    prose = re.sub(r"`[^`\n]*`", "", GUIDE)  # code spans (the quotation-mark list) are not examples
    examples = re.findall(r"«(.+?)»", prose, re.S)
    assert len(examples) > 60
    missing = [e for e in examples if _normalize_ws(e) not in corpus]
    assert missing == []


def test_every_kind_and_label_in_the_corpus_is_documented(records):
    used = set()
    for r in records.values():
        used |= {f"`{q['kind']}`" for q in r["quotes"]}
        used |= {f"`{f['kind']}`" for f in r["figures"]}
        used |= {f"| {m['label']} |" for m in r["entities"]}
        used |= {f"`{q['source_kind']}`" for q in r["quotes"]}
    assert sorted(u for u in used if u not in GUIDE) == []
