"""The shipped gold annotations, pinned: counts per layer and kind, and whole annotations.

If one of these fails after an intended correction, update the pin in the same commit and say
why in CHANGELOG.md: annotations are the product, so every change to them is deliberate.
"""

from __future__ import annotations

from collections import Counter

import pytest

ORIGIN = {"annotator": "belnews-maintainers", "method": "manual", "status": "gold"}
FIRST, SECOND = "000_b610fad01348a5b2", "002_a7d1dc08e0c5cbcf"

EXPECTED_COUNTS = {
    FIRST: {
        "quotes": {"direct": 6, "indirect": 8, "mixed": 2, "partial": 2},
        "figures": {"count": 1, "date": 1, "duration": 2, "percent": 1, "vague": 1},
        "entities": {
            "name:EVENT": 3,
            "name:GPE": 12,
            "name:NORP": 3,
            "name:ORG": 6,
            "name:PERSON": 3,
            "nominal:EVENT": 6,
            "nominal:GPE": 3,
            "nominal:ORG": 2,
            "nominal:PERSON": 6,
        },
        "clusters": 19,
        "linked": 5,
    },
    SECOND: {
        "quotes": {"direct": 8, "indirect": 22, "mixed": 2, "partial": 3},
        "figures": {
            "count": 9,
            "date": 13,
            "duration": 2,
            "ordinal": 1,
            "percent": 1,
            "quantity": 2,
            "time": 2,
            "vague": 2,
        },
        "entities": {
            "name:FAC": 1,
            "name:GPE": 9,
            "name:NORP": 2,
            "name:ORG": 11,
            "name:PERSON": 3,
            "nominal:EVENT": 8,
            "nominal:GPE": 1,
            "nominal:ORG": 6,
            "nominal:PERSON": 8,
            "pronoun:GPE": 2,
            "pronoun:PERSON": 10,
        },
        "clusters": 24,
        "linked": 8,
    },
}


def by_id(layer, ident):
    return next(item for item in layer if item["id"] == ident)


@pytest.mark.parametrize("record_id", [FIRST, SECOND])
def test_counts_per_layer_and_kind(records, record_id):
    record = records[record_id]
    want = EXPECTED_COUNTS[record_id]
    assert dict(Counter(q["kind"] for q in record["quotes"])) == want["quotes"]
    assert dict(Counter(f["kind"] for f in record["figures"])) == want["figures"]
    assert (
        dict(Counter(f"{m['mention_type']}:{m['label']}" for m in record["entities"]))
        == want["entities"]
    )
    assert len(record["clusters"]) == want["clusters"]
    assert sum(c["wikidata"] is not None for c in record["clusters"]) == want["linked"]


@pytest.mark.parametrize("record_id", [FIRST, SECOND])
def test_every_annotation_is_gold_or_adjudicated_and_manual(records, record_id):
    record = records[record_id]
    origins = {
        tuple(sorted(a["origin"].items()))
        for layer in ("quotes", "figures", "entities")
        for a in record[layer]
    }
    assert origins == {
        tuple(sorted(ORIGIN.items())),
        tuple(sorted({**ORIGIN, "status": "adjudicated"}.items())),
    }


def test_quote_with_a_missing_opening_mark(records):
    assert by_id(records[SECOND]["quotes"], "q20") == {
        "id": "q20",
        "kind": "direct",
        "content": [
            {
                "start": 2159,
                "end": 2272,
                "text": "We were forced to stand in the yard "
                "all night. We could hear women being beaten. I don't understand such "
                "cruelty.",
            }
        ],
        "marks": [{"start": 2272, "end": 2273, "text": '"', "role": "close"}],
        "cue": {"start": 2145, "end": 2149, "text": "told"},
        "source": {"start": 2117, "end": 2144, "text": "Another detained protesters"},
        "source_kind": "anonymous",
        "speaker": None,
        "addressee": {"start": 2150, "end": 2157, "text": "the BBC"},
        "channel": {"start": 2150, "end": 2157, "text": "the BBC"},
        "time": None,
        "place": None,
        "medium": "spoken",
        "parent": None,
        "repeats": [],
        "likely_translated": True,
        "origin": ORIGIN,
        "note": "The opening quotation mark is missing in the source (only the closing one is "
        'there); "protesters" for one speaker is the source\'s error, kept.',
    }


def test_quote_with_mixed_straight_and_curly_marks(records):
    q = by_id(records[FIRST]["quotes"], "q4")
    assert q["marks"] == [
        {"start": 727, "end": 728, "text": '"', "role": "open"},
        {"start": 903, "end": 904, "text": "”", "role": "close"},
    ]
    assert q["content"][0]["text"].startswith("Release those arbitrarily detained")
    assert q["content"][0]["text"].endswith("particularly related to people in detention")
    assert (q["source"]["text"], q["source_kind"], q["cue"]["text"]) == (
        "Another spokesperson from the UK",
        "title_only",
        "said",
    )


def test_quote_over_two_paragraphs_has_two_fragments(records):
    q = by_id(records[SECOND]["quotes"], "q19")
    assert [(f["start"], f["end"]) for f in q["content"]] == [(1873, 1964), (1968, 2114)]
    assert [(m["start"], m["role"]) for m in q["marks"]] == [
        (1872, "open"),
        (1964, "close"),
        (1967, "open"),
        (2114, "close"),
    ]
    assert q["addressee"]["text"] == "the network"


def test_summary_bullet_repeats_the_body_quote(records):
    quotes = records[SECOND]["quotes"]
    bullet, body = by_id(quotes, "q5"), by_id(quotes, "q15")
    assert bullet["repeats"] == ["q15"] and body["repeats"] == []
    assert (
        bullet["content"][0]["text"]
        == body["content"][0]["text"]
        == ("We will release everyone by 6 a.m.")
    )
    assert bullet["speaker"] == body["speaker"] == "c3"
    assert by_id(records[SECOND]["clusters"], "c3")["name"] == "Alexander Barsukov"


def test_partial_quotes_nest_in_their_mixed_quote(records):
    quotes = records[SECOND]["quotes"]
    mixed = by_id(quotes, "q6")
    for pid, words, repeats in (
        ("q7", "unfortunate", ["q25"]),
        ("q8", "take responsibility", ["q26"]),
    ):
        partial = by_id(quotes, pid)
        assert (partial["kind"], partial["parent"], partial["repeats"]) == (
            "partial",
            "q6",
            repeats,
        )
        assert partial["content"][0]["text"] == words
        assert any(
            frag["start"] <= partial["content"][0]["start"]
            and partial["content"][0]["end"] <= frag["end"]
            for frag in mixed["content"]
        )


def test_figure_range(records):
    assert by_id(records[SECOND]["figures"], "f15") == {
        "id": "f15",
        "start": 2062,
        "end": 2074,
        "text": "a day or two",
        "kind": "duration",
        "value": None,
        "low": "1",
        "high": "2",
        "comparator": "eq",
        "unit": "d",
        "iso": None,
        "anchor": None,
        "measured_entity": None,
        "measured_property": None,
        "qualifier": None,
        "asserted_by": "q19",
        "as_of": None,
        "as_of_basis": None,
        "origin": ORIGIN,
        "note": None,
    }


@pytest.mark.parametrize(
    ("record_id", "fid", "text", "kind", "value", "comparator", "unit", "asserted_by"),
    [
        (FIRST, "f6", "over 250", "count", "250", "gt", None, "q12"),
        (FIRST, "f3", "26 years", "duration", "26", "eq", "a", None),
        (SECOND, "f1", "At least 6,000", "count", "6000", "gte", None, None),
        (SECOND, "f8", "around 1,000", "count", "1000", "approx", None, "q16"),
        (SECOND, "f10", "1.5 meter", "quantity", "1.5", "eq", "m", "q18"),
        (SECOND, "f11", "5 foot", "quantity", "5", "eq", "[ft_i]", None),
        (SECOND, "f3", "thousands", "vague", None, "eq", None, "q10"),
    ],
)
def test_figure_readings(records, record_id, fid, text, kind, value, comparator, unit, asserted_by):
    f = by_id(records[record_id]["figures"], fid)
    assert (f["text"], f["kind"], f["value"], f["comparator"], f["unit"], f["asserted_by"]) == (
        text,
        kind,
        value,
        comparator,
        unit,
        asserted_by,
    )


def test_cluster_of_the_interior_minister(records):
    record = records[SECOND]
    mentions = [
        (m["text"], m["mention_type"], m["start"])
        for m in record["entities"]
        if m["cluster"] == "c4"
    ]
    assert mentions == [
        ("Belarus' interior minister", "nominal", 486),
        ("he", "pronoun", 579),
        ("Yuri Karayev", "name", 2713),
        ("the Belarusian interior minister", "nominal", 2727),
        ("he", "pronoun", 2939),
    ]
    assert {q["id"] for q in record["quotes"] if q["speaker"] == "c4"} == {
        "q6",
        "q7",
        "q8",
        "q24",
        "q25",
        "q26",
    }


def test_wikidata_links_are_only_the_verified_ones(records):
    linked = {
        c["name"]: c["wikidata"] for r in records.values() for c in r["clusters"] if c["wikidata"]
    }
    assert linked == {
        "Belarus": "Q184",
        "United States": "Q30",
        "United Kingdom": "Q145",
        "Minsk": "Q2280",
        "European Union": "Q458",
        "CNN": "Q48340",
        "BBC": "Q9531",
        "Agence France-Presse": "Q40464",
        "Amnesty International": "Q42970",
        "Lithuania": "Q37",
    }


# --- annotations 0.2 (ANNOTATION.md 2.0) ------------------------------------------------------


def test_temporal_expressions_without_digits_are_anchored_dates(records):
    temporal = ("date", "duration")
    figures = {f["id"]: f for f in records[SECOND]["figures"] if f["kind"] in temporal}
    assert {
        fid: (f["text"], f["iso"], f["anchor"], f["comparator"]) for fid, f in figures.items()
    } == {
        "f15": ("a day or two", None, None, "eq"),
        "f19": ("this week", "2020-W33", "2020-08-14", "eq"),
        "f20": ("Sunday", "2020-08-09", "2020-08-14", "eq"),
        "f21": ("Thursday night", "2020-08-13TNI", "2020-08-14", "eq"),
        "f22": ("Friday", "2020-08-14", "2020-08-14", "eq"),
        "f23": ("Sunday", "2020-08-09", "2020-08-14", "gte"),
        "f24": ("Thursday night", "2020-08-13TNI", "2020-08-14", "eq"),
        "f25": ("early Friday afternoon", "2020-08-14TAF", "2020-08-14", "eq"),
        "f26": ("Friday morning", "2020-08-14TMO", "2020-08-14", "eq"),
        "f27": ("all night", "PT1NI", None, "eq"),
        "f28": ("early Friday morning", "2020-08-14TMO", "2020-08-14", "eq"),
        "f29": ("Wednesday", "2020-08-12", "2020-08-14", "eq"),
        "f30": ("Wednesday", "2020-08-12", "2020-08-14", "eq"),
        "f31": ("Monday", "2020-08-10", "2020-08-14", "gte"),
        "f32": ("Friday", "2020-08-14", "2020-08-14", "eq"),
    }
    assert figures["f25"]["qualifier"]["text"] == "local time"
    assert (figures["f27"]["asserted_by"], figures["f32"]["asserted_by"]) == ("q20", "q32")


def test_nested_sources_replace_channels(records):
    quotes = {q["id"]: q for q in records[SECOND]["quotes"]}
    outer = quotes["q32"]
    assert (outer["source"]["text"], outer["cue"]["text"], outer["speaker"]) == (
        "BBC Monitoring",
        "reported",
        "c12",
    )
    assert quotes["q24"]["parent"] == "q32" and quotes["q24"]["channel"] is None
    assert quotes["q26"]["parent"] == "q33" and quotes["q33"]["cue"]["text"] == "according to"
    assert quotes["q27"]["parent"] == "q34"
    first = {q["id"]: q for q in records[FIRST]["quotes"]}
    assert (first["q3"]["parent"], first["q16"]["source"]["text"]) == ("q16", "ANI")
    assert {first["q9"]["parent"], first["q10"]["parent"]} == {"q17"}


def test_one_rule_for_small_clauses_and_infinitives(records):
    second = {q["id"]: q for q in records[SECOND]["quotes"]}
    first = {q["id"]: q for q in records[FIRST]["quotes"]}
    assert [f["text"] for f in second["q28"]["content"]] == ["rigged"]
    assert [f["text"] for f in second["q12"]["content"]] == ["the winner"]
    assert [f["text"] for f in first["q8"]["content"]] == ["neither free nor fair"]
    for q in (second["q3"], second["q10"], second["q27"], first["q5"], first["q15"]):
        assert q["content"][0]["text"].split()[0] in ("to", "never")


def test_time_and_place_of_utterances(records):
    quotes = {q["id"]: q for q in records[SECOND]["quotes"]}
    q15 = quotes["q15"]
    assert (q15["time"]["text"], q15["place"]["text"]) == ("on Thursday night", "in Minsk")
    assert quotes["q30"]["time"]["text"] == "Wednesday"


def test_measeval_roles_and_as_of_basis(records):
    figures = {f["id"]: f for f in records[SECOND]["figures"]}
    hundreds = figures["f4"]
    assert hundreds["measured_entity"] is None
    assert hundreds["measured_property"]["text"] == "injured"
    assert (hundreds["as_of"], hundreds["as_of_basis"]) == ("2020-08-14", "publication")
    released = figures["f8"]
    assert (released["measured_entity"]["text"], released["measured_property"]["text"]) == (
        "detainees",
        "released",
    )
    assert released["as_of_basis"] == "text"
    assert figures["f6"]["measured_entity"]["text"] == "vote"  # no determiner


def test_unnamed_chains_split_antecedents_and_the_government(records):
    def mentions(record, cid):
        return [m["text"] for m in record["entities"] if m["cluster"] == cid]

    second = {c["id"]: c for c in records[SECOND]["clusters"]}
    assert second["c18"]["name"] is None
    assert mentions(records[SECOND], "c18") == ["The Belarus opposition leader", "Her", "her"]
    assert mentions(records[SECOND], "c19") == [
        "The government",
        "the regime",
        "the Belarusian authorities",
    ]
    assert second["c10"]["name"] == "Okrestina"  # lower-case head left out
    group = next(c for c in records[FIRST]["clusters"] if c["members"])
    assert (group["name"], group["members"]) == (None, ["c2", "c3"])
    assert mentions(records[FIRST], group["id"]) == ["both the countries"] * 2


def test_repeats_lists_every_retold_quote(records):
    quotes = {q["id"]: q for q in records[SECOND]["quotes"]}
    assert quotes["q6"]["repeats"] == ["q24", "q26"]
    assert quotes["q1"]["repeats"] == quotes["q3"]["repeats"] == ["q10"]
    utterances = [q for q in quotes.values() if not q["repeats"] and q["kind"] != "partial"]
    assert len(utterances) == 28  # 32 attributions, four of them retell a body quote
