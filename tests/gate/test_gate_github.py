"""--format github: what comes from the input cannot start a command or forge a property."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.check.report import github_line
from belnews.cli import cli
from belnews.errors import Issue


def _unescape(text: str, *, prop: bool) -> str:
    """What the Actions runner reads back (its escapes, undone with %25 last)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text.replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command the way the runner splits it: ``::name props::data``."""
    assert line.startswith("::")
    head, _, data = line[2:].partition("::")
    name, _, props = head.partition(" ")
    fields = dict(p.split("=", 1) for p in props.split(","))
    return (
        name,
        {k: _unescape(v, prop=True) for k, v in fields.items()},
        _unescape(data, prop=False),
    )


def test_the_documented_escapes():
    issue = Issue(
        "span-out-of-bounds",
        "50% off\r\nnext",
        record_id="r1",
        path="$.x",
        file="a,line=7:b%.json",
        line=3,
    )
    assert github_line(issue) == (
        "::error file=a%2Cline=7%3Ab%25.json,line=3,title=span-out-of-bounds::"
        "r1 $.x: 50%25 off%0D%0Anext"
    )


NASTY = st.text(alphabet=st.sampled_from(list("ab,:=%\r\n ::=line7")), max_size=20) | st.text(
    max_size=20
)


@settings(max_examples=60, deadline=None)
@given(
    file=NASTY,
    message=NASTY,
    rid=NASTY,
    line=st.none() | st.integers(1, 10**6),
    warning=st.booleans(),
)
def test_every_line_reads_back_as_one_command_with_its_own_values(
    file, message, rid, line, warning
):
    issue = Issue(
        "duplicate-key",
        message,
        severity="warning" if warning else "error",
        record_id=rid or None,
        file=file or None,
        line=line,
    )
    text = github_line(issue)
    assert "\n" not in text and "\r" not in text
    name, props, data = _parse(text)
    assert name == ("warning" if warning else "error")
    expected = {"file": file or "<input>", "title": "duplicate-key"}
    if line is not None:
        expected["line"] = str(line)
    assert props == expected
    assert data == f"{rid or '-'} $: {message}"


@pytest.mark.parametrize("name", ["x\n::error file=y::forged.json", "a,line=7.json", "100%.json"])
def test_the_cli_escapes_hostile_file_names(name, tmp_path):
    path = tmp_path / name
    path.write_text(json.dumps({"id": 5}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "github", str(path)])
    assert result.exit_code == 1
    commands = [ln for ln in result.stderr.splitlines() if ln.startswith("::")]
    assert commands and len(commands) == len(result.stderr.splitlines())
    for command in commands:
        _name, props, _data = _parse(command)
        assert props["file"] == str(path)
        assert "line" not in props
