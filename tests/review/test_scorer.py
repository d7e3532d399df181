"""The scorer on hand-built records whose every number is worked out in the comments, plus
properties: a record set scored against itself is perfect; swapping sides swaps P and R."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_builders import cluster, figure, mention, quote, record

from belnews.review.match import match
from belnews.review.score import ScoreError, b_cubed, cohen_kappa, muc, render_text, score

TEXT = (
    'Ann Lee said "Prices rose 5%." Bob said that over 20 people came. '
    "The city of Rome grew. Lee left."
)


def gold_record() -> dict:
    t = TEXT
    return record(
        "r1",
        t,
        quotes=[
            quote(t, "q1", "Prices rose 5%.", cue="said", source="Ann Lee",
                  source_kind="named_person", speaker="c1"),
            quote(t, "q2", "over 20 people came", kind="indirect", cue=("said", 2), source="Bob",
                  source_kind="named_person", speaker="c2"),
        ],
        figures=[
            figure(t, "f1", "5%", kind="percent", value="5", unit="%", asserted_by="q1"),
            figure(t, "f2", "over 20", value="20", comparator="gt", asserted_by="q2"),
        ],
        entities=[
            mention(t, "m1", "Ann Lee", "PERSON", "c1"),
            mention(t, "m2", "Bob", "PERSON", "c2"),
            mention(t, "m3", "The city of Rome", "GPE", "c3", mention_type="nominal"),
            mention(t, "m4", "Rome", "GPE", "c3"),
            mention(t, "m5", "Lee", "PERSON", "c1", 2),
        ],
        clusters=[cluster("c1", "PERSON", "Ann Lee"), cluster("c2", "PERSON", "Bob"),
                  cluster("c3", "GPE", "Rome")],
    )


def pred_record() -> dict:
    t = TEXT
    return record(
        "r1",
        t,
        quotes=[
            # Overlaps gold q1 (no final period): an overlap match, not an exact one.
            quote(t, "q1", "Prices rose 5%", cue="said", source="Ann Lee",
                  source_kind="named_person", speaker="c7"),
            # Exact content, but wrong kind, no source and no speaker.
            quote(t, "q2", "over 20 people came", cue=("said", 2)),
            # Spurious.
            quote(t, "q3", "The city of Rome grew", kind="indirect"),
        ],
        figures=[
            figure(t, "f1", "5%", kind="percent", value="5.0", unit="%", asserted_by="q1"),
            figure(t, "f2", "20", value="20"),  # overlap only; comparator and asserter missed
        ],
        entities=[
            mention(t, "m1", "Ann Lee", "PERSON", "c7"),
            mention(t, "m2", "Bob", "ORG", "c8"),  # wrong label
            mention(t, "m3", "Rome", "GPE", "c8"),  # wrongly merged with Bob
            mention(t, "m4", "Prices", "ORG", "c9"),  # spurious
            mention(t, "m5", "Lee", "PERSON", "c7", 2),
        ],
        clusters=[cluster("c7", "PERSON", "Ann Lee"), cluster("c8", "ORG", "Bob"),
                  cluster("c9", "ORG", "Prices")],
    )


@pytest.fixture(name="result")
def _result() -> dict:
    return score([pred_record()], [gold_record()]).to_dict()


def prf(p: float | None, r: float | None, f: float | None) -> dict:
    return {"precision": pytest.approx(p), "recall": pytest.approx(r), "f1": pytest.approx(f)}


def test_quote_spans(result: dict) -> None:
    spans = result["layers"]["quotes"]["spans"]
    # exact: 1 of 3 predicted, 1 of 2 gold; overlap: 2 of 3, 2 of 2.
    assert spans["exact"] == {**prf(1 / 3, 1 / 2, 0.4), "tp": 1, "pred": 3, "gold": 2}
    assert spans["overlap"] == {**prf(2 / 3, 1.0, 0.8), "tp": 2, "pred": 3, "gold": 2}


def test_quote_attributes_on_matched_pairs(result: dict) -> None:
    layer = result["layers"]["quotes"]
    acc = {name: (a["correct"], a["total"]) for name, a in layer["attributes"].items()}
    assert layer["matched"] == 2
    assert acc["kind"] == (1, 2)
    assert acc["cue"] == (2, 2)
    assert acc["source"] == (1, 2)
    assert acc["source (overlap)"] == (1, 2)
    assert acc["source_kind"] == (1, 2)
    # pred c7 is aligned with gold c1 through the two mentions they share.
    assert acc["speaker"] == (1, 2)
    # kind pairs (direct, direct), (direct, indirect): observed 1/2, chance 1/2 -> kappa 0.
    assert layer["agreement"]["kind"] == {"kappa": pytest.approx(0.0), "pairs": 2}


def test_figures(result: dict) -> None:
    layer = result["layers"]["figures"]
    assert layer["spans"]["exact"] == {**prf(0.5, 0.5, 0.5), "tp": 1, "pred": 2, "gold": 2}
    assert layer["spans"]["overlap"] == {**prf(1.0, 1.0, 1.0), "tp": 2, "pred": 2, "gold": 2}
    acc = {name: (a["correct"], a["total"]) for name, a in layer["attributes"].items()}
    assert acc["value"] == (2, 2)  # "5.0" and "5" are the same number
    assert acc["comparator"] == (1, 2)
    assert acc["kind"] == (2, 2)
    assert acc["unit"] == (2, 2)
    assert acc["asserted_by"] == (1, 2)  # pred q1 -> gold q1 right; missing q2 wrong
    assert layer["agreement"]["kind"]["kappa"] == pytest.approx(1.0)
    assert layer["agreement"]["comparator"]["kappa"] == pytest.approx(0.0)


def test_entities(result: dict) -> None:
    layer = result["layers"]["entities"]
    spans = layer["spans"]
    assert spans["exact"] == {**prf(0.8, 0.8, 0.8), "tp": 4, "pred": 5, "gold": 5}
    assert spans["overlap"]["tp"] == 4  # "Rome" pairs with "Rome", not "The city of Rome"
    assert spans["exact+label"] == {**prf(0.6, 0.6, 0.6), "tp": 3, "pred": 5, "gold": 5}
    assert spans["overlap+label"]["tp"] == 3
    assert spans["names exact+label"] == {**prf(3 / 5, 3 / 4, 2 / 3), "tp": 3, "pred": 5, "gold": 4}
    assert layer["attributes"]["label"]["correct"] == 3
    assert layer["attributes"]["label"]["total"] == 4
    # label pairs: (PER,PER) x2, (ORG,PER), (GPE,GPE): po 3/4, pe (2*3 + 1*1)/16 = 7/16.
    assert layer["agreement"]["label"]["kappa"] == pytest.approx((3 / 4 - 7 / 16) / (1 - 7 / 16))


def test_coreference(result: dict) -> None:
    coref = result["layers"]["entities"]["coreference"]
    # Matched mentions: Ann Lee, Lee (both c7 / c1), Bob, Rome (pred c8, gold c2 and c3).
    # MUC recall: gold c1 needs 1 link and has it -> 1/1. Precision: pred c7 1 link right,
    # pred c8's link is wrong -> 1/2.
    assert coref["muc"] == prf(0.5, 1.0, 2 / 3)
    # B-cubed precision: (1 + 1 + 1/2 + 1/2) / 4; recall: every gold cluster kept whole -> 1.
    assert coref["b_cubed"] == prf(0.75, 1.0, 6 / 7)


def test_muc_and_b_cubed_textbook_example() -> None:
    # gold {a,b,c} {d,e}; pred {a,b} {c,d,e}
    pred = ["p1", "p1", "p2", "p2", "p2"]
    gold = ["g1", "g1", "g1", "g2", "g2"]
    assert muc(pred, gold).to_dict() == prf(2 / 3, 2 / 3, 2 / 3)
    assert b_cubed(pred, gold).to_dict() == prf(11 / 15, 11 / 15, 11 / 15)


def test_cohen_kappa_known_value() -> None:
    # 50 items: 20 (yes,yes), 5 (yes,no), 10 (no,yes), 15 (no,no):
    # po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    pairs = Counter({("y", "y"): 20, ("y", "n"): 5, ("n", "y"): 10, ("n", "n"): 15})
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa(Counter()) is None
    assert cohen_kappa(Counter({("a", "a"): 3})) == 1.0


def test_matching_prefers_more_pairs_then_better_overlap() -> None:
    # a0 overlaps b0 (more) and b1; a1 overlaps only b0. Greedy by overlap would pair a0-b0
    # and leave a1 alone; the scorer finds two pairs.
    a = [((0, 10),), ((8, 12),)]
    b = [((2, 12),), ((0, 3),)]
    assert match(a, b) == [(0, 1), (1, 0)]
    # One gold "Belarus", two predictions around it: the identical span wins.
    assert match([((0, 26),), ((0, 7),)], [((0, 7),)]) == [(1, 0)]


def test_missing_records_count_against_the_side_that_has_them() -> None:
    gold = gold_record()
    other = record("r2", "Nothing here.")
    result = score([pred_record(), other], [gold]).to_dict()
    assert result["only_in_pred"] == ["r2"]
    assert result["only_in_gold"] == []
    result = score([], [gold]).to_dict()
    assert result["only_in_gold"] == ["r1"]
    assert result["layers"]["entities"]["spans"]["exact"]["recall"] == 0.0
    assert result["layers"]["entities"]["spans"]["exact"]["precision"] is None


def test_different_text_is_an_error() -> None:
    pred = pred_record()
    pred["text"] = pred["text"].replace("Bob", "Rob")
    with pytest.raises(ScoreError, match=r"r1.*different text"):
        score([pred], [gold_record()])


def test_duplicate_ids_are_an_error() -> None:
    with pytest.raises(ScoreError, match="'r1' occurs twice"):
        score([gold_record(), gold_record()], [gold_record()])


def test_text_report_names_every_layer() -> None:
    text = render_text(score([pred_record()], [gold_record()]))
    assert "quotes    exact               0.333  0.500  0.400     1     3     2" in text
    assert "coref MUC          P 0.500  R 1.000  F1 0.667" in text
    assert "kind               kappa    0.000  (2 pairs)" in text


# --------------------------------------------------------------------------- properties

LABELS = ["PERSON", "ORG", "GPE"]
KINDS = ["direct", "indirect", "mixed"]


@st.composite
def records(draw: st.DrawFn) -> dict:
    """A record with random, distinct spans in every layer (the guidelines forbid duplicates)."""
    length = 80
    text = "x" * length

    def spans(max_size: int) -> list[tuple[int, int]]:
        starts = draw(st.lists(st.tuples(st.integers(0, length - 1), st.integers(1, 12)),
                               max_size=max_size, unique=True))
        return sorted({(s, min(length, s + n)) for s, n in starts})

    def sp(s: int, e: int) -> dict:
        return {"start": s, "end": e, "text": text[s:e]}

    n_clusters = draw(st.integers(1, 4))
    entities = [
        {"id": f"m{n}", **sp(s, e), "label": draw(st.sampled_from(LABELS)),
         "mention_type": draw(st.sampled_from(["name", "nominal"])),
         "cluster": f"c{draw(st.integers(1, n_clusters))}"}
        for n, (s, e) in enumerate(spans(8), start=1)
    ]
    used = sorted({m["cluster"] for m in entities})
    clusters = [cluster(c, "PERSON", f"name {c}") for c in used]
    figures = [
        {"id": f"f{n}", **sp(s, e), "kind": "count", "value": str(draw(st.integers(0, 99))),
         "low": None, "high": None, "comparator": draw(st.sampled_from(["eq", "gt"])),
         "unit": None, "iso": None, "measured": None, "asserted_by": None}
        for n, (s, e) in enumerate(spans(5), start=1)
    ]
    quotes = [
        {"id": f"q{n}", "content": [sp(s, e)], "kind": draw(st.sampled_from(KINDS)),
         "cue": None, "source": sp(max(0, s - 3), s) if s > 0 else None,
         "source_kind": "group", "speaker": draw(st.sampled_from([None, *used])),
         "addressee": None, "channel": None, "medium": "spoken"}
        for n, (s, e) in enumerate(spans(5), start=1)
    ]
    return record("r", text, quotes=quotes, figures=figures, entities=entities,
                  clusters=clusters)


def numbers(tree: object) -> list[float]:
    """Every ratio in a result (precision, recall, f1, accuracy, kappa), skipping counts."""
    out: list[float] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in ("precision", "recall", "f1", "accuracy", "kappa"):
                if value is not None:
                    out.append(value)
            else:
                out += numbers(value)
    elif isinstance(tree, list):
        for value in tree:
            out += numbers(value)
    return out


@settings(max_examples=60, deadline=None)
@given(records())
def test_a_record_scored_against_itself_is_perfect(rec: dict) -> None:
    result = score([rec], [copy.deepcopy(rec)]).to_dict()
    assert all(value == pytest.approx(1.0) for value in numbers(result))
    for layer in result["layers"].values():
        for counts in layer["spans"].values():
            assert counts["tp"] == counts["pred"] == counts["gold"]


@settings(max_examples=60, deadline=None)
@given(records(), records())
def test_swapping_sides_swaps_precision_and_recall(a: dict, b: dict) -> None:
    forward = score([a], [b]).to_dict()["layers"]
    backward = score([b], [a]).to_dict()["layers"]
    for name, layer in forward.items():
        for match_name, prf_ in layer["spans"].items():
            other = backward[name]["spans"][match_name]
            assert prf_["tp"] == other["tp"]
            assert prf_["precision"] == other["recall"]
            assert prf_["recall"] == other["precision"]
            assert prf_["f1"] == other["f1"]


def test_seed_corpus_against_itself(records: dict[str, dict]) -> None:
    result = score(list(records.values()), list(records.values())).to_dict()
    assert all(value == pytest.approx(1.0) for value in numbers(result))
    assert result["layers"]["quotes"]["spans"]["exact"]["tp"] == sum(
        len(r["quotes"]) for r in records.values()
    )
    json.dumps(result)  # the JSON form is plain data


def test_speaker_cluster_without_matched_mentions_is_aligned_by_name() -> None:
    gold, pred = gold_record(), pred_record()
    # The pred speaker of q2 is a cluster with no mention, named like gold's c2.
    pred["quotes"][1]["speaker"] = "c20"
    pred["clusters"].append(cluster("c20", "PERSON", "bob"))
    pred["entities"] = [m for m in pred["entities"] if m["text"] != "Bob"]
    result = score([pred], [gold]).to_dict()
    assert result["layers"]["quotes"]["attributes"]["speaker"]["correct"] == 2
