"""Training helpers: BIO tags from any offset tokenizer, quote/speaker pairs, collate."""

from __future__ import annotations

import pytest

from belnews.use.training import (
    BIO_TAGS,
    CONLL,
    bio_tags,
    collate,
    quote_speaker_pairs,
    simple_tokenize,
)


def tiny(text, mentions):
    ents = [
        {
            "id": f"m{i}",
            "start": s,
            "end": e,
            "text": text[s:e],
            "label": lab,
            "mention_type": kind,
            "cluster": "c1",
        }
        for i, (s, e, lab, kind) in enumerate(mentions, 1)
    ]
    return {"id": "t", "text": text, "entities": ents, "quotes": [], "clusters": []}


def test_simple_tokenize_keeps_inner_hyphens_and_splits_a_possessive():
    text = "Agence France-Presse's report, 6,000 people."
    assert [text[s:e] for s, e in simple_tokenize(text)] == [
        "Agence",
        "France-Presse",
        "'s",
        "report",
        ",",
        "6",
        ",",
        "000",
        "people",
        ".",
    ]


def test_bio_tags_on_the_default_tokenizer():
    record = tiny(
        "Yuri Karayev met the BBC in Minsk.",
        [(0, 12, "PERSON", "name"), (17, 24, "ORG", "nominal"), (28, 33, "GPE", "name")],
    )
    tagged = bio_tags(record)
    assert tagged.tags == ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-GPE", "O"]
    assert tagged.misaligned == []
    assert tagged.tag_ids == [BIO_TAGS.index(t) for t in tagged.tags]


def test_bio_tags_from_hf_style_offsets_with_special_tokens_and_misalignment():
    record = tiny("Belarusian cities", [(0, 7, "GPE", "name")])
    offsets = [(0, 0), (0, 10), (11, 17), (0, 0)]  # [CLS] Belarusian cities [SEP]
    tagged = bio_tags(record, offsets)
    assert tagged.tags == ["O", "B-GPE", "O", "O"]
    assert tagged.misaligned == ["m1"]


def test_bio_tags_with_the_conll_mapping():
    record = tiny("EU Council in Minsk", [(0, 10, "ORG", "name"), (14, 19, "GPE", "name")])
    assert bio_tags(record, label_map=CONLL).tags == ["B-ORG", "I-ORG", "O", "B-LOC"]


def test_bio_tags_on_a_shipped_article_are_aligned(records):
    tagged = bio_tags(records["002_a7d1dc08e0c5cbcf"])
    assert tagged.misaligned == []
    assert tagged.tags.count("B-GPE") == 9
    assert (
        sum(t.startswith("B-") for t in tagged.tags) == 26
    )  # 9 GPE, 11 ORG, 3 PERSON, 1 FAC, 2 NORP


def test_quote_speaker_pairs(records):
    pairs = quote_speaker_pairs(records["002_a7d1dc08e0c5cbcf"])
    assert len(pairs) == 32  # 35 quotes minus 3 partial fragments
    by_id = {p["quote_id"]: p for p in pairs}
    assert by_id["q26"] | {"content": None} == {
        "article_id": "002_a7d1dc08e0c5cbcf",
        "quote_id": "q26",
        "kind": "direct",
        "content": None,
        "content_spans": [(2847, 2936)],
        "source": "he",
        "source_kind": "pronoun",
        "speaker_cluster": "c4",
        "speaker_name": "Yuri Karayev",
        "speaker_wikidata": None,
        "repeats": [],
    }
    assert by_id["q19"]["content"].startswith("People are being beaten up")
    assert "Then they are taken" in by_id["q19"]["content"]


def test_collate_pads_with_minus_one(records):
    batch = collate([records["000_b610fad01348a5b2"], records["002_a7d1dc08e0c5cbcf"]])
    spans, mask = batch["entity_spans"], batch["entity_mask"]
    as_lists = spans.tolist() if hasattr(spans, "tolist") else spans
    mask_lists = mask.tolist() if hasattr(mask, "tolist") else mask
    assert batch["ids"] == ["000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf"]
    assert [sum(m) for m in mask_lists] == [27, 26]
    assert as_lists[0][0] == [23, 36, 4]  # United States, GPE
    assert all(
        row == [-1, -1, -1]
        for row, keep in zip(as_lists[0], mask_lists[0], strict=True)
        if not keep
    )


def test_collate_gives_tensors_with_torch():
    torch = pytest.importorskip("torch")
    batch = collate([tiny("Minsk", [(0, 5, "GPE", "name")]), tiny("x", [])])
    assert batch["entity_spans"].dtype == torch.long
    assert batch["entity_spans"].shape == (2, 1, 3)
    assert batch["entity_mask"].tolist() == [[True], [False]]
