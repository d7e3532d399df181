"""A crash in any command is one line on stderr and exit status 3, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import belnews.release.citation as citation
from belnews.cli import EXIT_INTERNAL, cli, internal_error_line
from conftest import ROOT

COMMANDS = {
    # command line -> (module, function) it calls first, which the test makes crash
    ("cite",): ("belnews.release.citation", "bibtex"),
    ("summary",): ("belnews.corpus.store", "summarize"),
    ("stats",): ("belnews.release.stats", "compute"),
    ("show", "000_b610fad01348a5b2"): ("belnews.review.show", "show_record"),
    ("records", "--check"): ("belnews.corpus.store", "regenerate"),
    ("validate",): ("belnews.check.validate", "validate_path"),
    ("build",): ("belnews.release.build", "build"),
}


def _crash(exc: BaseException):
    def boom(*_args, **_kwargs):
        raise exc

    return boom


@pytest.mark.parametrize("argv", sorted(COMMANDS))
def test_every_command_turns_a_crash_into_status_3(argv, monkeypatch):
    import importlib

    module, name = COMMANDS[argv]
    monkeypatch.setattr(importlib.import_module(module), name, _crash(KeyError("quotes")))
    monkeypatch.delenv("BELNEWS_DEBUG", raising=False)
    result = CliRunner().invoke(cli, list(argv))
    assert result.exit_code == EXIT_INTERNAL
    assert result.stderr == "belnews: internal error: KeyError: 'quotes' (please report this)\n"
    assert "Traceback" not in result.output


def test_debug_lets_the_traceback_through(monkeypatch):
    monkeypatch.setattr(citation, "bibtex", _crash(ZeroDivisionError("division by zero")))
    monkeypatch.setenv("BELNEWS_DEBUG", "1")
    result = CliRunner().invoke(cli, ["cite"])
    assert isinstance(result.exception, ZeroDivisionError)
    assert result.exit_code == 1  # CliRunner's status for an exception that escaped


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (click.UsageError("bad"), 2),
        (click.ClickException("data"), 1),
        (SystemExit(0), 0),
        (click.exceptions.Exit(1), 1),
    ],
)
def test_click_and_exit_are_not_internal_errors(exc, status, monkeypatch):
    monkeypatch.setattr(citation, "bibtex", _crash(exc))
    result = CliRunner().invoke(cli, ["cite"])
    assert result.exit_code == status
    assert "internal error" not in result.output


def test_usage_errors_keep_status_2():
    result = CliRunner().invoke(cli, ["validate", "--format", "nope"])
    assert result.exit_code == 2
    assert "internal error" not in result.output


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from([ValueError, TypeError, RuntimeError, OSError, MemoryError]),
    message=st.text() | st.text().map(lambda t: t + "\ud800\n" + t),
)
def test_the_line_is_always_one_line(kind, message):
    line = internal_error_line(kind(message))
    assert "\n" not in line and "\r" not in line
    line.encode("utf-8")  # printable: no lone surrogate left
    assert line.startswith(f"belnews: internal error: {kind.__name__}: ")
    assert line.endswith(" (please report this)")
    assert len(line) < 400


def test_help_documents_the_exit_statuses():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for line in (
        "0  success",
        "1  invalid data",
        "2  usage error",
        "3  internal error: a bug in belnews (set BELNEWS_DEBUG=1 for the traceback)",
    ):
        assert line in result.output


CRASHING_CITE = (
    "import sys, belnews.release.citation as c\n"
    "def boom():\n"
    "    raise RuntimeError('two\\nlines')\n"
    "c.bibtex = boom\n"
    "from belnews.cli import cli\n"
    "sys.argv = ['belnews', 'cite']\n"
    "cli(prog_name='belnews')\n"
)


def _run_crashing(debug: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BELNEWS_DEBUG"}
    if debug is not None:
        env["BELNEWS_DEBUG"] = debug
    return subprocess.run(
        [sys.executable, "-c", CRASHING_CITE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_a_real_process_exits_3_with_one_line():
    done = _run_crashing(None)
    assert done.returncode == 3
    assert done.stderr == (
        "belnews: internal error: RuntimeError: two lines (please report this)\n"
    )
    assert done.stdout == ""


def test_a_real_process_shows_the_traceback_with_debug():
    done = _run_crashing("1")
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: two" in done.stderr
