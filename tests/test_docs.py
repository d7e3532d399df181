"""The README's two commands stay the ones CI runs, and every CLI command is documented."""

from __future__ import annotations

import re

import pytest

from belnews.cli import cli
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The commands of the first bash block after the title."""
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block, "README has no bash block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands_and_ci_runs_the_second():
    run, test = readme_commands()
    assert "belnews validate" in run and "belnews summary" in run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    assert cli.commands[name].help
    assert f"`belnews {name}" in README
