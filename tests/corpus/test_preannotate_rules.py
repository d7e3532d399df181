"""The suggestion rules on sentences written for the tests (not from the seed articles)."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.check.validate import validate_record
from belnews.corpus import tomlwrite
from belnews.corpus.ingest import make_record
from belnews.corpus.normalize import normalize_text
from belnews.corpus.preannotate import suggest
from belnews.corpus.preannotate.entities import RuleRecogniser, cluster
from belnews.corpus.preannotate.figures import suggest_figures, word_number
from belnews.corpus.preannotate.quotes import suggest_quotes
from belnews.errors import NormalizationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _figures(text: str) -> list[tuple]:
    norm = normalize_text(text)
    return [
        (norm.text[f.start : f.end], f.kind, f.value, f.low, f.high, f.comparator, f.unit, f.iso)
        for f in suggest_figures(norm.text, norm.sections)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Police held more than 300 people.",
            [("more than 300", "count", "300", None, None, "gt", None, None)],
        ),
        (
            "Turnout was about 45.5 percent.",
            [("about 45.5 percent", "percent", "45.5", None, None, "approx", "%", None)],
        ),
        (
            "The fine was $2.5 million.",
            [("$2.5 million", "money", "2500000", None, None, "eq", "USD", None)],
        ),
        ("He paid 300 euros.", [("300 euros", "money", "300", None, None, "eq", "EUR", None)]),
        (
            "They waited two to three weeks.",
            [("two to three weeks", "duration", None, "2", "3", "eq", "wk", None)],
        ),
        (
            "It lasted 90 minutes.",
            [("90 minutes", "duration", "90", None, None, "eq", "min", "PT90M")],
        ),
        (
            "The vote is on 9 August 2020.",
            [("9 August 2020", "date", None, None, None, "eq", None, "2020-08-09")],
        ),
        (
            "Talks resume in March 2021.",
            [("March 2021", "date", None, None, None, "eq", None, "2021-03")],
        ),
        (
            "The curfew starts at 11 p.m. sharp.",
            [("11 p.m.", "time", None, None, None, "eq", None, "T23:00")],
        ),
        (
            "Trains stop at 23:30 daily.",
            [("23:30", "time", None, None, None, "eq", None, "T23:30")],
        ),
        (
            "At least twenty-five people came.",
            [("At least twenty-five", "count", "25", None, None, "gte", None, None)],
        ),
        (
            "Tens of thousands marched.",
            [("Tens of thousands", "vague", None, None, None, "eq", None, None)],
        ),
        (
            "She came third in 1994.",
            [
                ("third", "ordinal", "3", None, None, "eq", None, None),
                ("1994", "date", None, None, None, "eq", None, "1994"),
            ],
        ),
        ("The wall is 3 km long.", [("3 km", "quantity", "3", None, None, "eq", "km", None)]),
        (
            "Watch Channel 4 tonight, not the other one.",
            [("tonight", "date", None, None, None, "eq", None, None)],
        ),
    ],
)
def test_figure_readings(sentence, expected):
    assert _figures(sentence) == expected


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_with_separators_read_as_their_value(n):
    found = _figures(f"They counted {n:,} ballots.")
    assert [(f[0], f[2]) for f in found] == [(f"{n:,}", str(n))]


@pytest.mark.parametrize(
    ("words", "value"),
    [("one hundred and five", 105), ("twenty-one", 21), ("3 million", 3_000_000), ("a dozen", 12)],
)
def test_number_words(words, value):
    assert word_number(words) == Decimal(value)


def _quotes(text: str) -> list[dict]:
    norm = normalize_text(text)
    t = norm.text
    clusters = cluster(t, norm.sections, RuleRecogniser().find(t, norm.sections))

    def g(span):
        return t[span[0] : span[1]] if span else None

    return [
        {
            "kind": q.kind,
            "content": [g(c) for c in q.content],
            "cue": g(q.cue),
            "source": g(q.source),
            "source_kind": q.source_kind,
            "addressee": g(q.addressee),
            "channel": g(q.channel),
            "parent": q.parent,
        }
        for q in suggest_quotes(t, norm.sections, clusters)
    ]


def test_curly_marks_after_a_cue():
    (q,) = _quotes("Maria Kolesnikova said: “We are not afraid.”")
    assert q == {
        "kind": "direct",
        "content": ["We are not afraid."],
        "cue": "said",
        "source": "Maria Kolesnikova",
        "source_kind": "named_person",
        "addressee": None,
        "channel": None,
        "parent": None,
    }


def test_straight_marks_with_a_trailing_frame_and_an_outlet():
    (q,) = _quotes('"The count was false," a poll worker told Reuters.')
    assert (q["content"], q["cue"], q["source"], q["source_kind"]) == (
        ["The count was false"],
        "told",
        "a poll worker",
        "anonymous",
    )
    assert (q["addressee"], q["channel"]) == ("Reuters", "Reuters")


def test_an_unbalanced_quote_starts_after_the_colon():
    (q,) = _quotes('One woman told AFP: They took my son away." ')
    assert q["content"] == ["They took my son away."]
    assert q["kind"] == "direct" and q["cue"] == "told"


def test_a_partial_quote_makes_its_frame_mixed():
    parent, partial = _quotes('The ministry said the arrests were "lawful" and necessary.')
    assert parent["kind"] == "mixed"
    assert parent["content"] == ['the arrests were "lawful" and necessary']
    assert partial == {**partial, "kind": "partial", "content": ["lawful"], "parent": 0}
    assert partial["cue"] == "said" and partial["source"] == "The ministry"


def test_indirect_speech_after_reporting_verbs():
    found = _quotes(
        "The opposition urged voters to stay home. According to Viasna, 40 people were "
        "detained. Officials denied that anyone was hurt."
    )
    assert [(q["kind"], q["content"], q["cue"], q["source"], q["addressee"]) for q in found] == [
        ("indirect", ["stay home"], "urged", "The opposition", "voters"),
        ("indirect", ["40 people were detained"], "According to", "Viasna", None),
        ("indirect", ["anyone was hurt"], "denied", "Officials", None),
    ]


def test_a_quote_continued_in_the_next_paragraph_is_one_quote():
    (q,) = _quotes('He told the BBC: "We marched all day.\n\n"Then they came."')
    assert q["content"] == ["We marched all day.", "Then they came."]


def test_entities_cluster_by_alias_and_acronym():
    text = (
        "Svetlana Tsikhanouskaya met the Organization for Security and Co-operation in Europe "
        "(OSCE) in Vilnius. Tsikhanouskaya said the OSCE would help."
    )
    norm = normalize_text(text)
    clusters = cluster(norm.text, norm.sections, RuleRecogniser().find(norm.text, norm.sections))
    got = {c.name: (c.label, [norm.text[m.start : m.end] for m in c.mentions]) for c in clusters}
    assert got["Svetlana Tsikhanouskaya"] == (
        "PERSON",
        ["Svetlana Tsikhanouskaya", "Tsikhanouskaya"],
    )
    assert got["Vilnius"] == ("GPE", ["Vilnius"])
    assert got["OSCE"][0] == "ORG" and len(got["OSCE"][1]) == 2


@given(
    st.dictionaries(
        st.from_regex(r"[a-z_][a-z0-9_-]{0,10}", fullmatch=True),
        st.one_of(
            st.text(st.characters(blacklist_categories=("Cs",))),
            st.integers(),
            st.booleans(),
            st.lists(st.text(st.characters(blacklist_categories=("Cs",))), max_size=3),
        ),
        max_size=5,
    )
)
def test_toml_writer_round_trips(table):
    assert tomllib.loads(tomlwrite.table("t", table)) == {"t": table}


_PIECES = [
    "said",
    "told",
    "CNN",
    "that",
    "urged",
    "Minsk",
    "to",
    "according to",
    "reportedly",
    "as per",
    '"',
    "“",
    "”",
    ",",
    ".",
    ":",
    "\n\n",
    "the",
    "police",
    "Alexander Lukashenko",
    "Lukashenko",
    "he",
    "at least",
    "over",
    "6,000",
    "two",
    "one",
    "a day or two",
    "6 a.m.",
    "November 2",
    "80%",
    "$5",
    "thousands",
    "fourth",
    "EU Council",
    "the council",
    "(UPR)",
    "Review",
    "Belarus",
    "Belarus 24",
    "network",
    "promised",
    "declared",
    "was",
    "condemned as",
    "reports of",
    "what",
    "We",
    "I",
    "protesters",
    "Okrestina prison",
    "3 months",
    "and",
    "'",
    "…",
    "-",
    "!",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40))
def test_suggestions_on_any_text_ingest_and_validate(pieces):
    """Whatever the text, the suggestions resolve, ingest and pass the validator's errors."""
    raw = " ".join(pieces).encode("utf-8")
    if not raw.strip():
        return  # an empty article has no record to validate
    try:
        table = suggest(raw)
    except NormalizationError:
        return
    record = make_record("900_test", raw, "900_test.txt", {"text_rights": "test"}, table)
    errors = [i for i in validate_record(record) if i.severity == "error"]
    assert errors == []


def test_a_frame_whose_complement_is_a_quotation_gives_a_direct_quote_and_a_second_frame():
    found = _quotes(
        'A spokesman for the ministry, Anatoly Glaz, dismissed the rally as "a show staged '
        'by foreign sponsors" and warned that Minsk would respond.'
    )
    assert [(q["kind"], q["content"], q["cue"], q["source"]) for q in found] == [
        (
            "direct",
            ["a show staged by foreign sponsors"],
            "dismissed",
            "A spokesman for the ministry, Anatoly Glaz",
        ),
        (
            "indirect",
            ["Minsk would respond"],
            "warned",
            "A spokesman for the ministry, Anatoly Glaz",
        ),
    ]


def test_a_count_range_without_a_unit():
    assert _figures("Police counted 8,000 to 9,000 people, between 10 and 20 of them hurt.") == [
        ("8,000 to 9,000", "count", None, "8000", "9000", "eq", None, None),
        ("between 10 and 20", "count", None, "10", "20", "eq", None, None),
    ]


def test_titles_are_not_part_of_a_name_and_dateline_capitals_join_their_place():
    text = "VILNIUS (Reuters) - Foreign Minister Gabrielius Landsbergis visited Vilnius."
    norm = normalize_text(text)
    clusters = cluster(norm.text, norm.sections, RuleRecogniser().find(norm.text, norm.sections))
    got = {c.name: [norm.text[m.start : m.end] for m in c.mentions] for c in clusters}
    assert got == {
        "Vilnius": ["VILNIUS", "Vilnius"],
        "Reuters": ["Reuters"],
        "Gabrielius Landsbergis": ["Gabrielius Landsbergis"],
    }


def _temporal(text: str, anchor: str | None) -> list[tuple]:
    norm = normalize_text(text)
    return [
        (norm.text[f.start : f.end], f.kind, f.iso, f.anchor, f.comparator)
        for f in suggest_figures(norm.text, norm.sections, anchor_date=anchor)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The minister said Thursday night that it was over.",
            [("Thursday night", "date", "2020-08-13TNI", "2020-08-14", "eq")],
        ),
        (
            "Access has been restricted since Monday.",
            [("Monday", "date", "2020-08-10", "2020-08-14", "gte")],
        ),
        (
            "As of early Friday afternoon it is unclear.",
            [("early Friday afternoon", "date", "2020-08-14TAF", "2020-08-14", "eq")],
        ),
        (
            "Protests during this week's vote, and last week too.",
            [
                ("this week", "date", "2020-W33", "2020-08-14", "eq"),
                ("last week", "date", "2020-W32", "2020-08-14", "eq"),
            ],
        ),
        ("We stood in the yard all night.", [("all night", "duration", "PT1NI", None, "eq")]),
        ("It ends tomorrow, not yesterday.", [
            ("tomorrow", "date", "2020-08-15", "2020-08-14", "eq"),
            ("yesterday", "date", "2020-08-13", "2020-08-14", "eq"),
        ]),
    ],
)
def test_temporal_expressions_resolve_against_the_publication_date(sentence, expected):
    assert _temporal(sentence, "2020-08-14") == expected


def test_without_a_publication_date_relative_dates_stay_unresolved():
    assert _temporal("He spoke on Friday morning.", None) == [
        ("Friday morning", "date", None, None, "eq")
    ]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_a_weekday_resolves_to_the_latest_such_day_on_or_before_the_anchor(anchor):
    ((_, _, iso, _, _),) = _temporal("They met on Wednesday.", anchor.isoformat())
    day = dt.date.fromisoformat(iso)
    assert day.weekday() == 2 and 0 <= (anchor - day).days < 7


def _settings(text: str) -> list[tuple]:
    table = suggest(text.encode(), anchor_date="2020-08-14")
    return [(q["cue"], q.get("time"), q.get("place")) for q in table["quotes"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will go," Yuri Karayev told reporters in Minsk on Thursday night.',
            [("told", "on Thursday night", "in Minsk")],
        ),
        ("Yuri Karayev said Friday morning that the police had left.", [
            ("said", "Friday morning", None)
        ]),
        # a date inside the reported clause is content, not the time of the utterance
        ("Yuri Karayev said that on Friday the police had left.", [("said", None, None)]),
    ],
)
def test_time_and_place_follow_the_cue(text, expected):
    assert _settings(text) == expected
