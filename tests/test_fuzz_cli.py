"""Fuzz the CLI: random bytes and random structural damage to valid records, as .json, .jsonl
and stdin. Whatever the input: no traceback, an exit status in {0, 1, 2} (3 is a crash), and at
least one issue for every damaged record the exact validator (``validate_record``) calls
invalid. A damage that leaves the record valid is fine.

The damage includes integers far past Python's 4,300-digit conversion limit and lone
surrogates in strings (which ``--format json`` must still be able to print).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belnews.corpus.store as store
from belnews.check.validate import validate_record
from belnews.cli import cli
from conftest import ROOT

VALID = ROOT / "tests" / "cases" / "valid"
BASES = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(VALID.glob("*.json"))}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _paths(value: Any, where: tuple = ()) -> list[tuple]:
    """Every path into a record (list items: the first two), the root excluded."""
    out = [where] if where else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:2]):
            out += _paths(v, (*where, i))
    return out


PATHS = {name: _paths(record) for name, record in BASES.items()}

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _deep(depth: int, value: Any) -> Any:
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """(what was done, the damaged bytes of one record on one line)."""
    name = draw(st.sampled_from(sorted(BASES)))
    record = copy.deepcopy(BASES[name])
    kind = draw(
        st.sampled_from(
            ["delete", "retype", "huge-int", "deep", "truncate", "flip", "bytes", "surrogate"]
        )
    )
    if kind == "surrogate":
        code = draw(st.integers(0xD800, 0xDFFF))
        data = json.dumps(record).replace('"tiny"', f'"ti\\u{code:04x}ny"', 1)
        return kind, data.encode("utf-8")
    if kind == "bytes":
        return kind, draw(st.binary(max_size=200)).replace(b"\n", b" ")
    if kind in ("delete", "retype", "huge-int", "deep"):
        where = draw(st.sampled_from(PATHS[name]))
        parent = record
        for part in where[:-1]:
            parent = parent[part]
        if kind == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif kind == "huge-int":
            parent[where[-1]] = draw(
                st.integers(2**53, 10**400)
                | st.integers(-(10**400), -(2**53))
                | st.just("__HUGE__")  # past the 4,300 digits json.dumps itself can write
            )
        elif kind == "deep":
            parent[where[-1]] = _deep(draw(st.integers(1, 150)), parent[where[-1]])
        else:
            parent[where[-1]] = draw(JSON_VALUES)
        text = json.dumps(record, ensure_ascii=draw(st.booleans()))
        return kind, text.replace('"__HUGE__"', "9" * 5000).encode("utf-8")
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    if kind == "truncate":
        return kind, data[: draw(st.integers(0, len(data) - 1))]
    at = draw(st.integers(0, len(data) - 1))
    byte = draw(st.integers(0, 255).filter(lambda b: b not in (10, 13)))
    return kind, data[:at] + bytes([byte]) + data[at + 1 :]


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def reference_invalid(data: bytes) -> bool:
    """The exact validator's verdict on one record's bytes: unparseable, or any error."""
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return True
    if not isinstance(value, dict):
        return True
    try:
        issues = validate_record(value)
    except RecursionError:
        return True
    return any(i.severity == "error" for i in issues)


def _check(result: Any, damaged_is_invalid: bool) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    report = json.loads(result.stdout)
    if damaged_is_invalid:
        assert result.exit_code != 0 and report["errors"] >= 1, result.output


@FUZZ
@given(case=damaged())
def test_a_damaged_json_file(case, tmp_path):
    _kind, data = case
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    _check(result, reference_invalid(data))


@FUZZ
@given(case=damaged(), first=st.booleans())
def test_a_damaged_line_among_valid_ones(case, first, tmp_path):
    _kind, data = case
    other = copy.deepcopy(BASES["tiny.json"])
    other["id"] = "fuzz-other"
    good = json.dumps(other).encode("utf-8")
    lines = [data, good] if first else [good, data]
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    # a blank line holds no record: JSONL allows it (tests/cases/invalid/syntax-jsonl-empty)
    _check(result, data.strip() != b"" and reference_invalid(data))


@FUZZ
@given(case=damaged())
def test_damage_on_stdin(case):
    _kind, data = case
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "-"], input=data)
    _check(result, reference_invalid(data))


@FUZZ
@given(case=damaged(), argv=st.sampled_from([["summary"], ["stats"], ["show", "tiny"]]))
def test_the_reading_commands_on_a_damaged_corpus(case, argv, tmp_path_factory, monkeypatch):
    _kind, data = case
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "records").mkdir()
    (corpus / "records" / "tiny.json").write_bytes(data)
    monkeypatch.setattr(store, "corpus_dir", lambda: corpus)
    result = CliRunner().invoke(cli, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 1:  # the error names the file
        assert result.stderr.startswith(f"Error: {corpus / 'records' / 'tiny.json'}: ")


# --- real processes --------------------------------------------------------------------------


def _damage(name: str) -> bytes:
    record = copy.deepcopy(BASES["tiny.json"])
    if name == "no-text":
        del record["text"]
    elif name == "nested":
        record["quotes"] = _deep(100, record["quotes"])
    elif name == "huge":
        record["entities"][0]["start"] = 10**300
    return json.dumps(record).encode("utf-8") if name != "truncated" else b'{"id": "tiny", "te'


@pytest.mark.parametrize("name", ["no-text", "nested", "huge", "truncated"])
@pytest.mark.parametrize("how", ["json", "jsonl", "stdin"])
def test_a_real_process(name, how, tmp_path):
    data = _damage(name)
    env = {k: v for k, v in os.environ.items() if k != "BELNEWS_DEBUG"}
    argv = [sys.executable, "-m", "belnews", "validate"]
    if how == "stdin":
        done = subprocess.run([*argv, "-"], input=data, capture_output=True, env=env, timeout=120)
    else:
        path = tmp_path / f"fuzz.{how}"
        path.write_bytes(data + b"\n")
        done = subprocess.run([*argv, str(path)], capture_output=True, env=env, timeout=120)
    assert b"Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert done.stdout.endswith(b" error(s), 0 warning(s)\n")
    assert not done.stdout.endswith(b" 0 error(s), 0 warning(s)\n")
