"""The CLI: exit codes and exact output over the library functions."""

from __future__ import annotations

import json

from click.testing import CliRunner

from belnews.cli import cli
from conftest import CORPUS, RECORD_IDS


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_validate_the_corpus_by_default():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 record(s) checked, 0 error(s), 0 warning(s)\n"


def test_validate_reports_an_invalid_record_with_its_path(tmp_path, record):
    record["quotes"] = [] if not record["quotes"] else record["quotes"]
    record["sections"][0]["end"] = 10**6
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: {record['id']}: $.sections[0]: sections-invalid: " in result.stderr
    assert "Traceback" not in result.stderr


def test_records_check_finds_nothing_stale():
    result = run("records", "--check")
    assert result.exit_code == 0
    assert result.stdout == "0 record(s) stale: -\n"


def test_summary_json_counts_every_article():
    data = json.loads(run("summary", "--format", "json").stdout)
    assert [a["id"] for a in data["per_article"]] == list(RECORD_IDS)
    assert data["totals"]["characters"] == sum(
        len(json.loads((CORPUS / "records" / f"{r}.json").read_text())["text"]) for r in RECORD_IDS
    )


def test_show_unknown_record_is_a_clear_error():
    result = run("show", "nope")
    assert result.exit_code == 2  # an input that cannot be read
    assert "Error: no record 'nope'" in result.stderr


# --- start-up: what `belnews --help` imports, and how wide it prints -------------------------


def test_help_imports_neither_shutil_nor_the_library():
    """`belnews --help` is the command people time; it sizes its help without shutil and
    loads no module the help does not need (pyarrow, numpy, the error classes)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.argv = ['belnews', '--help']; from belnews.cli import cli\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "heavy = {'shutil', 'dataclasses', 'pyarrow', 'numpy', 'belnews.errors'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


HELP_BOTH_WAYS = """
import click
import belnews.cli as c
ours = c.cli.context_class(c.cli, info_name="belnews").get_help()
c.Context.formatter_class = click.HelpFormatter  # click's own, sized with shutil
theirs = c.cli.context_class(c.cli, info_name="belnews").get_help()
print(ours == theirs, len(ours.splitlines()))
"""


def test_help_is_as_wide_as_click_would_make_it():
    """The help is what click, sizing it with shutil, prints: as wide as $COLUMNS when that
    is a number, else as the terminal (80 columns with none, as here)."""
    import os
    import subprocess
    import sys

    lines = {}
    for columns in ("60", "200", "junk", "0", "-5", None):
        env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
        if columns is not None:
            env["COLUMNS"] = columns
        done = subprocess.run(
            [sys.executable, "-c", HELP_BOTH_WAYS], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        same, lines[columns] = done.stdout.split()
        assert same == "True", columns
    # click caps the width at 80 columns, so only a narrower terminal changes the help
    assert int(lines["60"]) > int(lines[None])
    assert lines["200"] == lines["junk"] == lines["0"] == lines["-5"] == lines[None]


def test_help_follows_the_terminal_when_columns_is_unset():
    """Without $COLUMNS the width comes from the terminal on standard output (a pty here,
    60 columns wide), as shutil would take it."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    outputs = {}
    for columns in (60, 100):
        main, side = pty.openpty()
        fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        done = subprocess.run(
            [sys.executable, "-c", HELP_BOTH_WAYS], stdout=side, stderr=subprocess.PIPE, env=env
        )
        os.close(side)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the pty is closed once its output is read
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        assert done.returncode == 0, done.stderr
        outputs[columns] = b"".join(chunks).decode().split()
    assert outputs[60][0] == outputs[100][0] == "True"
    assert int(outputs[60][1]) > int(outputs[100][1])  # 60 columns wrap; 100 are capped at 80
