"""`belnews diff`: every annotation that moved between two releases, and the 1.0 → 2.0 upgrade."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from belnews.cli import cli
from belnews.release.changes import (
    diff_releases,
    read_release,
    record_changes,
    release_records,
    render_markdown,
    upgrade,
)
from conftest import ROOT, committed_record

OLD = ROOT / "releases" / "0.1.0" / "records.jsonl"


def test_the_0_1_0_snapshot_is_schema_1_and_upgrades_to_the_current_shape():
    old = read_release(OLD)
    assert [r["schema_version"] for r in old] == ["1.0.0", "1.0.0"]
    new = committed_record("002_a7d1dc08e0c5cbcf")
    up = upgrade(next(r for r in old if r["id"] == new["id"]))
    for layer in ("quotes", "figures", "clusters"):
        assert set(up[layer][0]) == set(new[layer][0]), layer
    bullet = next(q for q in up["quotes"] if q["id"] == "q5")
    assert bullet["repeats"] == ["q15"]  # one id became a list
    f1 = next(f for f in up["figures"] if f["id"] == "f1")
    assert f1["measured_entity"]["text"] == "people" and "measured" not in f1


def test_edits_of_the_text_and_of_a_mention_are_reported_at_their_keys():
    old = committed_record("000_b610fad01348a5b2")
    new = copy.deepcopy(old)
    new["text"] += " "
    mention = next(m for m in new["entities"] if m["text"] == "Lithuania" or m["label"] == "PERSON")
    key = f"{mention['start']}-{mention['end']}"
    mention["start"] += 1
    moved = next(m for m in new["entities"] if m["mention_type"] == "name" and m is not mention)
    moved["cluster"] = "c1" if moved["cluster"] != "c1" else "c2"
    changes = {(c.layer, c.key): c for c in record_changes(old, new)}
    assert changes["text", "text"].status == "changed"
    assert changes["entities", key].status == "removed"
    assert changes["entities", f"{mention['start']}-{mention['end']}"].status == "added"
    regrouped = changes["entities", f"{moved['start']}-{moved['end']}"]
    assert [f for f, _, _ in regrouped.fields] == ["cluster"]  # a coreference change shows


def test_a_release_compared_with_itself_has_no_change():
    records = release_records("0.2.0", ROOT)
    assert diff_releases(records, copy.deepcopy(records)) == []
    old = read_release(OLD)
    assert diff_releases(old, copy.deepcopy(old)) == []


def test_0_1_0_to_0_2_0_lists_known_changes_exactly():
    changes = diff_releases(read_release(OLD), release_records("0.2.0", ROOT))
    by_key = {(c.record_id, c.layer, c.key): c for c in changes}
    q28 = by_key["002_a7d1dc08e0c5cbcf", "quotes", "q28"]
    assert q28.status == "changed"
    assert [(f, a[0]["text"], b[0]["text"]) for f, a, b in q28.fields] == [
        ("content", "the election result as rigged", "rigged")
    ]
    okrestina = by_key["002_a7d1dc08e0c5cbcf", "entities", "2421-2437"]
    assert (okrestina.status, okrestina.text) == ("removed", "Okrestina prison")
    assert by_key["002_a7d1dc08e0c5cbcf", "entities", "2421-2430"].status == "added"
    assert by_key["002_a7d1dc08e0c5cbcf", "quotes", "q32"].status == "added"
    assert by_key["000_b610fad01348a5b2", "clusters", "c14"].status == "added"
    assert not [c for c in changes if c.status == "removed" and c.layer != "entities"]


def test_every_0_1_0_id_is_still_there():
    old = {r["id"]: r for r in read_release(OLD)}
    new = {r["id"]: r for r in release_records("0.2.0", ROOT)}
    assert old.keys() == new.keys()
    for rid, record in old.items():
        for layer in ("quotes", "figures", "clusters"):
            before = {item["id"] for item in record[layer]}
            after = {item["id"] for item in new[rid][layer]}
            assert before <= after, (rid, layer, before - after)


def test_the_changelog_lists_the_generated_changes():
    changes = diff_releases(read_release(OLD), release_records("0.2.0", ROOT))
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert render_markdown(changes, old="0.1.0", new="0.2.0") in text


EDITS = {
    "quotes": {
        "note": st.text(min_size=1, max_size=20),
        "kind": st.sampled_from(["direct", "indirect", "mixed", "partial"]),
        "cue": st.none(),
        "repeats": st.lists(st.sampled_from(["q1", "q2", "q3"]), max_size=2, unique=True),
        "likely_translated": st.booleans(),
    },
    "figures": {
        "note": st.text(min_size=1, max_size=20),
        "value": st.none() | st.integers(0, 10**6).map(str),
        "as_of": st.none() | st.just("2020-08-14"),
        "measured_entity": st.none(),
    },
    "clusters": {
        "note": st.text(min_size=1, max_size=20),
        "name": st.none() | st.text(min_size=1, max_size=10),
        "members": st.lists(st.sampled_from(["c1", "c2"]), max_size=2, unique=True),
    },
}


@given(st.data())
def test_any_single_edit_is_reported_once_at_its_key_and_field(data):
    old = committed_record("002_a7d1dc08e0c5cbcf")
    new = copy.deepcopy(old)
    layer = data.draw(st.sampled_from(sorted(EDITS)))
    item = data.draw(st.sampled_from(new[layer]))
    name = data.draw(st.sampled_from(sorted(EDITS[layer])))
    value = data.draw(EDITS[layer][name].filter(lambda v: v != item[name]))
    item[name] = value
    (change,) = record_changes(old, new)
    assert (change.layer, change.key, change.status) == (layer, item["id"], "changed")
    assert [f for f, _, _ in change.fields] == [name]


def test_a_record_without_the_keys_a_diff_pairs_by_is_a_clear_error(tmp_path):
    broken = committed_record("002_a7d1dc08e0c5cbcf")
    del broken["quotes"][3]["id"]
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--root", str(ROOT), "diff", "0.1.0", str(path)])
    assert out.exit_code == 2
    assert "$.quotes[3]: expected an object with id" in out.output
    assert "Traceback" not in out.output and "internal error" not in out.output
    broken["quotes"] = "oops"
    path.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--root", str(ROOT), "diff", str(path), "0.2.0"])
    assert out.exit_code == 2 and "$.quotes: expected a list, found str" in out.output


def test_cli_diff_prints_markdown_and_json():
    runner = CliRunner()
    out = runner.invoke(cli, ["diff", "0.1.0", "0.2.0"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Annotations that moved from 0.1.0 to 0.2.0")
    data = json.loads(runner.invoke(cli, ["diff", "0.1.0", "0.2.0", "--format", "json"]).output)
    assert {c["status"] for c in data} == {"added", "changed", "removed"}


@pytest.mark.parametrize("spec", ["9.9.9", "no/such/path.jsonl"])
def test_cli_diff_of_an_unknown_release_is_a_usage_error(spec):
    out = CliRunner().invoke(cli, ["diff", spec, "0.2.0"])
    assert out.exit_code == 2
    assert "not a release version (0.1.0, 0.2.0)" in out.output
    assert "Traceback" not in out.output


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@given(st.data())
def test_damaged_records_give_a_list_or_a_record_error_never_a_crash(data):
    from belnews.errors import RecordError

    old = committed_record("000_b610fad01348a5b2")
    new = copy.deepcopy(old)
    layer = data.draw(st.sampled_from(["quotes", "figures", "entities", "clusters"]))
    if data.draw(st.booleans()):
        new[layer] = data.draw(JSON)
    else:
        item = data.draw(st.sampled_from(new[layer]))
        item[data.draw(st.sampled_from(sorted(item)))] = data.draw(JSON)
    try:
        changes = diff_releases([old], [new])
    except RecordError:
        return
    assert isinstance(changes, list)
