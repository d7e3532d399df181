"""Export the gold, import it back: every field the format carries comes back identical."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belnews.corpus.ingest import record_from_corpus
from belnews.interchange import export_records, import_file
from belnews.interchange.compare import ALL_FIELDS, differences
from belnews.validate import validate_record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .conftest import IDS, gold_record

#: Formats with an import, and the file each export writes for a record.
FILES = {
    "w3c": "{id}.jsonld",
    "brat": "{id}.ann",
    "inception": "{id}.xmi",
    "labelstudio": "{id}.task.json",
}


def exported_file(fmt: str, record: dict, out: Path) -> Path:
    """Export one record; for Label Studio, turn the prediction into an annotation as the
    tool does when an annotator accepts it, and write the task as Label Studio exports it."""
    export_records(fmt, [record], out)
    if fmt != "labelstudio":
        return out / FILES[fmt].format(id=record["id"])
    (task,) = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    prediction = task.pop("predictions")[0]
    task["id"] = 1
    task["annotations"] = [{"id": 1, "result": prediction["result"], "was_cancelled": False,
                            "completed_by": 1}]  # fmt: skip
    path = out / FILES[fmt].format(id=record["id"])
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", sorted(FILES))
@pytest.mark.parametrize("rid", IDS)
def test_gold_round_trip(fmt: str, rid: str, corpus: Path, tmp_path: Path) -> None:
    gold = gold_record(rid)
    path = exported_file(fmt, gold, tmp_path / "out")
    result = import_file(fmt, path, corpus)
    assert differences(gold, result.record, ALL_FIELDS) == []
    # the file on disk is what the real ingest reads, and it validates
    assert result.path == corpus / "annotations" / f"{rid}.toml"
    rebuilt = record_from_corpus(corpus, rid)
    assert rebuilt == result.record
    assert [
        i for i in validate_record(rebuilt, raw_dir=corpus / "raw") if i.severity == "error"
    ] == []
    source = tomllib.loads(result.path.read_text(encoding="utf-8"))
    assert source["defaults"]["status"] == "contributed_unreviewed"
    statuses = {x["origin"]["status"] for layer in ("quotes", "figures", "entities")
                for x in rebuilt[layer]}  # fmt: skip
    assert statuses == {"contributed_unreviewed"}


def _renumbered(record: dict) -> dict:
    record["entities"].sort(key=lambda m: (m["start"], m["end"]))
    for n, m in enumerate(record["entities"], start=1):
        m["id"] = f"m{n}"
    return record


@st.composite
def variants(draw: st.DrawFn) -> dict:
    """A record built from a gold one: a subset of its annotations, fresh attribute values.

    Name mentions of a kept cluster are kept (the validator requires the cluster name to
    be one of them); everything else is kept or dropped at random."""
    record = copy.deepcopy(gold_record(draw(st.sampled_from(IDS))))
    # XML 1.0 cannot hold control characters; that loss has its own test.
    chars = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    note = st.none() | st.text(chars, min_size=0, max_size=30)
    quotes = [q for q in record["quotes"] if draw(st.booleans())]
    kept_q = {q["id"] for q in quotes}
    clusters = [c for c in record["clusters"] if draw(st.booleans())]
    kept_c = {c["id"] for c in clusters}
    for q in quotes:
        q["parent"] = q["parent"] if q["parent"] in kept_q else None
        q["repeats"] = [r for r in q["repeats"] if r in kept_q]
        q["speaker"] = q["speaker"] if q["speaker"] in kept_c else None
        q["note"] = draw(note)
        q["likely_translated"] = draw(st.booleans())
        q["medium"] = draw(st.sampled_from(["spoken", "written", "chanted", "unknown"]))
        q["origin"]["annotator"] = draw(st.text(chars, min_size=1, max_size=12))
        q["origin"]["method"] = draw(st.sampled_from(["manual", "rule", "model"]))
    figures = [f for f in record["figures"] if draw(st.booleans())]
    for f in figures:
        if f["asserted_by"] and f["asserted_by"] not in kept_q | kept_c:
            f["asserted_by"] = None
        f["note"] = draw(note)
    mentions = []
    for c in clusters:
        own = [m for m in record["entities"] if m["cluster"] == c["id"]]
        # an unnamed cluster keeps every mention (it has no name mention to keep it alive)
        mentions += [
            m
            for m in own
            if m["mention_type"] == "name" or c["name"] is None or draw(st.booleans())
        ]
        c["members"] = [k for k in c["members"] if k in kept_c]
        c["note"] = draw(note)
    for m in mentions:
        m["note"] = draw(note)
    record.update(quotes=quotes, figures=figures, entities=mentions, clusters=clusters)
    return _renumbered(record)


@pytest.mark.parametrize("fmt", sorted(FILES))
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(record=variants())
def test_generated_round_trip(fmt: str, record: dict, corpus: Path, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("out")
    path = exported_file(fmt, record, out)
    result = import_file(fmt, path, corpus, force=True)
    assert differences(record, result.record, ALL_FIELDS) == []
