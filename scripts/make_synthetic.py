"""Generate a synthetic corpus of valid belnews records, for benchmarks.

Usage: python scripts/make_synthetic.py N OUT.jsonl [--seed S]

Records look like the real ones in size and shape: about 4,000 characters of text in
paragraphs, about 30 entity mentions in 8 clusters, 8 figures and 5 direct quotes, and 10% of
the records use non-ASCII names. Every record passes `belnews validate` (schema and semantic
checks); the text is nonsense assembled from a small vocabulary, so nobody mistakes it for data.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from belnews.schema.record import schema_version

FILLER = [
    "the",
    "committee",
    "reviewed",
    "a",
    "proposal",
    "about",
    "regional",
    "transport",
    "and",
    "budget",
    "was",
    "discussed",
    "at",
    "length",
    "while",
    "observers",
    "noted",
    "delays",
]
ASCII_PEOPLE = ["Anna Petrova", "Ivan Sokol", "Maria Lind", "Pavel Orlov", "Olga Brandt"]
NON_ASCII_PEOPLE = [
    "Алесь Бяляцкі",
    "Łukasz Żuk",
    "Sviatlana Cichanoŭskaja",
    "Jürgen Müße",
    "Zoë Ångström",
]
PLACES = ["Grodno", "Vitebsk", "Brest", "Gomel", "Mogilev"]
ORGS = ["Central Committee", "Transit Agency", "Press Office", "Harbour Authority"]
QUOTES = [
    "We will review every case before the end of the month.",
    "Nobody should be detained for speaking.",
    "The numbers will be published on Friday.",
    "We expect the committee to meet again soon.",
]


class _Doc:
    """Appends text and remembers spans by construction, so offsets are right by design."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.sections: list[dict[str, Any]] = []
        self.para_start = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def span(self, piece: str) -> dict[str, Any]:
        start, end = self.add(piece)
        return {"start": start, "end": end, "text": piece}

    def end_paragraph(self, last: bool) -> None:
        self.sections.append({"type": "paragraph", "start": self.para_start, "end": self.length})
        if not last:
            self.add("\n\n")
            self.para_start = self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


ORIGIN = {"method": "rule", "annotator": "make_synthetic.py", "status": "silver"}


def make_record(i: int, rng: random.Random) -> dict[str, Any]:
    people = list(NON_ASCII_PEOPLE if i % 10 == 0 else ASCII_PEOPLE)
    rng.shuffle(people)
    clusters = []
    names: list[tuple[str, str]] = []  # (surface, label)
    for k, name in enumerate(people[:3] + rng.sample(PLACES, 3) + rng.sample(ORGS, 2), start=1):
        label = "PERSON" if name in people else ("GPE" if name in PLACES else "ORG")
        clusters.append(
            {
                "id": f"c{k}",
                "label": label,
                "name": name,
                "wikidata": None,
                "nil_reason": "not_in_kb",
                "members": [],
                "note": None,
            }
        )
        names.append((name, label))
    doc = _Doc()
    entities: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []

    def mention(k: int) -> dict[str, Any]:
        surface, label = names[k]
        sp = doc.span(surface)
        entities.append(
            {
                "id": "",
                **sp,
                "label": label,
                "mention_type": "name",
                "cluster": f"c{k + 1}",
                "origin": ORIGIN,
                "note": None,
            }
        )
        return sp

    def filler(n: int) -> None:
        doc.add(" ".join(rng.choice(FILLER) for _ in range(n)))

    paragraphs = 8
    turn = iter(range(10**6))
    for p in range(paragraphs):
        doc.add("In ")
        mention(next(turn) % 8)
        doc.add(", ")
        filler(14)
        doc.add(" and ")
        mention(next(turn) % 8)
        doc.add(" said that ")
        value = rng.randrange(2, 90000)
        fsp = doc.span(f"{value:,}")
        doc.add(" ")
        measured = doc.span("people")
        figures.append(
            {
                "id": f"f{len(figures) + 1}",
                **fsp,
                "kind": "count",
                "value": str(value),
                "low": None,
                "high": None,
                "comparator": "eq",
                "unit": None,
                "iso": None,
                "anchor": None,
                "measured_entity": measured,
                "measured_property": None,
                "qualifier": None,
                "asserted_by": None,
                "as_of": None,
                "as_of_basis": None,
                "origin": ORIGIN,
                "note": None,
            }
        )
        doc.add(" were counted near ")
        mention(next(turn) % 8)
        doc.add(". ")
        if p < 5:
            k = rng.randrange(0, 3)
            open_mark = doc.span("“" if p % 2 else '"')
            content = doc.span(rng.choice(QUOTES))
            close_mark = doc.span("”" if p % 2 else '"')
            doc.add(", ")
            source = mention(k)
            doc.add(" ")
            cue = doc.span("said")
            doc.add(". ")
            quotes.append(
                {
                    "id": f"q{len(quotes) + 1}",
                    "kind": "direct",
                    "content": [content],
                    "marks": [{**open_mark, "role": "open"}, {**close_mark, "role": "close"}],
                    "cue": cue,
                    "source": source,
                    "source_kind": "named_person",
                    "speaker": f"c{k + 1}",
                    "addressee": None,
                    "channel": None,
                    "time": None,
                    "place": None,
                    "medium": "spoken",
                    "parent": None,
                    "repeats": [],
                    "likely_translated": False,
                    "origin": ORIGIN,
                    "note": None,
                }
            )
        filler(38)
        doc.add(".")
        doc.end_paragraph(last=p == paragraphs - 1)
    for n, m in enumerate(entities, start=1):
        m["id"] = f"m{n}"
    text = doc.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        "schema_version": schema_version(),
        "id": f"syn-{i:07d}",
        "metadata": {
            "publisher": {"value": "Synthetic", "inferred": False, "evidence": None},
            "headline": {"value": None, "inferred": False, "evidence": None},
            "date_published": {
                "value": "2020-08-14",
                "inferred": False,
                "evidence": None,
                "bound": "on",
            },
            "url": {"value": None, "inferred": False, "evidence": None},
            "language": {"value": "en", "inferred": False, "evidence": None},
            "image_credit": {"value": None, "inferred": False, "evidence": None},
            "text_rights": "Synthetic text generated for benchmarks; no rights reserved.",
        },
        "text": text,
        "sections": doc.sections,
        "provenance": {
            "raw_file": f"syn-{i:07d}.txt",
            "raw_sha256": digest,
            "text_sha256": digest,
            "normalization_version": "1",
            "offset_unit": "codepoint",
            "unicode_normalization": "NFC",
            "removed": [],
            "offset_map": [[0, len(text), 0, len(text)]],
        },
        "quotes": quotes,
        "figures": figures,
        "entities": entities,
        "clusters": clusters,
    }


def write_jsonl(n: int, path: Path, seed: int = 0) -> None:
    """Write ``n`` records, one per line, sorted by id."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(make_record(i, rng), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 0
    write_jsonl(int(args[0]), Path(args[1]), seed)
