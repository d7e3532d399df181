"""Corpus statistics as plain data, and their text/Markdown renderings.

DATASHEET.md embeds the Markdown between ``<!-- stats:begin -->`` and ``<!-- stats:end -->``;
a test regenerates it and fails when the document is stale.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from . import __version__

BEGIN, END = "<!-- stats:begin -->", "<!-- stats:end -->"


class Stats:
    """Accumulates the statistics record by record (memory does not grow with the corpus)."""

    def __init__(self) -> None:
        self.articles = self.characters = self.tokens = 0
        self.counters: dict[str, Counter[str]] = {
            name: Counter()
            for name in (
                "sections",
                "removed",
                "quote_kind",
                "source_kind",
                "figure_kind",
                "mention_type",
                "label",
                "nil_reason",
            )
        }
        self.numbers: Counter[str] = Counter()

    def add(self, record: dict[str, Any]) -> None:
        from .training import TOKEN_PATTERN

        c, n = self.counters, self.numbers
        self.articles += 1
        self.characters += len(record["text"])
        self.tokens += len(TOKEN_PATTERN.findall(record["text"]))
        c["sections"].update(s["type"] for s in record["sections"])
        c["removed"].update(x["rule"] for x in record["provenance"]["removed"])
        for q in record["quotes"]:
            c["quote_kind"][q["kind"]] += 1
            c["source_kind"][q["source_kind"]] += 1
            n["with_speaker"] += q["speaker"] is not None
            n["likely_translated"] += q["likely_translated"]
            n["repeats"] += q["repeats"] is not None
        for f in record["figures"]:
            c["figure_kind"][f["kind"]] += 1
            n["asserted"] += f["asserted_by"] is not None
        for m in record["entities"]:
            c["mention_type"][m["mention_type"]] += 1
            if m["mention_type"] == "name":
                c["label"][m["label"]] += 1
        for cl in record["clusters"]:
            n["clusters"] += 1
            if cl["wikidata"] is None:
                c["nil_reason"][cl["nil_reason"]] += 1
            else:
                n["linked"] += 1

    def merge(self, other: Stats) -> None:
        """Add the counts of another accumulator (e.g. one filled in a worker process)."""
        self.articles += other.articles
        self.characters += other.characters
        self.tokens += other.tokens
        for name, counter in other.counters.items():
            self.counters[name].update(counter)
        self.numbers.update(other.numbers)

    def result(self) -> dict[str, Any]:
        c, n = self.counters, self.numbers

        def counts(name: str) -> dict[str, int]:
            return dict(sorted(c[name].items()))

        return {
            "corpus_version": __version__,
            "articles": self.articles,
            "characters": self.characters,
            "tokens": self.tokens,
            "sections": counts("sections"),
            "removed_segments": counts("removed"),
            "quotes": {
                "total": sum(c["quote_kind"].values()),
                "by_kind": counts("quote_kind"),
                "by_source_kind": counts("source_kind"),
                "with_speaker": n["with_speaker"],
                "likely_translated": n["likely_translated"],
                "repeats": n["repeats"],
            },
            "figures": {
                "total": sum(c["figure_kind"].values()),
                "by_kind": counts("figure_kind"),
                "asserted_by_a_source": n["asserted"],
            },
            "entities": {
                "mentions": sum(c["mention_type"].values()),
                "by_mention_type": counts("mention_type"),
                "names_by_label": counts("label"),
            },
            "clusters": {
                "total": n["clusters"],
                "wikidata_linked": n["linked"],
                "by_nil_reason": counts("nil_reason"),
            },
        }


def compute(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts over records: articles, tokens, sections, quotes, figures, entities, clusters."""
    stats = Stats()
    for record in records:
        stats.add(record)
    return stats.result()


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def rows(stats: dict[str, Any]) -> list[tuple[str, str]]:
    """(measure, value) rows shared by the text and Markdown renderings."""
    q, f, e, c = stats["quotes"], stats["figures"], stats["entities"], stats["clusters"]
    return [
        ("corpus version", stats["corpus_version"]),
        ("articles", str(stats["articles"])),
        ("characters", str(stats["characters"])),
        ("tokens (belnews.simple_tokenize)", str(stats["tokens"])),
        ("sections", _pairs(stats["sections"])),
        ("removed boilerplate segments", _pairs(stats["removed_segments"])),
        ("quotes", str(q["total"])),
        ("quotes by kind", _pairs(q["by_kind"])),
        ("quotes by source kind", _pairs(q["by_source_kind"])),
        ("quotes linked to a speaker cluster", str(q["with_speaker"])),
        ("quotes likely translated", str(q["likely_translated"])),
        ("quotes repeating another quote", str(q["repeats"])),
        ("figures", str(f["total"])),
        ("figures by kind", _pairs(f["by_kind"])),
        ("figures asserted by a quote or entity", str(f["asserted_by_a_source"])),
        ("entity mentions", str(e["mentions"])),
        ("entity mentions by type", _pairs(e["by_mention_type"])),
        ("named mentions by label", _pairs(e["names_by_label"])),
        ("entity clusters", str(c["total"])),
        ("clusters linked to Wikidata", str(c["wikidata_linked"])),
        ("clusters without a QID, by reason", _pairs(c["by_nil_reason"])),
    ]


def to_markdown(stats: dict[str, Any]) -> str:
    lines = ["| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows(stats)]
    return "\n".join(lines) + "\n"


def to_text(stats: dict[str, Any]) -> str:
    table = rows(stats)
    width = max(len(k) for k, _ in table)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in table) + "\n"


def with_stats(document: str, markdown: str) -> str:
    """Replace the block between the stats markers of a document."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(document):
        raise ValueError(f"the document has no {BEGIN} … {END} block")
    return pattern.sub(lambda _m: f"{BEGIN}\n{markdown}{END}", document, count=1)
