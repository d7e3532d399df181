"""Hugging Face token classification: a ``datasets`` dataset of ``tokens`` + ``ner_tags``.

``ner_tags`` is a ``ClassLabel`` sequence over ``belnews.training.BIO_TAGS``; ``offsets``
keeps each token's character span so predictions map back to the text. Tokens come from a
fast tokenizer's offsets (a ``tokenizers.Tokenizer`` or a ``transformers`` fast tokenizer);
special tokens (empty offsets) are left out. Only name mentions are tags; the loss report
counts the rest (as for CoNLL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import LossReport, require
from .conll import name_loss, tagged

NAME = "hf"
EXTRA = "hf"


def offsets_of(tokenizer: Any) -> Any:
    """A text -> offsets function for a ``tokenizers.Tokenizer`` or a transformers fast one."""
    if tokenizer is None:
        return None
    if hasattr(tokenizer, "encode") and hasattr(tokenizer, "get_vocab_size"):
        return lambda text: [o for o in tokenizer.encode(text).offsets if o[1] > o[0]]
    return lambda text: [
        tuple(o)
        for o in tokenizer(text, return_offsets_mapping=True)["offset_mapping"]
        if o[1] > o[0]
    ]


def to_dataset(
    records: list[dict[str, Any]], tokenizer: Any = None
) -> tuple[Any, list[LossReport]]:
    """The dataset (one row per article) and a loss report per record."""
    datasets = require("datasets", EXTRA)
    from belnews.use.training import BIO_TAGS

    rows: dict[str, list[Any]] = {"id": [], "tokens": [], "ner_tags": [], "offsets": []}
    reports = []
    split = offsets_of(tokenizer)
    for record in records:
        offsets, tags, misaligned = tagged(record, split)
        loss = LossReport(NAME, record["id"])
        name_loss(record, loss, misaligned)
        reports.append(loss)
        rows["id"].append(record["id"])
        rows["tokens"].append([record["text"][s:e] for s, e in offsets])
        rows["ner_tags"].append([BIO_TAGS.index(t) for t in tags])
        rows["offsets"].append([[s, e] for s, e in offsets])
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=list(BIO_TAGS))),
            "offsets": datasets.Sequence(datasets.Sequence(datasets.Value("int32"), length=2)),
        }
    )
    return datasets.Dataset.from_dict(rows, features=features), reports


def export_many(
    records: list[dict[str, Any]], out: Path, tokenizer: Any = None
) -> list[LossReport]:
    """Save the dataset with ``save_to_disk`` into ``out/hf``."""
    dataset, reports = to_dataset(records, tokenizer)
    dataset.save_to_disk(str(Path(out) / "hf"))
    return reports


def export(record: dict[str, Any], out: Path, tokenizer: Any = None) -> LossReport:
    return export_many([record], out, tokenizer)[0]
