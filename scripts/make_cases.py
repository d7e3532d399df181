"""Write the validator's test cases: tests/cases/{valid,invalid}/ and invalid/expected.json.

Usage: python scripts/make_cases.py

Every invalid case is a small valid record broken in one way (or raw bytes that are not a
record at all), saved as its own file; expected.json lists the exact issue codes each must
produce (warnings included) and the exit status of `belnews validate`. The files are
committed; rerun this script after changing a case and review the diff.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from belnews.corpus.ingest import make_record
from belnews.corpus.records import dumps

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases"
RIGHTS = {"text_rights": "Written for the belnews test suite; CC0-1.0."}

TINY_RAW = (
    "Protests in Minsk\n\n"
    "“We will release everyone by 6 a.m.,” Yuri Karayev said in Minsk.\n\n"
    "Viasna said police detained over 250 people.\n"
).encode()
TINY_ANNOTATIONS: dict[str, Any] = {
    "quotes": [
        {
            "id": "q1",
            "kind": "direct",
            "content": "We will release everyone by 6 a.m.",
            "source": "Yuri Karayev",
            "source_kind": "named_person",
            "speaker": "c1",
            "cue": ["said", 1],
            "likely_translated": True,
        },
        {
            "id": "q2",
            "kind": "indirect",
            "content": "police detained over 250 people",
            "source": "Viasna",
            "source_kind": "organisation",
            "speaker": "c3",
            "cue": ["said", 2],
            "medium": "unknown",
        },
    ],
    "figures": [
        {"id": "f1", "at": "6 a.m.", "kind": "time", "iso": "T06:00", "asserted_by": "q1"},
        {
            "id": "f2",
            "at": "over 250",
            "kind": "count",
            "value": "250",
            "comparator": "gt",
            "measured_entity": "people",
            "asserted_by": "q2",
        },
    ],
    "clusters": [
        {
            "id": "c1",
            "label": "PERSON",
            "name": "Yuri Karayev",
            "nil_reason": "unsure",
            "mentions": ["Yuri Karayev"],
        },
        {
            "id": "c2",
            "label": "GPE",
            "name": "Minsk",
            "wikidata": "Q2280",
            "mentions": [["Minsk", 1], ["Minsk", 2]],
        },
        {
            "id": "c3",
            "label": "ORG",
            "name": "Viasna",
            "nil_reason": "unsure",
            "mentions": ["Viasna"],
        },
    ],
}


def tiny() -> dict[str, Any]:
    return make_record("tiny", TINY_RAW, "tiny.txt", RIGHTS, TINY_ANNOTATIONS)


def set_span_text(record: dict[str, Any], span: dict[str, Any]) -> None:
    span["text"] = record["text"][span["start"] : span["end"]]


def rehash(record: dict[str, Any]) -> None:
    record["provenance"]["text_sha256"] = hashlib.sha256(record["text"].encode()).hexdigest()


def mutate(fn: Callable[[dict[str, Any]], Any]) -> bytes:
    record = tiny()
    fn(record)
    return dumps(record).encode()


def _extend(r: dict[str, Any], span: dict[str, Any], *, start: int = 0, end: int = 0) -> None:
    span["start"] += start
    span["end"] += end
    set_span_text(r, span)


def _quote(r, i=0):
    return r["quotes"][i]


def _nfd_name(r: dict[str, Any]) -> None:
    """Put a character that is not NFC (U+212B ANGSTROM SIGN) into the dek."""
    pos = r["text"].index("Protests")
    r["text"] = r["text"][:pos] + "\u212b" + r["text"][pos + 1 :]
    rehash(r)


def _crossing(r):
    m = next(m for m in r["entities"] if m["text"] == "Yuri Karayev")
    r["entities"].append({**m, "id": "m99", "start": m["start"] + 5, "end": m["end"] + 5})
    set_span_text(r, r["entities"][-1])
    r["entities"].append({**m, "id": "m98", "cluster": "c1"})


INVALID: dict[str, tuple[bytes, list[str], int]] = {}


def case(name: str, data: bytes, codes: list[str], exit_code: int = 1) -> None:
    INVALID[name] = (data, sorted(codes), exit_code)


def build_invalid() -> None:
    base = dumps(tiny()).encode()
    # --- syntax ---
    case("syntax-truncated.json", base[: len(base) // 2], ["invalid-json"])
    case("syntax-trailing-comma.json", b'{"id": "x",}', ["invalid-json"])
    case("syntax-invalid-utf8.json", base.replace(b"Protests", b"Pr\xffotests"), ["invalid-utf8"])
    case("syntax-bom.json", b"\xef\xbb\xbf" + base, ["byte-order-mark"])
    case("syntax-empty.json", b"", ["file-empty"])
    case("syntax-whitespace-only.json", b"  \n\t\n", ["file-empty"])
    case("syntax-top-level-array.json", b"[" + base + b"]", ["not-an-object"])
    case("syntax-top-level-string.json", b'"a record"', ["not-an-object"])
    case(
        "syntax-duplicate-key.json",
        base.replace(b'"id": "tiny"', b'"id": "tiny", "id": "x"'),
        ["duplicate-key"],
    )
    case(
        "syntax-duplicate-nested-key.json",
        base.replace(b'"kind": "time"', b'"kind": "time", "kind": "count"'),
        ["duplicate-key"],
    )
    case("syntax-nan.json", base.replace(b'"value": "250"', b'"value": NaN'), ["non-finite-number"])
    case(
        "syntax-infinity.json",
        base.replace(b'"value": "250"', b'"value": -Infinity'),
        ["non-finite-number"],
    )
    case(
        "syntax-nesting-bomb.json",
        b'{"note": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        ["nesting-too-deep"],
    )
    case(
        "syntax-nesting-deep-parseable.json",
        base.replace(b'"note": null', b'"note": ' + b"[" * 100 + b"]" * 100, 1),
        ["nesting-too-deep"],
    )
    compact = json.dumps(tiny(), ensure_ascii=False).encode()
    case("syntax-jsonl-bad-second-line.jsonl", compact + b'\n{"id": \n', ["invalid-json"])
    case("syntax-jsonl-empty.jsonl", b"\n\n", ["file-empty"])
    case("syntax-jsonl-long-line.jsonl", compact + b"\n", ["line-too-long"])
    case("syntax-not-parquet.parquet", b"PAR1 this is not a parquet file", ["file-unreadable"], 2)
    case("syntax-unsupported.txt", b"just text", ["unsupported-file"], 2)
    # --- JSON Schema ---
    case("schema-missing-id.json", mutate(lambda r: r.pop("id")), ["schema-required"])
    case(
        "schema-unknown-field.json",
        mutate(lambda r: r.update(extra=1)),
        ["schema-additional-properties"],
    )
    case("schema-text-not-string.json", mutate(lambda r: r.update(text=42)), ["schema-type"])
    case(
        "schema-integer-as-float.json",
        mutate(lambda r: r["entities"][0].update(start=float(r["entities"][0]["start"]))),
        ["integer-written-as-float"],
    )
    case(
        "schema-negative-offset.json",
        mutate(lambda r: r["sections"][0].update(start=-1)),
        ["schema-minimum"],
    )
    case(
        "schema-bad-quote-kind.json",
        mutate(lambda r: _quote(r).update(kind="verbatim")),
        ["schema-enum"],
    )
    case(
        "schema-bad-id-pattern.json",
        mutate(lambda r: r.update(id="Tiny Record")),
        ["schema-pattern"],
    )
    case(
        "schema-as-of-basis-without-as-of.json",
        mutate(lambda r: r["figures"][0].update(as_of=None, as_of_basis="publication")),
        ["schema-type"],
    )
    case(
        "schema-as-of-without-basis.json",
        mutate(lambda r: r["figures"][0].update(as_of="2020-08-14", as_of_basis=None)),
        ["schema-type"],
    )
    case(
        "schema-wrong-version.json",
        mutate(lambda r: r.update(schema_version="1.0.0")),
        ["schema-const"],
    )
    case(
        "schema-empty-content.json",
        mutate(lambda r: _quote(r).update(content=[])),
        ["schema-min-items"],
    )
    case(
        "schema-empty-span-text.json",
        mutate(lambda r: _quote(r)["cue"].update(text="")),
        ["schema-min-length"],
    )
    case(
        "schema-inferred-without-evidence.json",
        mutate(lambda r: r["metadata"]["publisher"].update(inferred=True)),
        ["schema-type"],
    )
    case(
        "schema-cue-not-a-span.json",
        mutate(lambda r: _quote(r).update(cue="said")),
        ["schema-type"],
    )
    case(
        "schema-offset-map-short-row.json",
        mutate(lambda r: r["provenance"]["offset_map"][0].pop()),
        ["schema-min-items"],
    )
    case(
        "schema-many-errors.json",
        mutate(
            lambda r: (
                r.pop("id"),
                _quote(r).update(kind="verbatim"),
                r["sections"][1].update(end=-5),
            )
        ),
        ["schema-enum", "schema-minimum", "schema-required"],
    )
    # --- semantic ---
    case(
        "semantic-span-out-of-bounds.json",
        mutate(lambda r: r["figures"][1].update(end=10_000)),
        ["span-out-of-bounds"],
    )
    case(
        "semantic-span-text-mismatch.json",
        mutate(lambda r: r["entities"][0].update(text="Minks")),
        ["span-text-mismatch"],
    )
    case(
        "semantic-span-whitespace-edge.json",
        mutate(lambda r: _extend(r, r["figures"][1], end=1)),
        ["span-whitespace-edge"],
    )
    case(
        "semantic-duplicate-id.json",
        mutate(lambda r: r["figures"][1].update(id="f1")),
        ["duplicate-id"],
    )
    case(
        "semantic-unknown-speaker.json",
        mutate(lambda r: _quote(r).update(speaker="c9")),
        ["unknown-reference"],
    )
    case(
        "semantic-unknown-asserter.json",
        mutate(lambda r: r["figures"][1].update(asserted_by="q7")),
        ["unknown-reference"],
    )
    case(
        "semantic-label-mismatch.json",
        mutate(lambda r: r["entities"][0].update(label="LOC")),
        ["label-mismatch"],
    )
    case(
        "semantic-cluster-without-name.json",
        mutate(
            lambda r: next(m for m in r["entities"] if m["text"] == "Viasna").update(
                mention_type="nominal"
            )
        ),
        ["cluster-without-name"],
    )
    case(
        "semantic-cluster-unnamed-with-one-mention.json",
        mutate(
            lambda r: next(
                c for c in r["clusters"] if c["id"] == next(
                    m["cluster"] for m in r["entities"] if m["text"] == "Viasna"
                )
            ).update(name=None)
        ),
        ["cluster-unnamed-invalid"],
    )
    case(
        "semantic-overlap-crossing.json",
        mutate(_crossing),  # m99 crosses both copies: reported once, "(and 1 more)"
        ["overlap-crossing", "overlap-duplicate"],
    )
    case(
        "semantic-figure-overlap.json",
        mutate(
            lambda r: r["figures"].append(
                {
                    **r["figures"][1],
                    "id": "f3",
                    "start": r["figures"][1]["start"] + 5,
                    "text": "250",
                }
            )
        ),
        ["figure-overlap"],
    )
    case(
        "semantic-sections-invalid.json",
        mutate(lambda r: r["sections"][0].update(end=r["sections"][0]["end"] + 1)),
        ["sections-invalid"],
    )
    case(
        "semantic-span-crosses-section.json",
        mutate(lambda r: _extend(r, r["quotes"][1]["content"][0], start=-15)),
        ["span-crosses-section"],
    )
    case("semantic-text-not-nfc.json", mutate(_nfd_name), ["text-not-nfc"])
    case(
        "semantic-text-hash-mismatch.json",
        mutate(lambda r: r["provenance"].update(text_sha256="0" * 64)),
        ["text-hash-mismatch"],
    )
    case(
        "semantic-offset-map-invalid.json",
        mutate(lambda r: r["provenance"]["offset_map"].pop()),
        ["offset-map-invalid"],
    )
    case(
        "semantic-figure-range.json",
        mutate(lambda r: r["figures"][1].update(low="9", high="3")),
        ["figure-range"],
    )
    case(
        "semantic-mark-not-quotation.json",
        mutate(lambda r: _quote(r)["marks"][0].update(start=20, end=21, text="W")),
        ["mark-not-quotation"],
    )
    # --- warnings (reported, exit 0 unless --strict) ---
    case(
        "warning-quote-roles-apart.json",
        mutate(lambda r: _quote(r, 1).update(cue=_quote(r, 0)["cue"])),
        ["quote-roles-apart"],
        0,
    )
    case(
        "warning-direct-quote-unmarked.json",
        mutate(lambda r: _quote(r).update(marks=[])),
        ["direct-quote-unmarked"],
        0,
    )
    case(
        "warning-figure-value-mismatch.json",
        mutate(lambda r: r["figures"][1].update(value="25")),
        ["figure-value-mismatch"],
        0,
    )
    case(
        "warning-mention-unannotated.json",
        mutate(lambda r: r["entities"].pop(2)),
        ["mention-unannotated"],
        0,
    )
    # --- across records ---
    case(
        "corpus-duplicate-record-id.jsonl",
        compact + b"\n" + compact + b"\n",
        ["duplicate-record-id"],
    )


def grapheme_record() -> dict[str, Any]:
    raw = "Go to x\u0301yz now.\n".encode()
    return make_record(
        "grapheme",
        raw,
        "grapheme.txt",
        RIGHTS,
        {
            "clusters": [
                {
                    "id": "c1",
                    "label": "GPE",
                    "name": "x",
                    "nil_reason": "unsure",
                    "mentions": [["x", 1]],
                }
            ]
        },
    )


def _with_text(r: dict[str, Any], old: str, new: str) -> None:
    """Replace a same-length stretch of the text (offsets stay valid) and rehash."""
    assert len(old) == len(new)
    r["text"] = r["text"].replace(old, new, 1)
    rehash(r)


def _parent_cycle(r: dict[str, Any]) -> None:
    r["quotes"][0]["parent"] = "q2"
    r["quotes"][1]["parent"] = "q1"


def _grapheme_variant(mark: str) -> dict[str, Any]:
    record = grapheme_record()
    record["id"] = "grapheme"
    record["text"] = record["text"].replace("\u0301", mark)
    rehash(record)
    return record


def _parquet(columns: dict[str, Any]) -> bytes:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue()


def _many_mentions(r: dict[str, Any]) -> None:
    first = r["entities"][0]
    r["entities"] = [dict(first, id=f"m{i}") for i in range(1, 801)]


def _spans_table() -> bytes:
    """A release's spans table (one row per span): not records, and it says so."""
    import io

    import pyarrow.parquet as pq

    from belnews.release.spans import span_table
    from belnews.schema.arrow import records_to_table

    sink = io.BytesIO()
    pq.write_table(span_table(records_to_table([tiny()])), sink)
    return sink.getvalue()


def build_gate_cases() -> None:
    """Inputs that got past or crashed the gate (issue 11): one case per class."""
    case(
        "semantic-800-identical-mentions.json",
        mutate(_many_mentions),
        ["cluster-without-name"] * 2 + ["overlap-duplicate"] * 98 + ["too-many-issues"],
    )
    import datetime

    import pyarrow as pa

    case("syntax-spans-table.parquet", _spans_table(), ["spans-table"])
    case(
        "syntax-parquet-binary-column.parquet",
        _parquet({"id": ["tiny"], "text": pa.array([b"\xff\xfe"], pa.binary())}),
        ["parquet-unsupported-type"],
    )
    case(
        "syntax-parquet-timestamp-column.parquet",
        _parquet({"id": ["tiny"], "when": [datetime.datetime(2020, 8, 14)]}),
        ["parquet-unsupported-type"],
    )
    base = dumps(tiny()).encode()
    line = json.dumps(tiny(), ensure_ascii=False).encode()
    for name, spaced in (
        ("space-before-colon", b'"id" : "tiny", "id": "x"'),
        ("newline-before-colon", b'"id"\n:"tiny", "id":"x"'),
        ("tab-after-colon", b'"id":\t"tiny", "id":"x"'),
    ):
        case(
            f"syntax-duplicate-key-{name}.json",
            base.replace(b'"id": "tiny"', spaced),
            ["duplicate-key"],
        )
    case(
        "syntax-duplicate-key-spaced.jsonl",
        line.replace(b'"id": "tiny"', b'"id" : "tiny", "id": "x"') + b"\n",
        ["duplicate-key"],
    )
    huge = b"9" * 5000
    case(
        "syntax-huge-integer.json",
        base.replace(b'"start": 0', b'"start": ' + huge, 1),
        ["number-too-large"],
    )
    case(
        "syntax-huge-integer.jsonl",
        line.replace(b'"start": 0', b'"start": ' + huge, 1) + b"\n",
        ["number-too-large"],
    )
    case(
        "syntax-overflowing-float.json",
        base.replace(b'"value": "250"', b'"value": 1e999'),
        ["non-finite-number"],
    )
    case(
        "syntax-lone-surrogate-text.json",
        base.replace(b"Protests", b"Pr\\ud800tests", 1),
        ["invalid-unicode"],
    )
    case(
        "syntax-lone-surrogate-key.json",
        base.replace(b'"note"', b'"no\\udc00te"', 1),
        ["invalid-unicode"],
    )
    case(
        "syntax-lone-surrogate.jsonl",
        line.replace(b"Protests", b"Pr\\ud800tests", 1) + b"\n",
        ["invalid-unicode"],
    )
    for name, fn in (
        ("id", lambda r: r.update(id="tiny\n")),
        ("qid", lambda r: r["clusters"][1].update(wikidata="Q2280\n")),
        ("date", lambda r: r["metadata"]["date_published"].update(value="2020-08-14\n")),
    ):
        case(f"schema-pattern-trailing-newline-{name}.json", mutate(fn), ["schema-pattern"])
    for name, char in (("cr", "\r"), ("u2028", "\u2028"), ("nel", "\x85"), ("vt", "\x0b")):
        case(
            f"semantic-text-line-break-{name}.json",
            mutate(lambda r, c=char: _with_text(r, "Protests in", f"Protests{c}in")),
            ["text-line-break"],
        )
    case(
        "semantic-quote-parent-cycle.json",
        mutate(_parent_cycle),
        ["quote-parent-cycle", "quote-parent-cycle"],
    )
    case(
        "semantic-figure-value-outside-range.json",
        mutate(lambda r: r["figures"][1].update(low="1", high="2")),
        ["figure-value-outside-range"],
    )
    for name, fn in (
        ("month-13", lambda r: r["metadata"]["date_published"].update(value="2020-13-45")),
        ("not-leap", lambda r: r["metadata"]["date_published"].update(value="2021-02-29")),
        ("iso-month-day", lambda r: r["figures"][0].update(iso="--02-30")),
        ("iso-time", lambda r: r["figures"][0].update(iso="T25:00")),
        ("as-of", lambda r: r["figures"][1].update(as_of="2020-02-30", as_of_basis="text")),
    ):
        case(f"semantic-date-invalid-{name}.json", mutate(fn), ["date-invalid"])
    for name, mark in (
        ("enclosing-circle", "\u20dd"),
        ("variation-selector", "\ufe0f"),
        ("spacing-mark", "\u093f"),
    ):
        case(
            f"semantic-span-splits-grapheme-{name}.json",
            dumps(_grapheme_variant(mark)).encode(),
            ["span-splits-grapheme"],
        )


VALID: dict[str, Any] = {}


def build_valid() -> None:
    VALID["tiny.json"] = tiny()
    empty = make_record("empty-layers", b"A quiet day in the capital.\n", "empty.txt", RIGHTS)
    VALID["empty-layers.json"] = empty
    text = "Łukasz 👋🏽 met Zoë in Kraków; Ångström said “q\u0307uiet café” 🇧🇾.\n"
    VALID["non-ascii.json"] = make_record(
        "non-ascii",
        text.encode(),
        "non-ascii.txt",
        RIGHTS,
        {
            "quotes": [
                {
                    "id": "q1",
                    "kind": "direct",
                    "content": "q\u0307uiet café",
                    "source": "Ångström",
                    "source_kind": "named_person",
                    "speaker": "c3",
                    "cue": "said",
                }
            ],
            "clusters": [
                {
                    "id": "c1",
                    "label": "PERSON",
                    "name": "Łukasz",
                    "nil_reason": "unsure",
                    "mentions": ["Łukasz"],
                },
                {
                    "id": "c2",
                    "label": "GPE",
                    "name": "Kraków",
                    "nil_reason": "unsure",
                    "mentions": ["Kraków"],
                },
                {
                    "id": "c3",
                    "label": "PERSON",
                    "name": "Ångström",
                    "nil_reason": "unsure",
                    "mentions": ["Ångström"],
                },
                {
                    "id": "c4",
                    "label": "PERSON",
                    "name": "Zoë",
                    "nil_reason": "unsure",
                    "mentions": ["Zoë"],
                },
            ],
        },
    )
    edge = "Minsk stands, said Minsk"
    VALID["edges.json"] = make_record(
        "edges",
        edge.encode(),
        "edges.txt",
        RIGHTS,
        {
            "clusters": [
                {
                    "id": "c1",
                    "label": "GPE",
                    "name": "Minsk",
                    "wikidata": "Q2280",
                    "mentions": [["Minsk", 1], ["Minsk", 2]],
                }
            ],
        },
    )
    decomposed = "Ni\u0303o and Ba\u0308r met.\n"  # ñ and ä compose under NFC
    record = make_record("decomposed", decomposed.encode(), "decomposed.txt", RIGHTS)
    assert unicodedata.is_normalized("NFC", record["text"])
    VALID["decomposed-input.json"] = record
    lines = [
        json.dumps({**VALID[k], "id": f"jsonl-{VALID[k]['id']}"}, ensure_ascii=False)
        for k in ("tiny.json", "edges.json")
    ]  # own ids: the folder validates as a whole
    VALID["two-records.jsonl"] = "\n".join(lines) + "\n"


def main() -> None:
    build_invalid()
    build_gate_cases()
    build_valid()
    for sub in ("valid", "invalid"):
        shutil.rmtree(CASES / sub, ignore_errors=True)
        (CASES / sub).mkdir(parents=True)
    expected = {}
    for name, (data, codes, exit_code) in sorted(INVALID.items()):
        (CASES / "invalid" / name).write_bytes(data)
        expected[name] = {"codes": codes, "exit": exit_code}
    expected["syntax-jsonl-long-line.jsonl"]["max_line_bytes"] = 1000
    grapheme = grapheme_record()
    (CASES / "invalid" / "semantic-span-splits-grapheme.json").write_text(dumps(grapheme))
    expected["semantic-span-splits-grapheme.json"] = {"codes": ["span-splits-grapheme"], "exit": 1}
    (CASES / "invalid" / "expected.json").write_text(
        json.dumps(dict(sorted(expected.items())), indent=2) + "\n"
    )
    for name, value in VALID.items():
        text = value if isinstance(value, str) else dumps(value)
        (CASES / "valid" / name).write_text(text, encoding="utf-8")
    provenance(CASES / "provenance")
    print(f"{len(expected)} invalid and {len(VALID)} valid cases written to {CASES}")


def provenance(folder: Path) -> None:
    """A corpus-shaped folder whose records disagree with their raw files."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "raw").mkdir(parents=True)
    (folder / "records").mkdir()
    (folder / "raw" / "tiny.txt").write_bytes(TINY_RAW)
    good = tiny()
    (folder / "records" / "tiny.json").write_text(dumps(good))
    other = copy.deepcopy(good)
    other["id"] = "changed-raw"
    other["provenance"]["raw_sha256"] = "0" * 64
    (folder / "records" / "changed-raw.json").write_text(dumps(other))
    moved = copy.deepcopy(good)
    moved["id"] = "renormalized"
    moved["text"] = moved["text"].replace("Protests", "Protest!")
    rehash(moved)
    (folder / "records" / "renormalized.json").write_text(dumps(moved))
    missing = copy.deepcopy(good)
    missing["id"] = "no-raw"
    missing["provenance"]["raw_file"] = "missing.txt"
    (folder / "records" / "no-raw.json").write_text(dumps(missing))
    past = copy.deepcopy(good)
    past["id"] = "map-past-end"
    past["provenance"]["offset_map"][-1][3] = 10**6
    (folder / "records" / "map-past-end.json").write_text(dumps(past))
    invented = copy.deepcopy(good)
    invented["id"] = "invented-removed"
    invented["provenance"]["removed"].append(
        {"rule": "source-footer", "raw_start": 0, "raw_end": 3, "text": "Pro"}
    )
    (folder / "records" / "invented-removed.json").write_text(dumps(invented))
    shifted = copy.deepcopy(good)
    shifted["id"] = "shifted-map"
    shifted["provenance"]["offset_map"][0][2] += 1
    shifted["provenance"]["offset_map"][0][3] += 1
    (folder / "records" / "shifted-map.json").write_text(dumps(shifted))
    latin = "Protests in Minsk\n\nCaf\u00e9.\n".encode("latin-1")
    (folder / "raw" / "latin.txt").write_bytes(latin)
    not_utf8 = copy.deepcopy(good)
    not_utf8["id"] = "raw-not-utf8"
    not_utf8["provenance"]["raw_file"] = "latin.txt"
    not_utf8["provenance"]["raw_sha256"] = hashlib.sha256(latin).hexdigest()
    (folder / "records" / "raw-not-utf8.json").write_text(dumps(not_utf8))
    (folder / "expected.json").write_text(
        json.dumps(
            {
                "changed-raw": ["raw-hash-mismatch"],
                "invented-removed": ["provenance-map-mismatch"],
                "map-past-end": ["raw-offset-out-of-range"],
                "no-raw": ["raw-file-missing"],
                "raw-not-utf8": ["raw-not-utf8"],
                "renormalized": ["text-not-reproducible"],
                "shifted-map": ["provenance-map-mismatch"],
                "tiny": [],
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
