"""The columnar screen: it vouches for valid records, and never for one the exact path reports.

The screen only decides which records may skip the exact per-record checks, so the property
that matters is soundness: whenever the exact path finds any issue (error or warning) in a
record, the screen must not call that record clean. Efficacy (valid records are vouched for)
is checked too, or the fast path could silently stop working.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.check.readers as readers
from belnews.check import screen as columnar
from belnews.check.readers import parse_json_text
from belnews.check.rules import ids as id_rules
from belnews.check.validate import iter_issues, validate_record
from conftest import CORPUS, ROOT
from test_validate import BASE, EXPECTED, damaged

CASES = ROOT / "tests" / "cases"


def _synthetic(n: int, seed: int = 7) -> list[dict]:
    spec = importlib.util.spec_from_file_location(
        "make_synthetic", ROOT / "scripts" / "make_synthetic.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = random.Random(seed)
    return [module.make_record(i, rng) for i in range(n)]


def exact(line: bytes) -> list:
    """Every issue the exact path finds in one JSON line."""
    parsed = parse_json_text(line, "<test>")
    return list(parsed.issues) if parsed.record is None else validate_record(parsed.record)


def clean(lines: list[bytes]) -> list[bool]:
    return columnar.screen_lines(lines)[1].tolist()


def line_of(record: dict) -> bytes:
    """One JSONL line (``json.dumps`` spacing, as most writers produce)."""
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


VALID_RECORDS = [
    *(
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "records").glob("*.json"))
    ),
    *(json.loads(p.read_text(encoding="utf-8")) for p in sorted((CASES / "valid").glob("*.json"))),
    *(
        json.loads(line)
        for line in (CASES / "valid" / "two-records.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ),
]


def test_valid_records_are_vouched_for():
    lines = [line_of(r) for r in VALID_RECORDS] + [line_of(r) for r in _synthetic(40)]
    assert all(exact(line) == [] for line in lines)
    assert clean(lines) == [True] * len(lines)


def test_a_record_with_any_issue_is_never_vouched_for():
    """Every malformed case, alone and between two valid records in one batch."""
    good = line_of(VALID_RECORDS[0])
    checked = 0
    for name in sorted(EXPECTED):
        path = CASES / "invalid" / name
        if path.suffix != ".json":
            continue
        line = path.read_bytes().replace(b"\n", b" ").replace(b"\r", b" ")
        if not exact(line):
            continue  # only a file-level problem (e.g. empty), not a record one
        checked += 1
        assert clean([line]) == [False], name
        result = clean([good, line, good])
        assert result[1] is False, name
    assert checked >= 40


def test_one_bad_row_does_not_spoil_its_batch():
    """A semantic error flags its own row only; the reader still took the whole batch."""
    record = copy.deepcopy(VALID_RECORDS[0])
    record["entities"][0]["start"] += 1  # text mismatch
    lines = [line_of(r) for r in VALID_RECORDS[:3]]
    lines.insert(1, line_of(record))
    assert clean(lines) == [True, False, True, True]


def test_a_missing_nullable_key_is_found_by_counting_keys():
    """The Arrow reader reads a missing key as null; only the key count tells them apart."""
    record = copy.deepcopy(BASE)
    quote = next(q for q in record["quotes"] if q["addressee"] is None)
    del quote["addressee"]
    line = line_of(record)
    assert [i.code for i in exact(line)] == ["schema-required"]
    table = columnar.read_json_lines([line])
    assert table is not None  # the reader accepted it
    assert clean([line]) == [False]


def test_raw_key_counts_skip_quotes_and_colons_inside_strings():
    lines = [
        b'{"a": "he said \\"no\\": twice", "b": {"c": 1}}',
        b'{"x":"\\\\", "y": ":", "z": "a\\":"}',  # an opening mark before a colon
        b'{"k" : 1, "\xc3\xa9": 2}',  # spaced or non-ASCII keys are not counted (exact path)
    ]
    data = b"\n".join(lines) + b"\n"
    lengths = np.array([len(line) for line in lines])
    assert columnar.raw_key_counts(data, lengths).tolist() == [3, 3, 0]


def test_key_counts_follow_nested_objects_and_nulls():
    arr = pa.array(
        [
            {"a": 1, "s": {"x": 1, "y": None}, "l": [{"z": 1}, {"z": 2}]},
            {"a": None, "s": None, "l": []},
        ]
    )
    assert columnar.key_counts(arr).tolist() == [3 + 2 + 2, 3]


def test_the_shipped_schema_is_fully_understood_by_the_evaluator():
    table = columnar.read_json_lines([line_of(BASE)])
    mask = columnar.schema_mask(table.to_struct_array().combine_chunks())
    assert mask.tolist() == [True]


def test_text_below_u0300_is_always_nfc():
    """The screen skips the NFC check for texts with no code point from U+0300 on; that is
    sound only while no such code point decomposes, composes with or reorders another."""
    import sys
    import unicodedata

    low = [chr(c) for c in range(0x300)]
    assert all(unicodedata.is_normalized("NFC", ch) and not unicodedata.combining(ch) for ch in low)
    for c in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(c)).split()
        if parts and not parts[0].startswith("<") and len(parts) == 2:
            assert int(parts[1], 16) >= 0x300, hex(c)


def test_an_unknown_keyword_is_refused():
    arr = pa.array(["a"])
    with pytest.raises(columnar.UnsupportedSchema):
        columnar.schema_mask(arr, {"type": "string", "format": "date"}, {})


@pytest.mark.parametrize(
    ("node", "values", "expected"),
    [
        ({"type": "string", "pattern": "^q[0-9]+$"}, ["q1", "x", None], [True, False, False]),
        ({"type": ["string", "null"], "minLength": 2}, ["ab", "a", None], [True, False, True]),
        ({"enum": ["a", None]}, ["a", "b", None], [True, False, True]),
        ({"const": "1.0.0"}, ["1.0.0", "1.0.1", None], [True, False, False]),
        ({"type": "integer", "minimum": 1}, [1, 0, None], [True, False, False]),
    ],
)
def test_schema_keywords_on_plain_columns(node, values, expected):
    assert columnar.schema_mask(pa.array(values), node, {}).tolist() == expected


# --- property: damage is never vouched for -------------------------------------------------

SEMANTIC_DAMAGE = ["slide", "relabel", "reid", "rehash", "remark", "respeak", "unsort"]


@st.composite
def semantically_damaged(draw):
    """Damage that keeps a record schema-valid but breaks (or may break) a semantic rule."""
    record = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(SEMANTIC_DAMAGE))
    spans = [m for m in record["entities"]] + [f for f in record["figures"]]
    if kind == "slide":
        span = draw(st.sampled_from(spans))
        delta = draw(st.integers(-3, 3).filter(lambda d: d != 0))
        span["start"] = max(0, span["start"] + delta)
        span["end"] = max(span["start"] + 1, span["end"] + delta)
    elif kind == "relabel":
        mention = draw(st.sampled_from(record["entities"]))
        mention["label"] = draw(st.sampled_from(["PERSON", "ORG", "GPE", "NORP"]))
    elif kind == "reid":
        layer = draw(st.sampled_from(["quotes", "figures", "entities", "clusters"]))
        items = record[layer]
        if len(items) >= 2:
            items[draw(st.integers(1, len(items) - 1))]["id"] = items[0]["id"]
    elif kind == "rehash":
        record["provenance"]["text_sha256"] = draw(st.sampled_from("0123456789abcdef")) * 64
    elif kind == "remark":
        quote = draw(st.sampled_from([q for q in record["quotes"] if q["marks"]]))
        quote["marks"][0]["text"] = draw(st.sampled_from(["'", "x", '"', "“"]))
    elif kind == "respeak":
        quote = draw(st.sampled_from(record["quotes"]))
        quote["speaker"] = draw(st.sampled_from(["c1", "c2", "c99", None]))
    else:
        record["entities"].reverse()
    return kind, line_of(record)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(damaged(), semantically_damaged()))
def test_damaged_records_are_never_vouched_for(case):
    kind, line = case
    line = line.replace(b"\n", b" ")
    if exact(line):
        assert clean([line]) == [False], kind
        assert clean([line_of(BASE), line])[1] is False, kind


@st.composite
def byte_damaged(draw):
    """A valid line with a few bytes overwritten, inserted or deleted anywhere."""
    line = bytearray(line_of(BASE))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(line) - 1))
        byte = draw(
            st.sampled_from([0x00, 0x0C, 0x22, 0x2C, 0x3A, 0x5C, 0x7B, 0x7D, 0xEF, 0xFF, 0x20])
        )
        how = draw(st.sampled_from(["set", "insert", "delete"]))
        if how == "set":
            line[at] = byte
        elif how == "insert":
            line.insert(at, byte)
        else:
            del line[at]
    if draw(st.booleans()):
        line[0:0] = b"\xef\xbb\xbf"
    return "bytes", bytes(line).replace(b"\n", b" ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(byte_damaged())
def test_damaged_bytes_are_never_vouched_for(case):
    _kind, line = case
    if exact(line):
        assert clean([line]) == [False]


# --- wiring: the validator uses the screen and reports exactly what the exact path does ----


def test_jsonl_validation_reports_exactly_what_the_exact_path_reports(tmp_path, monkeypatch):
    records = [*VALID_RECORDS[:3], *_synthetic(5)]
    broken = copy.deepcopy(records[1])
    broken["id"] = "broken-1"
    broken["figures"][0]["end"] += 1
    lines = (
        [line_of(r) for r in records[:2]] + [line_of(broken)] + [line_of(r) for r in records[2:]]
    )
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    screened = []
    real = columnar.screen
    monkeypatch.setattr(columnar, "screen", lambda *a: screened.append(1) or real(*a))
    found = [i.to_dict() for i in iter_issues([source])]
    assert screened  # the batch took the columnar path
    expected = []
    for number, line in enumerate(lines, start=1):
        for issue in exact(line):
            rid = json.loads(line).get("id")
            expected.append(issue.located(file=str(source), line=number, record_id=rid).to_dict())
    assert found == expected and expected


def test_batches_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "BATCH_ROWS", 3)
    line = line_of(VALID_RECORDS[0])
    units = [(str(tmp_path / "x.jsonl"), n, line) for n in range(1, 8)]
    batches = list(readers.batch_lines(iter(units)))
    assert [len(u[2].numbers) for u in batches] == [3, 3, 1]
    assert [u[2].numbers for u in batches][2] == [7]


def test_parquet_batches_take_the_columnar_path(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from belnews.schema.arrow import arrow_schema

    records = [*VALID_RECORDS[:2], *_synthetic(4)]
    table = columnar.read_json_lines([line_of(r) for r in records]).cast(arrow_schema())
    path = tmp_path / "x.parquet"
    pq.write_table(table, path)
    verdicts = []
    real = columnar.screen
    monkeypatch.setattr(columnar, "screen", lambda *a: verdicts.append(real(*a)) or verdicts[-1])
    assert list(iter_issues([path])) == []
    assert [v.tolist() for v in verdicts] == [[True] * len(records)]


def test_many_distinct_ids_use_dense_keys(monkeypatch):
    monkeypatch.setattr(id_rules, "_DENSE_KEYS", 4)
    lines = [line_of(r) for r in _synthetic(5)]
    assert clean(lines) == [True] * 5
    record = json.loads(lines[2])
    record["quotes"][0]["speaker"] = "c999"
    lines[2] = line_of(record)
    assert clean(lines) == [True, True, False, True, True]


def test_a_null_text_does_not_shift_the_other_rows():
    """The JSON reader refuses a null text, but a Parquet file (written by others) may hold
    one: its row is flagged, the rows after it are still read at the right offsets."""
    lines = [line_of(r) for r in (VALID_RECORDS[0], BASE, VALID_RECORDS[1])]
    table = columnar.read_json_lines(lines)
    at = table.schema.get_field_index("text")
    texts = table.column("text").to_pylist()
    texts[1] = None
    table = table.set_column(at, "text", pa.array(texts, pa.string()))
    assert columnar.screen(table).tolist() == [True, False, True]


def test_unsorted_sections_in_one_row_do_not_hide_a_crossing_span_in_another():
    broken = copy.deepcopy(BASE)
    broken["id"] = "broken"
    broken["sections"].reverse()  # invalid, and unsorted for the binary search
    crossing = copy.deepcopy(VALID_RECORDS[1])
    first, second = crossing["sections"][0], crossing["sections"][1]
    mention = crossing["entities"][0]
    mention["start"], mention["end"] = first["end"] - 1, second["start"] + 1
    mention["text"] = crossing["text"][mention["start"] : mention["end"]]
    lines = [line_of(VALID_RECORDS[0]), line_of(broken), line_of(crossing)]
    assert any(i.code == "span-crosses-section" for i in exact(lines[2]))
    assert clean(lines) == [True, False, False]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.just(None), damaged(), semantically_damaged(), byte_damaged()),
        min_size=2,
        max_size=5,
    )
)
def test_damage_in_one_row_never_lets_damage_in_another_through(cases):
    """Rows of one batch are screened together: a broken row must not mask another."""
    lines = [
        line_of(VALID_RECORDS[i % len(VALID_RECORDS)])
        if case is None
        else case[1].replace(b"\n", b" ")
        for i, case in enumerate(cases)
    ]
    verdicts = clean(lines)
    for line, verdict in zip(lines, verdicts, strict=True):
        if verdict:
            assert exact(line) == []


def test_every_schema_key_is_counted_by_the_raw_key_count():
    """Keys are counted as `…x":` with x in [A-Za-z0-9_]; a key ending otherwise would send
    every record to the exact path (correct, but slow)."""
    import re

    from belnews.schema.record import load_schema

    names = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema())
    assert len(names) > 50
    assert all(re.fullmatch(r"[a-z0-9_]*[A-Za-z0-9_]", name) for name in names)


# --- the kernels the screen is built from, against plain Python ------------------------------

RICH = json.loads((CORPUS / "records" / "002_a7d1dc08e0c5cbcf.json").read_text(encoding="utf-8"))


@st.composite
def span_sets(draw):
    """Spans in a few rows, short enough that equal, nested, crossing and touching spans are
    all common."""
    n = draw(st.integers(0, 14))
    rows = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    starts = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    widths = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    as_array = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    return as_array(rows), as_array(starts), as_array(starts) + as_array(widths)


@settings(max_examples=300, deadline=None)
@given(span_sets())
def test_nesting_faults_are_the_rows_with_a_repeated_or_crossing_span(spans):
    from belnews.check.columns import _nesting_faults
    from belnews.check.rules.overlaps import _crossing, _overlapping_pairs

    rows, starts, ends = spans
    expected = set()
    for r in set(rows.tolist()):
        mine = rows == r
        items = list(enumerate(zip(starts[mine].tolist(), ends[mine].tolist(), strict=True)))
        pairs = _overlapping_pairs(items)
        if any(a == c or _crossing(a, c) for (_, a), (_, c) in pairs):
            expected.add(r)
    assert set(_nesting_faults(rows, starts, ends).tolist()) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=40), st.binary(min_size=1, max_size=40), st.data())
def test_slices_compare_like_python_slices_on_both_paths(a, b, data):
    from belnews.check.columns import _gather_equal, _slices_equal

    k = data.draw(st.integers(0, 12))
    lengths = np.array(
        [data.draw(st.integers(0, min(len(a), len(b)))) for _ in range(k)], dtype=np.int64
    )
    a_at = np.array([data.draw(st.integers(0, len(a) - n)) for n in lengths], dtype=np.int64)
    b_at = np.array([data.draw(st.integers(0, len(b) - n)) for n in lengths], dtype=np.int64)
    expected = [a[i : i + n] == b[j : j + n] for i, j, n in zip(a_at, b_at, lengths, strict=True)]
    bufs = np.frombuffer(a, dtype=np.uint8), np.frombuffer(b, dtype=np.uint8)
    assert _slices_equal(bufs[0], a_at, bufs[1], b_at, lengths).tolist() == expected
    assert _gather_equal(bufs[0], a_at, bufs[1], b_at, lengths).tolist() == expected


def test_span_texts_are_compared_without_string_views_too(monkeypatch):
    """Where Arrow has no string views the screen compares bytes in NumPy: same verdicts."""
    import belnews.check.columns as columns

    lines = [line_of(RICH), line_of(BASE)]
    broken = copy.deepcopy(RICH)
    broken["entities"][3]["text"] = broken["entities"][3]["text"][::-1] + "x"
    lines.append(line_of(broken))
    assert clean(lines) == [True, True, False]
    monkeypatch.delattr(columns.pa, "string_view")
    assert clean(lines) == [True, True, False]


@pytest.mark.parametrize(
    ("block", "keys"),
    [
        (b'{"a":1,"b":{"c":null}}\n', 3),
        (b'{"a":"he said \\":no\\":"}\n', 1),  # escaped marks before colons are no keys
        (b'{"a":"\\\\","b":":"}\n', 2),  # an escaped backslash, then a closing mark
        (b'{"k" : 1}\n', 0),  # a spaced key is not counted: its row takes the exact path
        (b'{"a":1}\n' * 40000, 40000),  # more than one slice
    ],
)
def test_the_key_total_counts_unescaped_key_ends(block, keys):
    assert columnar.raw_key_total(block) == keys


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text('":a_\\ {,[é', max_size=60).map(str.encode), max_size=6))
def test_the_key_total_is_the_sum_of_the_per_line_counts(lines):
    block = b"".join(line + b"\n" for line in lines)
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    assert columnar.raw_key_total(block) == int(columnar.raw_key_counts(block, lengths).sum())


def test_a_row_missing_a_key_is_found_among_many_by_the_totals():
    """The totals disagree, so the lines are counted one by one and only that row fails."""
    record = copy.deepcopy(BASE)
    quote = next(q for q in record["quotes"] if q["addressee"] is None)
    del quote["addressee"]
    lines = [line_of(r) for r in VALID_RECORDS] + [line_of(record)]
    assert clean(lines) == [True] * len(VALID_RECORDS) + [False]


MENTION_DAMAGE = ["drop", "name", "stretch", "twin", "refragment"]


@st.composite
def mention_damaged(draw):
    """The richest record with its mentions or quote fragments changed: occurrences left
    unannotated, spans that cross or repeat, fragments of one quote that overlap."""
    record = copy.deepcopy(RICH)
    kind = draw(st.sampled_from(MENTION_DAMAGE))
    entities = record["entities"]
    at = draw(st.integers(0, len(entities) - 1))
    if kind == "drop":
        del entities[at]
    elif kind == "name":
        entities[at]["mention_type"] = "name"
    elif kind == "stretch":
        mention = entities[at]
        mention["end"] = min(len(record["text"]), mention["end"] + draw(st.integers(1, 12)))
        mention["text"] = record["text"][mention["start"] : mention["end"]]
    elif kind == "twin":
        entities.insert(at, {**entities[at], "id": "m999"})
    else:
        quote = draw(st.sampled_from(record["quotes"]))
        other = draw(st.sampled_from(record["quotes"]))
        quote["content"].append(copy.deepcopy(draw(st.sampled_from(other["content"]))))
    return kind, line_of(record)


def test_the_rich_record_is_vouched_for_with_its_nested_mentions():
    """"Belarus" occurs inside mentions such as "Belarusian" and "Belarus 24": covered."""
    names = {m["text"] for m in RICH["entities"] if m["mention_type"] == "name"}
    assert {"Belarus", "Belarusian"} <= names
    assert clean([line_of(RICH)]) == [True]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mention_damaged())
def test_mention_damage_is_never_vouched_for(case):
    kind, line = case
    issues = exact(line)
    if issues:
        assert clean([line]) == [False], (kind, [i.code for i in issues])
        assert clean([line_of(RICH), line, line_of(BASE)]) == [True, False, True], kind


def test_an_occurrence_outside_every_mention_is_flagged_even_when_counts_could_hide_it():
    """One "Minsk" mention dropped: the counts of text and mentions differ, the covered text
    holds one fewer occurrence, and the exact check names the uncovered one."""
    record = copy.deepcopy(RICH)
    minsk = [i for i, m in enumerate(record["entities"]) if m["text"] == "Minsk"]
    del record["entities"][minsk[-1]]
    line = line_of(record)
    assert "mention-unannotated" in [i.code for i in exact(line)]
    assert clean([line]) == [False]


@pytest.mark.parametrize(
    ("word", "overlaps"),
    [(b"Bora Bora", True), (b"aa", True), (b"Belarus", False), (b"Minsk", False), (b"a", False)],
)
def test_words_whose_occurrences_can_overlap_are_recognised(word, overlaps):
    """Counting finds non-overlapping occurrences only: such words take the exact path."""
    from belnews.check.rules.mentions import _has_border

    assert _has_border(word) is overlaps


@st.composite
def rebroken_lines(draw):
    """Valid compact records on their lines, then line breaks moved: some removed (two
    objects on a line), some added anywhere (an object broken over lines, blank lines)."""
    records = [RICH, BASE, *VALID_RECORDS[:2]]
    picked = draw(st.lists(st.integers(0, len(records) - 1), min_size=2, max_size=4))
    body = "\n".join(
        json.dumps({**records[i], "id": f"rec-{k}"}, ensure_ascii=False, separators=(",", ":"))
        for k, i in enumerate(picked)
    ).encode("utf-8")
    breaks = [i for i, byte in enumerate(body) if byte == 0x0A]
    drop = set(draw(st.lists(st.sampled_from(breaks), max_size=2))) if breaks else set()
    data = bytearray(b for i, b in enumerate(body) if i not in drop)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = b"\n"
    return bytes(data) + b"\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rebroken_lines())
def test_moved_line_breaks_give_the_same_issues_with_and_without_the_screen(
    tmp_path_factory, data
):
    path = tmp_path_factory.mktemp("rebroken") / "in.jsonl"
    path.write_bytes(data)
    with_screen = [(i.code, i.line, i.path) for i in iter_issues([path])]
    original = columnar.screen
    columnar.screen = lambda records, raw_keys=None: np.zeros(len(records), dtype=bool)
    try:
        exact_only = [(i.code, i.line, i.path) for i in iter_issues([path])]
    finally:
        columnar.screen = original
    assert with_screen == exact_only
