"""Helpers that turn records into what training code consumes.

- :func:`bio_tags`: token-level BIO tags for the entity layer, from any tokenizer that gives
  character offsets (a fast Hugging Face tokenizer's ``offset_mapping``, or
  :func:`simple_tokenize`, shipped as the default);
- :func:`quote_speaker_pairs`: one example per attribution for speaker-attribution models;
- :func:`collate`: a ``collate_fn`` for a PyTorch ``DataLoader`` (tensors when torch is
  installed, plain lists otherwise).

Everything accepts a record dict (as in the Parquet rows) or a :class:`belnews.model.Article`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from belnews.corpus.tokens import simple_tokenize
from belnews.use.model import Article

ENTITY_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
#: BIO tag inventory in a fixed order: "O", then B-/I- per label. Index = tag id.
BIO_TAGS = ("O", *(f"{p}-{label}" for label in ENTITY_LABELS for p in ("B", "I")))
CONLL = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}

#: Words (with inner hyphens/apostrophes) or single non-space symbols.
def _record(item: dict[str, Any] | Article) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, Article) else item


@dataclass(frozen=True)
class Tagged:
    """BIO tags for some tokens, and the mentions whose edges fall inside a token."""

    offsets: list[tuple[int, int]]
    tags: list[str]
    misaligned: list[str]

    @property
    def tag_ids(self) -> list[int]:
        return [BIO_TAGS.index(t) for t in self.tags]


def bio_tags(
    item: dict[str, Any] | Article,
    offsets: Sequence[tuple[int, int]] | None = None,
    *,
    label_map: dict[str, str] | None = None,
) -> Tagged:
    """BIO tags of the *name* mentions over tokens given by character offsets.

    Special tokens with an empty offset (``(0, 0)`` in Hugging Face offset mappings) get
    "O". A mention whose start or end falls inside a token is still tagged on the tokens it
    overlaps, and its id is listed in ``misaligned`` instead of being dropped silently.
    ``label_map`` maps labels (e.g. :data:`CONLL`); labels mapped to None are left out.
    """
    record = _record(item)
    offsets = list(offsets) if offsets is not None else simple_tokenize(record["text"])
    tags = ["O"] * len(offsets)
    misaligned: list[str] = []
    for m in record["entities"]:
        if m["mention_type"] != "name":
            continue
        label = m["label"] if label_map is None else label_map.get(m["label"])
        if label is None:
            continue
        inside = [
            i for i, (s, e) in enumerate(offsets) if e > s and s < m["end"] and e > m["start"]
        ]
        if not inside:
            misaligned.append(m["id"])
            continue
        first, last = offsets[inside[0]], offsets[inside[-1]]
        if first[0] != m["start"] or last[1] != m["end"]:
            misaligned.append(m["id"])
        for k, i in enumerate(inside):
            tags[i] = f"{'B' if k == 0 else 'I'}-{label}"
    return Tagged([tuple(o) for o in offsets], tags, misaligned)


def quote_speaker_pairs(item: dict[str, Any] | Article) -> list[dict[str, Any]]:
    """One example per attribution (partial fragments left out): what was said, by whom.

    Each pair has the quote id, kind, content text, source text and kind, the speaker's
    cluster id, canonical name and Wikidata QID (or None), and the article id.
    """
    record = _record(item)
    clusters = {c["id"]: c for c in record["clusters"]}
    pairs = []
    for q in record["quotes"]:
        if q["kind"] == "partial":
            continue
        speaker = clusters.get(q["speaker"]) if q["speaker"] else None
        pairs.append(
            {
                "article_id": record["id"],
                "quote_id": q["id"],
                "kind": q["kind"],
                "content": " ".join(f["text"] for f in q["content"]),
                "content_spans": [(f["start"], f["end"]) for f in q["content"]],
                "source": q["source"]["text"] if q["source"] else None,
                "source_kind": q["source_kind"],
                "speaker_cluster": q["speaker"],
                "speaker_name": speaker["name"] if speaker else None,
                "speaker_wikidata": speaker["wikidata"] if speaker else None,
                "repeats": q["repeats"],
            }
        )
    return pairs


def collate(batch: Sequence[dict[str, Any] | Article]) -> dict[str, Any]:
    """Batch records for a PyTorch ``DataLoader``.

    Returns ids and texts as lists, and the entity name spans as ``entity_spans`` of shape
    (batch, max_mentions, 3) holding ``[start, end, label_id]`` padded with -1, plus a boolean
    ``entity_mask``. With torch installed the two are tensors, otherwise nested lists.
    """
    records = [_record(b) for b in batch]
    spans = [
        [
            [m["start"], m["end"], ENTITY_LABELS.index(m["label"])]
            for m in r["entities"]
            if m["mention_type"] == "name"
        ]
        for r in records
    ]
    width = max((len(s) for s in spans), default=0)
    padded = [s + [[-1, -1, -1]] * (width - len(s)) for s in spans]
    mask = [[True] * len(s) + [False] * (width - len(s)) for s in spans]
    out: dict[str, Any] = {
        "ids": [r["id"] for r in records],
        "texts": [r["text"] for r in records],
        "entity_spans": padded,
        "entity_mask": mask,
    }
    try:
        import torch
    except ImportError:
        return out
    out["entity_spans"] = torch.tensor(padded, dtype=torch.long).reshape(len(records), width, 3)
    out["entity_mask"] = torch.tensor(mask, dtype=torch.bool).reshape(len(records), width)
    return out
