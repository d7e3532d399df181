"""Every code block of README.md, ANNOTATION.md and CONTRIBUTING.md runs as it is written
(issue 12, 'the README is executable').

- ``python`` blocks run, each on its own, in a fresh interpreter of this environment. A block
  that imports torch is skipped only when torch is absent; every other block always runs.
- ``bash`` blocks run with ``bash -euo pipefail`` in the checkout, with this environment's
  ``bin`` folder on PATH and as ``.venv/bin`` (the README's commands name ``.venv/bin/``).
  Exempt, listed in :data:`SETUP` and pinned so that no other block is left out: the blocks
  that *create* the environment (``python3 -m venv .venv && pip install …``): run here they
  would replace the very environment the test runs in and reinstall everything from PyPI.
  The README's two commands are run on every Python by ``scripts/check_pythons.sh`` instead,
  and CI runs the second.
- ``text`` blocks are figures, not code.
- ``toml`` blocks (the authoring format in ANNOTATION.md) are checked by the reader of
  annotation files: they parse and have the shape an annotation file must have.
Any other language is an error, so a new kind of block cannot go unchecked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOCUMENTS = ("README.md", "ANNOTATION.md", "CONTRIBUTING.md")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
#: (document, first line) of the set-up blocks, which are not run (see the module docstring).
SETUP = {
    ("README.md", "# set up and run the main job: validate the corpus, check that the records "
                  "and the release"),
    ("CONTRIBUTING.md", "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'"),
}


def blocks() -> list[tuple[str, int, str, str]]:
    """(document, line number, language, code) of every fenced block."""
    found = []
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            found.append((name, text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)))
    return found


BLOCKS = blocks()
IDS = [f"{name}:{line}" for name, line, _lang, _code in BLOCKS]


def test_every_block_has_a_known_language_and_only_the_setup_blocks_are_exempt():
    assert {lang for _n, _l, lang, _c in BLOCKS} <= {"python", "bash", "text", "toml"}
    exempt = {(n, c.splitlines()[0]) for n, _l, lang, c in BLOCKS if is_setup(n, c)}
    assert exempt == SETUP
    assert sum(lang == "python" for _n, _l, lang, _c in BLOCKS) >= 2
    assert sum(lang == "bash" and not is_setup(n, c) for n, _l, lang, c in BLOCKS) >= 1


def is_setup(name: str, code: str) -> bool:
    return (name, code.splitlines()[0]) in SETUP


def environment(tmp_path: Path) -> dict[str, str]:
    """PATH with this environment's bin first, and HOME/caches in a temporary folder."""
    bindir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("BELNEWS_ROOT", "PYTHONPATH")}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["HF_DATASETS_OFFLINE"] = env["HF_HUB_OFFLINE"] = "1"
    return env


@pytest.mark.parametrize(("name", "line", "lang", "code"), BLOCKS, ids=IDS)
def test_block_runs_as_written(name, line, lang, code, tmp_path):
    if lang == "text" or is_setup(name, code):
        return  # not code / creates the environment (see the module docstring)
    if lang == "toml":
        from belnews.corpus.ingest import load_toml
        from belnews.corpus.sources import check_source

        path = tmp_path / "example.toml"
        path.write_text(code, encoding="utf-8")
        check_source(load_toml(path), path, "annotations")  # a RecordError if the shape is wrong
        return
    env = environment(tmp_path)
    if lang == "python":
        if re.search(r"^import torch|^from torch", code, re.M):
            pytest.importorskip("torch")
        argv = [sys.executable, "-c", code]
    else:
        argv = ["bash", "-euo", "pipefail", "-c", venv_alias(code)]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{name}:{line} failed:\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), f"{name}:{line} printed nothing"


def venv_alias(code: str) -> str:
    """The block with ``.venv/bin/`` meaning this environment's bin folder (the test may run
    in another environment than the checkout's ``.venv``)."""
    return code.replace(".venv/bin/", f"{Path(sys.executable).parent}/")


def test_the_python_example_loads_both_articles_and_batches_them():
    """The README's first Python block prints what it claims (exact values)."""
    code = next(c for n, _l, lang, c in BLOCKS if n == "README.md" and lang == "python")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("mixed both the countries have urged Belarus")
    assert len(lines) == 4  # one quote per article, its tags, its first pair
