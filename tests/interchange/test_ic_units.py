"""The flat unit view carries the 2.0 fields, and refuses id lists that point nowhere."""

from __future__ import annotations

import copy
import json

import pytest

from belnews.interchange.common import InterchangeError
from belnews.interchange.units import flatten, unflatten

from .conftest import CORPUS


def _record(rid: str) -> dict:
    return json.loads((CORPUS / "records" / f"{rid}.json").read_text(encoding="utf-8"))


def test_time_place_measeval_repeats_and_unnamed_clusters_survive_the_flat_view():
    record = _record("002_a7d1dc08e0c5cbcf")
    units = flatten(record)
    types = {u.type for u in units}
    assert {"Time", "Place", "MeasuredEntity", "MeasuredProperty", "Qualifier"} <= types
    back = unflatten(units, record["text"])
    quotes = {q["id"]: q for q in back["quotes"]}
    assert quotes["q6"]["repeats"] == ["q24", "q26"]
    assert (quotes["q15"]["time"]["text"], quotes["q15"]["place"]["text"]) == (
        "on Thursday night",
        "in Minsk",
    )
    figures = {f["id"]: f for f in back["figures"]}
    assert figures["f25"]["qualifier"]["text"] == "local time"
    assert figures["f8"]["as_of_basis"] == "text"
    clusters = {c["id"]: c for c in back["clusters"]}
    assert clusters["c18"]["name"] is None
    other = _record("000_b610fad01348a5b2")
    group = next(c for c in other["clusters"] if c["members"])
    first = unflatten(flatten(other), other["text"])
    assert {c["id"]: c["members"] for c in first["clusters"]}[group["id"]] == ["c2", "c3"]


@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        ("repeats", "q999", "q6.repeats: 'q999' is not another quote"),
        ("repeats", "q6", "q6.repeats: 'q6' is not another quote"),
    ],
)
def test_a_repeats_id_that_points_nowhere_is_refused(attr, value, message):
    record = _record("002_a7d1dc08e0c5cbcf")
    units = flatten(record)
    quote = next(u for u in units if u.key == "q6")
    quote.attrs[attr] = value
    with pytest.raises(InterchangeError, match=message):
        unflatten(units, record["text"])


def test_a_members_id_that_points_nowhere_is_refused():
    record = copy.deepcopy(_record("000_b610fad01348a5b2"))
    units = flatten(record)
    holder = next(u for u in units if "cluster_members" in u.attrs)
    holder.attrs["cluster_members"] = "c2 c404"
    with pytest.raises(InterchangeError, match="members: 'c404' is not another cluster"):
        unflatten(units, record["text"])


@pytest.mark.parametrize("foreign", ["q\u00b2", "q\u0663", "q7\u00b9"])
def test_a_foreign_id_with_digits_that_are_not_ascii_is_renumbered(foreign):
    """"²" and "٣" are digits to ``str.isdigit`` but not to the schema's ``^q[0-9]+$``."""
    record = _record("002_a7d1dc08e0c5cbcf")
    units = flatten(record)
    quote = next(u for u in units if u.key == "q6")
    quote.attrs["id"] = foreign
    back = unflatten(units, record["text"])
    ids = [q["id"] for q in back["quotes"]]
    assert foreign not in ids
    assert all(i[0] == "q" and i[1:].isascii() and i[1:].isdigit() for i in ids)
    assert len(set(ids)) == len(record["quotes"])
