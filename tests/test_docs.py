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


def test_readme_python_example_runs():
    """The README's Python block runs as written (torch replaced by a stand-in if absent)."""
    import types

    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    try:
        import torch
    except ImportError:
        loader = types.SimpleNamespace(
            DataLoader=lambda data, batch_size, collate_fn: [
                collate_fn(data[i : i + batch_size]) for i in range(0, len(data), batch_size)
            ]
        )
        torch = types.SimpleNamespace(utils=types.SimpleNamespace(data=loader))
    namespace = {"torch": torch}
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["ds"].num_rows == 2
    batches = list(namespace["loader"])
    assert len(batches) == 1 and batches[0]["ids"] == [
        "000_b610fad01348a5b2",
        "002_a7d1dc08e0c5cbcf",
    ]
